// Actions in ovs-ofctl's text (ovs-actions(7)), printed the way `ovs-ofctl -O OpenFlow15 dump-flows`
// shows them after a round trip through Open vSwitch 3.1 (observed): `load` is shown as the masked
// set_field it becomes, strip_vlan as pop_vlan, plain `controller` as CONTROLLER:65535, resubmit as
// `resubmit(,T)` or `resubmit:P`.  The parser accepts ovs-ofctl's input syntax, including forms the
// printer never writes (load:, mod_dl_src:, strip_vlan, resubmit(P) …).

import { fieldInfo, fullMask, lookupField, subfieldName } from "./fields.js";
import type {
  Action,
  BundleAction,
  CtAction,
  FieldName,
  HashFields,
  LearnAction,
  LearnSource,
  LearnSpec,
  MultipathAction,
  NatSpec,
  PacketInReason,
  SampleAction,
  Subfield,
} from "./model.js";
import { OFPP_CONTROLLER, OFPP_IN_PORT, OFPP_NONE } from "./model.js";
import {
  formatIpv4,
  formatIpv6,
  formatPort,
  formatSetFieldValue,
  formatValue,
  hex,
  parseFieldValue,
  parseIpv4,
  parseIpv6,
  parseNumber,
  parsePort,
} from "./text-values.js";

// ---------------------------------------------------------------------------------------------------
// Printing.

export function formatSubfield(sf: Subfield): string {
  const name = subfieldName(sf.field);
  const bits = fieldInfo(sf.field).bits;
  if (sf.ofs === 0 && sf.nBits === bits) return `${name}[]`;
  if (sf.nBits === 1) return `${name}[${sf.ofs}]`;
  return `${name}[${sf.ofs}..${sf.ofs + sf.nBits - 1}]`;
}

function bytesDotted(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(".");
}

function formatNat(n: NatSpec): string {
  if (n.kind === null) return "nat";
  let s = n.kind;
  if (n.addr !== null || n.ports !== null) {
    s += "=";
    const fmt = (v: bigint): string => (n.addr?.v6 ? formatIpv6(v) : formatIpv4(v));
    const bracket = n.addr?.v6 === true && n.ports !== null;
    const one = (v: bigint): string => (bracket ? `[${fmt(v)}]` : fmt(v));
    if (n.addr !== null) {
      s += one(n.addr.min);
      if (n.addr.max !== n.addr.min) s += `-${one(n.addr.max)}`;
    }
    if (n.ports !== null) {
      s += `:${n.ports.min}`;
      if (n.ports.max !== n.ports.min) s += `-${n.ports.max}`;
    }
  }
  const flags: string[] = [];
  if (n.persistent) flags.push("persistent");
  if (n.hash) flags.push("hash");
  if (n.random) flags.push("random");
  return `nat(${[s, ...flags].join(",")})`;
}

function formatCt(a: CtAction): string {
  const parts: string[] = [];
  if (a.commit) parts.push("commit");
  if (a.force) parts.push("force");
  if (a.table !== null) parts.push(`table=${a.table}`);
  if (typeof a.zone === "number") {
    if (a.zone !== 0) parts.push(`zone=${a.zone}`);
  } else {
    parts.push(`zone=${formatSubfield(a.zone)}`);
  }
  if (a.alg !== 0) parts.push(`alg=${a.alg === 21 ? "ftp" : a.alg === 69 ? "tftp" : a.alg}`);
  if (a.nat !== null) parts.push(formatNat(a.nat));
  if (a.exec.length > 0) parts.push(`exec(${formatActions(a.exec)})`);
  return `ct(${parts.join(",")})`;
}

function formatController(a: Extract<Action, { kind: "controller" }>): string {
  const simple =
    a.reason === "action" && a.controllerId === 0 && a.userdata === null && !a.pause && a.meterId === null;
  if (simple) return `CONTROLLER:${a.maxLen}`;
  const parts: string[] = [];
  if (a.reason !== "action") parts.push(`reason=${a.reason}`);
  if (a.maxLen !== 0xffff) parts.push(`max_len=${a.maxLen}`);
  if (a.controllerId !== 0) parts.push(`id=${a.controllerId}`);
  if (a.userdata !== null) parts.push(`userdata=${bytesDotted(a.userdata)}`);
  if (a.pause) parts.push("pause");
  if (a.meterId !== null) parts.push(`meter_id=${a.meterId}`);
  return `controller(${parts.join(",")})`;
}

