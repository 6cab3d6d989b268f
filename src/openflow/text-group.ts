// Groups in ovs-ofctl's text: formatGroup writes one line as `ovs-ofctl -O OpenFlow15 dump-groups`
// does (Open vSwitch 3.1, observed), e.g.
//   " group_id=1,type=select,selection_method=dp_hash,bucket=bucket_id:0,weight:100,actions=resubmit(,9)"
// and parseGroup reads that form and add-group's ("group_id=1,type=all,bucket=actions=output:1,...").

import { lookupField } from "./fields.js";
import type { Bucket, FieldName, GroupMod, GroupType } from "./model.js";
import { formatActions, parseActions, splitTopLevel } from "./text-actions.js";
import { formatPort, parseNumber, parsePort } from "./text-values.js";

export interface GroupText {
  readonly groupId: number;
  readonly type: GroupType;
  readonly buckets: readonly Bucket[];
  readonly selectionMethod?: "dp_hash" | "hash";
  readonly selectionFields?: readonly FieldName[];
  readonly selectionParam?: bigint;
}

function formatBucket(b: Bucket, index: number): string {
  const parts = [`bucket=bucket_id:${b.bucketId ?? index}`];
  if (b.weight !== undefined) parts.push(`weight:${b.weight}`);
  if (b.watchPort !== undefined) parts.push(`watch_port:${formatPort(b.watchPort)}`);
  if (b.watchGroup !== undefined) parts.push(`watch_group:${b.watchGroup}`);
  parts.push(`actions=${formatActions(b.actions)}`);
  return parts.join(",");
}

/** One group as dump-groups prints it (with its leading space). */
export function formatGroup(g: GroupText): string {
  const parts = [`group_id=${g.groupId}`, `type=${g.type}`];
  if (g.selectionMethod !== undefined) parts.push(`selection_method=${g.selectionMethod}`);
  if (g.selectionParam !== undefined && g.selectionParam !== 0n)
    parts.push(`selection_method_param=${g.selectionParam}`);
  if (g.selectionFields !== undefined && g.selectionFields.length > 0)
    parts.push(`fields(${g.selectionFields.join(",")})`);
  for (const [i, b] of g.buckets.entries()) parts.push(formatBucket(b, i));
  return ` ${parts.join(",")}`;
}

export type GroupParse =
  | { readonly ok: true; readonly group: GroupText }
  | { readonly ok: false; readonly error: string };

const TYPES: readonly GroupType[] = ["all", "select", "indirect", "ff"];

/** Parses a dump-groups line or add-group text. */
export function parseGroup(line: string): GroupParse {
  const tokens = splitTopLevel(line.trim());
  let groupId: number | undefined;
  let type: GroupType = "all";
  let selectionMethod: "dp_hash" | "hash" | undefined;
  let selectionParam: bigint | undefined;
  let selectionFields: FieldName[] | undefined;
  const buckets: Bucket[] = [];
  let cur: { -readonly [K in keyof Bucket]: Bucket[K] } | undefined;
  let actionText: string[] = [];
  const closeBucket = (): string | undefined => {
    if (cur === undefined) return undefined;
    const acts = parseActions(actionText.join(","));
    if (!acts.ok) return acts.error;
    cur.actions = acts.actions;
    buckets.push(cur);
    cur = undefined;
    actionText = [];
    return undefined;
  };
  for (let tok of tokens) {
    if (tok.startsWith("bucket=")) {
      const err = closeBucket();
      if (err !== undefined) return { ok: false, error: err };
      cur = { actions: [] };
      tok = tok.slice(7);
      if (tok === "") continue;
    }
    if (cur !== undefined) {
      if (actionText.length === 0) {
        const m = /^(bucket_id|weight|watch_port|watch_group)[:=](.+)$/.exec(tok);
        if (m !== null) {
          const v = m[2] ?? "";
          if (m[1] === "watch_port") {
            const p = parsePort(v);
            if (p === undefined) return { ok: false, error: `${tok}: invalid port` };
            cur.watchPort = p;
          } else {
            const n = parseNumber(v);
            if (n === undefined || n > 0xffffffffn) return { ok: false, error: `${tok}: invalid number` };
            if (m[1] === "bucket_id") cur.bucketId = Number(n);
            else if (m[1] === "weight") cur.weight = Number(n);
            else cur.watchGroup = Number(n);
          }
          continue;
        }
      }
      actionText.push(tok.startsWith("actions=") ? tok.slice(8) : tok);
      continue;
    }
    const eq = tok.indexOf("=");
    const k = eq < 0 ? tok : tok.slice(0, eq);
    const v = eq < 0 ? "" : tok.slice(eq + 1);
    if (k === "group_id") {
      const n = parseNumber(v);
      if (n === undefined || n > 0xffffffffn) return { ok: false, error: `${tok}: invalid group id` };
      groupId = Number(n);
    } else if (k === "type") {
      const t = TYPES.find((x) => x === v);
      if (t === undefined) return { ok: false, error: `${v}: unknown group type` };
      type = t;
    } else if (k === "selection_method") {
      if (v !== "dp_hash" && v !== "hash") return { ok: false, error: `${v}: unknown selection method` };
      selectionMethod = v;
    } else if (k === "selection_method_param") {
      const n = parseNumber(v);
      if (n === undefined) return { ok: false, error: `${tok}: invalid parameter` };
      selectionParam = n;
    } else if (tok.startsWith("fields(") && tok.endsWith(")")) {
      selectionFields = [];
      for (const f of splitTopLevel(tok.slice(7, -1))) {
        const name = lookupField(f);
        if (name === undefined) return { ok: false, error: `${f}: unknown field` };
        selectionFields.push(name);
      }
    } else {
      return { ok: false, error: `${tok}: unknown group keyword` };
    }
  }
  const err = closeBucket();
  if (err !== undefined) return { ok: false, error: err };
  if (groupId === undefined) return { ok: false, error: "must specify a group_id" };
  const g: { -readonly [K in keyof GroupText]: GroupText[K] } = { groupId, type, buckets };
  if (selectionMethod !== undefined) g.selectionMethod = selectionMethod;
  if (selectionParam !== undefined) g.selectionParam = selectionParam;
  if (selectionFields !== undefined) g.selectionFields = selectionFields;
  return { ok: true, group: g };
}

/** A parsed group as an "add" GroupMod. */
export function groupTextToGroupMod(g: GroupText, command: GroupMod["command"] = "add"): GroupMod {
  return { command, ...g };
}
