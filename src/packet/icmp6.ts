// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861) with the options OVN sends and reads:
// source/target link-layer address, prefix information, MTU, RDNSS and DNSSL (RFC 8106), route
// information (RFC 4191). An option whose structured form would not re-encode to the same bytes (odd
// lengths, non-canonical padding) is kept raw, so any decodable message re-encodes identically.
import { bytesEqual, Reader, Writer } from "./bytes.js";
import { finish, pseudoHeaderSum, sum16 } from "./checksum.js";
import { decodeDomainName, encodeDomainName } from "./dns-name.js";
import { type Decoded, fail, ok, short } from "./result.js";
import type { PseudoHeader } from "./udp.js";

export const ICMP6_DEST_UNREACH = 1;
export const ICMP6_PACKET_TOO_BIG = 2;
export const ICMP6_TIME_EXCEEDED = 3;
export const ICMP6_PARAM_PROBLEM = 4;
export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;
export const ND_ROUTER_SOLICIT = 133;
export const ND_ROUTER_ADVERT = 134;
export const ND_NEIGHBOR_SOLICIT = 135;
export const ND_NEIGHBOR_ADVERT = 136;

/** NA flags (in the top bits of the first word). */
export const ND_NA_ROUTER = 0x80000000;
export const ND_NA_SOLICITED = 0x40000000;
export const ND_NA_OVERRIDE = 0x20000000;

export interface Icmp6Message {
  readonly type: number;
  readonly code: number;
  readonly checksum?: number;
  /** Everything after the checksum. */
  readonly body: Uint8Array;
}

export function decodeIcmp6(bytes: Uint8Array): Decoded<Icmp6Message> {
  if (bytes.length < 4) return short("ICMPv6 header", 4, bytes.length);
  const r = new Reader(bytes);
  return ok({ type: r.u8(), code: r.u8(), checksum: r.u16(), body: r.rest() });
}

export function encodeIcmp6(m: Icmp6Message, ph: PseudoHeader): Uint8Array {
  const out = new Writer().u8(m.type).u8(m.code).u16(0).bytes(m.body).finish();
  const c = m.checksum ?? finish(sum16(out, pseudoHeaderSum(ph.src, ph.dst, 58, out.length)));
  out[2] = c >>> 8;
  out[3] = c & 0xff;
  return out;
}

export function icmp6ChecksumOk(bytes: Uint8Array, ph: PseudoHeader): boolean {
  return finish(sum16(bytes, pseudoHeaderSum(ph.src, ph.dst, 58, bytes.length))) === 0;
}

// ---- Neighbor Discovery options ----

export type NdOption =
  | { readonly kind: "sll"; readonly mac: string }
  | { readonly kind: "tll"; readonly mac: string }
  | {
      readonly kind: "prefix";
      readonly prefixLength: number;
      /** L (0x80), A (0x40) and the reserved bits. */
      readonly flags: number;
      readonly validLifetime: number;
      readonly preferredLifetime: number;
      readonly prefix: string;
    }
  | { readonly kind: "mtu"; readonly mtu: number }
  | { readonly kind: "rdnss"; readonly lifetime: number; readonly servers: readonly string[] }
  | { readonly kind: "dnssl"; readonly lifetime: number; readonly domains: readonly string[] }
  | {
      readonly kind: "route";
      readonly prefixLength: number;
      /** The Prf bits (01 high, 00 medium, 11 low) and the reserved bits, as the flags byte. */
      readonly flags: number;
      readonly lifetime: number;
      /** Only the significant bytes are sent (RFC 4191 §2.3); kept as a full address here. */
      readonly prefix: string;
    }
  | { readonly kind: "raw"; readonly type: number; readonly data: Uint8Array };

export const ND_OPT_SLL = 1;
export const ND_OPT_TLL = 2;
export const ND_OPT_PREFIX = 3;
export const ND_OPT_MTU = 5;
export const ND_OPT_ROUTE_INFO = 24;
export const ND_OPT_RDNSS = 25;
export const ND_OPT_DNSSL = 31;

