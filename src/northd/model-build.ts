// Builds the NorthdModel from the NB and SB replicas: joins switches, routers and their ports, gives
// every datapath and port its tunnel key (stable: see ./keys.ts), parses addresses, resolves peers,
// port groups and load balancers. Pure: everything it reads is passed in.
//
// buildModel builds from scratch; ./model-update.ts updates a previous model from the NB rows that
// changed, with the building blocks exported here. Both give models that builders cannot tell apart
// (the recompute check compares their flows).
import type * as nb from "../ovsdb/idl/generated/ovn-nb.js";
import type * as sb from "../ovsdb/idl/generated/ovn-sb.js";
import { type LportAddresses, parseLportAddresses, parseLrpNetworks } from "./addr.js";
import { chassisFeatures } from "./features.js";
import { runIpam } from "./ipam.js";
import type { TunnelKeys } from "./keys.js";
import { buildLoadBalancer } from "./lb.js";
import type {
  ChassisRedirectPort,
  Datapath,
  LoadBalancer,
  LogicalPort,
  NbRows,
  NorthdModel,
  PortGroup,
  RouterDatapath,
  RouterPort,
  SbRows,
  SwitchAcl,
  SwitchDatapath,
  SwitchPort,
} from "./model.js";
import { QueueAllocator, qdiscQueueId } from "./qos-queue.js";
import { assignTags } from "./tags.js";

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Settings northd fills in NB_Global options when missing (random in C; chosen by the caller here). */
export interface GlobalDefaults {
  readonly macPrefix: string;
  readonly svcMonitorMac: string;
}

export interface ModelInput {
  readonly nb: NbRows;
  readonly sb: SbRows;
  readonly keys: TunnelKeys;
  readonly defaults: GlobalDefaults;
}

/** @internal shared with ./model-update.ts */
export function requestedKey(m: ReadonlyMap<string, string>): number | undefined {
  const v = m.get("requested-tnl-key");
  if (v === undefined || !/^[0-9]+$/.test(v)) return undefined;
  return Number(v);
}

/** Adopts the keys already in the SB, so that a restart keeps them. */
/** Ports' options:requested-tnl-key, in NB order. */
function requestedKeys(
  rows: readonly { readonly name: string; readonly options: ReadonlyMap<string, string> }[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = requestedKey(r.options);
    if (k !== undefined && !out.has(r.name)) out.set(r.name, k);
  }
  return out;
}

function adoptSbKeys(sbRows: SbRows, keys: TunnelKeys): void {
  const dpOfSb = new Map<string, string>(); // SB datapath uuid → NB uuid
  for (const d of sbRows.rows("Datapath_Binding")) {
    const nbUuid = d.externalIds.get("logical-switch") ?? d.externalIds.get("logical-router");
    if (nbUuid === undefined) continue;
    dpOfSb.set(d._uuid, nbUuid);
    keys.datapaths.adopt(nbUuid, d.tunnelKey);
  }
  for (const p of sbRows.rows("Port_Binding")) {
    const nbUuid = dpOfSb.get(p.datapath);
    if (nbUuid !== undefined) keys.portsOf(nbUuid).adopt(p.logicalPort, p.tunnelKey);
  }
}

interface ParsedLsp {
  addrs: LportAddresses[];
  unknown: boolean;
  router: boolean;
  dynamic: boolean;
  portSecurity: LportAddresses[];
}

// Parsing results per NB row version (typed rows are immutable and shared while unchanged).
const lspCache = new WeakMap<nb.LogicalSwitchPort, ParsedLsp>();
const lrpCache = new WeakMap<nb.LogicalRouterPort, LportAddresses | null>();
const lbCache = new WeakMap<nb.LoadBalancer, LoadBalancer>();

function parseLsp(lsp: nb.LogicalSwitchPort): ParsedLsp {
  const hit = lspCache.get(lsp);
  if (hit !== undefined) return hit;
  const out: ParsedLsp = { addrs: [], unknown: false, router: false, dynamic: false, portSecurity: [] };
  for (const a of lsp.addresses) {
    if (a === "unknown") out.unknown = true;
    else if (a === "router") out.router = true;
    else if (/(^|\s)dynamic(\s|$)/.test(a)) out.dynamic = true;
    else {
      const p = parseLportAddresses(a);
      if (p !== undefined) out.addrs.push(p);
    }
  }
  if (out.dynamic && lsp.dynamicAddresses !== undefined) {
    const p = parseLportAddresses(lsp.dynamicAddresses);
    if (p !== undefined) out.addrs.push(p);
  }
  out.portSecurity = lsp.portSecurity.flatMap((s) => parseLportAddresses(s) ?? []);
  lspCache.set(lsp, out);
  return out;
}