function formatLearnSpec(s: LearnSpec): string {
  switch (s.kind) {
    case "match": {
      const whole = s.dst.ofs === 0 && s.dst.nBits === fieldInfo(s.dst.field).bits;
      if (s.src.kind === "imm" && whole) return `${s.dst.field}=${formatValue(s.dst.field, s.src.value)}`;
      if (s.src.kind === "field" && sameSubfield(s.src.src, s.dst)) return formatSubfield(s.dst);
      const v = s.src.kind === "field" ? formatSubfield(s.src.src) : hex(s.src.value);
      return `${formatSubfield(s.dst)}=${v}`;
    }
    case "load":
      return `load:${s.src.kind === "field" ? formatSubfield(s.src.src) : hex(s.src.value)}->${formatSubfield(s.dst)}`;
    case "output":
      return `output:${formatSubfield(s.src)}`;
  }
}

function sameSubfield(a: Subfield, b: Subfield): boolean {
  return a.field === b.field && a.ofs === b.ofs && a.nBits === b.nBits;
}

function formatLearn(a: LearnAction): string {
  const parts: string[] = [`table=${a.table}`];
  if (a.idleTimeout !== 0) parts.push(`idle_timeout=${a.idleTimeout}`);
  if (a.hardTimeout !== 0) parts.push(`hard_timeout=${a.hardTimeout}`);
  if (a.finIdleTimeout !== 0) parts.push(`fin_idle_timeout=${a.finIdleTimeout}`);
  if (a.finHardTimeout !== 0) parts.push(`fin_hard_timeout=${a.finHardTimeout}`);
  if (a.priority !== 0x8000) parts.push(`priority=${a.priority}`);
  if (a.sendFlowRem) parts.push("send_flow_rem");
  if (a.deleteLearned) parts.push("delete_learned");
  if (a.cookie !== 0n) parts.push(`cookie=${hex(a.cookie)}`);
  if (a.limit !== 0) parts.push(`limit=${a.limit}`);
  if (a.resultDst !== null) parts.push(`result_dst=${formatSubfield(a.resultDst)}`);
  for (const s of a.specs) parts.push(formatLearnSpec(s));
  return `learn(${parts.join(",")})`;
}

function formatMultipath(a: MultipathAction): string {
  return `multipath(${a.fields},${a.basis},${a.algorithm},${a.maxLink + 1},${a.arg},${formatSubfield(a.dst)})`;
}

function formatBundle(a: BundleAction): string {
  const members = `members:${a.members.map(formatPort).join(",")}`;
  if (a.dst === null) return `bundle(${a.fields},${a.basis},${a.algorithm},ofport,${members})`;
  return `bundle_load(${a.fields},${a.basis},${a.algorithm},ofport,${formatSubfield(a.dst)},${members})`;
}

function formatSample(a: SampleAction): string {
  const parts = [
    `probability=${a.probability}`,
    `collector_set_id=${a.collectorSetId}`,
    `obs_domain_id=${a.obsDomainId}`,
    `obs_point_id=${a.obsPointId}`,
  ];
  if (a.samplingPort !== OFPP_NONE) parts.push(`sampling_port=${formatPort(a.samplingPort)}`);
  if (a.direction !== "default") parts.push(a.direction);
  return `sample(${parts.join(",")})`;
}

/** load as the set_field it becomes inside Open vSwitch. */
function loadAsSetField(dst: Subfield, value: bigint): string {
  const full = fullMask(dst.field);
  const mask = (((1n << BigInt(dst.nBits)) - 1n) << BigInt(dst.ofs)) & full;
  const v = (value << BigInt(dst.ofs)) & mask;
  return `set_field:${formatSetFieldValue(dst.field, v, mask === full ? undefined : mask)}->${dst.field}`;
}

/** NXAST_NOTE carries the bytes after a 10-byte header, zero-padded to a multiple of 8; Open vSwitch
 *  keeps the padding, so an installed note shows it. */
export function padNote(b: Uint8Array): Uint8Array {
  const total = Math.ceil((10 + b.length) / 8) * 8;
  const out = new Uint8Array(total - 10);
  out.set(b);
  return out;
}

type Printer<K extends Action["kind"]> = (a: Extract<Action, { kind: K }>) => string;

