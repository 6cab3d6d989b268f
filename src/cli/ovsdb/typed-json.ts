// Engine output (plain JSON, where a real and an integer are both numbers) to OVS JSON, using the
// schema: values of real columns become OReal, so they print as the C tools print reals ("1e+17", not
// "100000000000000000").
import type { ColumnType, TableSchema } from "../../ovsdb/schema/types.js";
import { isObject, type OJson, type OJsonObject, OReal } from "./ovs-json.js";

/** A row (column name → value) with real values marked; unknown members pass through. */
export function typedRow(t: TableSchema, row: OJson): OJson {
  if (!isObject(row)) return row;
  const out: OJsonObject = {};
  for (const [k, v] of Object.entries(row)) {
    const c = t.columns.get(k);
    out[k] = c === undefined ? v : typedValue(v, c.type);
  }
  return out;
}

export function typedValue(v: OJson, t: ColumnType): OJson {
  const kr = t.key.type === "real";
  const vr = t.value?.type === "real";
  if (!kr && !vr) return v;
  const atom = (a: OJson, real: boolean): OJson => (real && typeof a === "number" ? new OReal(a) : a);
  if (Array.isArray(v) && v[0] === "map" && Array.isArray(v[1]))
    return [
      "map",
      v[1].map((p) => (Array.isArray(p) ? [atom(p[0] as OJson, kr), atom(p[1] as OJson, vr)] : p)),
    ];
  if (Array.isArray(v) && v[0] === "set" && Array.isArray(v[1])) return ["set", v[1].map((a) => atom(a, kr))];
  return atom(v, kr);
}
