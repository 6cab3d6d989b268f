// ovn-sbctl's own commands (ovn-sbctl(8)): chassis-add/del, lsp-bind/unbind.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { atomToText, CtlError, datumToText } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { SB_CONNECTION_COMMANDS } from "./nb-connection.js";
import { col, one, setOf, str } from "./nb-switch.js";
import { SB_LFLOW_COMMANDS } from "./sb-lflow.js";

function chassis(ctx: CommandContext, name: string, mustExist: boolean): CtlRow | undefined {
  const r = ctx.db.rows(ctx.db.table("Chassis")).find((c) => str(c, "name") === name);
  if (r === undefined && mustExist) throw new CtlError(`no chassis named ${name}`);
  return r;
}

function chassisAdd(ctx: CommandContext): void {
  const [name, encapTypes, ip] = ctx.args as [string, string, string];
  if (chassis(ctx, name, false) !== undefined) {
    if (ctx.options.has("--may-exist")) return;
    throw new CtlError(
      `cannot create a chassis named ${name} because a chassis named ${name} already exists`,
    );
  }
  const et = ctx.db.table("Encap");
  const encaps = encapTypes
    .split(",")
    .filter((s) => s !== "")
    .map((type) =>
      ctx.db.insert(
        et,
        new Map<ColumnModel, Datum>([
          [col(et, "type"), one(type)],
          [col(et, "ip"), one(ip)],
          [col(et, "chassis_name"), one(name)],
          [col(et, "options"), { keys: ["csum"], values: ["true"] }],
        ]),
      ),
    );
  const ct = ctx.db.table("Chassis");
  ctx.db.insert(
    ct,
    new Map<ColumnModel, Datum>([
      [col(ct, "name"), one(name)],
      [col(ct, "encaps"), setOf(encaps.map((e) => e.uuid))],
    ]),
  );
}

function chassisDel(ctx: CommandContext): void {
  const name = ctx.args[0] as string;
  const c = chassis(ctx, name, !ctx.options.has("--if-exists"));
  if (c === undefined) return;
  for (const e of c.get("encaps").keys) {
    const enc = ctx.db.row(ctx.db.table("Encap"), e as string);
    if (enc !== undefined) ctx.db.delete(enc);
  }
  ctx.db.delete(c);
}

function portBinding(ctx: CommandContext, name: string): CtlRow {
  const r = ctx.db.rows(ctx.db.table("Port_Binding")).find((p) => str(p, "logical_port") === name);
  if (r === undefined) throw new CtlError(`no port named ${name}`);
  return r;
}

function lspBind(ctx: CommandContext): void {
  const [port, ch] = ctx.args as [string, string];
  const pb = portBinding(ctx, port);
  const c = chassis(ctx, ch, true) as CtlRow;
  if (pb.get("chassis").keys.length > 0) {
    if (ctx.options.has("--may-exist")) return;
    const bound = ctx.db.row(ctx.db.table("Chassis"), pb.get("chassis").keys[0] as string);
    throw new CtlError(
      `lport (${port}) has already been binded to chassis (${bound === undefined ? "" : str(bound, "name")})`,
    );
  }
  ctx.db.write(pb, col(pb.table, "chassis"), one(c.uuid));
}

function lspUnbind(ctx: CommandContext): void {
  const port = ctx.args[0] as string;
  const r = ctx.db.rows(ctx.db.table("Port_Binding")).find((p) => str(p, "logical_port") === port);
  if (r === undefined) {
    if (ctx.options.has("--if-exists")) return;
    throw new CtlError(`no port named ${port}`);
  }
  ctx.db.write(r, col(r.table, "chassis"), { keys: [] });
}

/** One `column: value` line of `show`; empty values are left out. */
function showColumn(ctx: CommandContext, row: CtlRow, column: string, indent: string): void {
  const c = col(row.table, column);
  const d = row.get(column);
  if (d.keys.length === 0 || (d.keys.length === 1 && d.keys[0] === "")) return;
  ctx.out += `${indent}${column}: ${datumToText(d, c.type)}\n`;
}

/** `show`: each chassis with its encapsulations and the ports bound to it. */
function show(ctx: CommandContext): void {
  const et = ctx.db.table("Encap");
  const pbs = ctx.db.rows(ctx.db.table("Port_Binding"));
  for (const ch of ctx.db.rows(ctx.db.table("Chassis"))) {
    ctx.out += `Chassis ${atomToText(str(ch, "name"), "string")}\n`;
    showColumn(ctx, ch, "hostname", "    ");
    for (const u of ch.get("encaps").keys) {
      const e = ctx.db.row(et, u as string);
      if (e === undefined) continue;
      ctx.out += `    Encap ${atomToText(str(e, "type"), "string")}\n`;
      showColumn(ctx, e, "ip", "        ");
      showColumn(ctx, e, "options", "        ");
    }
    for (const pb of pbs)
      if (pb.get("chassis").keys[0] === ch.uuid)
        ctx.out += `    Port_Binding ${atomToText(str(pb, "logical_port"), "string")}\n`;
  }
}

export const SB_COMMANDS: readonly CommandSpec[] = [
  { name: "show", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: show },
  { name: "chassis-add", minArgs: 3, maxArgs: 3, options: ["--may-exist"], run: chassisAdd },
  { name: "chassis-del", minArgs: 1, maxArgs: 1, options: ["--if-exists"], run: chassisDel },
  { name: "lsp-bind", minArgs: 2, maxArgs: 2, options: ["--may-exist"], run: lspBind },
  { name: "lsp-unbind", minArgs: 1, maxArgs: 1, options: ["--if-exists"], run: lspUnbind },
  ...SB_LFLOW_COMMANDS,
  ...SB_CONNECTION_COMMANDS,
];
