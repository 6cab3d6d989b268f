// Actions and instructions on the wire: OpenFlow 1.5 action TLVs (OFPAT_*) and Nicira extension
// actions (NXAST_*, experimenter 0x00002320), in the encodings Open vSwitch 3.1 itself chooses
// (observed with ovs-ofctl -O OpenFlow15 and checked with ovs-ofctl ofp-print):
// - load becomes a masked OFPAT_SET_FIELD; move is OFPAT_COPY_FIELD; resubmit is NXAST_RESUBMIT_TABLE;
// - controller is OFPAT_OUTPUT to CONTROLLER when plain, NXAST_CONTROLLER when only reason/id differ,
//   else NXAST_CONTROLLER2 with properties;
// - set_field / copy_field use OXM headers where a field has one, Nicira actions NXM headers.
// One encoder and one decoder per action kind, in tables keyed by kind and by type/subtype.

import { Reader, type Writer, wireFail } from "./bytes.js";
import { FIELDS, fullMask } from "./fields.js";
import type {
  Action,
  CtAction,
  FieldName,
  HashFields,
  LearnAction,
  LearnSource,
  LearnSpec,
  NatSpec,
  PacketInReason,
  Subfield,
} from "./model.js";
import { OFPP_CONTROLLER, OFPP_NONE } from "./model.js";
import {
  fieldBytes,
  nxHeader,
  ofHeader,
  port16to32,
  port32to16,
  putFieldHeader,
  putOxm,
  readHeader,
  readOxm,
  type WireContext,
} from "./oxm.js";

export const NX_VENDOR = 0x00002320;

/** OFPAT_* action types used here. */
const OFPAT = {
  OUTPUT: 0,
  PUSH_VLAN: 17,
  POP_VLAN: 18,
  SET_QUEUE: 21,
  GROUP: 22,
  SET_NW_TTL: 23,
  DEC_NW_TTL: 24,
  SET_FIELD: 25,
  COPY_FIELD: 28,
  METER: 29,
  EXPERIMENTER: 0xffff,
} as const;

/** NXAST_* subtypes used here. */
const NXAST = {
  RESUBMIT: 1,
  POP_QUEUE: 5,
  NOTE: 8,
  MULTIPATH: 10,
  BUNDLE: 12,
  BUNDLE_LOAD: 13,
  RESUBMIT_TABLE: 14,
  OUTPUT_REG: 15,
  LEARN: 16,
  EXIT: 17,
  FIN_TIMEOUT: 19,
  CONTROLLER: 20,
  DEC_TTL_CNT_IDS: 21,
  STACK_PUSH: 27,
  STACK_POP: 28,
  SAMPLE: 29,
  OUTPUT_REG2: 32,
  CONJUNCTION: 34,
  CT: 35,
  NAT: 36,
  CONTROLLER2: 37,
  SAMPLE2: 38,
  OUTPUT_TRUNC: 39,
  SAMPLE3: 41,
  CLONE: 42,
  CT_CLEAR: 43,
  RESUBMIT_TABLE_CT: 44,
  LEARN2: 45,
  CHECK_PKT_LARGER: 49,
} as const;

const REASONS: readonly PacketInReason[] = [
  "no_match",
  "action",
  "invalid_ttl",
  "action_set",
  "group",
  "packet_out",
];
const HASH_FIELDS: readonly HashFields[] = [
  "eth_src",
  "symmetric_l4",
  "symmetric_l3l4",
  "symmetric_l3l4+udp",
  "nw_src",
  "nw_dst",
  "symmetric_l3",
];
const MP_ALGORITHMS = ["modulo_n", "hash_threshold", "hrw", "iter_hash"] as const;
const BUNDLE_ALGORITHMS = ["active_backup", "hrw"] as const;

export function reasonCode(r: PacketInReason): number {
  return REASONS.indexOf(r);
}
export function reasonName(code: number): PacketInReason {
  return REASONS[code] ?? wireFail("OFPBAC_BAD_ARGUMENT", `unknown packet-in reason ${code}`);
}

// ---------------------------------------------------------------------------------------------------
// Encoding.

/** Writes an OpenFlow action header and returns where its length goes. */
function ofStart(w: Writer, type: number): number {
  const at = w.length;
  w.u16(type).u16(0);
  return at;
}
function nxStart(w: Writer, subtype: number): number {
  const at = w.length;
  w.u16(OFPAT.EXPERIMENTER).u16(0).u32(NX_VENDOR).u16(subtype);
  return at;
}
/** Pads the action to 8 bytes and writes its length. */
function end(w: Writer, at: number): void {
  w.pad(8);
  w.patchU16(at + 2, w.length - at);
}

function ofsNbits(sf: Subfield): number {
  return (sf.ofs << 6) | (sf.nBits - 1);
}

