// OpenFlow 1.5 messages ↔ bytes.  Layouts follow the OpenFlow 1.5.1 specification and Open vSwitch's
// Nicira extensions; every layout here was checked against real ovs-ofctl / ovs-vswitchd 3.1 traffic
// (fixtures/) and against `ovs-ofctl ofp-print`.  decodeMessage never throws: bad bytes give a typed
// error naming the OpenFlow error that fits.

import {
  decodeActionList,
  decodeInstructions,
  encodeActionList,
  encodeInstructions,
  NX_VENDOR,
  reasonCode,
  reasonName,
} from "./actions-wire.js";
import { Reader, WireError, Writer, wireFail } from "./bytes.js";
import { errorName } from "./errors.js";
import type {
  BundleControlType,
  FlowStatsEntry,
  GroupDescEntry,
  OfMessage,
  OfMessageBody,
  PacketIn2,
  PortDesc,
  PortReason,
  TlvMapping,
} from "./messages.js";
import { OFP15_VERSION } from "./messages.js";
import type {
  Bucket,
  FieldName,
  FlowMod,
  FlowModCommand,
  FlowModFlags,
  GroupMod,
  GroupModCommand,
  GroupType,
  MeterBand,
  MeterFlags,
  MeterMod,
  MeterModCommand,
} from "./model.js";
import {
  decodeMatch,
  decodeOxmFields,
  encodeMatch,
  fieldBytes,
  ofHeader,
  port16to32,
  port32to16,
  putOxm,
  readHeader,
  type WireContext,
} from "./oxm.js";

export type DecodeResult =
  | { readonly ok: true; readonly message: OfMessage }
  | { readonly ok: false; readonly error: string; readonly code: string; readonly xid?: number };

/** OFPT_* message types. */
export const OFPT = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  GROUP_MOD: 15,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  GET_ASYNC_REQUEST: 26,
  GET_ASYNC_REPLY: 27,
  SET_ASYNC: 28,
  METER_MOD: 29,
  BUNDLE_CONTROL: 33,
  BUNDLE_ADD_MESSAGE: 34,
} as const;

/** NXT_* subtypes. */
export const NXT = {
  SET_PACKET_IN_FORMAT: 16,
  SET_CONTROLLER_ID: 20,
  TLV_TABLE_MOD: 24,
  TLV_TABLE_REQUEST: 25,
  TLV_TABLE_REPLY: 26,
  RESUME: 28,
  CT_FLUSH_ZONE: 29,
  PACKET_IN2: 30,
} as const;

/** OFPMP_* multipart types. */
const OFPMP = {
  FLOW: 1,
  PORT_STATS: 4,
  GROUP: 6,
  GROUP_DESC: 7,
  METER: 9,
  METER_CONFIG: 10,
  METER_FEATURES: 11,
  PORT_DESC: 13,
} as const;

const FLOW_MOD_COMMANDS: readonly FlowModCommand[] = [
  "add",
  "modify",
  "modify_strict",
  "delete",
  "delete_strict",
];
const GROUP_MOD_CODES: Readonly<Record<GroupModCommand, number>> = {
  add: 0,
  modify: 1,
  delete: 2,
  insert_bucket: 3,
  remove_bucket: 5,
  add_or_mod: 0x8000,
};
const GROUP_TYPES: readonly GroupType[] = ["all", "select", "indirect", "ff"];
const METER_MOD_COMMANDS: readonly MeterModCommand[] = ["add", "modify", "delete"];
const BUNDLE_TYPES: readonly BundleControlType[] = [
  "open_request",
  "open_reply",
  "close_request",
  "close_reply",
  "commit_request",
  "commit_reply",
  "discard_request",
  "discard_reply",
];
const PORT_REASONS: readonly PortReason[] = ["add", "delete", "modify"];
const NTR_VENDOR = 0x0000154d;

function flowModFlagsWord(f: FlowModFlags | undefined): number {
  if (f === undefined) return 0;
  return (
    (f.sendFlowRem ? 1 : 0) |
    (f.checkOverlap ? 2 : 0) |
    (f.resetCounts ? 4 : 0) |
    (f.noPktCounts ? 8 : 0) |
    (f.noBytCounts ? 16 : 0)
  );
}
function flowModFlags(word: number): FlowModFlags {
  const f: { -readonly [K in keyof FlowModFlags]: FlowModFlags[K] } = {};
  if (word & 1) f.sendFlowRem = true;
  if (word & 2) f.checkOverlap = true;
  if (word & 4) f.resetCounts = true;
  if (word & 8) f.noPktCounts = true;
  if (word & 16) f.noBytCounts = true;
  return f;
}
function meterFlagsWord(f: MeterFlags): number {
  return (f.kbps ? 1 : 0) | (f.pktps ? 2 : 0) | (f.burst ? 4 : 0) | (f.stats ? 8 : 0);
}
function meterFlags(word: number): MeterFlags {
  const f: { -readonly [K in keyof MeterFlags]: MeterFlags[K] } = {};
  if (word & 1) f.kbps = true;
  if (word & 2) f.pktps = true;
  if (word & 4) f.burst = true;
  if (word & 8) f.stats = true;
  return f;
}

// ---------------------------------------------------------------------------------------------------
// Encoding.

function putFlowMod(w: Writer, fm: FlowMod, ctx: WireContext): void {
  w.u64(fm.cookie)
    .u64(fm.cookieMask ?? 0n)
    .u8(fm.table)
    .u8(FLOW_MOD_COMMANDS.indexOf(fm.command));
  w.u16(fm.idleTimeout ?? 0)
    .u16(fm.hardTimeout ?? 0)
    .u16(fm.priority)
    .u32(fm.bufferId ?? 0xffffffff);
  w.u32(fm.outPort === undefined ? 0xffffffff : port16to32(fm.outPort)).u32(fm.outGroup ?? 0xffffffff);
  w.u16(flowModFlagsWord(fm.flags)).u16(fm.importance ?? 0);
  encodeMatch(w, fm.match, ctx);
  encodeInstructions(w, fm.actions, ctx);
}

function putBucket(w: Writer, b: Bucket, index: number, ctx: WireContext): void {
  const at = w.length;
  w.u16(0)
    .u16(0)
    .u32(b.bucketId ?? index);
  const actStart = w.length;
  encodeActionList(w, b.actions, ctx);
  w.patchU16(at + 2, w.length - actStart);
  if (b.weight !== undefined) w.u16(0).u16(8).u16(b.weight).u16(0);
  if (b.watchPort !== undefined) w.u16(1).u16(8).u32(port16to32(b.watchPort));
  if (b.watchGroup !== undefined) w.u16(2).u16(8).u32(b.watchGroup);
  w.patchU16(at, w.length - at);
}