const PRINTERS: { [K in Action["kind"]]: Printer<K> } = {
  output: (a) => {
    if (a.maxLen !== undefined) return `output(port=${formatPort(a.port)},max_len=${a.maxLen})`;
    if (a.port === OFPP_CONTROLLER) return "CONTROLLER:65535";
    return a.port >= 0xff00 && a.port !== 0xffff ? formatPort(a.port) : `output:${a.port}`;
  },
  output_reg: (a) =>
    a.maxLen === 0xffff
      ? `output:${formatSubfield(a.src)}`
      : `output(port=${formatSubfield(a.src)},max_len=${a.maxLen})`,
  enqueue: (a) => `enqueue:${formatPort(a.port)}:${a.queue}`,
  controller: formatController,
  resubmit: (a) => {
    if (!a.ct && a.table === null) return `resubmit:${formatPort(a.port)}`;
    const port = a.port === OFPP_IN_PORT ? "" : formatPort(a.port);
    const table = a.table === null ? "" : String(a.table);
    return `resubmit(${port},${table}${a.ct ? ",ct" : ""})`;
  },
  set_field: (a) => `set_field:${formatSetFieldValue(a.field, a.value, a.mask)}->${a.field}`,
  load: (a) => loadAsSetField(a.dst, a.value),
  move: (a) => `move:${formatSubfield(a.src)}->${formatSubfield(a.dst)}`,
  push: (a) => `push:${formatSubfield(a.src)}`,
  pop: (a) => `pop:${formatSubfield(a.dst)}`,
  push_vlan: (a) => `push_vlan:0x${a.ethertype.toString(16).padStart(4, "0")}`,
  pop_vlan: () => "pop_vlan",
  strip_vlan: () => "pop_vlan",
  ct: formatCt,
  ct_clear: () => "ct_clear",
  conjunction: (a) => `conjunction(${a.id},${a.k}/${a.n})`,
  learn: formatLearn,
  group: (a) => `group:${a.id}`,
  meter: (a) => `meter:${a.id}`,
  dec_ttl: (a) => `dec_ttl(${a.controllerIds.join(",")})`,
  dec_nw_ttl: () => "dec_ttl",
  set_ttl: (a) => `mod_nw_ttl:${a.ttl}`,
  check_pkt_larger: (a) => `check_pkt_larger(${a.len})->${formatSubfield(a.dst)}`,
  clone: (a) => `clone(${formatActions(a.actions)})`,
  note: (a) => `note:${bytesDotted(padNote(a.bytes))}`,
  multipath: formatMultipath,
  bundle: formatBundle,
  set_queue: (a) => `set_queue:${a.queue}`,
  pop_queue: () => "pop_queue",
  goto_table: (a) => `goto_table:${a.table}`,
  write_metadata: (a) =>
    a.mask === undefined || a.mask === 0xffffffffffffffffn
      ? `write_metadata:${hex(a.value)}`
      : `write_metadata:${hex(a.value)}/${hex(a.mask)}`,
  clear_actions: () => "clear_actions",
  write_actions: (a) => `write_actions(${formatActions(a.actions)})`,
  exit: () => "exit",
  fin_timeout: (a) => {
    const parts: string[] = [];
    if (a.idleTimeout !== 0) parts.push(`idle_timeout=${a.idleTimeout}`);
    if (a.hardTimeout !== 0) parts.push(`hard_timeout=${a.hardTimeout}`);
    return `fin_timeout(${parts.join(",")})`;
  },
  sample: formatSample,
};

export function formatAction(a: Action): string {
  return (PRINTERS[a.kind] as Printer<typeof a.kind>)(a as never);
}

/** A list of actions; the empty list is "drop". */
export function formatActions(actions: readonly Action[]): string {
  return actions.length === 0 ? "drop" : actions.map(formatAction).join(",");
}

// ---------------------------------------------------------------------------------------------------
// Parsing.

export type ActionsParse =
  | { readonly ok: true; readonly actions: Action[] }
  | { readonly ok: false; readonly error: string };

class ParseError extends Error {}

function fail(msg: string): never {
  throw new ParseError(msg);
}

/** Splits on commas that are not inside parentheses or brackets. */
export function splitTopLevel(s: string, sep = ","): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

/** `NAME[]`, `NAME[n]`, `NAME[a..b]`, or a bare field name meaning all of it. */
export function parseSubfield(s: string): Subfield | undefined {
  const m = /^([A-Za-z0-9_]+)(?:\[(?:(\d+)(?:\.\.(\d+))?)?\])?$/.exec(s.trim());
  if (m === null) return undefined;
  const field = lookupField(m[1] ?? "");
  if (field === undefined) return undefined;
  const bits = fieldInfo(field).bits;
  if (m[2] === undefined) return { field, ofs: 0, nBits: bits };
  const lo = Number(m[2]);
  const hi = m[3] === undefined ? lo : Number(m[3]);
  if (hi < lo || hi >= bits) return undefined;
  return { field, ofs: lo, nBits: hi - lo + 1 };
}

