// One row per field of ovs-fields(7): its width, how ovs-ofctl writes its values, and its NXM and OXM
// headers.  The wire codec (oxm.ts) and the text form (text.ts) both read this table.
//
// Header classes: NXM_OF_* is class 0x0000, NXM_NX_* 0x0001, OXM_OF_* 0x8000 (OpenFlow basic),
// OXM_OF_PKT_REG* 0x8001, experimenter OXMs class 0xffff followed by a 32-bit experimenter id.

import type { FieldName, RegIndex, TunMetadataIndex, XregIndex, XxregIndex } from "./model.js";

/** How ovs-ofctl writes a field's values (ovs-fields(7) "Format"). */
export type FieldFormat =
  | "hex"
  | "dec"
  | "eth"
  | "ipv4"
  | "ipv6"
  /** OpenFlow 1.0 port: 16-bit, names LOCAL, IN_PORT … */
  | "port"
  /** OpenFlow 1.1+ port: 32-bit on the wire, shown like "port". */
  | "port32"
  | "ct_state"
  | "tcp_flags"
  | "tun_flags"
  | "frag"
  | "packet_type";

export const ONF_EXPERIMENTER = 0x4f4e4600;
export const NX_EXPERIMENTER = 0x00002320;

/** An NXM/OXM header: class, field number and (for class 0xffff) experimenter id. */
export interface HeaderId {
  readonly cls: number;
  readonly code: number;
  readonly experimenter?: number;
  /** Its name in ovs-ofctl's subfield syntax (NXM_NX_REG0, OXM_OF_METADATA …). */
  readonly name: string;
}

export interface FieldInfo {
  readonly name: FieldName;
  /** Width in bits on the wire (tun_metadataN: the maximum, 124 bytes). */
  readonly bits: number;
  readonly format: FieldFormat;
  readonly maskable: boolean;
  readonly nxm?: HeaderId;
  readonly oxm?: HeaderId;
}

function nxm0(code: number, name: string): HeaderId {
  return { cls: 0x0000, code, name: `NXM_OF_${name}` };
}
function nxm1(code: number, name: string): HeaderId {
  return { cls: 0x0001, code, name: `NXM_NX_${name}` };
}
function oxm(code: number, name: string): HeaderId {
  return { cls: 0x8000, code, name: `OXM_OF_${name}` };
}
function onf(code: number, name: string): HeaderId {
  return { cls: 0xffff, code, experimenter: ONF_EXPERIMENTER, name: `ONFOXM_ET_${name}` };
}
function eric(code: number, name: string): HeaderId {
  return { cls: 0x1000, code, name: `ERICOXM_OF_${name}` };
}

type Row = Omit<FieldInfo, "name">;
function f(
  bits: number,
  format: FieldFormat,
  maskable: boolean,
  ids: { nxm?: HeaderId; oxm?: HeaderId } = {},
): Row {
  return { bits, format, maskable, ...ids };
}

const REGS = Object.fromEntries(
  Array.from({ length: 16 }, (_, i) => [`reg${i}`, f(32, "hex", true, { nxm: nxm1(i, `REG${i}`) })]),
) as Record<`reg${RegIndex}`, Row>;
const XREGS = Object.fromEntries(
  Array.from({ length: 8 }, (_, i) => [
    `xreg${i}`,
    f(64, "hex", true, { oxm: { cls: 0x8001, code: i, name: `OXM_OF_PKT_REG${i}` } }),
  ]),
) as Record<`xreg${XregIndex}`, Row>;
const XXREGS = Object.fromEntries(
  Array.from({ length: 4 }, (_, i) => [
    `xxreg${i}`,
    f(128, "hex", true, { nxm: nxm1(111 + i, `XXREG${i}`) }),
  ]),
) as Record<`xxreg${XxregIndex}`, Row>;
const TUN_METADATA = Object.fromEntries(
  Array.from({ length: 64 }, (_, i) => [
    `tun_metadata${i}`,
    f(992, "hex", true, { nxm: nxm1(40 + i, `TUN_METADATA${i}`) }),
  ]),
) as Record<`tun_metadata${TunMetadataIndex}`, Row>;

