// ovn-nbctl's router policy and meter commands: lr-policy-add/del/list, meter-add/del/list.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { Atom } from "../../ovsdb/schema/types.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError, isUuid, sortDatum } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, setOf, str } from "./nb-switch.js";
import { smapPairs } from "./smap-order.js";

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function isIp(s: string): boolean {
  return IPV4.test(s) || (s.includes(":") && /^[0-9a-fA-F:]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1);
}

function router(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Router", ctx.args[0] as string, "router name", true) as CtlRow;
}

function policies(ctx: CommandContext, lr: CtlRow): CtlRow[] {
  const t = ctx.db.table("Logical_Router_Policy");
  return lr
    .get("policies")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

function priority(p: string): number {
  if (!/^[0-9]+$/.test(p) || Number(p) > 32767) throw new CtlError(`${p}: priority must in range 0...32767`);
  return Number(p);
}

function policyAdd(ctx: CommandContext): void {
  const lr = router(ctx);
  const [, prioArg, match, action, ...rest] = ctx.args as [string, string, string, string, ...string[]];
  const prio = priority(prioArg);
  if (!["allow", "drop", "reroute"].includes(action))
    throw new CtlError(`${action}: action must be one of "allow", "drop", and "reroute"`);
  let nexthops: string[] = [];
  let opts = rest;
  if (action === "reroute") {
    const nh = rest[0];
    if (nh === undefined) throw new CtlError("Nexthop is required when action is reroute.");
    nexthops = nh.split(",");
    for (const n of nexthops) if (!isIp(n)) throw new CtlError(`bad next hop argument: ${n}`);
    opts = rest.slice(1);
  }
  if (policies(ctx, lr).some((p) => p.get("priority").keys[0] === prio && str(p, "match") === match)) {
    if (ctx.options.has("--may-exist")) return;
    throw new CtlError(`Same routing policy already existed on the logical router ${str(lr, "name")}.`);
  }
  const keys: Atom[] = [];
  const values: Atom[] = [];
  for (const o of opts) {
    const eq = o.indexOf("=");
    if (eq < 0) throw new CtlError(`${o}: option must be in the form key=value`);
    keys.push(o.slice(0, eq));
    values.push(o.slice(eq + 1));
  }
  const t = ctx.db.table("Logical_Router_Policy");
  const row = new Map<ColumnModel, Datum>([
    [col(t, "priority"), one(prio)],
    [col(t, "match"), one(match)],
    [col(t, "action"), one(action)],
    [col(t, "options"), sortDatum(keys, values)],
  ]);
  if (nexthops.length > 0) row.set(col(t, "nexthops"), setOf(nexthops));
  const p = ctx.db.insert(t, row);
  editRefs(ctx.db, lr, "policies", p.uuid, true);
}

function policyDel(ctx: CommandContext): void {
  const lr = router(ctx);
  const [, prioArg, match] = ctx.args as [string, string?, string?];
  const c = col(lr.table, "policies");
  const all = policies(ctx, lr);
  let keep: CtlRow[] = [];
  if (prioArg !== undefined) {
    const byUuid = all.find((p) => p.uuid === prioArg.toLowerCase());
    if (byUuid !== undefined) keep = all.filter((p) => p !== byUuid);
    else if (isUuid(prioArg)) {
      if (ctx.options.has("--if-exists")) return;
      throw new CtlError("Logical router policy uuid is not found.");
    } else {
      const prio = priority(prioArg);
      keep = all.filter(
        (p) => !(p.get("priority").keys[0] === prio && (match === undefined || str(p, "match") === match)),
      );
    }
  }
  ctx.db.verify(lr, c);
  ctx.db.write(lr, c, setOf(keep.map((p) => p.uuid)));
}

function policyList(ctx: CommandContext): void {
  const rows = policies(ctx, router(ctx)).sort((a, b) => {
    const d = Number(b.get("priority").keys[0]) - Number(a.get("priority").keys[0]);
    if (d !== 0) return d;
    const ma = str(a, "match");
    const mb = str(b, "match");
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  if (rows.length === 0) return;
  ctx.out += "Routing Policies\n";
  for (const p of rows) {
    let line = `${String(p.get("priority").keys[0]).padStart(10)} ${str(p, "match").padStart(50)} ${str(p, "action").padStart(15)}`;
    const nhs = p.get("nexthops").keys.map(String);
    if (nhs.length > 0)
      line += ` ${(nhs[0] as string).padStart(25)}${nhs
        .slice(1)
        .map((n) => `, ${n}`)
        .join("")}`;
    const o = p.get("options");
    if (o.keys.length > 0)
      line += `${" ".repeat(15)}${smapPairs(o)
        .map(([k, v]) => `${k}=${v}`)
        .join(",")}`;
    ctx.out += `${line}\n`;
  }
}

// ---- meters --------------------------------------------------------------------------------------

function meterAdd(ctx: CommandContext): void {
  const [name, action, rateArg, unit, burstArg] = ctx.args as [string, string, string, string, string?];
  const t = ctx.db.table("Meter");
  if (ctx.db.rows(t).some((m) => str(m, "name") === name))
    throw new CtlError(`meter with name "${name}" already exists`);
  if (action !== "drop") throw new CtlError(`action must be "drop"`);
  if (!/^[0-9]+$/.test(rateArg) || Number(rateArg) < 1 || Number(rateArg) > 4294967295)
    throw new CtlError("rate must be in the range 1...4294967295");
  if (unit !== "kbps" && unit !== "pktps") throw new CtlError(`unit must be "kbps" or "pktps"`);
  let burst = 0;
  if (burstArg !== undefined) {
    if (!/^[0-9]+$/.test(burstArg) || Number(burstArg) > 4294967295)
      throw new CtlError("burst must be in the range 0...4294967295");
    burst = Number(burstArg);
  }
  const bt = ctx.db.table("Meter_Band");
  const band = ctx.db.insert(
    bt,
    new Map<ColumnModel, Datum>([
      [col(bt, "action"), one(action)],
      [col(bt, "rate"), one(Number(rateArg))],
      [col(bt, "burst_size"), one(burst)],
    ]),
  );
  const row = new Map<ColumnModel, Datum>([
    [col(t, "name"), one(name)],
    [col(t, "unit"), one(unit)],
    [col(t, "bands"), one(band.uuid)],
  ]);
  if (ctx.options.has("--fair")) row.set(col(t, "fair"), one(true));
  ctx.db.insert(t, row);
}

function meterDel(ctx: CommandContext): void {
  const name = ctx.args[0];
  for (const m of ctx.db.rows(ctx.db.table("Meter")))
    if (name === undefined || str(m, "name") === name) ctx.db.delete(m);
}

function meterList(ctx: CommandContext): void {
  const bt = ctx.db.table("Meter_Band");
  const meters = ctx.db
    .rows(ctx.db.table("Meter"))
    .sort((a, b) => (str(a, "name") < str(b, "name") ? -1 : 1));
  for (const m of meters) {
    const fair = m.get("fair").keys[0] === true ? " (fair)" : "";
    ctx.out += `${str(m, "name")}:${fair} bands:\n`;
    const unit = str(m, "unit");
    for (const u of m.get("bands").keys) {
      const b = ctx.db.row(bt, u as string);
      if (b === undefined) continue;
      ctx.out += `  ${str(b, "action")}: ${String(b.get("rate").keys[0])} ${unit}`;
      const burst = Number(b.get("burst_size").keys[0] ?? 0);
      if (burst > 0) ctx.out += `, ${burst} ${unit === "kbps" ? "kb" : "packet"} burst`;
      ctx.out += "\n";
    }
  }
}

export const POLICY_COMMANDS: readonly CommandSpec[] = [
  {
    name: "lr-policy-add",
    minArgs: 4,
    maxArgs: Number.POSITIVE_INFINITY,
    options: ["--may-exist"],
    run: policyAdd,
  },
  { name: "lr-policy-del", minArgs: 1, maxArgs: 3, options: ["--if-exists"], run: policyDel },
  { name: "lr-policy-list", minArgs: 1, maxArgs: 1, options: [], readOnly: true, run: policyList },
  { name: "meter-add", minArgs: 4, maxArgs: 5, options: ["--fair"], run: meterAdd },
  { name: "meter-del", minArgs: 0, maxArgs: 1, options: [], run: meterDel },
  { name: "meter-list", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: meterList },
];
