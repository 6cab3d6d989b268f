// ovn-nbctl's HA chassis group and DHCP options commands (ovn-nbctl(8)).
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { Atom } from "../../ovsdb/schema/types.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError, isUuid, sortDatum } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, str } from "./nb-switch.js";
import { smapPairs } from "./smap-order.js";

function group(ctx: CommandContext): CtlRow {
  // "ha_chassi_group" is what ovn-nbctl 23.03 prints.
  return byNameOrUuid(
    ctx.db,
    "HA_Chassis_Group",
    ctx.args[0] as string,
    "ha_chassi_group name",
    true,
  ) as CtlRow;
}

function members(ctx: CommandContext, g: CtlRow): CtlRow[] {
  const t = ctx.db.table("HA_Chassis");
  return g
    .get("ha_chassis")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

function hcgAdd(ctx: CommandContext): void {
  const t = ctx.db.table("HA_Chassis_Group");
  ctx.db.insert(t, new Map<ColumnModel, Datum>([[col(t, "name"), one(ctx.args[0] as string)]]));
}

function hcgDel(ctx: CommandContext): void {
  ctx.db.delete(group(ctx));
}

function hcgList(ctx: CommandContext): void {
  for (const g of ctx.db.rows(ctx.db.table("HA_Chassis_Group"))) {
    ctx.out += `${g.uuid} (${str(g, "name")})\n`;
    for (const m of members(ctx, g))
      ctx.out += `    ${m.uuid} (${str(m, "chassis_name")})\n    priority ${String(m.get("priority").keys[0])}\n\n`;
    ctx.out += "\n";
  }
}

function hcgAddChassis(ctx: CommandContext): void {
  const g = group(ctx);
  const chassis = ctx.args[1] as string;
  const p = ctx.args[2] as string;
  if (!/^[0-9]+$/.test(p) || Number(p) > 32767) throw new CtlError(`${p}: priority must in range 0...32767`);
  const t = ctx.db.table("HA_Chassis");
  const existing = members(ctx, g).find((m) => str(m, "chassis_name") === chassis);
  if (existing !== undefined) {
    ctx.db.write(existing, col(t, "priority"), one(Number(p)));
    return;
  }
  const m = ctx.db.insert(
    t,
    new Map<ColumnModel, Datum>([
      [col(t, "chassis_name"), one(chassis)],
      [col(t, "priority"), one(Number(p))],
    ]),
  );
  editRefs(ctx.db, g, "ha_chassis", m.uuid, true);
}

function hcgRemoveChassis(ctx: CommandContext): void {
  const g = group(ctx);
  const chassis = ctx.args[1] as string;
  const m = members(ctx, g).find((x) => str(x, "chassis_name") === chassis);
  if (m === undefined)
    throw new CtlError(`${chassis}: ha chassis not found in ${str(g, "name")} ha chassis group`);
  editRefs(ctx.db, g, "ha_chassis", m.uuid, false);
}

// ---- DHCP options --------------------------------------------------------------------------------

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function validCidr(s: string): boolean {
  const [a, len, extra] = s.split("/");
  if (extra !== undefined || a === undefined || (len !== undefined && !/^[0-9]+$/.test(len))) return false;
  if (IPV4.test(a)) return Number(len ?? 32) <= 32;
  return a.includes(":") && /^[0-9a-fA-F:]+$/.test(a) && Number(len ?? 128) <= 128;
}

function keyValues(args: readonly string[]): Datum {
  const keys: Atom[] = [];
  const values: Atom[] = [];
  for (const a of args) {
    const eq = a.indexOf("=");
    if (eq < 0) continue;
    keys.push(a.slice(0, eq));
    values.push(a.slice(eq + 1));
  }
  return sortDatum(keys, values);
}

function dhcp(ctx: CommandContext): CtlRow {
  const id = ctx.args[0] as string;
  const r = isUuid(id) ? ctx.db.row(ctx.db.table("DHCP_Options"), id.toLowerCase()) : undefined;
  if (r === undefined) throw new CtlError(`${id}: dhcp options UUID not found`);
  return r;
}

function dhcpCreate(ctx: CommandContext): void {
  const [cidr, ...kv] = ctx.args as [string, ...string[]];
  if (!validCidr(cidr)) throw new CtlError(`Invalid cidr format '${cidr}'`);
  const t = ctx.db.table("DHCP_Options");
  ctx.db.insert(
    t,
    new Map<ColumnModel, Datum>([
      [col(t, "cidr"), one(cidr)],
      // The key=value arguments are external ids (ovn-nbctl(8)), not DHCP options.
      [col(t, "external_ids"), keyValues(kv)],
    ]),
  );
}

function dhcpList(ctx: CommandContext): void {
  for (const r of ctx.db.rows(ctx.db.table("DHCP_Options"))) ctx.out += `${r.uuid}\n`;
}

/** Prints a map's pairs in the order the C tool does (its smap's iteration order). */
function printMap(ctx: CommandContext, d: Datum): void {
  for (const [k, v] of smapPairs(d)) ctx.out += `${k}=${v}\n`;
}

function lspSetDhcp(column: "dhcpv4_options" | "dhcpv6_options") {
  return (ctx: CommandContext): void => {
    const port = byNameOrUuid(
      ctx.db,
      "Logical_Switch_Port",
      ctx.args[0] as string,
      "port name",
      true,
    ) as CtlRow;
    const id = ctx.args[1];
    const c = col(port.table, column);
    if (id === undefined) {
      ctx.db.write(port, c, { keys: [] });
      return;
    }
    const r = isUuid(id) ? ctx.db.row(ctx.db.table("DHCP_Options"), id.toLowerCase()) : undefined;
    if (r === undefined) throw new CtlError(`${id}: dhcp options UUID not found`);
    ctx.db.write(port, c, one(r.uuid));
  };
}

function lspGetDhcp(column: "dhcpv4_options" | "dhcpv6_options") {
  return (ctx: CommandContext): void => {
    const port = byNameOrUuid(
      ctx.db,
      "Logical_Switch_Port",
      ctx.args[0] as string,
      "port name",
      true,
    ) as CtlRow;
    const u = port.get(column).keys[0];
    const r = u === undefined ? undefined : ctx.db.row(ctx.db.table("DHCP_Options"), u as string);
    if (r !== undefined) ctx.out += `${r.uuid} (${str(r, "cidr")})\n`;
  };
}

const INF = Number.POSITIVE_INFINITY;

export const MISC_COMMANDS: readonly CommandSpec[] = [
  // Every command line already creates the NB_Global row when the database has none: nothing more to do.
  { name: "init", minArgs: 0, maxArgs: 0, options: [], run: () => {} },
  // Changes nothing, but is not read-only: with --wait=sb|hv the command line then waits for nb_cfg.
  { name: "sync", minArgs: 0, maxArgs: 0, options: [], run: () => {} },
  { name: "ha-chassis-group-add", minArgs: 1, maxArgs: 1, options: [], run: hcgAdd },
  { name: "ha-chassis-group-del", minArgs: 1, maxArgs: 1, options: [], run: hcgDel },
  { name: "ha-chassis-group-list", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: hcgList },
  { name: "ha-chassis-group-add-chassis", minArgs: 3, maxArgs: 3, options: [], run: hcgAddChassis },
  { name: "ha-chassis-group-remove-chassis", minArgs: 2, maxArgs: 2, options: [], run: hcgRemoveChassis },
  { name: "lsp-set-dhcpv4-options", minArgs: 1, maxArgs: 2, options: [], run: lspSetDhcp("dhcpv4_options") },
  {
    name: "lsp-get-dhcpv4-options",
    minArgs: 1,
    maxArgs: 1,
    options: [],
    readOnly: true,
    run: lspGetDhcp("dhcpv4_options"),
  },
  { name: "lsp-set-dhcpv6-options", minArgs: 1, maxArgs: 2, options: [], run: lspSetDhcp("dhcpv6_options") },
  {
    name: "lsp-get-dhcpv6-options",
    minArgs: 1,
    maxArgs: 1,
    options: [],
    readOnly: true,
    run: lspGetDhcp("dhcpv6_options"),
  },
  { name: "dhcp-options-create", minArgs: 1, maxArgs: INF, options: [], run: dhcpCreate },
  { name: "dhcp-options-del", minArgs: 1, maxArgs: 1, options: [], run: (c) => c.db.delete(dhcp(c)) },
  { name: "dhcp-options-list", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: dhcpList },
  {
    name: "dhcp-options-set-options",
    minArgs: 1,
    maxArgs: INF,
    options: [],
    run: (c) => {
      const r = dhcp(c);
      c.db.write(r, col(r.table, "options"), keyValues(c.args.slice(1)));
    },
  },
  {
    name: "dhcp-options-get-options",
    minArgs: 1,
    maxArgs: 1,
    options: [],
    readOnly: true,
    run: (c) => printMap(c, dhcp(c).get("options")),
  },
];
