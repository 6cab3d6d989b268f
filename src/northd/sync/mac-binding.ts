// Clean-up of the SB tables ovn-controller fills: MAC_Binding rows of datapaths or logical ports that
// no longer exist, FDB rows of vanished datapaths, and Static_MAC_Binding kept equal to the NB's.
// (MAC_Binding.datapath is a strong reference: a datapath cannot be deleted while rows point to it.)
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { syncTable } from "./rows.js";

export function cleanMacBindings(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  nbOfSbDp: ReadonlyMap<string, string>,
): void {
  for (const m of model.sb.rows("MAC_Binding")) {
    const dp = nbOfSbDp.get(m.datapath);
    if (dp === undefined || !model.datapaths.has(dp) || !model.ports.has(m.logicalPort))
      txn.delete("MAC_Binding", m._uuid);
  }
  const keys = new Set<number>();
  for (const dp of model.datapaths.values()) keys.add(dp.key);
  for (const f of model.sb.rows("FDB")) if (!keys.has(f.dpKey)) txn.delete("FDB", f._uuid);
}

export function syncStaticMacBindings(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  dpRef: (nbUuid: string) => string,
): void {
  const desired = new Map<string, RowInput<OvnSbTables["Static_MAC_Binding"]>>();
  const existing = new Map<string, OvnSbTables["Static_MAC_Binding"]>();
  for (const r of model.sb.rows("Static_MAC_Binding")) existing.set(`${r.logicalPort} ${r.ip}`, r);
  for (const s of model.nb.rows("Static_MAC_Binding")) {
    const port = model.ports.get(s.logicalPort);
    const key = `${s.logicalPort} ${s.ip}`;
    if (port === undefined || port.kind === "lsp") {
      // Like C northd: a binding whose port went away stays as it was while its NB row exists.
      const old = existing.get(key);
      const dpRow = old === undefined ? undefined : model.sb.get("Datapath_Binding", old.datapath);
      const dpNb = dpRow?.externalIds.get("logical-router") ?? dpRow?.externalIds.get("logical-switch");
      if (port === undefined && dpNb !== undefined && model.datapaths.has(dpNb)) desired.set(key, {});
      continue;
    }
    desired.set(`${s.logicalPort} ${s.ip}`, {
      logicalPort: s.logicalPort,
      ip: s.ip,
      mac: s.mac,
      overrideDynamicMac: s.overrideDynamicMac,
      datapath: dpRef(port.dp.uuid) as Uuid<"Datapath_Binding">,
    });
  }
  syncTable(txn, model.sb, "Static_MAC_Binding", (r) => `${r.logicalPort} ${r.ip}`, desired);
}
