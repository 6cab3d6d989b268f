import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { configureLog } from "../../base/log.js";
import { ManualClock } from "../clock.js";
import { type ByteDuplex, createPipe } from "../duplex.js";
import { ConnectionClosedError, JsonRpcError } from "../errors.js";
import { JsonFramer } from "../framing.js";
import type { Json, JsonObject } from "../json.js";
import { type CloseReason, JsonRpcConnection, type JsonRpcConnectionOptions, NO_REPLY } from "../session.js";

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
const enc = new TextEncoder();

/** The raw side of a pipe: records what arrives, sends bytes as given. */
class RawPeer {
  readonly received: JsonObject[] = [];
  closed = false;
  private readonly framer = new JsonFramer();

  constructor(readonly end: ByteDuplex) {
    end.start({
      onData: (c) => this.received.push(...this.framer.push(c)),
      onDrain: () => undefined,
      onClose: () => {
        this.closed = true;
      },
    });
  }

  send(text: string): void {
    this.end.write(enc.encode(text));
  }
}

function connected(opts: Partial<JsonRpcConnectionOptions> = {}, clock = new ManualClock()) {
  const [a, b] = createPipe({ names: ["client", "server"] });
  const closes: CloseReason[] = [];
  const conn = new JsonRpcConnection(a, { clock, onClose: (r) => closes.push(r), ...opts });
  return { conn, peer: new RawPeer(b), closes, clock };
}

function pair(
  serverOpts: Partial<JsonRpcConnectionOptions>,
  clientOpts: Partial<JsonRpcConnectionOptions> = {},
) {
  const clock = new ManualClock();
  const [a, b] = createPipe({ names: ["client", "server"] });
  const client = new JsonRpcConnection(a, { clock, ...clientOpts });
  const server = new JsonRpcConnection(b, { clock, ...serverOpts });
  return { client, server, clock };
}

test("requests get their results; replies may come out of order", async () => {
  const waiting: Array<() => void> = [];
  const { client } = pair({
    onRequest: (req) => {
      if (req.method === "slow") {
        return new Promise<Json>((resolve) =>
          waiting.push(() => resolve(`slow ${JSON.stringify(req.params)}`)),
        );
      }
      return { method: req.method, params: req.params };
    },
  });
  const order: string[] = [];
  const p1 = client.request("slow", [1]).then((r) => order.push(String(r)));
  const p2 = client.request("slow", [2]).then((r) => order.push(String(r)));
  const p3 = client.request("fast", ["x"]);
  assert.deepEqual(await p3, { method: "fast", params: ["x"] });
  assert.equal(client.pendingRequests, 2);
  waiting[1]?.();
  await settle();
  waiting[0]?.();
  await Promise.all([p1, p2]);
  assert.deepEqual(order, ["slow [2]", "slow [1]"]);
  assert.equal(client.pendingRequests, 0);
});

test("error answers: JsonRpcError, errors with toJson(), bugs, and no handler", async () => {
  const { client } = pair({
    onRequest: (req) => {
      if (req.method === "rpc") throw new JsonRpcError({ error: "not supported", details: "d" });
      if (req.method === "tojson") throw { toJson: () => ({ error: "syntax error" }) };
      if (req.method === "async") return Promise.reject(new JsonRpcError("later"));
      throw new Error("boom");
    },
  });
  const err = async (method: string): Promise<Json> => {
    try {
      await client.request(method, []);
    } catch (e) {
      assert.ok(e instanceof JsonRpcError);
      return e.error;
    }
    assert.fail("expected rejection");
  };
  assert.deepEqual(await err("rpc"), { error: "not supported", details: "d" });
  assert.deepEqual(await err("tojson"), { error: "syntax error" });
  assert.deepEqual(await err("async"), "later");
  assert.deepEqual(await err("bug"), { error: "internal error", details: "boom" });
  const { client: c2 } = pair({});
  await assert.rejects(
    c2.request("anything", []),
    (e: unknown) => e instanceof JsonRpcError && e.error === "unknown method",
  );
});

test("notifications flow both ways", async () => {
  const got: string[] = [];
  const { client, server } = pair(
    { onNotification: (n) => got.push(`server got ${n.method} ${JSON.stringify(n.params)}`) },
    { onNotification: (n) => got.push(`client got ${n.method}`) },
  );
  client.notify("cancel", [1]);
  server.notify("update3", ["x", {}]);
  await settle();
  assert.deepEqual(got.sort(), ["client got update3", "server got cancel [1]"]);
});

