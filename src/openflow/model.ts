// The OpenFlow flow model shared by the wire codec (src/openflow/*), its ovs-ofctl text form (text.ts)
// and the controller that compiles logical flows into it.  Names follow ovs-fields(7) and
// ovs-actions(7); values are bigints (MACs as 48-bit, IPv6 addresses and ct_label as 128-bit numbers)
// so that masks are plain bitwise arithmetic.  Port numbers use Open vSwitch's 16-bit view (OFPP_LOCAL
// is 0xfffe), which is what ovs-ofctl prints; the wire codec maps them to OpenFlow 1.1+'s 32-bit
// numbers.
//
// Contract: this file only grows.  Exports are never renamed or removed (other helpers build on it).

/** 0 … 15, for reg0-15. */
export type RegIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;
/** 0 … 7, for xreg0-7. */
export type XregIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** 0 … 3, for xxreg0-3. */
export type XxregIndex = 0 | 1 | 2 | 3;
type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
/** 0 … 63, for tun_metadata0-63. */
export type TunMetadataIndex = Digit | `${1 | 2 | 3 | 4 | 5}${Digit}` | `6${0 | 1 | 2 | 3}`;

/** Fields as ovs-fields(7) names them (the "Name:" of each field, not its aliases). */
export type FieldName =
  // Metadata and pipeline.
  | "in_port"
  | "in_port_oxm"
  | "skb_priority"
  | "pkt_mark"
  | "actset_output"
  | "packet_type"
  | "metadata"
  | `reg${RegIndex}`
  | `xreg${XregIndex}`
  | `xxreg${XxregIndex}`
  | "conj_id"
  | "recirc_id"
  | "dp_hash"
  // Tunnel.
  | "tun_id"
  | "tun_src"
  | "tun_dst"
  | "tun_ipv6_src"
  | "tun_ipv6_dst"
  | "tun_gbp_id"
  | "tun_gbp_flags"
  | "tun_flags"
  | `tun_metadata${TunMetadataIndex}`
  // Connection tracking.
  | "ct_state"
  | "ct_zone"
  | "ct_mark"
  | "ct_label"
  | "ct_nw_proto"
  | "ct_nw_src"
  | "ct_nw_dst"
  | "ct_ipv6_src"
  | "ct_ipv6_dst"
  | "ct_tp_src"
  | "ct_tp_dst"
  // Layer 2.
  | "eth_src"
  | "eth_dst"
  | "eth_type"
  | "vlan_tci"
  | "vlan_vid"
  | "vlan_pcp"
  | "mpls_label"
  | "mpls_tc"
  | "mpls_bos"
  | "mpls_ttl"
  // Layer 3.
  | "ip_src"
  | "ip_dst"
  | "ipv6_src"
  | "ipv6_dst"
  | "ipv6_label"
  | "nw_proto"
  | "nw_ttl"
  | "ip_frag"
  | "nw_tos"
  | "ip_dscp"
  | "nw_ecn"
  | "arp_op"
  | "arp_spa"
  | "arp_tpa"
  | "arp_sha"
  | "arp_tha"
  // Layer 4.
  | "tcp_src"
  | "tcp_dst"
  | "tcp_flags"
  | "udp_src"
  | "udp_dst"
  | "sctp_src"
  | "sctp_dst"
  | "icmp_type"
  | "icmp_code"
  | "icmpv6_type"
  | "icmpv6_code"
  | "nd_target"
  | "nd_sll"
  | "nd_tll"
  | "nd_reserved"
  | "nd_options_type";

/**
 * One constraint of a match: `(packet.field & mask) == value`.  No mask means an exact match.
 * `value` has no bits outside `mask`.  tun_metadataN values are as wide as the TLV mapping says.
 */
export interface MatchField {
  readonly field: FieldName;
  readonly value: bigint;
  readonly mask?: bigint;
}

/** A match: a conjunction of fields, each field at most once.  Order carries no meaning. */
export type Match = readonly MatchField[];

/** Bits `ofs … ofs+nBits-1` of a field: ovs-actions(7)'s `field[start..end]`. */
export interface Subfield {
  readonly field: FieldName;
  readonly ofs: number;
  readonly nBits: number;
}

