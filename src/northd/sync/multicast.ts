// SB Multicast_Group: the fixed groups of each datapath (ovn-sb(5) Multicast_Group; tunnel keys from
// 32768 up, as C northd numbers them): _MC_flood (every port), _MC_flood_l2 (every port but router
// ports), _MC_unknown (ports with "unknown" addresses).
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel, SwitchDatapath } from "../model.js";
import { syncTable, type TableSyncResult } from "./rows.js";
import type { SbIndex } from "./sb-index.js";

export const MC_FLOOD = { name: "_MC_flood", key: 32768 } as const;
export const MC_UNKNOWN = { name: "_MC_unknown", key: 32769 } as const;
export const MC_MROUTER_FLOOD = { name: "_MC_mrouter_flood", key: 32770 } as const;
export const MC_MROUTER_STATIC = { name: "_MC_mrouter_static", key: 32771 } as const;
export const MC_FLOOD_L2 = { name: "_MC_flood_l2", key: 32772 } as const;
export const MC_STATIC = { name: "_MC_static", key: 32773 } as const;

type McRow = RowInput<OvnSbTables["Multicast_Group"]>;

/** The groups of one switch: name → port names. */
export function switchGroups(ls: SwitchDatapath): Map<string, { key: number; ports: string[] }> {
  const out = new Map<string, { key: number; ports: string[] }>();
  const add = (g: { name: string; key: number }, port: string): void => {
    let e = out.get(g.name);
    if (e === undefined) {
      e = { key: g.key, ports: [] };
      out.set(g.name, e);
    }
    e.ports.push(port);
  };
  for (const p of ls.ports) {
    if (!p.enabled) continue;
    add(MC_FLOOD, p.name);
    if (p.type !== "router") add(MC_FLOOD_L2, p.name);
    if (p.hasUnknown) add(MC_UNKNOWN, p.name);
  }
  return out;
}

export function syncMulticastGroups(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  dpRef: (nbUuid: string) => string,
  portRef: (name: string) => string | undefined,
  nbOfSbDp: ReadonlyMap<string, string>,
  scope?: ReadonlySet<string>,
  index?: SbIndex,
  sbDpOf: (nbUuid: string) => string | undefined = () => undefined,
): TableSyncResult {
  const desired = new Map<string, McRow>();
  for (const ls of model.switches) {
    if (scope !== undefined && !scope.has(ls.uuid)) continue;
    for (const [name, g] of switchGroups(ls)) {
      desired.set(`${ls.uuid} ${name}`, {
        datapath: dpRef(ls.uuid) as Uuid<"Datapath_Binding">,
        name,
        tunnelKey: g.key,
        ports: g.ports.flatMap((p) => {
          const u = portRef(p);
          return u === undefined ? [] : [u as Uuid<"Port_Binding">];
        }),
      });
    }
  }
  let candidates: OvnSbTables["Multicast_Group"][] | undefined;
  if (scope !== undefined && index !== undefined) {
    candidates = [];
    for (const nb of scope) {
      const d = sbDpOf(nb);
      if (d !== undefined) candidates.push(...index.multicastGroupsOf(d));
    }
  }
  return syncTable(
    txn,
    model.sb,
    "Multicast_Group",
    (r) => `${nbOfSbDp.get(r.datapath) ?? "?"} ${r.name}`,
    desired,
    {
      ...(candidates !== undefined ? { candidates } : {}),
      ...(scope !== undefined && index === undefined
        ? { inScope: (r: OvnSbTables["Multicast_Group"]) => scope.has(nbOfSbDp.get(r.datapath) ?? "") }
        : {}),
    },
  );
}
