// ovn-nbctl's QoS rule commands on logical switches: qos-add, qos-del, qos-list.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { Atom } from "../../ovsdb/schema/types.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError, sortDatum } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, setOf, str } from "./nb-switch.js";

function sw(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Switch", ctx.args[0] as string, "switch name", true) as CtlRow;
}

function direction(d: string): string {
  if (d !== "to-lport" && d !== "from-lport")
    throw new CtlError(`${d}: direction must be "to-lport" or "from-lport"`);
  return d;
}

function priority(p: string): number {
  if (!/^[0-9]+$/.test(p) || Number(p) > 32767) throw new CtlError(`${p}: priority must in range 0...32767`);
  return Number(p);
}

function rules(ctx: CommandContext, ls: CtlRow): CtlRow[] {
  const t = ctx.db.table("QoS");
  return ls
    .get("qos_rules")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

function mapGet(d: Datum, key: string): Atom | undefined {
  const i = d.keys.indexOf(key);
  return i < 0 ? undefined : (d.values ?? [])[i];
}

function qosAdd(ctx: CommandContext): void {
  const ls = sw(ctx);
  const [, dirArg, prioArg, match, ...params] = ctx.args as [string, string, string, string, ...string[]];
  const dir = direction(dirArg);
  const prio = priority(prioArg);
  const action: [Atom[], Atom[]] = [[], []];
  const bandwidth: [Atom[], Atom[]] = [[], []];
  for (const p of params) {
    const m = /^(dscp|rate|burst)=(.*)$/.exec(p);
    if (m === null) throw new CtlError(`${p}: supported arguments are "dscp=", "rate=", and "burst="`);
    const [, key, v] = m as unknown as [string, string, string];
    const n = /^[0-9]+$/.test(v) ? Number(v) : Number.NaN;
    if (key === "dscp") {
      if (!(n >= 0 && n <= 63)) throw new CtlError(`${v}: dscp must be in the range 0...63`);
      action[0].push("dscp");
      action[1].push(n);
    } else {
      if (!(n >= 1 && n <= 4294967295))
        throw new CtlError(`${v}: ${key} must be in the range 1...4294967295`);
      bandwidth[0].push(key);
      bandwidth[1].push(n);
    }
  }
  if (action[0].length === 0 && bandwidth[0].length === 0)
    throw new CtlError(`Either "rate" and/or "dscp" must be specified`);
  if (
    rules(ctx, ls).some(
      (r) => str(r, "direction") === dir && r.get("priority").keys[0] === prio && str(r, "match") === match,
    )
  ) {
    if (ctx.options.has("--may-exist")) return;
    throw new CtlError(`Same qos already existed on the ls ${str(ls, "name")}.`);
  }
  const t = ctx.db.table("QoS");
  const q = ctx.db.insert(
    t,
    new Map<ColumnModel, Datum>([
      [col(t, "direction"), one(dir)],
      [col(t, "priority"), one(prio)],
      [col(t, "match"), one(match)],
      [col(t, "action"), sortDatum(...action)],
      [col(t, "bandwidth"), sortDatum(...bandwidth)],
    ]),
  );
  editRefs(ctx.db, ls, "qos_rules", q.uuid, true);
}

function qosDel(ctx: CommandContext): void {
  const ls = sw(ctx);
  const [, dirArg, prioArg, match] = ctx.args as [string, string?, string?, string?];
  const c = col(ls.table, "qos_rules");
  const all = rules(ctx, ls);
  let keep: CtlRow[] = [];
  if (dirArg !== undefined) {
    const dir = direction(dirArg);
    if (prioArg === undefined) keep = all.filter((r) => str(r, "direction") !== dir);
    else {
      if (match === undefined) throw new CtlError("cannot specify priority without match");
      const prio = priority(prioArg);
      keep = all.filter(
        (r) =>
          !(str(r, "direction") === dir && r.get("priority").keys[0] === prio && str(r, "match") === match),
      );
    }
  }
  ctx.db.verify(ls, c);
  ctx.db.write(ls, c, setOf(keep.map((r) => r.uuid)));
}

function qosList(ctx: CommandContext): void {
  const rows = rules(ctx, sw(ctx)).sort((a, b) => {
    const da = str(a, "direction");
    const db = str(b, "direction");
    if (da !== db) return da < db ? -1 : 1;
    const d = Number(b.get("priority").keys[0]) - Number(a.get("priority").keys[0]);
    if (d !== 0) return d;
    return str(a, "match") < str(b, "match") ? -1 : 1;
  });
  for (const r of rows) {
    let line = `${str(r, "direction").padStart(10)} ${String(r.get("priority").keys[0]).padStart(5)} (${str(r, "match")})`;
    const bw = r.get("bandwidth");
    for (const k of ["rate", "burst"]) {
      const v = mapGet(bw, k);
      if (v !== undefined) line += ` ${k}=${String(v)}`;
    }
    const dscp = mapGet(r.get("action"), "dscp");
    if (dscp !== undefined) line += ` dscp=${String(dscp)}`;
    ctx.out += `${line}\n`;
  }
}

export const QOS_COMMANDS: readonly CommandSpec[] = [
  { name: "qos-add", minArgs: 5, maxArgs: 7, options: ["--may-exist"], run: qosAdd },
  { name: "qos-del", minArgs: 1, maxArgs: 4, options: [], run: qosDel },
  { name: "qos-list", minArgs: 1, maxArgs: 1, options: [], readOnly: true, run: qosList },
];
