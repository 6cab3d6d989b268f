// Commit of a transaction (RFC 7047 §4.1.3 "commit", ovsdb(7)): reference counting, garbage collection
// of unreferenced rows in non-root tables, removal of weak references to deleted rows, and the checks
// that make a transaction fail as a whole (referential integrity, set sizes, maxRows, unique indexes).
// Only when every check passes is the committed state changed, in one step.
import { type Datum, datumText } from "../data/datum.js";
import { OvsdbError } from "../error.js";
import type { Atom } from "../schema/types.js";
import { type Database, type DbTable, forEachRef, type RefColumn } from "./database.js";
import { type Row, StoredRow } from "./row.js";
import type { Change, Txn } from "./txn.js";

export interface RowDelta {
  readonly old: Row | null;
  readonly new: Row | null;
}

/** A committed transaction: what storage writes, monitors send and the history keeps. */
export interface Commit {
  /** Transaction id (monitor_cond_since <last-txn-id>). */
  readonly id: string;
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, RowDelta>>;
  readonly comment: string | undefined;
  readonly durable: boolean;
}

/**
 * Pending changes to strong reference counts: target table → (row uuid → delta). Keyed by table object
 * and uuid, so no "table+uuid" key strings are built per reference.
 */
class RefDeltas {
  /** Made on the first reference counted: most single-row transactions change no reference. */
  byTable: Map<DbTable, Map<string, number>> | undefined;

  constructor(private readonly db: Database) {}

  /** Adds `d` to the count of row `uuid` of table `table`; returns that table. */
  add(table: string, uuid: string, d: number): DbTable {
    const t = this.db.tables.get(table) as DbTable;
    this.byTable ??= new Map();
    let m = this.byTable.get(t);
    if (m === undefined) {
      m = new Map();
      this.byTable.set(t, m);
    }
    m.set(uuid, (m.get(uuid) ?? 0) + d);
    return t;
  }

  /** The row's reference count once the transaction is applied. */
  final(t: DbTable, uuid: string): number {
    return (t.strongRefs.get(uuid) ?? 0) + (this.byTable?.get(t)?.get(uuid) ?? 0);
  }
}

/**
 * Strong reference count deltas of one change: -1 for every reference its old columns held, +1 for every
 * one its new columns hold. A column whose datum the transaction did not replace (the same object in
 * both) adds nothing: its -1s and +1s would cancel.
 */
function refDeltas(c: Change, deltas: RefDeltas): void {
  const rcs = c.table.refColumns;
  const oldCols = c.old === null ? null : c.old.cols;
  const newCols = c.cols;
  for (let r = 0; r < rcs.length; r++) {
    const rc = rcs[r] as RefColumn;
    const i = rc.column.index;
    const o = oldCols === null ? undefined : (oldCols[i] as Datum);
    const n = newCols === null ? undefined : (newCols[i] as Datum);
    if (o === n) continue;
    if (o !== undefined) strongRefsOf(rc, o, deltas, -1);
    if (n !== undefined) strongRefsOf(rc, n, deltas, +1);
  }
}

function strongRefsOf(rc: RefColumn, d: Datum, deltas: RefDeltas, sign: number): void {
  const k = rc.keyRef;
  if (k?.strong) {
    const keys = d.keys;
    for (let i = 0; i < keys.length; i++) deltas.add(k.table, keys[i] as string, sign);
  }
  const v = rc.valueRef;
  const values = d.values;
  if (v?.strong && values !== undefined)
    for (let i = 0; i < values.length; i++) deltas.add(v.table, values[i] as string, sign);
}

/** Throws unless every atom of a strong reference column points at a row that exists after the txn. */
function checkTargets(
  txn: Txn,
  c: Change,
  rc: RefColumn,
  ref: { readonly table: string; readonly strong: boolean } | undefined,
  atoms: readonly Atom[] | undefined,
): void {
  if (ref === undefined || !ref.strong || atoms === undefined || atoms.length === 0) return;
  const tt = txn.db.tables.get(ref.table) as DbTable;
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i] as Atom;
    if (!txn.exists(tt, a as string))
      throw new OvsdbError(
        "referential integrity violation",
        `Table ${c.table.name} column ${rc.column.name} row ${c.uuid} references nonexistent row ${a} in table ${ref.table}.`,
      );
  }
}