function putSetField(
  w: Writer,
  field: FieldName,
  value: bigint,
  mask: bigint | undefined,
  ctx: WireContext,
): void {
  const at = ofStart(w, OFPAT.SET_FIELD);
  const n = fieldBytes(field, ctx, value, mask);
  const full = (1n << BigInt(n * 8)) - 1n;
  const exact = mask === undefined || (mask & full) === full || mask === fullMask(field);
  let v = value;
  if (field === "in_port_oxm" || field === "actset_output") v = BigInt(port16to32(Number(value)));
  putOxm(w, ofHeader(field), n, exact ? v : v & (mask ?? full), exact ? undefined : mask);
  end(w, at);
}

function natFlags(n: NatSpec): number {
  return (
    (n.kind === "src" ? 1 : n.kind === "dst" ? 2 : 0) |
    (n.persistent ? 4 : 0) |
    (n.hash ? 8 : 0) |
    (n.random ? 0x10 : 0)
  );
}

function putNat(w: Writer, n: NatSpec): void {
  const at = nxStart(w, NXAST.NAT);
  let present = 0;
  if (n.addr !== null) {
    present |= n.addr.v6 ? 0x4 : 0x1;
    if (n.addr.max !== n.addr.min) present |= n.addr.v6 ? 0x8 : 0x2;
  }
  if (n.ports !== null) {
    present |= 0x10;
    if (n.ports.max !== n.ports.min) present |= 0x20;
  }
  w.u16(0).u16(natFlags(n)).u16(present);
  if (n.addr !== null) {
    const bytes = n.addr.v6 ? 16 : 4;
    w.uint(n.addr.min, bytes);
    if (present & 0xa) w.uint(n.addr.max, bytes);
  }
  if (n.ports !== null) {
    w.u16(n.ports.min);
    if (present & 0x20) w.u16(n.ports.max);
  }
  end(w, at);
}

function putCt(w: Writer, a: CtAction, ctx: WireContext): void {
  const at = nxStart(w, NXAST.CT);
  w.u16((a.commit ? 1 : 0) | (a.force ? 2 : 0));
  if (typeof a.zone === "number") {
    w.u32(0).u16(a.zone);
  } else {
    putFieldHeader(w, nxHeader(a.zone.field), a.zone.field, ctx);
    w.u16(ofsNbits(a.zone));
  }
  w.u8(a.table ?? 0xff)
    .zeros(3)
    .u16(a.alg);
  if (a.nat !== null) putNat(w, a.nat);
  encodeActionList(w, a.exec, ctx);
  end(w, at);
}

function putController(w: Writer, a: Extract<Action, { kind: "controller" }>): void {
  const needs2 = a.userdata !== null || a.pause || a.meterId !== null;
  if (!needs2 && a.reason === "action" && a.controllerId === 0) {
    const at = ofStart(w, OFPAT.OUTPUT);
    w.u32(port16to32(OFPP_CONTROLLER)).u16(a.maxLen).zeros(6);
    end(w, at);
    return;
  }
  if (!needs2) {
    const at = nxStart(w, NXAST.CONTROLLER);
    w.u16(a.maxLen).u16(a.controllerId).u8(reasonCode(a.reason)).u8(0);
    end(w, at);
    return;
  }
  const at = nxStart(w, NXAST.CONTROLLER2);
  w.zeros(6);
  const prop = (type: number, body: (pw: Writer) => void): void => {
    const p = w.length;
    w.u16(type).u16(0);
    body(w);
    w.patchU16(p + 2, w.length - p);
    w.pad(8);
  };
  if (a.maxLen !== 0xffff) prop(0, (pw) => pw.u16(a.maxLen).u16(0));
  if (a.controllerId !== 0) prop(1, (pw) => pw.u16(a.controllerId).u16(0));
  if (a.reason !== "action") prop(2, (pw) => pw.u8(reasonCode(a.reason)));
  if (a.userdata !== null) {
    const ud = a.userdata;
    prop(3, (pw) => pw.bytes(ud));
  }
  if (a.pause) prop(4, () => {});
  if (a.meterId !== null) {
    const m = a.meterId;
    prop(5, (pw) => pw.u32(m));
  }
  end(w, at);
}

function putLearnSource(w: Writer, src: LearnSource, nBits: number, ctx: WireContext): void {
  if (src.kind === "field") {
    putFieldHeader(w, nxHeader(src.src.field), src.src.field, ctx);
    w.u16(src.src.ofs);
  } else {
    w.uint(src.value, Math.ceil(nBits / 16) * 2);
  }
}

function putLearnSpec(w: Writer, s: LearnSpec, ctx: WireContext): void {
  if (s.kind === "output") {
    w.u16((2 << 11) | s.src.nBits);
    putFieldHeader(w, nxHeader(s.src.field), s.src.field, ctx);
    w.u16(s.src.ofs);
    return;
  }
  const nBits = s.dst.nBits;
  w.u16((s.src.kind === "imm" ? 1 << 13 : 0) | ((s.kind === "load" ? 1 : 0) << 11) | nBits);
  putLearnSource(w, s.src, nBits, ctx);
  putFieldHeader(w, nxHeader(s.dst.field), s.dst.field, ctx);
  w.u16(s.dst.ofs);
}

