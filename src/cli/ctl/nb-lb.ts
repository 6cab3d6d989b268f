// ovn-nbctl's load balancer commands: lb-add/del/list and attaching them to switches and routers.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { Atom } from "../../ovsdb/schema/types.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError, sortDatum } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, setOf, str } from "./nb-switch.js";

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function isIpv6(s: string): boolean {
  return s.includes(":") && /^[0-9a-fA-F:]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1;
}

/** "ip", "ip:port", "[ip6]:port" → whether it is one and whether it has a port. */
function endpoint(s: string): { ok: boolean; port: boolean } {
  if (IPV4.test(s) || isIpv6(s)) return { ok: true, port: false };
  const m = /^(.*):([0-9]+)$/.exec(s);
  if (m === null) return { ok: false, port: false };
  const host = m[1] as string;
  const port = Number(m[2]);
  const v6 = host.startsWith("[") && host.endsWith("]") && isIpv6(host.slice(1, -1));
  return { ok: (IPV4.test(host) || v6) && port > 0 && port <= 65535, port: true };
}

function lbs(ctx: CommandContext): CtlRow[] {
  return ctx.db.rows(ctx.db.table("Load_Balancer"));
}

function lbByName(ctx: CommandContext, name: string, mustExist: boolean): CtlRow | undefined {
  return byNameOrUuid(ctx.db, "Load_Balancer", name, "load balancer name", mustExist);
}

function lbAdd(ctx: CommandContext): void {
  const [name, vip, ips, proto] = ctx.args as [string, string, string, string?];
  const v = endpoint(vip);
  if (!v.ok)
    throw new CtlError(
      `${vip}: should be an IP address (or an IP address and a port number with : as a separator).`,
    );
  for (const ip of ips.split(",")) {
    const b = endpoint(ip.trim());
    if (v.port && (!b.ok || !b.port))
      throw new CtlError(`${ip}: should be an IP address and a port number with : as a separator.`);
    if (!v.port && (!b.ok || b.port)) throw new CtlError(`${ip}: should be an IP address.`);
  }
  if (proto !== undefined && !["tcp", "udp", "sctp"].includes(proto))
    throw new CtlError(`${proto}: protocol must be one of "tcp", "udp",  or "sctp".`);
  const reject = ctx.options.has("--reject");
  const event = ctx.options.has("--event");
  if (reject && event) throw new CtlError("--reject and --event can't specified at the same time");
  const t = ctx.db.table("Load_Balancer");
  // --add-duplicate makes another load balancer of the same name instead of adding to the existing one.
  const existing = ctx.options.has("--add-duplicate") ? undefined : lbByName(ctx, name, false);
  if (existing !== undefined) {
    const vips = existing.get("vips");
    if (vips.keys.includes(vip) && !ctx.options.has("--may-exist"))
      throw new CtlError(`${name}: a load balancer with this vip (${vip}) already exists`);
    ctx.db.verify(existing, col(t, "vips"));
    ctx.db.write(existing, col(t, "vips"), sortDatum([...vips.keys, vip], [...(vips.values ?? []), ips]));
    return;
  }
  const values = new Map<ColumnModel, Datum>([
    [col(t, "name"), one(name)],
    [col(t, "vips"), { keys: [vip], values: [ips] }],
  ]);
  // Written even for a VIP without a port (ovn-nbctl 23.03 does; northd ignores it there).
  values.set(col(t, "protocol"), one(proto ?? "tcp"));
  // Options are set only on a load balancer this command creates.
  if (reject || event)
    values.set(col(t, "options"), { keys: [reject ? "reject" : "event"], values: ["true"] });
  ctx.db.insert(t, values);
}

function lbDel(ctx: CommandContext): void {
  const [name, vip] = ctx.args as [string, string?];
  const lb = lbByName(ctx, name, false);
  if (lb === undefined) return;
  if (vip === undefined) {
    ctx.db.delete(lb);
    return;
  }
  const vips = lb.get("vips");
  const i = vips.keys.indexOf(vip);
  if (i < 0) {
    if (ctx.options.has("--if-exists")) return;
    throw new CtlError(`vip ${vip} is not part of the load balancer.`);
  }
  const c = col(lb.table, "vips");
  ctx.db.verify(lb, c);
  const keys: Atom[] = vips.keys.filter((_, j) => j !== i);
  const values: Atom[] = (vips.values ?? []).filter((_, j) => j !== i);
  ctx.db.write(lb, c, { keys, values });
}

/** Whether a VIP names a port ("10.0.0.1:80", "[fd00::1]:80"): only those show a protocol. */
function vipHasPort(vip: string): boolean {
  return vip.startsWith("[") || vip.split(":").length === 2;
}

