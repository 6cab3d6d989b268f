// The client's copy of the monitored rows, and how monitor replies and update notifications change it
// (RFC 7047 §4.1.6 <table-updates>, ovsdb-server(7) §4.1.14 <table-updates2>). Each change is returned
// as a Batch of (old, new) row versions, which is what change tracking and indexes are computed from.
// Rows are immutable RowRecords: a modification makes a new record, so old versions stay valid.
// Pure: JSON in, records out.
import type { Json } from "../../jsonrpc/json.js";
import { isJsonObject } from "../../jsonrpc/json.js";
import { type Datum, datumApplyDiff, datumEquals, datumFromJsonNoSize, defaultDatum } from "../data/datum.js";
import type { ColumnModel, DbModel, TableModel, Tables } from "./model.js";
import { datumToValue, sameValue, valueDatum } from "./values.js";

/**
 * One version of a row: its typed row (every model column, defaults for columns not monitored), made
 * when the update is parsed.  The typed row is the only form kept: a datum per column beside it cost
 * ~90 bytes per scalar column (object, array, elements) for nothing the typed value does not say, about
 * 1.8 MiB of the controller's Southbound replica at the controller benchmark (M).  Comparisons and
 * update2 diffs work on the typed values (rowValue, sameValue, valueDatum in values.ts).
 */
export class RowRecord {
  constructor(
    readonly uuid: string,
    private readonly row: RowBaseLike,
  ) {}

  /** The typed row (the table is that of the replica that made the record). */
  typed(_t: TableModel): RowBaseLike {
    return this.row;
  }

  /** Column `c`'s typed value. */
  value(c: ColumnModel): unknown {
    return (this.row as unknown as Record<string, unknown>)[c.prop];
  }
}

const templates = new WeakMap<TableModel, Readonly<Record<string, unknown>>>();

/**
 * An object with a table's typed-row properties, each the column's default value, made once per table
 * model.  Rows are copies of it (or of an older version) that then store only to properties they
 * have: an object given its properties one by one under computed names goes to dictionary mode past a
 * dozen of them (~1.6 KiB for a 27-column row instead of ~0.3).
 */
function rowTemplate(t: TableModel): Readonly<Record<string, unknown>> {
  const known = templates.get(t);
  if (known !== undefined) return known;
  const tpl: Record<string, unknown> = { _uuid: undefined };
  for (const c of t.columns) tpl[c.prop] = datumToValue(c, defaultDatum(c.type));
  templates.set(t, tpl);
  return tpl;
}

/** A new typed row for `uuid`: a copy of `base` (an older version) or of the table's defaults. */
function newRow(t: TableModel, uuid: string, base: RowRecord | undefined): Record<string, unknown> {
  const o: Record<string, unknown> = { ...(base === undefined ? rowTemplate(t) : base.typed(t)) };
  o._uuid = uuid;
  return o;
}

type RowBaseLike = { readonly _uuid: string };

/** A row's versions before and after: no old for an insert, no new for a delete. */
export interface RowDelta {
  readonly old: RowRecord | undefined;
  readonly new: RowRecord | undefined;
}

/** Changed rows by table, then by uuid. */
export type Batch = Map<string, Map<string, RowDelta>>;

/** "update": monitor (RFC 7047); "update2": monitor_cond and monitor_cond_since. */
export type UpdateFormat = "update" | "update2";

/** The server sent something that is not a valid update for the model; the replica may be incomplete. */
export class UpdateError extends Error {
  override readonly name = "UpdateError";
}

/** Adds a delta to a batch, merging with an earlier one for the same row (first old, last new). */
export function recordDelta(batch: Batch, table: string, uuid: string, d: RowDelta): void {
  let rows = batch.get(table);
  if (rows === undefined) {
    rows = new Map();
    batch.set(table, rows);
  }
  const prev = rows.get(uuid);
  const merged: RowDelta = prev === undefined ? d : { old: prev.old, new: d.new };
  if (merged.old === merged.new) rows.delete(uuid);
  else rows.set(uuid, merged);
  if (rows.size === 0) batch.delete(table);
}

