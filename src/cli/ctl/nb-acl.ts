// ovn-nbctl's ACL commands on logical switches and port groups: acl-add, acl-del, acl-list.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, setOf, str } from "./nb-switch.js";

const ACTIONS = ["allow", "allow-related", "allow-stateless", "drop", "reject"];
const SEVERITIES = ["alert", "warning", "notice", "info", "debug"];

/** The switch or port group an ACL command names (--type= picks one when the name is ambiguous). */
function aclOwner(ctx: CommandContext): CtlRow {
  const name = ctx.args[0] as string;
  const type = ctx.options.get("--type");
  if (type === "switch") return byNameOrUuid(ctx.db, "Logical_Switch", name, "switch name", true) as CtlRow;
  if (type === "port-group")
    return byNameOrUuid(ctx.db, "Port_Group", name, "port group name", true) as CtlRow;
  if (type !== undefined) throw new CtlError(`Invalid value '${type}' for option --type`);
  const pg = byNameOrUuid(ctx.db, "Port_Group", name, "port group name", false);
  const ls = byNameOrUuid(ctx.db, "Logical_Switch", name, "switch name", false);
  if (pg !== undefined && ls !== undefined)
    throw new CtlError(`Same name '${name}' exists in both port-groups and switches. Please specify --type.`);
  const found = pg ?? ls;
  if (found === undefined) throw new CtlError(`'${name}' is not found for port-group or switch.`);
  return found;
}

function direction(d: string): string {
  if (d !== "to-lport" && d !== "from-lport")
    throw new CtlError(`${d}: direction must be "to-lport" or "from-lport"`);
  return d;
}

function priority(p: string): number {
  if (!/^-?[0-9]+$/.test(p) || Number(p) < 0 || Number(p) > 32767)
    throw new CtlError(`${p}: priority must in range 0...32767`);
  return Number(p);
}

function acls(ctx: CommandContext, owner: CtlRow): CtlRow[] {
  const t = ctx.db.table("ACL");
  return owner
    .get("acls")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

function opt(r: CtlRow, column: string): string | undefined {
  const v = r.get(column).keys[0];
  return typeof v === "string" ? v : undefined;
}

function aclAdd(ctx: CommandContext): void {
  const owner = aclOwner(ctx);
  const [, dirArg, prioArg, match, action] = ctx.args as [string, string, string, string, string];
  const dir = direction(dirArg);
  const prio = priority(prioArg);
  if (!ACTIONS.includes(action))
    throw new CtlError(
      `${action}: action must be one of "allow", "allow-related", "allow-stateless", "drop", and "reject"`,
    );
  const severity = ctx.options.get("--severity");
  if (severity !== undefined && !SEVERITIES.includes(severity))
    throw new CtlError(`bad severity: ${severity}`);
  const label = ctx.options.get("--label");
  if (label !== undefined && action !== "allow" && action !== "allow-related")
    throw new CtlError(`label can only be set with actions "allow" or "allow-related"`);
  const same = acls(ctx, owner).find(
    (a) =>
      str(a, "direction") === dir &&
      a.get("priority").keys[0] === prio &&
      str(a, "match") === match &&
      str(a, "action") === action,
  );
  if (same !== undefined) {
    if (ctx.options.has("--may-exist")) return;
    // ovn-nbctl 23.03 says "ls" for port groups too.
    throw new CtlError(`Same ACL already existed on the ls ${str(owner, "name")}.`);
  }
  const t = ctx.db.table("ACL");
  const values = new Map<ColumnModel, Datum>([
    [col(t, "direction"), one(dir)],
    [col(t, "priority"), one(prio)],
    [col(t, "match"), one(match)],
    [col(t, "action"), one(action)],
  ]);
  if (ctx.options.has("--log") || severity !== undefined) values.set(col(t, "log"), one(true));
  if (severity !== undefined) values.set(col(t, "severity"), one(severity));
  const name = ctx.options.get("--name");
  if (name !== undefined) values.set(col(t, "name"), one(name));
  const meter = ctx.options.get("--meter");
  if (meter !== undefined) values.set(col(t, "meter"), one(meter));
  if (label !== undefined) {
    if (!/^[0-9]+$/.test(label) || Number(label) > 4294967295)
      throw new CtlError(`label must in range 0...4294967295`);
    values.set(col(t, "label"), one(Number(label)));
  }
  if (ctx.options.has("--apply-after-lb"))
    values.set(col(t, "options"), { keys: ["apply-after-lb"], values: ["true"] });
  const acl = ctx.db.insert(t, values);
  editRefs(ctx.db, owner, "acls", acl.uuid, true);
}

function aclDel(ctx: CommandContext): void {
  const owner = aclOwner(ctx);
  const [, dirArg, prioArg, match] = ctx.args as [string, string?, string?, string?];
  const c = col(owner.table, "acls");
  const all = acls(ctx, owner);
  let keep: CtlRow[] = [];
  if (dirArg !== undefined) {
    const dir = direction(dirArg);
    if (prioArg === undefined) keep = all.filter((a) => str(a, "direction") !== dir);
    else {
      if (match === undefined) throw new CtlError("cannot specify priority without match");
      const prio = priority(prioArg);
      keep = all.filter(
        (a) =>
          !(str(a, "direction") === dir && a.get("priority").keys[0] === prio && str(a, "match") === match),
      );
    }
  }
  ctx.db.verify(owner, c);
  ctx.db.write(owner, c, setOf(keep.map((a) => a.uuid)));
}

function aclList(ctx: CommandContext): void {
  const rows = acls(ctx, aclOwner(ctx)).sort((a, b) => {
    const da = str(a, "direction");
    const db = str(b, "direction");
    if (da !== db) return da < db ? -1 : 1;
    const pa = Number(a.get("priority").keys[0]);
    const pb = Number(b.get("priority").keys[0]);
    if (pa !== pb) return pb - pa;
    const ma = str(a, "match");
    const mb = str(b, "match");
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  for (const a of rows) {
    let line = `${str(a, "direction").padStart(10)} ${String(a.get("priority").keys[0]).padStart(5)} (${str(a, "match")}) ${str(a, "action")}`;
    if (a.get("log").keys[0] === true) {
      const parts: string[] = [];
      const name = opt(a, "name");
      if (name !== undefined) parts.push(`name=${name}`);
      const sev = opt(a, "severity");
      if (sev !== undefined) parts.push(`severity=${sev}`);
      const meter = opt(a, "meter");
      if (meter !== undefined) parts.push(`meter="${meter}"`);
      line += ` log(${parts.join(",")})`;
    }
    const label = Number(a.get("label").keys[0] ?? 0);
    if (label !== 0) line += ` label=${label}`;
    ctx.out += `${line}\n`;
  }
}

export const ACL_COMMANDS: readonly CommandSpec[] = [
  {
    name: "acl-add",
    minArgs: 5,
    maxArgs: 5,
    options: [
      "--log",
      "--meter=",
      "--severity=",
      "--name=",
      "--label=",
      "--may-exist",
      "--type=",
      "--apply-after-lb",
    ],
    run: aclAdd,
  },
  { name: "acl-del", minArgs: 1, maxArgs: 4, options: ["--type="], run: aclDel },
  { name: "acl-list", minArgs: 1, maxArgs: 1, options: ["--type="], readOnly: true, run: aclList },
];