// ---------------------------------------------------------------------------------------------------
// Ports (Open vSwitch's 16-bit OpenFlow 1.0 numbering; ovs-ofctl prints these names).

export const OFPP_MAX = 0xff00;
export const OFPP_UNSET = 0xfff7;
export const OFPP_IN_PORT = 0xfff8;
export const OFPP_TABLE = 0xfff9;
export const OFPP_NORMAL = 0xfffa;
export const OFPP_FLOOD = 0xfffb;
export const OFPP_ALL = 0xfffc;
export const OFPP_CONTROLLER = 0xfffd;
export const OFPP_LOCAL = 0xfffe;
/** OFPP_NONE in OpenFlow 1.0, OFPP_ANY in 1.1+. */
export const OFPP_NONE = 0xffff;
export const OFPP_ANY = 0xffff;

/** OFPTT_ALL / "no table" in table-valued fields. */
export const OFPTT_ALL = 0xff;
/** OFPG_ANY / OFPG_ALL group ids. */
export const OFPG_ALL = 0xfffffffc;
export const OFPG_ANY = 0xffffffff;
/** OFPM_* special meters. */
export const OFPM_MAX = 0xffff0000;
export const OFPM_SLOWPATH = 0xfffffffd;
export const OFPM_CONTROLLER = 0xfffffffe;
export const OFPM_ALL = 0xffffffff;
/** The "no buffer" buffer id of flow_mod and packet_out. */
export const NO_BUFFER = 0xffffffff;

// ---------------------------------------------------------------------------------------------------
// Actions (ovs-actions(7)).  OpenFlow 1.5 instructions (goto_table, write_metadata, clear_actions,
// write_actions, meter) are folded into the list the way ovs-ofctl shows them.  An empty list drops.

/** ct(nat(...)) (ovs-actions(7) "The ct action" / nat). */
export interface NatSpec {
  /** Which side is rewritten; null is bare `nat` (restore an existing connection's translation). */
  readonly kind: "src" | "dst" | null;
  /** Address range; IPv6 addresses as 128-bit values. Null when no address was given. */
  readonly addr: { readonly v6: boolean; readonly min: bigint; readonly max: bigint } | null;
  /** Port range; null when no port was given. */
  readonly ports: { readonly min: number; readonly max: number } | null;
  readonly persistent: boolean;
  readonly hash: boolean;
  readonly random: boolean;
}

/** The reasons of controller(reason=...) and of packet-ins. */
export type PacketInReason = "no_match" | "action" | "invalid_ttl" | "action_set" | "group" | "packet_out";

/** One spec of learn(...) (ovs-actions(7) "The learn action"). */
export type LearnSpec =
  /** `dst=src` or `dst` (src = dst): the learned flow matches dst against a value. */
  | { readonly kind: "match"; readonly dst: Subfield; readonly src: LearnSource }
  /** `load:src->dst`: the learned flow loads a value into dst. */
  | { readonly kind: "load"; readonly dst: Subfield; readonly src: LearnSource }
  /** `output:src`: the learned flow outputs to the port held in src. */
  | { readonly kind: "output"; readonly src: Subfield };

/** Where a learn spec's value comes from: an immediate of nBits, or a subfield of the packet. */
export type LearnSource =
  | { readonly kind: "imm"; readonly value: bigint; readonly nBits: number }
  | { readonly kind: "field"; readonly src: Subfield };

export interface LearnAction {
  readonly kind: "learn";
  readonly table: number;
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  readonly finIdleTimeout: number;
  readonly finHardTimeout: number;
  readonly priority: number;
  readonly cookie: bigint;
  /** send_flow_rem, delete_learned, write_result (NX_LEARN_F_*). */
  readonly sendFlowRem: boolean;
  readonly deleteLearned: boolean;
  /** limit=N (0 = none) and result_dst=field[bit] (NXAST_LEARN2). */
  readonly limit: number;
  readonly resultDst: Subfield | null;
  readonly specs: readonly LearnSpec[];
}

