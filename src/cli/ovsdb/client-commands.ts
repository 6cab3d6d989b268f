// The ovsdb-client command table: each command's needs and argument counts (after SERVER and DATABASE),
// which drive the C tool's argument rules (see resolveTarget in ../ovsdb-client.ts).
import type { ClientCommand } from "./client-context.js";
import { dump, query, transact } from "./client-data.js";
import { lock, steal, unlock } from "./client-lock.js";
import { monitor, monitorCond } from "./client-monitor.js";
import {
  getSchema,
  getSchemaCksum,
  getSchemaVersion,
  listColumns,
  listDbs,
  listTables,
} from "./client-schema.js";

export interface ClientCommandSpec {
  /** "rpc": connects; "database": connects and picks a database. */
  readonly need: "rpc" | "database";
  readonly min: number;
  readonly max: number;
  readonly run: ClientCommand;
}

const MANY = Number.POSITIVE_INFINITY;

export const CLIENT_COMMANDS: Readonly<Record<string, ClientCommandSpec>> = {
  "list-dbs": { need: "rpc", min: 0, max: 0, run: listDbs },
  "get-schema": { need: "database", min: 0, max: 0, run: getSchema },
  "get-schema-version": { need: "database", min: 0, max: 0, run: getSchemaVersion },
  "get-schema-cksum": { need: "database", min: 0, max: 0, run: getSchemaCksum },
  "list-tables": { need: "database", min: 0, max: 0, run: listTables },
  "list-columns": { need: "database", min: 0, max: 1, run: listColumns },
  // The transaction is the last argument; a first one that is not a server is ignored, as in C.
  transact: { need: "rpc", min: 1, max: 2, run: transact },
  query: { need: "rpc", min: 1, max: 2, run: query },
  monitor: { need: "database", min: 1, max: MANY, run: monitor },
  "monitor-cond": { need: "database", min: 2, max: 3, run: monitorCond },
  dump: { need: "database", min: 0, max: MANY, run: dump },
  lock: { need: "rpc", min: 1, max: 1, run: lock },
  steal: { need: "rpc", min: 1, max: 1, run: steal },
  unlock: { need: "rpc", min: 1, max: 1, run: unlock },
};
