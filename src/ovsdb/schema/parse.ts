// Parses and validates an .ovsschema (RFC 7047 §3.2, ovsdb(7) extensions). Errors are OvsdbError
// "syntax error" with a precise path, so a bad schema says exactly what is wrong.

import { atomFromJson, compareAtoms } from "../data/atom.js";
import { OvsdbError } from "../error.js";
import {
  ATOMIC_TYPES,
  type Atom,
  type AtomicType,
  type BaseType,
  type ColumnSchema,
  type ColumnType,
  type DatabaseSchema,
  type TableSchema,
} from "./types.js";

type Json = unknown;
const ID_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(where: string, msg: string): never {
  throw new OvsdbError("syntax error", `${where}: ${msg}`);
}

function obj(j: Json, where: string): Record<string, Json> {
  if (typeof j !== "object" || j === null || Array.isArray(j)) fail(where, "expected object");
  return j as Record<string, Json>;
}

function onlyKeys(o: Record<string, Json>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(where, `unknown member "${k}"`);
}

function int(j: Json, where: string): number {
  if (typeof j !== "number" || !Number.isInteger(j)) fail(where, "expected integer");
  return j;
}

function parseBaseType(j: Json, where: string): BaseType {
  if (typeof j === "string") {
    if (!ATOMIC_TYPES.includes(j as AtomicType)) fail(where, `unknown atomic type "${j}"`);
    return { type: j as AtomicType, refType: "strong" };
  }
  const o = obj(j, where);
  onlyKeys(
    o,
    [
      "type",
      "enum",
      "minInteger",
      "maxInteger",
      "minReal",
      "maxReal",
      "minLength",
      "maxLength",
      "refTable",
      "refType",
    ],
    where,
  );
  const t = o.type;
  if (typeof t !== "string" || !ATOMIC_TYPES.includes(t as AtomicType)) fail(where, `bad atomic "type"`);
  const type = t as AtomicType;
  const base: { -readonly [K in keyof BaseType]: BaseType[K] } = { type, refType: "strong" };
  const only = (allowedFor: AtomicType, member: string): void => {
    if (o[member] !== undefined && type !== allowedFor) fail(where, `"${member}" not allowed for ${type}`);
  };
  for (const m of ["minInteger", "maxInteger"]) only("integer", m);
  for (const m of ["minReal", "maxReal"]) only("real", m);
  for (const m of ["minLength", "maxLength"]) only("string", m);
  for (const m of ["refTable", "refType"]) only("uuid", m);
  if (o.minInteger !== undefined) base.minInteger = int(o.minInteger, `${where} minInteger`);
  if (o.maxInteger !== undefined) base.maxInteger = int(o.maxInteger, `${where} maxInteger`);
  if (o.minReal !== undefined) base.minReal = Number(o.minReal);
  if (o.maxReal !== undefined) base.maxReal = Number(o.maxReal);
  if (o.minLength !== undefined) base.minLength = int(o.minLength, `${where} minLength`);
  if (o.maxLength !== undefined) base.maxLength = int(o.maxLength, `${where} maxLength`);
  if (base.minInteger !== undefined && base.maxInteger !== undefined && base.minInteger > base.maxInteger)
    fail(where, "minInteger exceeds maxInteger");
  if (base.minReal !== undefined && base.maxReal !== undefined && base.minReal > base.maxReal)
    fail(where, "minReal exceeds maxReal");
  if (base.minLength !== undefined && base.maxLength !== undefined && base.minLength > base.maxLength)
    fail(where, "minLength exceeds maxLength");
  if (o.refTable !== undefined) {
    if (typeof o.refTable !== "string") fail(where, "refTable must be a string");
    base.refTable = o.refTable;
  }
  if (o.refType !== undefined) {
    if (o.refType !== "strong" && o.refType !== "weak") fail(where, `refType must be "strong" or "weak"`);
    if (base.refTable === undefined) fail(where, "refType requires refTable");
    base.refType = o.refType;
  }
  if (o.enum !== undefined) {
    const plain: BaseType = { type, refType: "strong" };
    let items: Json[];
    if (Array.isArray(o.enum) && o.enum[0] === "set" && Array.isArray(o.enum[1])) items = o.enum[1] as Json[];
    else items = [o.enum];
    const atoms: Atom[] = items.map((x) => atomFromJson(x, plain, null));
    atoms.sort((a, b) => compareAtoms(a, b));
    base.enum = atoms.filter((a, i) => i === 0 || compareAtoms(a, atoms[i - 1] as Atom) !== 0);
  }
  return base;
}

export function parseColumnType(j: Json, where: string): ColumnType {
  if (typeof j === "string") return { key: parseBaseType(j, where), min: 1, max: 1 };
  const o = obj(j, where);
  onlyKeys(o, ["key", "value", "min", "max"], where);
  if (o.key === undefined) fail(where, `missing "key"`);
  const key = parseBaseType(o.key, `${where} key`);
  const value = o.value === undefined ? undefined : parseBaseType(o.value, `${where} value`);
  const min = o.min === undefined ? 1 : int(o.min, `${where} min`);
  let max: number;
  if (o.max === undefined) max = 1;
  else if (o.max === "unlimited") max = Infinity;
  else max = int(o.max, `${where} max`);
  if (min !== 0 && min !== 1) fail(where, "min must be 0 or 1");
  if (max < 1) fail(where, "max must be at least 1");
  if (min > max) fail(where, "min exceeds max");
  return value === undefined ? { key, min, max } : { key, value, min, max };
}