function needSubfield(s: string): Subfield {
  return parseSubfield(s) ?? fail(`${s}: invalid subfield`);
}

function needNumber(s: string, max: number): number {
  const v = parseNumber(s.trim());
  if (v === undefined || v > BigInt(max)) fail(`${s}: invalid number`);
  return Number(v);
}

function needPort(s: string): number {
  return parsePort(s.trim()) ?? fail(`${s}: invalid or unknown port`);
}

/** `name(args)` → [name, args]; `name:arg` → [name, arg]; `name` → [name, ""]. */
function head(s: string): { name: string; args: string; paren: boolean } {
  const p = s.indexOf("(");
  const c = s.indexOf(":");
  if (p >= 0 && (c < 0 || p < c) && s.endsWith(")"))
    return { name: s.slice(0, p), args: s.slice(p + 1, -1), paren: true };
  if (c >= 0) return { name: s.slice(0, c), args: s.slice(c + 1), paren: false };
  return { name: s, args: "", paren: false };
}

function parseSetField(arg: string): Action {
  const arrow = arg.lastIndexOf("->");
  if (arrow < 0) fail(`${arg}: missing \`->'`);
  const field = lookupField(arg.slice(arrow + 2).trim()) ?? fail(`${arg}: unknown field`);
  const v = parseFieldValue(field, arg.slice(0, arrow).trim()) ?? fail(`${arg}: invalid value`);
  return v.mask === undefined
    ? { kind: "set_field", field, value: v.value }
    : { kind: "set_field", field, value: v.value, mask: v.mask };
}

function parseLoad(arg: string): Action {
  const arrow = arg.lastIndexOf("->");
  if (arrow < 0) fail(`${arg}: missing \`->'`);
  const dst = needSubfield(arg.slice(arrow + 2));
  const v = parseNumber(arg.slice(0, arrow).trim()) ?? fail(`${arg}: invalid value`);
  if (v >> BigInt(dst.nBits) !== 0n) fail(`${arg}: value does not fit`);
  return { kind: "load", dst, value: v };
}

function parseMove(arg: string): Action {
  const arrow = arg.indexOf("->");
  if (arrow < 0) fail(`${arg}: missing \`->'`);
  const src = needSubfield(arg.slice(0, arrow));
  const dst = needSubfield(arg.slice(arrow + 2));
  if (src.nBits !== dst.nBits) fail(`${arg}: source and destination widths differ`);
  return { kind: "move", src, dst };
}

function parseNatRangePart(s: string): { v6: boolean; min: bigint; max: bigint } {
  const unbr = (x: string): string => (x.startsWith("[") && x.endsWith("]") ? x.slice(1, -1) : x);
  const dash = s.indexOf("-", s.startsWith("[") ? s.indexOf("]") : 0);
  const a = unbr(dash < 0 ? s : s.slice(0, dash));
  const b = unbr(dash < 0 ? s : s.slice(dash + 1));
  const a4 = parseIpv4(a);
  const b4 = parseIpv4(b);
  if (a4 !== undefined && b4 !== undefined) return { v6: false, min: a4, max: b4 };
  const a6 = parseIpv6(a);
  const b6 = parseIpv6(b);
  if (a6 !== undefined && b6 !== undefined) return { v6: true, min: a6, max: b6 };
  return fail(`${s}: invalid nat address range`);
}

function parseNat(args: string, paren: boolean): NatSpec {
  const nat = {
    kind: null as NatSpec["kind"],
    addr: null as NatSpec["addr"],
    ports: null as NatSpec["ports"],
  };
  let persistent = false;
  let hash = false;
  let random = false;
  if (!paren) return { ...nat, persistent, hash, random };
  for (const item of splitTopLevel(args)) {
    if (item === "persistent") persistent = true;
    else if (item === "hash") hash = true;
    else if (item === "random") random = true;
    else if (item === "src" || item === "dst") nat.kind = item;
    else if (item.startsWith("src=") || item.startsWith("dst=")) {
      nat.kind = item.startsWith("src") ? "src" : "dst";
      let rest = item.slice(4);
      // Ports follow the last ':' outside brackets when the address is IPv4 or bracketed IPv6.
      let portText: string | undefined;
      const close = rest.lastIndexOf("]");
      const colon = rest.lastIndexOf(":");
      const v6bare = close < 0 && (rest.match(/:/g) ?? []).length > 1;
      if (!v6bare && colon > close) {
        portText = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
      }
      if (rest !== "") nat.addr = parseNatRangePart(rest);
      if (portText !== undefined) {
        const [lo, hi] = portText.split("-");
        const min = needNumber(lo ?? "", 0xffff);
        nat.ports = { min, max: hi === undefined ? min : needNumber(hi, 0xffff) };
      }
    } else fail(`${item}: unknown nat argument`);
  }
  return { ...nat, persistent, hash, random };
}

