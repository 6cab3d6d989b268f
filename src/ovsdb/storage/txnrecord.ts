// The meaning of transaction records in a standalone database file (ovsdb(5) "Standalone Format"),
// independent of the engine: replay records into plain row maps, and build the records the real
// ovsdb-server 3.1 writes.
//
// Record: {"_date": <ms>, "_comment"?: <string>, "_is_diff"?: true, "<table>": {"<uuid>": <row> | null}}
// - null deletes the row (which must exist).
// - A uuid not yet present is an insert: listed columns have their full values, the others are defaults.
// - An existing row is modified: each listed column replaces the old value, except that in an "_is_diff"
//   record set and map columns carry the difference (see datum.ts) — unless the old value is the
//   column's default, which the C reader replaces (see isDiffable).
// Writers omit default-valued columns of inserts, unchanged columns of modifications, ephemeral columns,
// and whole no-op transactions (no record at all), like ovsdb-server.
//
// One quirk of the real reader shapes the writer: it parses a difference with the column's own bounds, so
// a difference larger than the column's max (e.g. replacing all 3 members of a max-3 set) would make the
// C tools refuse the file. Such a transaction is written in the older whole-value form (no "_is_diff"),
// which every reader accepts.
//
// Rows here are plain objects of canonical column values (datum.ts), holding only non-default columns.

import {
  compileStorageSchema,
  type StorageColumn,
  type StorageSchema,
  type StorageTable,
} from "./columns.js";
import {
  applyDiff,
  checkCount,
  type Datum,
  DatumError,
  datumsEqual,
  defaultDatum,
  diffDatums,
  isUuidString,
  parseDatum,
  renderDatum,
} from "./datum.js";

/** Column name → canonical RFC 7047 value; absent columns have their default values. */
export type RowJson = Record<string, unknown>;
/** Table name → row uuid → row. */
export type DbRows = Map<string, Map<string, RowJson>>;

/** One row's change: old null for an insert, new null for a delete. Absent columns are defaults. */
export interface RowChange {
  readonly old: Readonly<RowJson> | null;
  readonly new: Readonly<RowJson> | null;
}
type Keyed<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;
/** Table → row uuid → change (Maps or plain objects). */
export type ChangeSet = Keyed<Keyed<RowChange>>;

export interface RecordMeta {
  /** Commit time, ms since the epoch. */
  date: number;
  /** Written only when non-empty, like the C server. */
  comment?: string;
}

export interface TxnRecordInfo {
  date?: number;
  comment?: string;
  isDiff: boolean;
}

export class TxnRecordError extends Error {
  override readonly name = "TxnRecordError";
}

/** Accepts a compiled schema or the schema JSON (the log's first record). */
export type SchemaArg = StorageSchema | unknown;

function compiled(schema: SchemaArg): StorageSchema {
  if (
    schema !== null &&
    typeof schema === "object" &&
    (schema as { tables?: unknown }).tables instanceof Map
  ) {
    return schema as StorageSchema;
  }
  // Callers may pass the schema JSON on every commit; compile each schema object once.
  if (schema === null || typeof schema !== "object") return compileStorageSchema(schema);
  let s = compiledCache.get(schema);
  if (s === undefined) {
    s = compileStorageSchema(schema);
    compiledCache.set(schema, s);
  }
  return s;
}

const compiledCache = new WeakMap<object, StorageSchema>();

/** An empty database: every table of the schema, no rows. */
export function emptyDb(schema: SchemaArg): DbRows {
  return new Map([...compiled(schema).tables.keys()].map((t) => [t, new Map<string, RowJson>()]));
}

/** Replays transaction records (the log's records after the schema) into row maps. */
export function replayRecords(schema: SchemaArg, records: Iterable<unknown>): DbRows {
  const s = compiled(schema);
  const db = emptyDb(s);
  let i = 0;
  for (const r of records) {
    i++;
    try {
      applyTxnRecord(s, db, r);
    } catch (e) {
      if (e instanceof TxnRecordError) throw new TxnRecordError(`transaction record ${i}: ${e.message}`);
      throw e;
    }
  }
  return db;
}

/** The special members of a record. */
export function txnRecordInfo(record: unknown): TxnRecordInfo {
  const r = asObject(record, "transaction record");
  const info: TxnRecordInfo = { isDiff: r._is_diff === true };
  if (typeof r._date === "number") info.date = r._date;
  else if (typeof r._date === "bigint") info.date = Number(r._date);
  if (typeof r._comment === "string") info.comment = r._comment;
  return info;
}

