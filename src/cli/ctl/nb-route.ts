// ovn-nbctl's port group and static route commands: pg-add/set-ports/del, lr-route-add/del/list.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { byNameOrUuid, col, editRefs, one, setOf, str } from "./nb-switch.js";

// ---- port groups ---------------------------------------------------------------------------------

function portUuids(ctx: CommandContext, names: readonly string[]): string[] {
  return names.map((n) => (byNameOrUuid(ctx.db, "Logical_Switch_Port", n, "port name", true) as CtlRow).uuid);
}

function pgAdd(ctx: CommandContext): void {
  const t = ctx.db.table("Port_Group");
  const [name, ...ports] = ctx.args as [string, ...string[]];
  const values = new Map<ColumnModel, Datum>([
    [col(t, "name"), one(name)],
    [col(t, "ports"), setOf(portUuids(ctx, ports))],
  ]);
  ctx.db.insert(t, values);
}

function pgSetPorts(ctx: CommandContext): void {
  const [name, ...ports] = ctx.args as [string, ...string[]];
  const pg = byNameOrUuid(ctx.db, "Port_Group", name, "port group name", true) as CtlRow;
  ctx.db.write(pg, col(pg.table, "ports"), setOf(portUuids(ctx, ports)));
}

function pgDel(ctx: CommandContext): void {
  const pg = byNameOrUuid(ctx.db, "Port_Group", ctx.args[0] as string, "port group name", true) as CtlRow;
  ctx.db.delete(pg);
}

// ---- static routes -------------------------------------------------------------------------------

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
}

function intToV4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

function isV6(s: string): boolean {
  return s.includes(":") && /^[0-9a-fA-F:]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1;
}

interface Prefix {
  readonly text: string;
  readonly v6: boolean;
  readonly plen: number;
  readonly addr: number;
}

/** Parses and normalises a route prefix (host bits cleared), or undefined when it is not one. */
function parsePrefix(s: string): Prefix | undefined {
  const [a, len, extra] = s.split("/");
  if (extra !== undefined || a === undefined) return undefined;
  if (IPV4.test(a)) {
    if (len !== undefined && (!/^[0-9]+$/.test(len) || Number(len) > 32)) return undefined;
    if (len === undefined) return { text: a, v6: false, plen: 32, addr: v4ToInt(a) };
    const plen = Number(len);
    const mask = plen === 0 ? 0 : 2 ** 32 - 2 ** (32 - plen);
    const net = intToV4(v4ToInt(a) - (v4ToInt(a) % 2 ** (32 - plen)));
    return { text: `${net}/${plen}`, v6: false, plen, addr: mask === 0 ? 0 : v4ToInt(net) };
  }
  if (isV6(a)) {
    if (len !== undefined && (!/^[0-9]+$/.test(len) || Number(len) > 128)) return undefined;
    return {
      text: len === undefined ? a : `${a}/${len}`,
      v6: true,
      plen: len === undefined ? 128 : Number(len),
      addr: 0,
    };
  }
  return undefined;
}

function routes(ctx: CommandContext, lr: CtlRow): CtlRow[] {
  const t = ctx.db.table("Logical_Router_Static_Route");
  return lr
    .get("static_routes")
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

function policyOf(r: CtlRow): string {
  const p = r.get("policy").keys[0];
  return typeof p === "string" ? p : "dst-ip";
}

function router(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Router", ctx.args[0] as string, "router name", true) as CtlRow;
}

function tableOf(r: CtlRow): string {
  return str(r, "route_table");
}

function hasOption(r: CtlRow, key: string): boolean {
  const o = r.get("options");
  const i = o.keys.indexOf(key);
  return i >= 0 && o.values?.[i] === "true";
}

/** The BFD row a --bfd[=UUID] route refers to: an existing one by uuid, or a new one for port. */
function bfdFor(ctx: CommandContext, nexthop: string, port: string | undefined): string | undefined {
  const bfd = ctx.options.get("--bfd");
  if (bfd === undefined) return undefined;
  const t = ctx.db.table("BFD");
  if (bfd !== "") {
    const row = isUuidText(bfd) ? ctx.db.row(t, bfd.toLowerCase()) : undefined;
    if (row === undefined) throw new CtlError("no entry found in the BFD table");
    return row.uuid;
  }
  if (nexthop === "discard") throw new CtlError("bfd dst_ip cannot be discard.");
  // ovn-nbctl 23.03 does not find existing sessions here (it does not replicate the BFD table), so a
  // second route to the same nexthop and port fails on the table's index, as with the C tool.
  if (port === undefined) throw new CtlError("insert entry in the BFD table failed");
  const row = ctx.db.insert(
    t,
    new Map<ColumnModel, Datum>([
      [col(t, "logical_port"), one(port)],
      [col(t, "dst_ip"), one(nexthop)],
    ]),
  );
  return row.uuid;
}

function isUuidText(s: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s);
}