function parseCt(args: string): CtAction {
  let commit = false;
  let force = false;
  let zone: number | Subfield = 0;
  let table: number | null = null;
  let alg = 0;
  let nat: NatSpec | null = null;
  let exec: Action[] = [];
  for (const item of splitTopLevel(args)) {
    if (item === "commit") commit = true;
    else if (item === "force") {
      force = true;
      commit = true;
    } else if (item.startsWith("zone=")) {
      const z = item.slice(5);
      zone = parseNumber(z) !== undefined ? needNumber(z, 0xffff) : needSubfield(z);
    } else if (item.startsWith("table=")) table = needNumber(item.slice(6), 0xff);
    else if (item.startsWith("alg=")) {
      const a = item.slice(4);
      alg = a === "ftp" ? 21 : a === "tftp" ? 69 : fail(`invalid conntrack helper "${a}"`);
    } else if (item === "nat" || item.startsWith("nat("))
      nat = parseNat(item === "nat" ? "" : item.slice(4, -1), item !== "nat");
    else if (item.startsWith("exec(")) exec = parseList(item.slice(5, -1));
    else fail(`${item}: unknown ct argument`);
  }
  return { kind: "ct", commit, force, zone, table, alg, nat, exec };
}

const REASONS: readonly PacketInReason[] = [
  "no_match",
  "action",
  "invalid_ttl",
  "action_set",
  "group",
  "packet_out",
];

function parseController(args: string, paren: boolean): Action {
  let maxLen = 0xffff;
  let reason: PacketInReason = "action";
  let controllerId = 0;
  let userdata: Uint8Array | null = null;
  let pause = false;
  let meterId: number | null = null;
  if (!paren) {
    if (args !== "") maxLen = needNumber(args, 0xffff);
  } else {
    for (const item of splitTopLevel(args)) {
      const [k, v = ""] = item.split("=", 2) as [string, string?];
      if (k === "max_len") maxLen = needNumber(v, 0xffff);
      else if (k === "reason") reason = REASONS.find((r) => r === v) ?? fail(`${v}: unknown reason`);
      else if (k === "id") controllerId = needNumber(v, 0xffff);
      else if (k === "userdata") userdata = parseDotted(v);
      else if (k === "pause") pause = true;
      else if (k === "meter_id") meterId = needNumber(v, 0xffffffff);
      else fail(`${item}: unknown controller argument`);
    }
  }
  return { kind: "controller", maxLen, reason, controllerId, userdata, pause, meterId };
}

function parseDotted(s: string): Uint8Array {
  if (s === "") return new Uint8Array();
  const parts = s.split(".");
  return Uint8Array.from(parts, (p) =>
    /^[0-9a-fA-F]{1,2}$/.test(p) ? Number.parseInt(p, 16) : fail(`${s}: bad hex bytes`),
  );
}

function parseResubmit(args: string, paren: boolean): Action {
  if (!paren) return { kind: "resubmit", port: needPort(args), table: null, ct: false };
  const [p = "", t = "", c] = args.split(",").map((x) => x.trim());
  if (c !== undefined && c !== "ct") fail(`${args}: bad resubmit`);
  const port = p === "" ? OFPP_IN_PORT : needPort(p);
  const table = t === "" ? null : needNumber(t, 0xff);
  if (p === "" && t === "") fail(`at least one "in_port" or "table" must be specified on resubmit`);
  return { kind: "resubmit", port, table: table === 255 ? null : table, ct: c === "ct" };
}

