// Change tracking: what one update batch (or several, merged) did to the replica, per table — inserted
// rows, deleted rows (their last version) and modified rows with the columns that changed. This is the
// input of northd's and the controller's incremental processing. Built from (old, new) row versions, so
// a row changed and changed back between two looks at the changes does not show up at all.
import type { ColumnOf, DbModel, TableModel, TableName, Tables } from "./model.js";
import { type Batch, type RowDelta, type RowRecord, recordDelta } from "./replica.js";
import { sameValue } from "./values.js";

export interface RowModification<R> {
  readonly old: R;
  readonly new: R;
  /** The columns (typed-row properties) whose values differ. */
  readonly columns: ReadonlySet<ColumnOf<R>>;
}

export interface TableChanges<R> {
  readonly inserted: readonly R[];
  /** The rows as they were before deletion. */
  readonly deleted: readonly R[];
  readonly modified: readonly RowModification<R>[];
}

const NO_CHANGES: TableChanges<never> = Object.freeze({
  inserted: Object.freeze([]),
  deleted: Object.freeze([]),
  modified: Object.freeze([]),
});

/** The columns whose values differ between the two versions of a modified row. */
function changedColumns(t: TableModel, old: RowRecord, now: RowRecord): Set<string> {
  const out = new Set<string>();
  for (const c of t.columns) if (!sameValue(c, old.value(c), now.value(c))) out.add(c.prop);
  return out;
}

/** The changes of one or more update batches, as typed rows (made on first access). */
export class Changes<T extends Tables> {
  private readonly cache = new Map<string, TableChanges<unknown>>();

  /**
   * `resync` is true when the batch came from a full reload of the replica (a new connection that could
   * not resume): the changes are still exact, but a consumer may prefer to recompute from scratch.
   */
  constructor(
    private readonly model: DbModel<T>,
    private readonly batch: Batch,
    readonly resync: boolean,
  ) {}

  get isEmpty(): boolean {
    return this.batch.size === 0;
  }

  /** Names of the tables with at least one change. */
  tables(): TableName<T>[] {
    return [...this.batch.keys()] as TableName<T>[];
  }

  has(table: TableName<T>): boolean {
    return this.batch.has(table);
  }

  /** The table's changes (all lists empty when it has none). */
  table<K extends TableName<T>>(table: K): TableChanges<T[K]> {
    const hit = this.cache.get(table);
    if (hit !== undefined) return hit as TableChanges<T[K]>;
    const rows = this.batch.get(table);
    const t = this.model.tables.get(table);
    if (rows === undefined || t === undefined) return NO_CHANGES as unknown as TableChanges<T[K]>;
    const inserted: unknown[] = [];
    const deleted: unknown[] = [];
    const modified: RowModification<unknown>[] = [];
    for (const d of rows.values()) {
      if (d.old === undefined) {
        if (d.new !== undefined) inserted.push(d.new.typed(t));
      } else if (d.new === undefined) deleted.push(d.old.typed(t));
      else {
        const columns = changedColumns(t, d.old, d.new);
        if (columns.size > 0)
          modified.push({
            old: d.old.typed(t),
            new: d.new.typed(t),
            columns: columns as ReadonlySet<unknown> as ReadonlySet<never>,
          });
      }
    }
    const out = { inserted, deleted, modified };
    this.cache.set(table, out);
    return out as TableChanges<T[K]>;
  }

  /** Number of changed rows over all tables. */
  get size(): number {
    let n = 0;
    for (const rows of this.batch.values()) n += rows.size;
    return n;
  }
}

/**
 * Collects update batches between two looks, for a consumer that runs at its own pace (an incremental
 * engine's main loop): take() returns everything since the previous take().
 */
export class ChangeAccumulator<T extends Tables> {
  private batch: Batch = new Map();
  private resync = false;

  constructor(private readonly model: DbModel<T>) {}

  add(batch: Batch, resync: boolean): void {
    this.resync ||= resync;
    for (const [table, rows] of batch) for (const [uuid, d] of rows) recordDelta(this.batch, table, uuid, d);
  }

  get pending(): boolean {
    return this.batch.size > 0 || this.resync;
  }

  take(): Changes<T> {
    for (const [table, rows] of this.batch) {
      const t = this.model.tables.get(table);
      for (const [uuid, d] of rows) if (t !== undefined && !deltaChangesSomething(t, d)) rows.delete(uuid);
      if (rows.size === 0) this.batch.delete(table);
    }
    const out = new Changes(this.model, this.batch, this.resync);
    this.batch = new Map();
    this.resync = false;
    return out;
  }
}

/** Whether the delta changes at least one column (a merged delta may have come back to where it was). */
export function deltaChangesSomething(t: TableModel, d: RowDelta): boolean {
  if (d.old === undefined || d.new === undefined) return d.old !== d.new;
  for (const c of t.columns) if (!sameValue(c, d.old.value(c), d.new.value(c))) return true;
  return false;
}
