// What the IDL asks the server to replicate: the <monitor-requests> (or <monitor-cond-requests>) for the
// model's tables and columns that the server's schema has. A table or column the server lacks (an older
// schema) is left out, as the C IDL does, and its values stay at their defaults in the typed rows.
import type { Json } from "../../jsonrpc/json.js";
import type { DatabaseSchema } from "../schema/types.js";
import type { ColumnOf, DbModel, TableName, Tables } from "./model.js";

/** The three monitor methods, newest first: each falls back to the next on "unknown method". */
export const MONITOR_METHODS = ["monitor_cond_since", "monitor_cond", "monitor"] as const;
export type MonitorMethod = (typeof MONITOR_METHODS)[number];

/** Which tables (all columns: true) and columns to replicate; undefined replicates everything. */
export type MonitorSpec<T> = { readonly [K in TableName<T>]?: true | readonly ColumnOf<T[K]>[] };

export interface MonitorPlan {
  /** Table → column names to ask for. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
  /** What the model has and the server does not, for the log. */
  readonly missing: readonly string[];
}

/** Decides the tables and columns to monitor, from the model, the client's wishes and the server. */
export function planMonitor<T extends Tables>(
  model: DbModel<T>,
  spec: MonitorSpec<T> | undefined,
  server: DatabaseSchema | undefined,
): MonitorPlan {
  const columns = new Map<string, string[]>();
  const missing: string[] = [];
  for (const [name, t] of model.tables) {
    const want =
      spec === undefined ? true : (spec as Record<string, true | readonly string[] | undefined>)[name];
    if (want === undefined) continue;
    const st = server?.tables.get(name);
    if (server !== undefined && st === undefined) {
      missing.push(`table ${name}`);
      continue;
    }
    const cols: string[] = [];
    for (const c of t.columns) {
      if (want !== true && !want.includes(c.prop)) continue;
      if (st !== undefined && !st.columns.has(c.name)) missing.push(`column ${name}.${c.name}`);
      else cols.push(c.name);
    }
    columns.set(name, cols);
  }
  return { columns, missing };
}

/** The requests for one monitor method; conditions go only to the methods that take them. */
export function monitorRequests(
  plan: MonitorPlan,
  method: MonitorMethod,
  conditions: ReadonlyMap<string, Json[] | undefined>,
): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [table, columns] of plan.columns) {
    const req: Record<string, Json> = { columns: [...columns] };
    const where = conditions.get(table);
    if (method !== "monitor" && where !== undefined) req.where = where;
    out[table] = [req];
  }
  return out;
}
