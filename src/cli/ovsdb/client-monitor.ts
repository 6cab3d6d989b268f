// ovsdb-client monitor, monitor-cond and monitor-cond-since: ask for a table's (or every table's) contents and changes and
// print each update as a table. Observed from ovsdb-client 3.1:
//   - arguments after TABLE are column groups "c1,c2,!initial,...": each becomes one monitor request
//     (with "select" when it has !initial/!insert/!delete/!modify); a group naming no column means every
//     column, in name order, then _version; a column may be named only once;
//   - headings are "row", "action", then the columns in that order; `monitor DB ALL` monitors every
//     table and prints each table of an update under its name, tables in name order;
//   - rows come in the order the C tool iterates the update object (hash-order.ts); a modification in
//     an "update" prints an "old" line (changed columns) and a "new" line (whole row, no row uuid);
//     "update2" rows print their action (initial, insert, delete, modify) and the values sent;
//   - columns a row does not carry print empty; a table with no rows prints nothing;
//   - monitor-cond-since prints "found: BOOL, last_id: ID" before the initial contents, and
//     "\nlast_id: ID" before each update3 (with no newline of its own: the table printer starts every
//     table but the first with one);
//   - the initial contents come in the reply; then each update notification is printed as it arrives,
//     until the connection drops ("receive failed") or the database goes away.
import { ZERO_UUID } from "../../base/uuid.js";
import { parseWhere } from "../../ovsdb/engine/condition.js";
import { OvsdbError } from "../../ovsdb/error.js";
import type { ColumnSchema, TableSchema } from "../../ovsdb/schema/types.js";
import {
  type ClientCommand,
  type ClientContext,
  fetchSchema,
  needDatabase,
  needRpc,
  printTable,
  timestampNow,
} from "./client-context.js";
import { parseJsonArg } from "./client-data.js";
import { Fatal, ovsdbErrorText } from "./fatal.js";
import { hashOrder } from "./hash-order.js";
import { compareBytes, isObject, type OJson, type OJsonObject, toPlainJson } from "./ovs-json.js";
import { RpcClosedError, RpcError } from "./rpc.js";
import type { ToolSchema } from "./schema-json.js";
import { type Cell, datumCell, EMPTY_CELL, textCell } from "./table.js";

const SELECTS = ["initial", "insert", "delete", "modify"] as const;

interface Monitored {
  readonly table: TableSchema;
  /** Display order. */
  readonly columns: readonly ColumnSchema[];
  /** The table's monitor requests. */
  readonly requests: OJson[];
}

function allColumns(t: TableSchema): string[] {
  return [...t.userColumns.map((c) => c.name).sort(compareBytes), "_version"];
}

/** Parses the column groups for one table (an empty list means one group of every column). */
function monitored(ctx: ClientContext, db: string, t: TableSchema, groups: readonly string[]): Monitored {
  const seen = new Set<string>();
  const columns: ColumnSchema[] = [];
  const requests: OJson[] = [];
  for (const group of groups.length === 0 ? [""] : groups) {
    const select: Record<string, boolean> = { initial: true, insert: true, delete: true, modify: true };
    let flagged = false;
    let names: string[] = [];
    for (const word of group.split(",")) {
      if (word === "") continue;
      const flag = SELECTS.find((s) => word === `!${s}`);
      if (flag !== undefined) {
        select[flag] = false;
        flagged = true;
      } else names.push(word);
    }
    if (names.length === 0) names = allColumns(t);
    for (const n of names) {
      const c = t.columns.get(n);
      if (c === undefined)
        throw new Fatal(`${ctx.server}: table "${t.name}" in ${db} does not have a column named "${n}"`);
      if (seen.has(n)) throw new Fatal(`${ctx.server}: column "${n}" mentioned multiple times`);
      seen.add(n);
      columns.push(c);
    }
    const req: OJsonObject = { columns: names };
    if (flagged) req.select = select;
    requests.push(req);
  }
  return { table: t, columns, requests };
}

function lookupTable(schema: ToolSchema, db: string, name: string, prefix: string): TableSchema {
  const t = schema.model.tables.get(name);
  if (t === undefined) throw new Fatal(`${prefix}${db} does not have a table named "${name}"`);
  return t;
}

function cellsOf(m: Monitored, row: OJson): Cell[] {
  const r = isObject(row) ? row : undefined;
  return m.columns.map((c) => {
    const j = r?.[c.name];
    return j === undefined ? EMPTY_CELL : datumCell(j, c.type);
  });
}

/** The printed rows of one table's part of an update ("update" or "update2" format). */
function updateRows(m: Monitored, tableUpdate: OJsonObject, v2: boolean, initial: boolean): Cell[][] {
  const rows: Cell[][] = [];
  for (const uuid of hashOrder(Object.keys(tableUpdate))) {
    const u = tableUpdate[uuid];
    if (!isObject(u)) continue;
    if (v2) {
      const action = SELECTS.find((a) => a in u);
      if (action !== undefined)
        rows.push([textCell(uuid), textCell(action), ...cellsOf(m, u[action] as OJson)]);
      continue;
    }
    const hasOld = u.old !== undefined && u.old !== null;
    const hasNew = u.new !== undefined && u.new !== null;
    if (hasOld && hasNew) {
      rows.push([textCell(uuid), textCell("old"), ...cellsOf(m, u.old as OJson)]);
      rows.push([textCell(""), textCell("new"), ...cellsOf(m, u.new as OJson)]);
    } else if (hasNew) {
      rows.push([textCell(uuid), textCell(initial ? "initial" : "insert"), ...cellsOf(m, u.new as OJson)]);
    } else if (hasOld) {
      rows.push([textCell(uuid), textCell("delete"), ...cellsOf(m, u.old as OJson)]);
    }
  }
  return rows;
}

