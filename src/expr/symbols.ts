// The symbol table of OVN 23.03's logical-flow language: every field, subfield and predicate that a
// match or an action may name, with its width, level of measurement, prerequisites, whether actions
// may write it, and the Open vSwitch field it lives in.
//
// Contents were established from ovn-sb(5) and by asking the real 23.03 tools (ovn-trace prints the
// width of a field when a constant is too wide, names the nominal fields, refuses writes to read-only
// ones, and prints the expansion of predicates and prerequisites).  Logical registers are subfields of
// the 128-bit xxregs exactly as in OVN: reg0 is xxreg0[96..127], reg8 is xreg4[32..63].

/** How a symbol may be compared (ovn-sb(5) "Level of Measurement"). */
export type Level = "ordinal" | "nominal" | "boolean";

/** Whether an action may assign to the symbol: anywhere, only inside `ct_commit { }`, or never. */
export type Writability = "rw" | "ct_commit" | "ro";

interface SymbolBase {
  readonly name: string;
  /** Expression that must hold whenever the symbol is used (ovn-sb(5) "Prerequisites"). */
  readonly prereqs: string | null;
  readonly rw: Writability;
}

/** A whole packet or metadata field. */
export interface IntFieldSymbol extends SymbolBase {
  readonly kind: "field";
  readonly width: number;
  readonly level: "ordinal" | "nominal";
  /** The OpenFlow/NXM field the controller will match or set. */
  readonly ovsField: string;
}

/** A logical port name carried as an integer key in a register (inport, outport). */
export interface StringFieldSymbol extends SymbolBase {
  readonly kind: "string";
  readonly ovsField: string;
}

/** A named range of bits of an ordinal field. */
export interface SubfieldSymbol extends SymbolBase {
  readonly kind: "subfield";
  readonly parent: string;
  readonly lo: number;
  readonly hi: number;
  readonly width: number;
  /** The OpenFlow/NXM field that holds exactly these bits, where there is one (reg0 → NXM_NX_REG0). */
  readonly ovsField: string | null;
}

/** Shorthand for a Boolean expression; behaves like a 1-bit field in comparisons. */
export interface PredicateSymbol {
  readonly kind: "predicate";
  readonly name: string;
  readonly expansion: string;
  readonly level: "nominal" | "boolean";
  readonly width: 1;
}

/** A field OpenFlow cannot set that OVN's controller implements itself (icmp4.frag_mtu). */
export interface OvnFieldSymbol extends SymbolBase {
  readonly kind: "ovn-field";
  readonly width: number;
  readonly level: "nominal";
}

export type SymbolDef =
  | IntFieldSymbol
  | StringFieldSymbol
  | SubfieldSymbol
  | PredicateSymbol
  | OvnFieldSymbol;

export interface SymbolTable {
  lookup(name: string): SymbolDef | undefined;
  all(): readonly SymbolDef[];
}

// ---- Building the table -----------------------------------------------------------------------------

const defs: SymbolDef[] = [];

function field(
  name: string,
  width: number,
  ovsField: string,
  opts: { prereqs?: string; level?: "ordinal" | "nominal"; rw?: Writability } = {},
): void {
  defs.push({
    kind: "field",
    name,
    width,
    ovsField,
    prereqs: opts.prereqs ?? null,
    level: opts.level ?? "ordinal",
    rw: opts.rw ?? "rw",
  });
}

function subfield(
  name: string,
  parent: string,
  lo: number,
  hi: number,
  opts: { prereqs?: string; rw?: Writability; ovsField?: string } = {},
): void {
  defs.push({
    kind: "subfield",
    name,
    parent,
    lo,
    hi,
    width: hi - lo + 1,
    prereqs: opts.prereqs ?? null,
    rw: opts.rw ?? "rw",
    ovsField: opts.ovsField ?? null,
  });
}

function predicate(name: string, expansion: string, level: "nominal" | "boolean"): void {
  defs.push({ kind: "predicate", name, expansion, level, width: 1 });
}

