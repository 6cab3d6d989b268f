// SCTP (RFC 9260) as far as OVN needs it: the common header, the chunk list, and the CRC32c checksum
// (Castagnoli polynomial, reflected; the complemented result is carried least-significant byte first,
// RFC 9260 appendix A). Frames carry SCTP as raw L4 bytes; these functions read and write them.
import { type Decoded, fail, ok, short } from "./result.js";

export const SCTP_CHUNK_INIT = 1;
export const SCTP_CHUNK_ABORT = 6;
/** ABORT's T bit: the verification tag is the receiver's own (reflected), not the peer's. */
export const SCTP_ABORT_FLAG_T = 0x01;

export interface SctpChunk {
  readonly type: number;
  readonly flags: number;
  /** The chunk's value (after its 4-byte header, before padding). */
  readonly value: Uint8Array;
}

export interface SctpPacket {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly vtag: number;
  /** As carried; encodeSctp computes it. */
  readonly checksum?: number;
  readonly chunks: readonly SctpChunk[];
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC32c of BYTES (initial value and final complement included). */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC32C_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

export function encodeSctp(p: SctpPacket): Uint8Array {
  const len = 12 + p.chunks.reduce((n, c) => n + ((4 + c.value.length + 3) & ~3), 0);
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint16(0, p.srcPort);
  v.setUint16(2, p.dstPort);
  v.setUint32(4, p.vtag >>> 0);
  let at = 12;
  for (const c of p.chunks) {
    out[at] = c.type;
    out[at + 1] = c.flags;
    v.setUint16(at + 2, 4 + c.value.length);
    out.set(c.value, at + 4);
    at += (4 + c.value.length + 3) & ~3;
  }
  v.setUint32(8, crc32c(out), true);
  return out;
}

/** The header and chunks of an SCTP packet; the checksum is reported, not verified. */
export function decodeSctp(bytes: Uint8Array): Decoded<SctpPacket> {
  if (bytes.length < 12) return short("SCTP common header", 12, bytes.length);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: SctpChunk[] = [];
  let at = 12;
  while (at + 4 <= bytes.length) {
    const length = v.getUint16(at + 2);
    if (length < 4) return fail(`SCTP chunk length ${length} is below 4`);
    if (at + length > bytes.length) return short("SCTP chunk", length, bytes.length - at);
    chunks.push({
      type: bytes[at] as number,
      flags: bytes[at + 1] as number,
      value: bytes.slice(at + 4, at + length),
    });
    at += (length + 3) & ~3;
  }
  return ok({
    srcPort: v.getUint16(0),
    dstPort: v.getUint16(2),
    vtag: v.getUint32(4),
    checksum: v.getUint32(8, true),
    chunks,
  });
}

/** Whether the packet's checksum is right. */
export function sctpChecksumOk(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const copy = bytes.slice();
  copy.fill(0, 8, 12);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true) === crc32c(copy);
}