function parseColumn(c: ColumnModel, j: unknown, where: string): Datum {
  try {
    return shared(c, datumFromJsonNoSize(j, c.wireType, null));
  } catch (e) {
    throw new UpdateError(`${where} column ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The column's default datum (one object for every row) when `d` equals it: most columns of most rows
 * are empty sets and maps, whose typed values are then shared too (values.ts).
 */
function shared(c: ColumnModel, d: Datum): Datum {
  const def = defaultDatum(c.wireType);
  return datumEquals(d, def) ? def : d;
}

/** Stores the values of a <row> into typed row `o`; columns the model lacks are ignored. */
function setColumns(t: TableModel, o: Record<string, unknown>, row: Json | undefined, where: string): void {
  if (!isJsonObject(row)) throw new UpdateError(`${where}: row is not an object`);
  for (const [name, j] of Object.entries(row)) {
    const c = t.byName.get(name);
    if (c !== undefined) o[c.prop] = datumToValue(c, parseColumn(c, j, where));
  }
}

/** Applies an update2 "modify": whole new values for scalars and 0..1 sets, differences otherwise. */
function applyDiff(t: TableModel, o: Record<string, unknown>, diff: Json | undefined, where: string): void {
  if (!isJsonObject(diff)) throw new UpdateError(`${where}: modify is not an object`);
  for (const [name, j] of Object.entries(diff)) {
    const c = t.byName.get(name);
    if (c === undefined) continue;
    const d = parseColumn(c, j, where);
    o[c.prop] = datumToValue(
      c,
      c.kind === "set" || c.kind === "map" ? shared(c, datumApplyDiff(valueDatum(c, o[c.prop]), d)) : d,
    );
  }
}

/** Whether two versions of a row have the same value in every column. */
function sameRow(t: TableModel, a: RowRecord, b: RowRecord): boolean {
  for (const c of t.columns) if (!sameValue(c, a.value(c), b.value(c))) return false;
  return true;
}

/** `next` made into a record, or `old` when it has the same values (so unchanged rows keep theirs). */
function recordOf(
  t: TableModel,
  uuid: string,
  old: RowRecord | undefined,
  next: Record<string, unknown>,
): RowRecord {
  const r = new RowRecord(uuid, next as RowBaseLike);
  return old !== undefined && sameRow(t, old, r) ? old : r;
}

function objectEntries(j: Json | undefined, where: string): [string, Json][] {
  if (!isJsonObject(j)) throw new UpdateError(`${where}: expected an object`);
  return Object.entries(j);
}

export class Replica {
  private readonly data = new Map<string, Map<string, RowRecord>>();

  constructor(readonly model: DbModel<Tables>) {
    for (const name of model.tables.keys()) this.data.set(name, new Map());
  }

  /** The rows of a table by uuid (empty for tables not monitored). */
  rows(table: string): ReadonlyMap<string, RowRecord> {
    return this.data.get(table) ?? new Map();
  }

  get(table: string, uuid: string): RowRecord | undefined {
    return this.data.get(table)?.get(uuid);
  }

  /** Applies <table-updates> (or <table-updates2>) from a notification or a resumed monitor. */
  apply(updates: Json | undefined, format: UpdateFormat): Batch {
    const batch: Batch = new Map();
    if (updates === null || updates === undefined) return batch;
    // Everything is parsed before anything changes, so a malformed update leaves the replica as it was.
    const changes: [string, Map<string, RowRecord>, string, RowRecord | undefined, RowRecord | undefined][] =
      [];
    for (const [tname, rowsJson] of objectEntries(updates, "table-updates")) {
      const t = this.model.tables.get(tname);
      const rows = this.data.get(tname);
      if (t === undefined || rows === undefined) continue; // a table we did not ask for
      for (const [uuid, u] of objectEntries(rowsJson, `table ${tname}`)) {
        const where = `table ${tname} row ${uuid}`;
        if (!isJsonObject(u)) throw new UpdateError(`${where}: row update is not an object`);
        const old = rows.get(uuid);
        const next = format === "update2" ? next2(t, uuid, old, u, where) : next1(t, uuid, old, u, where);
        if (next !== old) changes.push([tname, rows, uuid, old, next]);
      }
    }
    for (const [tname, rows, uuid, old, next] of changes) {
      if (next === undefined) rows.delete(uuid);
      else rows.set(uuid, next);
      recordDelta(batch, tname, uuid, { old, new: next });
    }
    return batch;
  }

  /**
   * Replaces the whole contents with a monitor's initial rows and returns the difference from before:
   * after a reconnect the caller sees only what really changed. Unchanged rows keep their records.
   */
  reset(initial: Json | undefined, format: UpdateFormat): Batch {
    const fresh = new Map<string, Map<string, RowRecord>>();
    for (const name of this.model.tables.keys()) fresh.set(name, new Map());
    if (initial !== null && initial !== undefined) {
      for (const [tname, rowsJson] of objectEntries(initial, "table-updates")) {
        const t = this.model.tables.get(tname);
        const rows = fresh.get(tname);
        if (t === undefined || rows === undefined) continue;
        for (const [uuid, u] of objectEntries(rowsJson, `table ${tname}`)) {
          const where = `table ${tname} row ${uuid}`;
          if (!isJsonObject(u)) throw new UpdateError(`${where}: row update is not an object`);
          const row = format === "update2" ? (u.initial ?? u.insert) : u.new;
          const o = newRow(t, uuid, undefined);
          setColumns(t, o, row, where);
          rows.set(uuid, new RowRecord(uuid, o as RowBaseLike));
        }
      }
    }
    const batch: Batch = new Map();
    for (const [tname, oldRows] of this.data) {
      const newRows = fresh.get(tname) as Map<string, RowRecord>;
      const t = this.model.tables.get(tname) as TableModel;
      for (const [uuid, old] of oldRows) {
        const next = newRows.get(uuid);
        if (next === undefined) recordDelta(batch, tname, uuid, { old, new: undefined });
        else if (sameRow(t, old, next)) newRows.set(uuid, old);
        else recordDelta(batch, tname, uuid, { old, new: next });
      }
      for (const [uuid, next] of newRows)
        if (!oldRows.has(uuid)) recordDelta(batch, tname, uuid, { old: undefined, new: next });
      this.data.set(tname, newRows);
    }
    return batch;
  }

  /** Drops every row (e.g. after a malformed update); returns the deletions. */
  clear(): Batch {
    return this.reset(undefined, "update2");
  }
}

/** A row's next version under an update2 <row-update2>; undefined when deleted. */
function next2(
  t: TableModel,
  uuid: string,
  old: RowRecord | undefined,
  u: Record<string, Json>,
  where: string,
): RowRecord | undefined {
  if ("delete" in u) return undefined;
  const row = u.insert ?? u.initial;
  if (row !== undefined) {
    const o = newRow(t, uuid, undefined);
    setColumns(t, o, row, where);
    return recordOf(t, uuid, old, o);
  }
  if (u.modify !== undefined) {
    if (old === undefined) throw new UpdateError(`${where}: modify of a row not in the replica`);
    const o = newRow(t, uuid, old);
    applyDiff(t, o, u.modify, where);
    return recordOf(t, uuid, old, o);
  }
  throw new UpdateError(`${where}: row update has none of initial, insert, modify, delete`);
}

/** A row's next version under an RFC 7047 <row-update>: "new" holds every monitored column. */
function next1(
  t: TableModel,
  uuid: string,
  old: RowRecord | undefined,
  u: Record<string, Json>,
  where: string,
): RowRecord | undefined {
  if (u.new === undefined || u.new === null) return undefined;
  const o = newRow(t, uuid, old);
  setColumns(t, o, u.new, where);
  return recordOf(t, uuid, old, o);
}