// Logical registers.  OVN has ten 32-bit registers (Open vSwitch reg0..reg9); pairs form the 64-bit
// xregs and quads the 128-bit xxregs, the lower-numbered register holding the more significant bits.
// Only whole xxregs (and xreg4, which has no xxreg) are fields; the rest are subfields of them.
field("xxreg0", 128, "NXM_NX_XXREG0");
field("xxreg1", 128, "NXM_NX_XXREG1");
field("xreg4", 64, "OXM_OF_PKT_REG4");
for (let i = 0; i < 4; i++) {
  const lo = (1 - (i % 2)) * 64;
  subfield(`xreg${i}`, `xxreg${i >> 1}`, lo, lo + 63, { ovsField: `OXM_OF_PKT_REG${i}` });
}
for (let i = 0; i < 10; i++) {
  const [parent, lo] = i < 8 ? [`xxreg${i >> 2}`, (3 - (i % 4)) * 32] : ["xreg4", (9 - i) * 32];
  subfield(`reg${i}`, parent, lo, lo + 31, { ovsField: `NXM_NX_REG${i}` });
}

// Logical ports, flags and packet mark (OVN keeps these in registers 14, 15 and 10).
defs.push({ kind: "string", name: "inport", prereqs: null, rw: "rw", ovsField: "NXM_NX_REG14" });
defs.push({ kind: "string", name: "outport", prereqs: null, rw: "rw", ovsField: "NXM_NX_REG15" });
field("flags", 32, "NXM_NX_REG10");
subfield("flags.loopback", "flags", 0, 0);
subfield("flags.force_snat_for_dnat", "flags", 2, 2);
subfield("flags.force_snat_for_lb", "flags", 3, 3);
subfield("flags.skip_snat_for_lb", "flags", 9, 9);
subfield("flags.use_snat_zone", "flags", 11, 11);
field("pkt.mark", 32, "NXM_NX_PKT_MARK");

// Connection tracking.  ct_mark and ct_label may only be written inside ct_commit { }.
field("ct_state", 32, "NXM_NX_CT_STATE", { rw: "ro" });
field("ct_mark", 32, "NXM_NX_CT_MARK", { rw: "ct_commit" });
field("ct_label", 128, "NXM_NX_CT_LABEL", { rw: "ct_commit" });
subfield("ct_mark.blocked", "ct_mark", 0, 0, { rw: "ct_commit" });
subfield("ct_mark.natted", "ct_mark", 1, 1, { rw: "ct_commit" });
subfield("ct_mark.skip_snat", "ct_mark", 2, 2, { rw: "ct_commit" });
subfield("ct_mark.force_snat", "ct_mark", 3, 3, { rw: "ct_commit" });
subfield("ct_mark.ecmp_reply_port", "ct_mark", 16, 31, { rw: "ct_commit" });
subfield("ct_label.blocked", "ct_label", 0, 0, { rw: "ct_commit" });
subfield("ct_label.natted", "ct_label", 1, 1, { rw: "ct_commit" });
subfield("ct_label.skip_snat", "ct_label", 2, 2, { rw: "ct_commit" });
subfield("ct_label.force_snat", "ct_label", 3, 3, { rw: "ct_commit" });
subfield("ct_label.ecmp_reply_eth", "ct_label", 32, 79, { rw: "ct_commit" });
subfield("ct_label.ecmp_reply_port", "ct_label", 80, 95, { rw: "ct_commit" });
subfield("ct_label.label", "ct_label", 96, 127, { rw: "ct_commit" });
// ct_state bits, as in Open vSwitch's CS_* flags; all but ct.trk require ct.trk.
subfield("ct.trk", "ct_state", 5, 5, { rw: "ro" });
for (const [name, bit] of [
  ["new", 0],
  ["est", 1],
  ["rel", 2],
  ["rpl", 3],
  ["inv", 4],
  ["snat", 6],
  ["dnat", 7],
] as const) {
  subfield(`ct.${name}`, "ct_state", bit, bit, { prereqs: "ct.trk", rw: "ro" });
}

// Ethernet and VLAN.
field("eth.src", 48, "NXM_OF_ETH_SRC");
field("eth.dst", 48, "NXM_OF_ETH_DST");
field("eth.type", 16, "NXM_OF_ETH_TYPE", { level: "nominal", rw: "ro" });
predicate("eth.bcast", "eth.dst == ff:ff:ff:ff:ff:ff", "boolean");
predicate("eth.mcast", "eth.dst[40]", "boolean");
predicate("eth.mcastv6", "eth.dst[32..47] == 0x3333", "boolean");
field("vlan.tci", 16, "NXM_OF_VLAN_TCI");
predicate("vlan.present", "vlan.tci[12]", "boolean");
subfield("vlan.pcp", "vlan.tci", 13, 15, { prereqs: "vlan.present" });
subfield("vlan.vid", "vlan.tci", 0, 11, { prereqs: "vlan.present" });