export interface CtAction {
  readonly kind: "ct";
  readonly commit: boolean;
  readonly force: boolean;
  /** Zone as an immediate or a 16-bit subfield (zone=NXM_NX_REG13[0..15]). */
  readonly zone: number | Subfield;
  /** Table to recirculate to; null = none (OVS's NX_CT_RECIRC_NONE). */
  readonly table: number | null;
  /** alg=ftp (21) / tftp (69), 0 when none. */
  readonly alg: number;
  readonly nat: NatSpec | null;
  /** exec(...): only set_field/load of ct_mark and ct_label are valid here. */
  readonly exec: readonly Action[];
}

export interface ControllerAction {
  readonly kind: "controller";
  /** Bytes of the packet to send; 0xffff (OFPCML_NO_BUFFER) means the whole packet. */
  readonly maxLen: number;
  readonly reason: PacketInReason;
  readonly controllerId: number;
  /** NX userdata (OVN's pinctrl opcode and its actions); null when none. */
  readonly userdata: Uint8Array | null;
  readonly pause: boolean;
  /** meter_id=N, null when none. */
  readonly meterId: number | null;
}

export interface MultipathAction {
  readonly kind: "multipath";
  readonly fields: HashFields;
  readonly basis: number;
  readonly algorithm: "modulo_n" | "hash_threshold" | "hrw" | "iter_hash";
  readonly maxLink: number;
  readonly arg: number;
  readonly dst: Subfield;
}

export type HashFields =
  | "eth_src"
  | "symmetric_l4"
  | "symmetric_l3l4"
  | "symmetric_l3l4+udp"
  | "nw_src"
  | "nw_dst"
  | "symmetric_l3";

export interface BundleAction {
  readonly kind: "bundle";
  readonly fields: HashFields;
  readonly basis: number;
  readonly algorithm: "active_backup" | "hrw";
  /** Member ports (OpenFlow port numbers). */
  readonly members: readonly number[];
  /** bundle_load's destination; null for plain bundle (outputs to the chosen member). */
  readonly dst: Subfield | null;
}

export interface SampleAction {
  readonly kind: "sample";
  readonly probability: number;
  readonly collectorSetId: number;
  readonly obsDomainId: number;
  readonly obsPointId: number;
  /** sampling_port=, OFPP_NONE when none. */
  readonly samplingPort: number;
  readonly direction: "default" | "ingress" | "egress";
}

export type Action =
  /** output:port (port may be IN_PORT, LOCAL, NORMAL …; "in_port" is output:IN_PORT). */
  | { readonly kind: "output"; readonly port: number; readonly maxLen?: number }
  /** output:field[]; maxLen 0xffff (the default) is the whole packet. */
  | { readonly kind: "output_reg"; readonly src: Subfield; readonly maxLen: number }
  | { readonly kind: "enqueue"; readonly port: number; readonly queue: number }
  | ControllerAction
  /** resubmit(port,table[,ct]); port OFPP_IN_PORT when omitted, table null when omitted. */
  | { readonly kind: "resubmit"; readonly port: number; readonly table: number | null; readonly ct: boolean }
  /** set_field:value[/mask]->field. */
  | { readonly kind: "set_field"; readonly field: FieldName; readonly value: bigint; readonly mask?: bigint }
  /** load:value->dst[ofs..] (NXAST_REG_LOAD), value right-aligned to the subfield. */
  | { readonly kind: "load"; readonly dst: Subfield; readonly value: bigint }
  | { readonly kind: "move"; readonly src: Subfield; readonly dst: Subfield }
  /** push:src / pop:dst (NXAST_STACK_PUSH / POP). */
  | { readonly kind: "push"; readonly src: Subfield }
  | { readonly kind: "pop"; readonly dst: Subfield }
  | { readonly kind: "push_vlan"; readonly ethertype: number }
  | { readonly kind: "pop_vlan" }
  /** strip_vlan is OpenFlow 1.0's pop_vlan; kept so text written that way round-trips. */
  | { readonly kind: "strip_vlan" }
  | CtAction
  | { readonly kind: "ct_clear" }
  /** conjunction(id,k/n): clause k of n, k counted from 1 as ovs-ofctl writes it. */
  | { readonly kind: "conjunction"; readonly id: number; readonly k: number; readonly n: number }
  | LearnAction
  | { readonly kind: "group"; readonly id: number }
  | { readonly kind: "meter"; readonly id: number }
  /**
   * dec_ttl(id1,id2…) (NXAST_DEC_TTL_CNT_IDS): controller ids that receive the invalid-TTL packet-in;
   * ovn-controller writes it with no ids, shown as "dec_ttl()".
   */
  | { readonly kind: "dec_ttl"; readonly controllerIds: readonly number[] }
  /** Plain "dec_ttl" (OpenFlow's OFPAT_DEC_NW_TTL). */
  | { readonly kind: "dec_nw_ttl" }
  | { readonly kind: "set_ttl"; readonly ttl: number }
  | { readonly kind: "check_pkt_larger"; readonly len: number; readonly dst: Subfield }
  | { readonly kind: "clone"; readonly actions: readonly Action[] }
  | { readonly kind: "note"; readonly bytes: Uint8Array }
  | MultipathAction
  | BundleAction
  | { readonly kind: "set_queue"; readonly queue: number }
  | { readonly kind: "pop_queue" }
  | { readonly kind: "goto_table"; readonly table: number }
  | { readonly kind: "write_metadata"; readonly value: bigint; readonly mask?: bigint }
  | { readonly kind: "clear_actions" }
  | { readonly kind: "write_actions"; readonly actions: readonly Action[] }
  | { readonly kind: "exit" }
  | { readonly kind: "fin_timeout"; readonly idleTimeout: number; readonly hardTimeout: number }
  | SampleAction;