/** Bytes of one option, its type and length bytes included; padded to whole 8-byte units. */
export function encodeNdOption(o: NdOption): Uint8Array {
  const w = new Writer();
  switch (o.kind) {
    case "sll":
    case "tll":
      w.u8(o.kind === "sll" ? ND_OPT_SLL : ND_OPT_TLL)
        .u8(1)
        .mac(o.mac);
      break;
    case "prefix":
      w.u8(ND_OPT_PREFIX).u8(4).u8(o.prefixLength).u8(o.flags).u32(o.validLifetime).u32(o.preferredLifetime);
      w.u32(0).ipv6(o.prefix);
      break;
    case "mtu":
      w.u8(ND_OPT_MTU).u8(1).u16(0).u32(o.mtu);
      break;
    case "rdnss":
      w.u8(ND_OPT_RDNSS)
        .u8(1 + 2 * o.servers.length)
        .u16(0)
        .u32(o.lifetime);
      for (const s of o.servers) w.ipv6(s);
      break;
    case "dnssl": {
      const names = new Writer();
      for (const d of o.domains) names.bytes(encodeDomainName(d));
      const padded = (names.length + 7) & ~7;
      w.u8(ND_OPT_DNSSL)
        .u8(1 + padded / 8)
        .u16(0)
        .u32(o.lifetime)
        .bytes(names.finish());
      w.zeros(padded - names.length);
      break;
    }
    case "route": {
      const units = o.prefixLength === 0 ? 1 : o.prefixLength <= 64 ? 2 : 3;
      const prefix = new Writer().ipv6(o.prefix).finish();
      w.u8(ND_OPT_ROUTE_INFO).u8(units).u8(o.prefixLength).u8(o.flags).u32(o.lifetime);
      w.bytes(prefix.subarray(0, (units - 1) * 8));
      break;
    }
    case "raw": {
      const padded = (o.data.length + 2 + 7) & ~7;
      w.u8(o.type)
        .u8(padded / 8)
        .bytes(o.data)
        .zeros(padded - 2 - o.data.length);
      break;
    }
  }
  return w.finish();
}

function structured(type: number, data: Uint8Array): NdOption | undefined {
  const r = new Reader(data);
  switch (type) {
    case ND_OPT_SLL:
    case ND_OPT_TLL:
      return data.length === 6 ? { kind: type === ND_OPT_SLL ? "sll" : "tll", mac: r.mac() } : undefined;
    case ND_OPT_PREFIX: {
      if (data.length !== 30) return undefined;
      const prefixLength = r.u8();
      const flags = r.u8();
      const validLifetime = r.u32();
      const preferredLifetime = r.u32();
      r.u32();
      return { kind: "prefix", prefixLength, flags, validLifetime, preferredLifetime, prefix: r.ipv6() };
    }
    case ND_OPT_MTU:
      if (data.length !== 6) return undefined;
      r.u16();
      return { kind: "mtu", mtu: r.u32() };
    case ND_OPT_RDNSS: {
      if (data.length < 6 || (data.length - 6) % 16 !== 0) return undefined;
      r.u16();
      const lifetime = r.u32();
      const servers: string[] = [];
      while (r.remaining >= 16) servers.push(r.ipv6());
      return { kind: "rdnss", lifetime, servers };
    }
    case ND_OPT_DNSSL: {
      if (data.length < 6) return undefined;
      r.u16();
      const lifetime = r.u32();
      const domains: string[] = [];
      let at = 6;
      while (at < data.length && data[at] !== 0) {
        const name = decodeDomainName(data, at, false);
        if (!name.ok) return undefined;
        domains.push(name.value.name);
        at = name.value.end;
      }
      return { kind: "dnssl", lifetime, domains };
    }
    case ND_OPT_ROUTE_INFO: {
      if (data.length < 6) return undefined;
      const prefixLength = r.u8();
      const flags = r.u8();
      const lifetime = r.u32();
      const full = new Uint8Array(16);
      full.set(r.rest().subarray(0, 16));
      return { kind: "route", prefixLength, flags, lifetime, prefix: new Reader(full).ipv6() };
    }
    default:
      return undefined;
  }
}

/** Decodes a list of ND options (RFC 4861 §4.6): a zero length is invalid and ends decoding. */
export function decodeNdOptions(bytes: Uint8Array): Decoded<NdOption[]> {
  const out: NdOption[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) return short("ND option", at + 2, bytes.length);
    const type = bytes[at] ?? 0;
    const len = (bytes[at + 1] ?? 0) * 8;
    if (len === 0) return fail(`ND option ${type} has length 0`);
    if (at + len > bytes.length) return short(`ND option ${type}`, at + len, bytes.length);
    const whole = bytes.subarray(at, at + len);
    const s = structured(type, whole.slice(2));
    out.push(
      s !== undefined && bytesEqual(encodeNdOption(s), whole)
        ? s
        : { kind: "raw", type, data: whole.slice(2) },
    );
    at += len;
  }
  return ok(out);
}

