// SB Multicast_Group: the fixed groups of each datapath (ovn-sb(5) Multicast_Group; tunnel keys from
// 32768 up, as C northd numbers them): _MC_flood (every port), _MC_flood_l2 (every port but router
// ports), _MC_unknown (ports with "unknown" addresses), _MC_mrouter_flood (ports towards relaying
// routers and ports with options:mcast_flood_reports), _MC_static (ports with options:mcast_flood; on
// a router, its router ports with mcast_flood); and the IP multicast groups learned by the
// controllers (./igmp-groups.ts), named by their address, keys from 32774 up.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel, RouterDatapath, SwitchDatapath } from "../model.js";
import { allocateGroupKeys, igmpGroups } from "./igmp-groups.js";
import { syncTable, type TableSyncResult } from "./rows.js";
import type { SbIndex } from "./sb-index.js";

export const MC_FLOOD = { name: "_MC_flood", key: 32768 } as const;
export const MC_UNKNOWN = { name: "_MC_unknown", key: 32769 } as const;
export const MC_MROUTER_FLOOD = { name: "_MC_mrouter_flood", key: 32770 } as const;
// ovn-northd 23.03 numbers _MC_static 32771 (observed); no group carries the name _MC_mrouter_static.
export const MC_STATIC = { name: "_MC_static", key: 32771 } as const;
export const MC_FLOOD_L2 = { name: "_MC_flood_l2", key: 32772 } as const;

type McRow = RowInput<OvnSbTables["Multicast_Group"]>;

/** The groups of one switch: name → port names. */
export function switchGroups(
  ls: SwitchDatapath,
  mrouters: ReadonlySet<string> = new Set(),
): Map<string, { key: number; ports: string[] }> {
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
    if (
      p.peer?.dp.nb.options.get("mcast_relay") === "true" ||
      p.nb.options.get("mcast_flood_reports") === "true" ||
      mrouters.has(p.name)
    )
      add(MC_MROUTER_FLOOD, p.name);
    if (p.nb.options.get("mcast_flood") === "true") add(MC_STATIC, p.name);
  }
  return out;
}

/**
 * The fixed groups of one router: _MC_static of its flooding ports, whether or not it relays
 * multicast (ovn-northd 23.03 writes the group either way; only a relaying router's flows use it).
 */
export function routerGroups(lr: RouterDatapath): Map<string, { key: number; ports: string[] }> {
  const out = new Map<string, { key: number; ports: string[] }>();
  const ports = lr.ports.filter((p) => p.enabled && p.nb.options.get("mcast_flood") === "true");
  if (ports.length > 0) out.set(MC_STATIC.name, { key: MC_STATIC.key, ports: ports.map((p) => p.name) });
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
  const put = (dp: string, name: string, key: number, ports: readonly string[]): void => {
    desired.set(`${dp} ${name}`, {
      datapath: dpRef(dp) as Uuid<"Datapath_Binding">,
      name,
      tunnelKey: key,
      ports: ports.flatMap((p) => {
        const u = portRef(p);
        return u === undefined ? [] : [u as Uuid<"Port_Binding">];
      }),
    });
  };
  const igmp = igmpGroups(model);
  const learned = igmp.byDatapath;
  const groupsOf = (d: string): readonly OvnSbTables["Multicast_Group"][] => {
    const sbDp = sbDpOf(d);
    if (sbDp === undefined) return [];
    return index !== undefined
      ? index.multicastGroupsOf(sbDp)
      : model.sb.rows("Multicast_Group").filter((r) => r.datapath === sbDp);
  };
  const fixed = (dp: SwitchDatapath | RouterDatapath) =>
    dp.kind === "switch" ? switchGroups(dp, igmp.mrouters.get(dp.uuid)) : routerGroups(dp);
  for (const dp of [...model.switches, ...model.routers]) {
    if (scope !== undefined && !scope.has(dp.uuid)) continue;
    for (const [name, g] of fixed(dp)) put(dp.uuid, name, g.key, g.ports);
    const ip = learned.get(dp.uuid);
    if (ip === undefined) continue;
    const keys = allocateGroupKeys(ip, new Map(groupsOf(dp.uuid).map((r) => [r.name, r.tunnelKey])));
    for (const g of ip) {
      const key = keys.get(g.address);
      if (key !== undefined) put(dp.uuid, g.address, key, g.ports);
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
