// ovn-nbctl's router extras and `show`: lrp gateway chassis (ovn-nbctl(8)); NAT is in ./nb-nat.ts.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { natsOf } from "./nb-nat.js";
import { byNameOrUuid, col, editRefs, one, str } from "./nb-switch.js";

function lrp(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Router_Port", ctx.args[0] as string, "port name", true) as CtlRow;
}

function gatewayChassis(ctx: CommandContext, port: CtlRow): CtlRow[] {
  const t = ctx.db.table("Gateway_Chassis");
  return port
    .get("gateway_chassis")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

function setGatewayChassis(ctx: CommandContext): void {
  const port = lrp(ctx);
  const chassis = ctx.args[1] as string;
  let priority = 0;
  const p = ctx.args[2];
  if (p !== undefined) {
    if (!/^[0-9]+$/.test(p) || Number(p) > 32767)
      throw new CtlError(`${p}: priority must in range 0...32767`);
    priority = Number(p);
  }
  const name = `${str(port, "name")}-${chassis}`;
  const t = ctx.db.table("Gateway_Chassis");
  const existing = gatewayChassis(ctx, port).find((g) => str(g, "name") === name);
  if (existing !== undefined) {
    ctx.db.write(existing, col(t, "priority"), one(priority));
    return;
  }
  const gc = ctx.db.insert(
    t,
    new Map<ColumnModel, Datum>([
      [col(t, "name"), one(name)],
      [col(t, "chassis_name"), one(chassis)],
      [col(t, "priority"), one(priority)],
    ]),
  );
  editRefs(ctx.db, port, "gateway_chassis", gc.uuid, true);
}

function delGatewayChassis(ctx: CommandContext): void {
  const port = lrp(ctx);
  const chassis = ctx.args[1] as string;
  const gc = gatewayChassis(ctx, port).find((g) => str(g, "chassis_name") === chassis);
  if (gc === undefined) {
    throw new CtlError(`chassis ${chassis} is not added to logical port ${str(port, "name")}`);
  }
  editRefs(ctx.db, port, "gateway_chassis", gc.uuid, false);
}

function getGatewayChassis(ctx: CommandContext): void {
  const list = gatewayChassis(ctx, lrp(ctx)).sort(
    (a, b) =>
      Number(b.get("priority").keys[0]) - Number(a.get("priority").keys[0]) ||
      (str(a, "name") < str(b, "name") ? -1 : 1),
  );
  for (const g of list) ctx.out += `${str(g, "name")} ${String(g.get("priority").keys[0]).padStart(5)}\n`;
}

// ---- show ----------------------------------------------------------------------------------------

function quotedList(values: readonly unknown[]): string {
  return `[${values.map((v) => `"${String(v)}"`).join(", ")}]`;
}

function showSwitch(ctx: CommandContext, ls: CtlRow): void {
  ctx.out += `switch ${ls.uuid} (${str(ls, "name")})\n`;
  const t = ctx.db.table("Logical_Switch_Port");
  for (const u of ls.get("ports").keys) {
    const p = ctx.db.row(t, u as string);
    if (p === undefined) continue;
    const ext = p.get("external_ids");
    const aka = ext.keys.indexOf("neutron:port_name");
    const akaName = aka >= 0 ? String((ext.values ?? [])[aka]) : "";
    ctx.out += `    port ${str(p, "name")}${akaName !== "" ? ` (aka ${akaName})` : ""}\n`;
    const type = str(p, "type");
    if (type !== "") ctx.out += `        type: ${type}\n`;
    const parent = p.get("parent_name").keys[0];
    if (parent !== undefined) ctx.out += `        parent: ${String(parent)}\n`;
    const tag = p.get("tag").keys[0];
    if (tag !== undefined) ctx.out += `        tag: ${String(tag)}\n`;
    const addrs = p.get("addresses").keys;
    if (addrs.length > 0) ctx.out += `        addresses: ${quotedList(addrs)}\n`;
    if (type === "router") {
      const opts = p.get("options");
      const i = opts.keys.indexOf("router-port");
      if (i >= 0) ctx.out += `        router-port: ${String((opts.values ?? [])[i])}\n`;
    }
  }
}

function showRouter(ctx: CommandContext, lr: CtlRow): void {
  ctx.out += `router ${lr.uuid} (${str(lr, "name")})\n`;
  const t = ctx.db.table("Logical_Router_Port");
  for (const u of lr.get("ports").keys) {
    const p = ctx.db.row(t, u as string);
    if (p === undefined) continue;
    ctx.out += `    port ${str(p, "name")}\n`;
    ctx.out += `        mac: "${str(p, "mac")}"\n`;
    const nets = p.get("networks").keys;
    if (nets.length > 0) ctx.out += `        networks: ${quotedList(nets)}\n`;
    const gcs = gatewayChassis(ctx, p);
    if (gcs.length > 0)
      ctx.out += `        gateway chassis: [${gcs.map((g) => str(g, "chassis_name")).join(" ")}]\n`;
  }
  for (const n of natsOf(ctx, lr)) {
    ctx.out += `    nat ${n.uuid}\n`;
    ctx.out += `        external ip: "${str(n, "external_ip")}"\n`;
    const ports = str(n, "external_port_range");
    if (ports !== "") ctx.out += `        external port(s): "${ports}"\n`;
    ctx.out += `        logical ip: "${str(n, "logical_ip")}"\n`;
    ctx.out += `        type: "${str(n, "type")}"\n`;
  }
}

function show(ctx: CommandContext): void {
  const { db } = ctx;
  const id = ctx.args[0];
  if (id !== undefined) {
    const ls = byNameOrUuid(db, "Logical_Switch", id, "switch name", false);
    if (ls !== undefined) showSwitch(ctx, ls);
    const lr = byNameOrUuid(db, "Logical_Router", id, "router name", false);
    if (lr !== undefined) showRouter(ctx, lr);
    return;
  }
  for (const ls of db.rows(db.table("Logical_Switch"))) showSwitch(ctx, ls);
  for (const lr of db.rows(db.table("Logical_Router"))) showRouter(ctx, lr);
}

export const ROUTER_COMMANDS: readonly CommandSpec[] = [
  { name: "show", minArgs: 0, maxArgs: 1, options: [], readOnly: true, run: show },
  { name: "lrp-set-gateway-chassis", minArgs: 2, maxArgs: 3, options: [], run: setGatewayChassis },
  { name: "lrp-del-gateway-chassis", minArgs: 2, maxArgs: 2, options: [], run: delGatewayChassis },
  {
    name: "lrp-get-gateway-chassis",
    minArgs: 1,
    maxArgs: 1,
    options: [],
    readOnly: true,
    run: getGatewayChassis,
  },
];
