// OXM/NXM TLVs and the OpenFlow 1.5 match (ofp_match of type OFPMT_OXM), encoded the way Open vSwitch
// 3.1 encodes them (observed byte for byte from ovs-ofctl -O OpenFlow15):
// - registers travel as OXM_OF_PKT_REG<n> (64-bit xregs, masked when only one half is matched);
// - vlan_tci as OXM_OF_VLAN_VID (+ OXM_OF_VLAN_PCP when the PCP is matched with a VLAN present);
// - in_port as the 32-bit OXM_OF_IN_PORT; nw_tos as OXM_OF_IP_DSCP; tun_id as OXM_OF_TUNNEL_ID;
//   tcp_flags and actset_output as OpenFlow 1.5's basic-class fields 42 and 43;
// - a mask is written only when it is not all-ones (ip_frag's all-ones is 0x3);
// - fields in a fixed order (ENCODE_ORDER).
// Decoding accepts NXM, OXM and experimenter headers alike and normalises to the same model
// (xregs → 32-bit registers, VLAN_VID/PCP → vlan_tci, IP_DSCP → nw_tos, OXM in_port → in_port), so
// decodeMatch(encodeMatch(m)) is the switch's view of m.

import { type Reader, type Writer, wireFail } from "./bytes.js";
import { FIELD_NAMES, FIELDS, fullMask, type HeaderId, ONF_EXPERIMENTER } from "./fields.js";
import type { FieldName, MatchField } from "./model.js";

/** What the codec needs to know beyond the bytes: the length of each mapped tun_metadata option. */
export interface WireContext {
  /** tun_metadata index → option length in bytes (from the switch's TLV table). */
  readonly tlvLengths?: ReadonlyMap<number, number>;
}

export interface WireHeader {
  readonly cls: number;
  readonly code: number;
  readonly experimenter?: number;
}

/** Bytes of a field's value on the wire. */
export function fieldBytes(field: FieldName, ctx: WireContext = {}, value?: bigint, mask?: bigint): number {
  const tm = tunMetadataIndex(field);
  if (tm !== undefined) {
    const mapped = ctx.tlvLengths?.get(tm);
    if (mapped !== undefined) return mapped;
    // Without a mapping: the fewest bytes that hold the value and a real (not all-ones) mask.
    let v = (value ?? 0n) | (mask !== undefined && mask !== fullMask(field) ? mask : 0n);
    let n = 1;
    while (v > 0xffn) {
      v >>= 8n;
      n++;
    }
    return n;
  }
  return Math.ceil(FIELDS[field].bits / 8);
}

export function tunMetadataIndex(field: FieldName): number | undefined {
  return field.startsWith("tun_metadata") ? Number(field.slice(12)) : undefined;
}

/** The header OpenFlow 1.5 actions (set_field, copy_field) and matches use: OXM first, then NXM. */
export function ofHeader(field: FieldName): WireHeader {
  if (field === "tcp_flags") return { cls: 0x8000, code: 42 };
  if (field === "actset_output") return { cls: 0x8000, code: 43 };
  const info = FIELDS[field];
  const id = info.oxm ?? info.nxm;
  if (id === undefined) wireFail("OFPBAC_BAD_SET_TYPE", `field ${field} has no OXM or NXM encoding`);
  return id;
}

/** The header Nicira actions (learn, stack, output_reg, ct zone …) use: NXM first, then OXM. */
export function nxHeader(field: FieldName): WireHeader {
  const info = FIELDS[field];
  const id: HeaderId | undefined = info.nxm ?? info.oxm;
  if (id === undefined) wireFail("OFPBAC_BAD_ARGUMENT", `field ${field} has no NXM or OXM encoding`);
  return id;
}

function headerKey(cls: number, code: number, experimenter: number | undefined): string {
  return `${cls}:${code}:${experimenter ?? ""}`;
}

