// What every ovsdb-client command gets: the connection, the database it resolved, output style, and
// where output goes. Commands print through `out` and fail by throwing Fatal.
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import { formatMsecTime } from "./cformat.js";
import { Fatal } from "./fatal.js";
import type { OJson } from "./ovs-json.js";
import { type OvsdbRpc, RpcError } from "./rpc.js";
import { type ToolSchema, toolSchema } from "./schema-json.js";
import type { Table, TablePrinter, TableStyle } from "./table.js";

export interface ClientContext {
  readonly server: string;
  /** Set for commands that need a connection. */
  readonly rpc: OvsdbRpc | undefined;
  /** Set for commands that act on one database. */
  readonly database: string | undefined;
  readonly style: TableStyle;
  /** --timestamp: print the time with each monitor update. */
  readonly timestamp: boolean;
  /** The PKI options, for commands that connect by themselves. */
  readonly ssl?: SslOptions;
  /** --force (restore). */
  readonly force?: boolean;
  readonly printer: TablePrinter;
  out(text: string): void;
  /** Wall-clock milliseconds since the epoch (for --timestamp). */
  now(): number;
}

export type ClientCommand = (ctx: ClientContext, args: readonly string[]) => Promise<void>;

export function needRpc(ctx: ClientContext): OvsdbRpc {
  if (ctx.rpc === undefined) throw new Error("command needs a connection");
  return ctx.rpc;
}

export function needDatabase(ctx: ClientContext): string {
  if (ctx.database === undefined) throw new Error("command needs a database");
  return ctx.database;
}

/** get_schema for a database; a failure is fatal with the C tool's wording. */
export async function fetchSchema(rpc: OvsdbRpc, database: string): Promise<ToolSchema> {
  let reply: OJson;
  try {
    reply = await rpc.call("get_schema", [database]);
  } catch (e) {
    if (e instanceof RpcError) throw new Fatal(`get_schema request failed: ${e.message}`);
    throw e;
  }
  try {
    return toolSchema(reply);
  } catch (e) {
    throw new Fatal(e instanceof Error ? e.message : String(e));
  }
}

/** The list_dbs reply, checked. */
export async function fetchDbs(rpc: OvsdbRpc): Promise<string[]> {
  const reply = await rpc.call("list_dbs", []);
  if (!Array.isArray(reply) || !reply.every((d) => typeof d === "string"))
    throw new Fatal(`${rpc.remote}: list_dbs response is not array of strings`);
  return reply as string[];
}

export function printTable(ctx: ClientContext, t: Table): void {
  ctx.out(ctx.printer.print(t));
}

export function timestampNow(ctx: ClientContext): string {
  return formatMsecTime(ctx.now());
}