/** Applies one transaction record to `db`; on error `db` is left unchanged. */
export function applyTxnRecord(schema: SchemaArg, db: DbRows, record: unknown): void {
  const s = compiled(schema);
  const r = asObject(record, "transaction record");
  const isDiff = r._is_diff === true;
  const staged: Array<[Map<string, RowJson>, string, RowJson | null]> = [];
  for (const [tname, tjson] of Object.entries(r)) {
    if (isSpecialMember(tname, tjson)) continue;
    const table = s.tables.get(tname);
    if (table === undefined) throw new TxnRecordError(`unknown table: No table named ${tname}.`);
    let rows = db.get(tname);
    if (rows === undefined) {
      rows = new Map();
      db.set(tname, rows);
    }
    for (const [uuid, rowJson] of Object.entries(asObject(tjson, `table ${tname}`))) {
      if (!isUuidString(uuid)) throw new TxnRecordError(`"${uuid}" is not a valid UUID`);
      const key = uuid.toLowerCase();
      const old = rows.get(key);
      if (rowJson === null) {
        if (old === undefined) throw new TxnRecordError(`transaction deletes row ${key} that does not exist`);
        staged.push([rows, key, null]);
      } else {
        staged.push([rows, key, applyRow(table, old, asObject(rowJson, "row"), isDiff)]);
      }
    }
  }
  for (const [rows, key, row] of staged) {
    if (row === null) rows.delete(key);
    else rows.set(key, row);
  }
}

function applyRow(table: StorageTable, old: RowJson | undefined, json: RowJson, isDiff: boolean): RowJson {
  const row: RowJson = { ...old };
  for (const [cname, value] of Object.entries(json)) {
    if (cname === "_uuid" || cname === "_version") continue;
    const col = table.columns.get(cname);
    if (col === undefined)
      throw new TxnRecordError(`unknown column: No column ${cname} in table ${table.name}.`);
    try {
      let d: Datum;
      const cur = old === undefined ? undefined : currentDatum(col, old);
      if (isDiff && cur !== undefined && isDiffable(col, cur)) {
        d = applyDiff(cur, parseDatum(col, value, true));
        checkCount(col, d.size);
      } else {
        d = parseDatum(col, value);
      }
      setColumn(row, col, d);
    } catch (e) {
      if (e instanceof DatumError) throw new TxnRecordError(`table ${table.name}: ${e.message}`);
      throw e;
    }
  }
  return row;
}

/**
 * Builds the record for one committed transaction, or null if it changed nothing persistent (the C
 * server writes no record then). Set and map changes are differences, in an "_is_diff" record.
 */
export function buildTxnRecord(
  schema: SchemaArg,
  changes: ChangeSet,
  meta: RecordMeta,
): Record<string, unknown> | null {
  const s = compiled(schema);
  const diffTables: Record<string, Record<string, unknown>> = {};
  const wholeTables: Record<string, Record<string, unknown>> = {};
  let any = false;
  let diffFits = true;
  for (const [tname, rows] of entries(changes)) {
    const table = s.tables.get(tname);
    if (table === undefined) throw new TxnRecordError(`unknown table ${tname}`);
    for (const [uuid, change] of entries(rows)) {
      if (!isUuidString(uuid)) throw new TxnRecordError(`"${uuid}" is not a valid UUID`);
      const key = uuid.toLowerCase();
      let diffRow: unknown;
      let wholeRow: unknown;
      if (change.new === null) {
        if (change.old === null) continue;
        diffRow = wholeRow = null;
      } else if (change.old === null) {
        diffRow = wholeRow = insertColumns(table, change.new);
      } else {
        const m = modifyColumns(table, change.old, change.new);
        if (m === undefined) continue;
        diffRow = m.diff;
        wholeRow = m.whole;
        diffFits &&= m.fits;
      }
      any = true;
      addRow(diffTables, tname, key, diffRow);
      addRow(wholeTables, tname, key, wholeRow);
    }
  }
  if (!any) return null;
  return diffFits ? makeRecord(meta, diffTables, true) : makeRecord(meta, wholeTables, false);
}

/**
 * The single record that holds a whole database, written after the schema when compacting. ovsdb-server
 * marks its online snapshots "_is_diff" (meaningless for inserts, harmless); ovsdb-tool compact does not.
 */
export function buildSnapshotRecord(
  schema: SchemaArg,
  db: DbRows,
  meta: RecordMeta & { isDiff?: boolean },
): Record<string, unknown> {
  const s = compiled(schema);
  const tables: Record<string, Record<string, unknown>> = {};
  for (const [tname, table] of s.tables) {
    const rows = db.get(tname);
    if (rows === undefined || rows.size === 0) continue;
    const out: Record<string, unknown> = {};
    for (const [uuid, row] of rows) out[uuid] = insertColumns(table, row);
    tables[tname] = out;
  }
  return makeRecord(meta, tables, meta.isDiff ?? true);
}

