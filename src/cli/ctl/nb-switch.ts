// ovn-nbctl's logical switch, switch port, router and router port commands (ovn-nbctl(8)).
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel, TableModel } from "../../ovsdb/idl/model.js";
import type { Atom } from "../../ovsdb/schema/types.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { CtlError, isUuid, sortDatum } from "./datum-text.js";
import type { CtlDb, CtlRow } from "./db.js";
import { smapPairs } from "./smap-order.js";

export function str(row: CtlRow, col: string): string {
  const k = row.get(col).keys[0];
  return typeof k === "string" ? k : "";
}

export function col(t: TableModel, name: string): ColumnModel {
  const c = t.byName.get(name);
  if (c === undefined) throw new Error(`no column ${name} in ${t.name}`);
  return c;
}

export function setOf(values: readonly Atom[]): Datum {
  return sortDatum([...values], undefined);
}

export function one(v: Atom): Datum {
  return { keys: [v] };
}

/** Adds or removes one uuid in a set column, verifying what it read. */
export function editRefs(db: CtlDb, row: CtlRow, column: string, uuid: string, add: boolean): void {
  const c = col(row.table, column);
  db.verify(row, c);
  const keys = row.get(column).keys.filter((k) => k !== uuid);
  if (add) keys.push(uuid);
  db.write(row, c, setOf(keys));
}

/** Finds a row by uuid or by its name column, as ovn-nbctl's *_by_name_or_uuid helpers do. */
export function byNameOrUuid(
  db: CtlDb,
  table: string,
  id: string,
  what: string,
  mustExist: boolean,
): CtlRow | undefined {
  const t = db.table(table);
  let found: CtlRow | undefined;
  if (isUuid(id)) found = db.row(t, id.toLowerCase());
  if (found === undefined) {
    const hits = db.rows(t).filter((r) => str(r, "name") === id);
    if (hits.length > 1)
      throw new CtlError(`Multiple ${what.replace(/ name$/, "")}s named '${id}'.  Use a UUID.`);
    found = hits[0];
  }
  if (found === undefined && mustExist) throw new CtlError(`${id}: ${what} not found`);
  return found;
}

function listSorted(ctx: CommandContext, rows: readonly CtlRow[]): void {
  const sorted = [...rows].sort((a, b) => {
    const na = str(a, "name");
    const nb = str(b, "name");
    return na < nb ? -1 : na > nb ? 1 : a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
  });
  for (const r of sorted) ctx.out += `${r.uuid} (${str(r, "name")})\n`;
}

function containerAdd(kind: "switch" | "router", table: string) {
  return (ctx: CommandContext): void => {
    const { db } = ctx;
    const name = ctx.args[0];
    const mayExist = ctx.options.has("--may-exist");
    const dup = ctx.options.has("--add-duplicate");
    if (mayExist && dup) throw new CtlError("--may-exist and --add-duplicate may not be used together");
    if (name !== undefined) {
      if (!dup && byNameOrUuid(db, table, name, `${kind} name`, false) !== undefined) {
        if (mayExist) return;
        throw new CtlError(`${name}: a ${kind} with this name already exists`);
      }
    } else if (mayExist) throw new CtlError("--may-exist requires specifying a name");
    else if (dup) throw new CtlError("--add-duplicate requires specifying a name");
    const t = db.table(table);
    const values = new Map<ColumnModel, Datum>();
    if (name !== undefined) values.set(col(t, "name"), one(name));
    db.insert(t, values);
  };
}

function containerDel(kind: "switch" | "router", table: string) {
  return (ctx: CommandContext): void => {
    const row = byNameOrUuid(
      ctx.db,
      table,
      ctx.args[0] as string,
      `${kind} name`,
      !ctx.options.has("--if-exists"),
    );
    if (row !== undefined) ctx.db.delete(row);
  };
}

/** The switch (or router) whose `ports` holds the port. */
function owner(db: CtlDb, table: string, port: CtlRow): CtlRow | undefined {
  return db.rows(db.table(table)).find((r) => r.get("ports").keys.includes(port.uuid));
}

