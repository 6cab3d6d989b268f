// The database commands every ctl tool has (ovs-vsctl(8) "Database Commands"): list, find, get, set,
// add, remove, clear, create, destroy, wait-until — on any table, with `col[:key]=value` arguments.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { ColumnModel, TableModel } from "../../ovsdb/idl/model.js";
import type { Atom, BaseType, ColumnType } from "../../ovsdb/schema/types.js";
import type { CommandContext, CommandSpec } from "./command.js";
import { atomFromText, CtlError, datumFromText, datumToText, sortDatum } from "./datum-text.js";
import type { CtlDb, CtlRow } from "./db.js";
import { type Cell, type CtlTable, renderTable, uuidCell } from "./output.js";

/** Thrown by wait-until when the condition does not hold yet: the driver waits for a change and reruns. */
export class NotYet extends Error {
  override readonly name = "NotYet";
}

type Op = "=" | "!=" | "<" | ">" | "<=" | ">=" | "{=}" | "{!=}" | "{<}" | "{>}" | "{<=}" | "{>=}";
const OPS: readonly Op[] = ["{!=}", "{<=}", "{>=}", "{=}", "{<}", "{>}", "!=", "<=", ">=", "=", "<", ">"];

interface ColumnArg {
  readonly column: ColumnModel | "_uuid";
  readonly key: string | undefined;
  readonly op: Op | undefined;
  readonly value: string | undefined;
}

/** Parses `col[:key][OP value]`; `ops` lists the operators the command accepts. */
function parseColumnArg(
  db: CtlDb,
  t: TableModel,
  arg: string,
  ops: readonly Op[],
  needValue: boolean,
): ColumnArg {
  let i = 0;
  while (i < arg.length && !":=!<>{".includes(arg[i] as string)) i++;
  const colName = arg.slice(0, i);
  const column = db.column(t, colName);
  let key: string | undefined;
  if (arg[i] === ":") {
    let j = i + 1;
    if (arg[j] === '"') {
      j++;
      while (j < arg.length && arg[j] !== '"') j += arg[j] === "\\" ? 2 : 1;
      j++;
    } else while (j < arg.length && !"=!<>{".includes(arg[j] as string)) j++;
    key = arg.slice(i + 1, j);
    i = j;
  }
  if (i >= arg.length) {
    if (needValue) throw new CtlError(`${arg}: argument does not end in "=" followed by a value.`);
    return { column, key, op: undefined, value: undefined };
  }
  const rest = arg.slice(i);
  const op = OPS.find((o) => rest.startsWith(o));
  if (op === undefined || !ops.includes(op) || rest.length === op.length) {
    if (ops.length === 1) throw new CtlError(`${arg}: argument does not end in "=" followed by a value.`);
    throw new CtlError(
      `${arg}: argument does not end in "=", "!=", "<", ">", "<=", ">=", "{=}", "{!=}", "{<}", "{>}", "{<=}", or "{>=}" followed by a value.`,
    );
  }
  return { column, key, op, value: rest.slice(op.length) };
}

function tableArg(ctx: CommandContext): TableModel {
  return ctx.db.table(ctx.args[0] as string);
}

function realColumn(c: ColumnModel | "_uuid", verb: string): ColumnModel {
  if (c === "_uuid") throw new CtlError(`cannot modify read-only column _uuid`.replace("modify", verb));
  return c;
}

function sortedColumns(t: TableModel): string[] {
  return ["_uuid", ...t.columns.map((c) => c.name).sort()];
}

function cellsOf(db: CtlDb, t: TableModel, row: CtlRow, cols: readonly string[]): Cell[] {
  return cols.map((name) => {
    if (name === "_uuid") return uuidCell(row.uuid);
    const c = db.column(t, name);
    if (c === "_uuid") return uuidCell(row.uuid);
    return { datum: row.get(c.name), type: c.type };
  });
}

function columnsOption(ctx: CommandContext, t: TableModel): string[] {
  const opt = ctx.options.get("--columns");
  if (opt === undefined) return sortedColumns(t);
  return opt.split(",").map((n) => {
    const c = ctx.db.column(t, n.trim());
    return c === "_uuid" ? "_uuid" : c.name;
  });
}

function printRows(ctx: CommandContext, t: TableModel, rows: readonly CtlRow[]): void {
  const cols = columnsOption(ctx, t);
  const table: CtlTable = { headings: cols, rows: rows.map((r) => cellsOf(ctx.db, t, r, cols)) };
  ctx.out += renderTable(table, ctx.style);
}