/** A row with every column present (defaults filled in), in canonical form: what a client would see. */
export function rowWithDefaults(schema: SchemaArg, table: string, row: Readonly<RowJson>): RowJson {
  const t = compiled(schema).tables.get(table);
  if (t === undefined) throw new TxnRecordError(`unknown table ${table}`);
  const out: RowJson = {};
  for (const col of t.columns.values()) out[col.name] = renderDatum(col, currentDatum(col, row));
  return out;
}

function addRow(
  tables: Record<string, Record<string, unknown>>,
  table: string,
  uuid: string,
  row: unknown,
): void {
  const rows = tables[table] ?? {};
  rows[uuid] = row;
  tables[table] = rows;
}

function makeRecord(
  meta: RecordMeta,
  tables: Record<string, unknown>,
  isDiff: boolean,
): Record<string, unknown> {
  const rec: Record<string, unknown> = { _date: meta.date, ...tables };
  if (isDiff) rec._is_diff = true;
  if (meta.comment !== undefined && meta.comment !== "") rec._comment = meta.comment;
  return rec;
}

function insertColumns(table: StorageTable, row: Readonly<RowJson>): RowJson {
  const out: RowJson = {};
  for (const col of table.columns.values()) {
    if (col.ephemeral || !(col.name in row)) continue;
    const d = parseValue(table, col, row[col.name]);
    if (!datumsEqual(d, defaultDatum(col))) out[col.name] = renderDatum(col, d);
  }
  checkColumnsKnown(table, row);
  return out;
}

function modifyColumns(
  table: StorageTable,
  old: Readonly<RowJson>,
  neu: Readonly<RowJson>,
): { diff: RowJson; whole: RowJson; fits: boolean } | undefined {
  const diff: RowJson = {};
  const whole: RowJson = {};
  let fits = true;
  let changed = false;
  for (const col of table.columns.values()) {
    if (col.ephemeral || !(col.name in old || col.name in neu)) continue;
    const a = col.name in old ? parseValue(table, col, old[col.name]) : defaultDatum(col);
    const b = col.name in neu ? parseValue(table, col, neu[col.name]) : defaultDatum(col);
    if (datumsEqual(a, b)) continue;
    changed = true;
    whole[col.name] = renderDatum(col, b);
    if (isDiffable(col, a)) {
      const d = diffDatums(a, b);
      if (d.size > col.max) fits = false;
      diff[col.name] = renderDatum(col, d);
    } else {
      diff[col.name] = whole[col.name];
    }
  }
  checkColumnsKnown(table, old);
  checkColumnsKnown(table, neu);
  return changed ? { diff, whole, fits } : undefined;
}

function checkColumnsKnown(table: StorageTable, row: Readonly<RowJson>): void {
  for (const c of Object.keys(row)) {
    if (c !== "_uuid" && c !== "_version" && !table.columns.has(c)) {
      throw new TxnRecordError(`unknown column: No column ${c} in table ${table.name}.`);
    }
  }
}

function parseValue(table: StorageTable, col: StorageColumn, json: unknown): Datum {
  try {
    return parseDatum(col, json);
  } catch (e) {
    if (e instanceof DatumError) throw new TxnRecordError(`table ${table.name}: ${e.message}`);
    throw e;
  }
}

/**
 * Whether a change from `from` is written (and read) as a difference. The C reader replaces a value that
 * equals the column's default instead of applying the difference to it (observed: a min-1 string set at
 * its default [""] with the difference ["", "b"] reads back as ["", "b"], not ["b"]). For min-0 columns the
 * default is empty and both readings agree; for min-1 columns the writer must then give the whole value.
 */
function isDiffable(col: StorageColumn, from: Datum): boolean {
  return (col.kind === "set" || col.kind === "map") && !datumsEqual(from, defaultDatum(col));
}

function currentDatum(col: StorageColumn, row: Readonly<RowJson>): Datum {
  return col.name in row ? parseDatum(col, row[col.name]) : defaultDatum(col);
}

function setColumn(row: RowJson, col: StorageColumn, d: Datum): void {
  if (datumsEqual(d, defaultDatum(col))) delete row[col.name];
  else row[col.name] = renderDatum(col, d);
}

/** Members the C reader treats as metadata; anything else starting with "_" is an (unknown) table. */
function isSpecialMember(name: string, value: unknown): boolean {
  switch (name) {
    case "_date":
      return typeof value === "number" || typeof value === "bigint";
    case "_comment":
      return typeof value === "string";
    case "_is_diff":
      return typeof value === "boolean";
    default:
      return false;
  }
}

function entries<T>(k: Keyed<T>): Iterable<[string, T]> {
  return k instanceof Map ? k.entries() : Object.entries(k as Readonly<Record<string, T>>);
}

function asObject(json: unknown, what: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TxnRecordError(`${what} must be a JSON object`);
  }
  return json as Record<string, unknown>;
}
