// A match in ovs-ofctl's text.  The printer writes fields in the order ovs-ofctl does (observed from
// `ovs-ofctl -O OpenFlow15 parse-flow` and `dump-flows` of Open vSwitch 3.1), not in the order they
// were given:
//   priority, pkt_mark, recirc_id, dp_hash, conj_id, skb_priority, actset_output, ct_state, ct_zone,
//   ct_mark, ct_label, ct_nw_src, ct_nw_dst, ct_ipv6_src, ct_ipv6_dst, ct_nw_proto, ct_tp_src,
//   ct_tp_dst, packet_type, the protocol (ip, tcp6, arp …), reg0…reg15 (xreg/xxreg are
//   written as their 32-bit halves), tun_id, tun_src, tun_dst, tun_ipv6_src, tun_ipv6_dst,
//   tun_gbp_id, tun_gbp_flags, tun_flags, tun_metadata0…63, metadata, in_port, vlan (dl_vlan,
//   dl_vlan_pcp or vlan_tci), dl_src, dl_dst, dl_type=0x… (when no shorthand names it), mpls,
//   nw_src/ipv6_src/arp_spa, nw_dst/ipv6_dst/arp_tpa,
//   ipv6_label, nw_proto/arp_op, arp_sha, arp_tha, nw_tos, nw_ecn, nw_ttl, nw_frag, tp_src, tp_dst
//   (icmp_type, icmp_code for ICMP), tcp_flags, nd_target, nd_sll, nd_tll, nd_reserved,
//   nd_options_type.

import { FIELD_NAMES, fullMask, lookupField } from "./fields.js";
import type { FieldName, MatchField } from "./model.js";
import { formatMatchValue, hex, parseFieldValue, parseNumber } from "./text-values.js";

const ETH_IP = 0x0800n;
const ETH_IPV6 = 0x86ddn;
const ETH_ARP = 0x0806n;
const ETH_RARP = 0x8035n;
const ETH_MPLS = 0x8847n;
const ETH_MPLSM = 0x8848n;

interface Slot {
  value: bigint;
  mask: bigint | undefined;
}

/** Protocol shorthands: [name, eth_type, nw_proto or null]. */
export const PROTOCOLS: ReadonlyArray<readonly [string, bigint, bigint | null]> = [
  ["ip", ETH_IP, null],
  ["ipv6", ETH_IPV6, null],
  ["icmp", ETH_IP, 1n],
  ["icmp6", ETH_IPV6, 58n],
  ["tcp", ETH_IP, 6n],
  ["tcp6", ETH_IPV6, 6n],
  ["udp", ETH_IP, 17n],
  ["udp6", ETH_IPV6, 17n],
  ["sctp", ETH_IP, 132n],
  ["sctp6", ETH_IPV6, 132n],
  ["arp", ETH_ARP, null],
  ["rarp", ETH_RARP, null],
  ["mpls", ETH_MPLS, null],
  ["mplsm", ETH_MPLSM, null],
];

const META_ORDER: readonly FieldName[] = [
  "pkt_mark",
  "recirc_id",
  "dp_hash",
  "conj_id",
  "skb_priority",
  "actset_output",
  "ct_state",
  "ct_zone",
  "ct_mark",
  "ct_label",
  "ct_nw_src",
  "ct_nw_dst",
  "ct_ipv6_src",
  "ct_ipv6_dst",
  "ct_nw_proto",
  "ct_tp_src",
  "ct_tp_dst",
  "packet_type",
];

const TUN_ORDER: readonly FieldName[] = [
  "tun_id",
  "tun_src",
  "tun_dst",
  "tun_ipv6_src",
  "tun_ipv6_dst",
  "tun_gbp_id",
  "tun_gbp_flags",
  "tun_flags",
  ...Array.from({ length: 64 }, (_, i) => `tun_metadata${i}` as FieldName),
];

/** Splits xregN / xxregN into the 32-bit registers ovs-ofctl prints. */
/** The 64- and 128-bit register views: name, first 32-bit register, how many (made once: this is
 *  asked for every flow keyed or printed). */
