// ovn-nbctl's static MAC binding commands: static-mac-binding-add/del/list (ovn-nbctl(8)).
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { parseIp } from "./ip-text.js";
import { byNameOrUuid, col, one, str } from "./nb-switch.js";

const MAC = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

function bindings(ctx: CommandContext): CtlRow[] {
  return ctx.db.rows(ctx.db.table("Static_MAC_Binding"));
}

function find(ctx: CommandContext, port: string, ip: string): CtlRow | undefined {
  return bindings(ctx).find((b) => str(b, "logical_port") === port && str(b, "ip") === ip);
}

function add(ctx: CommandContext): void {
  const [port, ip, mac] = ctx.args as [string, string, string];
  byNameOrUuid(ctx.db, "Logical_Router_Port", port, "port name", true);
  if (parseIp(ip) === undefined) throw new CtlError(`${ip}: Not a valid IPv4 or IPv6 address.`);
  if (!MAC.test(mac)) throw new CtlError(`invalid mac address ${mac}.`);
  const t = ctx.db.table("Static_MAC_Binding");
  const existing = find(ctx, port, ip);
  if (existing !== undefined) {
    if (!ctx.options.has("--may-exist"))
      throw new CtlError(`${port}, ${ip}: a Static_MAC_Binding with this logical_port and ip already exists`);
    ctx.db.write(existing, col(t, "mac"), one(mac));
    return;
  }
  ctx.db.insert(
    t,
    new Map<ColumnModel, Datum>([
      [col(t, "logical_port"), one(port)],
      [col(t, "ip"), one(ip)],
      [col(t, "mac"), one(mac)],
    ]),
  );
}

function del(ctx: CommandContext): void {
  const [port, ip] = ctx.args as [string, string];
  byNameOrUuid(ctx.db, "Logical_Router_Port", port, "port name", true);
  if (parseIp(ip) === undefined) throw new CtlError(`${ip}: Not a valid IPv4 or IPv6 address.`);
  const b = find(ctx, port, ip);
  if (b !== undefined) ctx.db.delete(b);
  else if (!ctx.options.has("--if-exists"))
    throw new CtlError(`no matching Static_MAC_Binding with port ${port} and ip ${ip}`);
}

function list(ctx: CommandContext): void {
  const rows = bindings(ctx)
    .map((b) => [str(b, "logical_port"), str(b, "ip"), str(b, "mac")] as const)
    .sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  if (rows.length === 0) return;
  ctx.out += `${"LOGICAL_PORT".padEnd(25)}${"IP".padEnd(25)}MAC\n`;
  for (const [p, ip, mac] of rows) ctx.out += `${p.padEnd(25)}${ip.padEnd(25)}${mac}\n`;
}

export const STATIC_MAC_COMMANDS: readonly CommandSpec[] = [
  { name: "static-mac-binding-add", minArgs: 3, maxArgs: 3, options: ["--may-exist"], run: add },
  { name: "static-mac-binding-del", minArgs: 2, maxArgs: 2, options: ["--if-exists"], run: del },
  { name: "static-mac-binding-list", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: list },
];
