// Accepted connections reading into one shared buffer (shared-read.ts) and the writes of a read callback
// leaving when it returns (socket-duplex.ts): messages split anywhere, bigger than the buffer, and from
// several clients at once arrive whole; the server still closes once its connections are gone.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { ByteDuplex } from "../../duplex.js";
import { JsonRpcConnection } from "../../session.js";
import { listen } from "../listen.js";
import { adoptWithSharedBuffer } from "../shared-read.js";
import { afterThisRead, setAfterReadHook } from "../socket-duplex.js";
import { systemClock } from "../system-clock.js";

const dir = mkdtempSync(join(tmpdir(), "ovnts-shared-read-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A raw client: sends text in the given pieces, collects everything the server sends back. */
async function rawClient(path: string): Promise<{ sock: Socket; received: () => string }> {
  const sock = connect(path);
  await new Promise<void>((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("error", reject);
  });
  let text = "";
  sock.setEncoding("utf8");
  sock.on("data", (s: string) => {
    text += s;
  });
  return { sock, received: () => text };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The one whole reply in `text`, or undefined while it is incomplete. */
function reply(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

test("adoptWithSharedBuffer: reads land in one reused buffer; server.close() still waits for the connection", async () => {
  const path = join(dir, "adopt.sock");
  const views: Uint8Array[] = [];
  const texts: string[] = [];
  let adopted: Socket | null = null;
  const server = createServer({ pauseOnConnect: true }, (s) => {
    adopted = adoptWithSharedBuffer(s, (bytes) => {
      views.push(bytes);
      texts.push(new TextDecoder().decode(bytes));
    });
    adopted?.resume();
  });
  await new Promise<void>((r) => server.listen(path, r));
  const c = await rawClient(path);
  c.sock.write("first");
  await until(() => texts.length === 1, "first read");
  c.sock.write("second");
  await until(() => texts.length === 2, "second read");
  assert.notEqual(adopted, null);
  assert.deepEqual(texts, ["first", "second"]);
  assert.equal(views[0]?.buffer, views[1]?.buffer, "both reads use the same buffer");
  let closed = false;
  const closing = new Promise<void>((r) =>
    server.close(() => {
      closed = true;
      r();
    }),
  );
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(closed, false, "server.close() waits for the open connection");
  c.sock.destroy();
  await closing;
});

test("listen: split, large and interleaved messages arrive whole; replies leave before the after-read hook", async () => {
  const path = join(dir, "rpc.sock");
  const conns: JsonRpcConnection[] = [];
  // Work a handler leaves for after its reply (afterThisRead): run once per read, after the flush.
  let afterReplyRuns = 0;
  let backlogAfterReply = 0;
  let deferred = 0;
  const afterReply = () => {
    afterReplyRuns += 1;
    for (const c of conns) backlogAfterReply = Math.max(backlogAfterReply, c.backlog);
  };
  const listener = await listen(`punix:${path}`, {
    onConnection: (d: ByteDuplex) => {
      conns.push(
        new JsonRpcConnection(d, {
          clock: systemClock,
          onRequest: (r) => {
            if (afterThisRead(afterReply) && afterThisRead(afterReply)) deferred += 1;
            return [r.method, JSON.stringify(r.params).length];
          },
        }),
      );
    },
  });
  let hookCalls = 0;
  let backlogAtHook = 0;
  let hookBytes = 0;
  let writingReads = 0;
  setAfterReadHook((bytes, wrote) => {
    hookCalls += 1;
    hookBytes += bytes;
    if (wrote) writingReads += 1;
    for (const c of conns) backlogAtHook = Math.max(backlogAtHook, c.backlog);
  });
  try {
    const a = await rawClient(path);
    const b = await rawClient(path);
    const big = "é".repeat(100_000); // 200 KB of UTF-8: several reads of the 64 KiB buffer
    const msgA = `${JSON.stringify({ id: 1, method: "a", params: [big] })}\n`;
    const msgB = `${JSON.stringify({ id: 2, method: "b", params: ["small"] })}`;
    // A's big message goes in odd-sized pieces (splitting multi-byte characters), with B's in between.
    const bytesA = Buffer.from(msgA);
    let sentB = false;
    for (let at = 0, n = 1; at < bytesA.length; n = (n * 7 + 3) % 9000) {
      a.sock.write(bytesA.subarray(at, at + n + 1));
      at += n + 1;
      if (!sentB && at > bytesA.length / 2) {
        b.sock.write(msgB);
        sentB = true;
      }
      await new Promise((r) => setImmediate(r));
    }
    await until(() => reply(a.received()) !== undefined && reply(b.received()) !== undefined, "both replies");
    assert.deepEqual(reply(a.received()), {
      id: 1,
      result: ["a", JSON.stringify([big]).length],
      error: null,
    });
    assert.deepEqual(reply(b.received()), { id: 2, result: ["b", 9], error: null });
    assert.ok(hookCalls > 2);
    assert.equal(hookBytes, bytesA.length + Buffer.byteLength(msgB), "every byte read is counted");
    assert.equal(writingReads, 2, "only the read completing each message wrote (its reply)");
    assert.equal(deferred, 2);
    assert.equal(afterReplyRuns, 2, "once per read, however often it was asked for");
    assert.equal(backlogAfterReply, 0, "after the read's replies were handed to the socket");
    assert.equal(afterThisRead(afterReply), false, "outside a read callback");
    assert.equal(backlogAtHook, 0, "a read callback's replies are handed to the socket before the hook runs");
    a.sock.destroy();
    b.sock.destroy();
    await until(() => conns.every((c) => c.closed), "connections closed");
  } finally {
    setAfterReadHook(undefined);
    for (const c of conns) c.close();
    await listener.close();
  }
});
