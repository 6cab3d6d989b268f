// ovsdb-client's server and schema commands: list-dbs, get-schema, get-schema-version,
// get-schema-cksum, list-tables, list-columns. Tables and columns are listed in the C tool's hash-table
// order (hash-order.ts); database names sorted.
import {
  type ClientCommand,
  type ClientContext,
  fetchDbs,
  fetchSchema,
  needDatabase,
  needRpc,
  printTable,
} from "./client-context.js";
import { compareBytes, serializeOvsJson } from "./ovs-json.js";
import { schemaToOJson, type ToolSchema, typeToOJson } from "./schema-json.js";
import { type Cell, jsonCell, textCell } from "./table.js";

async function schemaOf(ctx: ClientContext): Promise<ToolSchema> {
  return fetchSchema(needRpc(ctx), needDatabase(ctx));
}

export const listDbs: ClientCommand = async (ctx) => {
  const dbs = await fetchDbs(needRpc(ctx));
  for (const d of [...dbs].sort(compareBytes)) ctx.out(`${d}\n`);
};

export const getSchema: ClientCommand = async (ctx) => {
  const s = await schemaOf(ctx);
  ctx.out(`${serializeOvsJson(schemaToOJson(s), { sort: true, pretty: ctx.style.pretty })}\n`);
};

export const getSchemaVersion: ClientCommand = async (ctx) => {
  const s = await schemaOf(ctx);
  ctx.out(`${typeof s.json.version === "string" ? s.json.version : ""}\n`);
};

export const getSchemaCksum: ClientCommand = async (ctx) => {
  const s = await schemaOf(ctx);
  ctx.out(`${typeof s.json.cksum === "string" ? s.json.cksum : ""}\n`);
};

export const listTables: ClientCommand = async (ctx) => {
  const s = await schemaOf(ctx);
  printTable(ctx, { headings: ["Table"], rows: s.tableOrder.map((t) => [textCell(t)]) });
};

export const listColumns: ClientCommand = async (ctx, args) => {
  const s = await schemaOf(ctx);
  const only = args[0];
  const rows: Cell[][] = [];
  for (const tname of s.tableOrder) {
    if (only !== undefined && tname !== only) continue;
    const table = s.model.tables.get(tname);
    if (table === undefined) continue;
    for (const cname of s.columnOrder(tname)) {
      const col = table.columns.get(cname);
      if (col === undefined) continue;
      const cells = [textCell(cname), jsonCell(typeToOJson(col.type))];
      rows.push(only === undefined ? [textCell(tname), ...cells] : cells);
    }
  }
  const headings = only === undefined ? ["Table", "Column", "Type"] : ["Column", "Type"];
  printTable(ctx, { headings, rows });
};
