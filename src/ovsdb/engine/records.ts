// Transaction records of the standalone database file (ovsdb(5)), on the engine's own data:
//   {"_date": ms, "_comment"?: text, "_is_diff"?: true, "<table>": {"<uuid>": <row> | null}}
// A null row deletes; a new uuid inserts (absent columns are defaults); an existing row is modified, each
// listed column replacing the old value — or, in an "_is_diff" record, set and map columns carry the
// difference (as in update2). Ephemeral columns are never written. Like ovsdb-server 3.1, a transaction
// whose difference for some column would not fit the column's bounds (the C reader parses differences
// with the column's own bounds) is written in whole-value form instead.
import {
  type Datum,
  datumApplyDiff,
  datumDiff,
  datumEquals,
  datumFromJson,
  datumFromJsonNoSize,
  datumJsonText,
  datumToJson,
  isDefault,
} from "../data/datum.js";
import { OvsdbError } from "../error.js";
import type { ColumnSchema } from "../schema/types.js";
import type { Commit } from "./commit.js";
import { type Database, type DbTable, forEachRef } from "./database.js";
import { defaultCols, StoredRow } from "./row.js";

/**
 * Columns an "_is_diff" record carries as a difference: sets of more than one element and maps, and only
 * when the old value is not the column's default (what the C reader expects). Others hold whole values.
 */
function asDiff(col: ColumnSchema, old: Datum): boolean {
  return (col.type.value !== undefined || col.type.max > 1) && !isDefault(old, col.type);
}

function persistent(t: DbTable): readonly ColumnSchema[] {
  return t.persistentColumns;
}

/** The record for a commit, or null when nothing persistent changed (no record is written then). */
export function commitToRecord(db: Database, c: Commit, date: number): Record<string, unknown> | null {
  // Usually the difference form fits; the whole-value form is built only when some difference does not.
  const diff = recordTables(db, c, true);
  const tables = diff === undefined ? recordTables(db, c, false) : diff;
  if (tables === null || tables === undefined) return null;
  const rec: Record<string, unknown> = { _date: date, ...tables };
  if (diff !== undefined) rec._is_diff = true;
  if (c.comment !== undefined && c.comment !== "") rec._comment = c.comment;
  return rec;
}

/**
 * The tables member of a commit's record: null when nothing persistent changed; undefined when, asked
 * for differences, some difference does not fit its column (the caller then asks for whole values).
 */
function recordTables(db: Database, c: Commit, asDiffs: boolean): Record<string, unknown> | null | undefined {
  const tables: Record<string, Record<string, unknown>> = {};
  let any = false;
  for (const [tname, rows] of c.tables) {
    const t = db.table(tname) as DbTable;
    const cols = persistent(t);
    let out: Record<string, unknown> | undefined;
    for (const [uuid, d] of rows) {
      let row: Record<string, unknown> | null;
      if (d.new === null) {
        if (d.old === null) continue;
        row = null;
      } else if (d.old === null) {
        row = {};
        for (const col of cols) {
          const v = d.new.cols[col.index] as Datum;
          if (!isDefault(v, col.type)) row[col.name] = datumToJson(v, col.type);
        }
      } else {
        row = {};
        let changed = false;
        for (const col of cols) {
          const o = d.old.cols[col.index] as Datum;
          const n = d.new.cols[col.index] as Datum;
          if (o === n || datumEquals(o, n)) continue;
          changed = true;
          if (asDiffs && asDiff(col, o)) {
            const delta = datumDiff(o, n);
            if (delta.keys.length > col.type.max) return undefined;
            row[col.name] = datumToJson(delta, col.type);
          } else row[col.name] = datumToJson(n, col.type);
        }
        if (!changed) continue;
      }
      any = true;
      out ??= tables[tname] = {};
      out[uuid] = row;
    }
  }
  if (!any) return null;
  return tables;
}

/**
 * The record for a commit as JSON text, or null when nothing persistent changed: exactly
 * JSON.stringify(commitToRecord(db, c, date)), built in one pass without the intermediate objects (a
 * record is written for every commit; its objects were garbage as soon as they were serialised).
 */
export function commitToRecordText(db: Database, c: Commit, date: number): string | null {
  const diff = recordTablesText(db, c, true);
  const tables = diff === undefined ? recordTablesText(db, c, false) : diff;
  if (tables === null || tables === undefined) return null;
  let text = `{"_date":${dateText(date)},${tables}`;
  if (diff !== undefined) text += ',"_is_diff":true';
  if (c.comment !== undefined && c.comment !== "") text += `,"_comment":${JSON.stringify(c.comment)}`;
  return `${text}}`;
}

// A record's date is milliseconds since the epoch, past 2^31: spelling such a number goes through the
// runtime's double-to-string conversion. Transactions within the same millisecond reuse the text.
let lastDate = Number.NaN;
let lastDateText = "";

function dateText(date: number): string {
  if (date !== lastDate) {
    lastDate = date;
    lastDateText = JSON.stringify(date);
  }
  return lastDateText;
}