/** Removes from a change's new columns every weak reference to a row that does not exist. */
function dropDanglingWeak(txn: Txn, c: Change): void {
  const cols = c.cols;
  if (cols === null || !c.table.hasWeak) return;
  for (const rc of c.table.refColumns) {
    const kWeak = rc.keyRef !== undefined && !rc.keyRef.strong ? rc.keyRef.table : undefined;
    const vWeak = rc.valueRef !== undefined && !rc.valueRef.strong ? rc.valueRef.table : undefined;
    if (kWeak === undefined && vWeak === undefined) continue;
    const i = rc.column.index;
    const d = cols[i] as Datum;
    const alive = (table: string | undefined, a: Atom): boolean =>
      table === undefined || txn.exists(txn.db.tables.get(table) as DbTable, a as string);
    let keep: number[] | null = null;
    for (let k = 0; k < d.keys.length; k++) {
      const ok =
        alive(kWeak, d.keys[k] as Atom) && (d.values === undefined || alive(vWeak, d.values[k] as Atom));
      if (!ok && keep === null) keep = Array.from({ length: k }, (_, x) => x);
      else if (ok && keep !== null) keep.push(k);
    }
    if (keep === null) continue;
    const keys = keep.map((k) => d.keys[k] as Atom);
    const values =
      d.values === undefined ? undefined : keep.map((k) => (d.values as readonly Atom[])[k] as Atom);
    cols[i] = values === undefined ? { keys } : { keys, values };
    const type = rc.column.type;
    if (keys.length < type.min)
      throw new OvsdbError(
        "constraint violation",
        `Deletion of ${d.keys.length - keys.length} weak reference(s) to deleted (or never-existing) rows from column "${rc.column.name}" in "${c.table.name}" row ${c.uuid} caused this column to become empty, but constraints on this column disallow an empty column.`,
      );
  }
}

/**
 * Checks the transaction and, when it passes, hands the commit to `persist` (which may throw to refuse
 * it, e.g. on an I/O error) and then applies it to the database.
 * Returns the commit, or null when the transaction changed nothing. Throws OvsdbError otherwise.
 */