function routeAdd(ctx: CommandContext): void {
  const lr = router(ctx);
  const [, prefixArg, nexthop, port] = ctx.args as [string, string, string, string?];
  const prefix = parsePrefix(prefixArg);
  if (prefix === undefined) throw new CtlError(`bad prefix argument: ${prefixArg}`);
  if (nexthop !== "discard" && !(prefix.v6 ? isV6(nexthop) : IPV4.test(nexthop)))
    throw new CtlError(`bad ${prefix.v6 ? "IPv6" : "IPv4"} nexthop argument: ${nexthop}`);
  if (port !== undefined) byNameOrUuid(ctx.db, "Logical_Router_Port", port, "port name", true);
  const policy = ctx.options.get("--policy");
  if (policy !== undefined && policy !== "src-ip" && policy !== "dst-ip")
    throw new CtlError(`bad policy: ${policy}`);
  const symmetric = ctx.options.has("--ecmp-symmetric-reply");
  const ecmp = ctx.options.has("--ecmp") || symmetric;
  if (ecmp && nexthop === "discard") throw new CtlError("ecmp is not valid for discard routes.");
  const routeTable = ctx.options.get("--route-table") ?? "";
  const t = ctx.db.table("Logical_Router_Static_Route");
  const same = routes(ctx, lr).filter(
    (r) =>
      str(r, "ip_prefix") === prefix.text &&
      policyOf(r) === (policy ?? "dst-ip") &&
      tableOf(r) === routeTable,
  );
  if (same.length > 0 && !ecmp) {
    if (!ctx.options.has("--may-exist"))
      throw new CtlError(
        `duplicate prefix: ${prefix.text} (policy: ${policy ?? "dst-ip"}). Use option --ecmp to allow this for ECMP routing.`,
      );
    const r = same[0] as CtlRow;
    ctx.db.write(r, col(t, "nexthop"), one(nexthop));
    ctx.db.write(r, col(t, "output_port"), port === undefined ? { keys: [] } : one(port));
    const bfd = bfdFor(ctx, nexthop, port);
    if (bfd !== undefined) ctx.db.write(r, col(t, "bfd"), one(bfd));
    return;
  }
  if (ecmp && same.some((r) => str(r, "nexthop") === nexthop)) {
    if (ctx.options.has("--may-exist")) return;
    throw new CtlError(`duplicate nexthop for the same ECMP route`);
  }
  const values = new Map<ColumnModel, Datum>([
    [col(t, "ip_prefix"), one(prefix.text)],
    [col(t, "nexthop"), one(nexthop)],
  ]);
  if (port !== undefined) values.set(col(t, "output_port"), one(port));
  if (policy !== undefined) values.set(col(t, "policy"), one(policy));
  if (routeTable !== "") values.set(col(t, "route_table"), one(routeTable));
  if (symmetric) values.set(col(t, "options"), { keys: ["ecmp_symmetric_reply"], values: ["true"] });
  const bfd = bfdFor(ctx, nexthop, port);
  if (bfd !== undefined) values.set(col(t, "bfd"), one(bfd));
  const r = ctx.db.insert(t, values);
  editRefs(ctx.db, lr, "static_routes", r.uuid, true);
}

