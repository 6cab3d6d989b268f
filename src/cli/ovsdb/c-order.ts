// JSON objects with their members in the order the C library writes them. The library keeps an object's
// members in a hash table and writes them in its iteration order, so for output that must match the C
// tools byte for byte (the schema record of a database file, `ovsdb-server`-style records) we insert the
// members in the order the C code does and let the hash-table model (hash-order.ts) order them.

import type { ColumnSchema, TableSchema } from "../../ovsdb/schema/types.js";
import { hashOrder, hmapOrder, uuidHash } from "./hash-order.js";
import type { OJson, OJsonObject } from "./ovs-json.js";
import { baseTypeToOJson, type ToolSchema, typeToOJson } from "./schema-json.js";
import { typedValue } from "./typed-json.js";

/** An object whose members are `entries` (in C insertion order), written in C iteration order. */
export function cObject(entries: readonly (readonly [string, OJson | undefined])[]): OJsonObject {
  const present = entries.filter((e): e is readonly [string, OJson] => e[1] !== undefined);
  const byKey = new Map(present);
  const out: OJsonObject = {};
  for (const k of hashOrder(present.map((e) => e[0]))) out[k] = byKey.get(k) as OJson;
  return out;
}

/** Re-creates a plain object (members of a type description) in C order. */
function reorder(j: OJson, order: readonly string[]): OJson {
  if (typeof j !== "object" || j === null || Array.isArray(j)) return j;
  const o = j as OJsonObject;
  return cObject(order.map((k) => [k, o[k]] as const));
}

const BASE_ORDER = [
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
];

function typeJson(c: ColumnSchema): OJson {
  const t = typeToOJson(c.type);
  if (typeof t !== "object" || t === null || Array.isArray(t)) return t;
  const o = t as OJsonObject;
  const key = reorder(baseTypeToOJson(c.type.key), BASE_ORDER);
  const value = c.type.value === undefined ? undefined : reorder(baseTypeToOJson(c.type.value), BASE_ORDER);
  return cObject([
    ["key", key],
    ["value", value],
    ["min", o.min],
    ["max", o.max],
  ]);
}

function tableJson(s: ToolSchema, t: TableSchema, allRoot: boolean): OJsonObject {
  const columns = cObject(
    s
      .columnOrder(t.name)
      .filter((n) => n !== "_uuid" && n !== "_version")
      .map((n) => {
        const c = t.columns.get(n) as ColumnSchema;
        return [
          n,
          cObject([
            ["type", typeJson(c)],
            ["ephemeral", c.ephemeral ? true : undefined],
            ["mutable", c.mutable ? undefined : false],
          ]),
        ] as const;
      }),
  );
  return cObject([
    ["columns", columns],
    ["isRoot", t.isRoot && !allRoot ? true : undefined],
    ["maxRows", t.maxRows === Infinity ? undefined : t.maxRows],
    ["indexes", t.indexes.length > 0 ? t.indexes.map((idx) => idx.map((c) => c.name)) : undefined],
  ]);
}

/** The schema record of a database file as ovsdb-tool writes it. */
export function schemaRecordJson(s: ToolSchema): OJsonObject {
  const all = [...s.model.tables.values()];
  const allRoot = all.every((t) => t.isRoot);
  const tables = cObject(
    s.tableOrder.map((n) => [n, tableJson(s, s.model.tables.get(n) as TableSchema, allRoot)] as const),
  );
  return cObject([
    ["name", s.model.name],
    ["version", typeof s.json.version === "string" ? s.json.version : undefined],
    ["cksum", typeof s.json.cksum === "string" ? s.json.cksum : undefined],
    ["tables", tables],
  ]);
}

/**
 * A transaction or snapshot record in the member order of the C writer: tables (in the schema's table
 * order) then "_comment", "_is_diff", "_date"; each row's columns in the schema's column order. Values
 * of real columns are marked as reals.
 */
export function recordJson(s: ToolSchema, rec: Readonly<Record<string, unknown>>): OJsonObject {
  const entries: [string, OJson | undefined][] = [];
  for (const tname of s.tableOrder) {
    const rows = rec[tname] as Record<string, unknown> | undefined;
    const t = s.model.tables.get(tname);
    if (rows === undefined || t === undefined) continue;
    const cols = s.columnOrder(tname);
    // A transaction's (or table's) rows sit in a hash table keyed by UUID, which sets their order.
    const rowEntries = hmapOrder(Object.entries(rows), ([uuid]) => uuidHash(uuid)).map(([uuid, row]) => {
      if (row === null || typeof row !== "object") return [uuid, null] as const;
      const r = row as Record<string, unknown>;
      return [
        uuid,
        cObject(
          cols.map(
            (c) =>
              [
                c,
                r[c] === undefined
                  ? undefined
                  : typedValue(r[c] as OJson, (t.columns.get(c) as ColumnSchema).type),
              ] as const,
          ),
        ),
      ] as const;
    });
    entries.push([tname, cObject(rowEntries)]);
  }
  entries.push(["_comment", rec._comment as OJson | undefined]);
  entries.push(["_is_diff", rec._is_diff as OJson | undefined]);
  entries.push(["_date", rec._date as OJson | undefined]);
  return cObject(entries);
}