function putLearn(w: Writer, a: LearnAction, ctx: WireContext): void {
  const v2 = a.limit !== 0 || a.resultDst !== null;
  const at = nxStart(w, v2 ? NXAST.LEARN2 : NXAST.LEARN);
  const flags = (a.sendFlowRem ? 1 : 0) | (a.deleteLearned ? 2 : 0) | (a.resultDst !== null ? 4 : 0);
  w.u16(a.idleTimeout).u16(a.hardTimeout).u16(a.priority).u64(a.cookie).u16(flags).u8(a.table).u8(0);
  w.u16(a.finIdleTimeout).u16(a.finHardTimeout);
  if (v2) {
    w.u32(a.limit)
      .u16(a.resultDst?.ofs ?? 0)
      .u16(0);
    if (a.resultDst !== null) putFieldHeader(w, nxHeader(a.resultDst.field), a.resultDst.field, ctx);
  }
  for (const s of a.specs) putLearnSpec(w, s, ctx);
  end(w, at);
}

type Encoder<K extends Action["kind"]> = (
  w: Writer,
  a: Extract<Action, { kind: K }>,
  ctx: WireContext,
) => void;

const ENCODERS: { [K in Action["kind"]]: Encoder<K> } = {
  output: (w, a) => {
    if (a.maxLen !== undefined && a.port !== OFPP_CONTROLLER) {
      const at = nxStart(w, NXAST.OUTPUT_TRUNC);
      w.u16(a.port).u32(a.maxLen);
      end(w, at);
      return;
    }
    const at = ofStart(w, OFPAT.OUTPUT);
    w.u32(port16to32(a.port))
      .u16(a.port === OFPP_CONTROLLER ? (a.maxLen ?? 0xffff) : 0)
      .zeros(6);
    end(w, at);
  },
  output_reg: (w, a, ctx) => {
    const at = nxStart(w, NXAST.OUTPUT_REG);
    w.u16(ofsNbits(a.src));
    putFieldHeader(w, nxHeader(a.src.field), a.src.field, ctx);
    w.u16(a.maxLen);
    end(w, at);
  },
  enqueue: (w, a, ctx) => {
    ENCODERS.set_queue(w, { kind: "set_queue", queue: a.queue }, ctx);
    const at = ofStart(w, OFPAT.OUTPUT);
    w.u32(port16to32(a.port)).u16(0xffff).zeros(6);
    end(w, at);
    ENCODERS.pop_queue(w, { kind: "pop_queue" }, ctx);
  },
  controller: (w, a) => putController(w, a),
  resubmit: (w, a) => {
    const at = nxStart(w, a.ct ? NXAST.RESUBMIT_TABLE_CT : NXAST.RESUBMIT_TABLE);
    w.u16(a.port).u8(a.table ?? 0xff);
    end(w, at);
  },
  set_field: (w, a, ctx) => putSetField(w, a.field, a.value, a.mask, ctx),
  load: (w, a, ctx) => {
    const full = fullMask(a.dst.field);
    const mask = (((1n << BigInt(a.dst.nBits)) - 1n) << BigInt(a.dst.ofs)) & full;
    putSetField(w, a.dst.field, (a.value << BigInt(a.dst.ofs)) & mask, mask === full ? undefined : mask, ctx);
  },
  move: (w, a, ctx) => {
    const at = ofStart(w, OFPAT.COPY_FIELD);
    w.u16(a.src.nBits).u16(a.src.ofs).u16(a.dst.ofs).u16(0);
    putFieldHeader(w, ofHeader(a.src.field), a.src.field, ctx);
    putFieldHeader(w, ofHeader(a.dst.field), a.dst.field, ctx);
    end(w, at);
  },
  push: (w, a, ctx) => {
    const at = nxStart(w, NXAST.STACK_PUSH);
    w.u16(a.src.ofs);
    putFieldHeader(w, nxHeader(a.src.field), a.src.field, ctx);
    w.u16(a.src.nBits);
    end(w, at);
  },
  pop: (w, a, ctx) => {
    const at = nxStart(w, NXAST.STACK_POP);
    w.u16(a.dst.ofs);
    putFieldHeader(w, nxHeader(a.dst.field), a.dst.field, ctx);
    w.u16(a.dst.nBits);
    end(w, at);
  },
  push_vlan: (w, a) => {
    const at = ofStart(w, OFPAT.PUSH_VLAN);
    w.u16(a.ethertype);
    end(w, at);
  },
  pop_vlan: (w) => end(w, ofStart(w, OFPAT.POP_VLAN)),
  strip_vlan: (w) => end(w, ofStart(w, OFPAT.POP_VLAN)),
  ct: (w, a, ctx) => putCt(w, a, ctx),
  ct_clear: (w) => end(w, nxStart(w, NXAST.CT_CLEAR)),
  conjunction: (w, a) => {
    const at = nxStart(w, NXAST.CONJUNCTION);
    w.u8(a.k - 1)
      .u8(a.n)
      .u32(a.id);
    end(w, at);
  },
  learn: (w, a, ctx) => putLearn(w, a, ctx),
  group: (w, a) => {
    const at = ofStart(w, OFPAT.GROUP);
    w.u32(a.id);
    end(w, at);
  },
  meter: (w, a) => {
    const at = ofStart(w, OFPAT.METER);
    w.u32(a.id);
    end(w, at);
  },
  dec_ttl: (w, a) => {
    const at = nxStart(w, NXAST.DEC_TTL_CNT_IDS);
    w.u16(a.controllerIds.length).zeros(4);
    for (const id of a.controllerIds) w.u16(id);
    end(w, at);
  },
  dec_nw_ttl: (w) => end(w, ofStart(w, OFPAT.DEC_NW_TTL)),
  set_ttl: (w, a) => {
    const at = ofStart(w, OFPAT.SET_NW_TTL);
    w.u8(a.ttl);
    end(w, at);
  },
  check_pkt_larger: (w, a, ctx) => {
    const at = nxStart(w, NXAST.CHECK_PKT_LARGER);
    w.u16(a.len).u16(a.dst.ofs);
    putFieldHeader(w, nxHeader(a.dst.field), a.dst.field, ctx);
    end(w, at);
  },
  clone: (w, a, ctx) => {
    const at = nxStart(w, NXAST.CLONE);
    w.zeros(6);
    encodeActionList(w, a.actions, ctx);
    end(w, at);
  },
  note: (w, a) => {
    const at = nxStart(w, NXAST.NOTE);
    w.bytes(a.bytes);
    end(w, at);
  },
  multipath: (w, a, ctx) => {
    const at = nxStart(w, NXAST.MULTIPATH);
    w.u16(HASH_FIELDS.indexOf(a.fields)).u16(a.basis).u16(0);
    w.u16(MP_ALGORITHMS.indexOf(a.algorithm)).u16(a.maxLink).u32(a.arg).u16(0);
    w.u16(ofsNbits(a.dst));
    putFieldHeader(w, nxHeader(a.dst.field), a.dst.field, ctx);
    end(w, at);
  },
  bundle: (w, a, ctx) => {
    const at = nxStart(w, a.dst === null ? NXAST.BUNDLE : NXAST.BUNDLE_LOAD);
    w.u16(BUNDLE_ALGORITHMS.indexOf(a.algorithm)).u16(HASH_FIELDS.indexOf(a.fields)).u16(a.basis);
    w.u32(0x00000002).u16(a.members.length);
    if (a.dst === null) w.u16(0).u32(0);
    else {
      w.u16(ofsNbits(a.dst));
      putFieldHeader(w, nxHeader(a.dst.field), a.dst.field, ctx);
    }
    w.zeros(4);
    for (const m of a.members) w.u16(m);
    end(w, at);
  },
  set_queue: (w, a) => {
    const at = ofStart(w, OFPAT.SET_QUEUE);
    w.u32(a.queue);
    end(w, at);
  },
  pop_queue: (w) => end(w, nxStart(w, NXAST.POP_QUEUE)),
  exit: (w) => end(w, nxStart(w, NXAST.EXIT)),
  fin_timeout: (w, a) => {
    const at = nxStart(w, NXAST.FIN_TIMEOUT);
    w.u16(a.idleTimeout).u16(a.hardTimeout);
    end(w, at);
  },
  sample: (w, a) => {
    const v3 = a.samplingPort !== OFPP_NONE || a.direction !== "default";
    const at = nxStart(w, v3 ? NXAST.SAMPLE3 : NXAST.SAMPLE);
    w.u16(a.probability).u32(a.collectorSetId).u32(a.obsDomainId).u32(a.obsPointId);
    if (v3) w.u16(a.samplingPort).u8(a.direction === "ingress" ? 1 : a.direction === "egress" ? 2 : 0);
    end(w, at);
  },
  // Instructions: never inside an action list (encodeInstructions takes them out).
  goto_table: () => wireFail("OFPBAC_BAD_TYPE", "goto_table is an instruction, not an action"),
  write_metadata: () => wireFail("OFPBAC_BAD_TYPE", "write_metadata is an instruction, not an action"),
  clear_actions: () => wireFail("OFPBAC_BAD_TYPE", "clear_actions is an instruction, not an action"),
  write_actions: () => wireFail("OFPBAC_BAD_TYPE", "write_actions is an instruction, not an action"),
};

