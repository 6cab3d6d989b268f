// The one table of the _Server database (ovsdb-server(5)) that a client follows to pick a server: the
// state of each database the server serves. Written by hand because _Server is not a schema file.
import { SERVER_SCHEMA_JSON } from "../server/server-schema.js";
import { type DbModel, defineModel, propName, type Uuid } from "./model.js";

export interface ServerDatabase {
  readonly _uuid: Uuid<"Database">;
  readonly name: string;
  readonly model: "clustered" | "relay" | "standalone";
  readonly connected: boolean;
  readonly leader: boolean;
  /** The database's schema as JSON text; empty while a clustered database has not got one yet. */
  readonly schema: string | undefined;
  readonly sid: string | undefined;
  readonly cid: string | undefined;
  /** Raft log index of a clustered database. */
  readonly index: number | undefined;
}

export type ServerTables = { readonly Database: ServerDatabase };

const columns = Object.entries(SERVER_SCHEMA_JSON.tables.Database.columns).map(
  ([name, c]) => [propName(name), name, c.type] as const,
);

export const serverModel: DbModel<ServerTables> = defineModel<ServerTables>({
  name: "_Server",
  version: SERVER_SCHEMA_JSON.version,
  cksum: SERVER_SCHEMA_JSON.cksum,
  tables: { Database: { isRoot: true, columns } },
});

/** The columns the C IDL asks for (it leaves out sid). */
export const SERVER_MONITOR_COLUMNS = ["name", "model", "connected", "leader", "schema", "cid", "index"];
