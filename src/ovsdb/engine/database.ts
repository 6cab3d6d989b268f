// The committed state of one database: its tables, their rows, reference counts and unique indexes.
// Only engine/commit.ts changes it, by applying a checked transaction.
import { type Datum, datumKey } from "../data/datum.js";
import type { ColumnSchema, DatabaseSchema, TableSchema } from "../schema/types.js";
import { defaultsOf, type Row } from "./row.js";

/** A column holding references, with where they point. */
export interface RefColumn {
  readonly column: ColumnSchema;
  readonly keyRef?: { readonly table: string; readonly strong: boolean };
  readonly valueRef?: { readonly table: string; readonly strong: boolean };
}

export class DbTable {
  readonly rows = new Map<string, Row>();
  /** Incoming strong references per row uuid (absent = 0). */
  readonly strongRefs = new Map<string, number>();
  /** Incoming weak references: target uuid → (source "table uuid" → count). */
  readonly weakIn = new Map<string, Map<string, number>>();
  /** One map per schema index: index key → row uuid. */
  readonly indexes: Map<string, string>[];
  readonly refColumns: readonly RefColumn[];
  /** Whether any column of this table holds weak references. */
  readonly hasWeak: boolean;
  // Per-table facts read by every insert and every log record, held here rather than looked up in a
  // WeakMap keyed by the schema each time (a hash lookup that misses the cache between requests).
  /** Every user column's default, shared (row.ts defaultsOf): a new row starts as a copy. */
  readonly defaults: readonly Datum[];
  /** User columns written to the database file (the non-ephemeral ones). */
  readonly persistentColumns: readonly ColumnSchema[];
  /**
   * Columns whose default breaks the column's own constraints, with the error an insert leaving them so
   * gets: worked out by execute.ts on the first insert.
   */
  badDefaults: readonly { readonly index: number; readonly error: Error }[] | undefined = undefined;

  /** Per index: the column index when it is one scalar string column (see indexKey). */
  private readonly rawKeyColumn: (number | undefined)[];

  constructor(readonly schema: TableSchema) {
    this.indexes = schema.indexes.map(() => new Map());
    this.rawKeyColumn = schema.indexes.map((cols) => {
      const c = cols.length === 1 ? cols[0] : undefined;
      const t = c?.type;
      return t !== undefined && t.min === 1 && t.max === 1 && t.value === undefined && t.key.type === "string"
        ? c?.index
        : undefined;
    });
    const refs: RefColumn[] = [];
    for (const c of schema.userColumns) {
      const k = c.type.key.refTable;
      const v = c.type.value?.refTable;
      if (k === undefined && v === undefined) continue;
      refs.push({
        column: c,
        ...(k !== undefined ? { keyRef: { table: k, strong: c.type.key.refType === "strong" } } : {}),
        ...(v !== undefined && c.type.value !== undefined
          ? { valueRef: { table: v, strong: c.type.value.refType === "strong" } }
          : {}),
      });
    }
    this.refColumns = refs;
    this.hasWeak = refs.some((r) => r.keyRef?.strong === false || r.valueRef?.strong === false);
    this.defaults = defaultsOf(schema);
    this.persistentColumns = schema.userColumns.filter((c) => !c.ephemeral);
  }

  get name(): string {
    return this.schema.name;
  }

  indexKey(i: number, cols: readonly Datum[]): string {
    const idx = this.schema.indexes[i] ?? [];
    const raw = this.rawKeyColumn[i];
    // An index on one string column that always holds exactly one value: the value is its own key (every
    // key of that index is such a string, so none can collide), and no key string is built per row.
    if (raw !== undefined) return (cols[raw] as Datum).keys[0] as string;
    if (idx.length === 1) return datumKey(cols[(idx[0] as ColumnSchema).index] as Datum);
    return idx.map((c) => datumKey(cols[c.index] as Datum)).join("\u0000");
  }
}

export class Database {
  readonly tables = new Map<string, DbTable>();
  /** Rows in all tables, for memory accounting and stats. */
  constructor(readonly schema: DatabaseSchema) {
    for (const t of schema.tables.values()) this.tables.set(t.name, new DbTable(t));
  }

  table(name: string): DbTable | undefined {
    return this.tables.get(name);
  }

  rowCount(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.rows.size;
    return n;
  }
}

/** Calls fn(targetTable, targetUuid, strong) for every reference held in cols. */
export function forEachRef(
  t: DbTable,
  cols: readonly Datum[],
  fn: (table: string, uuid: string, strong: boolean) => void,
): void {
  // Indexed loops: this runs for every changed row of every commit, and for-of allocates iterators.
  const rcs = t.refColumns;
  for (let r = 0; r < rcs.length; r++) {
    const rc = rcs[r] as RefColumn;
    const d = cols[rc.column.index] as Datum;
    const k = rc.keyRef;
    if (k !== undefined) for (let i = 0; i < d.keys.length; i++) fn(k.table, d.keys[i] as string, k.strong);
    const v = rc.valueRef;
    const values = d.values;
    if (v !== undefined && values !== undefined)
      for (let i = 0; i < values.length; i++) fn(v.table, values[i] as string, v.strong);
  }
}
