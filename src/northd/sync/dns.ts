// SB DNS: one row per NB DNS table used by some logical switch, with the switches that use it.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { syncTable } from "./rows.js";

export function syncDns(txn: Txn<OvnSbTables>, model: NorthdModel, dpRef: (nbUuid: string) => string): void {
  const desired = new Map<string, RowInput<OvnSbTables["DNS"]>>();
  const dpsOf = new Map<string, string[]>();
  for (const ls of model.switches)
    for (const d of ls.dnsRecords) {
      let l = dpsOf.get(d._uuid);
      if (l === undefined) {
        l = [];
        dpsOf.set(d._uuid, l);
      }
      l.push(ls.uuid);
    }
  for (const [id, dps] of dpsOf) {
    const row = model.nb.get("DNS", id);
    if (row === undefined) continue;
    desired.set(id, {
      records: new Map(row.records),
      datapaths: dps.map((d) => dpRef(d) as Uuid<"Datapath_Binding">),
      externalIds: new Map([["dns_id", id]]),
    });
  }
  syncTable(txn, model.sb, "DNS", (r) => r.externalIds.get("dns_id"), desired);
}
