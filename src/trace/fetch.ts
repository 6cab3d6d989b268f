// A one-shot read of the Southbound tables the tracer needs: one `transact` of `select`s (all rows, all
// columns), sent through whatever JSON-RPC request function the caller has.

import { type JsonTable, TRACE_TABLES, type TraceDb, type TraceTables, traceDbFromTables } from "./sb.js";

export type RequestFn = (method: string, params: unknown[]) => Promise<unknown>;

export async function fetchTraceDb(request: RequestFn, dbName = "OVN_Southbound"): Promise<TraceDb> {
  const ops = TRACE_TABLES.map((table) => ({ op: "select", table, where: [] }));
  const reply = await request("transact", [dbName, ...ops]);
  if (!Array.isArray(reply)) throw new Error("transact: unexpected reply");
  const tables: Record<string, JsonTable> = {};
  TRACE_TABLES.forEach((name, i) => {
    const r = reply[i] as { rows?: Record<string, unknown>[]; error?: string; details?: string } | null;
    if (r?.error !== undefined)
      throw new Error(`select ${name}: ${r.error}${r.details ? ` (${r.details})` : ""}`);
    const byUuid: Record<string, Record<string, unknown>> = {};
    for (const row of r?.rows ?? []) {
      const u = row._uuid;
      const uuid = Array.isArray(u) ? String(u[1]) : String(u);
      byUuid[uuid] = row;
    }
    tables[name] = byUuid;
  });
  return traceDbFromTables(tables as TraceTables);
}