function parseTable(
  name: string,
  j: Json,
  allRoot: { any: boolean },
): Omit<TableSchema, "isRoot"> & {
  isRootDeclared: boolean;
} {
  const where = `table ${name}`;
  if (!ID_RE.test(name) || name.startsWith("_")) fail(where, "invalid table name");
  const o = obj(j, where);
  onlyKeys(o, ["columns", "maxRows", "isRoot", "indexes"], where);
  const cols = obj(o.columns, `${where} columns`);
  if (Object.keys(cols).length === 0) fail(where, "table must have at least one column");
  const userColumns: ColumnSchema[] = [];
  const columns = new Map<string, ColumnSchema>();
  for (const [cname, cj] of Object.entries(cols)) {
    const cw = `${where} column ${cname}`;
    if (!ID_RE.test(cname) || cname.startsWith("_")) fail(cw, "invalid column name");
    const co = obj(cj, cw);
    onlyKeys(co, ["type", "ephemeral", "mutable"], cw);
    if (co.type === undefined) fail(cw, `missing "type"`);
    if (co.ephemeral !== undefined && typeof co.ephemeral !== "boolean")
      fail(cw, "ephemeral must be boolean");
    if (co.mutable !== undefined && typeof co.mutable !== "boolean") fail(cw, "mutable must be boolean");
    const col: ColumnSchema = {
      name: cname,
      type: parseColumnType(co.type, cw),
      ephemeral: co.ephemeral === true,
      mutable: co.mutable !== false,
      index: userColumns.length,
      json: cj,
    };
    userColumns.push(col);
    columns.set(cname, col);
  }
  const uuidType: ColumnType = { key: { type: "uuid", refType: "strong" }, min: 1, max: 1 };
  columns.set("_uuid", {
    name: "_uuid",
    type: uuidType,
    ephemeral: false,
    mutable: false,
    index: -1,
    json: null,
  });
  columns.set("_version", {
    name: "_version",
    type: uuidType,
    ephemeral: false,
    mutable: false,
    index: -2,
    json: null,
  });
  let maxRows = Infinity;
  if (o.maxRows !== undefined) {
    maxRows = int(o.maxRows, `${where} maxRows`);
    if (maxRows < 1) fail(where, "maxRows must be at least 1");
  }
  if (o.isRoot !== undefined && typeof o.isRoot !== "boolean") fail(where, "isRoot must be boolean");
  if (o.isRoot === true) allRoot.any = true;
  const indexes: ColumnSchema[][] = [];
  if (o.indexes !== undefined) {
    if (!Array.isArray(o.indexes)) fail(where, "indexes must be an array");
    for (const ij of o.indexes) {
      if (!Array.isArray(ij) || ij.length === 0)
        fail(where, "index must be a non-empty array of column names");
      const idx = ij.map((c: Json) => {
        const col = typeof c === "string" ? columns.get(c) : undefined;
        if (col === undefined) fail(where, `index names unknown column ${JSON.stringify(c)}`);
        if (col.ephemeral) fail(where, `ephemeral column ${col.name} may not be indexed`);
        return col;
      });
      indexes.push(idx);
    }
  }
  return { name, columns, userColumns, maxRows, indexes, json: j, isRootDeclared: o.isRoot === true };
}

/** Parses a database schema; throws OvsdbError("syntax error") describing the first problem found. */
export function parseSchema(json: Json): DatabaseSchema {
  const o = obj(json, "schema");
  onlyKeys(o, ["name", "version", "cksum", "tables", "doc"], "schema");
  if (typeof o.name !== "string" || !ID_RE.test(o.name)) fail("schema", `missing or invalid "name"`);
  let version = "0.0.0";
  if (o.version !== undefined) {
    if (typeof o.version !== "string" || !/^\d+\.\d+\.\d+$/.test(o.version))
      fail("schema", `"version" must be of the form x.y.z`);
    version = o.version;
  }
  if (o.cksum !== undefined && typeof o.cksum !== "string") fail("schema", `"cksum" must be a string`);
  const tablesJson = obj(o.tables, "schema tables");
  const anyRoot = { any: false };
  const parsed = Object.entries(tablesJson).map(([n, t]) => parseTable(n, t, anyRoot));
  const tables = new Map<string, TableSchema>();
  // ovsdb(7): for compatibility with schemas older than "isRoot", if no table is marked root then
  // every table is a root table.
  for (const t of parsed) {
    const { isRootDeclared, ...rest } = t;
    tables.set(t.name, { ...rest, isRoot: anyRoot.any ? isRootDeclared : true });
  }
  for (const t of tables.values()) {
    for (const c of t.userColumns) {
      for (const b of [c.type.key, c.type.value]) {
        if (b?.refTable !== undefined && !tables.has(b.refTable))
          fail(`table ${t.name} column ${c.name}`, `refTable "${b.refTable}" is not a table in the schema`);
      }
    }
  }
  const schema: DatabaseSchema = {
    name: o.name,
    version,
    tables,
    json: o,
    ...(typeof o.cksum === "string" ? { cksum: o.cksum } : {}),
  };
  return schema;
}

export type { Atom };