function printUpdate(
  ctx: ClientContext,
  tables: readonly Monitored[],
  all: boolean,
  update: OJson,
  v2: boolean,
  initial: boolean,
): void {
  if (!isObject(update)) return;
  for (const m of tables) {
    const tu = update[m.table.name];
    if (!isObject(tu)) continue;
    const rows = updateRows(m, tu, v2, initial);
    if (rows.length === 0) continue;
    printTable(ctx, {
      ...(all ? { caption: m.table.name } : {}),
      headings: ["row", "action", ...m.columns.map((c) => c.name)],
      rows,
      ...(ctx.timestamp ? { timestamp: timestampNow(ctx) } : {}),
    });
  }
}

type MonitorMethod = "monitor" | "monitor_cond" | "monitor_cond_since";

async function runMonitor(
  ctx: ClientContext,
  method: MonitorMethod,
  tables: readonly Monitored[],
  all: boolean,
  where: OJson | undefined,
  lastId = ZERO_UUID,
): Promise<void> {
  const rpc = needRpc(ctx);
  const db = needDatabase(ctx);
  await rpc.call("set_db_change_aware", [true]).catch(() => undefined);
  const req: OJsonObject = {};
  for (const m of tables) {
    req[m.table.name] =
      where === undefined ? m.requests : m.requests.map((r) => ({ ...(r as OJsonObject), where }));
  }
  const v2 = method !== "monitor";
  const expected = { monitor: "update", monitor_cond: "update2", monitor_cond_since: "update3" }[method];
  const done = new Promise<void>((_resolve, reject) => {
    rpc.onNotification((name, params) => {
      const p = Array.isArray(params) ? params : [];
      if (name === expected && name === "update3") {
        // Each update3 names the transaction it brings the monitor up to.
        ctx.out(`\nlast_id: ${typeof p[1] === "string" ? p[1] : ""}`);
        printUpdate(ctx, tables, all, p[2] ?? null, true, false);
      } else if (name === expected) printUpdate(ctx, tables, all, p[1] ?? null, v2, false);
      else if (name === "monitor_canceled") reject(new Fatal(`${ctx.server}: ${db} database was removed`));
    });
    rpc.onClose((why) => reject(new Fatal(`${ctx.server}: receive failed (${why})`)));
  });
  done.catch(() => undefined); // awaited below; a failure before that is reported by the request
  let initial: OJson;
  try {
    const params: OJson[] = [db, null, req];
    if (method === "monitor_cond_since") params.push(lastId);
    initial = await rpc.call(method, params);
    if (method === "monitor_cond_since") {
      const [found, id, updates] = Array.isArray(initial) ? initial : [];
      ctx.out(`found: ${found === true ? "true" : "false"}, last_id: ${typeof id === "string" ? id : ""}\n`);
      initial = updates ?? null;
    }
  } catch (e) {
    if (e instanceof RpcError) throw new Fatal(`${ctx.server}: ${method} failed: ${e.message}`);
    if (e instanceof RpcClosedError) throw new Fatal(`${ctx.server}: receive failed (${e.message})`);
    throw e;
  }
  printUpdate(ctx, tables, all, initial, v2, true);
  await done;
}

export const monitor: ClientCommand = async (ctx, args) => {
  const db = needDatabase(ctx);
  const schema = await fetchSchema(needRpc(ctx), db);
  const [tname, ...groups] = args as [string, ...string[]];
  if (tname === "ALL") {
    const names = [...schema.model.tables.keys()].sort(compareBytes);
    const tables = names.map((n) => monitored(ctx, db, schema.model.tables.get(n) as TableSchema, groups));
    await runMonitor(ctx, "monitor", tables, true, undefined);
    return;
  }
  const t = lookupTable(schema, db, tname, `${ctx.server}: `);
  await runMonitor(ctx, "monitor", [monitored(ctx, db, t, groups)], false, undefined);
};

export const monitorCond: ClientCommand = (ctx, args) => condMonitor(ctx, args, "monitor_cond", ZERO_UUID);

/** monitor-cond-since [LASTID] CONDITION TABLE...: LASTID is there when the first argument is a uuid. */
export const monitorCondSince: ClientCommand = (ctx, args) => {
  const first = args[0] ?? "";
  return UUID_RE.test(first)
    ? condMonitor(ctx, args.slice(1), "monitor_cond_since", first)
    : condMonitor(ctx, args, "monitor_cond_since", ZERO_UUID);
};

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

async function condMonitor(
  ctx: ClientContext,
  args: readonly string[],
  method: "monitor_cond" | "monitor_cond_since",
  lastId: string,
): Promise<void> {
  const db = needDatabase(ctx);
  const schema = await fetchSchema(needRpc(ctx), db);
  const [condText, tname, ...groups] = args as [string, string, ...string[]];
  const t = lookupTable(schema, db, tname, "");
  const where = parseJsonArg(condText);
  try {
    parseWhere(t, toPlainJson(where), null, true);
  } catch (e) {
    if (e instanceof OvsdbError) throw new Fatal(ovsdbErrorText(e));
    throw e;
  }
  await runMonitor(ctx, method, [monitored(ctx, db, t, groups)], false, where, lastId);
}
