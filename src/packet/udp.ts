// UDP (RFC 768). The checksum covers a pseudo-header of the IP addresses, so encoding needs them;
// over IPv4 a zero checksum means "none" and a computed zero is sent as 0xffff.
import { Reader, Writer } from "./bytes.js";
import { finish, pseudoHeaderSum, sum16 } from "./checksum.js";
import { type Decoded, fail, ok, short } from "./result.js";

export interface UdpDatagram {
  readonly srcPort: number;
  readonly dstPort: number;
  /** As carried; omit to have encodeUdp compute it. */
  readonly checksum?: number;
  readonly payload: Uint8Array;
}

/** The IP addresses (4 or 16 bytes each) that an upper-layer checksum covers. */
export interface PseudoHeader {
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
}

export function decodeUdp(bytes: Uint8Array): Decoded<UdpDatagram> {
  if (bytes.length < 8) return short("UDP header", 8, bytes.length);
  const r = new Reader(bytes);
  const srcPort = r.u16();
  const dstPort = r.u16();
  const length = r.u16();
  const checksum = r.u16();
  if (length < 8) return fail(`UDP length ${length} is below 8`);
  if (length > bytes.length) return short("UDP datagram", length, bytes.length);
  // The IP layer already cut off link padding; a UDP length shorter than the IP payload is kept honest
  // by the re-encoded length, so such a datagram is reported rather than silently shortened.
  if (length !== bytes.length)
    return fail(`UDP length ${length} differs from the IP payload (${bytes.length})`);
  return ok({ srcPort, dstPort, checksum, payload: bytes.slice(8) });
}

export function encodeUdp(u: UdpDatagram, ph: PseudoHeader): Uint8Array {
  const len = 8 + u.payload.length;
  const w = new Writer().u16(u.srcPort).u16(u.dstPort).u16(len).u16(0).bytes(u.payload);
  const out = w.finish();
  let c = u.checksum;
  if (c === undefined) {
    c = finish(sum16(out, pseudoHeaderSum(ph.src, ph.dst, 17, len)));
    if (c === 0) c = 0xffff;
  }
  out[6] = c >>> 8;
  out[7] = c & 0xff;
  return out;
}

/** True if the checksum is right (or absent, which IPv4 allows). */
export function udpChecksumOk(bytes: Uint8Array, ph: PseudoHeader): boolean {
  if (ph.src.length === 4 && bytes[6] === 0 && bytes[7] === 0) return true;
  return finish(sum16(bytes, pseudoHeaderSum(ph.src, ph.dst, 17, bytes.length))) === 0;
}
