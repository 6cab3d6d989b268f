// OpenFlow 1.5 messages and the Nicira extension messages OVN uses, as data.  msg-codec.ts turns them
// into bytes and back.  Every message carries its xid; `kind` names it.

import type {
  Action,
  Bucket,
  FieldName,
  FlowMod,
  FlowModFlags,
  GroupMod,
  GroupType,
  Match,
  MeterBand,
  MeterFlags,
  MeterMod,
  PacketInReason,
} from "./model.js";

export const OFP15_VERSION = 0x06;

export interface Hello {
  readonly kind: "hello";
  /** Versions offered in the version bitmap (OpenFlow wire versions, 1 = 1.0 … 6 = 1.5). */
  readonly versions: readonly number[];
  /** False for a bare hello without a version bitmap (what ovs-vswitchd sends); default true. */
  readonly bitmap?: boolean;
}

export interface ErrorMsg {
  readonly kind: "error";
  readonly type: number;
  readonly code: number;
  /** For experimenter errors (type 0xffff). */
  readonly experimenter?: number;
  /** errorName(type, code, experimenter), filled in by the decoder. */
  readonly name: string;
  /** The start of the offending request (or any payload). */
  readonly data: Uint8Array;
}

export interface Echo {
  readonly kind: "echo_request" | "echo_reply";
  readonly data: Uint8Array;
}

export interface FeaturesReply {
  readonly kind: "features_reply";
  readonly datapathId: bigint;
  readonly nBuffers: number;
  readonly nTables: number;
  readonly auxiliaryId: number;
  readonly capabilities: number;
}

export interface SwitchConfig {
  readonly kind: "get_config_reply" | "set_config";
  readonly flags: number;
  readonly missSendLen: number;
}

export interface Empty {
  readonly kind:
    | "features_request"
    | "get_config_request"
    | "barrier_request"
    | "barrier_reply"
    | "tlv_table_request"
    | "get_async_request"
    | "meter_features_request";
}

export interface FlowModMsg {
  readonly kind: "flow_mod";
  readonly flowMod: FlowMod;
}

export interface GroupModMsg {
  readonly kind: "group_mod";
  readonly groupMod: GroupMod;
}

export interface MeterModMsg {
  readonly kind: "meter_mod";
  readonly meterMod: MeterMod;
}

export interface PacketOut {
  readonly kind: "packet_out";
  readonly bufferId: number;
  /** The packet's metadata as a match (in_port at least; OpenFlow 1.5 carries it so). */
  readonly match: Match;
  readonly actions: readonly Action[];
  readonly data: Uint8Array;
}

export interface PacketIn {
  readonly kind: "packet_in";
  readonly bufferId: number;
  readonly totalLen: number;
  readonly reason: PacketInReason;
  readonly tableId: number;
  readonly cookie: bigint;
  readonly match: Match;
  readonly data: Uint8Array;
}

/** NXT_PACKET_IN2 (and the body of NXT_RESUME): properties of nx_packet_in2. */
export interface PacketIn2 {
  readonly kind: "packet_in2" | "resume";
  readonly packet: Uint8Array;
  readonly fullLen?: number;
  readonly bufferId?: number;
  readonly tableId?: number;
  readonly cookie?: bigint;
  readonly reason?: PacketInReason;
  /** Pipeline fields at the time of the packet-in (in_port, metadata, registers, ct state …). */
  readonly metadata?: Match;
  readonly userdata?: Uint8Array;
  /** Opaque continuation for NXT_RESUME (present when the controller action had `pause`). */
  readonly continuation?: Uint8Array;
}

export type PortReason = "add" | "delete" | "modify";

export interface PortDesc {
  readonly portNo: number;
  readonly hwAddr: bigint;
  readonly name: string;
  readonly config: number;
  readonly state: number;
  /** Ethernet property, when present. */
  readonly ethernet?: {
    readonly curr: number;
    readonly advertised: number;
    readonly supported: number;
    readonly peer: number;
    readonly currSpeed: number;
    readonly maxSpeed: number;
  };
}

