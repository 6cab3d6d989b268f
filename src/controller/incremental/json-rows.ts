// agent/sb-json.ts tablesAsJson with a memory: the IDL hands out the same typed row object for as long
// as a row is unchanged, so each row version is turned into RFC 7047 JSON once.  The JSON rows are
// then the same objects pass after pass too, which later stages can use to skip work.  Pure.
import type { DbModel, Tables } from "../../ovsdb/idl/model.js";
import { plainUuidJson, valueJson } from "../../ovsdb/idl/values.js";
import type { RowSource } from "../agent/sb-json.js";
import type { JsonRow, JsonTables } from "../lflow/sb.js";

export class JsonRowsCache<T extends Tables> {
  private readonly memo = new WeakMap<object, JsonRow>();
  /** Per table, the rows last seen (in order) and the record made of them. */
  private readonly last = new Map<string, { rows: readonly object[]; table: Record<string, JsonRow> }>();

  constructor(private readonly model: DbModel<T>) {}

  /**
   * The same as tablesAsJson(model, src, tables).  `changed` (from the IDL's change tracking: every
   * table with a row inserted, deleted or modified since the last call) lets the tables not in it be
   * handed back without looking at their rows; without it every table is looked at.
   */
  tables(src: RowSource, tables: readonly string[], changed?: ReadonlySet<string>): JsonTables {
    const out: Record<string, Record<string, JsonRow>> = {};
    for (const name of tables) {
      const t = this.model.tables.get(name);
      if (t === undefined) continue;
      const prev = this.last.get(name);
      if (prev !== undefined && changed !== undefined && !changed.has(name)) {
        out[name] = prev.table;
        continue;
      }
      const all = src.rows(name);
      // A table with no row changed is handed back as the same object (sbViewFromTables' memo keys on it).
      if (prev !== undefined && prev.rows.length === all.length && all.every((r, i) => r === prev.rows[i])) {
        out[name] = prev.table;
        continue;
      }
      const byUuid: Record<string, JsonRow> = {};
      for (const row of all) {
        let json = this.memo.get(row);
        if (json === undefined) {
          const r = row as unknown as Record<string, unknown>;
          const j: Record<string, unknown> = {};
          for (const c of t.columns) j[c.name] = valueJson(c, r[c.prop], plainUuidJson);
          json = j as JsonRow;
          this.memo.set(row, json);
        }
        byUuid[row._uuid] = json;
      }
      out[name] = byUuid;
      this.last.set(name, { rows: all, table: byUuid });
    }
    return out;
  }
}
