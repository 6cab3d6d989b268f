// ovn-nbctl's port mirroring commands: mirror-add/del/list and lsp-attach-mirror/lsp-detach-mirror
// (ovn-nbctl(8) "Mirror commands"); messages as ovn-nbctl 23.03 prints them.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { parseIp } from "./ip-text.js";
import { byNameOrUuid, col, editRefs, one, str } from "./nb-switch.js";

function mirrors(ctx: CommandContext): CtlRow[] {
  return ctx.db.rows(ctx.db.table("Mirror"));
}

function mirrorAdd(ctx: CommandContext): void {
  const [name, type, index, filter, sink] = ctx.args as [string, string, string, string, string];
  // The name is checked first: a second mirror-add of one name fails on that whatever else it says.
  if (mirrors(ctx).some((m) => str(m, "name") === name))
    throw new CtlError(`Mirror with ${name} name already exists.`);
  if (type !== "gre" && type !== "erspan") throw new CtlError(`${type}: type must be "gre" or "erspan"`);
  if (!/^[+-]?[0-9]+$/.test(index)) throw new CtlError("Invalid Index");
  if (filter !== "from-lport" && filter !== "to-lport")
    throw new CtlError(`${filter}: selection must be "to-lport" or "from-lport"`);
  if (parseIp(sink) === undefined) throw new CtlError(`Invalid sink ip: ${sink}`);
  const t = ctx.db.table("Mirror");
  ctx.db.insert(
    t,
    new Map<ColumnModel, Datum>([
      [col(t, "name"), one(name)],
      [col(t, "type"), one(type)],
      [col(t, "index"), one(Number(index))],
      [col(t, "filter"), one(filter)],
      [col(t, "sink"), one(sink)],
    ]),
  );
}

function mirrorDel(ctx: CommandContext): void {
  const name = ctx.args[0];
  // Without a name every mirror goes; an unknown name is no error.
  for (const m of mirrors(ctx)) if (name === undefined || str(m, "name") === name) ctx.db.delete(m);
}

function mirrorList(ctx: CommandContext): void {
  const sorted = mirrors(ctx).sort((a, b) => (str(a, "name") < str(b, "name") ? -1 : 1));
  for (const m of sorted) {
    ctx.out += `${str(m, "name")}:\n`;
    ctx.out += `  Type     :  ${str(m, "type")}\n`;
    ctx.out += `  Sink     :  ${str(m, "sink")}\n`;
    ctx.out += `  Filter   :  ${str(m, "filter")}\n`;
    ctx.out += `  Index/Key:  ${String(m.get("index").keys[0])}\n\n`;
  }
}

function portAndMirror(ctx: CommandContext): [CtlRow, CtlRow] {
  const [portName, mirrorName] = ctx.args as [string, string];
  const port = byNameOrUuid(ctx.db, "Logical_Switch_Port", portName, "port name", true) as CtlRow;
  const mirror = byNameOrUuid(ctx.db, "Mirror", mirrorName, "mirror name", true) as CtlRow;
  return [port, mirror];
}

function attach(ctx: CommandContext): void {
  const [port, mirror] = portAndMirror(ctx);
  if (port.get("mirror_rules").keys.includes(mirror.uuid))
    throw new CtlError(
      `mirror ${str(mirror, "name")} is already attached to the logical port ${str(port, "name")}.`,
    );
  editRefs(ctx.db, port, "mirror_rules", mirror.uuid, true);
}

function detach(ctx: CommandContext): void {
  const [port, mirror] = portAndMirror(ctx);
  if (!port.get("mirror_rules").keys.includes(mirror.uuid)) {
    // ovn-nbctl asks its IDL to drop the element anyway, which logs this and changes nothing.
    ctx.log = [...(ctx.log ?? []), "ovsdb_idl|WARN|Trying to delete a key that doesn't exist in the set."];
    return;
  }
  editRefs(ctx.db, port, "mirror_rules", mirror.uuid, false);
}

export const MIRROR_COMMANDS: readonly CommandSpec[] = [
  { name: "mirror-add", minArgs: 5, maxArgs: 5, options: [], run: mirrorAdd },
  { name: "mirror-del", minArgs: 0, maxArgs: 1, options: [], run: mirrorDel },
  { name: "mirror-list", minArgs: 0, maxArgs: 0, options: [], readOnly: true, run: mirrorList },
  { name: "lsp-attach-mirror", minArgs: 2, maxArgs: 2, options: [], run: attach },
  { name: "lsp-detach-mirror", minArgs: 2, maxArgs: 2, options: [], run: detach },
];