const BY_HEADER: ReadonlyMap<string, FieldName> = (() => {
  const m = new Map<string, FieldName>();
  for (const n of FIELD_NAMES) {
    const info = FIELDS[n];
    for (const id of [info.nxm, info.oxm]) {
      if (id !== undefined) m.set(headerKey(id.cls, id.code, id.experimenter), n);
    }
  }
  // OpenFlow 1.5 moved these ONF experimenter fields into the basic class; NXM has its own tun_id.
  m.set(headerKey(0x8000, 42, undefined), "tcp_flags");
  m.set(headerKey(0x8000, 43, undefined), "actset_output");
  m.set(headerKey(0xffff, 42, ONF_EXPERIMENTER), "tcp_flags");
  m.set(headerKey(0xffff, 43, ONF_EXPERIMENTER), "actset_output");
  return m;
})();

export function fieldOfHeader(cls: number, code: number, experimenter?: number): FieldName | undefined {
  return BY_HEADER.get(headerKey(cls, code, experimenter));
}

/** The 32-bit NXM/OXM header word (without the experimenter id). */
export function headerWord(h: WireHeader, hasMask: boolean, payloadLen: number): number {
  const len = payloadLen + (h.experimenter !== undefined ? 4 : 0);
  return ((h.cls << 16) | (h.code << 9) | (hasMask ? 0x100 : 0) | len) >>> 0;
}

export function putHeader(w: Writer, h: WireHeader, hasMask: boolean, payloadLen: number): void {
  w.u32(headerWord(h, hasMask, payloadLen));
  if (h.experimenter !== undefined) w.u32(h.experimenter);
}

/** A header as used inside actions (no mask, the field's natural length). */
export function putFieldHeader(w: Writer, h: WireHeader, field: FieldName, ctx: WireContext = {}): void {
  putHeader(w, h, false, fieldBytes(field, ctx));
}

export function putOxm(w: Writer, h: WireHeader, nBytes: number, value: bigint, mask?: bigint): void {
  putHeader(w, h, mask !== undefined, mask !== undefined ? nBytes * 2 : nBytes);
  w.uint(value, nBytes);
  if (mask !== undefined) w.uint(mask, nBytes);
}

export interface RawOxm {
  readonly field: FieldName;
  readonly cls: number;
  readonly code: number;
  readonly experimenter?: number;
  readonly nBytes: number;
  readonly value: bigint;
  readonly mask?: bigint;
}

/** Reads a header word (and experimenter id) and resolves the field; unknown fields are an error. */
export function readHeader(r: Reader): {
  field: FieldName;
  cls: number;
  code: number;
  hasMask: boolean;
  payload: number;
  experimenter?: number;
} {
  const word = r.u32();
  const cls = word >>> 16;
  const code = (word >>> 9) & 0x7f;
  const hasMask = (word & 0x100) !== 0;
  let payload = word & 0xff;
  let experimenter: number | undefined;
  if (cls === 0xffff) {
    experimenter = r.u32();
    payload -= 4;
    if (payload < 0) wireFail("OFPBMC_BAD_LEN", "experimenter OXM shorter than its experimenter id");
  }
  const field = fieldOfHeader(cls, code, experimenter);
  if (field === undefined) {
    wireFail(
      "OFPBMC_BAD_FIELD",
      `unknown OXM/NXM field class 0x${cls.toString(16)} field ${code}${experimenter !== undefined ? ` experimenter 0x${experimenter.toString(16)}` : ""}`,
    );
  }
  return experimenter === undefined
    ? { field, cls, code, hasMask, payload }
    : { field, cls, code, hasMask, payload, experimenter };
}

export function readOxm(r: Reader): RawOxm {
  const h = readHeader(r);
  if (h.hasMask && h.payload % 2 !== 0)
    wireFail("OFPBMC_BAD_LEN", `masked ${h.field} with odd length ${h.payload}`);
  const nBytes = h.hasMask ? h.payload / 2 : h.payload;
  if (nBytes === 0) wireFail("OFPBMC_BAD_LEN", `${h.field} with empty value`);
  const want = tunMetadataIndex(h.field) !== undefined ? undefined : Math.ceil(FIELDS[h.field].bits / 8);
  if (want !== undefined ? nBytes !== want : nBytes > 124)
    wireFail("OFPBMC_BAD_LEN", `${h.field} of ${nBytes} bytes`);
  const value = r.uint(nBytes);
  const mask = h.hasMask ? r.uint(nBytes) : undefined;
  const base = { field: h.field, cls: h.cls, code: h.code, nBytes, value };
  const withExp = h.experimenter !== undefined ? { ...base, experimenter: h.experimenter } : base;
  return mask !== undefined ? { ...withExp, mask } : withExp;
}

