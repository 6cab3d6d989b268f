// maxBacklogBytes: a peer that leaves more than the limit unread is dropped at the next message; one
// message bigger than the limit still goes to a peer that has read everything before it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../clock.js";
import { createPipe } from "../duplex.js";
import { JsonFramer } from "../framing.js";
import type { JsonObject } from "../json.js";
import { type CloseReason, describeReason, JsonRpcConnection } from "../session.js";

function setUp(limit: number) {
  // Without auto-flush nothing leaves until flush(): the peer "does not read".
  const [a, b] = createPipe({ autoFlush: false, names: ["server", "client"] });
  const closes: CloseReason[] = [];
  const conn = new JsonRpcConnection(a, {
    clock: new ManualClock(),
    maxBacklogBytes: limit,
    onClose: (r) => closes.push(r),
  });
  const received: JsonObject[] = [];
  const framer = new JsonFramer();
  b.start({ onData: (c) => received.push(...framer.push(c)), onDrain: () => {}, onClose: () => {} });
  return { a, conn, closes, received };
}

test("a message sent while more than maxBacklogBytes wait unread drops the connection", async () => {
  const { a, conn, closes, received } = setUp(200);
  conn.notify("update", ["x".repeat(60)]);
  assert.equal(conn.closed, false);
  assert.ok(a.backlog > 60 && a.backlog <= 200, `backlog ${a.backlog}`);
  conn.notify("update", ["y".repeat(60)]); // about 100 bytes waiting before it: within the limit
  assert.equal(conn.closed, false);
  assert.ok(a.backlog > 200, `backlog ${a.backlog}`);
  conn.notify("update", ["z"]); // over 200 waiting before it: dropped
  assert.equal(conn.closed, true);
  assert.equal(closes.length, 1);
  const reason = closes[0] as CloseReason;
  assert.equal(reason.kind, "backlog");
  assert.match(describeReason(reason), /^excessive sending backlog \(\d+ bytes\)$/);
  a.flush();
  await new Promise((r) => setImmediate(r));
  // What was queued before the limit was crossed may still arrive; the message that crossed it never does.
  assert.ok(received.every((m) => JSON.stringify(m).includes('"z"') === false));
});

test("one message bigger than the limit goes out to a peer that has read everything", async () => {
  const { a, conn, received } = setUp(100);
  conn.notify("update", ["x".repeat(1000)]);
  assert.equal(conn.closed, false);
  a.flush();
  await new Promise((r) => setImmediate(r));
  assert.equal(received.length, 1);
  assert.equal(a.backlog, 0);
  conn.notify("update", ["x".repeat(1000)]);
  assert.equal(conn.closed, false);
});
