// ovn-nbctl's control plane protection commands (ovn-nbctl(8) "Control Plane Protection Policy
// commands"): copp-add/del/list, ls-copp-add, lr-copp-add.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError, sortDatum } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, one, str } from "./nb-switch.js";
import { smapPairs } from "./smap-order.js";

/** The control protocols of ovn-nb(5) Copp.meters, in the order ovn-nbctl 23.03 lists them. */
const PROTOCOLS = [
  "arp",
  "arp-resolve",
  "dhcpv4-opts",
  "dhcpv6-opts",
  "dns",
  "event-elb",
  "icmp4-error",
  "icmp6-error",
  "igmp",
  "nd-na",
  "nd-ns",
  "nd-ns-resolve",
  "nd-ra-opts",
  "tcp-reset",
  "bfd",
  "reject",
  "svc-monitor",
];

function checkProtocol(proto: string): void {
  if (!PROTOCOLS.includes(proto))
    throw new CtlError(`Invalid control protocol. Allowed values: ${PROTOCOLS.join(", ")}.`);
}

function coppByName(ctx: CommandContext, name: string): CtlRow | undefined {
  return ctx.db.rows(ctx.db.table("Copp")).find((c) => str(c, "name") === name);
}

function coppAdd(ctx: CommandContext): void {
  const [name, proto, meter] = ctx.args as [string, string, string];
  checkProtocol(proto);
  const t = ctx.db.table("Copp");
  const copp = coppByName(ctx, name);
  if (copp === undefined) {
    ctx.db.insert(
      t,
      new Map<ColumnModel, Datum>([
        [col(t, "name"), one(name)],
        [col(t, "meters"), { keys: [proto], values: [meter] }],
      ]),
    );
    return;
  }
  const m = copp.get("meters");
  const keep = m.keys.map((k, i) => [k, m.values?.[i]] as const).filter(([k]) => k !== proto);
  ctx.db.write(
    copp,
    col(t, "meters"),
    sortDatum([...keep.map(([k]) => k), proto], [...keep.map(([, v]) => v as string), meter]),
  );
}

function coppDel(ctx: CommandContext): void {
  const [name, proto] = ctx.args as [string, string?];
  const copp = coppByName(ctx, name);
  if (copp === undefined) return;
  if (proto === undefined) {
    ctx.db.delete(copp);
    return;
  }
  checkProtocol(proto);
  const m = copp.get("meters");
  const keep = m.keys.map((k, i) => [k, m.values?.[i]] as const).filter(([k]) => k !== proto);
  ctx.db.write(
    copp,
    col(copp.table, "meters"),
    sortDatum(
      keep.map(([k]) => k),
      keep.map(([, v]) => v as string),
    ),
  );
}

function coppList(ctx: CommandContext): void {
  const copp = coppByName(ctx, ctx.args[0] as string);
  if (copp === undefined) return;
  // In the C tool's smap order, not sorted.
  for (const [k, v] of smapPairs(copp.get("meters"))) ctx.out += `${k}: ${v}\n`;
}

function attachCopp(table: "Logical_Switch" | "Logical_Router", what: string) {
  return (ctx: CommandContext): void => {
    const [name, target] = ctx.args as [string, string];
    const copp = coppByName(ctx, name);
    if (copp === undefined) throw new CtlError(`${name}: copp name not found`);
    const row = byNameOrUuid(ctx.db, table, target, `${what} name`, true) as CtlRow;
    ctx.db.write(row, col(row.table, "copp"), one(copp.uuid));
  };
}

export const COPP_COMMANDS: readonly CommandSpec[] = [
  { name: "copp-add", minArgs: 3, maxArgs: 3, options: [], run: coppAdd },
  { name: "copp-del", minArgs: 1, maxArgs: 2, options: [], run: coppDel },
  { name: "copp-list", minArgs: 1, maxArgs: 1, options: [], readOnly: true, run: coppList },
  { name: "ls-copp-add", minArgs: 2, maxArgs: 2, options: [], run: attachCopp("Logical_Switch", "switch") },
  { name: "lr-copp-add", minArgs: 2, maxArgs: 2, options: [], run: attachCopp("Logical_Router", "router") },
];
