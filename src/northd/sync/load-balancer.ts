// SB Load_Balancer: one row per NB load balancer used by some logical switch (ovn-controller needs
// the VIPs of switches for hairpin handling), with its switches as a Logical_DP_Group, the NB
// vips/protocol/options and options:hairpin_orig_tuple=true (the ct_orig tuple is available).
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import { parseTemplateVip } from "../lb.js";
import type { NorthdModel } from "../model.js";
import { switchLbs } from "../switch/lb-set.js";
import { valueEquals } from "./rows.js";
import type { SbIndex } from "./sb-index.js";

export function syncLoadBalancers(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  dpRef: (nbUuid: string) => string,
  nbOfSbDp: ReadonlyMap<string, string>,
  /** A scoped sync: only these load balancers (NB uuids), their SB rows found through the index. */
  scope?: { readonly lbIds: ReadonlySet<string>; readonly index: SbIndex },
): void {
  // The switches each LB is installed on: its own, and with install_ls_lb_from_router=true those next to
  // its routers (ovn-northd 23.03 lists them in the SB row too).
  const switchesOf = new Map<string, string[]>();
  for (const ls of model.switches)
    for (const { lb } of switchLbs(ls, model)) {
      let l = switchesOf.get(lb.uuid);
      if (l === undefined) {
        l = [];
        switchesOf.set(lb.uuid, l);
      }
      l.push(ls.uuid);
    }
  const seen = new Set<string>();
  const rows =
    scope === undefined
      ? model.sb.rows("Load_Balancer")
      : [...scope.lbIds].flatMap((id) => scope.index.loadBalancersOf(id));
  for (const row of rows) {
    const id = row.externalIds.get("lb_id");
    const lb = id === undefined ? undefined : model.loadBalancers.get(id);
    const dps = id === undefined ? undefined : switchesOf.get(id);
    if (id === undefined || lb === undefined || dps === undefined || seen.has(id)) {
      txn.delete("Load_Balancer", row._uuid);
      continue;
    }
    seen.add(id);
    const want = lbColumns(lb.nb);
    const diff: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(want))
      if (!valueEquals((row as unknown as Record<string, unknown>)[k], v)) diff[k] = v;
    const have = (
      row.datapathGroup === undefined
        ? []
        : (model.sb.get("Logical_DP_Group", row.datapathGroup)?.datapaths ?? [])
    )
      .map((d) => nbOfSbDp.get(d) ?? "?")
      .sort();
    if (have.join(",") !== [...dps].sort().join(",") || row.datapaths.length > 0) {
      diff.datapaths = [];
      diff.datapathGroup = txn.insert("Logical_DP_Group", {
        datapaths: dps.map((d) => dpRef(d) as Uuid<"Datapath_Binding">),
      });
    }
    if (Object.keys(diff).length > 0) txn.update("Load_Balancer", row._uuid, diff);
  }
  for (const [id, dps] of switchesOf) {
    const lb = model.loadBalancers.get(id);
    if (lb === undefined || seen.has(id) || (scope !== undefined && !scope.lbIds.has(id))) continue;
    const group = txn.insert("Logical_DP_Group", {
      datapaths: dps.map((d) => dpRef(d) as Uuid<"Datapath_Binding">),
    });
    txn.insert("Load_Balancer", { ...lbColumns(lb.nb), datapathGroup: group });
  }
}

/**
 * The vips column: the NB one, except for an IPv6 template load balancer, whose valid VIPs are written
 * with the template variable in brackets ("[^vip]:port") for ovn-controller to parse.
 */
function sbVips(nb: {
  vips: ReadonlyMap<string, string>;
  options: ReadonlyMap<string, string>;
}): Map<string, string> {
  if (nb.options.get("template") !== "true" || (nb.options.get("address-family") ?? "ipv4") === "ipv4")
    return new Map(nb.vips);
  const out = new Map<string, string>();
  for (const [k, v] of nb.vips) {
    const vip = parseTemplateVip(k, v, 6);
    if (vip === undefined) continue;
    const port = vip.port === undefined ? "" : `:${vip.port}`;
    out.set(vip.ip.startsWith("^") ? `[${vip.ip}]${port}` : `${vip.ip}${port}`, v);
  }
  return out;
}

function lbColumns(
  nb: NorthdModel["loadBalancers"] extends ReadonlyMap<string, infer L>
    ? L extends { nb: infer N }
      ? N
      : never
    : never,
) {
  const options = new Map(nb.options);
  options.set("hairpin_orig_tuple", "true");
  const ids = new Map<string, string>([["lb_id", nb._uuid]]);
  for (const [k, v] of nb.externalIds) ids.set(k, v);
  return {
    name: nb.name,
    vips: sbVips(nb),
    protocol: nb.protocol ?? ("tcp" as const),
    options,
    externalIds: ids,
  };
}
