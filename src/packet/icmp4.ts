// ICMPv4 (RFC 792): type, code, the 4 type-specific bytes, and the rest. Echo identifiers, the
// next-hop MTU of "fragmentation needed" (RFC 1191) and the quoted datagram of errors are views on it.
import { Reader, Writer } from "./bytes.js";
import { internetChecksum } from "./checksum.js";
import { type Decoded, ok, short } from "./result.js";

export const ICMP4_ECHO_REPLY = 0;
export const ICMP4_DEST_UNREACH = 3;
export const ICMP4_ECHO_REQUEST = 8;
export const ICMP4_TIME_EXCEEDED = 11;
export const ICMP4_PARAM_PROBLEM = 12;
/** Codes of destination unreachable. */
export const ICMP4_NET_UNREACH = 0;
export const ICMP4_HOST_UNREACH = 1;
export const ICMP4_PROTO_UNREACH = 2;
export const ICMP4_PORT_UNREACH = 3;
export const ICMP4_FRAG_NEEDED = 4;

export interface Icmp4Message {
  readonly type: number;
  readonly code: number;
  readonly checksum?: number;
  /** The 4 bytes after the checksum (echo id/seq, unused, next-hop MTU …) as one number. */
  readonly rest: number;
  readonly data: Uint8Array;
}

export function decodeIcmp4(bytes: Uint8Array): Decoded<Icmp4Message> {
  if (bytes.length < 8) return short("ICMPv4 header", 8, bytes.length);
  const r = new Reader(bytes);
  return ok({ type: r.u8(), code: r.u8(), checksum: r.u16(), rest: r.u32(), data: r.rest() });
}

export function encodeIcmp4(m: Icmp4Message): Uint8Array {
  const out = new Writer()
    .u8(m.type)
    .u8(m.code)
    .u16(0)
    .u32(m.rest >>> 0)
    .bytes(m.data)
    .finish();
  const c = m.checksum ?? internetChecksum(out);
  out[2] = c >>> 8;
  out[3] = c & 0xff;
  return out;
}

export function icmp4ChecksumOk(bytes: Uint8Array): boolean {
  return internetChecksum(bytes) === 0;
}

export const echoId = (m: Icmp4Message): number => m.rest >>> 16;
export const echoSeq = (m: Icmp4Message): number => m.rest & 0xffff;
/** The next-hop MTU of a "fragmentation needed" message. */
export const fragMtu = (m: Icmp4Message): number => m.rest & 0xffff;
