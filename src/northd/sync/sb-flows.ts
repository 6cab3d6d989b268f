// The SB Logical_Flow table read once, with a select, instead of being replicated: northd writes that
// table and, after reading it at start-up (or after a reconnect), knows its contents from its own
// writes. Not monitoring it saves the memory of a second copy of every flow and the work of taking
// back every row it wrote. The select's rows become typed rows through a scratch replica.
import type { Json } from "../../jsonrpc/json.js";
import { type OvnSbTables, ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { tableModel } from "../../ovsdb/idl/model.js";
import { Replica } from "../../ovsdb/idl/replica.js";
import { STAGES } from "../stages.js";

type Flow = OvnSbTables["Logical_Flow"];

/** Typed rows from the rows of a select on Logical_Flow (every column and _uuid). */
export function flowsFromSelect(rows: readonly Json[]): Flow[] {
  const updates: Record<string, Json> = {};
  for (const r of rows) {
    if (typeof r !== "object" || r === null || Array.isArray(r)) continue;
    const u = r._uuid;
    const uuid = Array.isArray(u) && typeof u[1] === "string" ? u[1] : undefined;
    if (uuid === undefined) continue;
    const { _uuid, _version, ...cols } = r;
    void _uuid;
    void _version;
    updates[uuid] = { new: cols };
  }
  const replica = new Replica(ovnSbModel);
  replica.reset({ Logical_Flow: updates }, "update");
  const t = tableModel(ovnSbModel, "Logical_Flow");
  return [...replica.rows("Logical_Flow").values()].map((rec) => rec.typed(t) as Flow);
}

/**
 * Reads the whole Logical_Flow table through the IDL's connection: one select per (pipeline, table),
 * each its own transaction, so that no reply comes near the JSON-RPC message size limit (a single select
 * of 100k+ flows is larger than 64 MiB).
 */
export async function selectFlows(sb: Idl<OvnSbTables>): Promise<Flow[]> {
  const pages: Promise<readonly Json[]>[] = [];
  for (const pipeline of ["ingress", "egress"] as const) {
    for (let table = 0; table <= MAX_TABLE; table++) {
      const txn = sb.txn();
      const ref = txn.select("Logical_Flow", [
        ["pipeline", "==", pipeline],
        ["tableId", "==", table],
      ]);
      pages.push(sb.commit(txn).then((r) => r.rows(ref)));
    }
    // Rows outside the known tables (another northd version's), so that they can be deleted too.
    const txn = sb.txn();
    const ref = txn.select("Logical_Flow", [
      ["pipeline", "==", pipeline],
      ["tableId", ">", MAX_TABLE],
    ]);
    pages.push(sb.commit(txn).then((r) => r.rows(ref)));
  }
  return flowsFromSelect((await Promise.all(pages)).flat());
}

/** The largest logical table id of any pipeline (ovn-northd 23.03: 26, the switch ingress). */
const MAX_TABLE = Math.max(...Object.values(STAGES).map((s) => s.table));

/** The SB monitor: every table but Logical_Flow. */
export function sbMonitorSpec(): { [table: string]: true } {
  const spec: { [table: string]: true } = {};
  for (const name of ovnSbModel.tables.keys()) if (name !== "Logical_Flow") spec[name] = true;
  return spec;
}