// ---------------------------------------------------------------------------------------------------
// The match.

/** Port numbers: OVS's 16-bit view ↔ OpenFlow 1.1+'s 32-bit one. */
export function port16to32(p: number): number {
  return p >= 0xff00 ? (p + 0xffff0000) >>> 0 : p;
}
export function port32to16(p: number): number {
  if (p >= 0xffffff00) return p - 0xffff0000;
  if (p < 0xff00) return p;
  return wireFail("OFPBAC_BAD_OUT_PORT", `port ${p} outside OpenFlow 1.0's range`);
}

/** The order Open vSwitch writes match fields in. */
const ENCODE_ORDER: readonly FieldName[] = [
  "dp_hash",
  "recirc_id",
  "conj_id",
  "in_port",
  "in_port_oxm",
  "actset_output",
  "packet_type",
  "eth_src",
  "eth_dst",
  "eth_type",
  "vlan_vid",
  "vlan_pcp",
  "mpls_tc",
  "mpls_bos",
  "mpls_ttl",
  "mpls_label",
  "ip_src",
  "ip_dst",
  "ipv6_src",
  "ipv6_dst",
  "ipv6_label",
  "ip_frag",
  "ip_dscp",
  "nw_ecn",
  "nw_ttl",
  "nw_proto",
  "arp_op",
  "arp_spa",
  "arp_tpa",
  "arp_sha",
  "arp_tha",
  "tcp_src",
  "tcp_dst",
  "tcp_flags",
  "udp_src",
  "udp_dst",
  "sctp_src",
  "sctp_dst",
  "icmp_type",
  "icmp_code",
  "icmpv6_type",
  "icmpv6_code",
  "nd_reserved",
  "nd_options_type",
  "nd_target",
  "nd_sll",
  "nd_tll",
  "tun_id",
  "tun_flags",
  "tun_src",
  "tun_dst",
  "tun_ipv6_src",
  "tun_ipv6_dst",
  "tun_gbp_id",
  "tun_gbp_flags",
  ...Array.from({ length: 64 }, (_, i) => `tun_metadata${i}` as FieldName),
  ...Array.from({ length: 8 }, (_, i) => `xreg${i}` as FieldName),
  "pkt_mark",
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
  "metadata",
];

interface Slot {
  value: bigint;
  mask: bigint;
}

/** The all-ones mask the wire treats as "exact" for a field (ip_frag uses two bits). */
function exactMask(field: FieldName): bigint {
  return field === "ip_frag" ? 3n : fullMask(field);
}

function addSlot(slots: Map<FieldName, Slot>, field: FieldName, value: bigint, mask: bigint): void {
  const prev = slots.get(field);
  if (prev === undefined) {
    slots.set(field, { value: value & mask, mask });
    return;
  }
  slots.set(field, { value: (prev.value & ~mask) | (value & mask), mask: prev.mask | mask });
}

/** Where a register of the model goes on the wire: its xreg and the shift into it, by name (worked
 *  out once: a flow's match is mostly registers, and parsing their names per flow showed in profiles). */
const REG_ROUTES: ReadonlyMap<string, { readonly xreg: FieldName; readonly shift: bigint }> = new Map(
  Array.from({ length: 16 }, (_, i) => [
    `reg${i}`,
    { xreg: `xreg${Math.floor(i / 2)}` as FieldName, shift: i % 2 === 0 ? 32n : 0n },
  ]),
);

const LOW_64 = 0xffffffffffffffffn;

