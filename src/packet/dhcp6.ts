// DHCPv6 (RFC 8415): client/server and relay messages with their options as (code, bytes), plus typed
// views of the options OVN uses: DUIDs, IA_NA / IA_PD with their addresses and prefixes, DNS servers
// (RFC 3646) and the domain search list.
import { Reader, Writer } from "./bytes.js";
import { decodeDomainName, encodeDomainName } from "./dns-name.js";
import { type Decoded, ok, short } from "./result.js";

export const DHCP6_SOLICIT = 1;
export const DHCP6_ADVERTISE = 2;
export const DHCP6_REQUEST = 3;
export const DHCP6_CONFIRM = 4;
export const DHCP6_RENEW = 5;
export const DHCP6_REBIND = 6;
export const DHCP6_REPLY = 7;
export const DHCP6_RELEASE = 8;
export const DHCP6_DECLINE = 9;
export const DHCP6_RECONFIGURE = 10;
export const DHCP6_INFORMATION_REQUEST = 11;
export const DHCP6_RELAY_FORW = 12;
export const DHCP6_RELAY_REPL = 13;

export const DHCP6_OPT_CLIENT_ID = 1;
export const DHCP6_OPT_SERVER_ID = 2;
export const DHCP6_OPT_IA_NA = 3;
export const DHCP6_OPT_IA_TA = 4;
export const DHCP6_OPT_IAADDR = 5;
export const DHCP6_OPT_ORO = 6;
export const DHCP6_OPT_ELAPSED_TIME = 8;
export const DHCP6_OPT_RELAY_MSG = 9;
export const DHCP6_OPT_STATUS_CODE = 13;
export const DHCP6_OPT_RAPID_COMMIT = 14;
export const DHCP6_OPT_DNS_SERVERS = 23;
export const DHCP6_OPT_DOMAIN_LIST = 24;
export const DHCP6_OPT_IA_PD = 25;
export const DHCP6_OPT_IAPREFIX = 26;
export const DHCP6_OPT_FQDN = 39;

export const DUID_LLT = 1;
export const DUID_EN = 2;
export const DUID_LL = 3;

export interface Dhcp6Option {
  readonly code: number;
  readonly data: Uint8Array;
}

export type Dhcp6Message =
  | {
      readonly kind: "client";
      readonly msgType: number;
      readonly transactionId: number;
      readonly options: readonly Dhcp6Option[];
    }
  | {
      readonly kind: "relay";
      readonly msgType: number;
      readonly hopCount: number;
      readonly linkAddress: string;
      readonly peerAddress: string;
      readonly options: readonly Dhcp6Option[];
    };

/** Decodes a run of options (each a 2-byte code, 2-byte length and data). */
export function decodeDhcp6Options(bytes: Uint8Array): Decoded<Dhcp6Option[]> {
  const out: Dhcp6Option[] = [];
  const r = new Reader(bytes);
  while (r.remaining > 0) {
    if (r.remaining < 4) return short("DHCPv6 option header", r.offset + 4, bytes.length);
    const code = r.u16();
    const len = r.u16();
    if (r.remaining < len) return short(`DHCPv6 option ${code}`, r.offset + len, bytes.length);
    out.push({ code, data: r.bytesN(len) });
  }
  return ok(out);
}

export function encodeDhcp6Options(opts: readonly Dhcp6Option[]): Uint8Array {
  const w = new Writer();
  for (const o of opts) w.u16(o.code).u16(o.data.length).bytes(o.data);
  return w.finish();
}

export function decodeDhcp6(bytes: Uint8Array): Decoded<Dhcp6Message> {
  if (bytes.length < 4) return short("DHCPv6 message", 4, bytes.length);
  const r = new Reader(bytes);
  const msgType = r.u8();
  if (msgType === DHCP6_RELAY_FORW || msgType === DHCP6_RELAY_REPL) {
    if (bytes.length < 34) return short("DHCPv6 relay message", 34, bytes.length);
    const hopCount = r.u8();
    const linkAddress = r.ipv6();
    const peerAddress = r.ipv6();
    const o = decodeDhcp6Options(r.rest());
    return o.ok ? ok({ kind: "relay", msgType, hopCount, linkAddress, peerAddress, options: o.value }) : o;
  }
  const transactionId = r.u24();
  const o = decodeDhcp6Options(r.rest());
  return o.ok ? ok({ kind: "client", msgType, transactionId, options: o.value }) : o;
}