export function encodeNdOptions(opts: readonly NdOption[]): Uint8Array {
  const w = new Writer();
  for (const o of opts) w.bytes(encodeNdOption(o));
  return w.finish();
}

// ---- Neighbor Discovery messages (the body after the ICMPv6 checksum) ----

export type NdMessage =
  | { readonly kind: "rs"; readonly reserved: number; readonly options: readonly NdOption[] }
  | {
      readonly kind: "ra";
      readonly curHopLimit: number;
      /** M (0x80), O (0x40), Prf (0x18) and the rest of the flags byte. */
      readonly flags: number;
      readonly routerLifetime: number;
      readonly reachableTime: number;
      readonly retransTimer: number;
      readonly options: readonly NdOption[];
    }
  | {
      readonly kind: "ns";
      readonly reserved: number;
      readonly target: string;
      readonly options: readonly NdOption[];
    }
  | {
      readonly kind: "na";
      /** The first word: R/S/O flags and reserved bits. */
      readonly flags: number;
      readonly target: string;
      readonly options: readonly NdOption[];
    };

/** Decodes the body of an ND message of ICMPv6 `type` (133–136). */
export function decodeNd(type: number, body: Uint8Array): Decoded<NdMessage> {
  const r = new Reader(body);
  const fixed = type === ND_ROUTER_SOLICIT ? 4 : type === ND_ROUTER_ADVERT ? 12 : 20;
  if (type < ND_ROUTER_SOLICIT || type > ND_NEIGHBOR_ADVERT || type === 137)
    return fail(`ICMPv6 type ${type} is not Neighbor Discovery`);
  if (body.length < fixed) return short(`ND message ${type}`, fixed + 4, body.length + 4);
  const withOptions = (rest: Uint8Array): Decoded<readonly NdOption[]> => decodeNdOptions(rest);
  switch (type) {
    case ND_ROUTER_SOLICIT: {
      const reserved = r.u32();
      const o = withOptions(r.rest());
      return o.ok ? ok({ kind: "rs", reserved, options: o.value }) : o;
    }
    case ND_ROUTER_ADVERT: {
      const curHopLimit = r.u8();
      const flags = r.u8();
      const routerLifetime = r.u16();
      const reachableTime = r.u32();
      const retransTimer = r.u32();
      const o = withOptions(r.rest());
      return o.ok
        ? ok({
            kind: "ra",
            curHopLimit,
            flags,
            routerLifetime,
            reachableTime,
            retransTimer,
            options: o.value,
          })
        : o;
    }
    default: {
      const word = r.u32();
      const target = r.ipv6();
      const o = withOptions(r.rest());
      if (!o.ok) return o;
      return ok(
        type === ND_NEIGHBOR_SOLICIT
          ? { kind: "ns", reserved: word, target, options: o.value }
          : { kind: "na", flags: word, target, options: o.value },
      );
    }
  }
}

export function ndType(m: NdMessage): number {
  return { rs: ND_ROUTER_SOLICIT, ra: ND_ROUTER_ADVERT, ns: ND_NEIGHBOR_SOLICIT, na: ND_NEIGHBOR_ADVERT }[
    m.kind
  ];
}

export function encodeNd(m: NdMessage): Uint8Array {
  const w = new Writer();
  switch (m.kind) {
    case "rs":
      w.u32(m.reserved >>> 0);
      break;
    case "ra":
      w.u8(m.curHopLimit)
        .u8(m.flags)
        .u16(m.routerLifetime)
        .u32(m.reachableTime >>> 0)
        .u32(m.retransTimer >>> 0);
      break;
    case "ns":
      w.u32(m.reserved >>> 0).ipv6(m.target);
      break;
    case "na":
      w.u32(m.flags >>> 0).ipv6(m.target);
      break;
  }
  return w.bytes(encodeNdOptions(m.options)).finish();
}

/** The link-layer address option of a given kind, if present. */
export function ndLinkLayer(m: NdMessage, kind: "sll" | "tll"): string | undefined {
  for (const o of m.options) if (o.kind === kind) return o.mac;
  return undefined;
}