/** Writes actions as a plain list of action TLVs (apply_actions body, bucket, packet_out, nested). */
export function encodeActionList(w: Writer, actions: readonly Action[], ctx: WireContext = {}): void {
  // Indexed, as the other loops of a flow's encoding: a for-of allocates an iterator result per step in
  // code not yet optimised, which is what a controller's start-up install runs.
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i] as Action;
    (ENCODERS[a.kind] as Encoder<typeof a.kind>)(w, a as never, ctx);
  }
}

/** Actions that are instructions of their own rather than part of apply_actions. */
const INSTRUCTION_KINDS: ReadonlySet<string> = new Set([
  "goto_table",
  "write_metadata",
  "clear_actions",
  "write_actions",
]);

/** Writes the model's action list as OpenFlow 1.5 instructions (apply, clear, write, metadata, goto). */
export function encodeInstructions(w: Writer, actions: readonly Action[], ctx: WireContext = {}): void {
  let applyOnly = true;
  for (let i = 0; i < actions.length; i++)
    if (INSTRUCTION_KINDS.has((actions[i] as Action).kind)) applyOnly = false;
  const apply = applyOnly ? actions : actions.filter((a) => !INSTRUCTION_KINDS.has(a.kind));
  if (apply.length > 0) {
    const at = w.length;
    w.u16(4).u16(0).zeros(4);
    encodeActionList(w, apply, ctx);
    w.patchU16(at + 2, w.length - at);
  }
  if (applyOnly) return;
  for (const a of actions) {
    if (a.kind === "clear_actions") w.u16(5).u16(8).zeros(4);
  }
  for (const a of actions) {
    if (a.kind !== "write_actions") continue;
    const at = w.length;
    w.u16(3).u16(0).zeros(4);
    encodeActionList(w, a.actions, ctx);
    w.patchU16(at + 2, w.length - at);
  }
  for (const a of actions) {
    if (a.kind === "write_metadata")
      w.u16(2)
        .u16(24)
        .zeros(4)
        .u64(a.value)
        .u64(a.mask ?? 0xffffffffffffffffn);
  }
  for (const a of actions) {
    if (a.kind === "goto_table") w.u16(1).u16(8).u8(a.table).zeros(3);
  }
}

