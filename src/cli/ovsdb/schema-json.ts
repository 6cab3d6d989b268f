// A database schema as the OVSDB tools hold it: the parsed model (src/ovsdb/schema) plus what the tools'
// output depends on — the hash-table iteration order of tables and columns, and the normalised JSON the
// tools print back (`ovsdb-client get-schema`, `list-columns`), observed from the 3.1 tools:
//   - a base type without constraints is its type name ("integer"); otherwise an object with "type" and
//     only the constraints given: "enum" (one atom bare, several as a sorted ["set", ...]), min/max
//     bounds, "refTable", and "refType" only when "weak";
//   - a column type whose key is such a bare name, with no value and min = max = 1, is that name;
//     otherwise {"key", "value"?, "min" unless 1, "max" unless 1 ("unlimited")};
//   - a column has "ephemeral": true and "mutable": false only when so; a table has "maxRows" and
//     "indexes" when given, and "isRoot": true on root tables unless every table is a root;
//   - "version" and "cksum" only when the schema has them; "doc" is dropped.
import { parseSchema } from "../../ovsdb/schema/parse.js";
import type { BaseType, ColumnType, DatabaseSchema, TableSchema } from "../../ovsdb/schema/types.js";
import { atomToOJson } from "./datum-text.js";
import { hashOrder } from "./hash-order.js";
import { isObject, type OJson, type OJsonObject, OReal, toPlainJson } from "./ovs-json.js";

export interface ToolSchema {
  readonly model: DatabaseSchema;
  /** The schema JSON as received or read. */
  readonly json: OJsonObject;
  /** Tables in the order the C tools iterate them. */
  readonly tableOrder: readonly string[];
  /** A table's columns, _uuid and _version included, in the order the C tools iterate them. */
  columnOrder(table: string): readonly string[];
}

/** Parses schema JSON; throws OvsdbError("syntax error") like src/ovsdb/schema. */
export function toolSchema(json: OJson): ToolSchema {
  const model = parseSchema(toPlainJson(json));
  const obj = json as OJsonObject;
  const tablesJson = obj.tables as OJsonObject;
  // Parsing the JSON fills one hash table, building the schema's table map from it a second.
  const tableOrder = hashOrder(hashOrder(Object.keys(tablesJson)));
  const cache = new Map<string, string[]>();
  return {
    model,
    json: obj,
    tableOrder,
    columnOrder(table) {
      let cols = cache.get(table);
      if (cols === undefined) {
        const tj = tablesJson[table];
        const cj = isObject(tj) && isObject(tj.columns) ? Object.keys(tj.columns) : [];
        // A table's column map starts with _uuid and _version, then takes the parsed columns.
        cols = hashOrder(["_uuid", "_version", ...hashOrder(cj)]);
        cache.set(table, cols);
      }
      return cols;
    },
  };
}

const INT64_LIMIT = 2 ** 63;
const UINT32_MAX = 4294967295;
const DBL_MAX = Number.MAX_VALUE;

export function baseTypeToOJson(b: BaseType): OJson {
  const o: OJsonObject = { type: b.type };
  if (b.enum !== undefined) {
    const atoms = b.enum.map((a) => atomToOJson(b.type === "integer" ? BigInt(a as number) : a, b.type));
    o.enum = atoms.length === 1 ? (atoms[0] as OJson) : ["set", atoms];
  }
  if (b.minInteger !== undefined && b.minInteger > -INT64_LIMIT) o.minInteger = b.minInteger;
  if (b.maxInteger !== undefined && b.maxInteger < INT64_LIMIT) o.maxInteger = b.maxInteger;
  if (b.minReal !== undefined && b.minReal > -DBL_MAX) o.minReal = new OReal(b.minReal);
  if (b.maxReal !== undefined && b.maxReal < DBL_MAX) o.maxReal = new OReal(b.maxReal);
  if (b.minLength !== undefined && b.minLength > 0) o.minLength = b.minLength;
  if (b.maxLength !== undefined && b.maxLength < UINT32_MAX) o.maxLength = b.maxLength;
  if (b.refTable !== undefined) {
    o.refTable = b.refTable;
    if (b.refType === "weak") o.refType = "weak";
  }
  return Object.keys(o).length === 1 ? b.type : o;
}

export function typeToOJson(t: ColumnType): OJson {
  const key = baseTypeToOJson(t.key);
  if (t.value === undefined && t.min === 1 && t.max === 1 && typeof key === "string") return key;
  const o: OJsonObject = { key };
  if (t.value !== undefined) o.value = baseTypeToOJson(t.value);
  if (t.min !== 1) o.min = t.min;
  if (t.max !== 1) o.max = t.max === Infinity ? "unlimited" : t.max;
  return o;
}

function tableToOJson(t: TableSchema, allRoot: boolean): OJsonObject {
  const columns: OJsonObject = {};
  for (const c of t.userColumns) {
    const cj: OJsonObject = { type: typeToOJson(c.type) };
    if (c.ephemeral) cj.ephemeral = true;
    if (!c.mutable) cj.mutable = false;
    columns[c.name] = cj;
  }
  const o: OJsonObject = { columns };
  if (t.isRoot && !allRoot) o.isRoot = true;
  if (t.maxRows !== Infinity) o.maxRows = t.maxRows;
  if (t.indexes.length > 0) o.indexes = t.indexes.map((idx) => idx.map((c) => c.name));
  return o;
}

/** The schema as the tools print it (serialise with sorted members). */
export function schemaToOJson(s: ToolSchema): OJsonObject {
  const tables: OJsonObject = {};
  const all = [...s.model.tables.values()];
  const allRoot = all.every((t) => t.isRoot);
  for (const t of all) tables[t.name] = tableToOJson(t, allRoot);
  const o: OJsonObject = { name: s.model.name, tables };
  if (typeof s.json.version === "string") o.version = s.json.version;
  if (typeof s.json.cksum === "string") o.cksum = s.json.cksum;
  return o;
}
