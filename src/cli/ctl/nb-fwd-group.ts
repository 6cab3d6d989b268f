// ovn-nbctl's forwarding group commands: fwd-group-add/del/list (ovn-nbctl(8) "Forwarding Group
// Commands"), with ovn-nbctl 23.03's messages and its list layout.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, setOf, str } from "./nb-switch.js";

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;
const MAC = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

function groups(ctx: CommandContext): CtlRow[] {
  return ctx.db.rows(ctx.db.table("Forwarding_Group"));
}

function switches(ctx: CommandContext): CtlRow[] {
  return ctx.db.rows(ctx.db.table("Logical_Switch"));
}

function fwdGroupAdd(ctx: CommandContext): void {
  const [name, swName, vip, vmac, ...ports] = ctx.args as [string, string, string, string, ...string[]];
  if (ports.length === 0)
    throw new CtlError("Usage : ovn-nbctl fwd-group-add group switch vip vmac child_ports...");
  if (groups(ctx).some((g) => str(g, "name") === name))
    throw new CtlError(`${name}: a forwarding group by this name already exists`);
  const ls = byNameOrUuid(ctx.db, "Logical_Switch", swName, "switch name", true) as CtlRow;
  if (!IPV4.test(vip)) throw new CtlError(`invalid ip address ${vip}`);
  if (!MAC.test(vmac)) throw new CtlError(`invalid mac address ${vmac}`);
  for (const p of ports) {
    const lsp = byNameOrUuid(ctx.db, "Logical_Switch_Port", p, "port name", false);
    if (lsp === undefined) throw new CtlError(`${p}: logical switch port does not exist`);
    const owner = switches(ctx).find((s) => s.get("ports").keys.includes(lsp.uuid));
    if (owner !== undefined && owner.uuid !== ls.uuid)
      throw new CtlError(`${p}: port already exists but in logical switch ${str(owner, "name")}`);
  }
  const t = ctx.db.table("Forwarding_Group");
  const values = new Map<ColumnModel, Datum>([
    [col(t, "name"), one(name)],
    [col(t, "vip"), one(vip)],
    [col(t, "vmac"), one(vmac)],
    [col(t, "child_port"), setOf(ports)],
  ]);
  if (ctx.options.has("--liveness")) values.set(col(t, "liveness"), one(true));
  const g = ctx.db.insert(t, values);
  editRefs(ctx.db, ls, "forwarding_groups", g.uuid, true);
}

function fwdGroupDel(ctx: CommandContext): void {
  const name = ctx.args[0] as string;
  // ovn-nbctl 23.03 says nothing about a group that does not exist, --if-exists or not.
  const g = groups(ctx).find((x) => str(x, "name") === name);
  if (g === undefined) return;
  for (const ls of switches(ctx))
    if (ls.get("forwarding_groups").keys.includes(g.uuid))
      editRefs(ctx.db, ls, "forwarding_groups", g.uuid, false);
}

function fwdGroupList(ctx: CommandContext): void {
  const swName = ctx.args[0];
  const lss =
    swName === undefined
      ? switches(ctx).sort((a, b) => (str(a, "name") < str(b, "name") ? -1 : 1))
      : [byNameOrUuid(ctx.db, "Logical_Switch", swName, "switch name", true) as CtlRow];
  ctx.out += `${"FWD_GROUP".padEnd(16)}${"LS".padEnd(14)}${"VIP".padEnd(16)}${"VMAC".padEnd(22)}CHILD_PORTS\n`;
  const t = ctx.db.table("Forwarding_Group");
  for (const ls of lss) {
    const gs = ls
      .get("forwarding_groups")
      .keys.map((u) => ctx.db.row(t, u as string))
      .filter((r): r is CtlRow => r !== undefined)
      .sort((a, b) => (str(a, "name") < str(b, "name") ? -1 : 1));
    for (const g of gs) {
      const ports = g.get("child_port").keys.map((p) => ` ${String(p)}`);
      ctx.out += `${str(g, "name").padEnd(16)}${str(ls, "name").padEnd(14)}${str(g, "vip").padEnd(15)}`;
      ctx.out += `${str(g, "vmac").padEnd(22)}${ports.join("")}\n`;
    }
  }
}

export const FWD_GROUP_COMMANDS: readonly CommandSpec[] = [
  {
    name: "fwd-group-add",
    minArgs: 4,
    maxArgs: Number.POSITIVE_INFINITY,
    options: ["--liveness"],
    run: fwdGroupAdd,
  },
  { name: "fwd-group-del", minArgs: 1, maxArgs: 1, options: ["--if-exists"], run: fwdGroupDel },
  { name: "fwd-group-list", minArgs: 0, maxArgs: 1, options: [], readOnly: true, run: fwdGroupList },
];
