// Typed IDL rows back to RFC 7047 JSON rows, the form the flow compiler's view (lflow/sb.ts
// sbViewFromTables) is built from.  Pure.

import type { DbModel, Tables } from "../../ovsdb/idl/model.js";
import { plainUuidJson, valueJson } from "../../ovsdb/idl/values.js";
import type { JsonTables } from "../lflow/sb.js";

/** Something that lists typed rows by table name (an Idl). */
export interface RowSource {
  rows(table: string): readonly { readonly _uuid: string }[];
}

/** Every row of `tables` (default: every table of the model) as JSON, keyed by table then row UUID. */
export function tablesAsJson<T extends Tables>(
  model: DbModel<T>,
  src: RowSource,
  tables: readonly string[] = [...model.tables.keys()],
): JsonTables {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const name of tables) {
    const t = model.tables.get(name);
    if (t === undefined) continue;
    const byUuid: Record<string, Record<string, unknown>> = {};
    for (const row of src.rows(name)) {
      const r = row as unknown as Record<string, unknown>;
      const json: Record<string, unknown> = {};
      for (const c of t.columns) json[c.name] = valueJson(c, r[c.prop], plainUuidJson);
      byUuid[row._uuid] = json;
    }
    out[name] = byUuid;
  }
  return out;
}