function routeDel(ctx: CommandContext): void {
  const lr = router(ctx);
  const [, prefixArg, nexthop, port] = ctx.args as [string, string?, string?, string?];
  const c = col(lr.table, "static_routes");
  const policy = ctx.options.get("--policy");
  // Without a prefix every route goes, whatever its table; with one, only those of the given table
  // (default: the main one).
  const routeTable = ctx.options.get("--route-table") ?? "";
  let prefix: string | undefined;
  if (prefixArg !== undefined) {
    const p = parsePrefix(prefixArg);
    if (p === undefined) throw new CtlError(`bad prefix argument: ${prefixArg}`);
    prefix = p.text;
  }
  const all = routes(ctx, lr);
  const keep = all.filter(
    (r) =>
      !(
        (prefix === undefined || (str(r, "ip_prefix") === prefix && tableOf(r) === routeTable)) &&
        (nexthop === undefined || str(r, "nexthop") === nexthop) &&
        (port === undefined || str(r, "output_port") === port) &&
        (policy === undefined || policyOf(r) === policy)
      ),
  );
  if (keep.length === all.length && prefixArg !== undefined) {
    if (ctx.options.has("--if-exists")) return;
    throw new CtlError(
      `no matching route: policy '${policy ?? "any"}', prefix '${prefixArg}', nexthop '${nexthop ?? "any"}', output_port '${port ?? "any"}'.`,
    );
  }
  ctx.db.verify(lr, c);
  ctx.db.write(lr, c, setOf(keep.map((r) => r.uuid)));
  // Deleting chosen routes (not all of them) takes their BFD sessions along, as ovn-nbctl 23.03 does.
  if (prefix === undefined) return;
  const bfdTable = ctx.db.table("BFD");
  for (const r of all) {
    if (keep.includes(r)) continue;
    const u = r.get("bfd").keys[0];
    const bfd = u === undefined ? undefined : ctx.db.row(bfdTable, u as string);
    if (bfd !== undefined) ctx.db.delete(bfd);
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One route table's routes of one family, as lr-route-list prints them. */
function routeTableText(name: string, rs: readonly { r: CtlRow; p: Prefix }[]): string {
  const sorted = [...rs].sort(
    (a, b) =>
      b.p.plen - a.p.plen ||
      compareText(policyOf(a.r), policyOf(b.r)) ||
      a.p.addr - b.p.addr ||
      compareText(str(a.r, "nexthop"), str(b.r, "nexthop")),
  );
  let s = `Route Table ${name === "" ? "<main>" : name}:\n`;
  for (const { r, p } of sorted) {
    const policy = policyOf(r);
    const ecmp = rs.filter((x) => x.p.text === p.text && policyOf(x.r) === policy).length > 1;
    const out = r.get("output_port").keys[0];
    s += `${p.text.padStart(25)} ${str(r, "nexthop").padStart(25)} ${policy}`;
    if (out !== undefined) s += ` ${String(out)}`;
    if (ecmp) s += " ecmp";
    if (hasOption(r, "ecmp_symmetric_reply")) s += " ecmp-symmetric-reply";
    if (r.get("bfd").keys.length > 0) s += " bfd";
    s += "\n";
  }
  return s;
}

function routeList(ctx: CommandContext): void {
  const only = ctx.options.get("--route-table");
  const all = routes(ctx, router(ctx))
    .map((r) => ({ r, p: parsePrefix(str(r, "ip_prefix")) as Prefix }))
    .filter((x) => x.p !== undefined && (only === undefined || tableOf(x.r) === only));
  const sections: string[] = [];
  for (const v6 of [false, true]) {
    const rs = all.filter((x) => x.p.v6 === v6);
    if (rs.length === 0) continue;
    // The main table first, then the others by name.
    const names = [...new Set(rs.map((x) => tableOf(x.r)))].sort((a, b) =>
      a === "" ? -1 : b === "" ? 1 : compareText(a, b),
    );
    const tables = names.map((n) =>
      routeTableText(
        n,
        rs.filter((x) => tableOf(x.r) === n),
      ),
    );
    sections.push(`${v6 ? "IPv6" : "IPv4"} Routes\n${tables.join("\n")}`);
  }
  ctx.out += sections.join("\n");
}

export const ROUTE_COMMANDS: readonly CommandSpec[] = [
  { name: "pg-add", minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, options: [], run: pgAdd },
  { name: "pg-set-ports", minArgs: 2, maxArgs: Number.POSITIVE_INFINITY, options: [], run: pgSetPorts },
  { name: "pg-del", minArgs: 1, maxArgs: 1, options: [], run: pgDel },
  {
    name: "lr-route-add",
    minArgs: 3,
    maxArgs: 4,
    options: ["--may-exist", "--ecmp", "--ecmp-symmetric-reply", "--policy=", "--bfd?", "--route-table="],
    run: routeAdd,
  },
  {
    name: "lr-route-del",
    minArgs: 1,
    maxArgs: 4,
    options: ["--if-exists", "--policy=", "--route-table="],
    run: routeDel,
  },
  {
    name: "lr-route-list",
    minArgs: 1,
    maxArgs: 1,
    options: ["--route-table="],
    readOnly: true,
    run: routeList,
  },
];