function putSelectionProperty(
  w: Writer,
  method: "dp_hash" | "hash",
  fields: readonly FieldName[],
  param: bigint,
): void {
  const at = w.length;
  w.u16(0xffff).u16(0).u32(NTR_VENDOR).u32(1).zeros(4).str(method, 16).u64(param);
  for (const f of fields) {
    const n = fieldBytes(f);
    putOxm(w, ofHeader(f), n, (1n << BigInt(n * 8)) - 1n);
  }
  w.patchU16(at + 2, w.length - at);
  w.pad(8);
}

function putGroupMod(w: Writer, g: GroupMod, ctx: WireContext): void {
  w.u16(GROUP_MOD_CODES[g.command]).u8(GROUP_TYPES.indexOf(g.type)).u8(0).u32(g.groupId);
  const lenAt = w.length;
  w.u16(0)
    .u16(0)
    .u32(g.commandBucketId ?? 0xffffffff);
  const start = w.length;
  for (const [i, b] of g.buckets.entries()) putBucket(w, b, i, ctx);
  w.patchU16(lenAt, w.length - start);
  if (g.selectionMethod !== undefined)
    putSelectionProperty(w, g.selectionMethod, g.selectionFields ?? [], g.selectionParam ?? 0n);
}

function putMeterBands(w: Writer, bands: readonly MeterBand[]): void {
  for (const b of bands) {
    w.u16(b.type === "drop" ? 1 : 2)
      .u16(16)
      .u32(b.rate)
      .u32(b.burstSize);
    if (b.type === "dscp_remark") w.u8(b.precLevel ?? 0).zeros(3);
    else w.zeros(4);
  }
}

function putMeterMod(w: Writer, m: MeterMod): void {
  w.u16(METER_MOD_COMMANDS.indexOf(m.command)).u16(meterFlagsWord(m.flags)).u32(m.meterId);
  putMeterBands(w, m.bands);
}

function putProp(w: Writer, type: number, body: (w: Writer) => void): void {
  const at = w.length;
  w.u16(type).u16(0);
  body(w);
  w.patchU16(at + 2, w.length - at);
  w.pad(8);
}

function putPacketIn2(w: Writer, m: PacketIn2, ctx: WireContext): void {
  putProp(w, 0, (pw) => pw.bytes(m.packet));
  if (m.fullLen !== undefined) {
    const v = m.fullLen;
    putProp(w, 1, (pw) => pw.u32(v));
  }
  if (m.bufferId !== undefined) {
    const v = m.bufferId;
    putProp(w, 2, (pw) => pw.u32(v));
  }
  if (m.tableId !== undefined) {
    const v = m.tableId;
    putProp(w, 3, (pw) => pw.u8(v));
  }
  if (m.cookie !== undefined) {
    const v = m.cookie;
    putProp(w, 4, (pw) => pw.zeros(4).u64(v));
  }
  if (m.reason !== undefined) {
    const v = m.reason;
    putProp(w, 5, (pw) => pw.u8(reasonCode(v)));
  }
  if (m.metadata !== undefined) {
    const md = m.metadata;
    putProp(w, 6, (pw) => {
      // The property holds bare OXMs (no ofp_match header).
      const inner = new Writer();
      encodeMatch(inner, md, ctx);
      const bytes = inner.finish();
      const len = (bytes[2] ?? 0) * 256 + (bytes[3] ?? 0);
      pw.bytes(bytes.subarray(4, len));
    });
  }
  // Open vSwitch sends the continuation before the userdata.
  if (m.continuation !== undefined) {
    const v = m.continuation;
    putProp(w, 8, (pw) => pw.bytes(v));
  }
  if (m.userdata !== undefined) {
    const v = m.userdata;
    putProp(w, 7, (pw) => pw.bytes(v));
  }
}

function putPortDesc(w: Writer, p: PortDesc): void {
  const at = w.length;
  w.u32(port16to32(p.portNo))
    .u16(0)
    .zeros(2)
    .uint(p.hwAddr, 6)
    .zeros(2)
    .str(p.name, 16)
    .u32(p.config)
    .u32(p.state);
  if (p.ethernet !== undefined) {
    const e = p.ethernet;
    w.u16(0)
      .u16(32)
      .zeros(4)
      .u32(e.curr)
      .u32(e.advertised)
      .u32(e.supported)
      .u32(e.peer)
      .u32(e.currSpeed)
      .u32(e.maxSpeed);
  }
  w.patchU16(at + 4, w.length - at);
}

function putTlvMappings(w: Writer, maps: readonly TlvMapping[]): void {
  for (const m of maps) w.u16(m.optClass).u8(m.optType).u8(m.optLen).u16(m.index).zeros(2);
}

function nxHeader(w: Writer, subtype: number): void {
  w.u32(NX_VENDOR).u32(subtype);
}

function multipartHeader(w: Writer, type: number, more: boolean): void {
  w.u16(type)
    .u16(more ? 1 : 0)
    .zeros(4);
}

