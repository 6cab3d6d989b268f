// IPv6 (RFC 8200): the fixed header, then the chain of extension headers walked to the upper-layer
// protocol. Extension headers are kept as bytes so the packet re-encodes identically; a non-first
// fragment has no upper-layer header to decode, which `fragment` tells the caller.
import { Reader, Writer } from "./bytes.js";
import { type Decoded, fail, ok, short } from "./result.js";

export const IPV6_EXT_HOP_BY_HOP = 0;
export const IPV6_EXT_ROUTING = 43;
export const IPV6_EXT_FRAGMENT = 44;
export const IPV6_EXT_AH = 51;
export const IPV6_EXT_DEST_OPTS = 60;
export const IPV6_NO_NEXT_HEADER = 59;

export interface Ipv6Extension {
  /** This header's own type (the Next Header value that announced it). */
  readonly type: number;
  /** The whole header, its Next Header byte included (rewritten from the chain on encode). */
  readonly bytes: Uint8Array;
}

export interface Ipv6Packet {
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly hopLimit: number;
  readonly src: string;
  readonly dst: string;
  readonly extensions: readonly Ipv6Extension[];
  /** The protocol after the extension headers (17, 6, 58, 59 …). */
  readonly protocol: number;
  readonly payload: Uint8Array;
  readonly trailer: Uint8Array;
}

const EXTENSIONS = new Set([
  IPV6_EXT_HOP_BY_HOP,
  IPV6_EXT_ROUTING,
  IPV6_EXT_FRAGMENT,
  IPV6_EXT_AH,
  IPV6_EXT_DEST_OPTS,
]);

export function isIpv6Extension(nextHeader: number): boolean {
  return EXTENSIONS.has(nextHeader);
}

export function decodeIpv6(bytes: Uint8Array): Decoded<Ipv6Packet> {
  if (bytes.length < 40) return short("IPv6 header", 40, bytes.length);
  const r = new Reader(bytes);
  const vtf = r.u32();
  if (vtf >>> 28 !== 6) return fail(`IPv6 version is ${vtf >>> 28}`);
  const payloadLength = r.u16();
  let next = r.u8();
  const hopLimit = r.u8();
  const src = r.ipv6();
  const dst = r.ipv6();
  const end = 40 + payloadLength;
  if (bytes.length < end) return short("IPv6 packet", end, bytes.length);
  const extensions: Ipv6Extension[] = [];
  let at = 40;
  while (isIpv6Extension(next)) {
    if (at + 8 > end) return short(`IPv6 extension header ${next}`, at + 8, end);
    const nh = bytes[at] ?? 0;
    const lenByte = bytes[at + 1] ?? 0;
    // AH counts 4-byte units minus 2 (RFC 4302 §2.2); the others 8-byte units minus 1.
    const len = next === IPV6_EXT_FRAGMENT ? 8 : next === IPV6_EXT_AH ? (lenByte + 2) * 4 : (lenByte + 1) * 8;
    if (at + len > end) return short(`IPv6 extension header ${next}`, at + len, end);
    extensions.push({ type: next, bytes: bytes.slice(at, at + len) });
    next = nh;
    at += len;
  }
  return ok({
    trafficClass: (vtf >>> 20) & 0xff,
    flowLabel: vtf & 0xfffff,
    hopLimit,
    src,
    dst,
    extensions,
    protocol: next,
    payload: bytes.slice(at, end),
    trailer: bytes.slice(end),
  });
}

export function encodeIpv6(p: Ipv6Packet): Uint8Array {
  let extLen = 0;
  for (const e of p.extensions) extLen += e.bytes.length;
  const first = p.extensions[0]?.type ?? p.protocol;
  const w = new Writer()
    .u32(((6 << 28) | ((p.trafficClass & 0xff) << 20) | (p.flowLabel & 0xfffff)) >>> 0)
    .u16(extLen + p.payload.length)
    .u8(first)
    .u8(p.hopLimit)
    .ipv6(p.src)
    .ipv6(p.dst);
  p.extensions.forEach((e, i) => {
    const copy = e.bytes.slice();
    copy[0] = p.extensions[i + 1]?.type ?? p.protocol;
    w.bytes(copy);
  });
  return w.bytes(p.payload).bytes(p.trailer).finish();
}

export interface Ipv6Fragment {
  readonly offset: number;
  readonly more: boolean;
  readonly ident: number;
}

/** The fragment header's fields, if the packet has one. */
export function ipv6Fragment(p: Ipv6Packet): Ipv6Fragment | undefined {
  const f = p.extensions.find((e) => e.type === IPV6_EXT_FRAGMENT);
  if (f === undefined) return undefined;
  const r = new Reader(f.bytes, 2);
  const off = r.u16();
  return { offset: off >>> 3, more: (off & 1) === 1, ident: r.u32() };
}