const ROWS: Record<FieldName, Row> = {
  in_port: f(16, "port", false, { nxm: nxm0(0, "IN_PORT") }),
  in_port_oxm: f(32, "port32", false, { oxm: oxm(0, "IN_PORT") }),
  skb_priority: f(32, "hex", false),
  pkt_mark: f(32, "hex", true, { nxm: nxm1(33, "PKT_MARK") }),
  actset_output: f(32, "port32", false, { oxm: onf(43, "ACTSET_OUTPUT") }),
  packet_type: f(32, "packet_type", false, { oxm: oxm(44, "PACKET_TYPE") }),
  metadata: f(64, "hex", true, { oxm: oxm(2, "METADATA") }),
  ...REGS,
  ...XREGS,
  ...XXREGS,
  conj_id: f(32, "dec", false, { nxm: nxm1(37, "CONJ_ID") }),
  recirc_id: f(32, "hex", false, { nxm: nxm1(36, "RECIRC_ID") }),
  dp_hash: f(32, "hex", true, { nxm: nxm1(35, "DP_HASH") }),
  tun_id: f(64, "hex", true, { nxm: nxm1(16, "TUN_ID"), oxm: oxm(38, "TUNNEL_ID") }),
  tun_src: f(32, "ipv4", true, { nxm: nxm1(31, "TUN_IPV4_SRC") }),
  tun_dst: f(32, "ipv4", true, { nxm: nxm1(32, "TUN_IPV4_DST") }),
  tun_ipv6_src: f(128, "ipv6", true, { nxm: nxm1(109, "TUN_IPV6_SRC") }),
  tun_ipv6_dst: f(128, "ipv6", true, { nxm: nxm1(110, "TUN_IPV6_DST") }),
  tun_gbp_id: f(16, "dec", true, { nxm: nxm1(38, "TUN_GBP_ID") }),
  tun_gbp_flags: f(8, "hex", true, { nxm: nxm1(39, "TUN_GBP_FLAGS") }),
  tun_flags: f(16, "tun_flags", true, { nxm: nxm1(104, "TUN_FLAGS") }),
  ...TUN_METADATA,
  ct_state: f(32, "ct_state", true, { nxm: nxm1(105, "CT_STATE") }),
  ct_zone: f(16, "dec", false, { nxm: nxm1(106, "CT_ZONE") }),
  ct_mark: f(32, "hex", true, { nxm: nxm1(107, "CT_MARK") }),
  ct_label: f(128, "hex", true, { nxm: nxm1(108, "CT_LABEL") }),
  ct_nw_proto: f(8, "dec", false, { nxm: nxm1(119, "CT_NW_PROTO") }),
  ct_nw_src: f(32, "ipv4", true, { nxm: nxm1(120, "CT_NW_SRC") }),
  ct_nw_dst: f(32, "ipv4", true, { nxm: nxm1(121, "CT_NW_DST") }),
  ct_ipv6_src: f(128, "ipv6", true, { nxm: nxm1(122, "CT_IPV6_SRC") }),
  ct_ipv6_dst: f(128, "ipv6", true, { nxm: nxm1(123, "CT_IPV6_DST") }),
  ct_tp_src: f(16, "dec", true, { nxm: nxm1(124, "CT_TP_SRC") }),
  ct_tp_dst: f(16, "dec", true, { nxm: nxm1(125, "CT_TP_DST") }),
  eth_src: f(48, "eth", true, { nxm: nxm0(2, "ETH_SRC"), oxm: oxm(4, "ETH_SRC") }),
  eth_dst: f(48, "eth", true, { nxm: nxm0(1, "ETH_DST"), oxm: oxm(3, "ETH_DST") }),
  eth_type: f(16, "hex", false, { nxm: nxm0(3, "ETH_TYPE"), oxm: oxm(5, "ETH_TYPE") }),
  vlan_tci: f(16, "hex", true, { nxm: nxm0(4, "VLAN_TCI") }),
  vlan_vid: f(16, "dec", true, { oxm: oxm(6, "VLAN_VID") }),
  vlan_pcp: f(8, "dec", false, { oxm: oxm(7, "VLAN_PCP") }),
  mpls_label: f(32, "dec", false, { oxm: oxm(34, "MPLS_LABEL") }),
  mpls_tc: f(8, "dec", false, { oxm: oxm(35, "MPLS_TC") }),
  mpls_bos: f(8, "dec", false, { oxm: oxm(36, "MPLS_BOS") }),
  mpls_ttl: f(8, "dec", false, { nxm: nxm1(30, "MPLS_TTL") }),
  ip_src: f(32, "ipv4", true, { nxm: nxm0(7, "IP_SRC"), oxm: oxm(11, "IPV4_SRC") }),
  ip_dst: f(32, "ipv4", true, { nxm: nxm0(8, "IP_DST"), oxm: oxm(12, "IPV4_DST") }),
  ipv6_src: f(128, "ipv6", true, { nxm: nxm1(19, "IPV6_SRC"), oxm: oxm(26, "IPV6_SRC") }),
  ipv6_dst: f(128, "ipv6", true, { nxm: nxm1(20, "IPV6_DST"), oxm: oxm(27, "IPV6_DST") }),
  ipv6_label: f(32, "hex", true, { nxm: nxm1(27, "IPV6_LABEL"), oxm: oxm(28, "IPV6_FLABEL") }),
  nw_proto: f(8, "dec", false, { nxm: nxm0(6, "IP_PROTO"), oxm: oxm(10, "IP_PROTO") }),
  nw_ttl: f(8, "dec", false, { nxm: nxm1(29, "IP_TTL") }),
  ip_frag: f(8, "frag", true, { nxm: nxm1(26, "IP_FRAG") }),
  nw_tos: f(8, "dec", false, { nxm: nxm0(5, "IP_TOS") }),
  ip_dscp: f(8, "dec", false, { oxm: oxm(8, "IP_DSCP") }),
  nw_ecn: f(8, "dec", false, { nxm: nxm1(28, "IP_ECN"), oxm: oxm(9, "IP_ECN") }),
  arp_op: f(16, "dec", false, { nxm: nxm0(15, "ARP_OP"), oxm: oxm(21, "ARP_OP") }),
  arp_spa: f(32, "ipv4", true, { nxm: nxm0(16, "ARP_SPA"), oxm: oxm(22, "ARP_SPA") }),
  arp_tpa: f(32, "ipv4", true, { nxm: nxm0(17, "ARP_TPA"), oxm: oxm(23, "ARP_TPA") }),
  arp_sha: f(48, "eth", true, { nxm: nxm1(17, "ARP_SHA"), oxm: oxm(24, "ARP_SHA") }),
  arp_tha: f(48, "eth", true, { nxm: nxm1(18, "ARP_THA"), oxm: oxm(25, "ARP_THA") }),
  tcp_src: f(16, "dec", true, { nxm: nxm0(9, "TCP_SRC"), oxm: oxm(13, "TCP_SRC") }),
  tcp_dst: f(16, "dec", true, { nxm: nxm0(10, "TCP_DST"), oxm: oxm(14, "TCP_DST") }),
  tcp_flags: f(16, "tcp_flags", true, { nxm: nxm1(34, "TCP_FLAGS"), oxm: onf(42, "TCP_FLAGS") }),
  udp_src: f(16, "dec", true, { nxm: nxm0(11, "UDP_SRC"), oxm: oxm(15, "UDP_SRC") }),
  udp_dst: f(16, "dec", true, { nxm: nxm0(12, "UDP_DST"), oxm: oxm(16, "UDP_DST") }),
  sctp_src: f(16, "dec", true, { oxm: oxm(17, "SCTP_SRC") }),
  sctp_dst: f(16, "dec", true, { oxm: oxm(18, "SCTP_DST") }),
  icmp_type: f(8, "dec", false, { nxm: nxm0(13, "ICMP_TYPE"), oxm: oxm(19, "ICMPV4_TYPE") }),
  icmp_code: f(8, "dec", false, { nxm: nxm0(14, "ICMP_CODE"), oxm: oxm(20, "ICMPV4_CODE") }),
  icmpv6_type: f(8, "dec", false, { nxm: nxm1(21, "ICMPV6_TYPE"), oxm: oxm(29, "ICMPV6_TYPE") }),
  icmpv6_code: f(8, "dec", false, { nxm: nxm1(22, "ICMPV6_CODE"), oxm: oxm(30, "ICMPV6_CODE") }),
  nd_target: f(128, "ipv6", true, { nxm: nxm1(23, "ND_TARGET"), oxm: oxm(31, "IPV6_ND_TARGET") }),
  nd_sll: f(48, "eth", true, { nxm: nxm1(24, "ND_SLL"), oxm: oxm(32, "IPV6_ND_SLL") }),
  nd_tll: f(48, "eth", true, { nxm: nxm1(25, "ND_TLL"), oxm: oxm(33, "IPV6_ND_TLL") }),
  nd_reserved: f(32, "dec", false, { oxm: eric(1, "ICMPV6_ND_RESERVED") }),
  nd_options_type: f(8, "dec", false, { oxm: eric(2, "ICMPV6_ND_OPTIONS_TYPE") }),
};

