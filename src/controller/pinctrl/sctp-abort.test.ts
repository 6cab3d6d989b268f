import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeFrame, encodeFrame } from "../../packet/frame.js";
import { IP_PROTO_SCTP } from "../../packet/ipv4.js";
import {
  crc32c,
  decodeSctp,
  encodeSctp,
  SCTP_ABORT_FLAG_T,
  SCTP_CHUNK_ABORT,
  SCTP_CHUNK_INIT,
  sctpChecksumOk,
} from "../../packet/sctp.js";
import { handleSctpAbort } from "./sctp-abort.js";
import { handleReject } from "./tcp-reset.js";
import type { PacketIn } from "./types.js";

const none = new Uint8Array();
const md = { tableId: 0, cookie: 0n, regs: [], metadata: 0n, inPort: 1 } as unknown as PacketIn["md"];

function ip4Sctp(l4: Uint8Array): Uint8Array {
  return encodeFrame({
    eth: { dst: "00:00:00:00:ff:01", src: "00:00:00:00:00:01", vlans: [], etherType: 0x0800, payload: none },
    l3: {
      kind: "ipv4",
      ip: {
        tos: 0,
        ident: 7,
        flags: 0,
        fragOffset: 0,
        ttl: 64,
        protocol: IP_PROTO_SCTP,
        src: "10.0.0.1",
        dst: "10.0.0.254",
        options: none,
        payload: none,
        trailer: none,
      },
      l4: { kind: "raw", bytes: l4 },
    },
  });
}

function answer(packet: Uint8Array, reject = false) {
  const r = (reject ? handleReject : handleSctpAbort)(
    { packet, action: { kind: "sctp_abort", actions: none }, md } as PacketIn,
    none,
  );
  const out = r.effects[0];
  assert.ok(out !== undefined && out.kind === "packet-out", r.counter);
  const f = decodeFrame(out.packet);
  assert.ok(f.ok && f.value.l3.kind === "ipv4" && f.value.l3.l4.kind === "raw");
  assert.ok(sctpChecksumOk(f.value.l3.l4.bytes));
  const s = decodeSctp(f.value.l3.l4.bytes);
  assert.ok(s.ok);
  return { ip: f.value.l3.ip, sctp: s.value };
}

test("CRC32c: the RFC 3720 check value and a packet that verifies", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  const p = encodeSctp({
    srcPort: 1,
    dstPort: 2,
    vtag: 3,
    chunks: [{ type: 0, flags: 3, value: Uint8Array.of(9) }],
  });
  assert.equal(p.length, 12 + 8, "chunk padded to 4 bytes");
  assert.ok(sctpChecksumOk(p));
  p[13] = 0xff;
  assert.ok(!sctpChecksumOk(p));
});

test("an INIT is aborted with its initiate tag, T bit clear, ports swapped; IP as ovn-controller's", () => {
  const init = new Uint8Array(16);
  new DataView(init.buffer).setUint32(0, 0xdeadbeef);
  const { ip, sctp } = answer(
    ip4Sctp(
      encodeSctp({
        srcPort: 5000,
        dstPort: 80,
        vtag: 0,
        chunks: [{ type: SCTP_CHUNK_INIT, flags: 0, value: init }],
      }),
    ),
  );
  assert.deepEqual([sctp.srcPort, sctp.dstPort, sctp.vtag], [80, 5000, 0xdeadbeef]);
  assert.deepEqual(sctp.chunks, [{ type: SCTP_CHUNK_ABORT, flags: 0, value: none }]);
  assert.deepEqual([ip.ttl, ip.ident, ip.src, ip.dst], [63, 0, "10.0.0.1", "10.0.0.254"]);
});

test("another chunk is aborted with the packet's own tag reflected (T bit); reject swaps the addresses", () => {
  const data = ip4Sctp(
    encodeSctp({
      srcPort: 5000,
      dstPort: 80,
      vtag: 0x1234,
      chunks: [{ type: 0, flags: 3, value: new Uint8Array(20) }],
    }),
  );
  const { sctp } = answer(data);
  assert.equal(sctp.vtag, 0x1234);
  assert.deepEqual(sctp.chunks, [{ type: SCTP_CHUNK_ABORT, flags: SCTP_ABORT_FLAG_T, value: none }]);
  const rejected = answer(data, true);
  assert.deepEqual([rejected.ip.src, rejected.ip.dst], ["10.0.0.254", "10.0.0.1"]);
});

test("random SCTP payloads never throw: an ABORT or a counted drop", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (l4) => {
      const r = handleSctpAbort(
        { packet: ip4Sctp(l4), action: { kind: "sctp_abort", actions: none }, md } as PacketIn,
        none,
      );
      if (r.counter.startsWith("drop-")) assert.deepEqual(r.effects, []);
      else assert.equal(r.effects.length, 1);
    }),
    { numRuns: 2000 },
  );
});