function parseLearnSource(v: string, dst: Subfield | null): LearnSource {
  const sf = parseSubfield(v);
  if (sf !== undefined && !/^\d/.test(v)) return { kind: "field", src: sf };
  if (dst !== null && dst.ofs === 0 && dst.nBits === fieldInfo(dst.field).bits) {
    const pv = parseFieldValue(dst.field, v);
    if (pv !== undefined) return { kind: "imm", value: pv.value, nBits: dst.nBits };
  }
  const n = parseNumber(v) ?? fail(`${v}: cannot be parsed as a subfield or an immediate value`);
  return { kind: "imm", value: n, nBits: dst?.nBits ?? 64 };
}

function parseLearn(args: string): LearnAction {
  const a: { -readonly [K in keyof LearnAction]: LearnAction[K] } = {
    kind: "learn",
    table: 1,
    idleTimeout: 0,
    hardTimeout: 0,
    finIdleTimeout: 0,
    finHardTimeout: 0,
    priority: 0x8000,
    cookie: 0n,
    sendFlowRem: false,
    deleteLearned: false,
    limit: 0,
    resultDst: null,
    specs: [],
  };
  const specs: LearnSpec[] = [];
  for (const item of splitTopLevel(args)) {
    const eq = item.indexOf("=");
    const k = eq < 0 ? item : item.slice(0, eq);
    const v = eq < 0 ? "" : item.slice(eq + 1);
    switch (k) {
      case "table":
        a.table = needNumber(v, 0xfe);
        continue;
      case "idle_timeout":
        a.idleTimeout = needNumber(v, 0xffff);
        continue;
      case "hard_timeout":
        a.hardTimeout = needNumber(v, 0xffff);
        continue;
      case "fin_idle_timeout":
        a.finIdleTimeout = needNumber(v, 0xffff);
        continue;
      case "fin_hard_timeout":
        a.finHardTimeout = needNumber(v, 0xffff);
        continue;
      case "priority":
        a.priority = needNumber(v, 0xffff);
        continue;
      case "cookie":
        a.cookie = parseNumber(v) ?? fail(`${v}: bad cookie`);
        continue;
      case "send_flow_rem":
        a.sendFlowRem = true;
        continue;
      case "delete_learned":
        a.deleteLearned = true;
        continue;
      case "limit":
        a.limit = needNumber(v, 0xffffffff);
        continue;
      case "result_dst":
        a.resultDst = needSubfield(v);
        continue;
      default:
        break;
    }
    if (item.startsWith("load:")) {
      const arrow = item.lastIndexOf("->");
      if (arrow < 0) fail(`${item}: missing \`->'`);
      const dst = needSubfield(item.slice(arrow + 2));
      specs.push({ kind: "load", dst, src: parseLearnSource(item.slice(5, arrow), dst) });
    } else if (item.startsWith("output:")) {
      specs.push({ kind: "output", src: needSubfield(item.slice(7)) });
    } else if (eq >= 0) {
      const dst = needSubfield(k);
      specs.push({ kind: "match", dst, src: parseLearnSource(v, dst) });
    } else {
      const dst = needSubfield(item);
      specs.push({ kind: "match", dst, src: { kind: "field", src: dst } });
    }
  }
  a.specs = specs;
  return a;
}

const HASH_FIELDS: readonly HashFields[] = [
  "eth_src",
  "symmetric_l4",
  "symmetric_l3l4",
  "symmetric_l3l4+udp",
  "nw_src",
  "nw_dst",
  "symmetric_l3",
];

function needHashFields(s: string): HashFields {
  return HASH_FIELDS.find((h) => h === s) ?? fail(`${s}: unknown fields`);
}

function parseMultipath(args: string): MultipathAction {
  const p = splitTopLevel(args);
  if (p.length !== 6) fail(`${args}: multipath needs 6 arguments`);
  const algorithm = (["modulo_n", "hash_threshold", "hrw", "iter_hash"] as const).find((x) => x === p[2]);
  if (algorithm === undefined) fail(`${p[2]}: unknown algorithm`);
  const nLinks = needNumber(p[3] ?? "", 65536);
  if (nLinks < 1) fail("multipath: n_links must be positive");
  return {
    kind: "multipath",
    fields: needHashFields(p[0] ?? ""),
    basis: needNumber(p[1] ?? "", 0xffff),
    algorithm,
    maxLink: nLinks - 1,
    arg: needNumber(p[4] ?? "", 0xffffffff),
    dst: needSubfield(p[5] ?? ""),
  };
}

