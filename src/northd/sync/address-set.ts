// SB Address_Set: the NB address sets as they are, the "svc_monitor_mac" set, and for every port
// group the sets PG_ip4 and PG_ip6 of its ports' addresses (ovn-nb(5) Port_Group).
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel, PortGroup, RouterDatapath } from "../model.js";
import { reachableLbVips } from "../router/lb-model.js";
import { syncTable } from "./rows.js";
import type { SbIndex } from "./sb-index.js";

type AsRow = RowInput<OvnSbTables["Address_Set"]>;

/** The IPv4 and IPv6 addresses of a port group's ports, as printed in flows. */
export function portGroupAddresses(pg: PortGroup): { ip4: string[]; ip6: string[] } {
  const ip4 = new Set<string>();
  const ip6 = new Set<string>();
  for (const p of pg.ports) {
    for (const a of p.addresses) {
      for (const n of a.ipv4) ip4.add(n.addrS);
      for (const n of a.ipv6) ip6.add(n.addrS);
    }
  }
  return { ip4: [...ip4], ip6: [...ip6] };
}

export function desiredAddressSets(model: NorthdModel): Map<string, AsRow> {
  const out = new Map<string, AsRow>();
  for (const as of model.addressSets.values())
    out.set(as.name, { name: as.name, addresses: [...as.addresses] });
  out.set("svc_monitor_mac", { name: "svc_monitor_mac", addresses: [model.svcMonitorMac] });
  for (const pg of model.portGroups.values()) {
    const { ip4, ip6 } = portGroupAddresses(pg);
    out.set(`${pg.name}_ip4`, { name: `${pg.name}_ip4`, addresses: ip4 });
    out.set(`${pg.name}_ip6`, { name: `${pg.name}_ip6`, addresses: ip6 });
  }
  // The load balancer VIPs of each router, for the router's flows.
  for (const lr of model.routers) {
    const { ip4, ip6 } = routerLbVips(lr);
    if (ip4.length > 0) out.set(`_rtr_lb_${lr.key}_ip4`, { name: `_rtr_lb_${lr.key}_ip4`, addresses: ip4 });
    if (ip6.length > 0) out.set(`_rtr_lb_${lr.key}_ip6`, { name: `_rtr_lb_${lr.key}_ip6`, addresses: ip6 });
  }
  return out;
}

/** The VIPs of a router's load balancers in its _rtr_lb_* address sets. */
export function routerLbVips(lr: RouterDatapath): { ip4: string[]; ip6: string[] } {
  return reachableLbVips(lr);
}

/** A scoped sync: only these SB address set names (found through the index). */
export interface AsScope {
  readonly names: ReadonlySet<string>;
  readonly index: SbIndex;
}

export function syncAddressSets(txn: Txn<OvnSbTables>, model: NorthdModel, scope?: AsScope): void {
  if (scope === undefined) {
    syncTable(txn, model.sb, "Address_Set", (r) => r.name, desiredAddressSets(model));
    return;
  }
  const desired = new Map<string, AsRow>();
  for (const name of scope.names) {
    const as = model.addressSets.get(name);
    if (as !== undefined) desired.set(name, { name, addresses: [...as.addresses] });
    const m = /^(.*)_ip([46])$/.exec(name);
    const pg = m === null ? undefined : model.portGroups.get(m[1] as string);
    if (pg !== undefined && m !== null) {
      const { ip4, ip6 } = portGroupAddresses(pg);
      desired.set(name, { name, addresses: m[2] === "4" ? ip4 : ip6 });
    }
    const r = /^_rtr_lb_([0-9]+)_ip([46])$/.exec(name);
    const lr = r === null ? undefined : model.routers.find((x) => x.key === Number(r[1]));
    if (lr !== undefined && r !== null) {
      const { ip4, ip6 } = routerLbVips(lr);
      const v = r[2] === "4" ? ip4 : ip6;
      if (v.length > 0) desired.set(name, { name, addresses: v });
    }
  }
  const candidates = [...scope.names].flatMap((n) => scope.index.addressSetNamed(n) ?? []);
  syncTable(txn, model.sb, "Address_Set", (r) => r.name, desired, { candidates });
}