/** The lb-list table: the VIP column is as wide as the longest VIP listed, plus four. */
function printLbs(ctx: CommandContext, rows: readonly CtlRow[]): void {
  if (rows.length === 0) return;
  const width = Math.max(0, ...rows.flatMap((lb) => lb.get("vips").keys.map((v) => String(v).length))) + 4;
  ctx.out += `${"UUID".padEnd(40)}${"LB".padEnd(20)}${"PROTO".padEnd(11)}${"VIP".padEnd(width)}IPs\n`;
  for (const lb of rows) {
    const vips = lb.get("vips");
    const pairs = vips.keys
      .map((k, i) => [String(k), String((vips.values ?? [])[i])] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    pairs.forEach(([vip, ips], i) => {
      const head = i === 0 ? `${lb.uuid.padEnd(40)}${str(lb, "name").padEnd(20)}` : " ".repeat(60);
      const proto = vipHasPort(vip) ? str(lb, "protocol") || "tcp" : "";
      ctx.out += `${head}${proto.padEnd(11)}${vip.padEnd(width)}${ips}\n`;
    });
  }
}

function lbList(ctx: CommandContext): void {
  const name = ctx.args[0];
  printLbs(
    ctx,
    name === undefined ? lbs(ctx) : lbs(ctx).filter((l) => str(l, "name") === name || l.uuid === name),
  );
}

function attachAdd(table: string, kind: string) {
  return (ctx: CommandContext): void => {
    const owner = byNameOrUuid(ctx.db, table, ctx.args[0] as string, `${kind} name`, true) as CtlRow;
    const lb = lbByName(ctx, ctx.args[1] as string, true) as CtlRow;
    if (owner.get("load_balancer").keys.includes(lb.uuid)) {
      if (ctx.options.has("--may-exist")) return;
      throw new CtlError(`${lb.uuid} : a load balancer with this UUID already exists`);
    }
    editRefs(ctx.db, owner, "load_balancer", lb.uuid, true);
  };
}

function attachDel(table: string, kind: string, longKind: string) {
  return (ctx: CommandContext): void => {
    const owner = byNameOrUuid(ctx.db, table, ctx.args[0] as string, `${kind} name`, true) as CtlRow;
    const c = col(owner.table, "load_balancer");
    const name = ctx.args[1];
    if (name === undefined) {
      ctx.db.verify(owner, c);
      ctx.db.write(owner, c, { keys: [] });
      return;
    }
    const lb = lbByName(ctx, name, true) as CtlRow;
    if (!owner.get("load_balancer").keys.includes(lb.uuid)) {
      if (ctx.options.has("--if-exists")) return;
      throw new CtlError(`load balancer ${name} is not part of any ${longKind}.`);
    }
    ctx.db.verify(owner, c);
    ctx.db.write(owner, c, setOf(owner.get("load_balancer").keys.filter((u) => u !== lb.uuid)));
  };
}

function attachList(table: string, kind: string) {
  return (ctx: CommandContext): void => {
    const owner = byNameOrUuid(ctx.db, table, ctx.args[0] as string, `${kind} name`, true) as CtlRow;
    const t = ctx.db.table("Load_Balancer");
    printLbs(
      ctx,
      owner
        .get("load_balancer")
        .keys.map((u) => ctx.db.row(t, u as string))
        .filter((r): r is CtlRow => r !== undefined),
    );
  };
}

export const LB_COMMANDS: readonly CommandSpec[] = [
  {
    name: "lb-add",
    minArgs: 3,
    maxArgs: 4,
    options: ["--may-exist", "--add-duplicate", "--reject", "--event"],
    run: lbAdd,
  },
  { name: "lb-del", minArgs: 1, maxArgs: 2, options: ["--if-exists"], run: lbDel },
  { name: "lb-list", minArgs: 0, maxArgs: 1, options: [], readOnly: true, run: lbList },
  {
    name: "ls-lb-add",
    minArgs: 2,
    maxArgs: 2,
    options: ["--may-exist"],
    run: attachAdd("Logical_Switch", "switch"),
  },
  {
    name: "ls-lb-del",
    minArgs: 1,
    maxArgs: 2,
    options: ["--if-exists"],
    run: attachDel("Logical_Switch", "switch", "logical switch"),
  },
  {
    name: "ls-lb-list",
    minArgs: 1,
    maxArgs: 1,
    options: [],
    readOnly: true,
    run: attachList("Logical_Switch", "switch"),
  },
  {
    name: "lr-lb-add",
    minArgs: 2,
    maxArgs: 2,
    options: ["--may-exist"],
    run: attachAdd("Logical_Router", "router"),
  },
  {
    name: "lr-lb-del",
    minArgs: 1,
    maxArgs: 2,
    options: ["--if-exists"],
    run: attachDel("Logical_Router", "router", "logical router"),
  },
  {
    name: "lr-lb-list",
    minArgs: 1,
    maxArgs: 1,
    options: [],
    readOnly: true,
    run: attachList("Logical_Router", "router"),
  },
];
