// IPv4 headers (RFC 791): options kept as bytes (with a lister for them), header checksum verified on
// request and computed on encode when the packet does not carry one. The payload is what the total
// length covers; bytes beyond it (Ethernet padding) are kept as `trailer`.
import { Reader, Writer } from "./bytes.js";
import { internetChecksum } from "./checksum.js";
import { type Decoded, fail, ok, short } from "./result.js";

export const IP_PROTO_ICMP = 1;
export const IP_PROTO_TCP = 6;
export const IP_PROTO_UDP = 17;
export const IP_PROTO_ICMPV6 = 58;
export const IP_PROTO_SCTP = 132;

export const IPV4_FLAG_DF = 0x2;
export const IPV4_FLAG_MF = 0x1;

export interface Ipv4Packet {
  /** DSCP and ECN, the old TOS byte. */
  readonly tos: number;
  readonly ident: number;
  /** The 3 flag bits: reserved, DF (2), MF (1). */
  readonly flags: number;
  /** In 8-byte units. */
  readonly fragOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  /** As carried; omit to have encodeIpv4 compute it. */
  readonly checksum?: number;
  readonly src: string;
  readonly dst: string;
  /** Raw options (a multiple of 4 bytes long; encodeIpv4 pads with End-of-Options otherwise). */
  readonly options: Uint8Array;
  readonly payload: Uint8Array;
  readonly trailer: Uint8Array;
}

export function decodeIpv4(bytes: Uint8Array): Decoded<Ipv4Packet> {
  if (bytes.length < 20) return short("IPv4 header", 20, bytes.length);
  const r = new Reader(bytes);
  const vihl = r.u8();
  if (vihl >>> 4 !== 4) return fail(`IPv4 version is ${vihl >>> 4}`);
  const ihl = (vihl & 0xf) * 4;
  if (ihl < 20) return fail(`IPv4 header length ${ihl} is below 20`);
  const tos = r.u8();
  const totalLength = r.u16();
  const ident = r.u16();
  const ff = r.u16();
  const ttl = r.u8();
  const protocol = r.u8();
  const checksum = r.u16();
  const src = r.ipv4();
  const dst = r.ipv4();
  if (bytes.length < ihl) return short("IPv4 header with options", ihl, bytes.length);
  if (totalLength < ihl) return fail(`IPv4 total length ${totalLength} is below the header length ${ihl}`);
  if (bytes.length < totalLength) return short("IPv4 packet", totalLength, bytes.length);
  return ok({
    tos,
    ident,
    flags: ff >>> 13,
    fragOffset: ff & 0x1fff,
    ttl,
    protocol,
    checksum,
    src,
    dst,
    options: bytes.slice(20, ihl),
    payload: bytes.slice(ihl, totalLength),
    trailer: bytes.slice(totalLength),
  });
}

export function encodeIpv4(p: Ipv4Packet): Uint8Array {
  const optLen = (p.options.length + 3) & ~3;
  const ihl = 20 + optLen;
  const w = new Writer()
    .u8(0x40 | (ihl / 4))
    .u8(p.tos)
    .u16(ihl + p.payload.length)
    .u16(p.ident)
    .u16(((p.flags & 7) << 13) | (p.fragOffset & 0x1fff))
    .u8(p.ttl)
    .u8(p.protocol)
    .u16(0)
    .ipv4(p.src)
    .ipv4(p.dst)
    .bytes(p.options)
    .zeros(optLen - p.options.length);
  const header = w.finish();
  const csum = p.checksum ?? internetChecksum(header);
  header[10] = csum >>> 8;
  header[11] = csum & 0xff;
  const out = new Uint8Array(header.length + p.payload.length + p.trailer.length);
  out.set(header);
  out.set(p.payload, header.length);
  out.set(p.trailer, header.length + p.payload.length);
  return out;
}

/** True if the header checksum of the encoded header bytes is right. */
export function ipv4HeaderChecksumOk(bytes: Uint8Array): boolean {
  const ihl = ((bytes[0] ?? 0) & 0xf) * 4;
  return bytes.length >= ihl && internetChecksum(bytes.subarray(0, ihl)) === 0;
}

export interface Ipv4Option {
  readonly type: number;
  readonly data: Uint8Array;
}

/** Lists the options (RFC 791 §3.1): End (0) stops the list, No-Op (1) has no length byte. */
export function decodeIpv4Options(options: Uint8Array): Decoded<Ipv4Option[]> {
  const out: Ipv4Option[] = [];
  let i = 0;
  while (i < options.length) {
    const type = options[i] ?? 0;
    if (type === 0) break;
    if (type === 1) {
      out.push({ type, data: new Uint8Array(0) });
      i++;
      continue;
    }
    const len = options[i + 1];
    if (len === undefined) return short(`IPv4 option ${type}`, i + 2, options.length);
    if (len < 2) return fail(`IPv4 option ${type} has length ${len}`);
    if (i + len > options.length) return short(`IPv4 option ${type}`, i + len, options.length);
    out.push({ type, data: options.slice(i + 2, i + len) });
    i += len;
  }
  return ok(out);
}
