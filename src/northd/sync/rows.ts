// Generic "make the SB table look like this" for the tables northd owns: desired rows keyed by a
// natural key (a port name, a datapath's NB uuid ...) against the replica's rows under the same key.
// Only differences are written: inserts, updates of the columns that differ, deletes. Columns not in
// the desired row are left alone (ovn-controller owns some columns of the same rows).
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, TableName } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { SbRows } from "../model.js";

type Sb = OvnSbTables;

/** Deep equality of typed column values; sets compare as sets, maps as maps. */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valueEquals(v, b.get(k))) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const sa = [...a].map(String).sort();
    const sb = [...b].map(String).sort();
    return sa.every((x, i) => x === sb[i]);
  }
  return false;
}

export interface TableSyncResult {
  /** SB uuid (or the transaction's placeholder) by key. */
  readonly uuids: Map<string, string>;
  inserted: number;
  updated: number;
  deleted: number;
}

/**
 * Writes into `txn` what it takes for `table` to hold exactly `desired` among the rows `inScope`
 * selects (default: all). `insertOnly` columns are written on insert and never compared afterwards.
 */
export function syncTable<K extends TableName<Sb>>(
  txn: Txn<Sb>,
  sb: SbRows,
  table: K,
  keyOf: (row: Sb[K]) => string | undefined,
  desired: ReadonlyMap<string, RowInput<Sb[K]>>,
  opts: {
    inScope?: (row: Sb[K]) => boolean;
    insertOnly?: RowInput<Sb[K]>;
    /** Columns written whenever the row's value is empty (insert included), never compared otherwise. */
    fillEmpty?: RowInput<Sb[K]>;
    /** The existing rows to consider (default: the whole table), for scoped syncs. */
    candidates?: Iterable<Sb[K]>;
  } = {},
): TableSyncResult {
  const res: TableSyncResult = { uuids: new Map(), inserted: 0, updated: 0, deleted: 0 };
  for (const row of opts.candidates ?? sb.rows(table)) {
    if (opts.inScope !== undefined && !opts.inScope(row)) continue;
    const key = keyOf(row);
    const want = key === undefined ? undefined : desired.get(key);
    if (key === undefined || want === undefined || res.uuids.has(key)) {
      txn.delete(table, row._uuid);
      res.deleted++;
      continue;
    }
    res.uuids.set(key, row._uuid);
    const diff: Record<string, unknown> = {};
    let n = 0;
    for (const [col, v] of Object.entries(want)) {
      if (!valueEquals((row as unknown as Record<string, unknown>)[col], v)) {
        diff[col] = v;
        n++;
      }
    }
    for (const [col, v] of Object.entries(opts.fillEmpty ?? {}))
      if ((row as unknown as Record<string, unknown>)[col] === undefined) {
        diff[col] = v;
        n++;
      }
    if (n > 0) {
      txn.update(table, row._uuid, diff as RowInput<Sb[K]>);
      res.updated++;
    }
  }
  for (const [key, want] of desired) {
    if (res.uuids.has(key)) continue;
    res.uuids.set(key, txn.insert(table, { ...opts.insertOnly, ...opts.fillEmpty, ...want }));
    res.inserted++;
  }
  return res;
}