// ---------------------------------------------------------------------------------------------------
// Decoding.  Each decoder receives a reader over the action's body (after type/len, and for Nicira
// actions after vendor/subtype).

function subfieldAt(field: FieldName, ofsNbitsWord: number): Subfield {
  const ofs = ofsNbitsWord >> 6;
  const nBits = (ofsNbitsWord & 0x3f) + 1;
  if (ofs + nBits > FIELDS[field].bits)
    wireFail("OFPBAC_BAD_SET_LEN", `subfield ${field}[${ofs}..${ofs + nBits - 1}] out of range`);
  return { field, ofs, nBits };
}

function checkedSubfield(field: FieldName, ofs: number, nBits: number): Subfield {
  if (nBits < 1 || ofs + nBits > FIELDS[field].bits)
    wireFail("OFPBAC_BAD_SET_LEN", `subfield ${field}[${ofs}+${nBits}] out of range`);
  return { field, ofs, nBits };
}

function decodeSetField(r: Reader): Action {
  const raw = readOxm(r);
  let v = raw.value;
  if (raw.field === "in_port_oxm" || raw.field === "actset_output") v = BigInt(port32to16(Number(v)));
  return raw.mask === undefined
    ? { kind: "set_field", field: raw.field, value: v }
    : { kind: "set_field", field: raw.field, value: v & raw.mask, mask: raw.mask };
}

function decodeNat(r: Reader): NatSpec {
  r.skip(2);
  const flags = r.u16();
  const present = r.u16();
  let addr: NatSpec["addr"] = null;
  if (present & 0x3) {
    const min = present & 0x1 ? r.uint(4) : 0n;
    const max = present & 0x2 ? r.uint(4) : min;
    addr = { v6: false, min, max };
  } else if (present & 0xc) {
    const min = present & 0x4 ? r.uint(16) : 0n;
    const max = present & 0x8 ? r.uint(16) : min;
    addr = { v6: true, min, max };
  }
  let ports: NatSpec["ports"] = null;
  if (present & 0x30) {
    const min = present & 0x10 ? r.u16() : 0;
    ports = { min, max: present & 0x20 ? r.u16() : min };
  }
  return {
    kind: flags & 1 ? "src" : flags & 2 ? "dst" : null,
    addr,
    ports,
    persistent: (flags & 4) !== 0,
    hash: (flags & 8) !== 0,
    random: (flags & 0x10) !== 0,
  };
}

function decodeCt(r: Reader, ctx: WireContext): Action {
  const flags = r.u16();
  const zoneSrc = r.u32();
  const zoneWord = r.u16();
  let zone: number | Subfield = zoneWord;
  if (zoneSrc !== 0) {
    const hr = new Reader(
      Uint8Array.of(zoneSrc >>> 24, (zoneSrc >>> 16) & 0xff, (zoneSrc >>> 8) & 0xff, zoneSrc & 0xff),
    );
    zone = subfieldAt(readHeader(hr).field, zoneWord);
  }
  const table = r.u8();
  r.skip(3);
  const alg = r.u16();
  let nat: NatSpec | null = null;
  // A nat action may only come first among ct's nested actions.
  if (r.remaining >= 10 && r.peekU16(0) === OFPAT.EXPERIMENTER && r.peekU16(8) === NXAST.NAT) {
    r.skip(2);
    const len = r.u16();
    if (len < 16 || len % 8 !== 0) wireFail("OFPBAC_BAD_LEN", `nat length ${len}`);
    const body = r.sub(len - 4);
    body.skip(6);
    nat = decodeNat(body);
  }
  const nested = decodeActionList(r, ctx);
  return {
    kind: "ct",
    commit: (flags & 1) !== 0,
    force: (flags & 2) !== 0,
    zone,
    table: table === 0xff ? null : table,
    alg,
    nat,
    exec: nested,
  };
}

