// SB IP_Multicast: one row per logical switch with its IGMP/MLD snooping settings from
// Logical_Switch other_config:mcast_* (ovn-nb(5)), defaults as C northd applies them.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel, SwitchDatapath } from "../model.js";
import { syncTable } from "./rows.js";
import type { SbIndex } from "./sb-index.js";

function num(m: ReadonlyMap<string, string>, k: string, dflt: number): number {
  const v = m.get(k);
  return v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : dflt;
}

export function mcastConfig(ls: SwitchDatapath): RowInput<OvnSbTables["IP_Multicast"]> {
  const oc = ls.nb.otherConfig;
  const idle = num(oc, "mcast_idle_timeout", 300);
  return {
    enabled: oc.get("mcast_snoop") === "true",
    querier: oc.get("mcast_querier") !== "false",
    ethSrc: oc.get("mcast_eth_src") ?? "",
    ip4Src: oc.get("mcast_ip4_src") ?? "",
    ip6Src: oc.get("mcast_ip6_src") ?? "",
    tableSize: num(oc, "mcast_table_size", 2048),
    idleTimeout: idle,
    queryInterval: num(oc, "mcast_query_interval", Math.floor(idle / 2)),
    queryMaxResp: num(oc, "mcast_query_max_response", 1),
  };
}

export function syncIpMulticast(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  dpRef: (nbUuid: string) => string,
  nbOfSbDp: ReadonlyMap<string, string>,
  scope?: { readonly dps: ReadonlySet<string>; readonly index: SbIndex },
): void {
  const desired = new Map<string, RowInput<OvnSbTables["IP_Multicast"]>>();
  for (const ls of model.switches)
    if (scope === undefined || scope.dps.has(ls.uuid))
      desired.set(ls.uuid, { ...mcastConfig(ls), datapath: dpRef(ls.uuid) as Uuid<"Datapath_Binding"> });
  const candidates =
    scope === undefined
      ? undefined
      : [...scope.dps].flatMap((u) => {
          const d = dpRef(u);
          return d === "" ? [] : scope.index.ipMulticastOf(d);
        });
  syncTable(txn, model.sb, "IP_Multicast", (r) => nbOfSbDp.get(r.datapath), desired, {
    insertOnly: { seqNo: 0 },
    ...(candidates !== undefined ? { candidates } : {}),
  });
}