/** Every field, keyed by its ovs-fields(7) name. */
export const FIELDS: Readonly<Record<FieldName, FieldInfo>> = Object.fromEntries(
  Object.entries(ROWS).map(([name, row]) => [name, { name, ...row }]),
) as Record<FieldName, FieldInfo>;

export const FIELD_NAMES: readonly FieldName[] = Object.keys(FIELDS) as FieldName[];

export function isFieldName(s: string): s is FieldName {
  return Object.hasOwn(FIELDS, s);
}

export function fieldInfo(name: FieldName): FieldInfo {
  return FIELDS[name];
}

/** fullMask's answers (asked for every field of every flow encoded or printed). */
const fullMasks = new Map<FieldName, bigint>();

/** All-ones of a field's width. */
export function fullMask(name: FieldName): bigint {
  let m = fullMasks.get(name);
  if (m === undefined) {
    m = (1n << BigInt(FIELDS[name].bits)) - 1n;
    fullMasks.set(name, m);
  }
  return m;
}

/** The name ovs-ofctl uses for a field in subfield syntax: the NXM name when there is one, else OXM. */
export function subfieldName(name: FieldName): string {
  const info = FIELDS[name];
  const id = info.nxm ?? info.oxm;
  return id === undefined ? name : id.name;
}

const BY_HEADER_NAME: ReadonlyMap<string, FieldName> = new Map(
  FIELD_NAMES.flatMap((n): [string, FieldName][] => {
    const info = FIELDS[n];
    const out: [string, FieldName][] = [];
    if (info.nxm !== undefined) out.push([info.nxm.name, n]);
    if (info.oxm !== undefined) out.push([info.oxm.name, n]);
    return out;
  }),
);

/** Aliases ovs-ofctl accepts (ovs-fields(7) "aka" names and the OpenFlow 1.0 spellings). */
export const FIELD_ALIASES: Readonly<Record<string, FieldName>> = {
  dl_src: "eth_src",
  dl_dst: "eth_dst",
  dl_type: "eth_type",
  nw_src: "ip_src",
  nw_dst: "ip_dst",
  ip_proto: "nw_proto",
  nw_frag: "ip_frag",
  ip_ecn: "nw_ecn",
  tp_src: "tcp_src",
  tp_dst: "tcp_dst",
  tunnel_id: "tun_id",
  icmpv4_type: "icmp_type",
  icmpv4_code: "icmp_code",
};

/** Resolves a field as written in ovs-ofctl text: ovs-fields name, alias, or NXM/OXM header name. */
export function lookupField(s: string): FieldName | undefined {
  if (isFieldName(s)) return s;
  const alias = Object.hasOwn(FIELD_ALIASES, s) ? FIELD_ALIASES[s] : undefined;
  if (alias !== undefined) return alias;
  return BY_HEADER_NAME.get(s);
}
