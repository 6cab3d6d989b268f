// Open vSwitch fields that logical flows touch: the name ovs-fields(7) gives each (what set_field and
// matches print), its NXM/OXM name (what move, push and pop print) and its width.  The logical symbols
// name their field by NXM/OXM name (src/expr/symbols.ts), so this table is the bridge.

import type { FieldName } from "../../openflow/model.js";

export interface OvsField {
  /** ovs-fields(7) name, e.g. "eth_src", "xxreg0", "reg14". */
  readonly name: FieldName;
  /** NXM or OXM name, e.g. "NXM_OF_ETH_SRC". */
  readonly nxm: string;
  readonly width: number;
}

const REGS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;

const FIELDS: readonly OvsField[] = [
  ...([0, 1, 2, 3] as const).map((i) => ({
    name: `xxreg${i}` as const,
    nxm: `NXM_NX_XXREG${i}`,
    width: 128,
  })),
  ...([0, 1, 2, 3, 4, 5, 6, 7] as const).map((i) => ({
    name: `xreg${i}` as const,
    nxm: `OXM_OF_PKT_REG${i}`,
    width: 64,
  })),
  ...REGS.map((i) => ({ name: `reg${i}` as const, nxm: `NXM_NX_REG${i}`, width: 32 })),
  { name: "metadata", nxm: "OXM_OF_METADATA", width: 64 },
  { name: "in_port", nxm: "NXM_OF_IN_PORT", width: 16 },
  { name: "pkt_mark", nxm: "NXM_NX_PKT_MARK", width: 32 },
  { name: "ct_state", nxm: "NXM_NX_CT_STATE", width: 32 },
  { name: "ct_zone", nxm: "NXM_NX_CT_ZONE", width: 16 },
  { name: "ct_mark", nxm: "NXM_NX_CT_MARK", width: 32 },
  { name: "ct_label", nxm: "NXM_NX_CT_LABEL", width: 128 },
  { name: "eth_src", nxm: "NXM_OF_ETH_SRC", width: 48 },
  { name: "eth_dst", nxm: "NXM_OF_ETH_DST", width: 48 },
  { name: "eth_type", nxm: "NXM_OF_ETH_TYPE", width: 16 },
  { name: "vlan_tci", nxm: "NXM_OF_VLAN_TCI", width: 16 },
  // OXM's VLAN id: 12 bits plus the "present" bit (0x1000).
  { name: "vlan_vid", nxm: "OXM_OF_VLAN_VID", width: 13 },
  { name: "nw_proto", nxm: "NXM_OF_IP_PROTO", width: 8 },
  { name: "ip_dscp", nxm: "OXM_OF_IP_DSCP", width: 6 },
  { name: "nw_ecn", nxm: "NXM_NX_IP_ECN", width: 2 },
  { name: "nw_ttl", nxm: "NXM_NX_IP_TTL", width: 8 },
  { name: "ip_frag", nxm: "NXM_NX_IP_FRAG", width: 2 },
  { name: "ip_src", nxm: "NXM_OF_IP_SRC", width: 32 },
  { name: "ip_dst", nxm: "NXM_OF_IP_DST", width: 32 },
  { name: "ipv6_src", nxm: "NXM_NX_IPV6_SRC", width: 128 },
  { name: "ipv6_dst", nxm: "NXM_NX_IPV6_DST", width: 128 },
  { name: "ipv6_label", nxm: "NXM_NX_IPV6_LABEL", width: 20 },
  { name: "icmp_type", nxm: "NXM_OF_ICMP_TYPE", width: 8 },
  { name: "icmp_code", nxm: "NXM_OF_ICMP_CODE", width: 8 },
  { name: "icmpv6_type", nxm: "NXM_NX_ICMPV6_TYPE", width: 8 },
  { name: "icmpv6_code", nxm: "NXM_NX_ICMPV6_CODE", width: 8 },
  { name: "nd_target", nxm: "NXM_NX_ND_TARGET", width: 128 },
  { name: "nd_sll", nxm: "NXM_NX_ND_SLL", width: 48 },
  { name: "nd_tll", nxm: "NXM_NX_ND_TLL", width: 48 },
  { name: "arp_op", nxm: "NXM_OF_ARP_OP", width: 16 },
  { name: "arp_spa", nxm: "NXM_OF_ARP_SPA", width: 32 },
  { name: "arp_tpa", nxm: "NXM_OF_ARP_TPA", width: 32 },
  { name: "arp_sha", nxm: "NXM_NX_ARP_SHA", width: 48 },
  { name: "arp_tha", nxm: "NXM_NX_ARP_THA", width: 48 },
  { name: "tcp_src", nxm: "NXM_OF_TCP_SRC", width: 16 },
  { name: "tcp_dst", nxm: "NXM_OF_TCP_DST", width: 16 },
  { name: "tcp_flags", nxm: "NXM_NX_TCP_FLAGS", width: 12 },
  { name: "udp_src", nxm: "NXM_OF_UDP_SRC", width: 16 },
  { name: "udp_dst", nxm: "NXM_OF_UDP_DST", width: 16 },
  { name: "sctp_src", nxm: "OXM_OF_SCTP_SRC", width: 16 },
  { name: "sctp_dst", nxm: "OXM_OF_SCTP_DST", width: 16 },
  { name: "conj_id", nxm: "NXM_NX_CONJ_ID", width: 32 },
  { name: "tun_id", nxm: "NXM_NX_TUN_ID", width: 64 },
  // OVN maps its Geneve option (class 0x0102, type 0x80, 4 bytes) to tun_metadata0.
  { name: "tun_metadata0", nxm: "NXM_NX_TUN_METADATA0", width: 32 },
];

const BY_NXM = new Map(FIELDS.map((f) => [f.nxm, f]));
const BY_NAME = new Map<string, OvsField>(FIELDS.map((f) => [f.name, f]));

export function fieldByNxm(nxm: string): OvsField {
  const f = BY_NXM.get(nxm);
  if (f === undefined) throw new Error(`unknown OVS field ${nxm}`);
  return f;
}

export function ovsField(name: string): OvsField {
  const f = BY_NAME.get(name);
  if (f === undefined) throw new Error(`unknown OVS field ${name}`);
  return f;
}

/** A field name from text (hash_fields, "reg" + n), checked against the table. */
export function asField(name: string): FieldName {
  return ovsField(name).name;
}