export interface PortStatus {
  readonly kind: "port_status";
  readonly reason: PortReason;
  readonly desc: PortDesc;
}

export type BundleControlType =
  | "open_request"
  | "open_reply"
  | "close_request"
  | "close_reply"
  | "commit_request"
  | "commit_reply"
  | "discard_request"
  | "discard_reply";

export interface BundleControl {
  readonly kind: "bundle_control";
  readonly bundleId: number;
  readonly type: BundleControlType;
  readonly atomic: boolean;
  readonly ordered: boolean;
}

export interface BundleAdd {
  readonly kind: "bundle_add";
  readonly bundleId: number;
  readonly atomic: boolean;
  readonly ordered: boolean;
  /** The message to add (its xid is the bundle_add's own, as OpenFlow 1.5 requires). */
  readonly message: OfMessage;
}

export interface TlvMapping {
  readonly optClass: number;
  readonly optType: number;
  readonly optLen: number;
  /** tun_metadata index. */
  readonly index: number;
}

export interface TlvTableMod {
  readonly kind: "tlv_table_mod";
  readonly command: "add" | "delete" | "clear";
  readonly mappings: readonly TlvMapping[];
}

export interface TlvTableReply {
  readonly kind: "tlv_table_reply";
  readonly maxOptionSpace: number;
  readonly maxFields: number;
  readonly mappings: readonly TlvMapping[];
}

export interface CtFlushZone {
  readonly kind: "ct_flush_zone";
  readonly zone: number;
}

export interface SetPacketInFormat {
  readonly kind: "set_packet_in_format";
  /** 0 standard OpenFlow, 1 NXT_PACKET_IN, 2 NXT_PACKET_IN2. */
  readonly format: "standard" | "nxt_packet_in" | "nxt_packet_in2";
}

export interface SetControllerId {
  readonly kind: "set_controller_id";
  readonly controllerId: number;
}

/** OFPT_SET_ASYNC / OFPT_GET_ASYNC_REPLY: properties as (type, mask) pairs (OpenFlow 1.4+). */
export interface AsyncConfig {
  readonly kind: "set_async" | "get_async_reply";
  readonly properties: ReadonlyArray<{ readonly type: number; readonly mask: number }>;
}

// Multipart.

export interface FlowStatsRequest {
  readonly kind: "flow_stats_request";
  readonly tableId: number;
  readonly outPort: number;
  readonly outGroup: number;
  readonly cookie: bigint;
  readonly cookieMask: bigint;
  readonly match: Match;
}

export interface FlowStatsEntry {
  readonly tableId: number;
  readonly reason: number;
  readonly priority: number;
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  readonly flags: FlowModFlags;
  readonly importance: number;
  readonly cookie: bigint;
  readonly match: Match;
  /** OXS statistics present in the entry. */
  readonly durationSec?: number;
  readonly durationNsec?: number;
  readonly idleTimeSec?: number;
  readonly idleTimeNsec?: number;
  readonly flowCount?: number;
  readonly packetCount?: bigint;
  readonly byteCount?: bigint;
  readonly actions: readonly Action[];
}

export interface FlowStatsReply {
  readonly kind: "flow_stats_reply";
  readonly more: boolean;
  readonly flows: readonly FlowStatsEntry[];
}

export interface PortStatsEntry {
  readonly portNo: number;
  readonly durationSec: number;
  readonly durationNsec: number;
  readonly rxPackets: bigint;
  readonly txPackets: bigint;
  readonly rxBytes: bigint;
  readonly txBytes: bigint;
  readonly rxDropped: bigint;
  readonly txDropped: bigint;
  readonly rxErrors: bigint;
  readonly txErrors: bigint;
  /** Property bytes after the fixed part (ethernet and experimenter statistics), kept as they came. */
  readonly properties: Uint8Array;
}

export interface GroupDescEntry {
  readonly type: GroupType;
  readonly groupId: number;
  readonly buckets: readonly Bucket[];
  readonly selectionMethod?: "dp_hash" | "hash";
  readonly selectionFields?: readonly FieldName[];
  readonly selectionParam?: bigint;
}

