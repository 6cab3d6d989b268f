// OfConnection against a scripted fake switch on a unix socket (no Open vSwitch needed): version
// negotiation, echo both ways, xid matching, multipart "more", errors as OfError, unsolicited
// messages, bundles, and the echo probe.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { OfConnection, OfError } from "./conn.js";
import type { OfMessage, OfMessageBody } from "./messages.js";
import { decodeMessage, encodeMessage, splitMessages } from "./msg-codec.js";

interface FakeSwitch {
  path: string;
  received: OfMessage[];
  sockets: Socket[];
  send(m: OfMessage): void;
  close(): void;
}

/** A switch that says hello with `versions` and answers through `respond`. */
async function fakeSwitch(
  versions: number[],
  respond: (m: OfMessage, send: (r: OfMessage) => void) => void,
): Promise<FakeSwitch> {
  const dir = mkdtempSync(join(tmpdir(), "ofconn-"));
  const path = join(dir, "br.mgmt");
  const received: OfMessage[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => {
    sockets.push(s);
    let buf = new Uint8Array(0);
    const send = (m: OfMessage): void => {
      s.write(encodeMessage(m));
    };
    send({ kind: "hello", xid: 1000, versions });
    s.on("data", (d: Buffer) => {
      const joined = new Uint8Array([...buf, ...d]);
      const { messages, rest } = splitMessages(joined);
      buf = rest.slice();
      for (const bytes of messages) {
        const r = decodeMessage(bytes);
        assert.ok(r.ok);
        received.push(r.message);
        respond(r.message, send);
      }
    });
    s.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    received,
    sockets,
    send: (m) => {
      for (const s of sockets) s.write(encodeMessage(m));
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Answers like a switch: echo, barrier, features, and errors for flow_mods at priority 666. */
function standard(m: OfMessage, send: (r: OfMessage) => void): void {
  switch (m.kind) {
    case "echo_request":
      send({ kind: "echo_reply", xid: m.xid, data: m.data });
      break;
    case "barrier_request":
      send({ kind: "barrier_reply", xid: m.xid });
      break;
    case "features_request":
      send({
        kind: "features_reply",
        xid: m.xid,
        datapathId: 0x1234n,
        nBuffers: 0,
        nTables: 254,
        auxiliaryId: 0,
        capabilities: 0x4f,
      });
      break;
    case "flow_mod":
      if (m.flowMod.priority === 666)
        send({ kind: "error", xid: m.xid, type: 2, code: 4, name: "", data: new Uint8Array() });
      break;
    case "flow_stats_request":
      send({ kind: "flow_stats_reply", xid: m.xid, more: true, flows: [] });
      send({ kind: "flow_stats_reply", xid: m.xid, more: false, flows: [] });
      break;
    case "bundle_add":
      if (m.message.kind === "flow_mod" && m.message.flowMod.priority === 666) {
        send({ kind: "error", xid: m.xid, type: 2, code: 4, name: "", data: new Uint8Array() });
      }
      break;
    case "bundle_control": {
      const reply =
        m.type === "open_request"
          ? "open_reply"
          : m.type === "commit_request"
            ? "commit_reply"
            : "discard_reply";
      send({
        kind: "bundle_control",
        xid: m.xid,
        bundleId: m.bundleId,
        type: reply,
        atomic: false,
        ordered: false,
      });
      break;
    }
    default:
      break;
  }
}

const flowMod = (priority: number): OfMessageBody => ({
  kind: "flow_mod",
  flowMod: { command: "add", table: 0, priority, cookie: 0n, match: [], actions: [] },
});

test("hello, requests by xid, multipart parts, errors and unsolicited messages", async () => {
  const sw = await fakeSwitch([1, 4, 6], standard);
  const unsolicited: OfMessage[] = [];
  const conn = await OfConnection.connect(`unix:${sw.path}`, { onMessage: (m) => unsolicited.push(m) });
  try {
    const f = await conn.request({ kind: "features_request" });
    assert.ok(f.kind === "features_reply" && f.datapathId === 0x1234n);
    const hello = sw.received[0];
    assert.ok(hello?.kind === "hello");
    assert.deepEqual(hello.versions, [6]);
    const parts = await conn.multipart({
      kind: "flow_stats_request",
      tableId: 255,
      outPort: 0xffff,
      outGroup: 0xffffffff,
      cookie: 0n,
      cookieMask: 0n,
      match: [],
    });
    assert.equal(parts.length, 2);
    await conn.transact([flowMod(1), flowMod(2)]);
    await assert.rejects(
      conn.transact([flowMod(1), flowMod(666), flowMod(3)]),
      (e: unknown) => e instanceof OfError && e.reply.name === "OFPBAC_BAD_OUT_PORT",
    );
    // The switch's echo request is answered with its xid and data; a packet-in goes to onMessage.
    sw.send({ kind: "echo_request", xid: 77, data: Uint8Array.of(9) });
    sw.send({ kind: "packet_in2", xid: 0, packet: Uint8Array.of(1, 2, 3), userdata: Uint8Array.of(4) });
    await conn.request({ kind: "barrier_request" });
    const echoReply = sw.received.find((m) => m.kind === "echo_reply");
    assert.ok(echoReply?.kind === "echo_reply" && echoReply.xid === 77 && echoReply.data[0] === 9);
    assert.equal(unsolicited.length, 1);
    assert.equal(unsolicited[0]?.kind, "packet_in2");
    // xids are distinct.
    const xids = sw.received.filter((m) => m.kind !== "echo_reply").map((m) => m.xid);
    assert.equal(new Set(xids).size, xids.length);
  } finally {
    conn.close();
    sw.close();
  }
});

test("bundle: open, adds with the bundle's flags, commit", async () => {
  const sw = await fakeSwitch([6], standard);
  const conn = await OfConnection.connect(sw.path);
  try {
    await conn.bundle([flowMod(1), flowMod(2)], { atomic: true, ordered: true });
    const kinds = sw.received
      .filter((m) => m.kind === "bundle_control" || m.kind === "bundle_add")
      .map((m) =>
        m.kind === "bundle_control"
          ? m.type
          : m.kind === "bundle_add"
            ? `add:${m.atomic}:${m.ordered}:${m.message.xid === m.xid}`
            : "",
      );
    assert.deepEqual(kinds, ["open_request", "add:true:true:true", "add:true:true:true", "commit_request"]);
    await assert.rejects(conn.bundle([flowMod(666)]), (e: unknown) => e instanceof OfError);
    assert.equal(sw.received.at(-1)?.kind, "bundle_control");
    const last = sw.received.at(-1);
    assert.ok(last?.kind === "bundle_control" && last.type === "discard_request");
  } finally {
    conn.close();
    sw.close();
  }
});

test("a long bundle is streamed in order; what is sent meanwhile follows its commit", async () => {
  const sw = await fakeSwitch([6], standard);
  const conn = await OfConnection.connect(sw.path);
  try {
    const n = 2000; // several chunks of the stream
    // Priorities 1000.. (the fake switch fails priority 666).
    const done = conn.bundle(
      Array.from({ length: n }, (_, i) => flowMod(1000 + i)),
      { atomic: true, ordered: true },
    );
    // Sent while the bundle is still being written: must reach the switch after the commit.
    const echoXid = conn.send({ kind: "echo_request", data: Uint8Array.of(7) });
    const barrier = conn.transact([flowMod(50_000)]);
    await done;
    await barrier;
    const seen = sw.received.filter((m) => m.kind !== "hello");
    assert.equal(seen.length, n + 5);
    const [open, ...rest] = seen;
    assert.ok(open?.kind === "bundle_control" && open.type === "open_request");
    const adds = rest.slice(0, n);
    assert.deepEqual(
      adds.map((m) =>
        m.kind === "bundle_add" && m.message.kind === "flow_mod" ? m.message.flowMod.priority : -1,
      ),
      Array.from({ length: n }, (_, i) => 1000 + i),
    );
    // xids ascend with the order the messages were given in.
    assert.ok(adds.every((m, i) => i === 0 || m.xid > (adds[i - 1]?.xid ?? 0)));
    const tail = rest.slice(n).map((m) => (m.kind === "bundle_control" ? m.type : m.kind));
    assert.deepEqual(tail, ["commit_request", "echo_request", "flow_mod", "barrier_request"]);
    assert.equal(rest[n + 1]?.xid, echoXid);
    // A short bundle afterwards still goes out at once (one write) and works.
    await conn.bundle([flowMod(3)]);
  } finally {
    conn.close();
    sw.close();
  }
});

test("a bundle of a list made when asked: each add made once as it is sent; a failed add is named", async () => {
  const sw = await fakeSwitch([6], standard);
  const conn = await OfConnection.connect(sw.path);
  try {
    const n = 700; // several chunks
    const asked: number[] = [];
    const list = {
      length: n,
      at: (i: number) => {
        asked.push(i);
        // Message 450 has the priority the fake switch refuses.
        return i < n ? flowMod(i === 450 ? 666 : 1000 + i) : undefined;
      },
    };
    await assert.rejects(
      conn.bundle(list),
      (e: unknown) =>
        e instanceof OfError &&
        e.request?.kind === "bundle_add" &&
        e.request.message.kind === "flow_mod" &&
        e.request.message.flowMod.priority === 666 &&
        e.request.message.xid === (e.request as { xid?: number }).xid,
    );
    // Each message made once to be sent (and 450 once more, for its error).
    assert.deepEqual(
      asked.slice(0, n),
      Array.from({ length: n }, (_, i) => i),
    );
    assert.deepEqual(asked.slice(n), [450]);
    // The connection goes on: the bundle was discarded and a later one works.
    await conn.bundle([flowMod(3)]);
  } finally {
    conn.close();
    sw.close();
  }
});

test("a connection closed during a streamed bundle fails it", async () => {
  const sw = await fakeSwitch([6], (m, send) => {
    // Never answers the bundle: the connection is closed under it.
    if (m.kind !== "bundle_control" && m.kind !== "bundle_add") standard(m, send);
  });
  const conn = await OfConnection.connect(sw.path);
  try {
    const done = conn.bundle(Array.from({ length: 1500 }, (_, i) => flowMod(i + 1)));
    setImmediate(() => conn.close());
    await assert.rejects(done, /closed/);
    assert.equal(conn.isClosed, true);
  } finally {
    conn.close();
    sw.close();
  }
});

test("a switch without OpenFlow 1.5 is refused with OFPHFC_INCOMPATIBLE", async () => {
  const sw = await fakeSwitch([1, 4], standard);
  try {
    await assert.rejects(OfConnection.connect(sw.path), /does not offer OpenFlow 1.5/);
    await new Promise((r) => setTimeout(r, 20));
    const err = sw.received.find((m) => m.kind === "error");
    assert.ok(err?.kind === "error" && err.name === "OFPHFC_INCOMPATIBLE");
  } finally {
    sw.close();
  }
});

test("the echo probe drops a switch that stops answering", async () => {
  const sw = await fakeSwitch([6], () => {});
  let closedWith: Error | undefined;
  const closed = new Promise<void>((resolve) => {
    void OfConnection.connect(sw.path, {
      probeIntervalMs: 30,
      onClose: (e) => {
        closedWith = e;
        resolve();
      },
    });
  });
  try {
    await closed;
    assert.match(closedWith?.message ?? "", /no echo reply/);
    assert.ok(sw.received.some((m) => m.kind === "echo_request"));
  } finally {
    sw.close();
  }
});

test("pending requests fail when the connection closes", async () => {
  const sw = await fakeSwitch([6], () => {});
  const conn = await OfConnection.connect(sw.path);
  try {
    const p = conn.request({ kind: "features_request" });
    for (const s of sw.sockets) s.destroy();
    await assert.rejects(p);
    assert.ok(conn.isClosed);
  } finally {
    sw.close();
  }
});
