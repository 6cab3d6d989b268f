// The Southbound side of IGMP/MLD snooping, pure: the snooping settings of the local switches from
// their IP_Multicast rows (ovn-sb(5); unset columns take ovn-northd's defaults), and the IGMP_Group
// rows this chassis must have for what it learned -- one row per (datapath, address) with this chassis
// and the Port_Binding rows of the joined local ports, as ovn-controller writes them; and, as
// ovn-controller 23.03 does for every snooping switch (observed), a row with the address "mrouters" for
// the local ports multicast routers were learned on (their queries; ovn-northd adds them to the
// switch's _MC_mrouter_flood). Rows of this chassis that nothing learned any more are deleted; other chassis's rows are
// never touched.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import { DEFAULT_SNOOP, type SnoopConfig, type SnoopedGroup } from "../pinctrl/igmp-snoop.js";

/** The snooping settings of each switch with an IP_Multicast row, by datapath tunnel key. */
export function snoopConfigs(
  rows: readonly OvnSbTables["IP_Multicast"][],
  dpKeyOf: (datapathUuid: string) => number | undefined,
): Map<number, SnoopConfig> {
  const out = new Map<number, SnoopConfig>();
  for (const r of rows) {
    const key = dpKeyOf(r.datapath);
    if (key === undefined) continue;
    const idleTimeout = r.idleTimeout ?? DEFAULT_SNOOP.idleTimeout;
    out.set(key, {
      enabled: r.enabled ?? DEFAULT_SNOOP.enabled,
      querier: r.querier ?? DEFAULT_SNOOP.querier,
      ethSrc: r.ethSrc,
      ip4Src: r.ip4Src,
      ip6Src: r.ip6Src,
      tableSize: r.tableSize ?? DEFAULT_SNOOP.tableSize,
      idleTimeout,
      queryInterval: r.queryInterval ?? Math.max(1, Math.floor(idleTimeout / 2)),
      queryMaxResp: r.queryMaxResp ?? DEFAULT_SNOOP.queryMaxResp,
    });
  }
  return out;
}

export type IgmpRowOp =
  | {
      readonly op: "insert";
      readonly address: string;
      readonly datapath: string;
      readonly chassis: string;
      readonly ports: readonly string[];
    }
  | { readonly op: "update"; readonly uuid: string; readonly ports: readonly string[] }
  | { readonly op: "delete"; readonly uuid: string };

/** The address of the row that lists the learned multicast router ports (ovn-controller's). */
export const MROUTERS = "mrouters";

export interface IgmpSbContext {
  /** This chassis's Chassis row. */
  readonly chassis: string;
  /** Datapath_Binding UUID by tunnel key. */
  readonly datapathByKey: ReadonlyMap<number, string>;
  /** Port_Binding UUID by `${datapath key}:${port key}`. */
  readonly portByKeys: ReadonlyMap<string, string>;
  readonly existing: readonly OvnSbTables["IGMP_Group"][];
  /** Tunnel keys of the local switches that snoop (each gets its "mrouters" row). */
  readonly snooping: readonly number[];
  /** The multicast router ports (tunnel keys) learned on a snooping switch. */
  readonly mrouters: (datapath: number) => readonly number[];
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join(" ") === [...b].sort().join(" ");

/** The row operations that make this chassis's IGMP_Group rows say `groups`. */
export function planIgmpGroups(groups: readonly SnoopedGroup[], ctx: IgmpSbContext): IgmpRowOp[] {
  const mine = new Map<string, OvnSbTables["IGMP_Group"]>();
  for (const r of ctx.existing)
    if (r.chassis === ctx.chassis && r.datapath !== undefined) mine.set(`${r.datapath} ${r.address}`, r);
  const ops: IgmpRowOp[] = [];
  const kept = new Set<string>();
  const rowsOf = (dp: number, keys: readonly number[]) =>
    keys.flatMap((p) => {
      const u = ctx.portByKeys.get(`${dp}:${p}`);
      return u === undefined ? [] : [u];
    });
  for (const dp of ctx.snooping) {
    const datapath = ctx.datapathByKey.get(dp);
    if (datapath === undefined) continue;
    const key = `${datapath} ${MROUTERS}`;
    kept.add(key);
    const ports = rowsOf(dp, ctx.mrouters(dp));
    const old = mine.get(key);
    if (old === undefined)
      ops.push({ op: "insert", address: MROUTERS, datapath, chassis: ctx.chassis, ports });
    else if (!sameSet(old.ports, ports)) ops.push({ op: "update", uuid: old._uuid, ports });
  }
  for (const g of groups) {
    const datapath = ctx.datapathByKey.get(g.datapath);
    if (datapath === undefined) continue;
    const ports = rowsOf(g.datapath, g.ports);
    if (ports.length === 0) continue;
    const key = `${datapath} ${g.group}`;
    kept.add(key);
    const old = mine.get(key);
    if (old === undefined)
      ops.push({ op: "insert", address: g.group, datapath, chassis: ctx.chassis, ports });
    else if (!sameSet(old.ports, ports)) ops.push({ op: "update", uuid: old._uuid, ports });
  }
  for (const [key, r] of mine) if (!kept.has(key)) ops.push({ op: "delete", uuid: r._uuid });
  return ops;
}