export interface GroupStatsEntry {
  readonly groupId: number;
  readonly refCount: number;
  readonly packetCount: bigint;
  readonly byteCount: bigint;
  readonly durationSec: number;
  readonly durationNsec: number;
  readonly buckets: ReadonlyArray<{ readonly packetCount: bigint; readonly byteCount: bigint }>;
}

export interface MeterConfigEntry {
  readonly meterId: number;
  readonly flags: MeterFlags;
  readonly bands: readonly MeterBand[];
}

export interface MeterStatsEntry {
  readonly meterId: number;
  readonly flowCount: number;
  readonly packetInCount: bigint;
  readonly byteInCount: bigint;
  readonly durationSec: number;
  readonly durationNsec: number;
  readonly bands: ReadonlyArray<{ readonly packetCount: bigint; readonly byteCount: bigint }>;
}

/** A multipart request whose body is a port, group or meter id (or empty). */
export interface SimpleStatsRequest {
  readonly kind:
    | "port_stats_request"
    | "port_desc_request"
    | "group_stats_request"
    | "group_desc_request"
    | "meter_stats_request"
    | "meter_config_request";
  /** Port number (OFPP_ANY for all), group id (OFPG_ALL) or meter id (OFPM_ALL); 16-bit view for ports. */
  readonly id: number;
}

/** OFPMP_METER_FEATURES reply (ovn-controller asks before installing meters). */
export interface MeterFeaturesReply {
  readonly kind: "meter_features_reply";
  readonly more: boolean;
  readonly maxMeter: number;
  /** Bitmap of OFPMBT_* band types (bit 1 = drop, bit 2 = dscp_remark). */
  readonly bandTypes: number;
  /** OFPMF_* flags supported. */
  readonly capabilities: number;
  readonly maxBands: number;
  readonly maxColor: number;
}

export interface PortStatsReply {
  readonly kind: "port_stats_reply";
  readonly more: boolean;
  readonly ports: readonly PortStatsEntry[];
}
export interface PortDescReply {
  readonly kind: "port_desc_reply";
  readonly more: boolean;
  readonly ports: readonly PortDesc[];
}
export interface GroupDescReply {
  readonly kind: "group_desc_reply";
  readonly more: boolean;
  readonly groups: readonly GroupDescEntry[];
}
export interface GroupStatsReply {
  readonly kind: "group_stats_reply";
  readonly more: boolean;
  readonly groups: readonly GroupStatsEntry[];
}
export interface MeterConfigReply {
  readonly kind: "meter_config_reply";
  readonly more: boolean;
  readonly meters: readonly MeterConfigEntry[];
}
export interface MeterStatsReply {
  readonly kind: "meter_stats_reply";
  readonly more: boolean;
  readonly meters: readonly MeterStatsEntry[];
}

/** A message this codec does not interpret; kept whole so it can be logged or passed on. */
export interface UnknownMsg {
  readonly kind: "unknown";
  readonly version: number;
  readonly type: number;
  /** Everything after the 8-byte header. */
  readonly body: Uint8Array;
}

export type OfMessageBody =
  | Hello
  | ErrorMsg
  | Echo
  | FeaturesReply
  | SwitchConfig
  | Empty
  | FlowModMsg
  | GroupModMsg
  | MeterModMsg
  | PacketOut
  | PacketIn
  | PacketIn2
  | PortStatus
  | BundleControl
  | BundleAdd
  | TlvTableMod
  | TlvTableReply
  | CtFlushZone
  | SetPacketInFormat
  | SetControllerId
  | AsyncConfig
  | FlowStatsRequest
  | FlowStatsReply
  | SimpleStatsRequest
  | PortStatsReply
  | PortDescReply
  | GroupDescReply
  | GroupStatsReply
  | MeterConfigReply
  | MeterStatsReply
  | MeterFeaturesReply
  | UnknownMsg;

export type OfMessage = OfMessageBody & { readonly xid: number };

export type OfMessageKind = OfMessage["kind"];