/** The match as the wire will carry it: one slot per wire field, registers folded into xregs. */
function wireSlots(match: readonly MatchField[]): Map<FieldName, Slot> {
  const slots = new Map<FieldName, Slot>();
  let halfEmpty = false;
  for (let i = 0; i < match.length; i++) {
    const mf = match[i] as MatchField;
    const mask = mf.mask ?? exactMask(mf.field);
    if (mask === 0n) continue;
    const f = mf.field;
    const reg = REG_ROUTES.get(f);
    if (reg !== undefined) {
      addSlot(slots, reg.xreg, mf.value << reg.shift, mask << reg.shift);
    } else if (f.startsWith("xxreg")) {
      const n = Number(f.slice(5));
      const hi = (mask >> 64n) & LOW_64;
      const lo = mask & LOW_64;
      halfEmpty ||= hi === 0n || lo === 0n;
      addSlot(slots, `xreg${n * 2}` as FieldName, mf.value >> 64n, hi);
      addSlot(slots, `xreg${n * 2 + 1}` as FieldName, mf.value & LOW_64, lo);
    } else if (f === "vlan_tci") {
      const vm = mask & 0x1fffn;
      if (vm !== 0n) addSlot(slots, "vlan_vid", mf.value & 0x1fffn, vm);
      if ((mask & 0xe000n) === 0xe000n && (mf.value & 0x1000n) !== 0n)
        addSlot(slots, "vlan_pcp", (mf.value >> 13n) & 7n, 0xffn);
    } else if (f === "nw_tos") {
      addSlot(slots, "ip_dscp", (mf.value >> 2n) & 0x3fn, 0xffn);
    } else if (f === "in_port_oxm") {
      addSlot(slots, "in_port", mf.value, 0xffffn);
    } else {
      addSlot(slots, f, mf.value, mask);
    }
  }
  // Only an xxreg half can leave a slot without bits.
  if (halfEmpty)
    slots.forEach((s, f) => {
      if (s.mask === 0n) slots.delete(f);
    });
  return slots;
}

/** What encoding a match field needs that depends only on the field (not tun_metadata, whose length
 *  comes from the switch's TLV table): header, bytes, and the masks that make it exact. */
interface FixedWire {
  readonly header: WireHeader;
  readonly nBytes: number;
  /** Bits that, all set in the mask, make the match exact. */
  readonly full: bigint;
  /** fullMask of the field (also exact), or null where only `full` counts (ip_frag, vlan_vid). */
  readonly fieldFull: bigint | null;
}

const FIXED_WIRE = new Map<FieldName, FixedWire>();

function fixedWire(field: FieldName): FixedWire {
  let fw = FIXED_WIRE.get(field);
  if (fw === undefined) {
    const nBytes = fieldBytes(field);
    // vlan_vid's all-ones is VID + OFPVID_PRESENT; ip_frag's is its two flag bits.
    const special = field === "ip_frag" || field === "vlan_vid";
    fw = {
      header: ofHeader(field),
      nBytes,
      full: field === "ip_frag" ? 3n : field === "vlan_vid" ? 0x1fffn : (1n << BigInt(nBytes * 8)) - 1n,
      fieldFull: special ? null : fullMask(field),
    };
    FIXED_WIRE.set(field, fw);
  }
  return fw;
}

const IN_PORT_OXM: WireHeader = { cls: 0x8000, code: 0 };
const ACTSET_OUTPUT_OXM: WireHeader = { cls: 0x8000, code: 43 };

function putMatchField(w: Writer, field: FieldName, s: Slot, ctx: WireContext): void {
  if (field === "in_port") {
    putOxm(w, IN_PORT_OXM, 4, BigInt(port16to32(Number(s.value))));
    return;
  }
  if (field === "actset_output") {
    putOxm(w, ACTSET_OUTPUT_OXM, 4, BigInt(port16to32(Number(s.value))));
    return;
  }
  if (tunMetadataIndex(field) !== undefined) {
    const n = fieldBytes(field, ctx, s.value, s.mask);
    const full = (1n << BigInt(n * 8)) - 1n;
    const exact = (s.mask & full) === full || s.mask === fullMask(field);
    putOxm(w, ofHeader(field), n, s.value, exact ? undefined : s.mask);
    return;
  }
  const fw = fixedWire(field);
  const exact = (s.mask & fw.full) === fw.full || (fw.fieldFull !== null && s.mask === fw.fieldFull);
  putOxm(w, fw.header, fw.nBytes, s.value, exact ? undefined : s.mask);
}