export function encodeDhcp6(m: Dhcp6Message): Uint8Array {
  const w = new Writer().u8(m.msgType);
  if (m.kind === "relay") w.u8(m.hopCount).ipv6(m.linkAddress).ipv6(m.peerAddress);
  else w.u24(m.transactionId);
  return w.bytes(encodeDhcp6Options(m.options)).finish();
}

export function dhcp6Option(opts: readonly Dhcp6Option[], code: number): Uint8Array | undefined {
  return opts.find((o) => o.code === code)?.data;
}

// ---- typed option views ----

/** IA_NA and IA_PD share a shape (RFC 8415 §21.4, §21.21): IAID, T1, T2, sub-options. */
export interface IdentityAssociation {
  readonly iaid: number;
  readonly t1: number;
  readonly t2: number;
  readonly options: readonly Dhcp6Option[];
}

export function decodeIa(data: Uint8Array): Decoded<IdentityAssociation> {
  if (data.length < 12) return short("IA_NA/IA_PD option", 12, data.length);
  const r = new Reader(data);
  const iaid = r.u32();
  const t1 = r.u32();
  const t2 = r.u32();
  const o = decodeDhcp6Options(r.rest());
  return o.ok ? ok({ iaid, t1, t2, options: o.value }) : o;
}

export function encodeIa(ia: IdentityAssociation): Uint8Array {
  return new Writer()
    .u32(ia.iaid >>> 0)
    .u32(ia.t1 >>> 0)
    .u32(ia.t2 >>> 0)
    .bytes(encodeDhcp6Options(ia.options))
    .finish();
}

export interface IaAddress {
  readonly address: string;
  readonly preferredLifetime: number;
  readonly validLifetime: number;
  readonly options: readonly Dhcp6Option[];
}

export function decodeIaAddress(data: Uint8Array): Decoded<IaAddress> {
  if (data.length < 24) return short("IAADDR option", 24, data.length);
  const r = new Reader(data);
  const address = r.ipv6();
  const preferredLifetime = r.u32();
  const validLifetime = r.u32();
  const o = decodeDhcp6Options(r.rest());
  return o.ok ? ok({ address, preferredLifetime, validLifetime, options: o.value }) : o;
}

export function encodeIaAddress(a: IaAddress): Uint8Array {
  return new Writer()
    .ipv6(a.address)
    .u32(a.preferredLifetime >>> 0)
    .u32(a.validLifetime >>> 0)
    .bytes(encodeDhcp6Options(a.options))
    .finish();
}

export interface IaPrefix {
  readonly preferredLifetime: number;
  readonly validLifetime: number;
  readonly prefixLength: number;
  readonly prefix: string;
  readonly options: readonly Dhcp6Option[];
}

export function decodeIaPrefix(data: Uint8Array): Decoded<IaPrefix> {
  if (data.length < 25) return short("IAPREFIX option", 25, data.length);
  const r = new Reader(data);
  const preferredLifetime = r.u32();
  const validLifetime = r.u32();
  const prefixLength = r.u8();
  const prefix = r.ipv6();
  const o = decodeDhcp6Options(r.rest());
  return o.ok ? ok({ preferredLifetime, validLifetime, prefixLength, prefix, options: o.value }) : o;
}

export function encodeIaPrefix(p: IaPrefix): Uint8Array {
  return new Writer()
    .u32(p.preferredLifetime >>> 0)
    .u32(p.validLifetime >>> 0)
    .u8(p.prefixLength)
    .ipv6(p.prefix)
    .bytes(encodeDhcp6Options(p.options))
    .finish();
}

/** A DUID-LL (type 3) for an Ethernet MAC: what OVN uses as its server identifier. */
export function duidLl(mac: string): Uint8Array {
  return new Writer().u16(DUID_LL).u16(1).mac(mac).finish();
}

export function decodeDnsServers(data: Uint8Array): Decoded<string[]> {
  if (data.length % 16 !== 0)
    return short("DNS servers option", data.length + 16 - (data.length % 16), data.length);
  const r = new Reader(data);
  const out: string[] = [];
  while (r.remaining > 0) out.push(r.ipv6());
  return ok(out);
}

/** A domain list (RFC 8415 §10: uncompressed names back to back). */
export function decodeDomainList(data: Uint8Array): Decoded<string[]> {
  const out: string[] = [];
  let at = 0;
  while (at < data.length) {
    const n = decodeDomainName(data, at, false);
    if (!n.ok) return n;
    out.push(n.value.name);
    at = n.value.end;
  }
  return ok(out);
}

export function encodeDomainList(names: readonly string[]): Uint8Array {
  const w = new Writer();
  for (const n of names) w.bytes(encodeDomainName(n));
  return w.finish();
}