export type ActionKind = Action["kind"];
export type ActionOf<K extends ActionKind> = Extract<Action, { readonly kind: K }>;

// ---------------------------------------------------------------------------------------------------
// Flow table modifications.

export type FlowModCommand = "add" | "modify" | "modify_strict" | "delete" | "delete_strict";

/** OFPFF_* flags. */
export interface FlowModFlags {
  readonly sendFlowRem?: boolean;
  readonly checkOverlap?: boolean;
  readonly resetCounts?: boolean;
  readonly noPktCounts?: boolean;
  readonly noBytCounts?: boolean;
}

export interface FlowMod {
  readonly command: FlowModCommand;
  readonly table: number;
  readonly priority: number;
  readonly cookie: bigint;
  /** For modify/delete: which cookie bits must match (0 = any cookie). */
  readonly cookieMask?: bigint;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
  readonly importance?: number;
  readonly flags?: FlowModFlags;
  readonly bufferId?: number;
  /** For delete: only flows that output to this port / group (OFPP_ANY / OFPG_ANY = any). */
  readonly outPort?: number;
  readonly outGroup?: number;
  readonly match: Match;
  readonly actions: readonly Action[];
}

/** A flow as dump-flows reports it (FlowMod's content plus statistics). */
export interface FlowStats {
  readonly table: number;
  readonly priority: number;
  readonly cookie: bigint;
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  readonly importance: number;
  readonly flags: FlowModFlags;
  readonly match: Match;
  readonly actions: readonly Action[];
  readonly durationSec: number;
  readonly durationNsec: number;
  readonly idleAge?: number;
  readonly hardAge?: number;
  readonly packetCount: bigint;
  readonly byteCount: bigint;
}

// ---------------------------------------------------------------------------------------------------
// Groups (ovs-ofctl(8) "Group Syntax").

export type GroupType = "all" | "select" | "indirect" | "ff";
export type GroupModCommand = "add" | "modify" | "delete" | "add_or_mod" | "insert_bucket" | "remove_bucket";

export interface Bucket {
  /** bucket_id (OpenFlow 1.5); ovs assigns 0,1,2… when absent. */
  readonly bucketId?: number;
  readonly weight?: number;
  readonly watchPort?: number;
  readonly watchGroup?: number;
  readonly actions: readonly Action[];
}