/** Position of each field in ENCODE_ORDER (fields not in it are not encoded). */
const ENCODE_POSITION: ReadonlyMap<FieldName, number> = new Map(ENCODE_ORDER.map((f, i) => [f, i]));

// encodeMatch's working arrays, reused from flow to flow (it does not nest).
const SCRATCH_POSITIONS: number[] = [];
const SCRATCH_FIELDS: FieldName[] = [];
const SCRATCH_SLOTS: Slot[] = [];

/** Writes an ofp_match (OFPMT_OXM), padded to 8 bytes. */
export function encodeMatch(w: Writer, match: readonly MatchField[], ctx: WireContext = {}): void {
  const start = w.length;
  w.u16(1).u16(0);
  // The match's few fields in ENCODE_ORDER (walking all ~170 names for each flow cost more than
  // writing the fields).
  // Kept in order as they come (insertion into parallel arrays: a match has a handful of fields, and
  // tuples and a sort per flow were most of what encoding a large install allocated).
  const positions = SCRATCH_POSITIONS;
  const fields = SCRATCH_FIELDS;
  const slots = SCRATCH_SLOTS;
  positions.length = 0;
  fields.length = 0;
  slots.length = 0;
  wireSlots(match).forEach((s, f) => {
    const at = ENCODE_POSITION.get(f);
    if (at === undefined) return;
    let i = positions.length;
    positions.push(at);
    fields.push(f);
    slots.push(s);
    for (; i > 0 && (positions[i - 1] as number) > at; i--) {
      positions[i] = positions[i - 1] as number;
      fields[i] = fields[i - 1] as FieldName;
      slots[i] = slots[i - 1] as Slot;
    }
    positions[i] = at;
    fields[i] = f;
    slots[i] = s;
  });
  for (let i = 0; i < fields.length; i++) putMatchField(w, fields[i] as FieldName, slots[i] as Slot, ctx);
  w.patchU16(start + 2, w.length - start);
  w.pad(8);
}

/** Folds wire fields into the model's view (see the header comment). */
function normalise(raw: RawOxm, out: Map<FieldName, Slot>): void {
  const mask = raw.mask ?? (1n << BigInt(raw.nBytes * 8)) - 1n;
  const f = raw.field;
  if (f.startsWith("xxreg")) {
    const i = Number(f.slice(5));
    for (let k = 0; k < 4; k++) {
      const shift = BigInt((3 - k) * 32);
      const m = (mask >> shift) & 0xffffffffn;
      if (m !== 0n) addSlot(out, `reg${i * 4 + k}` as FieldName, (raw.value >> shift) & m, m);
    }
    return;
  }
  if (f.startsWith("xreg")) {
    const i = Number(f.slice(4));
    const hi = `reg${i * 2}` as FieldName;
    const lo = `reg${i * 2 + 1}` as FieldName;
    const hm = (mask >> 32n) & 0xffffffffn;
    const lm = mask & 0xffffffffn;
    if (hm !== 0n) addSlot(out, hi, (raw.value >> 32n) & hm, hm);
    if (lm !== 0n) addSlot(out, lo, raw.value & lm, lm);
    return;
  }
  switch (f) {
    case "vlan_vid": {
      const m = raw.mask === undefined ? 0x1fffn : mask & 0x1fffn;
      addSlot(out, "vlan_tci", raw.value & 0x1fffn, m);
      return;
    }
    case "vlan_pcp":
      addSlot(out, "vlan_tci", ((raw.value & 7n) << 13n) | 0x1000n, 0xf000n);
      return;
    case "ip_dscp":
      addSlot(out, "nw_tos", (raw.value & 0x3fn) << 2n, 0xfcn);
      return;
    case "in_port_oxm":
    case "in_port":
      addSlot(
        out,
        "in_port",
        BigInt(raw.nBytes === 4 ? port32to16(Number(raw.value)) : Number(raw.value)),
        0xffffn,
      );
      return;
    case "actset_output":
      addSlot(out, "actset_output", BigInt(port32to16(Number(raw.value))), 0xffffffffn);
      return;
    case "ip_frag":
      addSlot(out, "ip_frag", raw.value & 3n, raw.mask === undefined ? 3n : mask & 3n);
      return;
    default:
      addSlot(out, f, raw.value, mask);
  }
}