/** The OpenFlow message type and body writer of each kind. */
function encodeBody(w: Writer, m: OfMessageBody, ctx: WireContext): number {
  switch (m.kind) {
    case "hello": {
      if (m.bitmap === false) return OFPT.HELLO;
      let bitmap = 0;
      for (const v of m.versions) bitmap |= 1 << v;
      w.u16(1)
        .u16(8)
        .u32(bitmap >>> 0);
      return OFPT.HELLO;
    }
    case "error":
      w.u16(m.type).u16(m.code);
      if (m.type === 0xffff) w.u32(m.experimenter ?? 0);
      w.bytes(m.data);
      return OFPT.ERROR;
    case "echo_request":
      w.bytes(m.data);
      return OFPT.ECHO_REQUEST;
    case "echo_reply":
      w.bytes(m.data);
      return OFPT.ECHO_REPLY;
    case "features_request":
      return OFPT.FEATURES_REQUEST;
    case "features_reply":
      w.u64(m.datapathId).u32(m.nBuffers).u8(m.nTables).u8(m.auxiliaryId).zeros(2).u32(m.capabilities).u32(0);
      return OFPT.FEATURES_REPLY;
    case "get_config_request":
      return OFPT.GET_CONFIG_REQUEST;
    case "get_config_reply":
    case "set_config":
      w.u16(m.flags).u16(m.missSendLen);
      return m.kind === "set_config" ? OFPT.SET_CONFIG : OFPT.GET_CONFIG_REPLY;
    case "barrier_request":
      return OFPT.BARRIER_REQUEST;
    case "barrier_reply":
      return OFPT.BARRIER_REPLY;
    case "get_async_request":
      return OFPT.GET_ASYNC_REQUEST;
    case "set_async":
    case "get_async_reply":
      for (const p of m.properties) w.u16(p.type).u16(8).u32(p.mask);
      return m.kind === "set_async" ? OFPT.SET_ASYNC : OFPT.GET_ASYNC_REPLY;
    case "flow_mod":
      putFlowMod(w, m.flowMod, ctx);
      return OFPT.FLOW_MOD;
    case "group_mod":
      putGroupMod(w, m.groupMod, ctx);
      return OFPT.GROUP_MOD;
    case "meter_mod":
      putMeterMod(w, m.meterMod);
      return OFPT.METER_MOD;
    case "packet_out": {
      w.u32(m.bufferId);
      const lenAt = w.length;
      w.u16(0).zeros(2);
      encodeMatch(w, m.match, ctx);
      const start = w.length;
      encodeActionList(w, m.actions, ctx);
      w.patchU16(lenAt, w.length - start);
      w.bytes(m.data);
      return OFPT.PACKET_OUT;
    }
    case "packet_in":
      w.u32(m.bufferId).u16(m.totalLen).u8(reasonCode(m.reason)).u8(m.tableId).u64(m.cookie);
      encodeMatch(w, m.match, ctx);
      w.zeros(2).bytes(m.data);
      return OFPT.PACKET_IN;
    case "packet_in2":
    case "resume":
      nxHeader(w, m.kind === "packet_in2" ? NXT.PACKET_IN2 : NXT.RESUME);
      putPacketIn2(w, m, ctx);
      return OFPT.EXPERIMENTER;
    case "port_status":
      w.u8(PORT_REASONS.indexOf(m.reason)).zeros(7);
      putPortDesc(w, m.desc);
      return OFPT.PORT_STATUS;
    case "bundle_control":
      w.u32(m.bundleId)
        .u16(BUNDLE_TYPES.indexOf(m.type))
        .u16((m.atomic ? 1 : 0) | (m.ordered ? 2 : 0));
      return OFPT.BUNDLE_CONTROL;
    case "bundle_add":
      w.u32(m.bundleId)
        .u16(0)
        .u16((m.atomic ? 1 : 0) | (m.ordered ? 2 : 0));
      encodeMessageInto(w, m.message, ctx);
      return OFPT.BUNDLE_ADD_MESSAGE;
    case "tlv_table_mod":
      nxHeader(w, NXT.TLV_TABLE_MOD);
      w.u16(m.command === "add" ? 0 : m.command === "delete" ? 1 : 2).zeros(6);
      putTlvMappings(w, m.mappings);
      return OFPT.EXPERIMENTER;
    case "tlv_table_request":
      nxHeader(w, NXT.TLV_TABLE_REQUEST);
      return OFPT.EXPERIMENTER;
    case "tlv_table_reply":
      nxHeader(w, NXT.TLV_TABLE_REPLY);
      w.u32(m.maxOptionSpace).u16(m.maxFields).zeros(10);
      putTlvMappings(w, m.mappings);
      return OFPT.EXPERIMENTER;
    case "ct_flush_zone":
      nxHeader(w, NXT.CT_FLUSH_ZONE);
      w.zeros(6).u16(m.zone);
      return OFPT.EXPERIMENTER;
    case "set_packet_in_format":
      nxHeader(w, NXT.SET_PACKET_IN_FORMAT);
      w.u32(m.format === "standard" ? 0 : m.format === "nxt_packet_in" ? 1 : 2);
      return OFPT.EXPERIMENTER;
    case "set_controller_id":
      nxHeader(w, NXT.SET_CONTROLLER_ID);
      w.zeros(6).u16(m.controllerId);
      return OFPT.EXPERIMENTER;
    case "flow_stats_request":
      multipartHeader(w, OFPMP.FLOW, false);
      w.u8(m.tableId)
        .zeros(3)
        .u32(port16to32(m.outPort))
        .u32(m.outGroup)
        .zeros(4)
        .u64(m.cookie)
        .u64(m.cookieMask);
      encodeMatch(w, m.match, ctx);
      return OFPT.MULTIPART_REQUEST;
    case "port_stats_request":
    case "port_desc_request":
      multipartHeader(w, m.kind === "port_stats_request" ? OFPMP.PORT_STATS : OFPMP.PORT_DESC, false);
      w.u32(port16to32(m.id)).zeros(4);
      return OFPT.MULTIPART_REQUEST;
    case "group_stats_request":
    case "group_desc_request":
      multipartHeader(w, m.kind === "group_stats_request" ? OFPMP.GROUP : OFPMP.GROUP_DESC, false);
      w.u32(m.id).zeros(4);
      return OFPT.MULTIPART_REQUEST;
    case "meter_stats_request":
    case "meter_config_request":
      multipartHeader(w, m.kind === "meter_stats_request" ? OFPMP.METER : OFPMP.METER_CONFIG, false);
      w.u32(m.id).zeros(4);
      return OFPT.MULTIPART_REQUEST;
    case "meter_features_request":
      multipartHeader(w, OFPMP.METER_FEATURES, false);
      return OFPT.MULTIPART_REQUEST;
    case "meter_features_reply":
      multipartHeader(w, OFPMP.METER_FEATURES, m.more);
      w.u32(m.maxMeter).u32(m.bandTypes).u32(m.capabilities).u8(m.maxBands).u8(m.maxColor).zeros(2);
      return OFPT.MULTIPART_REPLY;
    case "flow_stats_reply":
      multipartHeader(w, OFPMP.FLOW, m.more);
      for (const f of m.flows) putFlowStats(w, f, ctx);
      return OFPT.MULTIPART_REPLY;
    case "port_stats_reply":
      multipartHeader(w, OFPMP.PORT_STATS, m.more);
      for (const p of m.ports) {
        const at = w.length;
        w.u16(0).zeros(2).u32(port16to32(p.portNo)).u32(p.durationSec).u32(p.durationNsec);
        w.u64(p.rxPackets)
          .u64(p.txPackets)
          .u64(p.rxBytes)
          .u64(p.txBytes)
          .u64(p.rxDropped)
          .u64(p.txDropped)
          .u64(p.rxErrors)
          .u64(p.txErrors);
        w.bytes(p.properties);
        w.patchU16(at, w.length - at);
      }
      return OFPT.MULTIPART_REPLY;
    case "port_desc_reply":
      multipartHeader(w, OFPMP.PORT_DESC, m.more);
      for (const p of m.ports) putPortDesc(w, p);
      return OFPT.MULTIPART_REPLY;
    case "group_desc_reply":
      multipartHeader(w, OFPMP.GROUP_DESC, m.more);
      for (const g of m.groups) putGroupDesc(w, g, ctx);
      return OFPT.MULTIPART_REPLY;
    case "group_stats_reply":
      multipartHeader(w, OFPMP.GROUP, m.more);
      for (const g of m.groups) {
        w.u16(40 + 16 * g.buckets.length)
          .zeros(2)
          .u32(g.groupId)
          .u32(g.refCount)
          .zeros(4)
          .u64(g.packetCount)
          .u64(g.byteCount);
        w.u32(g.durationSec).u32(g.durationNsec);
        for (const b of g.buckets) w.u64(b.packetCount).u64(b.byteCount);
      }
      return OFPT.MULTIPART_REPLY;
    case "meter_config_reply":
      multipartHeader(w, OFPMP.METER_CONFIG, m.more);
      for (const c of m.meters) {
        w.u16(8 + 16 * c.bands.length)
          .u16(meterFlagsWord(c.flags))
          .u32(c.meterId);
        putMeterBands(w, c.bands);
      }
      return OFPT.MULTIPART_REPLY;
    case "meter_stats_reply":
      multipartHeader(w, OFPMP.METER, m.more);
      for (const s of m.meters) {
        w.u32(s.meterId)
          .u16(40 + 16 * s.bands.length)
          .zeros(6)
          .u32(s.flowCount)
          .u64(s.packetInCount)
          .u64(s.byteInCount);
        w.u32(s.durationSec).u32(s.durationNsec);
        for (const b of s.bands) w.u64(b.packetCount).u64(b.byteCount);
      }
      return OFPT.MULTIPART_REPLY;
    case "unknown":
      w.bytes(m.body);
      return m.type;
  }
}