function parseBundle(args: string, load: boolean): BundleAction {
  const p = splitTopLevel(args);
  const algorithm = (["active_backup", "hrw"] as const).find((x) => x === p[2]);
  if (algorithm === undefined) fail(`${p[2]}: unknown algorithm`);
  if (p[3] !== "ofport") fail(`${p[3]}: unknown member type`);
  const rest = p.slice(load ? 5 : 4);
  const first = rest[0] ?? "";
  if (!first.startsWith("members:") && !first.startsWith("slaves:")) fail(`${args}: missing members`);
  const members = [first.slice(first.indexOf(":") + 1), ...rest.slice(1)]
    .filter((x) => x !== "")
    .map(needPort);
  return {
    kind: "bundle",
    fields: needHashFields(p[0] ?? ""),
    basis: needNumber(p[1] ?? "", 0xffff),
    algorithm,
    members,
    dst: load ? needSubfield(p[4] ?? "") : null,
  };
}

function parseSample(args: string): SampleAction {
  const a: { -readonly [K in keyof SampleAction]: SampleAction[K] } = {
    kind: "sample",
    probability: 0,
    collectorSetId: 0,
    obsDomainId: 0,
    obsPointId: 0,
    samplingPort: OFPP_NONE,
    direction: "default",
  };
  for (const item of splitTopLevel(args)) {
    const [k, v = ""] = item.split("=", 2) as [string, string?];
    if (k === "probability") a.probability = needNumber(v, 0xffff);
    else if (k === "collector_set_id") a.collectorSetId = needNumber(v, 0xffffffff);
    else if (k === "obs_domain_id") a.obsDomainId = needNumber(v, 0xffffffff);
    else if (k === "obs_point_id") a.obsPointId = needNumber(v, 0xffffffff);
    else if (k === "sampling_port") a.samplingPort = needPort(v);
    else if (k === "ingress" || k === "egress") a.direction = k;
    else fail(`${item}: unknown sample argument`);
  }
  return a;
}

/** The OpenFlow 1.0 mod_* actions, which ovs-ofctl turns into set_field. */
const MOD_ACTIONS: Readonly<Record<string, FieldName>> = {
  mod_dl_src: "eth_src",
  mod_dl_dst: "eth_dst",
  mod_nw_src: "ip_src",
  mod_nw_dst: "ip_dst",
  mod_tp_src: "tcp_src",
  mod_tp_dst: "tcp_dst",
  mod_nw_tos: "nw_tos",
  mod_nw_ecn: "nw_ecn",
  mod_vlan_vid: "vlan_vid",
  mod_vlan_pcp: "vlan_pcp",
  set_tunnel: "tun_id",
  set_tunnel64: "tun_id",
};

