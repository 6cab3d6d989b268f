// ovsdb-tool compact and convert: rewrite a database as its schema plus one record holding every row.
// Observed from ovsdb-tool 3.1: the record always exists (even for an empty database), carries no
// "_is_diff", and is commented "compacted by ovsdb-tool 3.1.0" or "converted by ovsdb-tool 3.1.0" — we
// write the same words, since readers (show-log, operators' scripts) see them. Conversion keeps row
// UUIDs, drops tables and columns the new schema lacks, and re-reads every value under the new column
// type. Like the C tool, which replays the log under the new schema, a value anywhere in the log that
// does not fit is fatal (`syntax "JSON": syntax error: expected integer`), reported for the first one in
// log order. The result is committed as one transaction, so integrity rules and garbage collection apply.

import { type Datum, datumFromJson, datumFromJsonNoSize, datumToJson } from "../../ovsdb/data/datum.js";
import { Database } from "../../ovsdb/engine/database.js";
import { execute } from "../../ovsdb/engine/execute.js";
import { snapshotRecord } from "../../ovsdb/engine/records.js";
import { OvsdbError } from "../../ovsdb/error.js";
import { recordJson, schemaRecordJson } from "./c-order.js";
import { Fatal, ovsdbErrorText } from "./fatal.js";
import { hashOrder } from "./hash-order.js";
import { isObject, type OJson, type OJsonObject, toPlainJson } from "./ovs-json.js";
import type { ToolSchema } from "./schema-json.js";

export const COMPACT_COMMENT = "compacted by ovsdb-tool 3.1.0";
export const CONVERT_COMMENT = "converted by ovsdb-tool 3.1.0";

/** The two records of a rewritten database file. */
export function snapshotFile(schema: ToolSchema, db: Database, date: number, comment: string): OJson[] {
  const rec: Record<string, unknown> = { ...snapshotRecord(db, date), _comment: comment };
  delete rec._is_diff;
  return [schemaRecordJson(schema), recordJson(schema, rec)];
}

/** Fails like the C tool when some value in the log's records does not fit `to`'s column types. */
export function checkRecordsFit(records: readonly OJsonObject[], to: ToolSchema): void {
  for (const rec of records) {
    const isDiff = rec._is_diff === true;
    for (const tname of hashOrder(Object.keys(rec))) {
      const table = to.model.tables.get(tname);
      const rows = rec[tname];
      if (table === undefined || !isObject(rows)) continue;
      for (const uuid of hashOrder(Object.keys(rows))) {
        const row = rows[uuid];
        if (!isObject(row)) continue;
        for (const cname of hashOrder(Object.keys(row))) {
          const col = table.columns.get(cname);
          if (col === undefined || col.index < 0) continue;
          const v = toPlainJson(row[cname] as OJson);
          try {
            if (isDiff) datumFromJsonNoSize(v, col.type, null);
            else datumFromJson(v, col.type, null);
          } catch (e) {
            if (e instanceof OvsdbError) throw new Fatal(ovsdbErrorText(e));
            throw e;
          }
        }
      }
    }
  }
}

/** The contents of `db` under `to`, as a new database, or Fatal with the C tool's message. */
export function convertDb(db: Database, to: ToolSchema): Database {
  const out = new Database(to.model);
  const ops: unknown[] = [];
  for (const [tname, table] of to.model.tables) {
    const old = db.table(tname);
    if (old === undefined) continue;
    for (const r of old.rows.values()) {
      const row: Record<string, unknown> = {};
      for (const c of table.userColumns) {
        const oc = old.schema.columns.get(c.name);
        if (oc === undefined || oc.index < 0) continue;
        row[c.name] = datumToJson(r.cols[oc.index] as Datum, oc.type);
      }
      ops.push({ op: "insert", table: tname, uuid: r.uuid, row });
    }
  }
  const r = execute(out, ops, { ownsLock: () => false, mayBlock: false });
  const failed = r.results.find((x) => x !== null && typeof x === "object" && "error" in (x as object));
  if (failed !== undefined) {
    const e = failed as OJsonObject;
    const syntax = typeof e.syntax === "string" ? `syntax "${e.syntax}": ` : "";
    const details = typeof e.details === "string" ? `: ${e.details}` : "";
    throw new Fatal(`${syntax}${String(e.error)}${details}`);
  }
  return out;
}