function decodeController2(r: Reader): Action {
  r.skip(6);
  let maxLen = 0xffff;
  let controllerId = 0;
  let reason: PacketInReason = "action";
  let userdata: Uint8Array | null = null;
  let pause = false;
  let meterId: number | null = null;
  while (r.remaining > 0) {
    const type = r.u16();
    const len = r.u16();
    if (len < 4) wireFail("OFPBPC_BAD_LEN", `controller property length ${len}`);
    const body = r.sub(len - 4);
    r.skip(Math.min(r.remaining, (8 - (len % 8)) % 8));
    switch (type) {
      case 0:
        maxLen = body.u16();
        break;
      case 1:
        controllerId = body.u16();
        break;
      case 2:
        reason = reasonName(body.u8());
        break;
      case 3:
        userdata = body.bytesN(body.remaining);
        break;
      case 4:
        pause = true;
        break;
      case 5:
        meterId = body.u32();
        break;
      default:
        wireFail("OFPBPC_BAD_TYPE", `unknown controller property ${type}`);
    }
  }
  return { kind: "controller", maxLen, reason, controllerId, userdata, pause, meterId };
}

function decodeLearnSpecs(r: Reader, ctx: WireContext): LearnSpec[] {
  const specs: LearnSpec[] = [];
  while (r.remaining >= 2) {
    const word = r.u16();
    if (word === 0) break;
    const nBits = word & 0x7ff;
    const srcImm = (word >> 13) & 1;
    const dstType = (word >> 11) & 3;
    if (nBits === 0) wireFail("OFPBAC_BAD_ARGUMENT", "learn spec with zero bits");
    if (dstType === 2) {
      const f = readHeader(r).field;
      specs.push({ kind: "output", src: checkedSubfield(f, r.u16(), nBits) });
      continue;
    }
    if (dstType === 3) wireFail("OFPBAC_BAD_ARGUMENT", "learn spec with reserved destination type");
    let src: LearnSource;
    if (srcImm) {
      src = { kind: "imm", value: r.uint(Math.ceil(nBits / 16) * 2), nBits };
    } else {
      const f = readHeader(r).field;
      src = { kind: "field", src: checkedSubfield(f, r.u16(), nBits) };
    }
    const df = readHeader(r).field;
    const dst = checkedSubfield(df, r.u16(), nBits);
    specs.push(dstType === 0 ? { kind: "match", dst, src } : { kind: "load", dst, src });
  }
  void ctx;
  return specs;
}

function decodeLearn(r: Reader, v2: boolean, ctx: WireContext): Action {
  const idleTimeout = r.u16();
  const hardTimeout = r.u16();
  const priority = r.u16();
  const cookie = r.u64();
  const flags = r.u16();
  const table = r.u8();
  r.skip(1);
  const finIdleTimeout = r.u16();
  const finHardTimeout = r.u16();
  let limit = 0;
  let resultDst: Subfield | null = null;
  if (v2) {
    limit = r.u32();
    const ofs = r.u16();
    r.skip(2);
    if (flags & 4) resultDst = checkedSubfield(readHeader(r).field, ofs, 1);
  }
  return {
    kind: "learn",
    table,
    idleTimeout,
    hardTimeout,
    finIdleTimeout,
    finHardTimeout,
    priority,
    cookie,
    sendFlowRem: (flags & 1) !== 0,
    deleteLearned: (flags & 2) !== 0,
    limit,
    resultDst,
    specs: decodeLearnSpecs(r, ctx),
  };
}

function hashFields(n: number): HashFields {
  return HASH_FIELDS[n] ?? wireFail("OFPBAC_BAD_ARGUMENT", `unknown hash fields ${n}`);
}