function parseLrp(lrp: nb.LogicalRouterPort): LportAddresses | undefined {
  const hit = lrpCache.get(lrp);
  if (hit !== undefined) return hit ?? undefined;
  const n = parseLrpNetworks(lrp.mac, lrp.networks);
  lrpCache.set(lrp, n ?? null);
  return n;
}

/** @internal shared with ./model-update.ts */
export function loadBalancerOf(row: nb.LoadBalancer, nbRows: NbRows): LoadBalancer {
  const hcs = row.healthCheck.flatMap((u) => nbRows.get("Load_Balancer_Health_Check", u) ?? []);
  let lb = lbCache.get(row);
  // Health checks are rows of their own: a cached model is good while they are the same rows.
  if (
    lb === undefined ||
    lb.vips.some((v) => v.healthCheck !== undefined && !hcs.includes(v.healthCheck)) ||
    hcs.some((h) => !lb?.vips.some((v) => v.healthCheck === h))
  ) {
    lb = buildLoadBalancer(row, hcs);
    lbCache.set(row, lb);
  }
  return lb;
}

function isL3dgw(lrp: nb.LogicalRouterPort): boolean {
  return (
    lrp.gatewayChassis.length > 0 ||
    lrp.haChassisGroup !== undefined ||
    (lrp.options.get("redirect-chassis") ?? "") !== ""
  );
}

/** What building datapaths shares: the NB, the keys, and the model's maps being filled. */
export interface BuildCtx {
  readonly nb: NbRows;
  readonly keys: TunnelKeys;
  readonly loadBalancers: ReadonlyMap<string, LoadBalancer>;
  readonly ports: Map<string, LogicalPort>;
  /** QoS queue ids of bound VIFs (read from the SB bindings on first use). */
  readonly queues: QueueAllocator;
}

function lbsOf(direct: readonly string[], groups: readonly string[], ctx: BuildCtx): LoadBalancer[] {
  const out = new Map<string, LoadBalancer>();
  const add = (u: string): void => {
    const lb = ctx.loadBalancers.get(u);
    if (lb !== undefined) out.set(u, lb);
  };
  for (const u of direct) add(u);
  for (const g of groups) for (const u of ctx.nb.get("Load_Balancer_Group", g)?.loadBalancer ?? []) add(u);
  return [...out.values()];
}

/** @internal shared with ./model-update.ts */
export function dpKey(ctx: BuildCtx, uuid: string, wanted: number | undefined): number {
  return ctx.keys.datapaths.keyFor(uuid, wanted) ?? 0;
}

/** A router and its ports (peers not yet resolved); the ports go into ctx.ports. */
/** @internal shared with ./model-update.ts */
export function makeRouter(lr: nb.LogicalRouter, ctx: BuildCtx): Mutable<RouterDatapath> {
  const chassis = lr.options.get("chassis");
  const dp: Mutable<RouterDatapath> = {
    kind: "router",
    nb: lr,
    uuid: lr._uuid,
    name: lr.name,
    key: dpKey(ctx, lr._uuid, requestedKey(lr.options)),
    ports: [],
    l3dgwPorts: [],
    isGatewayRouter: chassis !== undefined && chassis !== "",
    chassis: chassis !== undefined && chassis !== "" ? chassis : undefined,
    nats: lr.nat.flatMap((u) => ctx.nb.get("NAT", u) ?? []),
    loadBalancers: lbsOf(lr.loadBalancer, lr.loadBalancerGroup, ctx),
    staticRoutes: lr.staticRoutes.flatMap((u) => ctx.nb.get("Logical_Router_Static_Route", u) ?? []),
    policies: lr.policies.flatMap((u) => ctx.nb.get("Logical_Router_Policy", u) ?? []),
    enabled: lr.enabled !== false,
  };
  const keys = ctx.keys.portsOf(lr._uuid);
  const live = new Set<string>();
  const rows = lr.ports.flatMap((u) => ctx.nb.get("Logical_Router_Port", u) ?? []);
  // (A chassisredirect port's key is kept while its router port exists, DGP or not.)
  keys.beginPorts(new Set(rows.flatMap((r) => [r.name, `cr-${r.name}`])), requestedKeys(rows));
  for (const row of rows) {
    if (ctx.ports.has(row.name)) continue; // duplicate name: the first one wins, as in C
    const networks = parseLrp(row);
    if (networks === undefined) continue;
    live.add(row.name);
    const port: Mutable<RouterPort> = {
      kind: "lrp",
      nb: row,
      name: row.name,
      key: keys.keyFor(row.name, requestedKey(row.options)) ?? 0,
      dp,
      networks,
      enabled: row.enabled !== false,
      peer: undefined,
      isL3dgw: !dp.isGatewayRouter && isL3dgw(row),
      crPort: undefined,
    };
    (dp.ports as RouterPort[]).push(port);
    ctx.ports.set(port.name, port);
    // A chassisredirect port's new key comes right after its router port's, as in ovn-northd.
    if (port.isL3dgw && !ctx.ports.has(`cr-${row.name}`)) keys.keyFor(`cr-${row.name}`);
  }
  for (const port of dp.ports as Mutable<RouterPort>[]) {
    if (!port.isL3dgw) continue;
    const name = `cr-${port.name}`;
    if (ctx.ports.has(name)) continue;
    live.add(name);
    const cr: ChassisRedirectPort = { kind: "cr", name, key: keys.keyFor(name) ?? 0, dp, primary: port };
    port.crPort = cr;
    ctx.ports.set(name, cr);
    (dp.l3dgwPorts as RouterPort[]).push(port);
  }
  keys.retain(live);
  return dp;
}