export function commitTxn(txn: Txn, persist?: (c: Commit) => void): Commit | null {
  const db = txn.db;
  const deltas = new RefDeltas(db);
  for (const m of txn.changes.values()) for (const c of m.values()) refDeltas(c, deltas);

  // Garbage collection: rows of non-root tables left without strong references, cascading.
  let candidates: Array<[DbTable, string]> = [];
  for (const m of txn.changes.values())
    for (const c of m.values())
      if (!c.table.schema.isRoot && c.cols !== null) candidates.push([c.table, c.uuid]);
  if (deltas.byTable !== undefined)
    for (const [t, m] of deltas.byTable) {
      if (t.schema.isRoot) continue;
      for (const [uuid, d] of m) if (d < 0) candidates.push([t, uuid]);
    }
  while (candidates.length > 0) {
    const next: Array<[DbTable, string]> = [];
    for (const [t, uuid] of candidates) {
      if (!txn.exists(t, uuid)) continue;
      if (deltas.final(t, uuid) > 0) continue;
      const before = txn.get(t, uuid);
      txn.delete(t, uuid);
      if (before !== null)
        forEachRef(t, before, (table, target, strong) => {
          if (!strong) return;
          const tt = deltas.add(table, target, -1);
          if (!tt.schema.isRoot) next.push([tt, target]);
        });
    }
    candidates = next;
  }

  // Deleted rows must not be referenced any more; strong references must point at rows that exist.
  for (const m of txn.changes.values())
    for (const c of m.values()) {
      if (c.cols === null) {
        const n = deltas.final(c.table, c.uuid);
        if (n > 0)
          throw new OvsdbError(
            "referential integrity violation",
            `cannot delete ${c.table.name} row ${c.uuid} because of ${n} remaining reference(s)`,
          );
        continue;
      }
      const rcs = c.table.refColumns;
      for (let r = 0; r < rcs.length; r++) {
        const rc = rcs[r] as RefColumn;
        const d = c.cols[rc.column.index] as Datum;
        checkTargets(txn, c, rc, rc.keyRef, d.keys);
        checkTargets(txn, c, rc, rc.valueRef, d.values);
      }
    }

  // Weak references: drop those to rows that no longer exist, in changed rows and in committed rows
  // that pointed at rows this transaction deleted.
  const touched: Array<[DbTable, string]> = [];
  for (const m of txn.changes.values())
    for (const c of m.values()) {
      if (c.cols !== null) continue;
      const sources = c.table.weakIn.get(c.uuid);
      if (sources === undefined) continue;
      for (const src of sources.keys()) {
        const sp = src.indexOf(" ");
        touched.push([db.tables.get(src.slice(0, sp)) as DbTable, src.slice(sp + 1)]);
      }
    }
  for (const [t, uuid] of touched) if (txn.exists(t, uuid)) txn.modify(t, uuid);
  for (const m of txn.changes.values()) for (const c of m.values()) dropDanglingWeak(txn, c);

  // maxRows and unique indexes.
  for (const [name, m] of txn.changes) {
    if (m.size === 0) continue;
    const t = db.tables.get(name) as DbTable;
    if (t.schema.maxRows !== Infinity) {
      let n = t.rows.size;
      for (const c of m.values()) n += (c.old === null ? 1 : 0) - (c.cols === null ? 1 : 0);
      if (n > t.schema.maxRows)
        throw new OvsdbError(
          "constraint violation",
          `transaction causes "${name}" table to contain ${n} rows, greater than the schema-defined limit of ${t.schema.maxRows} row(s)`,
        );
    }
    for (let i = 0; i < t.indexes.length; i++) checkIndex(txn, t, m, i);
  }

  // Drop changes that change nothing (a modify back to the same values).
  let any = false;
  for (const m of txn.changes.values())
    for (const [uuid, c] of m) {
      if (c.old !== null && c.cols !== null && sameCols(c.old.cols, c.cols)) m.delete(uuid);
      else any = true;
    }
  if (!any) return null;
  return apply(txn, deltas, persist);
}

function sameCols(a: readonly Datum[], b: readonly Datum[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Datum;
    const y = b[i] as Datum;
    if (x === y) continue;
    if (x.keys.length !== y.keys.length) return false;
    for (let k = 0; k < x.keys.length; k++) if (x.keys[k] !== y.keys[k]) return false;
    if (x.values !== undefined && y.values !== undefined)
      for (let k = 0; k < x.values.length; k++) if (x.values[k] !== y.values[k]) return false;
  }
  return true;
}

function checkIndex(_txn: Txn, t: DbTable, m: Map<string, Change>, i: number): void {
  const seen = new Map<string, string>();
  const idxCols = t.schema.indexes[i] ?? [];
  const cols = idxCols.map((c) => c.name);
  const values = (row: readonly Datum[]) =>
    idxCols.map((c) => datumText(row[c.index] as Datum, c.type)).join(", ");
  for (const c of m.values()) {
    if (c.cols === null) continue;
    const key = t.indexKey(i, c.cols);
    const other = seen.get(key);
    const dup = (first: string) => {
      const desc = (u: string) => {
        const ch = m.get(u);
        if (ch === undefined)
          return "existed in the database before this transaction and was not modified by the transaction";
        return ch.old === null ? "was inserted by this transaction" : "was modified by this transaction";
      };
      return new OvsdbError(
        "constraint violation",
        `Transaction causes multiple rows in "${t.name}" table to have identical values (${values(c.cols as Datum[])}) for index on column${cols.length > 1 ? "s" : ""} ${cols.map((n) => `"${n}"`).join(", ")}.  First row, with UUID ${first}, ${desc(first)}.  Second row, with UUID ${c.uuid}, ${desc(c.uuid)}.`,
      );
    };
    if (other !== undefined) throw dup(other);
    seen.set(key, c.uuid);
    const owner = t.indexes[i]?.get(key);
    if (owner !== undefined && owner !== c.uuid && !m.has(owner)) throw dup(owner);
  }
}