function putFlowStats(w: Writer, f: FlowStatsEntry, ctx: WireContext): void {
  const at = w.length;
  w.u16(0).zeros(2).u8(f.tableId).u8(f.reason).u16(f.priority).u16(f.idleTimeout).u16(f.hardTimeout);
  w.u16(flowModFlagsWord(f.flags)).u16(f.importance).u64(f.cookie);
  encodeMatch(w, f.match, ctx);
  const statsAt = w.length;
  w.u16(0).u16(0);
  const oxs = (field: number, body: () => void): void => {
    w.u16(0x8002);
    const hAt = w.length;
    w.u8(field << 1).u8(0);
    const s = w.length;
    body();
    w.patchU16(hAt, ((field << 1) << 8) | (w.length - s));
  };
  if (f.durationSec !== undefined) oxs(0, () => w.u32(f.durationSec ?? 0).u32(f.durationNsec ?? 0));
  if (f.idleTimeSec !== undefined) oxs(1, () => w.u32(f.idleTimeSec ?? 0).u32(f.idleTimeNsec ?? 0));
  if (f.flowCount !== undefined) oxs(3, () => w.u32(f.flowCount ?? 0));
  if (f.packetCount !== undefined) oxs(4, () => w.u64(f.packetCount ?? 0n));
  if (f.byteCount !== undefined) oxs(5, () => w.u64(f.byteCount ?? 0n));
  w.patchU16(statsAt + 2, w.length - statsAt);
  w.pad(8);
  encodeInstructions(w, f.actions, ctx);
  w.patchU16(at, w.length - at);
}

function putGroupDesc(w: Writer, g: GroupDescEntry, ctx: WireContext): void {
  const at = w.length;
  w.u16(0).u8(GROUP_TYPES.indexOf(g.type)).u8(0).u32(g.groupId);
  const lenAt = w.length;
  w.u16(0).zeros(6);
  const start = w.length;
  for (const [i, b] of g.buckets.entries()) putBucket(w, b, i, ctx);
  w.patchU16(lenAt, w.length - start);
  if (g.selectionMethod !== undefined)
    putSelectionProperty(w, g.selectionMethod, g.selectionFields ?? [], g.selectionParam ?? 0n);
  w.patchU16(at, w.length - at);
}

/** Encodes a message as OpenFlow 1.5 bytes. */
export function encodeMessage(m: OfMessage, ctx: WireContext = {}): Uint8Array {
  const w = new Writer();
  encodeMessageInto(w, m, ctx);
  return w.finish();
}

/**
 * Appends a message's OpenFlow 1.5 bytes to `w`, e.g. many flow_mods into one buffer for one socket
 * write (a write per message was most of a large install's system time), or a bundled message into
 * its bundle_add.
 */
export function encodeMessageInto(w: Writer, m: OfMessage, ctx: WireContext = {}): void {
  const start = w.length;
  const outer = w.setBase(start);
  try {
    w.u8(m.kind === "unknown" ? m.version : OFP15_VERSION)
      .u8(0)
      .u16(0)
      .u32(m.xid >>> 0);
    const type = encodeBody(w, m, ctx);
    const length = w.length - start;
    if (length > 0xffff) throw new RangeError(`OpenFlow message of ${length} bytes exceeds 65535`);
    w.patchU8(start + 1, type);
    w.patchU16(start + 2, length);
  } finally {
    w.setBase(outer);
  }
}

// ---------------------------------------------------------------------------------------------------
// Decoding.

function decodeFlowMod(r: Reader, ctx: WireContext): FlowMod {
  const cookie = r.u64();
  const cookieMask = r.u64();
  const table = r.u8();
  const cmd = r.u8();
  const command = FLOW_MOD_COMMANDS[cmd] ?? wireFail("OFPFMFC_BAD_COMMAND", `flow_mod command ${cmd}`);
  const idleTimeout = r.u16();
  const hardTimeout = r.u16();
  const priority = r.u16();
  const bufferId = r.u32();
  const outPortRaw = r.u32();
  const outGroup = r.u32();
  const flags = flowModFlags(r.u16());
  const importance = r.u16();
  const match = decodeMatch(r, ctx);
  const actions = decodeInstructions(r, ctx);
  const fm: { -readonly [K in keyof FlowMod]: FlowMod[K] } = {
    command,
    table,
    priority,
    cookie,
    match,
    actions,
  };
  if (cookieMask !== 0n) fm.cookieMask = cookieMask;
  if (idleTimeout !== 0) fm.idleTimeout = idleTimeout;
  if (hardTimeout !== 0) fm.hardTimeout = hardTimeout;
  if (importance !== 0) fm.importance = importance;
  if (Object.keys(flags).length > 0) fm.flags = flags;
  if (bufferId !== 0xffffffff) fm.bufferId = bufferId;
  if (outPortRaw !== 0xffffffff) fm.outPort = port32to16(outPortRaw);
  if (outGroup !== 0xffffffff) fm.outGroup = outGroup;
  return fm;
}

