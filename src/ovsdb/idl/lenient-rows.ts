// RFC 7047 JSON rows (what a `select`, a dump or a captured corpus holds) as the IDL's typed rows, read
// leniently like ovsdb/data/json-row.ts: a missing or mistyped column reads as its empty value ("" , 0,
// false, no element) instead of throwing, and set elements keep the order the JSON gives (no sorting).
// For pure views written over typed rows (the controller's lflow/sb.ts) that are also fed JSON. Pure.
import { atom, type JsonRow, setOf } from "../data/json-row.js";
import type { BaseType } from "../schema/types.js";
import type { ColumnModel, TableModel } from "./model.js";

function atomOf(base: BaseType, v: unknown): unknown {
  const a = atom(v);
  switch (base.type) {
    case "integer":
    case "real":
      return typeof a === "number" ? a : 0;
    case "boolean":
      return typeof a === "boolean" ? a : false;
    case "string":
    case "uuid":
      return typeof a === "string" ? a : "";
  }
}

function columnValue(c: ColumnModel, v: unknown): unknown {
  const key = c.type.key;
  switch (c.kind) {
    case "scalar":
      return atomOf(key, v);
    case "optional": {
      const s = setOf(v);
      return s.length === 0 ? undefined : atomOf(key, s[0]);
    }
    case "set":
      return setOf(v).map((x) => atomOf(key, x));
    case "map": {
      const m = new Map<unknown, unknown>();
      const value = c.type.value as BaseType;
      if (Array.isArray(v) && v[0] === "map" && Array.isArray(v[1]))
        for (const pair of v[1] as unknown[][]) m.set(atomOf(key, pair[0]), atomOf(value, pair[1]));
      return m;
    }
  }
}

/** The typed row (model property names, `_uuid`) of one JSON row of table `t`. */
export function typedRowFromJson<R extends { readonly _uuid: string }>(
  t: TableModel,
  uuid: string,
  row: JsonRow,
): R {
  const o: Record<string, unknown> = { _uuid: uuid };
  for (const c of t.columns) o[c.prop] = columnValue(c, row[c.name]);
  return o as R;
}
