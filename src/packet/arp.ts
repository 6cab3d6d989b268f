// ARP for IPv4 over Ethernet (RFC 826) and RARP (RFC 903), the only hardware/protocol pair OVN uses.
import { Reader, Writer } from "./bytes.js";
import { type Decoded, fail, ok, short } from "./result.js";

export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;
export const RARP_OP_REQUEST = 3;
export const RARP_OP_REPLY = 4;

export interface ArpPacket {
  readonly op: number;
  readonly sha: string;
  readonly spa: string;
  readonly tha: string;
  readonly tpa: string;
  /** Bytes after the 28-byte body (Ethernet padding), kept so a frame re-encodes identically. */
  readonly trailer: Uint8Array;
}

export function decodeArp(bytes: Uint8Array): Decoded<ArpPacket> {
  if (bytes.length < 28) return short("ARP packet", 28, bytes.length);
  const r = new Reader(bytes);
  const htype = r.u16();
  const ptype = r.u16();
  const hlen = r.u8();
  const plen = r.u8();
  if (htype !== 1 || ptype !== 0x0800 || hlen !== 6 || plen !== 4)
    return fail(`unsupported ARP hardware/protocol ${htype}/0x${ptype.toString(16)} (${hlen}/${plen})`);
  const op = r.u16();
  const sha = r.mac();
  const spa = r.ipv4();
  const tha = r.mac();
  const tpa = r.ipv4();
  return ok({ op, sha, spa, tha, tpa, trailer: r.rest() });
}

export function encodeArp(a: ArpPacket): Uint8Array {
  return new Writer()
    .u16(1)
    .u16(0x0800)
    .u8(6)
    .u8(4)
    .u16(a.op)
    .mac(a.sha)
    .ipv4(a.spa)
    .mac(a.tha)
    .ipv4(a.tpa)
    .bytes(a.trailer)
    .finish();
}