// IP.
predicate("ip4", "eth.type == 0x800", "nominal");
predicate("ip6", "eth.type == 0x86dd", "nominal");
predicate("ip", "ip4 || ip6", "nominal");
field("ip.proto", 8, "NXM_OF_IP_PROTO", { prereqs: "ip", level: "nominal", rw: "ro" });
field("ip.dscp", 6, "OXM_OF_IP_DSCP", { prereqs: "ip", level: "nominal" });
field("ip.ecn", 2, "NXM_NX_IP_ECN", { prereqs: "ip", level: "nominal" });
field("ip.ttl", 8, "NXM_NX_IP_TTL", { prereqs: "ip", level: "nominal" });
field("ip.frag", 2, "NXM_NX_IP_FRAG", { prereqs: "ip", rw: "ro" });
predicate("ip.is_frag", "ip.frag[0]", "boolean");
predicate("ip.later_frag", "ip.frag[1]", "boolean");
predicate("ip.first_frag", "ip.is_frag && !ip.later_frag", "boolean");
field("ip4.src", 32, "NXM_OF_IP_SRC", { prereqs: "ip4" });
field("ip4.dst", 32, "NXM_OF_IP_DST", { prereqs: "ip4" });
predicate("ip4.src_mcast", "ip4.src[28..31] == 0xe", "boolean");
predicate("ip4.mcast", "eth.mcast && ip4.dst[28..31] == 0xe", "boolean");
field("ip6.src", 128, "NXM_NX_IPV6_SRC", { prereqs: "ip6" });
field("ip6.dst", 128, "NXM_NX_IPV6_DST", { prereqs: "ip6" });
field("ip6.label", 20, "NXM_NX_IPV6_LABEL", { prereqs: "ip6" });
predicate("ip6.mcast_rsvd", "ip6.dst[116..127] == 0xff0 && ip6.dst[0..111] == 0x0", "boolean");
predicate("ip6.mcast_all_nodes", "ip6.dst == ff01::1 || ip6.dst == ff02::1", "boolean");
predicate("ip6.mcast_all_rtrs", "ip6.dst == ff01::2 || ip6.dst == ff02::2 || ip6.dst == ff05::2", "boolean");
predicate("ip6.mcast_sol_node", "ip6.dst == ff02::1:ff00:0000/104", "boolean");
predicate(
  "ip6.mcast_flood",
  "eth.mcastv6 && (ip6.mcast_rsvd || ip6.mcast_all_nodes || ip6.mcast_all_rtrs || ip6.mcast_sol_node)",
  "boolean",
);
predicate("ip6.mcast", "eth.mcastv6 && ip6.dst[120..127] == 0xff", "boolean");

// ICMP, IGMP, MLD, neighbour discovery.
predicate("icmp4", "ip4 && ip.proto == 1", "nominal");
field("icmp4.type", 8, "NXM_OF_ICMP_TYPE", { prereqs: "icmp4", level: "nominal" });
field("icmp4.code", 8, "NXM_OF_ICMP_CODE", { prereqs: "icmp4", level: "nominal" });
predicate("igmp", "ip4 && ip.proto == 2", "nominal");
predicate("icmp6", "ip6 && ip.proto == 58", "nominal");
field("icmp6.type", 8, "NXM_NX_ICMPV6_TYPE", { prereqs: "icmp6", level: "nominal" });
field("icmp6.code", 8, "NXM_NX_ICMPV6_CODE", { prereqs: "icmp6", level: "nominal" });
predicate("icmp", "icmp4 || icmp6", "nominal");
defs.push({
  kind: "ovn-field",
  name: "icmp4.frag_mtu",
  width: 16,
  level: "nominal",
  prereqs: null,
  rw: "rw",
});
defs.push({
  kind: "ovn-field",
  name: "icmp6.frag_mtu",
  width: 32,
  level: "nominal",
  prereqs: null,
  rw: "rw",
});
predicate("mldv1", "ip6.src == fe80::/10 && icmp6.type == {130, 131, 132}", "nominal");
predicate("mldv2", "ip6.dst == ff02::16 && icmp6.type == 143", "nominal");
predicate("nd", "icmp6.type == {135, 136} && icmp6.code == 0 && ip.ttl == 255", "nominal");
predicate("nd_ns", "icmp6.type == 135 && icmp6.code == 0 && ip.ttl == 255", "nominal");
predicate("nd_na", "icmp6.type == 136 && icmp6.code == 0 && ip.ttl == 255", "nominal");
predicate("nd_rs", "icmp6.type == 133 && icmp6.code == 0 && ip.ttl == 255", "nominal");
predicate("nd_ra", "icmp6.type == 134 && icmp6.code == 0 && ip.ttl == 255", "nominal");
field("nd.target", 128, "NXM_NX_ND_TARGET", { prereqs: "nd" });
field("nd.sll", 48, "NXM_NX_ND_SLL", { prereqs: "nd_ns" });
field("nd.tll", 48, "NXM_NX_ND_TLL", { prereqs: "nd_na" });

