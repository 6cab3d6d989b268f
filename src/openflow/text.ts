// Flows in ovs-ofctl's text form.  formatFlow writes one line exactly as
// `ovs-ofctl -O OpenFlow15 dump-flows --no-stats BR` does (Open vSwitch 3.1, observed), e.g.
//   " table=8, priority=50,reg14=0x1,metadata=0x1 actions=resubmit(,9)"
// (leading space included: ovs-ofctl writes one); parseFlow reads that form, the form with
// statistics, and ovs-ofctl add-flow's own syntax ("table=8,priority=50,reg14=1,actions=...").

import type { Action, FlowMod, FlowModFlags, MatchField } from "./model.js";
import { formatActions, parseActions } from "./text-actions.js";
import { formatMatch, parseMatchItems } from "./text-match.js";
import { hex, parseNumber } from "./text-values.js";

export { formatAction, formatActions, formatSubfield, parseActions, parseSubfield } from "./text-actions.js";
export { formatMatch, matchEquals, matchKey, parseMatchItems } from "./text-match.js";
export { formatMatchValue, formatValue, parseFieldValue } from "./text-values.js";

/** What a dump-flows line (or an add-flow line) says about one flow. */
export interface FlowText {
  readonly table: number;
  readonly priority: number;
  readonly cookie: bigint;
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  readonly importance: number;
  readonly flags: FlowModFlags;
  readonly match: readonly MatchField[];
  readonly actions: readonly Action[];
}

const FLAG_WORDS: ReadonlyArray<readonly [keyof FlowModFlags, string]> = [
  ["sendFlowRem", "send_flow_rem"],
  ["checkOverlap", "check_overlap"],
  ["resetCounts", "reset_counts"],
  ["noPktCounts", "no_packet_counts"],
  ["noBytCounts", "no_byte_counts"],
];

type FlowLike = Pick<FlowMod, "table" | "priority" | "match" | "actions"> &
  Partial<Pick<FlowMod, "cookie" | "idleTimeout" | "hardTimeout" | "importance" | "flags">>;

const COMMAND_WORDS: Readonly<Record<FlowMod["command"], string>> = {
  add: "ADD",
  modify: "MOD",
  modify_strict: "MOD_STRICT",
  delete: "DEL",
  delete_strict: "DEL_STRICT",
};

/**
 * A flow_mod for logs, in the shape `ovs-ofctl ofp-print` gives it, e.g.
 * "ADD table:8 priority=50,reg14=0x1 cookie:0x5 idle:5 actions=resubmit(,9)".
 */
export function formatFlowMod(fm: FlowMod): string {
  const parts = [COMMAND_WORDS[fm.command]];
  if (fm.table !== 0) parts.push(`table:${fm.table}`);
  const m = formatMatch(fm.match, fm.priority);
  if (m !== "") parts.push(m);
  // An add shows its cookie; modify and delete show the cookie only as a cookie/mask selector.
  const mask = fm.cookieMask ?? 0n;
  if (mask !== 0n) parts.push(`cookie:${hex(fm.cookie)}/${hex(mask)}`);
  else if (fm.command === "add" && fm.cookie !== 0n) parts.push(`cookie:${hex(fm.cookie)}`);
  if ((fm.idleTimeout ?? 0) !== 0) parts.push(`idle:${fm.idleTimeout}`);
  if ((fm.hardTimeout ?? 0) !== 0) parts.push(`hard:${fm.hardTimeout}`);
  if ((fm.importance ?? 0) !== 0) parts.push(`importance:${fm.importance}`);
  if (fm.outPort !== undefined) parts.push(`out_port:${fm.outPort}`);
  parts.push(`actions=${formatActions(fm.actions)}`);
  return parts.join(" ");
}

/** One flow as `ovs-ofctl -O OpenFlow15 dump-flows --no-stats` prints it (with its leading space). */
export function formatFlow(f: FlowLike): string {
  let s = " ";
  const cookie = f.cookie ?? 0n;
  if (cookie !== 0n) s += `cookie=${hex(cookie)}, `;
  if (f.table !== 0) s += `table=${f.table}, `;
  if ((f.idleTimeout ?? 0) !== 0) s += `idle_timeout=${f.idleTimeout}, `;
  if ((f.hardTimeout ?? 0) !== 0) s += `hard_timeout=${f.hardTimeout}, `;
  for (const [k, word] of FLAG_WORDS) if (f.flags?.[k] === true) s += `${word} `;
  if ((f.importance ?? 0) !== 0) s += `importance=${f.importance}, `;
  const m = formatMatch(f.match, f.priority);
  if (m !== "") s += `${m} `;
  return `${s}actions=${formatActions(f.actions)}`;
}

