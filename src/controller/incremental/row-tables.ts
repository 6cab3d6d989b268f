// The IDL's typed rows of some tables, keyed by table then row UUID (lflow/sb.ts SbRowTables), for
// sbViewFromRows.  No copy of a row is made: the IDL hands out the same typed row object for as long
// as a row is unchanged, and a table none of whose rows changed is handed back as the same object,
// which is what sbViewFromRows' memo keys on.  Pure.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { SbRowTables } from "../lflow/sb.js";

/** Something that lists typed rows by table name (an Idl). */
export interface RowSource {
  rows(table: string): readonly { readonly _uuid: string }[];
}

export class RowTablesCache {
  /** Per table, the rows last seen (in order) and the record made of them. */
  private readonly last = new Map<string, { rows: readonly object[]; table: Record<string, object> }>();

  /**
   * `tables` of `src` by row UUID.  `changed` (from the IDL's change tracking: every table with a row
   * inserted, deleted or modified since the last call) lets the tables not in it be handed back without
   * looking at their rows; without it every table is looked at.
   */
  tables(src: RowSource, tables: readonly (keyof OvnSbTables)[], changed?: ReadonlySet<string>): SbRowTables {
    const out: Record<string, Record<string, object>> = {};
    for (const name of tables) {
      const prev = this.last.get(name);
      if (prev !== undefined && changed !== undefined && !changed.has(name)) {
        out[name] = prev.table;
        continue;
      }
      const all = src.rows(name);
      if (prev !== undefined && prev.rows.length === all.length && all.every((r, i) => r === prev.rows[i])) {
        out[name] = prev.table;
        continue;
      }
      const byUuid: Record<string, object> = {};
      for (const row of all) byUuid[row._uuid] = row;
      out[name] = byUuid;
      this.last.set(name, { rows: all, table: byUuid });
    }
    return out as SbRowTables;
  }
}