const WIDE_REGISTERS: ReadonlyArray<readonly [FieldName, number, number]> = [
  ...Array.from({ length: 8 }, (_, i) => [`xreg${i}` as FieldName, i * 2, 2] as const),
  ...Array.from({ length: 4 }, (_, i) => [`xxreg${i}` as FieldName, i * 4, 4] as const),
];

function splitWideRegisters(slots: Map<FieldName, Slot>): void {
  for (let w = 0; w < WIDE_REGISTERS.length; w++) {
    const [name, first, count] = WIDE_REGISTERS[w] as readonly [FieldName, number, number];
    const s = slots.get(name);
    if (s === undefined) continue;
    slots.delete(name);
    const m = s.mask ?? fullMask(name);
    for (let k = 0; k < count; k++) {
      const shift = BigInt((count - 1 - k) * 32);
      const part = (m >> shift) & 0xffffffffn;
      if (part === 0n) continue;
      const reg = `reg${first + k}` as FieldName;
      const v = (s.value >> shift) & part;
      mergeSlot(slots, reg, v, part);
    }
  }
}

function mergeSlot(slots: Map<FieldName, Slot>, field: FieldName, value: bigint, mask: bigint): void {
  const full = fullMask(field);
  const prev = slots.get(field);
  const pm = prev === undefined ? 0n : (prev.mask ?? full);
  const m = pm | mask;
  const v = ((prev?.value ?? 0n) & ~mask) | (value & mask);
  slots.set(field, { value: v, mask: m === full ? undefined : m });
}

function vlanText(value: bigint, mask: bigint | undefined): string {
  const m = mask ?? 0xffffn;
  const cfi = 0x1000n;
  const vidMask = m & 0x0fffn;
  const pcpMask = m & 0xe000n;
  if (
    (m & cfi) !== 0n &&
    (value & cfi) !== 0n &&
    (vidMask === 0n || vidMask === 0xfffn) &&
    (pcpMask === 0n || pcpMask === 0xe000n) &&
    (vidMask !== 0n || pcpMask !== 0n)
  ) {
    const parts: string[] = [];
    if (vidMask !== 0n) parts.push(`dl_vlan=${value & 0xfffn}`);
    if (pcpMask !== 0n) parts.push(`dl_vlan_pcp=${(value >> 13n) & 7n}`);
    return parts.join(",");
  }
  const pad = (x: bigint): string => `0x${x.toString(16).padStart(4, "0")}`;
  return m === 0xffffn ? `vlan_tci=${pad(value)}` : `vlan_tci=${pad(value)}/${pad(m)}`;
}

function ipv6LabelText(value: bigint, mask: bigint | undefined): string {
  const pad = (x: bigint): string => `0x${x.toString(16).padStart(5, "0")}`;
  const m = mask ?? 0xfffffn;
  return (m & 0xfffffn) === 0xfffffn ? `ipv6_label=${pad(value)}` : `ipv6_label=${pad(value)}/${pad(m)}`;
}

/**
 * The match part of a flow as ovs-ofctl writes it: `priority=N` first unless it is the default
 * 32768, then the fields in ovs-ofctl's order, comma separated.  Empty string for an empty match at
 * the default priority.
 */