export type FlowParse =
  | { readonly ok: true; readonly flow: FlowText }
  | { readonly ok: false; readonly error: string };

/** Index of the "actions=" that starts the action list (the first one: matches never contain it). */
function actionsIndex(s: string): number {
  const m = /(^|[\s,])actions=/.exec(s);
  return m === null ? -1 : m.index + (m[1] ?? "").length;
}

/** Parses a flow line: dump-flows output (with or without statistics) or add-flow syntax. */
export function parseFlow(line: string): FlowParse {
  const ai = actionsIndex(line);
  if (ai < 0) return { ok: false, error: "must specify an action" };
  const pre = line.slice(0, ai);
  const acts = parseActions(line.slice(ai + "actions=".length).trim());
  if (!acts.ok) return acts;
  let table = 0;
  let priority = 0x8000;
  let cookie = 0n;
  let idleTimeout = 0;
  let hardTimeout = 0;
  let importance = 0;
  const flags: { -readonly [K in keyof FlowModFlags]: FlowModFlags[K] } = {};
  const items: string[] = [];
  const num = (v: string | undefined, max: bigint): number | undefined => {
    const n = v === undefined ? undefined : parseNumber(v);
    return n === undefined || n > max ? undefined : Number(n);
  };
  for (const raw of pre.split(/[\s,]+/)) {
    if (raw === "") continue;
    const eq = raw.indexOf("=");
    const k = eq < 0 ? raw : raw.slice(0, eq);
    const v = eq < 0 ? undefined : raw.slice(eq + 1);
    const flag = FLAG_WORDS.find(([, w]) => w === k);
    if (flag !== undefined && v === undefined) {
      flags[flag[0]] = true;
      continue;
    }
    switch (k) {
      case "table": {
        const t = num(v, 0xffn);
        if (t === undefined) return { ok: false, error: `${raw}: invalid table` };
        table = t;
        continue;
      }
      case "priority": {
        const p = num(v, 0xffffn);
        if (p === undefined) return { ok: false, error: `${raw}: invalid priority` };
        priority = p;
        continue;
      }
      case "cookie": {
        const c = v === undefined ? undefined : parseNumber(v.split("/")[0] ?? "");
        if (c === undefined) return { ok: false, error: `${raw}: invalid cookie` };
        cookie = c;
        continue;
      }
      case "idle_timeout":
      case "hard_timeout":
      case "importance": {
        const n = num(v, 0xffffn);
        if (n === undefined) return { ok: false, error: `${raw}: invalid ${k}` };
        if (k === "idle_timeout") idleTimeout = n;
        else if (k === "hard_timeout") hardTimeout = n;
        else importance = n;
        continue;
      }
      case "duration":
      case "n_packets":
      case "n_bytes":
      case "idle_age":
      case "hard_age":
      case "out_port":
      case "out_group":
        continue;
      default:
        items.push(raw);
    }
  }
  const m = parseMatchItems(items);
  if (!m.ok) return m;
  return {
    ok: true,
    flow: {
      table,
      priority,
      cookie,
      idleTimeout,
      hardTimeout,
      importance,
      flags,
      match: m.match,
      actions: acts.actions,
    },
  };
}

/** A parsed flow as an "add" FlowMod. */
export function flowTextToFlowMod(f: FlowText): FlowMod {
  return {
    command: "add",
    table: f.table,
    priority: f.priority,
    cookie: f.cookie,
    idleTimeout: f.idleTimeout,
    hardTimeout: f.hardTimeout,
    importance: f.importance,
    flags: f.flags,
    match: f.match,
    actions: f.actions,
  };
}
export type { GroupParse, GroupText } from "./text-group.js";
export { formatGroup, groupTextToGroupMod, parseGroup } from "./text-group.js";
export type { MeterParse, MeterText } from "./text-meter.js";
export { formatMeter, meterTextToMeterMod, parseMeter } from "./text-meter.js";