function parseOne(text: string): Action[] {
  const s = text.trim();
  if (s.startsWith("check_pkt_larger(")) {
    const m = /^check_pkt_larger\((\d+)\)->(.+)$/.exec(s);
    if (m === null) fail(`${s}: bad check_pkt_larger`);
    return [{ kind: "check_pkt_larger", len: needNumber(m[1] ?? "", 0xffff), dst: needSubfield(m[2] ?? "") }];
  }
  const h = head(s);
  const port = parsePort(s);
  if (port !== undefined && !/^\d+$/.test(s)) return [{ kind: "output", port }];
  if (/^\d+$/.test(s)) return [{ kind: "output", port: needPort(s) }];
  switch (h.name) {
    case "output": {
      if (h.paren) {
        let portText = "";
        let maxLen: number | undefined;
        for (const item of splitTopLevel(h.args)) {
          if (item.startsWith("port=")) portText = item.slice(5);
          else if (item.startsWith("max_len=")) maxLen = needNumber(item.slice(8), 0xffff);
          else fail(`${item}: unknown output argument`);
        }
        const p = parsePort(portText);
        if (p !== undefined)
          return [maxLen === undefined ? { kind: "output", port: p } : { kind: "output", port: p, maxLen }];
        return [{ kind: "output_reg", src: needSubfield(portText), maxLen: maxLen ?? 0xffff }];
      }
      const p = parsePort(h.args);
      if (p !== undefined) return [{ kind: "output", port: p }];
      return [{ kind: "output_reg", src: needSubfield(h.args), maxLen: 0xffff }];
    }
    case "in_port":
      return [{ kind: "output", port: OFPP_IN_PORT }];
    case "enqueue": {
      const sep = h.paren ? "," : ":";
      const [p = "", q = ""] = h.args.split(sep);
      return [{ kind: "enqueue", port: needPort(p), queue: needNumber(q, 0xffffffff) }];
    }
    case "controller":
    case "CONTROLLER":
      return [parseController(h.args, h.paren)];
    case "resubmit":
      return [parseResubmit(h.args, h.paren)];
    case "set_field":
      return [parseSetField(h.args)];
    case "load":
      return [parseLoad(h.args)];
    case "move":
      return [parseMove(h.args)];
    case "push":
      return [{ kind: "push", src: needSubfield(h.args) }];
    case "pop":
      return [{ kind: "pop", dst: needSubfield(h.args) }];
    case "push_vlan":
      return [{ kind: "push_vlan", ethertype: needNumber(h.args, 0xffff) }];
    case "pop_vlan":
      return [{ kind: "pop_vlan" }];
    case "strip_vlan":
      return [{ kind: "strip_vlan" }];
    case "ct":
      return [parseCt(h.args)];
    case "ct_clear":
      return [{ kind: "ct_clear" }];
    case "conjunction": {
      const m = /^\s*(\d+)\s*,\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(h.args);
      if (m === null) fail(`${s}: bad conjunction`);
      const k = Number(m[2]);
      const n = Number(m[3]);
      if (n < 2 || n > 64 || k < 1 || k > n) fail(`${s}: bad conjunction clause`);
      return [{ kind: "conjunction", id: needNumber(m[1] ?? "", 0xffffffff), k, n }];
    }
    case "learn":
      return [parseLearn(h.args)];
    case "group":
      return [{ kind: "group", id: needNumber(h.args, 0xffffffff) }];
    case "meter":
      return [{ kind: "meter", id: needNumber(h.args, 0xffffffff) }];
    case "dec_ttl":
      if (!h.paren) return [{ kind: "dec_nw_ttl" }];
      return [{ kind: "dec_ttl", controllerIds: splitTopLevel(h.args).map((x) => needNumber(x, 0xffff)) }];
    case "mod_nw_ttl":
      return [{ kind: "set_ttl", ttl: needNumber(h.args, 0xff) }];
    case "clone":
      return [{ kind: "clone", actions: parseList(h.args) }];
    case "note":
      return [{ kind: "note", bytes: parseDotted(h.args) }];
    case "multipath":
      return [parseMultipath(h.args)];
    case "bundle":
      return [parseBundle(h.args, false)];
    case "bundle_load":
      return [parseBundle(h.args, true)];
    case "set_queue":
      return [{ kind: "set_queue", queue: needNumber(h.args, 0xffffffff) }];
    case "pop_queue":
      return [{ kind: "pop_queue" }];
    case "goto_table":
      return [{ kind: "goto_table", table: needNumber(h.args, 0xff) }];
    case "write_metadata": {
      const [v = "", m] = h.args.split("/");
      const value = parseNumber(v) ?? fail(`${v}: bad metadata`);
      if (m === undefined) return [{ kind: "write_metadata", value }];
      const mask = parseNumber(m) ?? fail(`${m}: bad mask`);
      return [{ kind: "write_metadata", value: value & mask, mask }];
    }
    case "clear_actions":
      return [{ kind: "clear_actions" }];
    case "write_actions":
      return [{ kind: "write_actions", actions: parseList(h.args) }];
    case "exit":
      return [{ kind: "exit" }];
    case "fin_timeout": {
      let idleTimeout = 0;
      let hardTimeout = 0;
      for (const item of splitTopLevel(h.args)) {
        if (item.startsWith("idle_timeout=")) idleTimeout = needNumber(item.slice(13), 0xffff);
        else if (item.startsWith("hard_timeout=")) hardTimeout = needNumber(item.slice(13), 0xffff);
        else fail(`${item}: unknown fin_timeout argument`);
      }
      return [{ kind: "fin_timeout", idleTimeout, hardTimeout }];
    }
    case "sample":
      return [parseSample(h.args)];
    case "drop":
      return [];
    default: {
      const f = Object.hasOwn(MOD_ACTIONS, h.name) ? MOD_ACTIONS[h.name] : undefined;
      if (f !== undefined) {
        const v = parseFieldValue(f, h.args) ?? fail(`${h.args}: invalid value for ${f}`);
        return [{ kind: "set_field", field: f, value: v.value }];
      }
      return fail(`unknown action ${h.name}`);
    }
  }
}

function parseList(s: string): Action[] {
  return splitTopLevel(s).flatMap(parseOne);
}

/** Parses an action list in ovs-ofctl syntax ("drop" or empty → no actions). */
export function parseActions(s: string): ActionsParse {
  try {
    return { ok: true, actions: parseList(s) };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message };
    return { ok: false, error: String(e) };
  }
}
