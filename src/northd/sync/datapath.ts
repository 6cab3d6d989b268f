// SB Datapath_Binding: one row per logical switch and router, keyed by the NB uuid in external_ids
// (logical-switch / logical-router), with its tunnel key and the external_ids C northd writes.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { Datapath, NorthdModel } from "../model.js";
import { syncTable, type TableSyncResult } from "./rows.js";

type DpRow = RowInput<OvnSbTables["Datapath_Binding"]>;

export function datapathExternalIds(dp: Datapath): Map<string, string> {
  const ids = new Map<string, string>();
  ids.set(dp.kind === "switch" ? "logical-switch" : "logical-router", dp.uuid);
  // C writes the name only when there is one; Neutron's name goes in name2.
  if (dp.name !== "") ids.set("name", dp.name);
  const name2 = dp.nb.externalIds.get("neutron:network_name");
  if (name2 !== undefined && name2 !== "") ids.set("name2", name2);
  if (dp.kind === "switch") {
    const ts = dp.nb.otherConfig.get("interconn-ts");
    if (ts !== undefined) ids.set("interconn-ts", ts);
  } else {
    const zone = dp.nb.options.get("snat-ct-zone");
    if (zone !== undefined) ids.set("snat-ct-zone", zone);
    if (dp.nb.options.get("always_learn_from_arp_request") === "false")
      ids.set("always_learn_from_arp_request", "false");
  }
  return ids;
}

/** The NB uuid a Datapath_Binding row belongs to. */
export function nbUuidOfDatapath(row: OvnSbTables["Datapath_Binding"]): string | undefined {
  return row.externalIds.get("logical-switch") ?? row.externalIds.get("logical-router");
}

/**
 * Syncs the Datapath_Binding rows of the datapaths in `scope` (all when undefined); `sbOf` finds the
 * existing SB row of a datapath for a scoped sync.
 */
export function syncDatapaths(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  scope?: ReadonlySet<string>,
  sbOf?: (nbUuid: string) => OvnSbTables["Datapath_Binding"] | undefined,
): TableSyncResult {
  const desired = new Map<string, DpRow>();
  for (const dp of model.datapaths.values())
    if (scope === undefined || scope.has(dp.uuid))
      desired.set(dp.uuid, { tunnelKey: dp.key, externalIds: datapathExternalIds(dp) });
  let candidates: OvnSbTables["Datapath_Binding"][] | undefined;
  if (scope !== undefined && sbOf !== undefined) {
    candidates = [];
    for (const u of scope) {
      const r = sbOf(u);
      if (r !== undefined) candidates.push(r);
    }
  }
  return syncTable(txn, model.sb, "Datapath_Binding", nbUuidOfDatapath, desired, {
    ...(candidates !== undefined ? { candidates } : {}),
  });
}