/** A switch and its ports (router-type ports find their peer among ctx.ports). */
/** @internal shared with ./model-update.ts */
export function makeSwitch(ls: nb.LogicalSwitch, ctx: BuildCtx): Mutable<SwitchDatapath> {
  const dp: Mutable<SwitchDatapath> = {
    kind: "switch",
    nb: ls,
    uuid: ls._uuid,
    name: ls.name,
    key: dpKey(ctx, ls._uuid, requestedKey(ls.otherConfig)),
    ports: [],
    routerPorts: [],
    localnetPorts: [],
    externalPorts: [],
    vtepPorts: [],
    loadBalancers: lbsOf(ls.loadBalancer, ls.loadBalancerGroup, ctx),
    acls: ls.acls.flatMap((u) => {
      const acl = ctx.nb.get("ACL", u);
      return acl === undefined ? [] : [{ acl, portGroup: undefined }];
    }),
    qosRules: ls.qosRules.flatMap((u) => ctx.nb.get("QoS", u) ?? []),
    dnsRecords: ls.dnsRecords.flatMap((u) => ctx.nb.get("DNS", u) ?? []),
    portGroups: [],
    hasAcls: false,
    hasStatefulAcl: false,
    hasLbVip: false,
    hasUnknown: false,
  };
  const keys = ctx.keys.portsOf(ls._uuid);
  const live = new Set<string>();
  const rows = ls.ports.flatMap((u) => ctx.nb.get("Logical_Switch_Port", u) ?? []);
  keys.beginPorts(new Set(rows.map((r) => r.name)), requestedKeys(rows));
  for (const row of rows) {
    if (ctx.ports.has(row.name)) continue;
    live.add(row.name);
    const a = parseLsp(row);
    const port: SwitchPort = {
      kind: "lsp",
      nb: row,
      name: row.name,
      key: keys.keyFor(row.name, requestedKey(row.options)) ?? 0,
      dp,
      type: row.type,
      enabled: row.enabled !== false,
      addresses: a.addrs,
      hasUnknown: a.unknown,
      hasRouterAddr: a.router,
      hasDynamic: a.dynamic,
      dynamicAddresses: a.dynamic ? row.dynamicAddresses : undefined,
      tag: row.tag,
      queueId: qdiscQueueId(row, ctx.queues),
      portSecurity: a.portSecurity,
      peer: undefined,
      dhcpv4Options:
        row.dhcpv4Options === undefined ? undefined : ctx.nb.get("DHCP_Options", row.dhcpv4Options),
      dhcpv6Options:
        row.dhcpv6Options === undefined ? undefined : ctx.nb.get("DHCP_Options", row.dhcpv6Options),
    };
    ctx.ports.set(port.name, port);
    (dp.ports as SwitchPort[]).push(port);
    if (row.type === "router") (dp.routerPorts as SwitchPort[]).push(port);
    else if (row.type === "localnet") (dp.localnetPorts as SwitchPort[]).push(port);
    else if (row.type === "external") (dp.externalPorts as SwitchPort[]).push(port);
    else if (row.type === "vtep") (dp.vtepPorts as SwitchPort[]).push(port);
    if (a.unknown) dp.hasUnknown = true;
  }
  keys.retain(live);
  assignTags(dp);
  return dp;
}

