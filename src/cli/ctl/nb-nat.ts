// ovn-nbctl's NAT commands: lr-nat-add (--may-exist, --stateless, --portrange, --add-route,
// --gateway-port=), lr-nat-del (type, ip, gateway port) and lr-nat-list, with ovn-nbctl 23.03's checks,
// messages and the options it writes. What the man page leaves open was observed from the real tool:
//   - every NAT it creates carries options:stateless ("true" with --stateless, else "false"), and
//     options:add_route="true" with --add-route;
//   - a 5th argument is the port range only with --portrange; with 7 arguments the last always is;
//   - a port range is "N" (any positive number) or "N-M" with 0 < N < M <= 65535;
//   - with several distributed gateway ports and no --gateway-port, the external ip must lie in one of
//     their networks (the NAT is then still written without a gateway port); NATs are only told apart by
//     gateway port when the router has several;
//   - the duplicate checks look at one existing NAT at a time; when one NAT both duplicates the new one
//     and shares its external ip across stateless and stateful rules, the second error is the one shown
//     and the first is logged as discarded.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel } from "../../ovsdb/idl/model.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError } from "./datum-text.js";
import type { CtlRow } from "./db.js";
import { netContains, parseIp, parseIpNet } from "./ip-text.js";
import { byNameOrUuid, col, editRefs, one, str } from "./nb-switch.js";

const NAT_TYPES = ["dnat", "snat", "dnat_and_snat"];

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

const MAC = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

