import assert from "node:assert/strict";
import { test } from "node:test";
import { configureLog } from "../../base/log.js";
import { Reconnect } from "../reconnect.js";

/** Runs the machine against a peer that never answers, recording when it attempts to connect. */
function attemptTimes(fsm: Reconnect, until: number): number[] {
  const times: number[] = [];
  for (let now = 0; now <= until; now += 1) {
    while (fsm.tick(now) === "connect") {
      times.push(now);
      fsm.connecting(now);
      fsm.connectFailed(now, "Connection refused");
    }
  }
  return times;
}

test("backoff: immediate first try, then 1, 2, 4, 8, 8 ... seconds (as ovs-vsctl --retry)", () => {
  const fsm = new Reconnect({ name: "unix:/x" }, 0);
  assert.equal(fsm.state, "void");
  assert.equal(fsm.tick(0), undefined);
  fsm.enable(0);
  assert.deepEqual(attemptTimes(fsm, 40_000), [0, 1000, 3000, 7000, 15000, 23000, 31000, 39000]);
  assert.equal(fsm.backoffMs, 8000);
  assert.equal(fsm.state, "backoff");
});

test("timeout() says when tick() next has work", () => {
  const fsm = new Reconnect({ name: "r", probeIntervalMs: 5000 }, 0);
  assert.equal(fsm.timeout(0), undefined);
  fsm.enable(0);
  assert.equal(fsm.timeout(0), 0);
  fsm.connecting(0);
  assert.equal(fsm.timeout(200), 800, "an attempt may take at least 1 s");
  fsm.connectFailed(300, "x");
  assert.equal(fsm.timeout(300), 1000);
  assert.equal(fsm.timeout(900), 400);
  fsm.connected(1300);
  assert.equal(fsm.timeout(1300), 5000);
  fsm.activity(4000);
  assert.equal(fsm.timeout(4000), 5000);
});

test("a healthy connection that drops restarts the backoff at the minimum", () => {
  const fsm = new Reconnect({ name: "r" }, 0);
  fsm.enable(0);
  attemptTimes(fsm, 10_000); // backoff has grown to 8 s
  assert.equal(fsm.backoffMs, 8000);
  fsm.connected(20_000);
  assert.equal(fsm.isConnected, true);
  fsm.disconnected(30_000, undefined); // up for 10 s >= 8 s backoff
  assert.equal(fsm.backoffMs, 1000);
  assert.equal(fsm.tick(30_999), undefined);
  assert.equal(fsm.tick(31_000), "connect");
});

test("a connection that drops at once keeps growing the backoff", () => {
  const fsm = new Reconnect({ name: "r" }, 0);
  fsm.enable(0);
  let now = 0;
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    while (fsm.tick(now) !== "connect") now += 1;
    fsm.connected(now);
    fsm.disconnected(now + 10, "Connection reset by peer");
    now += 10;
    waits.push(fsm.backoffMs);
  }
  // The first connection was healthy by definition (backoff was 0), later ones are not.
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000, 8000]);
});

test("probe: after the interval of silence, then disconnect after another", () => {
  const fsm = new Reconnect({ name: "tcp:1.2.3.4:6641", probeIntervalMs: 5000 }, 0);
  fsm.enable(0);
  assert.equal(fsm.tick(0), "connect");
  fsm.connecting(0);
  fsm.connected(100);
  assert.equal(fsm.tick(5099), undefined);
  fsm.activity(3000);
  assert.equal(fsm.tick(7999), undefined);
  assert.equal(fsm.tick(8000), "probe");
  assert.equal(fsm.state, "idle");
  assert.equal(fsm.tick(8001), undefined);
  fsm.activity(9000); // answer: back to active
  assert.equal(fsm.state, "active");
  assert.equal(fsm.tick(14_000), "probe");
  assert.equal(fsm.tick(18_999), undefined);
  assert.equal(fsm.tick(19_000), "disconnect");
  fsm.disconnected(19_000, undefined);
  assert.equal(fsm.state, "backoff");
});

test("probe interval 0 disables probing", () => {
  const fsm = new Reconnect({ name: "unix:/x", probeIntervalMs: 0 }, 0);
  fsm.enable(0);
  fsm.connected(0);
  assert.equal(fsm.tick(1e9), undefined);
  assert.equal(fsm.timeout(0), undefined);
});

test("connection attempts time out", () => {
  const fsm = new Reconnect({ name: "r" }, 0);
  fsm.enable(0);
  fsm.connecting(0);
  assert.equal(fsm.tick(999), undefined);
  assert.equal(fsm.tick(1000), "disconnect");
  fsm.connectFailed(1000, "Connection timed out");
  assert.equal(fsm.state, "backoff");
});

test("with several remotes each is tried once without waiting", () => {
  const fsm = new Reconnect({ name: "r", freeTries: 2 }, 0);
  fsm.enable(0);
  assert.deepEqual(attemptTimes(fsm, 8000), [0, 0, 0, 1000, 3000, 7000]);
});

test("maxTries stops the machine", () => {
  const fsm = new Reconnect({ name: "r", maxTries: 3 }, 0);
  fsm.enable(0);
  assert.deepEqual(attemptTimes(fsm, 60_000), [0, 1000, 3000]);
  assert.equal(fsm.state, "void");
});

test("forceReconnect disconnects and reconnects at once", () => {
  const fsm = new Reconnect({ name: "r" }, 0);
  fsm.enable(0);
  fsm.connected(0);
  fsm.forceReconnect(10);
  assert.equal(fsm.state, "reconnect");
  assert.equal(fsm.tick(10), "disconnect");
  fsm.disconnected(10, undefined);
  assert.equal(fsm.tick(10), "connect");
});

test("disable stops everything", () => {
  const fsm = new Reconnect({ name: "r" }, 0);
  fsm.enable(0);
  fsm.connected(0);
  fsm.disable(5);
  assert.equal(fsm.state, "void");
  assert.equal(fsm.tick(1e9), undefined);
  fsm.disconnected(6, undefined);
  assert.equal(fsm.state, "void");
});

test("log lines match the C clients' (ovs-vsctl --retry against a missing socket)", () => {
  const lines: string[] = [];
  configureLog({ sinks: [(l) => lines.push(l.split("|").slice(2).join("|"))], level: "INFO" });
  try {
    const fsm = new Reconnect({ name: "unix:/tmp/none.sock" }, 0);
    fsm.enable(0);
    attemptTimes(fsm, 24_000); // attempts at 0, 1, 3, 7, 15, 23 s
    fsm.connecting(24_000);
    fsm.connected(24_000);
  } finally {
    configureLog({ sinks: [] });
  }
  const r = "reconnect|INFO|unix:/tmp/none.sock: ";
  assert.deepEqual(lines, [
    `${r}connecting...`,
    `${r}connection attempt failed (Connection refused)`,
    `${r}connecting...`,
    `${r}connection attempt failed (Connection refused)`,
    `${r}waiting 2 seconds before reconnect`,
    `${r}connecting...`,
    `${r}connection attempt failed (Connection refused)`,
    `${r}waiting 4 seconds before reconnect`,
    `${r}connecting...`,
    `${r}connection attempt failed (Connection refused)`,
    `${r}continuing to reconnect in the background but suppressing further logging`,
    `${r}connected`,
  ]);
});