/** recordTables() as the text of the record's table members (no braces); null and undefined as there. */
function recordTablesText(db: Database, c: Commit, asDiffs: boolean): string | null | undefined {
  let out = "";
  for (const [tname, rows] of c.tables) {
    const t = db.table(tname) as DbTable;
    const cols = persistent(t);
    // The table's shared defaults: an untouched column of a new row is that very object.
    const defaults = t.defaults;
    let table = "";
    for (const [uuid, d] of rows) {
      let row: string;
      if (d.new === null) {
        if (d.old === null) continue;
        row = "null";
      } else if (d.old === null) {
        row = "";
        for (const col of cols) {
          const v = d.new.cols[col.index] as Datum;
          if (datumEquals(v, defaults[col.index] as Datum)) continue;
          row += `${row === "" ? "" : ","}"${col.name}":${datumJsonText(v, col.type)}`;
        }
        row = `{${row}}`;
      } else {
        row = "";
        let changed = false;
        for (const col of cols) {
          const o = d.old.cols[col.index] as Datum;
          const n = d.new.cols[col.index] as Datum;
          if (o === n || datumEquals(o, n)) continue;
          changed = true;
          let value: string;
          if (asDiffs && asDiff(col, o)) {
            const delta = datumDiff(o, n);
            if (delta.keys.length > col.type.max) return undefined;
            value = datumJsonText(delta, col.type);
          } else value = datumJsonText(n, col.type);
          row += `${row === "" ? "" : ","}"${col.name}":${value}`;
        }
        if (!changed) continue;
        row = `{${row}}`;
      }
      table += `${table === "" ? "" : ","}"${uuid}":${row}`;
    }
    if (table !== "") out += `${out === "" ? "" : ","}${JSON.stringify(tname)}:{${table}}`;
  }
  return out === "" ? null : out;
}

/** One record holding every row: what compaction writes after the schema. */
export function snapshotRecord(db: Database, date: number): Record<string, unknown> {
  const rec: Record<string, unknown> = { _date: date };
  for (const t of db.tables.values()) {
    if (t.rows.size === 0) continue;
    const cols = persistent(t);
    const out: Record<string, unknown> = {};
    for (const r of t.rows.values()) {
      const row: Record<string, unknown> = {};
      for (const col of cols) {
        const v = r.cols[col.index] as Datum;
        if (!isDefault(v, col.type)) row[col.name] = datumToJson(v, col.type);
      }
      out[r.uuid] = row;
    }
    rec[t.name] = out;
  }
  rec._is_diff = true;
  return rec;
}

function bad(msg: string): never {
  throw new OvsdbError("syntax error", msg);
}

/**
 * Applies one record read from the file to the database, without integrity checks (the file was
 * written by a server that checked them). Call rebuildDerived() after the last record.
 */
export function applyRecord(db: Database, record: unknown): void {
  if (typeof record !== "object" || record === null || Array.isArray(record))
    bad("transaction record is not an object");
  const rec = record as Record<string, unknown>;
  const isDiff = rec._is_diff === true;
  for (const [tname, rows] of Object.entries(rec)) {
    if (tname.startsWith("_")) continue;
    const t = db.table(tname);
    if (t === undefined) bad(`transaction record names unknown table ${tname}`);
    if (typeof rows !== "object" || rows === null || Array.isArray(rows))
      bad(`table ${tname} in record is not an object`);
    for (const [uuid, rowJson] of Object.entries(rows as Record<string, unknown>)) {
      const old = t.rows.get(uuid);
      if (rowJson === null) {
        if (old === undefined) bad(`transaction deletes nonexistent row ${uuid} in table ${tname}`);
        t.rows.delete(uuid);
        continue;
      }
      if (typeof rowJson !== "object" || Array.isArray(rowJson))
        bad(`row ${uuid} in table ${tname} is not an object`);
      const cols = old === undefined ? defaultCols(t.schema) : old.cols.slice();
      for (const [cname, v] of Object.entries(rowJson as Record<string, unknown>)) {
        const col = t.schema.columns.get(cname);
        if (col === undefined || col.index < 0)
          bad(`row ${uuid} in table ${tname} has unknown column ${cname}`);
        if (old !== undefined && isDiff && asDiff(col, cols[col.index] as Datum))
          cols[col.index] = datumApplyDiff(cols[col.index] as Datum, datumFromJsonNoSize(v, col.type, null));
        else cols[col.index] = datumFromJson(v, col.type, null);
      }
      t.rows.set(uuid, new StoredRow(uuid, cols));
    }
  }
}

/** Recomputes reference counts, weak-reference sources and index maps from the rows. */
export function rebuildDerived(db: Database): void {
  for (const t of db.tables.values()) {
    t.strongRefs.clear();
    t.weakIn.clear();
    for (const idx of t.indexes) idx.clear();
  }
  for (const t of db.tables.values()) {
    for (const r of t.rows.values()) {
      for (let i = 0; i < t.indexes.length; i++)
        (t.indexes[i] as Map<string, string>).set(t.indexKey(i, r.cols), r.uuid);
      if (t.refColumns.length === 0) continue;
      const src = `${t.name} ${r.uuid}`;
      forEachRef(t, r.cols, (table, target, strong) => {
        const tt = db.tables.get(table) as DbTable;
        if (strong) tt.strongRefs.set(target, (tt.strongRefs.get(target) ?? 0) + 1);
        else {
          let m = tt.weakIn.get(target);
          if (m === undefined) {
            m = new Map();
            tt.weakIn.set(target, m);
          }
          m.set(src, (m.get(src) ?? 0) + 1);
        }
      });
    }
  }
}
