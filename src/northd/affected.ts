// Which datapaths an NB change can affect: every NB row northd joins into a datapath is indexed to it
// (ports, ACLs, port groups, QoS, DNS, DHCP options, load balancers and groups, NATs, routes,
// policies, gateway chassis), and a datapath's neighbours (the datapaths across its ports' peers) are
// affected with it, because flows on one side read the other side's addresses.
import { monitoredBackendsByPort } from "./lb.js";
import type { NorthdModel } from "./model.js";

/** NB row uuid → NB uuids of the datapaths whose flows or SB rows depend on it. */
export type RowIndex = Map<string, Set<string>>;

/** BFD row uuids by logical_port: a BFD row belongs to the router of the port it names. */
function bfdByPort(model: NorthdModel): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const b of model.nb.rows("BFD")) {
    const l = out.get(b.logicalPort);
    if (l === undefined) out.set(b.logicalPort, [b._uuid]);
    else l.push(b._uuid);
  }
  return out;
}

/** The (row, datapath) pairs one datapath contributes to the index. */
function contributions(
  model: NorthdModel,
  dpUuid: string,
  bfd: ReadonlyMap<string, string[]>,
): [string, string][] {
  const monitored = monitoredBackendsByPort(model.loadBalancers);
  const out: [string, string][] = [];
  const put = (row: string | undefined, dp: string): void => {
    if (row !== undefined) out.push([row, dp]);
  };
  const dp = model.datapaths.get(dpUuid);
  if (dp === undefined) return out;
  const d = dp.uuid;
  put(d, d);
  if (dp.kind === "switch") {
    const ls = dp;
    for (const p of ls.ports) {
      put(p.nb._uuid, d);
      put(p.nb.dhcpv4Options, d);
      put(p.nb.dhcpv6Options, d);
      put(p.nb.haChassisGroup, d);
      if (p.peer !== undefined) put(p.nb._uuid, p.peer.dp.uuid);
      // A health-checked backend's switch answers ARP for the probes' source (switch/arp-nd.ts).
      for (const m of monitored.get(p.name) ?? []) {
        put(m.lb.uuid, d);
        put(m.vip.healthCheck?._uuid, d);
      }
    }
    for (const u of ls.nb.ports) put(u, d);
    for (const a of ls.acls) put(a.acl._uuid, d);
    for (const pg of ls.portGroups) put(pg.nb._uuid, d);
    for (const q of ls.qosRules) put(q._uuid, d);
    for (const r of ls.dnsRecords) put(r._uuid, d);
    for (const lb of ls.loadBalancers) {
      put(lb.uuid, d);
      for (const h of lb.nb.healthCheck) put(h, d);
    }
    for (const g of ls.nb.loadBalancerGroup) put(g, d);
    for (const f of ls.nb.forwardingGroups) put(f, d);
  } else {
    const lr = dp;
    for (const p of lr.ports) {
      put(p.nb._uuid, d);
      for (const g of p.nb.gatewayChassis) put(g, d);
      put(p.nb.haChassisGroup, d);
      for (const b of bfd.get(p.name) ?? []) put(b, d);
      if (p.peer !== undefined) {
        put(p.nb._uuid, p.peer.dp.uuid);
        put(p.peer.nb._uuid, d);
      }
    }
    for (const u of lr.nb.ports) put(u, d);
    for (const n of lr.nats) {
      put(n._uuid, d);
      // The NAT flows name these address sets: a rename changes them.
      put(n.allowedExtIps, d);
      put(n.exemptedExtIps, d);
    }
    for (const r of lr.staticRoutes) {
      put(r._uuid, d);
      put(r.bfd, d);
    }
    for (const p of lr.policies) put(p._uuid, d);
    for (const lb of lr.loadBalancers) {
      put(lb.uuid, d);
      for (const h of lb.nb.healthCheck) put(h, d);
    }
    for (const g of lr.nb.loadBalancerGroup) put(g, d);
  }
  return out;
}

/**
 * The row index, kept up to date per datapath: each datapath's contributions are recorded, so that
 * rebuilding a few datapaths updates the index in time proportional to them.
 */
export class DatapathRowIndex {
  private readonly rows = new Map<string, Map<string, number>>();
  private readonly byContributor = new Map<string, [string, string][]>();

  /** The datapaths a row belongs to. */
  get(row: string): Iterable<string> {
    return this.rows.get(row)?.keys() ?? [];
  }

  /** Recomputes the contributions of `dps` (every datapath of the model, and forgets all else, if undefined). */
  update(model: NorthdModel, dps?: Iterable<string>): void {
    if (dps === undefined) {
      this.rows.clear();
      this.byContributor.clear();
      const bfd = bfdByPort(model);
      for (const d of model.datapaths.keys()) this.add(d, contributions(model, d, bfd));
      return;
    }
    let bfd: Map<string, string[]> | undefined;
    for (const d of dps) {
      this.remove(d);
      if (model.datapaths.has(d)) {
        bfd ??= bfdByPort(model);
        this.add(d, contributions(model, d, bfd));
      }
    }
  }

