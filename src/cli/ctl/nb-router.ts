// ovn-nbctl's router extras and `show`: lrp gateway chassis, lr-nat-add/del/list (ovn-nbctl(8)).
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, str } from "./nb-switch.js";

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function isIpv6(s: string): boolean {
  return s.includes(":") && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1;
}

function isIp(s: string): boolean {
  return IPV4.test(s) || isIpv6(s);
}

function isIpv4Net(s: string): boolean {
  const [a, len, extra] = s.split("/");
  return (
    extra === undefined &&
    IPV4.test(a ?? "") &&
    (len === undefined || (/^[0-9]+$/.test(len) && Number(len) <= 32))
  );
}

function lrp(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Router_Port", ctx.args[0] as string, "port name", true) as CtlRow;
}

function router(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Router", ctx.args[0] as string, "router name", true) as CtlRow;
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

const NAT_TYPES = ["dnat", "snat", "dnat_and_snat"];

function nats(ctx: CommandContext, lr: CtlRow): CtlRow[] {
  const t = ctx.db.table("NAT");
  return lr
    .get("nat")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

function natAdd(ctx: CommandContext): void {
  const lr = router(ctx);
  const [, type, ext, logical, lport, emac] = ctx.args as [string, string, string, string, string?, string?];
  if (!NAT_TYPES.includes(type))
    throw new CtlError(`${type}: type must be one of "dnat", "snat" and "dnat_and_snat".`);
  if (!isIp(ext)) throw new CtlError(`${ext}: Not a valid IPv4 or IPv6 address.`);
  if (type === "snat") {
    if (!isIpv4Net(logical) && !isIpv6(logical.split("/")[0] ?? ""))
      throw new CtlError(`${logical}: should be an IPv4 address or network.`);
  } else if (!isIp(logical)) throw new CtlError(`${logical}: Not a valid IPv4 address.`);
  if (lport !== undefined && type !== "dnat_and_snat")
    throw new CtlError("logical port and external mac are only valid for dnat_and_snat");
  if (lport !== undefined && emac === undefined)
    throw new CtlError("lr-nat-add with logical_port must also specify external_mac.");
  for (const n of nats(ctx, lr)) {
    if (str(n, "type") !== type) continue;
    if (str(n, "external_ip") === ext && str(n, "logical_ip") === logical) {
      if (ctx.options.has("--may-exist")) return;
      throw new CtlError(`${ext}, ${logical}: a NAT with this external_ip and logical_ip already exists`);
    }
  }
  const t = ctx.db.table("NAT");
  const values = new Map<ColumnModel, Datum>([
    [col(t, "type"), one(type)],
    [col(t, "external_ip"), one(ext)],
    [col(t, "logical_ip"), one(logical)],
  ]);
  if (lport !== undefined && emac !== undefined) {
    values.set(col(t, "logical_port"), one(lport));
    values.set(col(t, "external_mac"), one(emac));
  }
  const nat = ctx.db.insert(t, values);
  editRefs(ctx.db, lr, "nat", nat.uuid, true);
}

function natDel(ctx: CommandContext): void {
  const lr = router(ctx);
  const [, type, ip] = ctx.args as [string, string?, string?];
  const all = nats(ctx, lr);
  const c = col(lr.table, "nat");
  if (type === undefined) {
    ctx.db.verify(lr, c);
    ctx.db.write(lr, c, { keys: [] });
    return;
  }
  if (!NAT_TYPES.includes(type))
    throw new CtlError(`${type}: type must be one of "dnat", "snat" and "dnat_and_snat".`);
  const keep = all.filter((n) => {
    if (str(n, "type") !== type) return true;
    if (ip === undefined) return false;
    return str(n, type === "snat" ? "logical_ip" : "external_ip") !== ip;
  });
  if (keep.length === all.length && ip !== undefined && !ctx.options.has("--if-exists")) return;
  ctx.db.verify(lr, c);
  ctx.db.write(lr, c, { keys: keep.map((n) => n.uuid).sort() });
}

function natList(ctx: CommandContext): void {
  const rows = nats(ctx, router(ctx))
    .map((n) => [
      str(n, "type"),
      str(n, "gateway_port"),
      str(n, "external_ip"),
      "",
      str(n, "logical_ip"),
      str(n, "external_mac"),
      str(n, "logical_port"),
    ])
    .sort((a, b) => {
      const ka = `${a[0]}${a[2]}${a[4]}`;
      const kb = `${b[0]}${b[2]}${b[4]}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  if (rows.length === 0) return;
  const widths = [17, 22, 19, 17, 20, 21, 0];
  const line = (cells: readonly string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("")
      .trimEnd()}\n`;
  ctx.out += line([
    "TYPE",
    "GATEWAY_PORT",
    "EXTERNAL_IP",
    "EXTERNAL_PORT",
    "LOGICAL_IP",
    "EXTERNAL_MAC",
    "LOGICAL_PORT",
  ]);
  for (const r of rows) ctx.out += line(r);
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
  for (const n of nats(ctx, lr)) {
    ctx.out += `    nat ${n.uuid}\n`;
    ctx.out += `        external ip: "${str(n, "external_ip")}"\n`;
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
  {
    name: "lr-nat-add",
    minArgs: 4,
    maxArgs: 7,
    options: ["--may-exist", "--stateless", "--portrange", "--add-route", "--gateway-port="],
    run: natAdd,
  },
  { name: "lr-nat-del", minArgs: 1, maxArgs: 3, options: ["--if-exists"], run: natDel },
  { name: "lr-nat-list", minArgs: 1, maxArgs: 1, options: [], readOnly: true, run: natList },
];