export function formatMatch(match: readonly MatchField[], priority = 0x8000): string {
  const slots = matchSlots(match);
  const out: string[] = [];
  if (priority !== 0x8000) out.push(`priority=${priority}`);
  const take = (f: FieldName, name: string = f): void => {
    const s = slots.get(f);
    if (s === undefined) return;
    slots.delete(f);
    out.push(`${name}=${formatMatchValue(f, s.value, s.mask)}`);
  };
  for (const f of META_ORDER) take(f);

  const ethType = slots.get("eth_type");
  const proto = slots.get("nw_proto");
  let l3: "ip" | "ipv6" | "arp" | "other" = "other";
  let lateDlType: string | undefined;
  if (ethType !== undefined && ethType.mask === undefined) {
    slots.delete("eth_type");
    const et = ethType.value;
    l3 =
      et === ETH_IP ? "ip" : et === ETH_IPV6 ? "ipv6" : et === ETH_ARP || et === ETH_RARP ? "arp" : "other";
    const exactProto = proto !== undefined && proto.mask === undefined ? proto.value : null;
    const withProto = PROTOCOLS.find(([, e, p]) => e === et && p !== null && p === exactProto);
    const plain = PROTOCOLS.find(([, e, p]) => e === et && p === null);
    if (withProto !== undefined) {
      slots.delete("nw_proto");
      out.push(withProto[0]);
    } else if (plain !== undefined) {
      out.push(plain[0]);
    } else {
      // Without a shorthand, ovs-ofctl writes dl_type after the Ethernet addresses.
      lateDlType = `dl_type=0x${et.toString(16).padStart(4, "0")}`;
    }
  }
  for (let i = 0; i < 16; i++) take(`reg${i}` as FieldName);
  for (const f of TUN_ORDER) take(f);
  take("metadata");
  take("in_port");
  const vlan = slots.get("vlan_tci");
  if (vlan !== undefined) {
    slots.delete("vlan_tci");
    out.push(vlanText(vlan.value, vlan.mask));
  }
  take("vlan_vid");
  take("vlan_pcp");
  take("eth_src", "dl_src");
  take("eth_dst", "dl_dst");
  if (lateDlType !== undefined) out.push(lateDlType);
  take("mpls_label");
  take("mpls_tc");
  take("mpls_ttl");
  take("mpls_bos");
  if (l3 === "arp") {
    take("arp_spa");
    take("arp_tpa");
    take("arp_op");
    take("arp_sha");
    take("arp_tha");
  }
  take("ip_src", "nw_src");
  take("ip_dst", "nw_dst");
  take("ipv6_src");
  take("ipv6_dst");
  const label = slots.get("ipv6_label");
  if (label !== undefined) {
    slots.delete("ipv6_label");
    out.push(ipv6LabelText(label.value, label.mask));
  }
  take("nw_proto");
  take("nw_tos");
  take("ip_dscp");
  take("nw_ecn");
  take("nw_ttl");
  take("ip_frag", "nw_frag");
  take("tcp_src", "tp_src");
  take("tcp_dst", "tp_dst");
  take("udp_src", "tp_src");
  take("udp_dst", "tp_dst");
  take("sctp_src", "tp_src");
  take("sctp_dst", "tp_dst");
  take("icmp_type");
  take("icmp_code");
  take("icmpv6_type", "icmp_type");
  take("icmpv6_code", "icmp_code");
  take("tcp_flags");
  take("nd_target");
  take("nd_sll");
  take("nd_tll");
  take("nd_reserved");
  take("nd_options_type");
  // Anything left (fields outside their usual protocol) goes last, in table order.
  for (const f of FIELD_NAMES) take(f);
  return out.join(",");
}

export type MatchParse =
  | { readonly ok: true; readonly match: MatchField[] }
  | { readonly ok: false; readonly error: string };

/** Fields whose meaning depends on the protocol (ovs-ofctl's tp_src, icmp_type …). */
function resolveContextual(
  name: string,
  ethType: bigint | undefined,
  proto: bigint | undefined,
): FieldName | undefined {
  const v6 = ethType === ETH_IPV6;
  switch (name) {
    case "tp_src":
    case "tp_dst": {
      const end = name === "tp_src" ? "src" : "dst";
      if (proto === 17n) return `udp_${end}`;
      if (proto === 132n) return `sctp_${end}`;
      return `tcp_${end}`;
    }
    case "icmp_type":
      return v6 ? "icmpv6_type" : "icmp_type";
    case "icmp_code":
      return v6 ? "icmpv6_code" : "icmp_code";
    case "nw_src":
      return ethType === ETH_ARP || ethType === ETH_RARP ? "arp_spa" : "ip_src";
    case "nw_dst":
      return ethType === ETH_ARP || ethType === ETH_RARP ? "arp_tpa" : "ip_dst";
    case "nw_proto":
      return ethType === ETH_ARP || ethType === ETH_RARP ? "arp_op" : "nw_proto";
    default:
      return undefined;
  }
}

