import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../clock.js";
import { type ByteDuplex, createPipe } from "../duplex.js";
import { ConnectionClosedError } from "../errors.js";
import { type DisconnectReason, ReconnectingClient } from "../reconnecting-client.js";
import { JsonRpcConnection } from "../session.js";

const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

/** A fake network: remotes that are "up" accept and get a server that answers `whoami`. */
class FakeNet {
  readonly dials: Array<[number, string]> = [];
  readonly up = new Set<string>();
  readonly servers: JsonRpcConnection[] = [];

  constructor(private readonly clock: ManualClock) {}

  dial = (remote: string): Promise<ByteDuplex> => {
    this.dials.push([this.clock.now(), remote]);
    if (!this.up.has(remote)) {
      return Promise.reject(Object.assign(new Error("nope"), { reason: "No such file or directory" }));
    }
    const [c, s] = createPipe({ names: [remote, "server"] });
    this.servers.push(new JsonRpcConnection(s, { clock: this.clock, onRequest: () => remote }));
    return Promise.resolve(c);
  };
}

async function advance(clock: ManualClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await settle();
  }
}

test("tries remotes in turn with backoff, then talks to the one that is up", async () => {
  const clock = new ManualClock();
  const net = new FakeNet(clock);
  const connects: string[] = [];
  const drops: DisconnectReason[] = [];
  const client = new ReconnectingClient({
    remotes: ["unix:/a", "unix:/b"],
    dial: net.dial,
    clock,
    onConnect: (_c, r) => connects.push(r),
    onDisconnect: (r) => drops.push(r),
  });
  await assert.rejects(client.request("whoami", []), ConnectionClosedError);
  client.start();
  await settle();
  await advance(clock, 1000);
  assert.deepEqual(net.dials, [
    [0, "unix:/a"],
    [0, "unix:/b"],
    [1000, "unix:/a"],
  ]);
  net.up.add("unix:/b");
  await advance(clock, 2000);
  assert.deepEqual(net.dials.slice(3), [[3000, "unix:/b"]]);
  assert.deepEqual(connects, ["unix:/b"]);
  assert.equal(client.state, "active");
  assert.equal(client.currentRemote, "unix:/b");
  assert.equal(await client.request("whoami", []), "unix:/b");
  assert.deepEqual(
    drops.map((d) => d.kind),
    ["connect-failed", "connect-failed", "connect-failed"],
  );

  // The server goes away: the client notices, tries the other remote at once, then backs off.
  await advance(clock, 10_000);
  net.up.delete("unix:/b");
  net.up.add("unix:/a");
  net.servers[0]?.close();
  await settle();
  assert.equal(drops.at(-1)?.kind, "eof");
  assert.deepEqual(connects, ["unix:/b", "unix:/a"]);
  assert.equal(await client.request("whoami", []), "unix:/a");
  client.stop();
  await settle();
  assert.equal(client.state, "void");
  assert.equal(client.connection, undefined);
  await advance(clock, 30_000);
  assert.equal(connects.length, 2);
});

test("probes over tcp remotes: a silent server is dropped and redialed", async () => {
  const clock = new ManualClock();
  const dials: number[] = [];
  let peer: ByteDuplex | undefined;
  const drops: string[] = [];
  const client = new ReconnectingClient({
    remotes: ["tcp:127.0.0.1:6641"],
    clock,
    onDisconnect: (r) => drops.push(r.kind),
    dial: () => {
      dials.push(clock.now());
      const [c, s] = createPipe();
      peer = s;
      s.start({ onData: () => undefined, onDrain: () => undefined, onClose: () => undefined }); // never answers
      return Promise.resolve(c);
    },
  });
  client.start();
  await settle();
  await client.connected();
  assert.ok(peer !== undefined);
  await advance(clock, 9_900);
  assert.equal(client.state, "idle", "probe sent at 5 s");
  await advance(clock, 200);
  assert.equal(client.state, "backoff", "dropped at 10 s");
  assert.deepEqual(drops, ["probe-timeout"]);
  await advance(clock, 1_000);
  assert.deepEqual(dials, [0, 11_000]);
  client.stop();
});

test("forceReconnect moves to the next remote without waiting", async () => {
  const clock = new ManualClock();
  const net = new FakeNet(clock);
  net.up.add("unix:/a");
  net.up.add("unix:/b");
  const client = new ReconnectingClient({ remotes: ["unix:/a", "unix:/b"], dial: net.dial, clock });
  client.start();
  await settle();
  assert.equal(await client.request("whoami", []), "unix:/a");
  client.forceReconnect();
  await settle();
  assert.equal(await client.request("whoami", []), "unix:/b");
  assert.equal(client.connectionCount, 2);
  client.stop();
});

test("handlers installed by onConnect do not blind the client to disconnects", async () => {
  const clock = new ManualClock();
  const net = new FakeNet(clock);
  net.up.add("unix:/a");
  const notes: string[] = [];
  const client = new ReconnectingClient({
    remotes: ["unix:/a"],
    dial: net.dial,
    clock,
    // As a server attaching its session: replaces every handler of the connection.
    onConnect: (conn) => conn.setHandlers({ onClose: (r) => notes.push(`session closed: ${r.kind}`) }),
  });
  client.start();
  await settle();
  assert.equal(client.connectionCount, 1);
  net.servers[0]?.close();
  await settle();
  assert.deepEqual(notes, ["session closed: eof"]);
  assert.equal(client.state, "backoff");
  await advance(clock, 1000);
  assert.equal(client.connectionCount, 2, "reconnected after 1 s");
  client.stop();
});

test("connected() waits for the first connection and is rejected by stop()", async () => {
  const clock = new ManualClock();
  const net = new FakeNet(clock);
  const client = new ReconnectingClient({ remotes: ["unix:/a"], dial: net.dial, clock });
  const first = client.connected();
  client.start();
  await settle();
  net.up.add("unix:/a");
  await advance(clock, 1000);
  assert.equal((await first).name, "unix:/a");
  client.stop();
  await assert.rejects(client.connected(), ConnectionClosedError);
  const c2 = new ReconnectingClient({ remotes: ["unix:/b"], dial: net.dial, clock });
  c2.start();
  const waiting = c2.connected();
  c2.stop();
  await assert.rejects(waiting, ConnectionClosedError);
});