const LSP_TYPES = new Set([
  "",
  "router",
  "localnet",
  "localport",
  "l2gateway",
  "vtep",
  "external",
  "virtual",
  "remote",
]);

function lspAdd(ctx: CommandContext): void {
  const { db } = ctx;
  const [swName, portName, parent, tagText] = ctx.args as [string, string, string?, string?];
  const mayExist = ctx.options.has("--may-exist");
  const ls = byNameOrUuid(db, "Logical_Switch", swName, "switch name", true) as CtlRow;
  if (parent !== undefined && tagText === undefined)
    throw new CtlError("lsp-add with parent must also specify a tag");
  let tag: number | undefined;
  if (tagText !== undefined) {
    if (!/^[0-9]+$/.test(tagText) || Number(tagText) > 4095)
      throw new CtlError(`${tagText}: invalid tag (must be in range 0 to 4095)`);
    tag = Number(tagText);
  }
  const existing = byNameOrUuid(db, "Logical_Switch_Port", portName, "port name", false);
  if (existing !== undefined) {
    if (!mayExist) throw new CtlError(`${portName}: a port with this name already exists`);
    const sw = owner(db, "Logical_Switch", existing);
    if (sw?.uuid !== ls.uuid)
      throw new CtlError(`${portName}: port already exists but in switch ${str(sw as CtlRow, "name")}`);
    return;
  }
  const t = db.table("Logical_Switch_Port");
  const values = new Map<ColumnModel, Datum>([[col(t, "name"), one(portName)]]);
  if (parent !== undefined) values.set(col(t, "parent_name"), one(parent));
  if (tag !== undefined) values.set(col(t, "tag_request"), one(tag));
  const lsp = db.insert(t, values);
  editRefs(db, ls, "ports", lsp.uuid, true);
}

function portDel(table: string, owners: string) {
  return (ctx: CommandContext): void => {
    const { db } = ctx;
    const port = byNameOrUuid(db, table, ctx.args[0] as string, "port name", !ctx.options.has("--if-exists"));
    if (port === undefined) return;
    const o = owner(db, owners, port);
    if (o !== undefined) editRefs(db, o, "ports", port.uuid, false);
  };
}

function portList(containerTable: string, portTable: string, kind: string) {
  return (ctx: CommandContext): void => {
    const c = byNameOrUuid(ctx.db, containerTable, ctx.args[0] as string, `${kind} name`, true) as CtlRow;
    const t = ctx.db.table(portTable);
    const ports = c
      .get("ports")
      .keys.map((u) => ctx.db.row(t, u as string))
      .filter((r): r is CtlRow => r !== undefined);
    listSorted(ctx, ports);
  };
}

function lsp(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Switch_Port", ctx.args[0] as string, "port name", true) as CtlRow;
}

function lrp(ctx: CommandContext): CtlRow {
  return byNameOrUuid(ctx.db, "Logical_Router_Port", ctx.args[0] as string, "port name", true) as CtlRow;
}

const MAC_RE = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

function lspSetAddresses(ctx: CommandContext): void {
  const port = lsp(ctx);
  const addrs = ctx.args.slice(1);
  for (const a of addrs) {
    const first = a.split(" ")[0] ?? "";
    if (
      !["unknown", "dynamic", "router", "none"].includes(a) &&
      !MAC_RE.test(first) &&
      !a.startsWith("dynamic ")
    )
      throw new CtlError(
        `${a}: Invalid address format. See ovn-nb(5). Hint: An Ethernet address must be listed before an IP address, together as a single argument.`,
      );
  }
  ctx.db.write(port, col(port.table, "addresses"), setOf(addrs));
}

function printSet(ctx: CommandContext, row: CtlRow, column: string): void {
  for (const k of row.get(column).keys) ctx.out += `${String(k)}\n`;
}

