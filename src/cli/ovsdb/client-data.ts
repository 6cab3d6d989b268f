// ovsdb-client's data commands: transact, query (transact plus a trailing "abort" whose result is
// dropped again) and dump (one select per table; tables by name, columns by name, rows sorted by
// their values and then by _uuid, as the C tool prints them).
import type { ColumnSchema, TableSchema } from "../../ovsdb/schema/types.js";
import { type ClientCommand, fetchSchema, needDatabase, needRpc, printTable } from "./client-context.js";
import { type CDatum, compareDatums, datumFromOJson } from "./datum-text.js";
import { Fatal } from "./fatal.js";
import {
  compareBytes,
  isObject,
  type OJson,
  type OJsonObject,
  OvsJsonError,
  parseOvsJson,
  serializeOvsJson,
} from "./ovs-json.js";
import { type OvsdbRpc, RpcClosedError, RpcError } from "./rpc.js";
import { type Cell, datumCell, EMPTY_CELL } from "./table.js";

/** Parses a JSON argument, failing as the C tools do: `"TEXT": line 0, column 1, ...: MESSAGE`. */
export function parseJsonArg(text: string): OJson {
  try {
    return parseOvsJson(text);
  } catch (e) {
    if (e instanceof OvsJsonError) throw new Fatal(`"${text}": ${e.message}`);
    throw e;
  }
}

/** Sends a transact request; JSON-RPC errors and a lost connection are fatal, as in the C tool. */
export async function transactOrDie(rpc: OvsdbRpc, params: readonly OJson[]): Promise<OJson> {
  try {
    return await rpc.call("transact", params);
  } catch (e) {
    if (e instanceof RpcError) throw new Fatal(`transaction returned error: ${e.message}`);
    if (e instanceof RpcClosedError) throw new Fatal(`transaction failed (${e.message})`);
    throw e;
  }
}

function parseTransaction(args: readonly string[]): OJson[] {
  const txn = parseJsonArg(args[args.length - 1] as string);
  if (!Array.isArray(txn) || txn.length === 0 || typeof txn[0] !== "string")
    throw new Fatal("not a valid OVSDB query");
  return txn;
}

export const transact: ClientCommand = async (ctx, args) => {
  const txn = parseTransaction(args);
  const result = await transactOrDie(needRpc(ctx), txn);
  ctx.out(`${serializeOvsJson(result, { sort: true, pretty: ctx.style.pretty })}\n`);
};

export const query: ClientCommand = async (ctx, args) => {
  const txn = parseTransaction(args);
  let result = await transactOrDie(needRpc(ctx), [...txn, { op: "abort" }]);
  if (Array.isArray(result)) {
    const last = result[result.length - 1];
    if (isObject(last) && last.error === "aborted") result = result.slice(0, -1);
  }
  ctx.out(`${serializeOvsJson(result, { sort: true, pretty: ctx.style.pretty })}\n`);
};

interface DumpTable {
  readonly table: TableSchema;
  /** Display order: by name. */
  readonly columns: readonly ColumnSchema[];
}

function dumpPlan(table: TableSchema, names: readonly string[]): DumpTable {
  const cols =
    names.length > 0
      ? names.map((n) => {
          const c = table.columns.get(n);
          if (c === undefined) throw new Fatal(`Table "${table.name}" has no column ${n}.`);
          return c;
        })
      : [...table.columns.values()].filter((c) => c.name !== "_version");
  return { table, columns: [...cols].sort((a, b) => compareBytes(a.name, b.name)) };
}

export const dump: ClientCommand = async (ctx, args) => {
  const rpc = needRpc(ctx);
  const db = needDatabase(ctx);
  const schema = await fetchSchema(rpc, db);
  let plans: DumpTable[];
  const [tname, ...colNames] = args;
  if (tname !== undefined) {
    const t = schema.model.tables.get(tname);
    if (t === undefined) throw new Fatal(`No table "${tname}" found.`);
    plans = [dumpPlan(t, colNames)];
  } else {
    const names = [...schema.model.tables.keys()].sort(compareBytes);
    plans = names.map((n) => dumpPlan(schema.model.tables.get(n) as TableSchema, []));
  }
  const ops: OJson[] = plans.map((p) => ({
    op: "select",
    table: p.table.name,
    where: [],
    columns: p.columns.map((c) => c.name),
  }));
  const result = await transactOrDie(rpc, [db, ...ops]);
  if (!Array.isArray(result) || result.length !== plans.length)
    throw new Fatal(
      `transaction returned ${Array.isArray(result) ? result.length : 0} results instead of ${plans.length}`,
    );
  plans.forEach((p, i) => {
    const r = result[i];
    const rows = isObject(r) && Array.isArray(r.rows) ? r.rows : undefined;
    if (rows === undefined)
      throw new Fatal(`${p.table.name} table reply is not an object with a "rows" member`);
    printTable(ctx, {
      caption: `${p.table.name} table`,
      headings: p.columns.map((c) => c.name),
      rows: sortRows(p, rows),
    });
  });
};

function sortRows(p: DumpTable, rows: readonly OJson[]): Cell[][] {
  const parsed = rows.map((r) => {
    const row = isObject(r) ? r : ({} as OJsonObject);
    return p.columns.map((c) => {
      const j = row[c.name];
      return j === undefined ? undefined : { json: j, datum: datumFromOJson(j, c.type) };
    });
  });
  // Values column by column, _uuid last: the C tool's order.
  const order = p.columns.map((_, i) => i).filter((i) => p.columns[i]?.name !== "_uuid");
  const uuidAt = p.columns.findIndex((c) => c.name === "_uuid");
  if (uuidAt >= 0) order.push(uuidAt);
  const empty: CDatum = { keys: [] };
  parsed.sort((a, b) => {
    for (const i of order) {
      const c = compareDatums(a[i]?.datum ?? empty, b[i]?.datum ?? empty);
      if (c !== 0) return c;
    }
    return 0;
  });
  return parsed.map((row) =>
    row.map((v, i) =>
      v === undefined ? EMPTY_CELL : datumCell(v.json, (p.columns[i] as ColumnSchema).type),
    ),
  );
}
