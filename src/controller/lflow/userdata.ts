// The userdata of the controller actions that hand packets to ovn-controller's packet handler
// (pinctrl).  Every one starts with an 8-byte header, the operation code as a 32-bit big-endian number
// and 4 bytes of padding, followed by what the operation needs: OpenFlow actions to run on the packet
// (arp { } and friends), the field that receives a result as NXM header + bit offset (put_dhcp_opts,
// dns_lookup), DHCP options as TLVs.  Codes and layouts are those observed in the flows the real
// ovn-controller 23.03 installs (`ovs-ofctl dump-flows` prints the bytes).

import type { OptionArg, OptionValue } from "../../actions/ast.js";
import type { DhcpOptionDef } from "../../actions/dhcp-options.js";
import { parseIpv4, parseIpv6 } from "../../expr/values.js";
import type { Subfield } from "./flow.js";
import { nxmHeader } from "./wire.js";

/** Packet-handler operations (pinctrl's dispatch key). */
export const OPCODE = {
  ARP: 0,
  PUT_ARP: 1,
  PUT_DHCP_OPTS: 2,
  ND_NA: 3,
  PUT_ND: 4,
  PUT_DHCPV6_OPTS: 5,
  DNS_LOOKUP: 6,
  LOG: 7,
  PUT_ND_RA_OPTS: 8,
  ND_NS: 9,
  ICMP: 10,
  TCP_RESET: 11,
  ND_NA_ROUTER: 12,
  PUT_ICMP4_FRAG_MTU: 13,
  ICMP4_ERROR: 14,
  EVENT: 15,
  IGMP: 16,
  BIND_VPORT: 17,
  HANDLE_SVC_CHECK: 18,
  HANDLE_DHCPV6_REPLY: 19,
  ICMP6_ERROR: 20,
  PUT_ICMP6_FRAG_MTU: 21,
  REJECT: 22,
  HANDLE_BFD_MSG: 23,
  SCTP_ABORT: 24,
  PUT_FDB: 25,
} as const;

export function header(opcode: number): number[] {
  return [0, 0, 0, opcode & 0xff, 0, 0, 0, 0];
}

function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function big(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((v >> BigInt(i * 8)) & 0xffn));
  return out;
}

/** Where a result bit goes: the NXM header of its field and the bit offset. */
export function resultField(dst: Subfield): number[] {
  return [...u32(nxmHeader(dst.field)), ...u32(dst.ofs)];
}

function flat(v: OptionValue): OptionValue[] {
  return v.kind === "set" ? v.values.flatMap(flat) : [v];
}

function utf8(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

/** A domain name in DNS wire form: length-prefixed labels, then a zero byte. */
function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split(".").filter((l) => l !== "")) {
    const b = utf8(label);
    out.push(b.length, ...b);
  }
  out.push(0);
  return out;
}

/** RFC 3442 classless static routes: prefix length, significant octets of the network, gateway. */
function staticRoutes(values: OptionValue[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < values.length; i += 2) {
    const net = values[i];
    const gw = values[i + 1];
    if (net?.kind !== "int" || gw?.kind !== "int") continue;
    const mask = net.constant.mask ?? 0xffffffffn;
    const plen = mask.toString(2).replace(/0+$/, "").length;
    out.push(plen, ...big(net.constant.value, 4).slice(0, Math.ceil(plen / 8)), ...big(gw.constant.value, 4));
  }
  return out;
}

function optionValueBytes(def: DhcpOptionDef, value: OptionValue): number[] {
  const values = flat(value);
  switch (def.type) {
    case "static_routes":
      return staticRoutes(values);
    case "domains":
      return values.flatMap((x) =>
        x.kind === "str" ? x.value.split(",").flatMap((d) => dnsName(d.trim())) : [],
      );
    default:
      break;
  }
  return values.flatMap((x): number[] => {
    if (x.kind === "str") {
      if (def.type === "host_id") {
        const ip = parseIpv4(x.value);
        if (ip !== null) return big(ip, 4);
      }
      return utf8(x.value);
    }
    if (x.kind !== "int") return [];
    const c = x.constant.value;
    switch (def.type) {
      case "bool":
      case "uint8":
        return big(c, 1);
      case "uint16":
        return big(c, 2);
      case "uint32":
      case "ipv4":
      case "host_id":
        return big(c, 4);
      case "ipv6":
        return big(c, 16);
      case "mac":
        return big(c, 6);
      default:
        return big(c, 4);
    }
  });
}

/**
 * The options ovn-controller 23.03 writes right after the offered address, in this order, whichever are
 * given (observed: its OFFER carries 67 and 253 before the other options, whatever the argument order;
 * pinctrl/dhcp4.ts picks between 67 and 254 on that order).
 */
const DHCPV4_FIRST: readonly string[] = ["bootfile_name", "bootfile_name_alt", "next_server"];

/** put_dhcp_opts: result field, the offered address (4 bytes, no code or length), then the options of
 *  DHCPV4_FIRST and every other option in argument order, each as code, length, value. */
export function dhcpv4Userdata(
  dst: Subfield,
  options: readonly OptionArg[],
  catalogue: ReadonlyMap<string, DhcpOptionDef>,
): number[] {
  const out = [...header(OPCODE.PUT_DHCP_OPTS), ...resultField(dst)];
  const offer = options.find((o) => o.name === "offerip");
  const offerDef = catalogue.get("offerip");
  if (offer !== undefined && offerDef !== undefined) out.push(...optionValueBytes(offerDef, offer.value));
  const put = (o: OptionArg): void => {
    const def = catalogue.get(o.name);
    if (def === undefined) return;
    const v = optionValueBytes(def, o.value);
    out.push(def.code & 0xff, v.length & 0xff, ...v);
  };
  for (const name of DHCPV4_FIRST) for (const o of options) if (o.name === name) put(o);
  for (const o of options) if (o.name !== "offerip" && !DHCPV4_FIRST.includes(o.name)) put(o);
  return out;
}