function setEnabled(getRow: (ctx: CommandContext) => CtlRow) {
  return (ctx: CommandContext): void => {
    const row = getRow(ctx);
    const state = ctx.args[1] as string;
    if (state !== "enabled" && state !== "disabled")
      throw new CtlError(`${state}: state must be "enabled" or "disabled"`);
    ctx.db.write(row, col(row.table, "enabled"), one(state === "enabled"));
  };
}

function getEnabled(getRow: (ctx: CommandContext) => CtlRow) {
  return (ctx: CommandContext): void => {
    const v = getRow(ctx).get("enabled").keys[0];
    ctx.out += v === false ? "disabled\n" : "enabled\n";
  };
}

function setOptions(getRow: (ctx: CommandContext) => CtlRow) {
  return (ctx: CommandContext): void => {
    const row = getRow(ctx);
    const keys: Atom[] = [];
    const values: Atom[] = [];
    for (const a of ctx.args.slice(1)) {
      const eq = a.indexOf("=");
      if (eq < 0) continue;
      keys.push(a.slice(0, eq));
      values.push(a.slice(eq + 1));
    }
    ctx.db.write(row, col(row.table, "options"), sortDatum(keys, values));
  };
}

function getOptions(getRow: (ctx: CommandContext) => CtlRow) {
  return (ctx: CommandContext): void => {
    for (const [k, v] of smapPairs(getRow(ctx).get("options"))) ctx.out += `${k}=${v}\n`;
  };
}

function lrpAdd(ctx: CommandContext): void {
  const { db } = ctx;
  const [rName, pName, mac, ...rest] = ctx.args as [string, string, string, ...string[]];
  const lr = byNameOrUuid(db, "Logical_Router", rName, "router name", true) as CtlRow;
  const networks: string[] = [];
  let peer: string | undefined;
  for (const a of rest) {
    if (a.startsWith("peer=")) peer = a.slice(5);
    else networks.push(a);
  }
  if (networks.length === 0) throw new CtlError("'lrp-add' command requires at least 4 arguments");
  const existing = byNameOrUuid(db, "Logical_Router_Port", pName, "port name", false);
  if (existing !== undefined) {
    if (!ctx.options.has("--may-exist")) throw new CtlError(`${pName}: a port with this name already exists`);
    return;
  }
  if (!MAC_RE.test(mac)) throw new CtlError(`${mac}: invalid mac address ${mac}`);
  for (const n of networks)
    if (!/^[0-9.]+\/[0-9]+$/.test(n) && !/^[0-9a-fA-F:]+\/[0-9]+$/.test(n))
      throw new CtlError(`${n}: invalid network address`);
  const t = db.table("Logical_Router_Port");
  const values = new Map<ColumnModel, Datum>([
    [col(t, "name"), one(pName)],
    [col(t, "mac"), one(mac)],
    [col(t, "networks"), setOf(networks)],
  ]);
  if (peer !== undefined) values.set(col(t, "peer"), one(peer));
  const p = db.insert(t, values);
  editRefs(db, lr, "ports", p.uuid, true);
}

const INF = Number.POSITIVE_INFINITY;
const simple = (
  name: string,
  min: number,
  max: number,
  run: (c: CommandContext) => void,
  options: string[] = [],
  readOnly = false,
): CommandSpec => ({
  name,
  minArgs: min,
  maxArgs: max,
  options,
  run,
  readOnly,
});

