// A transaction's working copy over the committed database: rows it inserted, modified or deleted.
// Reads see the transaction's own changes. Nothing touches the committed state until commit.ts applies
// a transaction that passed its integrity checks.
import type { Datum } from "../data/datum.js";
import type { Database, DbTable } from "./database.js";
import type { Row } from "./row.js";

export interface Change {
  readonly table: DbTable;
  readonly uuid: string;
  /** The committed version, or null when this transaction inserted the row. */
  readonly old: Row | null;
  /** The new column values, or null when the row is deleted. Owned by the transaction (mutable). */
  cols: Datum[] | null;
  /**
   * The committed new version, set by commit.ts when the transaction commits (null until then, and for
   * a deleted row): a Change is then the commit's RowDelta, and `changes` the commit's tables.
   */
  new: Row | null;
}

const NO_UUIDS: ReadonlySet<string> = new Set();

export class Txn {
  /** table name → (uuid → change), in first-touch order. */
  readonly changes = new Map<string, Map<string, Change>>();
  /** Made on the first delete: most transactions delete nothing. */
  private deletedSet: Set<string> | undefined;
  comment: string[] = [];
  durable = false;

  constructor(readonly db: Database) {}

  /** uuids deleted by this transaction (any table): an insert may not reuse them. */
  get deleted(): ReadonlySet<string> {
    return this.deletedSet ?? NO_UUIDS;
  }

  private tableChanges(t: DbTable): Map<string, Change> {
    let m = this.changes.get(t.name);
    if (m === undefined) {
      m = new Map();
      this.changes.set(t.name, m);
    }
    return m;
  }

  change(t: DbTable, uuid: string): Change | undefined {
    return this.changes.get(t.name)?.get(uuid);
  }

  /** The row's current columns in this transaction, or null if absent. */
  get(t: DbTable, uuid: string): readonly Datum[] | null {
    const c = this.changes.get(t.name)?.get(uuid);
    if (c !== undefined) return c.cols;
    return t.rows.get(uuid)?.cols ?? null;
  }

  exists(t: DbTable, uuid: string): boolean {
    return this.get(t, uuid) !== null;
  }

  insert(t: DbTable, uuid: string, cols: Datum[]): void {
    this.tableChanges(t).set(uuid, { table: t, uuid, old: null, cols, new: null });
  }

  /** Columns of the row made writable in this transaction (copy on first write). */
  modify(t: DbTable, uuid: string): Datum[] {
    const m = this.tableChanges(t);
    const c = m.get(uuid);
    if (c !== undefined) {
      if (c.cols === null) throw new Error(`modify of deleted row ${uuid}`);
      return c.cols;
    }
    const old = t.rows.get(uuid);
    if (old === undefined) throw new Error(`modify of missing row ${uuid}`);
    const cols = old.cols.slice();
    m.set(uuid, { table: t, uuid, old, cols, new: null });
    return cols;
  }

  delete(t: DbTable, uuid: string): void {
    const m = this.tableChanges(t);
    const c = m.get(uuid);
    this.deletedSet ??= new Set();
    this.deletedSet.add(uuid);
    if (c !== undefined) {
      if (c.old === null) m.delete(uuid);
      else c.cols = null;
      return;
    }
    const old = t.rows.get(uuid);
    if (old === undefined) throw new Error(`delete of missing row ${uuid}`);
    m.set(uuid, { table: t, uuid, old, cols: null, new: null });
  }

  /** Every live row of the table as seen by this transaction. */
  *scan(t: DbTable): Generator<Row> {
    const m = this.changes.get(t.name);
    if (m === undefined || m.size === 0) {
      yield* t.rows.values();
      return;
    }
    for (const r of t.rows.values()) if (!m.has(r.uuid)) yield r;
    for (const c of m.values())
      if (c.cols !== null) yield { uuid: c.uuid, version: c.old?.version ?? c.uuid, cols: c.cols };
  }

  /** The row as a Row value (for condition evaluation and select output). */
  row(t: DbTable, uuid: string): Row | null {
    const c = this.changes.get(t.name)?.get(uuid);
    if (c !== undefined)
      return c.cols === null ? null : { uuid, version: c.old?.version ?? uuid, cols: c.cols };
    return t.rows.get(uuid) ?? null;
  }

  isEmpty(): boolean {
    for (const m of this.changes.values()) if (m.size > 0) return false;
    return true;
  }
}