test("echo is answered automatically, or passed to the handler when asked", async () => {
  const { conn, peer } = connected();
  peer.send('{"id":7,"method":"echo","params":["hi",1]}');
  await settle();
  assert.deepEqual(peer.received, [{ id: 7, result: ["hi", 1], error: null }]);
  const { conn: c2, peer: p2 } = connected({ answerEcho: false, onRequest: () => "mine" });
  p2.send('{"id":7,"method":"echo","params":[]}');
  await settle();
  assert.deepEqual(p2.received, [{ id: 7, result: "mine", error: null }]);
  conn.close();
  c2.close();
});

test("the wire format is exactly the C one", async () => {
  const { conn, peer } = connected();
  void conn.request("list_dbs", []).catch(() => undefined);
  conn.notify("n", []);
  await settle();
  assert.deepEqual(peer.received, [
    { id: 0, method: "list_dbs", params: [] },
    { id: null, method: "n", params: [] },
  ]);
  conn.close();
});

test("a malformed stream or message drops the connection", async () => {
  for (const bad of [
    "5",
    '{"method":"x","params":{},"id":1}',
    '{"a":tru}',
    '{"result":1,"error":null,"id":99}',
  ]) {
    const { conn, peer, closes } = connected();
    const pending = conn.request("x", []);
    peer.send(bad);
    await assert.rejects(pending, ConnectionClosedError);
    await settle();
    assert.equal(conn.closed, true, bad);
    assert.equal(closes.length, 1);
    assert.equal(closes[0]?.kind, "protocol", bad);
    assert.equal(peer.closed, true);
  }
});

test("messages before a framing error are still handled, as by the C server", async () => {
  const { peer, closes } = connected();
  peer.send('{"method":"echo","params":[],"id":1}}');
  await settle();
  assert.deepEqual(peer.received, [{ id: 1, result: [], error: null }]);
  assert.equal(closes[0]?.kind, "protocol");
});

test("close: local close rejects pending requests; peer close is eof; I/O failure is io", async () => {
  const { conn, closes } = connected();
  const p = conn.request("x", []);
  conn.close();
  await assert.rejects(p, ConnectionClosedError);
  await assert.rejects(conn.request("y", []), ConnectionClosedError);
  assert.deepEqual(closes, [{ kind: "local" }]);
  conn.close();
  assert.equal(closes.length, 1);

  const c2 = connected();
  c2.peer.end.close();
  await settle();
  assert.deepEqual(c2.closes, [{ kind: "eof" }]);

  const [a, b] = createPipe();
  const reasons: CloseReason[] = [];
  new JsonRpcConnection(a, { clock: new ManualClock(), onClose: (r) => reasons.push(r) });
  new RawPeer(b);
  (a as unknown as { fail(e: Error): void }).fail(new Error("Connection reset by peer"));
  await settle();
  assert.deepEqual(reasons, [{ kind: "io", message: "Connection reset by peer" }]);
});

test("replies to unknown ids drop the connection unless a handler takes them", async () => {
  const seen: Json[] = [];
  const { conn, peer, closes } = connected({ onUnexpectedReply: (m) => seen.push(m.id) });
  peer.send('{"id":42,"result":1,"error":null}{"id":"echo","result":[],"error":null}');
  await settle();
  assert.deepEqual(seen, [42]); // the "echo" reply is the probe's and is absorbed
  assert.equal(closes.length, 0);
  conn.close();
});

test("backlog counts bytes not yet flushed; drain is reported", () => {
  const [a, b] = createPipe({ autoFlush: false });
  let drains = 0;
  const conn = new JsonRpcConnection(a, { clock: new ManualClock(), onDrain: () => drains++ });
  b.start({ onData: () => undefined, onDrain: () => undefined, onClose: () => undefined });
  conn.notify("n", ["x"]);
  const wire = '{"id":null,"method":"n","params":["x"]}';
  assert.equal(conn.backlog, wire.length);
  conn.notify("n", ["x"]);
  assert.equal(conn.backlog, 2 * wire.length);
  a.flush();
  assert.equal(conn.backlog, 0);
  assert.equal(drains, 1);
});

test("inactivity probe: echo after the interval, disconnect after another one", async () => {
  const clock = new ManualClock();
  const { conn, peer, closes } = connected({ probeIntervalMs: 5000 }, clock);
  clock.advance(4999);
  await settle();
  assert.equal(peer.received.length, 0);
  clock.advance(1);
  await settle();
  assert.deepEqual(peer.received, [{ id: "echo", method: "echo", params: [] }]);
  clock.advance(4999);
  assert.equal(conn.closed, false);
  clock.advance(1);
  assert.deepEqual(closes, [{ kind: "probe-timeout" }]);
  await settle();
  assert.equal(peer.closed, true);
});