export const SWITCH_COMMANDS: readonly CommandSpec[] = [
  simple("ls-add", 0, 1, containerAdd("switch", "Logical_Switch"), ["--may-exist", "--add-duplicate"]),
  simple("ls-del", 1, 1, containerDel("switch", "Logical_Switch"), ["--if-exists"]),
  simple("ls-list", 0, 0, (c) => listSorted(c, c.db.rows(c.db.table("Logical_Switch"))), [], true),
  simple("lsp-add", 2, 4, lspAdd, ["--may-exist"]),
  simple("lsp-del", 1, 1, portDel("Logical_Switch_Port", "Logical_Switch"), ["--if-exists"]),
  simple("lsp-list", 1, 1, portList("Logical_Switch", "Logical_Switch_Port", "switch"), [], true),
  simple("lsp-get-parent", 1, 1, (c) => printSet(c, lsp(c), "parent_name"), [], true),
  simple("lsp-get-tag", 1, 1, (c) => printSet(c, lsp(c), "tag"), [], true),
  simple(
    "lsp-get-ls",
    1,
    1,
    (c) => {
      const o = owner(c.db, "Logical_Switch", lsp(c));
      if (o !== undefined) c.out += `${o.uuid} (${str(o, "name")})\n`;
    },
    [],
    true,
  ),
  simple("lsp-set-addresses", 1, INF, lspSetAddresses),
  simple("lsp-get-addresses", 1, 1, (c) => printSet(c, lsp(c), "addresses"), [], true),
  simple("lsp-set-port-security", 1, INF, (c) => {
    const p = lsp(c);
    c.db.write(p, col(p.table, "port_security"), setOf(c.args.slice(1)));
  }),
  simple("lsp-get-port-security", 1, 1, (c) => printSet(c, lsp(c), "port_security"), [], true),
  simple(
    "lsp-get-up",
    1,
    1,
    (c) => {
      c.out += lsp(c).get("up").keys[0] === true ? "up\n" : "down\n";
    },
    [],
    true,
  ),
  simple("lsp-set-enabled", 2, 2, setEnabled(lsp)),
  simple("lsp-get-enabled", 1, 1, getEnabled(lsp), [], true),
  simple("lsp-set-type", 2, 2, (c) => {
    const p = lsp(c);
    const type = c.args[1] as string;
    if (!LSP_TYPES.has(type))
      throw new CtlError(`Logical switch port type '${type}' is unrecognized. Not setting type.`);
    c.db.write(p, col(p.table, "type"), one(type));
  }),
  simple(
    "lsp-get-type",
    1,
    1,
    (c) => {
      c.out += `${str(lsp(c), "type")}\n`;
    },
    [],
    true,
  ),
  simple("lsp-set-options", 1, INF, setOptions(lsp)),
  simple("lsp-get-options", 1, 1, getOptions(lsp), [], true),
  simple("lr-add", 0, 1, containerAdd("router", "Logical_Router"), ["--may-exist", "--add-duplicate"]),
  simple("lr-del", 1, 1, containerDel("router", "Logical_Router"), ["--if-exists"]),
  simple("lr-list", 0, 0, (c) => listSorted(c, c.db.rows(c.db.table("Logical_Router"))), [], true),
  simple("lrp-add", 4, INF, lrpAdd, ["--may-exist"]),
  simple("lrp-del", 1, 1, portDel("Logical_Router_Port", "Logical_Router"), ["--if-exists"]),
  simple("lrp-list", 1, 1, portList("Logical_Router", "Logical_Router_Port", "router"), [], true),
  simple("lrp-set-enabled", 2, 2, setEnabled(lrp)),
  simple("lrp-get-enabled", 1, 1, getEnabled(lrp), [], true),
  simple("lrp-set-options", 1, INF, setOptions(lrp)),
  simple("lrp-set-redirect-type", 2, 2, (c) => {
    const p = lrp(c);
    const type = c.args[1] as string;
    if (type !== "overlay" && type !== "bridged") throw new CtlError(`Invalid redirect type: ${type}`);
    const o = p.get("options");
    const keys = o.keys.filter((k) => k !== "redirect-type");
    const values = (o.values ?? []).filter((_, i) => o.keys[i] !== "redirect-type");
    c.db.write(p, col(p.table, "options"), sortDatum([...keys, "redirect-type"], [...values, type]));
  }),
  simple(
    "lrp-get-redirect-type",
    1,
    1,
    (c) => {
      const o = lrp(c).get("options");
      const i = o.keys.indexOf("redirect-type");
      c.out += `${i < 0 ? "overlay" : String(o.values?.[i])}\n`;
    },
    [],
    true,
  ),
];
