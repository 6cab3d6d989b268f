// ovsdb-client backup and restore (ovsdb-client(1)). Observed from ovsdb-client 3.1:
//   - backup writes a standalone database file to stdout: the schema record (as ovsdb-tool writes one)
//     and one snapshot record of every table with rows, all persistent columns of each row (defaults
//     included), "_is_diff": true, "_date" and "_comment": "produced by \"ovsdb-client backup\"";
//   - restore reads a database file from stdin (as "/dev/stdin"), refuses a schema of another version
//     unless --force (then it only logs it), and replaces the database's contents in one transaction:
//     for each table of the snapshot's schema a "delete" of every row, then an "insert" of each of the
//     table's rows (its non-default columns) under the uuid-name "row<uuid>", references between
//     restored rows as named-uuids. Row uuids therefore change.
import { snapshotRecord } from "../../ovsdb/engine/records.js";
import type { TableSchema } from "../../ovsdb/schema/types.js";
import { cObject, schemaRecordJson } from "./c-order.js";
import { type ClientCommand, fetchSchema, needDatabase, needRpc } from "./client-context.js";
import { transactOrDie } from "./client-data.js";
import { consoleLog } from "./console-log.js";
import { Fatal } from "./fatal.js";
import { hashOrder, hmapOrder, uuidHash } from "./hash-order.js";
import { isObject, type OJson, type OJsonObject } from "./ovs-json.js";
import { encodeToolRecords, loadDb } from "./tool-files.js";

export const BACKUP_COMMENT = 'produced by "ovsdb-client backup"';

export const backup: ClientCommand = async (ctx) => {
  const rpc = needRpc(ctx);
  const db = needDatabase(ctx);
  const schema = await fetchSchema(rpc, db);
  const tables = schema.tableOrder.map((n) => schema.model.tables.get(n) as TableSchema);
  const columnsOf = (t: TableSchema) => t.userColumns.filter((c) => !c.ephemeral).map((c) => c.name);
  // Every column: the rows are then written with their members in the order of the reply.
  const ops: OJson[] = tables.map((t) => ({ op: "select", table: t.name, where: [] }));
  const result = await transactOrDie(rpc, [db, ...ops]);
  if (!Array.isArray(result)) throw new Fatal("transaction returned a reply that is not an array");
  const entries: [string, OJson][] = [["_date", ctx.now()]];
  tables.forEach((t, i) => {
    const r = result[i];
    const rows = isObject(r) && Array.isArray(r.rows) ? r.rows : [];
    if (rows.length === 0) return;
    const persistent = new Set(columnsOf(t));
    const out: [string, OJson][] = [];
    for (const row of rows) {
      if (!isObject(row) || !Array.isArray(row._uuid) || typeof row._uuid[1] !== "string") continue;
      const values = Object.entries(row).filter(([c]) => persistent.has(c));
      out.push([row._uuid[1], cObject(values)]);
    }
    entries.push([t.name, cObject(hmapOrder(out, ([u]) => uuidHash(u)))]);
  });
  entries.push(["_is_diff", true], ["_comment", BACKUP_COMMENT]);
  const bytes = encodeToolRecords([schemaRecordJson(schema), cObject(entries)]);
  ctx.out(new TextDecoder().decode(bytes));
};

/** A row's values with references to restored rows turned into named-uuids. */
function namedRefs(v: OJson, restored: ReadonlySet<string>): OJson {
  if (!Array.isArray(v)) return v;
  if (v.length === 2 && v[0] === "uuid" && typeof v[1] === "string" && restored.has(v[1]))
    return ["named-uuid", rowName(v[1])];
  return v.map((x) => namedRefs(x, restored));
}

function rowName(uuid: string): string {
  return `row${uuid.replaceAll("-", "_")}`;
}

export const restore: ClientCommand = async (ctx) => {
  const rpc = needRpc(ctx);
  const db = needDatabase(ctx);
  const snapshot = await loadDb("/dev/stdin", { lock: false, ioPrefix: false });
  const current = await fetchSchema(rpc, db);
  const backupVersion = String(snapshot.schema.json.version ?? "");
  const dbVersion = String(current.json.version ?? "");
  if (backupVersion !== dbVersion) {
    const why = `backup schema has version "${backupVersion}" but database schema has version "${dbVersion}"`;
    if (ctx.force !== true)
      throw new Fatal(
        `${why} (use --force to override differences, or "ovsdb-client convert" to change the schema)`,
      );
    consoleLog(ctx.now(), "ovsdb_client", "INFO", why);
  }
  // The snapshot's rows with their non-default columns, by table.
  const rec = snapshotRecord(snapshot.db, 0) as Record<string, Record<string, Record<string, OJson>>>;
  const restored = new Set<string>();
  for (const tname of snapshot.schema.model.tables.keys())
    for (const u of Object.keys(rec[tname] ?? {})) restored.add(u);
  const ops: OJson[] = [];
  // Tables in the iteration order of the snapshot's parsed "tables" object (one hash-table pass).
  const tablesJson = snapshot.schema.json.tables;
  const tableOrder = hashOrder(Object.keys(isObject(tablesJson) ? tablesJson : {}));
  for (const tname of tableOrder) {
    ops.push({ op: "delete", table: tname, where: [] });
    const rows = rec[tname] ?? {};
    for (const [uuid, row] of hmapOrder(Object.entries(rows), ([u]) => uuidHash(u))) {
      const values: OJsonObject = {};
      for (const [c, v] of Object.entries(row)) values[c] = namedRefs(v, restored);
      ops.push({ op: "insert", table: tname, "uuid-name": rowName(uuid), row: values });
    }
  }
  const result = await transactOrDie(rpc, [snapshot.schema.model.name, ...ops]);
  const failed = Array.isArray(result) ? result.find((r) => isObject(r) && r.error !== undefined) : undefined;
  if (failed !== undefined && isObject(failed))
    throw new Fatal(`transaction returned error: ${JSON.stringify(failed)}`);
};
