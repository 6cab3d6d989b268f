// The client's copy of the monitored rows, and how monitor replies and update notifications change it
// (RFC 7047 §4.1.6 <table-updates>, ovsdb-server(7) §4.1.14 <table-updates2>). Each change is returned
// as a Batch of (old, new) row versions, which is what change tracking and indexes are computed from.
// Rows are immutable RowRecords: a modification makes a new record, so old versions stay valid.
// Pure: JSON in, records out.
import type { Json } from "../../jsonrpc/json.js";
import { isJsonObject } from "../../jsonrpc/json.js";
import { type Datum, datumApplyDiff, datumEquals, datumFromJsonNoSize, defaultDatum } from "../data/datum.js";
import type { ColumnModel, DbModel, TableModel, Tables } from "./model.js";
import { datumToValue } from "./values.js";

/** One version of a row: a datum per model column (defaults for columns not monitored). */
export class RowRecord {
  /** The typed row, made on first use. */
  private typedRow: RowBaseLike | undefined;

  constructor(
    readonly uuid: string,
    readonly cols: readonly Datum[],
  ) {}

  typed(t: TableModel): RowBaseLike {
    let r = this.typedRow;
    if (r === undefined) {
      // A copy of the table's template, then only stores to properties it has: an object given its
      // properties one by one under computed names goes to dictionary mode past a dozen of them
      // (~1.6 KiB for a 27-column row instead of ~0.3).
      const o: Record<string, unknown> = { ...rowTemplate(t) };
      o._uuid = this.uuid;
      for (const c of t.columns) o[c.prop] = datumToValue(c, this.cols[c.index] as Datum);
      r = o as RowBaseLike;
      this.typedRow = r;
    }
    return r;
  }
}

const templates = new WeakMap<TableModel, Readonly<Record<string, unknown>>>();

/** An object with a table's typed-row properties (all undefined), made once per table model. */
function rowTemplate(t: TableModel): Readonly<Record<string, unknown>> {
  const known = templates.get(t);
  if (known !== undefined) return known;
  const tpl: Record<string, unknown> = Object.fromEntries(t.columns.map((c) => [c.prop, undefined]));
  const withUuid = { _uuid: undefined, ...tpl };
  templates.set(t, withUuid);
  return withUuid;
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

function defaults(t: TableModel): Datum[] {
  return t.columns.map((c) => defaultDatum(c.type));
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
 * are empty sets and maps, or "" / 0 / false, each of which would otherwise be a datum and an array.
 */
function shared(c: ColumnModel, d: Datum): Datum {
  const def = defaultDatum(c.wireType);
  return datumEquals(d, def) ? def : d;
}

/** Overwrites `cols` with the values of a <row>; columns the model lacks are ignored. */
function setColumns(t: TableModel, cols: Datum[], row: Json | undefined, where: string): void {
  if (!isJsonObject(row)) throw new UpdateError(`${where}: row is not an object`);
  for (const [name, j] of Object.entries(row)) {
    const c = t.byName.get(name);
    if (c !== undefined) cols[c.index] = parseColumn(c, j, where);
  }
}

/** Applies an update2 "modify": whole new values for scalars and 0..1 sets, differences otherwise. */
function applyDiff(t: TableModel, cols: Datum[], diff: Json | undefined, where: string): void {
  if (!isJsonObject(diff)) throw new UpdateError(`${where}: modify is not an object`);
  for (const [name, j] of Object.entries(diff)) {
    const c = t.byName.get(name);
    if (c === undefined) continue;
    const d = parseColumn(c, j, where);
    cols[c.index] =
      c.kind === "set" || c.kind === "map" ? shared(c, datumApplyDiff(cols[c.index] as Datum, d)) : d;
  }
}

function sameCols(a: readonly Datum[], b: readonly Datum[]): boolean {
  for (let i = 0; i < a.length; i++) if (!datumEquals(a[i] as Datum, b[i] as Datum)) return false;
  return true;
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
          const cols = defaults(t);
          setColumns(t, cols, row, where);
          rows.set(uuid, new RowRecord(uuid, cols));
        }
      }
    }
    const batch: Batch = new Map();
    for (const [tname, oldRows] of this.data) {
      const newRows = fresh.get(tname) as Map<string, RowRecord>;
      for (const [uuid, old] of oldRows) {
        const next = newRows.get(uuid);
        if (next === undefined) recordDelta(batch, tname, uuid, { old, new: undefined });
        else if (sameCols(old.cols, next.cols)) newRows.set(uuid, old);
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
    const cols = defaults(t);
    setColumns(t, cols, row, where);
    return old !== undefined && sameCols(old.cols, cols) ? old : new RowRecord(uuid, cols);
  }
  if (u.modify !== undefined) {
    if (old === undefined) throw new UpdateError(`${where}: modify of a row not in the replica`);
    const cols = [...old.cols];
    applyDiff(t, cols, u.modify, where);
    return sameCols(old.cols, cols) ? old : new RowRecord(uuid, cols);
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
  const cols = old === undefined ? defaults(t) : [...old.cols];
  setColumns(t, cols, u.new, where);
  return old !== undefined && sameCols(old.cols, cols) ? old : new RowRecord(uuid, cols);
}