/** The router port a router-type switch port names. */
/** @internal shared with ./model-update.ts */
export function routerPortOf(p: SwitchPort, ports: ReadonlyMap<string, LogicalPort>): RouterPort | undefined {
  if (p.type !== "router") return undefined;
  const name = p.nb.options.get("router-port");
  const q = name === undefined ? undefined : ports.get(name);
  return q?.kind === "lrp" ? q : undefined;
}

/**
 * Resolves peers of the ports of `dps` in both directions: a router-type switch port and the router
 * port it names; a router port and the router port its `peer` names. Ports of other datapaths that
 * point into `dps` are re-pointed at the (new) objects.
 */
/** @internal shared with ./model-update.ts */
export function linkPeers(dps: Iterable<Datapath>, ports: ReadonlyMap<string, LogicalPort>): void {
  for (const dp of dps) {
    if (dp.kind === "switch") {
      for (const p of dp.routerPorts as Mutable<SwitchPort>[]) {
        const rp = routerPortOf(p, ports) as Mutable<RouterPort> | undefined;
        p.peer = rp;
        if (rp !== undefined && rp.nb.peer === undefined) rp.peer = p;
      }
    } else {
      for (const p of dp.ports as Mutable<RouterPort>[]) {
        if (p.nb.peer !== undefined) {
          const q = ports.get(p.nb.peer);
          p.peer = q?.kind === "lrp" ? q : undefined;
          // The other side of a router-to-router link pointing here gets the new object.
          if (q?.kind === "lrp" && q.nb.peer === p.name) (q as Mutable<RouterPort>).peer = p;
        } else {
          // Found from the switch side (below) when that switch is rebuilt too; else look it up.
          p.peer = undefined;
        }
      }
    }
  }
  // Router ports without an NB peer: the switch port naming them (kept or rebuilt).
  for (const dp of dps) {
    if (dp.kind !== "router") continue;
    for (const p of dp.ports as Mutable<RouterPort>[]) {
      if (p.nb.peer !== undefined || p.peer !== undefined) continue;
      const sp = switchPortNaming.get(ports)?.get(p.name);
      if (sp !== undefined && routerPortOf(sp, ports) === p) {
        p.peer = sp;
        (sp as Mutable<SwitchPort>).peer = p;
      }
    }
  }
}

/** Per ports map: router-port name → the router-type switch port that names it. */
export const switchPortNaming = new WeakMap<ReadonlyMap<string, LogicalPort>, Map<string, SwitchPort>>();

/** @internal shared with ./model-update.ts */
export function indexSwitchPortNaming(
  ports: ReadonlyMap<string, LogicalPort>,
  switches: Iterable<SwitchDatapath>,
): void {
  const m = new Map<string, SwitchPort>();
  for (const ls of switches)
    for (const p of ls.routerPorts) {
      const n = p.nb.options.get("router-port");
      if (n !== undefined && !m.has(n)) m.set(n, p);
    }
  switchPortNaming.set(ports, m);
}

/** @internal shared with ./model-update.ts */
export function makePortGroup(
  row: nb.PortGroup,
  nbRows: NbRows,
  ports: ReadonlyMap<string, LogicalPort>,
): PortGroup {
  const members: SwitchPort[] = [];
  const byDp = new Map<SwitchDatapath, SwitchPort[]>();
  for (const u of row.ports) {
    const lsp = nbRows.get("Logical_Switch_Port", u);
    const p = lsp === undefined ? undefined : ports.get(lsp.name);
    if (p?.kind !== "lsp" || p.nb._uuid !== u) continue;
    members.push(p);
    let l = byDp.get(p.dp);
    if (l === undefined) {
      l = [];
      byDp.set(p.dp, l);
    }
    l.push(p);
  }
  return {
    nb: row,
    name: row.name,
    ports: members,
    byDatapath: byDp,
    acls: row.acls.flatMap((u) => nbRows.get("ACL", u) ?? []),
  };
}

/** Adds a port group's ACLs and itself to the switches it has ports on. */
function attachPortGroup(pg: PortGroup): void {
  for (const dp of pg.byDatapath.keys()) {
    (dp.portGroups as PortGroup[]).push(pg);
    for (const acl of pg.acls) (dp.acls as SwitchAcl[]).push({ acl, portGroup: pg });
  }
}