// Transaction ids only need to be unique (clients hand them back in monitor_cond_since): this process's
// random prefix and a counter, as row versions (row.ts), instead of a random uuid per commit.
const TXN_ID_PREFIX = globalThis.crypto.randomUUID().slice(0, 24);
let txnSeq = 0;

function nextTxnId(): string {
  txnSeq += 1;
  return TXN_ID_PREFIX + txnSeq.toString(16).padStart(12, "0");
}

function apply(txn: Txn, deltas: RefDeltas, persist: ((c: Commit) => void) | undefined): Commit {
  const db = txn.db;
  // Build the commit first, so storage can refuse it before anything in memory changes. The
  // transaction's own maps of changes become the commit's tables (each Change its RowDelta): no second
  // pair of maps and no delta object per row. The transaction is finished with once committed.
  const tables = txn.changes;
  for (const [name, m] of tables) {
    if (m.size === 0) {
      tables.delete(name);
      continue;
    }
    for (const c of m.values()) c.new = c.cols === null ? null : new StoredRow(c.uuid, c.cols);
  }
  const commit: Commit = {
    id: nextTxnId(),
    tables,
    comment: txn.comment.length > 0 ? txn.comment.join("\n") : undefined,
    durable: txn.durable,
  };
  persist?.(commit);

  for (const [name, out] of tables) {
    const t = db.tables.get(name) as DbTable;
    // Index entries of old versions go first, so a row taking over another's key is not lost.
    if (t.indexes.length > 0)
      for (const d of out.values())
        if (d.old !== null)
          for (let i = 0; i < t.indexes.length; i++) {
            const idx = t.indexes[i] as Map<string, string>;
            const k = t.indexKey(i, d.old.cols);
            if (idx.get(k) === d.old.uuid) idx.delete(k);
          }
    for (const [uuid, d] of out) {
      if (t.hasWeak) {
        if (d.old !== null) updateWeak(db, t, uuid, d.old.cols, -1);
        if (d.new !== null) updateWeak(db, t, uuid, d.new.cols, +1);
      }
      if (d.new !== null) {
        t.rows.set(uuid, d.new);
        for (let i = 0; i < t.indexes.length; i++)
          (t.indexes[i] as Map<string, string>).set(t.indexKey(i, d.new.cols), uuid);
      } else {
        t.rows.delete(uuid);
        t.strongRefs.delete(uuid);
        t.weakIn.delete(uuid);
      }
    }
  }
  if (deltas.byTable !== undefined)
    for (const [t, m] of deltas.byTable)
      for (const [uuid, d] of m) {
        if (d === 0 || !t.rows.has(uuid)) continue;
        const n = (t.strongRefs.get(uuid) ?? 0) + d;
        if (n > 0) t.strongRefs.set(uuid, n);
        else t.strongRefs.delete(uuid);
      }
  return commit;
}

function updateWeak(db: Database, t: DbTable, uuid: string, cols: readonly Datum[], sign: number): void {
  const src = `${t.name} ${uuid}`;
  forEachRef(t, cols, (table, target, strong) => {
    if (strong) return;
    const tt = db.tables.get(table) as DbTable;
    let m = tt.weakIn.get(target);
    if (m === undefined) {
      if (sign < 0) return;
      m = new Map();
      tt.weakIn.set(target, m);
    }
    const n = (m.get(src) ?? 0) + sign;
    if (n > 0) m.set(src, n);
    else {
      m.delete(src);
      if (m.size === 0) tt.weakIn.delete(target);
    }
  });
}