function decodeBuckets(r: Reader, ctx: WireContext): Bucket[] {
  const out: Bucket[] = [];
  while (r.remaining > 0) {
    const len = r.u16();
    const actLen = r.u16();
    if (len < 8 || actLen > len - 8)
      wireFail("OFPGMFC_BAD_BUCKET", `bucket length ${len}, actions ${actLen}`);
    const bucketId = r.u32();
    const body = r.sub(len - 8);
    const actions = decodeActionList(body.sub(actLen), ctx);
    const b: { -readonly [K in keyof Bucket]: Bucket[K] } = { bucketId, actions };
    while (body.remaining > 0) {
      const type = body.u16();
      const plen = body.u16();
      if (plen < 4) wireFail("OFPBPC_BAD_LEN", `bucket property length ${plen}`);
      const p = body.sub(plen - 4);
      if (type === 0) b.weight = p.u16();
      else if (type === 1) b.watchPort = port32to16(p.u32());
      else if (type === 2) b.watchGroup = p.u32();
      else wireFail("OFPBPC_BAD_TYPE", `bucket property ${type}`);
      body.skip(Math.min(body.remaining, (8 - (plen % 8)) % 8));
    }
    out.push(b);
  }
  return out;
}

interface GroupProps {
  selectionMethod?: "dp_hash" | "hash";
  selectionFields?: FieldName[];
  selectionParam?: bigint;
}

function decodeGroupProps(r: Reader): GroupProps {
  const out: GroupProps = {};
  while (r.remaining > 0) {
    const type = r.u16();
    const len = r.u16();
    if (len < 4) wireFail("OFPBPC_BAD_LEN", `group property length ${len}`);
    const p = r.sub(len - 4);
    r.skip(Math.min(r.remaining, (8 - (len % 8)) % 8));
    if (type !== 0xffff) wireFail("OFPBPC_BAD_TYPE", `group property ${type}`);
    const exp = p.u32();
    const expType = p.u32();
    if (exp !== NTR_VENDOR || expType !== 1)
      wireFail("OFPBPC_BAD_EXPERIMENTER", `group property experimenter 0x${exp.toString(16)}/${expType}`);
    p.skip(4);
    const name = p.str(16);
    if (name !== "dp_hash" && name !== "hash") wireFail("OFPBPC_BAD_VALUE", `selection method ${name}`);
    out.selectionMethod = name;
    out.selectionParam = p.u64();
    const fields: FieldName[] = [];
    while (p.remaining >= 4) {
      const h = readHeader(p);
      p.skip(h.payload);
      fields.push(h.field);
    }
    out.selectionFields = fields;
  }
  return out;
}

function decodeGroupMod(r: Reader, ctx: WireContext): GroupMod {
  const cmdCode = r.u16();
  const command = (Object.keys(GROUP_MOD_CODES) as GroupModCommand[]).find(
    (k) => GROUP_MOD_CODES[k] === cmdCode,
  );
  if (command === undefined) wireFail("OFPGMFC_BAD_COMMAND", `group_mod command ${cmdCode}`);
  const typeCode = r.u8();
  const type = GROUP_TYPES[typeCode] ?? wireFail("OFPGMFC_BAD_TYPE", `group type ${typeCode}`);
  r.skip(1);
  const groupId = r.u32();
  const bucketLen = r.u16();
  r.skip(2);
  const commandBucketId = r.u32();
  const buckets = decodeBuckets(r.sub(bucketLen), ctx);
  const props = decodeGroupProps(r);
  const g: { -readonly [K in keyof GroupMod]: GroupMod[K] } = { command, type, groupId, buckets, ...props };
  if (commandBucketId !== 0xffffffff) g.commandBucketId = commandBucketId;
  return g;
}

function decodeMeterBands(r: Reader): MeterBand[] {
  const out: MeterBand[] = [];
  while (r.remaining > 0) {
    const type = r.u16();
    const len = r.u16();
    if (len !== 16) wireFail("OFPMMFC_BAD_BAND", `meter band length ${len}`);
    const rate = r.u32();
    const burstSize = r.u32();
    if (type === 1) {
      r.skip(4);
      out.push({ type: "drop", rate, burstSize });
    } else if (type === 2) {
      const precLevel = r.u8();
      r.skip(3);
      out.push({ type: "dscp_remark", rate, burstSize, precLevel });
    } else wireFail("OFPMMFC_BAD_BAND", `meter band type ${type}`);
  }
  return out;
}

function decodePortDesc(r: Reader): PortDesc {
  const portNo = port32to16(r.u32());
  const len = r.u16();
  if (len < 40) wireFail("OFPBRC_BAD_LEN", `port description length ${len}`);
  const body = r.sub(len - 6);
  body.skip(2);
  const hwAddr = body.uint(6);
  body.skip(2);
  const name = body.str(16);
  const config = body.u32();
  const state = body.u32();
  let ethernet: PortDesc["ethernet"];
  while (body.remaining > 0) {
    const type = body.u16();
    const plen = body.u16();
    if (plen < 4) wireFail("OFPBPC_BAD_LEN", `port property length ${plen}`);
    const p = body.sub(plen - 4);
    body.skip(Math.min(body.remaining, (8 - (plen % 8)) % 8));
    if (type === 0) {
      p.skip(4);
      ethernet = {
        curr: p.u32(),
        advertised: p.u32(),
        supported: p.u32(),
        peer: p.u32(),
        currSpeed: p.u32(),
        maxSpeed: p.u32(),
      };
    }
  }
  const d = { portNo, hwAddr, name, config, state };
  return ethernet === undefined ? d : { ...d, ethernet };
}

function decodeTlvMappings(r: Reader): TlvMapping[] {
  const out: TlvMapping[] = [];
  while (r.remaining > 0) {
    const optClass = r.u16();
    const optType = r.u8();
    const optLen = r.u8();
    const index = r.u16();
    r.skip(2);
    out.push({ optClass, optType, optLen, index });
  }
  return out;
}