const FIELD_RANK: ReadonlyMap<FieldName, number> = new Map(FIELD_NAMES.map((f, i) => [f, i]));

/** The model's fields in one fixed order (FIELDS order), whatever order the wire had them in. */
function slotsToMatch(slots: Map<FieldName, Slot>): MatchField[] {
  const out: MatchField[] = [];
  const sorted = [...slots].sort(([a], [b]) => (FIELD_RANK.get(a) ?? 0) - (FIELD_RANK.get(b) ?? 0));
  for (const [field, s] of sorted) {
    // An all-zero mask matches everything: the field is not part of the match.
    if (s.mask === 0n) continue;
    let full = exactMask(field);
    if (field === "nw_tos") full = 0xfcn;
    if (field === "vlan_tci" && s.mask === 0xffffn) full = 0xffffn;
    const tm = tunMetadataIndex(field);
    if (tm !== undefined) {
      // Exact when the mask covers the option's bytes.
      let bytes = 1;
      for (let v = s.mask; v > 0xffn; v >>= 8n) bytes++;
      full = (1n << BigInt(bytes * 8)) - 1n;
    }
    out.push(
      s.mask === full || s.mask === fullMask(field)
        ? { field, value: s.value }
        : { field, value: s.value, mask: s.mask },
    );
  }
  return out;
}

/** Reads an ofp_match (OFPMT_OXM) and its padding.  Throws WireError (callers catch). */
export function decodeMatch(r: Reader, _ctx: WireContext = {}): MatchField[] {
  const type = r.u16();
  const len = r.u16();
  if (type !== 1) wireFail("OFPBMC_BAD_TYPE", `match type ${type} is not OFPMT_OXM`);
  if (len < 4) wireFail("OFPBMC_BAD_LEN", `match length ${len}`);
  const body = r.sub(len - 4);
  const padded = Math.ceil(len / 8) * 8;
  r.skip(padded - len);
  return decodeOxmFields(body);
}

/** Decodes a run of OXM TLVs into the model's fields (duplicates are an error, as in OpenFlow). */
export function decodeOxmFields(body: Reader): MatchField[] {
  const slots = new Map<FieldName, Slot>();
  const seen = new Set<string>();
  while (body.remaining > 0) {
    const raw = readOxm(body);
    const key = `${raw.cls}:${raw.code}:${raw.experimenter ?? ""}`;
    if (seen.has(key)) wireFail("OFPBMC_DUP_FIELD", `duplicate field ${raw.field}`);
    seen.add(key);
    normalise(raw, slots);
  }
  return slotsToMatch(slots);
}

/** A match as the switch sees it: what decoding its encoding gives. */
export function canonicalMatch(match: readonly MatchField[], ctx: WireContext = {}): MatchField[] {
  const slots = wireSlots(match);
  const out = new Map<FieldName, Slot>();
  for (const f of ENCODE_ORDER) {
    const s = slots.get(f);
    if (s === undefined) continue;
    const n = fieldBytes(f, ctx, s.value, s.mask);
    normalise(
      {
        field: f,
        cls: 0,
        code: 0,
        nBytes: f === "in_port" || f === "actset_output" ? 4 : n,
        value: f === "in_port" || f === "actset_output" ? BigInt(port16to32(Number(s.value))) : s.value,
        mask: s.mask,
      },
      out,
    );
  }
  return slotsToMatch(out);
}