/**
 * Parses match items (already split on commas): protocol shorthands, `field=value[/mask]` with
 * ovs-fields(7) names, aliases, NXM/OXM names, and ovs-ofctl's dl_vlan / dl_vlan_pcp / tp_src forms.
 */
export function parseMatchItems(items: readonly string[]): MatchParse {
  let ethType: bigint | undefined;
  let proto: bigint | undefined;
  for (const it of items) {
    const p = PROTOCOLS.find(([n]) => n === it);
    if (p !== undefined) {
      ethType = p[1];
      if (p[2] !== null) proto = p[2];
      continue;
    }
    const [k, v] = splitKv(it);
    if (k === "dl_type" || k === "eth_type") {
      ethType = v === undefined ? undefined : parseNumber(v);
      if (ethType === undefined || ethType > 0xffffn) return { ok: false, error: `${it}: invalid ethertype` };
    }
    if (k === "nw_proto" || k === "ip_proto") {
      proto = v === undefined ? undefined : parseNumber(v);
      if (proto === undefined || proto > 0xffn) return { ok: false, error: `${it}: invalid protocol` };
    }
  }
  const out = new Map<FieldName, Slot>();
  const put = (f: FieldName, value: bigint, mask: bigint | undefined): void => {
    mergeSlot(out, f, value, mask ?? fullMask(f));
  };
  if (ethType !== undefined) put("eth_type", ethType, undefined);
  if (proto !== undefined)
    put(ethType === ETH_ARP || ethType === ETH_RARP ? "arp_op" : "nw_proto", proto, undefined);
  for (const it of items) {
    if (PROTOCOLS.some(([n]) => n === it)) continue;
    const [k, v] = splitKv(it);
    if (v === undefined) return { ok: false, error: `field ${k} missing value` };
    if (k === "dl_type" || k === "eth_type" || k === "nw_proto" || k === "ip_proto") continue;
    if (k === "dl_vlan") {
      const n = Number(v);
      if (!Number.isInteger(n)) return { ok: false, error: `${v}: invalid dl_vlan` };
      if (n === 0xffff) put("vlan_tci", 0n, 0xffffn);
      else put("vlan_tci", 0x1000n | BigInt(n & 0xfff), 0x1fffn);
      continue;
    }
    if (k === "dl_vlan_pcp") {
      const n = Number(v);
      if (!Number.isInteger(n) || n > 7) return { ok: false, error: `${v}: invalid dl_vlan_pcp` };
      put("vlan_tci", 0x1000n | (BigInt(n) << 13n), 0xf000n);
      continue;
    }
    const f = resolveContextual(k, ethType, proto) ?? lookupField(k);
    if (f === undefined) return { ok: false, error: `${k}: unknown field` };
    const parsed = parseFieldValue(f, v);
    if (parsed === undefined) return { ok: false, error: `${v}: invalid value for field ${f}` };
    put(f, parsed.value, parsed.mask);
  }
  const match: MatchField[] = [];
  for (const [field, s] of out) {
    match.push(s.mask === undefined ? { field, value: s.value } : { field, value: s.value, mask: s.mask });
  }
  return { ok: true, match };
}

function splitKv(it: string): [string, string | undefined] {
  const eq = it.indexOf("=");
  return eq < 0 ? [it, undefined] : [it.slice(0, eq), it.slice(eq + 1)];
}

/** Equality of matches regardless of field order. */
export function matchEquals(a: readonly MatchField[], b: readonly MatchField[]): boolean {
  const key = (m: readonly MatchField[]): string =>
    m
      .map((x) => `${x.field}=${hex(x.value)}/${hex(x.mask ?? fullMask(x.field))}`)
      .sort()
      .join(",");
  return key(a) === key(b);
}