function decodePacketIn2(r: Reader, kind: "packet_in2" | "resume"): PacketIn2 {
  const m: { -readonly [K in keyof PacketIn2]: PacketIn2[K] } = { kind, packet: new Uint8Array() };
  let sawPacket = false;
  while (r.remaining > 0) {
    const type = r.u16();
    const len = r.u16();
    if (len < 4) wireFail("OFPBPC_BAD_LEN", `packet-in property length ${len}`);
    const p = r.sub(len - 4);
    r.skip(Math.min(r.remaining, (8 - (len % 8)) % 8));
    switch (type) {
      case 0:
        m.packet = p.bytesN(p.remaining);
        sawPacket = true;
        break;
      case 1:
        m.fullLen = p.u32();
        break;
      case 2:
        m.bufferId = p.u32();
        break;
      case 3:
        m.tableId = p.u8();
        break;
      case 4:
        p.skip(4);
        m.cookie = p.u64();
        break;
      case 5:
        m.reason = reasonName(p.u8());
        break;
      case 6:
        m.metadata = decodeOxmFields(p);
        break;
      case 7:
        m.userdata = p.bytesN(p.remaining);
        break;
      case 8:
        m.continuation = p.bytesN(p.remaining);
        break;
      default:
        wireFail("OFPBPC_BAD_TYPE", `packet-in property ${type}`);
    }
  }
  if (!sawPacket) wireFail("OFPBRC_BAD_LEN", "packet-in without a packet");
  return m;
}

function decodeFlowStats(r: Reader, ctx: WireContext): FlowStatsEntry[] {
  const out: FlowStatsEntry[] = [];
  while (r.remaining > 0) {
    const len = r.u16();
    if (len < 48) wireFail("OFPBRC_BAD_LEN", `flow stats entry length ${len}`);
    const e = r.sub(len - 2);
    e.skip(2);
    const tableId = e.u8();
    const reason = e.u8();
    const priority = e.u16();
    const idleTimeout = e.u16();
    const hardTimeout = e.u16();
    const flags = flowModFlags(e.u16());
    const importance = e.u16();
    const cookie = e.u64();
    const match = decodeMatch(e, ctx);
    e.skip(2);
    const slen = e.u16();
    if (slen < 4) wireFail("OFPBRC_BAD_LEN", `flow stats OXS length ${slen}`);
    const s = e.sub(slen - 4);
    e.skip((8 - (slen % 8)) % 8);
    const entry: { -readonly [K in keyof FlowStatsEntry]: FlowStatsEntry[K] } = {
      tableId,
      reason,
      priority,
      idleTimeout,
      hardTimeout,
      flags,
      importance,
      cookie,
      match,
      actions: [],
    };
    while (s.remaining > 0) {
      const cls = s.u16();
      const fb = s.u8();
      const flen = s.u8();
      const v = s.sub(flen);
      if (cls !== 0x8002) continue;
      switch (fb >> 1) {
        case 0:
          entry.durationSec = v.u32();
          entry.durationNsec = v.u32();
          break;
        case 1:
          entry.idleTimeSec = v.u32();
          entry.idleTimeNsec = v.u32();
          break;
        case 3:
          entry.flowCount = v.u32();
          break;
        case 4:
          entry.packetCount = v.u64();
          break;
        case 5:
          entry.byteCount = v.u64();
          break;
        default:
          break;
      }
    }
    entry.actions = decodeInstructions(e, ctx);
    out.push(entry);
  }
  return out;
}

function decodeMultipartReply(r: Reader, ctx: WireContext): OfMessageBody {
  const type = r.u16();
  const more = (r.u16() & 1) !== 0;
  r.skip(4);
  switch (type) {
    case OFPMP.FLOW:
      return { kind: "flow_stats_reply", more, flows: decodeFlowStats(r, ctx) };
    case OFPMP.METER_FEATURES: {
      const maxMeter = r.u32();
      const bandTypes = r.u32();
      const capabilities = r.u32();
      const maxBands = r.u8();
      const maxColor = r.u8();
      r.skip(2);
      return { kind: "meter_features_reply", more, maxMeter, bandTypes, capabilities, maxBands, maxColor };
    }
    case OFPMP.PORT_DESC: {
      const ports: PortDesc[] = [];
      while (r.remaining > 0) ports.push(decodePortDesc(r));
      return { kind: "port_desc_reply", more, ports };
    }
    case OFPMP.PORT_STATS: {
      const ports = [];
      while (r.remaining > 0) {
        const len = r.u16();
        if (len < 80) wireFail("OFPBRC_BAD_LEN", `port stats length ${len}`);
        const e = r.sub(len - 2);
        e.skip(2);
        const portNo = port32to16(e.u32());
        const durationSec = e.u32();
        const durationNsec = e.u32();
        const c = Array.from({ length: 8 }, () => e.u64());
        ports.push({
          portNo,
          durationSec,
          durationNsec,
          rxPackets: c[0] ?? 0n,
          txPackets: c[1] ?? 0n,
          rxBytes: c[2] ?? 0n,
          txBytes: c[3] ?? 0n,
          rxDropped: c[4] ?? 0n,
          txDropped: c[5] ?? 0n,
          rxErrors: c[6] ?? 0n,
          txErrors: c[7] ?? 0n,
          properties: e.bytesN(e.remaining),
        });
      }
      return { kind: "port_stats_reply", more, ports };
    }
    case OFPMP.GROUP_DESC: {
      const groups: GroupDescEntry[] = [];
      while (r.remaining > 0) {
        const len = r.u16();
        if (len < 16) wireFail("OFPBRC_BAD_LEN", `group desc length ${len}`);
        const e = r.sub(len - 2);
        const typeCode = e.u8();
        const gtype = GROUP_TYPES[typeCode] ?? wireFail("OFPGMFC_BAD_TYPE", `group type ${typeCode}`);
        e.skip(1);
        const groupId = e.u32();
        const blen = e.u16();
        e.skip(6);
        const buckets = decodeBuckets(e.sub(blen), ctx);
        groups.push({ type: gtype, groupId, buckets, ...decodeGroupProps(e) });
      }
      return { kind: "group_desc_reply", more, groups };
    }
    case OFPMP.GROUP: {
      const groups = [];
      while (r.remaining > 0) {
        const len = r.u16();
        if (len < 40 || (len - 40) % 16 !== 0) wireFail("OFPBRC_BAD_LEN", `group stats length ${len}`);
        const e = r.sub(len - 2);
        e.skip(2);
        const groupId = e.u32();
        const refCount = e.u32();
        e.skip(4);
        const packetCount = e.u64();
        const byteCount = e.u64();
        const durationSec = e.u32();
        const durationNsec = e.u32();
        const buckets = [];
        while (e.remaining > 0) buckets.push({ packetCount: e.u64(), byteCount: e.u64() });
        groups.push({ groupId, refCount, packetCount, byteCount, durationSec, durationNsec, buckets });
      }
      return { kind: "group_stats_reply", more, groups };
    }
    case OFPMP.METER_CONFIG: {
      const meters = [];
      while (r.remaining > 0) {
        const len = r.u16();
        if (len < 8) wireFail("OFPBRC_BAD_LEN", `meter config length ${len}`);
        const flags = meterFlags(r.u16());
        const meterId = r.u32();
        meters.push({ meterId, flags, bands: decodeMeterBands(r.sub(len - 8)) });
      }
      return { kind: "meter_config_reply", more, meters };
    }
    case OFPMP.METER: {
      const meters = [];
      while (r.remaining > 0) {
        const meterId = r.u32();
        const len = r.u16();
        if (len < 40 || (len - 40) % 16 !== 0) wireFail("OFPBRC_BAD_LEN", `meter stats length ${len}`);
        const e = r.sub(len - 6);
        e.skip(6);
        const flowCount = e.u32();
        const packetInCount = e.u64();
        const byteInCount = e.u64();
        const durationSec = e.u32();
        const durationNsec = e.u32();
        const bands = [];
        while (e.remaining > 0) bands.push({ packetCount: e.u64(), byteCount: e.u64() });
        meters.push({ meterId, flowCount, packetInCount, byteInCount, durationSec, durationNsec, bands });
      }
      return { kind: "meter_stats_reply", more, meters };
    }
    default:
      return wireFail("OFPBRC_BAD_STAT", `unsupported multipart reply type ${type}`);
  }
}