/** The number at the start of `s` as C's atoi reads it (spaces, a sign, digits; else 0). */
function atoi(s: string): number {
  const m = /^\s*([+-]?[0-9]+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

/** Whether ovn-nbctl 23.03 accepts `s` as an external port range. */
export function validPortRange(s: string): boolean {
  if (!s.includes("-")) return atoi(s) > 0;
  const parts = s.split("-").filter((p) => p !== "");
  if (parts.length !== 2) return false;
  const lo = atoi(parts[0] as string);
  const hi = atoi(parts[1] as string);
  return lo > 0 && lo < hi && hi <= 65535;
}

function router(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Router", ctx.args[0] as string, "router name", true) as CtlRow;
}

function rowsOf(ctx: CommandContext, lr: CtlRow, column: string, table: string): CtlRow[] {
  const t = ctx.db.table(table);
  return lr
    .get(column)
    .keys.map((u) => ctx.db.row(t, u as string))
    .filter((r): r is CtlRow => r !== undefined);
}

/** The router's NAT rows. */
export function natsOf(ctx: CommandContext, lr: CtlRow): CtlRow[] {
  return rowsOf(ctx, lr, "nat", "NAT");
}

/** A distributed gateway port: one with gateway chassis, an HA chassis group or a redirect-chassis. */
function isDgp(p: CtlRow): boolean {
  const opts = p.get("options");
  return (
    p.get("gateway_chassis").keys.length > 0 ||
    p.get("ha_chassis_group").keys.length > 0 ||
    opts.keys.includes("redirect-chassis")
  );
}

function isStateless(n: CtlRow): boolean {
  const o = n.get("options");
  const i = o.keys.indexOf("stateless");
  return i >= 0 && o.values?.[i] === "true";
}

function gatewayPortName(ctx: CommandContext, n: CtlRow): string {
  const u = n.get("gateway_port").keys[0];
  if (u === undefined) return "";
  const p = ctx.db.row(ctx.db.table("Logical_Router_Port"), u as string);
  return p === undefined ? "" : str(p, "name");
}

interface NatArgs {
  readonly type: string;
  readonly ext: string;
  readonly logical: string;
  readonly lport: string | undefined;
  readonly emac: string | undefined;
  readonly range: string | undefined;
}

function natArgs(ctx: CommandContext): NatArgs {
  const [, type, ext, logical, ...rest] = ctx.args as [string, string, string, string, ...string[]];
  if (!NAT_TYPES.includes(type))
    throw new CtlError(`${type}: type must be one of "dnat", "snat" and "dnat_and_snat".`);
  if (!isIp(ext)) throw new CtlError(`${ext}: Not a valid IPv4 or IPv6 address.`);
  if (type === "snat") {
    if (!isIpv4Net(logical) && !isIpv6(logical.split("/")[0] ?? ""))
      throw new CtlError(`${logical}: should be an IPv4 address or network.`);
  } else if (!isIp(logical)) throw new CtlError(`${logical}: Not a valid IPv4 address.`);
  const stateless = ctx.options.has("--stateless");
  if (stateless && type !== "dnat_and_snat")
    throw new CtlError("stateless is not applicable to dnat or snat types");
  if (ctx.options.has("--add-route") && type === "snat")
    throw new CtlError("routes cannot be added for snat types.");
  let lport: string | undefined;
  let emac: string | undefined;
  let range: string | undefined;
  if (rest.length === 1) {
    if (!ctx.options.has("--portrange"))
      throw new CtlError("lr-nat-add with logical_port must also specify external_mac.");
    range = rest[0];
  } else if (rest.length >= 2) {
    [lport, emac, range] = rest;
  }
  if (lport !== undefined) {
    if (type !== "dnat_and_snat")
      throw new CtlError(`logical_port and external_mac are only valid when type is "dnat_and_snat".`);
    byNameOrUuid(ctx.db, "Logical_Switch_Port", lport, "port name", true);
    if (!MAC.test(emac ?? "")) throw new CtlError(`invalid mac address ${emac}.`);
  }
  if (range !== undefined && !validPortRange(range)) throw new CtlError(`invalid port range ${range}.`);
  return { type, ext, logical, lport, emac, range };
}

/** The --gateway-port, checked; undefined when not given (after checking it can be done without). */
function gatewayPort(
  ctx: CommandContext,
  lr: CtlRow,
  ext: string,
  dgps: readonly CtlRow[],
): CtlRow | undefined {
  const name = ctx.options.get("--gateway-port");
  if (name !== undefined) {
    const p = byNameOrUuid(ctx.db, "Logical_Router_Port", name, "port name", true) as CtlRow;
    if (!lr.get("ports").keys.includes(p.uuid))
      throw new CtlError(`${name} is not a router port of logical router: ${str(lr, "name")}.`);
    if (!isDgp(p)) throw new CtlError(`${name} is not a distributed gateway router port.`);
    return p;
  }
  if (dgps.length > 1) {
    const ip = parseIp(ext);
    const inferable = dgps.some((p) =>
      p.get("networks").keys.some((n) => {
        const net = parseIpNet(String(n));
        return ip !== undefined && net !== undefined && netContains(net, ip);
      }),
    );
    if (!inferable)
      throw new CtlError(
        `logical router: ${str(lr, "name")} has multiple distributed gateway ports and gateway_port can not be determined from external IP of NAT rule.`,
      );
  }
  return undefined;
}

function natAdd(ctx: CommandContext): void {
  const lr = router(ctx);
  const a = natArgs(ctx);
  const dgps = rowsOf(ctx, lr, "ports", "Logical_Router_Port").filter(isDgp);
  const gw = gatewayPort(ctx, lr, a.ext, dgps);
  const stateless = ctx.options.has("--stateless");
  const t = ctx.db.table("NAT");
  for (const n of rowsOf(ctx, lr, "nat", "NAT")) {
    const errors: string[] = [];
    const sameGw = dgps.length <= 1 || (n.get("gateway_port").keys[0] ?? "") === (gw?.uuid ?? "");
    if (str(n, "type") === a.type && sameGw) {
      if (str(n, "external_ip") === a.ext && str(n, "logical_ip") === a.logical) {
        if (ctx.options.has("--may-exist")) {
          if (a.lport !== undefined && a.emac !== undefined) {
            ctx.db.write(n, col(t, "logical_port"), one(a.lport));
            ctx.db.write(n, col(t, "external_mac"), one(a.emac));
          }
          return;
        }
        errors.push(`${a.ext}, ${a.logical}: a NAT with this external_ip and logical_ip already exists`);
      } else if (a.type === "snat" && str(n, "logical_ip") === a.logical) {
        errors.push(`a NAT with this type (snat), logical_ip (${a.logical}) already exists`);
      } else if (a.type !== "snat" && str(n, "external_ip") === a.ext) {
        errors.push(`a NAT with this type (${a.type}), external_ip (${a.ext}) already exists`);
      }
    }
    if (str(n, "external_ip") === a.ext && (stateless || isStateless(n)))
      errors.push(`${a.ext}, ${a.logical}: External ip cannot be shared across stateless and stateful NATs`);
    const last = errors.pop();
    if (last !== undefined) throw new CtlError(last, errors);
  }
  const options: [string, string][] = [["stateless", stateless ? "true" : "false"]];
  if (ctx.options.has("--add-route")) options.unshift(["add_route", "true"]);
  const values = new Map<ColumnModel, Datum>([
    [col(t, "type"), one(a.type)],
    [col(t, "external_ip"), one(a.ext)],
    [col(t, "logical_ip"), one(a.logical)],
    [col(t, "options"), { keys: options.map((o) => o[0]), values: options.map((o) => o[1]) }],
  ]);
  if (a.lport !== undefined && a.emac !== undefined) {
    values.set(col(t, "logical_port"), one(a.lport));
    values.set(col(t, "external_mac"), one(a.emac));
  }
  if (a.range !== undefined) values.set(col(t, "external_port_range"), one(a.range));
  if (gw !== undefined) values.set(col(t, "gateway_port"), one(gw.uuid));
  const nat = ctx.db.insert(t, values);
  editRefs(ctx.db, lr, "nat", nat.uuid, true);
}

function natDel(ctx: CommandContext): void {
  const lr = router(ctx);
  const [, type, third, fourth] = ctx.args as [string, string?, string?, string?];
  const all = rowsOf(ctx, lr, "nat", "NAT");
  const c = col(lr.table, "nat");
  if (type === undefined) {
    ctx.db.verify(lr, c);
    ctx.db.write(lr, c, { keys: [] });
    return;
  }
  if (!NAT_TYPES.includes(type))
    throw new CtlError(`${type}: type must be one of "dnat", "snat" and "dnat_and_snat".`);
  // The third argument is the ip when it reads as one, else the gateway port.
  const thirdIsIp = third !== undefined && parseIpNet(third) !== undefined;
  const ip = thirdIsIp ? third : undefined;
  const gwName = thirdIsIp ? fourth : third;
  const gw =
    gwName === undefined
      ? undefined
      : (byNameOrUuid(ctx.db, "Logical_Router_Port", gwName, "port name", true) as CtlRow);
  const ipColumn = type === "snat" ? "logical_ip" : "external_ip";
  const matches = (n: CtlRow) =>
    str(n, "type") === type &&
    (ip === undefined || str(n, ipColumn) === ip) &&
    (gw === undefined || n.get("gateway_port").keys[0] === gw.uuid);
  const keep = all.filter((n) => !matches(n));
  if (keep.length === all.length) {
    if (ip !== undefined && gw !== undefined && !ctx.options.has("--if-exists"))
      throw new CtlError(
        `no matching NAT with the type (${type}), ${ipColumn} (${ip}) and gateway_port (${gwName})`,
      );
    return;
  }
  ctx.db.verify(lr, c);
  ctx.db.write(lr, c, { keys: keep.map((n) => n.uuid).sort() });
}

function natList(ctx: CommandContext): void {
  const rows = rowsOf(ctx, router(ctx), "nat", "NAT")
    .map((n) => [
      str(n, "type"),
      gatewayPortName(ctx, n),
      str(n, "external_ip"),
      str(n, "external_port_range"),
      str(n, "logical_ip"),
      str(n, "external_mac"),
      str(n, "logical_port"),
    ])
    .sort((a, b) => {
      const ka = `${a[0]}${a[1]}${a[2]}${a[4]}`;
      const kb = `${b[0]}${b[1]}${b[2]}${b[4]}`;
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

export const NAT_COMMANDS: readonly CommandSpec[] = [
  {
    name: "lr-nat-add",
    minArgs: 4,
    maxArgs: 7,
    options: ["--may-exist", "--stateless", "--portrange", "--add-route", "--gateway-port="],
    run: natAdd,
  },
  { name: "lr-nat-del", minArgs: 1, maxArgs: 4, options: ["--if-exists"], run: natDel },
  { name: "lr-nat-list", minArgs: 1, maxArgs: 1, options: [], readOnly: true, run: natList },
];