/** put_dhcpv6_opts: result field, then each option as 16-bit code, 16-bit length, value. */
export function dhcpv6Userdata(
  dst: Subfield,
  options: readonly OptionArg[],
  catalogue: ReadonlyMap<string, DhcpOptionDef>,
): number[] {
  const out = [...header(OPCODE.PUT_DHCPV6_OPTS), ...resultField(dst)];
  for (const o of options) {
    const def = catalogue.get(o.name);
    if (def === undefined) continue;
    const v = optionValueBytes(def, o.value);
    out.push(...u16(def.code), ...u16(v.length), ...v);
  }
  return out;
}

/** An IPv6 address constant's 16 bytes (for ND RA prefixes and the like). */
export function ipv6Bytes(s: string): number[] {
  const v = parseIpv6(s);
  return v === null ? [] : big(v, 16);
}

/**
 * put_nd_ra_opts: result field, then a Router Advertisement template (RFC 4861 §4.2) that the packet
 * handler completes: the ICMPv6 header with hop limit 255, the M/O flags from addr_mode, the router
 * preference, a router lifetime of 0xffff, then the options in the order given (source link-layer
 * address, MTU, prefix information, RDNSS).
 */
/**
 * RFC 6106 DNSSL option (type 31) as ovn-controller 23.03 writes it into the userdata: reserved, infinite
 * lifetime, each comma-separated domain as DNS labels, zero-padded to 8 bytes; nothing for no domain.
 */
function dnsslOption(list: string): number[] {
  const names = list
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "")
    .flatMap(dnsName);
  if (names.length === 0) return [];
  const body = [0, 0, 0xff, 0xff, 0xff, 0xff, ...names];
  while ((body.length + 2) % 8 !== 0) body.push(0);
  return [31, (body.length + 2) / 8, ...body];
}

/**
 * RFC 4191 Route Information option (type 24) for one "PRF-PREFIX/PLEN" entry (PRF HIGH, LOW or anything
 * else for medium): prefix length, preference bits, infinite lifetime, the prefix's first ceil(PLEN/64)
 * 8-byte words, masked.  Nothing for an entry that does not parse (C skips those too).
 */
function routeInfoOption(entry: string): number[] {
  const m = /^([^-]*)-([^/]+)\/(\d+)$/.exec(entry);
  if (m === null) return [];
  const addr = parseIpv6(m[2] as string);
  const plen = Number(m[3]);
  if (addr === null || plen > 128) return [];
  const flags = m[1] === "HIGH" ? 0x08 : m[1] === "LOW" ? 0x18 : 0;
  const words = Math.ceil(plen / 64);
  const mask = plen === 0 ? 0n : ((1n << BigInt(plen)) - 1n) << BigInt(128 - plen);
  return [24, 1 + words, plen, flags, 0xff, 0xff, 0xff, 0xff, ...big(addr & mask, 16).slice(0, words * 8)];
}

export function ndRaUserdata(dst: Subfield, options: readonly OptionArg[]): number[] {
  const get = (n: string) => options.find((o) => o.name === n)?.value;
  const str = (v: OptionValue | undefined) => (v?.kind === "str" ? v.value : "");
  const mode = str(get("addr_mode"));
  let flags = mode === "dhcpv6_stateful" ? 0x80 : mode === "dhcpv6_stateless" ? 0x40 : 0;
  const prf = str(get("router_preference"));
  if (prf === "HIGH") flags |= 0x08;
  else if (prf === "LOW") flags |= 0x18;
  const out = [...header(OPCODE.PUT_ND_RA_OPTS), ...resultField(dst)];
  out.push(134, 0, 0, 0, 255, flags, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0);
  for (const o of options) {
    const vs = flat(o.value);
    switch (o.name) {
      case "slla":
        for (const v of vs) if (v.kind === "int") out.push(1, 1, ...big(v.constant.value, 6));
        break;
      case "mtu":
        for (const v of vs) if (v.kind === "int") out.push(5, 1, 0, 0, ...big(v.constant.value, 4));
        break;
      case "prefix":
        for (const v of vs) {
          if (v.kind !== "int") continue;
          const mask = v.constant.mask ?? (1n << 128n) - 1n;
          const plen = mask.toString(2).replace(/0+$/, "").length;
          const pflags = mode === "dhcpv6_stateful" ? 0x80 : 0xc0;
          out.push(3, 4, plen, pflags, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);
          out.push(...big(v.constant.value, 16));
        }
        break;
      case "rdnss": {
        const addrs = vs.filter((v) => v.kind === "int");
        if (addrs.length === 0) break;
        out.push(25, 1 + 2 * addrs.length, 0, 0, 0xff, 0xff, 0xff, 0xff);
        for (const v of addrs) if (v.kind === "int") out.push(...big(v.constant.value, 16));
        break;
      }
      case "dnssl":
        out.push(...dnsslOption(str(o.value)));
        break;
      case "route_info":
        for (const entry of str(o.value).split(",")) out.push(...routeInfoOption(entry.trim()));
        break;
      default:
        break;
    }
  }
  return out;
}
