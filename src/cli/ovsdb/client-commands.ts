// The ovsdb-client command table: each command's needs and argument counts (after SERVER and DATABASE),
// which drive the C tool's argument rules (see resolveTarget in ../ovsdb-client.ts).
import { backup, restore } from "./client-backup.js";
import type { ClientCommand } from "./client-context.js";
import { convert, needsConversion } from "./client-convert.js";
import { dump, query, transact } from "./client-data.js";
import { lock, steal, unlock } from "./client-lock.js";
import { monitor, monitorCond, monitorCondSince } from "./client-monitor.js";
import {
  getSchema,
  getSchemaCksum,
  getSchemaVersion,
  listColumns,
  listDbs,
  listTables,
} from "./client-schema.js";
import { wait } from "./client-wait.js";

export interface ClientCommandSpec {
  /** "rpc": connects; "database": connects and picks a database; "server": connects by itself. */
  readonly need: "rpc" | "database" | "server";
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
  "monitor-cond-since": { need: "database", min: 2, max: MANY, run: monitorCondSince },
  dump: { need: "database", min: 0, max: MANY, run: dump },
  backup: { need: "database", min: 0, max: 0, run: backup },
  restore: { need: "database", min: 0, max: 0, run: restore },
  wait: { need: "server", min: 2, max: 2, run: wait },
  // The schema file is the last argument; a first one that is not a server is ignored, as for transact.
  convert: { need: "rpc", min: 1, max: 2, run: convert },
  "needs-conversion": { need: "rpc", min: 1, max: 2, run: needsConversion },
  lock: { need: "rpc", min: 1, max: 1, run: lock },
  steal: { need: "rpc", min: 1, max: 1, run: steal },
  unlock: { need: "rpc", min: 1, max: 1, run: unlock },
};