function decodeNx(subtype: number, r: Reader, ctx: WireContext, out: Action[]): void {
  switch (subtype) {
    case NXAST.RESUBMIT:
      out.push({ kind: "resubmit", port: r.u16(), table: null, ct: false });
      return;
    case NXAST.RESUBMIT_TABLE:
    case NXAST.RESUBMIT_TABLE_CT: {
      const port = r.u16();
      const table = r.u8();
      out.push({
        kind: "resubmit",
        port,
        table: table === 0xff ? null : table,
        ct: subtype === NXAST.RESUBMIT_TABLE_CT,
      });
      return;
    }
    case NXAST.POP_QUEUE:
      out.push({ kind: "pop_queue" });
      return;
    case NXAST.NOTE:
      out.push({ kind: "note", bytes: r.bytesN(r.remaining) });
      return;
    case NXAST.MULTIPATH: {
      const fields = hashFields(r.u16());
      const basis = r.u16();
      r.skip(2);
      const algorithm =
        MP_ALGORITHMS[r.u16()] ?? wireFail("OFPBAC_BAD_ARGUMENT", "unknown multipath algorithm");
      const maxLink = r.u16();
      const arg = r.u32();
      r.skip(2);
      const on = r.u16();
      const dst = subfieldAt(readHeader(r).field, on);
      out.push({ kind: "multipath", fields, basis, algorithm, maxLink, arg, dst });
      return;
    }
    case NXAST.BUNDLE:
    case NXAST.BUNDLE_LOAD: {
      const algorithm =
        BUNDLE_ALGORITHMS[r.u16()] ?? wireFail("OFPBAC_BAD_ARGUMENT", "unknown bundle algorithm");
      const fields = hashFields(r.u16());
      const basis = r.u16();
      r.skip(4);
      const n = r.u16();
      const on = r.u16();
      const dstHeader = r.u32();
      r.skip(4);
      let dst: Subfield | null = null;
      if (subtype === NXAST.BUNDLE_LOAD) {
        const hr = new Reader(
          Uint8Array.of(
            dstHeader >>> 24,
            (dstHeader >>> 16) & 0xff,
            (dstHeader >>> 8) & 0xff,
            dstHeader & 0xff,
          ),
        );
        dst = subfieldAt(readHeader(hr).field, on);
      }
      const members: number[] = [];
      for (let i = 0; i < n; i++) members.push(r.u16());
      out.push({ kind: "bundle", fields, basis, algorithm, members, dst });
      return;
    }
    case NXAST.OUTPUT_REG: {
      const on = r.u16();
      const src = subfieldAt(readHeader(r).field, on);
      out.push({ kind: "output_reg", src, maxLen: r.u16() });
      return;
    }
    case NXAST.LEARN:
    case NXAST.LEARN2:
      out.push(decodeLearn(r, subtype === NXAST.LEARN2, ctx));
      return;
    case NXAST.EXIT:
      out.push({ kind: "exit" });
      return;
    case NXAST.FIN_TIMEOUT:
      out.push({ kind: "fin_timeout", idleTimeout: r.u16(), hardTimeout: r.u16() });
      return;
    case NXAST.CONTROLLER: {
      const maxLen = r.u16();
      const controllerId = r.u16();
      const reason = reasonName(r.u8());
      out.push({
        kind: "controller",
        maxLen,
        reason,
        controllerId,
        userdata: null,
        pause: false,
        meterId: null,
      });
      return;
    }
    case NXAST.CONTROLLER2:
      out.push(decodeController2(r));
      return;
    case NXAST.DEC_TTL_CNT_IDS: {
      const n = r.u16();
      r.skip(4);
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push(r.u16());
      out.push({ kind: "dec_ttl", controllerIds: ids });
      return;
    }
    case NXAST.STACK_PUSH:
    case NXAST.STACK_POP: {
      const ofs = r.u16();
      const f = readHeader(r).field;
      const sf = checkedSubfield(f, ofs, r.u16());
      out.push(subtype === NXAST.STACK_PUSH ? { kind: "push", src: sf } : { kind: "pop", dst: sf });
      return;
    }
    case NXAST.SAMPLE:
    case NXAST.SAMPLE2:
    case NXAST.SAMPLE3: {
      const probability = r.u16();
      const collectorSetId = r.u32();
      const obsDomainId = r.u32();
      const obsPointId = r.u32();
      let samplingPort = OFPP_NONE;
      let direction: "default" | "ingress" | "egress" = "default";
      if (subtype !== NXAST.SAMPLE) {
        samplingPort = r.u16();
        if (subtype === NXAST.SAMPLE3) {
          const d = r.u8();
          direction = d === 1 ? "ingress" : d === 2 ? "egress" : "default";
        }
      }
      out.push({
        kind: "sample",
        probability,
        collectorSetId,
        obsDomainId,
        obsPointId,
        samplingPort,
        direction,
      });
      return;
    }
    case NXAST.CONJUNCTION: {
      const clause = r.u8();
      const n = r.u8();
      const id = r.u32();
      if (n < 2 || n > 64 || clause >= n)
        wireFail("OFPBAC_BAD_ARGUMENT", `conjunction clause ${clause + 1}/${n}`);
      out.push({ kind: "conjunction", id, k: clause + 1, n });
      return;
    }
    case NXAST.CT:
      out.push(decodeCt(r, ctx));
      return;
    case NXAST.NAT:
      wireFail("OFPBAC_BAD_ARGUMENT", "nat outside ct");
      return;
    case NXAST.OUTPUT_TRUNC: {
      const port = r.u16();
      out.push({ kind: "output", port, maxLen: r.u32() });
      return;
    }
    case NXAST.CLONE:
      r.skip(6);
      out.push({ kind: "clone", actions: decodeActionList(r, ctx) });
      return;
    case NXAST.CT_CLEAR:
      out.push({ kind: "ct_clear" });
      return;
    case NXAST.CHECK_PKT_LARGER: {
      const len = r.u16();
      const ofs = r.u16();
      const f = readHeader(r).field;
      out.push({ kind: "check_pkt_larger", len, dst: checkedSubfield(f, ofs, 1) });
      return;
    }
    default:
      wireFail("OFPBAC_BAD_EXP_TYPE", `unknown Nicira action subtype ${subtype}`);
  }
}