export interface GroupMod {
  readonly command: GroupModCommand;
  readonly type: GroupType;
  readonly groupId: number;
  readonly buckets: readonly Bucket[];
  /** selection_method=dp_hash|hash (NTR_SELECTION_METHOD property), with fields and param. */
  readonly selectionMethod?: "dp_hash" | "hash";
  readonly selectionFields?: readonly FieldName[];
  readonly selectionParam?: bigint;
  /** command_bucket_id for insert_bucket / remove_bucket (OFPG_BUCKET_FIRST = 0xfffffffd …). */
  readonly commandBucketId?: number;
}

// ---------------------------------------------------------------------------------------------------
// Meters (ovs-ofctl(8) "Meter Syntax").

export type MeterModCommand = "add" | "modify" | "delete";

export interface MeterBand {
  readonly type: "drop" | "dscp_remark";
  readonly rate: number;
  readonly burstSize: number;
  /** dscp_remark's prec_level. */
  readonly precLevel?: number;
}

export interface MeterFlags {
  readonly kbps?: boolean;
  readonly pktps?: boolean;
  readonly burst?: boolean;
  readonly stats?: boolean;
}

export interface MeterMod {
  readonly command: MeterModCommand;
  readonly meterId: number;
  readonly flags: MeterFlags;
  readonly bands: readonly MeterBand[];
}

// ---------------------------------------------------------------------------------------------------
// Constructors: the common cases, so callers need not spell every field.

export function field(f: FieldName, value: bigint, mask?: bigint): MatchField {
  return mask === undefined ? { field: f, value } : { field: f, value: value & mask, mask };
}

export function subfield(f: FieldName, ofs: number, nBits: number): Subfield {
  return { field: f, ofs, nBits };
}

export function output(port: number): Action {
  return { kind: "output", port };
}

/** resubmit(,table) */
export function resubmit(table: number): Action {
  return { kind: "resubmit", port: OFPP_IN_PORT, table, ct: false };
}

export function setField(f: FieldName, value: bigint, mask?: bigint): Action {
  return mask === undefined
    ? { kind: "set_field", field: f, value }
    : { kind: "set_field", field: f, value: value & mask, mask };
}

export function load(dst: Subfield, value: bigint): Action {
  return { kind: "load", dst, value };
}

export function move(src: Subfield, dst: Subfield): Action {
  return { kind: "move", src, dst };
}

export function controller(opts: Partial<Omit<ControllerAction, "kind">> = {}): ControllerAction {
  return {
    kind: "controller",
    maxLen: opts.maxLen ?? 0xffff,
    reason: opts.reason ?? "action",
    controllerId: opts.controllerId ?? 0,
    userdata: opts.userdata ?? null,
    pause: opts.pause ?? false,
    meterId: opts.meterId ?? null,
  };
}

export function ct(opts: Partial<Omit<CtAction, "kind">> = {}): CtAction {
  return {
    kind: "ct",
    commit: opts.commit ?? false,
    force: opts.force ?? false,
    zone: opts.zone ?? 0,
    table: opts.table ?? null,
    alg: opts.alg ?? 0,
    nat: opts.nat ?? null,
    exec: opts.exec ?? [],
  };
}

export function learn(opts: Partial<Omit<LearnAction, "kind">> & { readonly table: number }): LearnAction {
  return {
    kind: "learn",
    table: opts.table,
    idleTimeout: opts.idleTimeout ?? 0,
    hardTimeout: opts.hardTimeout ?? 0,
    finIdleTimeout: opts.finIdleTimeout ?? 0,
    finHardTimeout: opts.finHardTimeout ?? 0,
    priority: opts.priority ?? 0x8000,
    cookie: opts.cookie ?? 0n,
    sendFlowRem: opts.sendFlowRem ?? false,
    deleteLearned: opts.deleteLearned ?? false,
    limit: opts.limit ?? 0,
    resultDst: opts.resultDst ?? null,
    specs: opts.specs ?? [],
  };
}

export function flowMod(
  opts: Partial<FlowMod> & Pick<FlowMod, "table" | "priority" | "match" | "actions">,
): FlowMod {
  return { command: "add", cookie: 0n, ...opts };
}