  private add(contributor: string, pairs: [string, string][]): void {
    this.byContributor.set(contributor, pairs);
    for (const [row, dp] of pairs) {
      let m = this.rows.get(row);
      if (m === undefined) {
        m = new Map();
        this.rows.set(row, m);
      }
      m.set(dp, (m.get(dp) ?? 0) + 1);
    }
  }

  private remove(contributor: string): void {
    const pairs = this.byContributor.get(contributor);
    if (pairs === undefined) return;
    this.byContributor.delete(contributor);
    for (const [row, dp] of pairs) {
      const m = this.rows.get(row);
      const n = m?.get(dp);
      if (m === undefined || n === undefined) continue;
      if (n <= 1) {
        m.delete(dp);
        if (m.size === 0) this.rows.delete(row);
      } else m.set(dp, n - 1);
    }
  }
}

/** The whole index of a model, as a plain map (tests). */
export function rowDatapathIndex(model: NorthdModel): RowIndex {
  const ix: RowIndex = new Map();
  const bfd = bfdByPort(model);
  for (const d of model.datapaths.keys())
    for (const [row, dp] of contributions(model, d, bfd)) {
      let s = ix.get(row);
      if (s === undefined) {
        s = new Set();
        ix.set(row, s);
      }
      s.add(dp);
    }
  return ix;
}

/** Neighbours of a datapath: the datapaths across its ports' peers. */
export function neighbours(model: NorthdModel, dpUuid: string): string[] {
  const dp = model.datapaths.get(dpUuid);
  if (dp === undefined) return [];
  const out: string[] = [];
  if (dp.kind === "switch") {
    for (const p of dp.routerPorts) if (p.peer !== undefined) out.push(p.peer.dp.uuid);
  } else {
    for (const p of dp.ports) if (p.peer !== undefined) out.push(p.peer.dp.uuid);
  }
  return out;
}

/** NB tables whose rows never change flows or per-datapath SB rows by themselves. */
export const NO_DATAPATH_TABLES: ReadonlySet<string> = new Set([
  "Address_Set",
  "Connection",
  "SSL",
  "Static_MAC_Binding",
  "Chassis_Template_Var",
  "Mirror",
  "NB_Global/nb_cfg",
]);

/** NB tables whose rows are all indexed by rowDatapathIndex (a row missing there affects nothing). */
export const INDEXED_TABLES: ReadonlySet<string> = new Set([
  "Logical_Switch",
  "Logical_Switch_Port",
  "Logical_Router",
  "Logical_Router_Port",
  "ACL",
  "Port_Group",
  "QoS",
  "DNS",
  "DHCP_Options",
  "Load_Balancer",
  "Load_Balancer_Group",
  "Load_Balancer_Health_Check",
  "NAT",
  "Logical_Router_Static_Route",
  "Logical_Router_Policy",
  "Gateway_Chassis",
  "HA_Chassis_Group",
  "BFD",
  "Forwarding_Group",
]);

/**
 * The datapaths whose flows a change can affect: `hits` (the datapaths the changed rows belong to,
 * before and after) and their neighbours in the model before and after. "all" when some changed
 * table is not understood.
 */
export function affectedDatapaths(
  changed: ReadonlyMap<string, readonly string[]>,
  hits: Iterable<string>,
  before: NorthdModel,
  after: NorthdModel,
): Set<string> | "all" {
  for (const table of changed.keys())
    if (!NO_DATAPATH_TABLES.has(table) && !INDEXED_TABLES.has(table)) return "all";
  const out = new Set<string>(hits);
  for (const d of [...out]) {
    for (const n of neighbours(before, d)) out.add(n);
    for (const n of neighbours(after, d)) out.add(n);
    // A datapath that appears or goes without a port change (a router enabled or disabled) changes
    // what the other routers on its switches resolve there: two hops.
    if (before.datapaths.has(d) !== after.datapaths.has(d))
      for (const m of [before, after])
        for (const n of neighbours(m, d)) for (const r of neighbours(m, n)) out.add(r);
  }
  return out;
}

/** The datapaths the changed rows belong to according to an index (call before and after). */
export function rowHits(
  changed: ReadonlyMap<string, readonly string[]>,
  index: DatapathRowIndex,
  into: Set<string>,
): void {
  for (const [table, uuids] of changed) {
    // Address sets count where a NAT names them (indexed); elsewhere they are only SB rows.
    if (NO_DATAPATH_TABLES.has(table) && table !== "Address_Set") continue;
    for (const u of uuids) for (const d of index.get(u)) into.add(d);
  }
}

/**
 * Datapaths of changed rows the index cannot know yet because they point at a datapath by name
 * (a new BFD row names its router port): looked up in `model`'s ports (call before and after).
 */
export function nameHits(
  changed: ReadonlyMap<string, readonly string[]>,
  model: NorthdModel,
  into: Set<string>,
): void {
  for (const u of changed.get("BFD") ?? []) {
    const row = model.nb.get("BFD", u);
    const p = row === undefined ? undefined : model.ports.get(row.logicalPort);
    if (p !== undefined) into.add(p.dp.uuid);
  }
}