function decodeMultipartRequest(r: Reader, ctx: WireContext): OfMessageBody {
  const type = r.u16();
  r.skip(6);
  switch (type) {
    case OFPMP.FLOW: {
      const tableId = r.u8();
      r.skip(3);
      const outPort = port32to16(r.u32());
      const outGroup = r.u32();
      r.skip(4);
      const cookie = r.u64();
      const cookieMask = r.u64();
      return {
        kind: "flow_stats_request",
        tableId,
        outPort,
        outGroup,
        cookie,
        cookieMask,
        match: decodeMatch(r, ctx),
      };
    }
    case OFPMP.METER_FEATURES:
      return { kind: "meter_features_request" };
    case OFPMP.PORT_STATS:
    case OFPMP.PORT_DESC: {
      const id = port32to16(r.u32());
      return { kind: type === OFPMP.PORT_STATS ? "port_stats_request" : "port_desc_request", id };
    }
    case OFPMP.GROUP:
    case OFPMP.GROUP_DESC:
      return { kind: type === OFPMP.GROUP ? "group_stats_request" : "group_desc_request", id: r.u32() };
    case OFPMP.METER:
    case OFPMP.METER_CONFIG:
      return { kind: type === OFPMP.METER ? "meter_stats_request" : "meter_config_request", id: r.u32() };
    default:
      return wireFail("OFPBRC_BAD_STAT", `unsupported multipart request type ${type}`);
  }
}

function decodeExperimenter(r: Reader): OfMessageBody {
  const vendor = r.u32();
  if (vendor !== NX_VENDOR) wireFail("OFPBRC_BAD_VENDOR", `experimenter 0x${vendor.toString(16)}`);
  const subtype = r.u32();
  switch (subtype) {
    case NXT.PACKET_IN2:
      return decodePacketIn2(r, "packet_in2");
    case NXT.RESUME:
      return decodePacketIn2(r, "resume");
    case NXT.TLV_TABLE_MOD: {
      const c = r.u16();
      r.skip(6);
      const command =
        c === 0
          ? "add"
          : c === 1
            ? "delete"
            : c === 2
              ? "clear"
              : wireFail("NXTTMFC_BAD_COMMAND", `tlv command ${c}`);
      return { kind: "tlv_table_mod", command, mappings: decodeTlvMappings(r) };
    }
    case NXT.TLV_TABLE_REQUEST:
      return { kind: "tlv_table_request" };
    case NXT.TLV_TABLE_REPLY: {
      const maxOptionSpace = r.u32();
      const maxFields = r.u16();
      r.skip(10);
      return { kind: "tlv_table_reply", maxOptionSpace, maxFields, mappings: decodeTlvMappings(r) };
    }
    case NXT.CT_FLUSH_ZONE:
      r.skip(6);
      return { kind: "ct_flush_zone", zone: r.u16() };
    case NXT.SET_PACKET_IN_FORMAT: {
      const f = r.u32();
      const format =
        f === 0
          ? "standard"
          : f === 1
            ? "nxt_packet_in"
            : f === 2
              ? "nxt_packet_in2"
              : wireFail("OFPBRC_EPERM", `packet-in format ${f}`);
      return { kind: "set_packet_in_format", format };
    }
    case NXT.SET_CONTROLLER_ID:
      r.skip(6);
      return { kind: "set_controller_id", controllerId: r.u16() };
    default:
      return wireFail("OFPBRC_BAD_SUBTYPE", `unknown Nicira message subtype ${subtype}`);
  }
}