/**
 * A string equal for two matches exactly when formatMatch prints them the same: the same fields merged
 * the same way, without the printing (ovs-ofctl's field order, names, shorthands), which costs several
 * times more.  For keying flows by their match.
 */
export function matchKey(match: readonly MatchField[]): string {
  const direct = directMatchKey(match);
  if (direct !== undefined) return direct;
  const slots = matchSlots(match);
  // The fields in sorted order (insertion into a small array: the built-in sort allocates per call).
  const fields: FieldName[] = [];
  slots.forEach((_s, f) => {
    let j = fields.length;
    fields.push(f);
    for (; j > 0 && (fields[j - 1] as FieldName) > f; j--) fields[j] = fields[j - 1] as FieldName;
    fields[j] = f;
  });
  const parts: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as FieldName;
    const s = slots.get(f) as Slot;
    parts.push(f, "=", s.value.toString(16));
    if (s.mask !== undefined) parts.push("/", s.mask.toString(16));
    parts.push(",");
  }
  // join() makes one flat string; `+=` would keep a tree of pieces alive as long as the key is kept.
  return parts.join("");
}

/** Fields that matchSlots() splits or renames: a match naming one takes the general path. */
const RESHAPED: ReadonlySet<FieldName> = new Set<FieldName>([
  ...WIDE_REGISTERS.map(([name]) => name),
  "in_port_oxm",
  "ip_dscp",
]);

/** Scratch for directMatchKey (one key at a time; never escapes). */
const scratch: MatchField[] = [];

/**
 * matchKey's result without the slot map, for the common match -- each field once, none that
 * matchSlots() splits or renames -- or undefined.  Each field's slot is then its own value and mask
 * (the same arithmetic as mergeSlot() into an empty slot), so the text is the same.
 */
function directMatchKey(match: readonly MatchField[]): string | undefined {
  const fields = scratch;
  fields.length = 0;
  for (let i = 0; i < match.length; i++) {
    const mf = match[i] as MatchField;
    if (mf.mask === 0n) continue;
    if (RESHAPED.has(mf.field)) {
      fields.length = 0;
      return undefined;
    }
    // Sorted by field name as it goes (what is left of the stop is smaller); a field seen twice
    // needs merging.
    let j = fields.length;
    fields.push(mf);
    for (; j > 0; j--) {
      const prev = fields[j - 1] as MatchField;
      if (prev.field === mf.field) {
        fields.length = 0;
        return undefined;
      }
      if (prev.field < mf.field) break;
      fields[j] = prev;
    }
    fields[j] = mf;
  }
  const parts: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const mf = fields[i] as MatchField;
    const full = fullMask(mf.field);
    const m = mf.mask ?? full;
    parts.push(mf.field, "=", (mf.value & m).toString(16));
    if (m !== full) parts.push("/", m.toString(16));
    parts.push(",");
  }
  fields.length = 0;
  return parts.join("");
}

/** The match's fields merged by field, wide registers split, as formatMatch and matchKey see them. */
function matchSlots(match: readonly MatchField[]): Map<FieldName, Slot> {
  const slots = new Map<FieldName, Slot>();
  for (let i = 0; i < match.length; i++) {
    const mf = match[i] as MatchField;
    if (mf.mask === 0n) continue;
    mergeSlot(slots, mf.field, mf.value, mf.mask ?? fullMask(mf.field));
  }
  splitWideRegisters(slots);
  if (slots.has("in_port_oxm") && !slots.has("in_port")) {
    const s = slots.get("in_port_oxm");
    slots.delete("in_port_oxm");
    if (s !== undefined) slots.set("in_port", s);
  }
  // ip_dscp is shown as nw_tos (the DSCP bits in place).
  const dscp = slots.get("ip_dscp");
  if (dscp !== undefined && !slots.has("nw_tos")) {
    slots.delete("ip_dscp");
    slots.set("nw_tos", { value: (dscp.value << 2n) & 0xfcn, mask: undefined });
  }
  return slots;
}