// ARP and RARP (RARP uses the same OpenFlow fields).
predicate("arp", "eth.type == 0x806", "nominal");
predicate("rarp", "eth.type == 0x8035", "nominal");
for (const proto of ["arp", "rarp"] as const) {
  field(`${proto}.op`, 16, "NXM_OF_ARP_OP", { prereqs: proto, level: "nominal" });
  field(`${proto}.spa`, 32, "NXM_OF_ARP_SPA", { prereqs: proto });
  field(`${proto}.tpa`, 32, "NXM_OF_ARP_TPA", { prereqs: proto });
  field(`${proto}.sha`, 48, "NXM_NX_ARP_SHA", { prereqs: proto });
  field(`${proto}.tha`, 48, "NXM_NX_ARP_THA", { prereqs: proto });
}

// Transport.
predicate("tcp", "ip.proto == 6", "nominal");
field("tcp.src", 16, "NXM_OF_TCP_SRC", { prereqs: "tcp" });
field("tcp.dst", 16, "NXM_OF_TCP_DST", { prereqs: "tcp" });
field("tcp.flags", 12, "NXM_NX_TCP_FLAGS", { prereqs: "tcp", rw: "ro" });
predicate("udp", "ip.proto == 17", "nominal");
field("udp.src", 16, "NXM_OF_UDP_SRC", { prereqs: "udp" });
field("udp.dst", 16, "NXM_OF_UDP_DST", { prereqs: "udp" });
predicate("sctp", "ip.proto == 132", "nominal");
field("sctp.src", 16, "OXM_OF_SCTP_SRC", { prereqs: "sctp" });
field("sctp.dst", 16, "OXM_OF_SCTP_DST", { prereqs: "sctp" });

const byName = new Map<string, SymbolDef>(defs.map((d) => [d.name, d]));

/** OVN 23.03's symbol table. */
export const OVN_SYMBOLS: SymbolTable = {
  lookup: (name) => byName.get(name),
  all: () => defs,
};

/** Width in bits of an integer symbol (1 for predicates); strings have none. */
export function symbolWidth(s: SymbolDef): number | null {
  return s.kind === "string" ? null : s.width;
}

/** The level of measurement, as used by the type checks of comparisons. */
export function symbolLevel(s: SymbolDef): Level {
  switch (s.kind) {
    case "field":
      return s.level;
    case "string":
    case "ovn-field":
      return "nominal";
    case "subfield":
      return "ordinal";
    case "predicate":
      return s.level;
  }
}

/** Resolves a symbol to the whole field it is part of and the bits it occupies there. */
export function baseField(
  table: SymbolTable,
  s: SymbolDef,
): { field: IntFieldSymbol | OvnFieldSymbol; lo: number; hi: number } | null {
  let cur: SymbolDef | undefined = s;
  let lo = 0;
  while (cur !== undefined && cur.kind === "subfield") {
    lo += cur.lo;
    cur = table.lookup(cur.parent);
  }
  if (cur === undefined || (cur.kind !== "field" && cur.kind !== "ovn-field")) return null;
  const width = s.kind === "subfield" ? s.width : cur.width;
  return { field: cur, lo, hi: lo + width - 1 };
}