function decodeBody(type: number, version: number, r: Reader, ctx: WireContext): OfMessageBody {
  switch (type) {
    case OFPT.HELLO: {
      const versions: number[] = [];
      while (r.remaining >= 4) {
        const et = r.u16();
        const el = r.u16();
        if (el < 4) wireFail("OFPHFC_INCOMPATIBLE", `hello element length ${el}`);
        const e = r.sub(Math.min(el - 4, r.remaining));
        if (et === 1) {
          let word = 0;
          while (e.remaining >= 4) {
            const bits = e.u32();
            for (let i = 0; i < 32; i++) if ((bits >>> i) & 1) versions.push(word * 32 + i);
            word++;
          }
        }
        r.skip(Math.min(r.remaining, (8 - (el % 8)) % 8));
      }
      // A hello without a bitmap offers its header's version (OpenFlow 1.3.1+ §6.3.1).
      return versions.length > 0
        ? { kind: "hello", versions }
        : { kind: "hello", versions: [version], bitmap: false };
    }
    case OFPT.ERROR: {
      const etype = r.u16();
      const code = r.u16();
      if (etype === 0xffff) {
        const experimenter = r.u32();
        return {
          kind: "error",
          type: etype,
          code,
          experimenter,
          name: errorName(etype, code, experimenter),
          data: r.bytesN(r.remaining),
        };
      }
      return { kind: "error", type: etype, code, name: errorName(etype, code), data: r.bytesN(r.remaining) };
    }
    case OFPT.ECHO_REQUEST:
      return { kind: "echo_request", data: r.bytesN(r.remaining) };
    case OFPT.ECHO_REPLY:
      return { kind: "echo_reply", data: r.bytesN(r.remaining) };
    case OFPT.FEATURES_REQUEST:
      return { kind: "features_request" };
    case OFPT.FEATURES_REPLY: {
      const datapathId = r.u64();
      const nBuffers = r.u32();
      const nTables = r.u8();
      const auxiliaryId = r.u8();
      r.skip(2);
      const capabilities = r.u32();
      r.skip(4);
      return { kind: "features_reply", datapathId, nBuffers, nTables, auxiliaryId, capabilities };
    }
    case OFPT.GET_CONFIG_REQUEST:
      return { kind: "get_config_request" };
    case OFPT.GET_CONFIG_REPLY:
    case OFPT.SET_CONFIG:
      return {
        kind: type === OFPT.SET_CONFIG ? "set_config" : "get_config_reply",
        flags: r.u16(),
        missSendLen: r.u16(),
      };
    case OFPT.BARRIER_REQUEST:
      return { kind: "barrier_request" };
    case OFPT.BARRIER_REPLY:
      return { kind: "barrier_reply" };
    case OFPT.GET_ASYNC_REQUEST:
      return { kind: "get_async_request" };
    case OFPT.SET_ASYNC:
    case OFPT.GET_ASYNC_REPLY: {
      const properties = [];
      while (r.remaining > 0) {
        const t = r.u16();
        const l = r.u16();
        if (l !== 8) wireFail("OFPBPC_BAD_LEN", `async property length ${l}`);
        properties.push({ type: t, mask: r.u32() });
      }
      return { kind: type === OFPT.SET_ASYNC ? "set_async" : "get_async_reply", properties };
    }
    case OFPT.FLOW_MOD:
      return { kind: "flow_mod", flowMod: decodeFlowMod(r, ctx) };
    case OFPT.GROUP_MOD:
      return { kind: "group_mod", groupMod: decodeGroupMod(r, ctx) };
    case OFPT.METER_MOD: {
      const c = r.u16();
      const command = METER_MOD_COMMANDS[c] ?? wireFail("OFPMMFC_BAD_COMMAND", `meter_mod command ${c}`);
      const flags = meterFlags(r.u16());
      const meterId = r.u32();
      return { kind: "meter_mod", meterMod: { command, meterId, flags, bands: decodeMeterBands(r) } };
    }
    case OFPT.PACKET_OUT: {
      const bufferId = r.u32();
      const actLen = r.u16();
      r.skip(2);
      const match = decodeMatch(r, ctx);
      const actions = decodeActionList(r.sub(actLen), ctx);
      return { kind: "packet_out", bufferId, match, actions, data: r.bytesN(r.remaining) };
    }
    case OFPT.PACKET_IN: {
      const bufferId = r.u32();
      const totalLen = r.u16();
      const reason = reasonName(r.u8());
      const tableId = r.u8();
      const cookie = r.u64();
      const match = decodeMatch(r, ctx);
      r.skip(2);
      return {
        kind: "packet_in",
        bufferId,
        totalLen,
        reason,
        tableId,
        cookie,
        match,
        data: r.bytesN(r.remaining),
      };
    }
    case OFPT.PORT_STATUS: {
      const rc = r.u8();
      const reason = PORT_REASONS[rc] ?? wireFail("OFPBRC_BAD_LEN", `port status reason ${rc}`);
      r.skip(7);
      return { kind: "port_status", reason, desc: decodePortDesc(r) };
    }
    case OFPT.BUNDLE_CONTROL: {
      const bundleId = r.u32();
      const t = r.u16();
      const btype = BUNDLE_TYPES[t] ?? wireFail("OFPBFC_BAD_TYPE", `bundle control type ${t}`);
      const flags = r.u16();
      return {
        kind: "bundle_control",
        bundleId,
        type: btype,
        atomic: (flags & 1) !== 0,
        ordered: (flags & 2) !== 0,
      };
    }
    case OFPT.BUNDLE_ADD_MESSAGE: {
      const bundleId = r.u32();
      r.skip(2);
      const flags = r.u16();
      if (r.remaining < 8) wireFail("OFPBFC_MSG_BAD_LEN", "bundle add without a message");
      const innerLen = r.peekU16(2);
      const inner = decodeOrThrow(r.bytesN(Math.min(innerLen, r.remaining)), ctx);
      return {
        kind: "bundle_add",
        bundleId,
        atomic: (flags & 1) !== 0,
        ordered: (flags & 2) !== 0,
        message: inner,
      };
    }
    case OFPT.EXPERIMENTER:
      return decodeExperimenter(r);
    case OFPT.MULTIPART_REQUEST:
      return decodeMultipartRequest(r, ctx);
    case OFPT.MULTIPART_REPLY:
      return decodeMultipartReply(r, ctx);
    default:
      return { kind: "unknown", version, type, body: r.bytesN(r.remaining) };
  }
}

function decodeOrThrow(bytes: Uint8Array, ctx: WireContext): OfMessage {
  const r = new Reader(bytes);
  const version = r.u8();
  const type = r.u8();
  const length = r.u16();
  const xid = r.u32();
  if (length < 8 || length > bytes.length)
    wireFail("OFPBRC_BAD_LEN", `message length ${length} (have ${bytes.length} bytes)`);
  const body = new Reader(bytes, 8, length);
  // Messages we do not interpret keep their version; the rest must be OpenFlow 1.5 (except hello,
  // which negotiates the version, and error, which may answer a hello of another version).
  if (version !== OFP15_VERSION && type !== OFPT.HELLO && type !== OFPT.ERROR) {
    return { kind: "unknown", version, type, body: bytes.slice(8, length), xid };
  }
  const msg = decodeBody(type, version, body, ctx);
  return { ...msg, xid };
}

/** Decodes one whole OpenFlow message (exactly its header's length). */
export function decodeMessage(bytes: Uint8Array, ctx: WireContext = {}): DecodeResult {
  try {
    return { ok: true, message: decodeOrThrow(bytes, ctx) };
  } catch (e) {
    const xid =
      bytes.length >= 8
        ? (((bytes[4] ?? 0) << 24) | ((bytes[5] ?? 0) << 16) | ((bytes[6] ?? 0) << 8) | (bytes[7] ?? 0)) >>> 0
        : undefined;
    const base =
      e instanceof WireError
        ? { error: e.message, code: e.code }
        : { error: String(e), code: "OFPBRC_BAD_LEN" };
    return xid === undefined ? { ok: false, ...base } : { ok: false, ...base, xid };
  }
}

/** Splits a byte stream into whole messages; returns them and the bytes left over. */
export function splitMessages(buf: Uint8Array): { messages: Uint8Array[]; rest: Uint8Array; error?: string } {
  const messages: Uint8Array[] = [];
  let pos = 0;
  while (buf.length - pos >= 8) {
    const len = ((buf[pos + 2] ?? 0) << 8) | (buf[pos + 3] ?? 0);
    if (len < 8) return { messages, rest: buf.subarray(pos), error: `message length ${len} is less than 8` };
    if (buf.length - pos < len) break;
    messages.push(buf.subarray(pos, pos + len));
    pos += len;
  }
  return { messages, rest: buf.subarray(pos) };
}