/** @internal shared with ./model-update.ts */
export function finishSwitch(ls: Mutable<SwitchDatapath>): void {
  ls.hasAcls = ls.acls.length > 0;
  ls.hasStatefulAcl = ls.acls.some((a) => a.acl.action === "allow-related");
  ls.hasLbVip = ls.loadBalancers.some((lb) => lb.vips.length > 0);
}

/** @internal shared with ./model-update.ts */
export function globalOptions(nbRows: NbRows, defaults: GlobalDefaults) {
  const nbGlobal = nbRows.rows("NB_Global")[0];
  const options = new Map(nbGlobal?.options ?? []);
  if (!options.has("mac_prefix")) options.set("mac_prefix", defaults.macPrefix);
  if (!options.has("svc_monitor_mac")) options.set("svc_monitor_mac", defaults.svcMonitorMac);
  return {
    nbGlobal,
    options,
    macPrefix: options.get("mac_prefix") ?? defaults.macPrefix,
    svcMonitorMac: options.get("svc_monitor_mac") ?? defaults.svcMonitorMac,
  };
}

/** Some chassis tunnels with VXLAN (ovn-architecture(7)): tunnel keys must then fit VXLAN's VNI. */
export function isVxlanMode(sbRows: SbRows): boolean {
  return sbRows.rows("Encap").some((e) => e.type === "vxlan");
}

export function buildModel(input: ModelInput): NorthdModel {
  const { nb: nbRows, sb: sbRows, keys } = input;
  const vxlanMode = isVxlanMode(sbRows);
  keys.setVxlanMode(vxlanMode);
  adoptSbKeys(sbRows, keys);
  keys.datapaths.space.resetHint();

  const loadBalancers = new Map<string, LoadBalancer>();
  for (const lb of nbRows.rows("Load_Balancer")) loadBalancers.set(lb._uuid, loadBalancerOf(lb, nbRows));
  const ports = new Map<string, LogicalPort>();
  const ctx: BuildCtx = { nb: nbRows, keys, loadBalancers, ports, queues: new QueueAllocator(sbRows) };

  // Requested keys are claimed before any allocation; new keys go to switches first, then routers.
  const lsRows = nbRows.rows("Logical_Switch");
  // A router with enabled=false is left out altogether (no datapath, no ports, no peer for its
  // switches), as ovn-northd does.
  const lrRows = nbRows.rows("Logical_Router").filter((lr) => lr.enabled !== false);
  for (const ls of lsRows) {
    const w = requestedKey(ls.otherConfig);
    if (w !== undefined) dpKey(ctx, ls._uuid, w);
  }
  for (const lr of lrRows) {
    const w = requestedKey(lr.options);
    if (w !== undefined) dpKey(ctx, lr._uuid, w);
  }
  for (const ls of lsRows) dpKey(ctx, ls._uuid, requestedKey(ls.otherConfig));
  for (const lr of lrRows) dpKey(ctx, lr._uuid, requestedKey(lr.options));
  keys.retainDatapaths(new Set([...lsRows.map((r) => r._uuid), ...lrRows.map((r) => r._uuid)]));

  const routers = lrRows.map((lr) => makeRouter(lr, ctx));
  const switches = lsRows.map((ls) => makeSwitch(ls, ctx));
  const datapaths = new Map<string, Datapath>();
  for (const r of routers) datapaths.set(r.uuid, r);
  for (const s of switches) datapaths.set(s.uuid, s);
  indexSwitchPortNaming(ports, switches);
  linkPeers([...switches, ...routers], ports);
  runIpam(switches, switches, globalOptions(nbRows, input.defaults).macPrefix);

  const portGroups = new Map<string, PortGroup>();
  for (const row of nbRows.rows("Port_Group")) {
    const pg = makePortGroup(row, nbRows, ports);
    portGroups.set(row.name, pg);
    attachPortGroup(pg);
  }
  for (const ls of switches) finishSwitch(ls);

  const chassis = new Map<string, sb.Chassis>();
  for (const c of sbRows.rows("Chassis")) chassis.set(c.name, c);

  return {
    ...globalOptions(nbRows, input.defaults),
    switches,
    routers,
    datapaths,
    ports,
    portGroups,
    addressSets: new Map(nbRows.rows("Address_Set").map((r) => [r.name, r])),
    meters: new Map(nbRows.rows("Meter").map((r) => [r.name, r])),
    loadBalancers,
    chassis,
    vxlanMode,
    features: chassisFeatures(sbRows.rows("Chassis")),
    nb: nbRows,
    sb: sbRows,
  };
}