test("inactivity probe: any traffic from the peer keeps the connection up", async () => {
  const clock = new ManualClock();
  const { conn, peer, closes } = connected({ probeIntervalMs: 5000 }, clock);
  for (let i = 0; i < 10; i++) {
    clock.advance(3000);
    peer.send(`{"id":null,"method":"tick","params":[${i}]}`);
    await settle();
  }
  assert.equal(peer.received.length, 0, "no probe while the peer talks");
  clock.advance(5000); // silence: probe
  await settle();
  assert.equal(peer.received.length, 1);
  peer.send('{"id":"echo","result":[],"error":null}'); // answered in time
  await settle();
  clock.advance(4000);
  assert.equal(conn.closed, false);
  clock.advance(1000); // 5 s since the answer: the next probe, not a disconnect
  await settle();
  assert.equal(peer.received.length, 2);
  assert.equal(closes.length, 0);
  conn.setProbeInterval(0);
  clock.advance(60_000);
  assert.equal(conn.closed, false);
  assert.equal(clock.timerCount, 0);
  conn.close();
});

test("two connections answering each other's probes stay up indefinitely", async () => {
  const { client, server, clock } = pair({ probeIntervalMs: 5000 }, { probeIntervalMs: 3000 });
  for (let i = 0; i < 100; i++) {
    clock.advance(1000);
    await settle();
  }
  assert.equal(client.closed || server.closed, false);
  client.close();
  await settle();
  assert.equal(server.reason?.kind, "eof");
});

test("random chunking through a connection delivers every request in order", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.string(), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      async (reqs, cuts) => {
        const seen: Array<[string, Json[]]> = [];
        const { conn, peer } = connected({
          onRequest: (r) => {
            seen.push([r.method, r.params]);
            return r.id;
          },
        });
        const wire = enc.encode(
          reqs.map(([m, p], i) => JSON.stringify({ id: i, method: m, params: [p] })).join("\n"),
        );
        const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((x, y) => x - y);
        let prev = 0;
        for (const p of [...points, wire.length]) {
          peer.end.write(wire.slice(prev, p));
          prev = p;
          await settle();
        }
        assert.deepEqual(
          seen,
          reqs.map(([m, p]) => [m, [JSON.parse(JSON.stringify(p))]]),
        );
        assert.deepEqual(
          peer.received.map((r) => r.result),
          reqs.map((_, i) => i),
        );
        conn.close();
      },
    ),
    { numRuns: 100 },
  );
});

test("NO_REPLY: the handler answers later with pre-serialised text", async () => {
  const held: Array<() => void> = [];
  const { client } = pair({
    onRequest: (req, conn) => {
      held.push(() => conn.sendText(`{"id":${JSON.stringify(req.id)},"result":"later","error":null}`));
      return NO_REPLY;
    },
  });
  const p = client.request("transact", []);
  await settle();
  assert.equal(client.pendingRequests, 1, "no automatic reply");
  held[0]?.();
  assert.equal(await p, "later");
});

test("observers survive setHandlers and run after the handlers' onClose", async () => {
  const { conn, peer } = connected();
  const seen: string[] = [];
  conn.observe({ onActivity: () => seen.push("activity"), onClose: (r) => seen.push(`observer ${r.kind}`) });
  conn.setHandlers({ onClose: (r) => seen.push(`handler ${r.kind}`) });
  peer.send('{"id":null,"method":"n","params":[]}');
  await settle();
  peer.end.close();
  await settle();
  assert.deepEqual(seen, ["activity", "handler eof", "observer eof"]);
});

test("log lines read like ovsdb-server's", async () => {
  const lines: string[] = [];
  configureLog({ sinks: [(l) => lines.push(l.split("|").slice(2).join("|"))], level: "DBG" });
  try {
    const { peer } = connected();
    peer.send('{"method":"echo","params":[1],"id":"a"}');
    await settle();
    peer.send('{"method":"echo","params":{},"id":1}');
    await settle();
  } finally {
    configureLog({ sinks: [], level: "INFO" });
  }
  assert.deepEqual(lines, [
    'jsonrpc|DBG|client: received request, method="echo", params=[1], id="a"',
    'jsonrpc|DBG|client: send reply, result=[1], id="a"',
    'jsonrpc|WARN|client: received bad JSON-RPC message: "params" must be JSON array',
    "reconnect|WARN|client: connection dropped (Protocol error)",
  ]);
});

test("a throwing notification handler is logged, and later messages still flow", async () => {
  const { conn, peer } = connected({
    onNotification: () => {
      throw new Error("handler bug");
    },
  });
  peer.send('{"id":null,"method":"n","params":[]}{"id":3,"method":"echo","params":[]}');
  await settle();
  assert.equal(conn.closed, false);
  assert.deepEqual(peer.received, [{ id: 3, result: [], error: null }]);
  conn.close();
});