function decodeOf(type: number, r: Reader, out: Action[]): void {
  switch (type) {
    case OFPAT.OUTPUT: {
      const port = port32to16(r.u32());
      const maxLen = r.u16();
      if (port === OFPP_CONTROLLER) {
        out.push({
          kind: "controller",
          maxLen,
          reason: "action",
          controllerId: 0,
          userdata: null,
          pause: false,
          meterId: null,
        });
      } else out.push({ kind: "output", port });
      return;
    }
    case OFPAT.PUSH_VLAN:
      out.push({ kind: "push_vlan", ethertype: r.u16() });
      return;
    case OFPAT.POP_VLAN:
      out.push({ kind: "pop_vlan" });
      return;
    case OFPAT.SET_QUEUE:
      out.push({ kind: "set_queue", queue: r.u32() });
      return;
    case OFPAT.GROUP:
      out.push({ kind: "group", id: r.u32() });
      return;
    case OFPAT.SET_NW_TTL:
      out.push({ kind: "set_ttl", ttl: r.u8() });
      return;
    case OFPAT.DEC_NW_TTL:
      out.push({ kind: "dec_nw_ttl" });
      return;
    case OFPAT.SET_FIELD:
      out.push(decodeSetField(r));
      return;
    case OFPAT.COPY_FIELD: {
      const nBits = r.u16();
      const srcOfs = r.u16();
      const dstOfs = r.u16();
      r.skip(2);
      const src = checkedSubfield(readHeader(r).field, srcOfs, nBits);
      const dst = checkedSubfield(readHeader(r).field, dstOfs, nBits);
      out.push({ kind: "move", src, dst });
      return;
    }
    case OFPAT.METER:
      out.push({ kind: "meter", id: r.u32() });
      return;
    default:
      wireFail("OFPBAC_BAD_TYPE", `unknown action type ${type}`);
  }
}

/** Decodes action TLVs until the reader is exhausted.  Throws WireError (callers catch). */
export function decodeActionList(r: Reader, ctx: WireContext = {}): Action[] {
  const out: Action[] = [];
  while (r.remaining > 0) {
    const type = r.u16();
    const len = r.u16();
    if (len < 8 || len % 8 !== 0) wireFail("OFPBAC_BAD_LEN", `action length ${len}`);
    const body = r.sub(len - 4);
    if (type === OFPAT.EXPERIMENTER) {
      const vendor = body.u32();
      if (vendor !== NX_VENDOR)
        wireFail("OFPBAC_BAD_EXPERIMENTER", `action experimenter 0x${vendor.toString(16)}`);
      decodeNx(body.u16(), body, ctx, out);
    } else {
      decodeOf(type, body, out);
    }
  }
  return out;
}

/** Decodes OpenFlow 1.5 instructions into the model's single action list. */
export function decodeInstructions(r: Reader, ctx: WireContext = {}): Action[] {
  const out: Action[] = [];
  const tail: Action[] = [];
  while (r.remaining > 0) {
    const type = r.u16();
    const len = r.u16();
    if (len < 8 || len % 8 !== 0) wireFail("OFPBIC_BAD_LEN", `instruction length ${len}`);
    const body = r.sub(len - 4);
    switch (type) {
      case 1:
        tail.push({ kind: "goto_table", table: body.u8() });
        break;
      case 2: {
        body.skip(4);
        const value = body.u64();
        const mask = body.u64();
        tail.push(
          mask === 0xffffffffffffffffn
            ? { kind: "write_metadata", value }
            : { kind: "write_metadata", value, mask },
        );
        break;
      }
      case 3:
        body.skip(4);
        tail.push({ kind: "write_actions", actions: decodeActionList(body, ctx) });
        break;
      case 4:
        body.skip(4);
        out.push(...decodeActionList(body, ctx));
        break;
      case 5:
        tail.push({ kind: "clear_actions" });
        break;
      default:
        wireFail("OFPBIC_UNKNOWN_INST", `unknown instruction type ${type}`);
    }
  }
  // Keep OVS's printed order: clear_actions, write_actions, write_metadata, goto_table.
  const rank: Partial<Record<Action["kind"], number>> = {
    clear_actions: 0,
    write_actions: 1,
    write_metadata: 2,
    goto_table: 3,
  };
  tail.sort((a, b) => (rank[a.kind] ?? 0) - (rank[b.kind] ?? 0));
  return [...out, ...tail];
}

/** Whether an action of the model is an OpenFlow 1.5 instruction on the wire. */
export function isInstruction(a: Action): boolean {
  return (
    a.kind === "goto_table" ||
    a.kind === "write_metadata" ||
    a.kind === "clear_actions" ||
    a.kind === "write_actions"
  );
}