const valueType = (t: ColumnType): ColumnType => ({ key: t.value as BaseType, min: 1, max: 1 });
const anySize = (t: ColumnType): ColumnType => ({ ...t, min: 0, max: Number.POSITIVE_INFINITY });

function datumEq(a: Datum, b: Datum): boolean {
  if (a.keys.length !== b.keys.length) return false;
  for (let i = 0; i < a.keys.length; i++) {
    if (a.keys[i] !== b.keys[i]) return false;
    if (a.values !== undefined && a.values[i] !== b.values?.[i]) return false;
  }
  return true;
}

function compareDatum(a: Datum, b: Datum): number {
  const n = Math.min(a.keys.length, b.keys.length);
  for (let i = 0; i < n; i++) {
    const x = a.keys[i] as Atom;
    const y = b.keys[i] as Atom;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.keys.length - b.keys.length;
}

function includes(a: Datum, b: Datum): boolean {
  return b.keys.every((k, i) => {
    const j = a.keys.indexOf(k);
    return j >= 0 && (b.values === undefined || a.values?.[j] === b.values[i]);
  });
}

/** Whether a row matches one `col[:key]OP value` condition of find/wait-until. */
function matches(db: CtlDb, row: CtlRow, arg: ColumnArg): boolean {
  const col = arg.column;
  let have: Datum;
  let type: ColumnType;
  if (col === "_uuid") {
    have = { keys: [row.uuid] };
    type = uuidCell(row.uuid).type;
  } else {
    have = row.get(col.name);
    type = col.type;
  }
  if (arg.key !== undefined) {
    if (col === "_uuid" || col.type.value === undefined)
      throw new CtlError(
        `cannot specify key to check for non-map column ${col === "_uuid" ? "_uuid" : col.name}`,
      );
    const k = atomFromText(arg.key, col.type.key, db.symbols);
    const idx = have.keys.indexOf(k);
    type = valueType(col.type);
    have = idx < 0 ? { keys: [] } : { keys: [(have.values ?? [])[idx] as Atom] };
    if (idx < 0) return arg.op === "!=" || arg.op === "{!=}";
  }
  const want = datumFromText(arg.value as string, arg.key !== undefined ? type : anySize(type), db.symbols);
  const c = compareDatum(have, want);
  switch (arg.op as Op) {
    case "=":
      return datumEq(have, want);
    case "!=":
      return !datumEq(have, want);
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case ">=":
      return c >= 0;
    case "{=}":
      return datumEq(have, want);
    case "{!=}":
      return !datumEq(have, want);
    case "{<}":
      return includes(want, have) && !datumEq(have, want);
    case "{>}":
      return includes(have, want) && !datumEq(have, want);
    case "{<=}":
      return includes(want, have);
    case "{>=}":
      return includes(have, want);
  }
}

function list(ctx: CommandContext): void {
  const t = tableArg(ctx);
  const ids = ctx.args.slice(1);
  const rows: CtlRow[] = [];
  if (ids.length === 0) rows.push(...ctx.db.rows(t));
  for (const id of ids) {
    const r = ctx.db.findRow(t, id);
    if (r !== undefined) rows.push(r);
    else if (!ctx.options.has("--if-exists")) throw new CtlError(`no row "${id}" in table ${t.name}`);
  }
  printRows(ctx, t, rows);
}

function find(ctx: CommandContext): void {
  const t = tableArg(ctx);
  const conds = ctx.args.slice(1).map((a) => parseColumnArg(ctx.db, t, a, OPS, true));
  const rows = ctx.db.rows(t).filter((r) => conds.every((c) => matches(ctx.db, r, c)));
  printRows(ctx, t, rows);
}

function get(ctx: CommandContext): void {
  const t = tableArg(ctx);
  const row = ctx.db.findRow(t, ctx.args[1] as string);
  if (row === undefined) {
    if (ctx.options.has("--if-exists")) return;
    throw new CtlError(`no row "${ctx.args[1]}" in table ${t.name}`);
  }
  const id = ctx.options.get("--id");
  if (id !== undefined) ctx.db.symbols.set(id, row.uuid);
  for (const arg of ctx.args.slice(2)) {
    const ca = parseColumnArg(ctx.db, t, arg, [], false);
    if (ca.column === "_uuid") {
      if (ca.key !== undefined) throw new CtlError(`cannot specify key to get for non-map column _uuid`);
      ctx.out += `${row.uuid}\n`;
      continue;
    }
    const c = ca.column;
    const d = row.get(c.name);
    ctx.db.verify(row, c);
    if (ca.key === undefined) {
      ctx.out += `${renderValue(ctx, d, c.type)}\n`;
      continue;
    }
    if (c.type.value === undefined)
      throw new CtlError(`cannot specify key to get for non-map column ${c.name}`);
    const k = atomFromText(ca.key, c.type.key, ctx.db.symbols);
    const idx = d.keys.indexOf(k);
    if (idx < 0) {
      if (ctx.options.has("--if-exists")) {
        ctx.out += "\n";
        continue;
      }
      throw new CtlError(`no key "${ca.key}" in ${t.name} record "${ctx.args[1]}" column ${c.name}`);
    }
    ctx.out += `${renderValue(ctx, { keys: [(d.values ?? [])[idx] as Atom] }, valueType(c.type))}\n`;
  }
}

function renderValue(ctx: CommandContext, d: Datum, t: ColumnType): string {
  if (ctx.style.format === "bare" || ctx.style.data === "bare")
    return renderTable(
      { headings: [""], rows: [[{ datum: d, type: t }]] },
      { format: "bare", data: "bare", headings: false },
    ).replace(/\n$/, "");
  return datumToText(d, t);
}

/** Applies `col=value` or `col:key=value` to a row (set, create). */
function setColumn(db: CtlDb, row: CtlRow, t: TableModel, arg: string): void {
  const ca = parseColumnArg(db, t, arg, ["="], true);
  const c = realColumn(ca.column, "modify");
  if (ca.key === undefined) {
    db.write(row, c, checkSize(datumFromText(ca.value as string, c.type, db.symbols), c, t));
    return;
  }
  if (c.type.value === undefined)
    throw new CtlError(`cannot specify key to set for non-map column ${c.name}`);
  const k = atomFromText(ca.key, c.type.key, db.symbols);
  const v = atomFromText(ca.value as string, c.type.value, db.symbols);
  const d = row.get(c.name);
  db.verify(row, c);
  const keys = [...d.keys, k];
  const values = [...(d.values ?? []), v];
  db.write(row, c, sortDatum(keys, values));
}

function checkSize(d: Datum, c: ColumnModel, t: TableModel): Datum {
  if (d.keys.length < c.type.min && c.type.min === 1)
    throw new CtlError(
      `"clear" operation cannot be applied to column ${c.name} of table ${t.name}, which is not allowed to be empty`,
    );
  return d;
}

function rowArg(ctx: CommandContext, t: TableModel): CtlRow | undefined {
  const row = ctx.db.findRow(t, ctx.args[1] as string);
  if (row === undefined && !ctx.options.has("--if-exists"))
    throw new CtlError(`no row "${ctx.args[1]}" in table ${t.name}`);
  return row;
}

function set(ctx: CommandContext): void {
  const t = tableArg(ctx);
  const row = rowArg(ctx, t);
  if (row === undefined) return;
  for (const a of ctx.args.slice(2)) setColumn(ctx.db, row, t, a);
}

function addOrRemove(ctx: CommandContext, add: boolean): void {
  const t = tableArg(ctx);
  const row = rowArg(ctx, t);
  if (row === undefined) return;
  const c = realColumn(ctx.db.column(t, ctx.args[2] as string), "modify");
  let d = row.get(c.name);
  ctx.db.verify(row, c);
  for (const a of ctx.args.slice(3)) {
    if (add) {
      const more = datumFromText(a, anySize(c.type), ctx.db.symbols);
      const keys = [...d.keys];
      const values = d.values === undefined ? undefined : [...d.values];
      // For a map, a key already present takes the new value.
      more.keys.forEach((k, i) => {
        const at = keys.indexOf(k);
        if (at >= 0) {
          if (values !== undefined) values[at] = (more.values ?? [])[i] as Atom;
          return;
        }
        keys.push(k);
        values?.push((more.values ?? [])[i] as Atom);
      });
      d = sortDatum(keys, values);
    } else d = removeFrom(ctx, d, c, a);
  }
  if (add && d.keys.length > c.type.max)
    throw new CtlError(
      `"add" operation would put ${d.keys.length} values in column ${c.name} of table ${t.name} but the maximum number is ${c.type.max}`,
    );
  if (!add && d.keys.length < c.type.min)
    throw new CtlError(
      `"remove" operation would put ${d.keys.length} values in column ${c.name} of table ${t.name} but the minimum number is ${c.type.min}`,
    );
  ctx.db.write(row, c, d);
}

function removeFrom(ctx: CommandContext, d: Datum, c: ColumnModel, a: string): Datum {
  let drop: Datum;
  let keysOnly = false;
  try {
    drop = datumFromText(a, anySize(c.type), ctx.db.symbols);
  } catch (e) {
    if (c.type.value === undefined) throw e;
    drop = datumFromText(a, { key: c.type.key, min: 0, max: Number.POSITIVE_INFINITY }, ctx.db.symbols);
    keysOnly = true;
  }
  const keys: Atom[] = [];
  const values: Atom[] = [];
  d.keys.forEach((k, i) => {
    const j = drop.keys.indexOf(k);
    const v = (d.values ?? [])[i] as Atom;
    if (j >= 0 && (keysOnly || drop.values === undefined || drop.values[j] === v)) return;
    keys.push(k);
    values.push(v);
  });
  return d.values === undefined ? { keys } : { keys, values };
}

function clear(ctx: CommandContext): void {
  const t = tableArg(ctx);
  const row = rowArg(ctx, t);
  if (row === undefined) return;
  for (const a of ctx.args.slice(2)) {
    const c = realColumn(ctx.db.column(t, a), "modify");
    if (c.type.min > 0)
      throw new CtlError(
        `"clear" operation cannot be applied to column ${c.name} of table ${t.name}, which is not allowed to be empty`,
      );
    ctx.db.write(row, c, c.type.value !== undefined ? { keys: [], values: [] } : { keys: [] });
  }
}

function create(ctx: CommandContext): void {
  const t = tableArg(ctx);
  const id = ctx.options.get("--id");
  const row = ctx.db.insert(t);
  if (id !== undefined) {
    if (!id.startsWith("@") || id.length < 2) throw new CtlError(`row id "${id}" does not begin with "@"`);
    if (ctx.db.symbols.has(id)) throw new CtlError(`row id "${id}" may only be specified on one --id option`);
    ctx.db.symbols.set(id, row.uuid);
  }
  for (const a of ctx.args.slice(1)) setColumn(ctx.db, row, t, a);
  ctx.state = row.uuid;
}

function destroy(ctx: CommandContext): void {
  const t = tableArg(ctx);
  if (ctx.options.has("--all")) {
    if (ctx.args.length > 1)
      throw new CtlError(`--all and records argument should not be specified together`);
    for (const r of ctx.db.rows(t)) ctx.db.delete(r);
    return;
  }
  if (ctx.args.length < 2) throw new CtlError(`either --all or records argument should be specified`);
  for (const id of ctx.args.slice(1)) {
    const r = ctx.db.findRow(t, id);
    if (r !== undefined) ctx.db.delete(r);
    else if (!ctx.options.has("--if-exists")) throw new CtlError(`no row "${id}" in table ${t.name}`);
  }
}

function waitUntil(ctx: CommandContext): void {
  const t = tableArg(ctx);
  const row = ctx.db.findRow(t, ctx.args[1] as string);
  if (row === undefined) throw new NotYet();
  for (const a of ctx.args.slice(2)) {
    const ca = parseColumnArg(ctx.db, t, a, OPS, true);
    if (!matches(ctx.db, row, ca)) throw new NotYet();
  }
}

const INF = Number.POSITIVE_INFINITY;

export const GENERIC_COMMANDS: readonly CommandSpec[] = [
  {
    name: "list",
    minArgs: 1,
    maxArgs: INF,
    options: ["--if-exists", "--columns="],
    readOnly: true,
    printsTable: true,
    run: list,
  },
  {
    name: "find",
    minArgs: 1,
    maxArgs: INF,
    options: ["--columns="],
    readOnly: true,
    printsTable: true,
    run: find,
  },
  { name: "get", minArgs: 2, maxArgs: INF, options: ["--if-exists", "--id="], readOnly: true, run: get },
  { name: "set", minArgs: 3, maxArgs: INF, options: ["--if-exists"], run: set },
  { name: "add", minArgs: 4, maxArgs: INF, options: ["--if-exists"], run: (c) => addOrRemove(c, true) },
  { name: "remove", minArgs: 4, maxArgs: INF, options: ["--if-exists"], run: (c) => addOrRemove(c, false) },
  { name: "clear", minArgs: 3, maxArgs: INF, options: ["--if-exists"], run: clear },
  {
    name: "create",
    minArgs: 2,
    maxArgs: INF,
    options: ["--id="],
    run: create,
    postCommit: (ctx, result) => {
      ctx.out += `${result.uuid(ctx.state as never)}\n`;
    },
  },
  { name: "destroy", minArgs: 1, maxArgs: INF, options: ["--if-exists", "--all"], run: destroy },
  { name: "wait-until", minArgs: 2, maxArgs: INF, options: [], readOnly: true, run: waitUntil },
];
