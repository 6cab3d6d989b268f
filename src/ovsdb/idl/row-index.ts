// Secondary indexes over the replica (e.g. Logical_Switch_Port by name, Port_Binding by chassis), kept up
// to date from each update batch rather than rebuilt. A row may have several keys (one per element of a
// set column) or none (an empty optional column).
import type { TableModel } from "./model.js";
import type { RowDelta, RowRecord } from "./replica.js";

/** What an index maintained by the IDL exposes to its users. */
export interface RowIndex<R, K> {
  /** The rows with this key, in the order they entered the index. */
  get(key: K): readonly R[];
  /** One row with this key (the first), for keys expected to be unique. */
  first(key: K): R | undefined;
  has(key: K): boolean;
  keys(): IterableIterator<K>;
  /** Number of distinct keys. */
  readonly size: number;
}

export class MaintainedIndex<R, K> implements RowIndex<R, K> {
  private readonly map = new Map<K, Map<string, RowRecord>>();

  constructor(
    readonly table: TableModel,
    private readonly keysOf: (row: R) => Iterable<K>,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): readonly R[] {
    const rows = this.map.get(key);
    if (rows === undefined) return [];
    const out: R[] = [];
    for (const r of rows.values()) out.push(r.typed(this.table) as R);
    return out;
  }

  first(key: K): R | undefined {
    const rows = this.map.get(key);
    if (rows === undefined) return undefined;
    for (const r of rows.values()) return r.typed(this.table) as R;
    return undefined;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  /** Adds every row of the table (the index is created on a replica that already has rows). */
  fill(rows: Iterable<RowRecord>): void {
    for (const r of rows) this.add(r);
  }

  /** Follows one row's change. */
  update(d: RowDelta): void {
    if (d.old !== undefined) this.remove(d.old);
    if (d.new !== undefined) this.add(d.new);
  }

  private add(r: RowRecord): void {
    for (const k of this.keysOf(r.typed(this.table) as R)) {
      let rows = this.map.get(k);
      if (rows === undefined) {
        rows = new Map();
        this.map.set(k, rows);
      }
      rows.set(r.uuid, r);
    }
  }

  private remove(r: RowRecord): void {
    for (const k of this.keysOf(r.typed(this.table) as R)) {
      const rows = this.map.get(k);
      if (rows === undefined) continue;
      rows.delete(r.uuid);
      if (rows.size === 0) this.map.delete(k);
    }
  }
}

/** The keys of a column value: set elements, map keys, nothing for an empty optional, else the value. */
export function columnKeys(v: unknown): Iterable<unknown> {
  if (v === undefined) return [];
  if (v instanceof Map) return v.keys();
  if (Array.isArray(v)) return v;
  return [v];
}
