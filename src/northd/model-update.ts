// Updating the model after an NB change: only the datapaths the change touches are rebuilt; the
// others, and their ports, stay the same objects as before, with peer links into rebuilt datapaths
// re-pointed and the port groups that touch them rebuilt. The result cannot be told apart from
// buildModel's by the builders (the recompute check compares their flows).
import type * as nb from "../ovsdb/idl/generated/ovn-nb.js";
import { runIpam } from "./ipam.js";
import { monitoredBackendsByPort } from "./lb.js";
import type {
  Datapath,
  LogicalPort,
  NbRows,
  NorthdModel,
  PortGroup,
  RouterDatapath,
  RouterPort,
  SwitchAcl,
  SwitchDatapath,
  SwitchPort,
} from "./model.js";
import {
  type BuildCtx,
  dpKey,
  finishSwitch,
  globalOptions,
  indexSwitchPortNaming,
  linkPeers,
  loadBalancerOf,
  type ModelInput,
  type Mutable,
  makePortGroup,
  makeRouter,
  makeSwitch,
  requestedKey,
  routerPortOf,
  switchPortNaming,
} from "./model-build.js";
import { QueueAllocator } from "./qos-queue.js";

/** NB tables whose rows updateModel knows how to place; any other change needs buildModel. */
const UPDATABLE = new Set([
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
  "Address_Set",
  "Meter",
  "Meter_Band",
  "NB_Global/nb_cfg",
]);

/**
 * The model after `changed` NB rows, from the previous model: rebuilds only the datapaths in `dirty`
 * (those the changed rows belong to, before or after — the caller knows them from the row index), the
 * port groups with a member in them, and re-links peers. Undefined when a change is of a kind it does
 * not handle (then use buildModel). Takes over the previous model's ports map.
 */
export function updateModel(
  prev: NorthdModel,
  input: ModelInput,
  changed: ReadonlyMap<string, readonly string[]>,
  dirty: ReadonlySet<string>,
): { model: NorthdModel; touched: Set<string> } | undefined {
  for (const t of changed.keys()) if (!UPDATABLE.has(t)) return undefined;
  const nbRows = input.nb;
  const keys = input.keys;
  keys.datapaths.space.resetHint();

  // Load balancers: changed rows get new objects; datapaths using them are in `dirty`.
  const loadBalancers = new Map(prev.loadBalancers);
  const lbChanged = new Set(changed.get("Load_Balancer") ?? []);
  const hcChanged = new Set(changed.get("Load_Balancer_Health_Check") ?? []);
  if (hcChanged.size > 0)
    for (const lb of prev.loadBalancers.values())
      if (lb.nb.healthCheck.some((h) => hcChanged.has(h))) lbChanged.add(lb.uuid);
  for (const u of lbChanged) {
    const row = nbRows.get("Load_Balancer", u);
    if (row === undefined) loadBalancers.delete(u);
    else loadBalancers.set(u, loadBalancerOf(row, nbRows));
  }

  // The ports map is taken over from the previous model and updated in place (copying it would cost
  // time linear in the whole NB); the previous model must not be used for port lookups afterwards.
  const ports = prev.ports as Map<string, LogicalPort>;
  const ctx: BuildCtx = { nb: nbRows, keys, loadBalancers, ports, queues: new QueueAllocator(input.sb) };
  // Drop the ports of dirty datapaths; rebuild those that still exist, add new ones.
  for (const u of dirty) {
    const old = prev.datapaths.get(u);
    if (old === undefined) continue;
    for (const p of old.ports) ports.delete(p.name);
    if (old.kind === "router")
      for (const p of old.l3dgwPorts) if (p.crPort !== undefined) ports.delete(p.crPort.name);
  }
  const lsNew = new Map<string, nb.LogicalSwitch>();
  const lrNew = new Map<string, nb.LogicalRouter>();
  for (const u of dirty) {
    const ls = nbRows.get("Logical_Switch", u);
    if (ls !== undefined) lsNew.set(u, ls);
    const lr = nbRows.get("Logical_Router", u);
    // (A disabled router is as good as gone: see buildModel.)
    if (lr !== undefined && lr.enabled !== false) lrNew.set(u, lr);
  }
  // Keys: requested first, then switches, then routers (as buildModel).
  for (const ls of lsNew.values()) {
    const w = requestedKey(ls.otherConfig);
    if (w !== undefined) dpKey(ctx, ls._uuid, w);
  }
  for (const lr of lrNew.values()) {
    const w = requestedKey(lr.options);
    if (w !== undefined) dpKey(ctx, lr._uuid, w);
  }
  for (const ls of lsNew.values()) dpKey(ctx, ls._uuid, requestedKey(ls.otherConfig));
  for (const lr of lrNew.values()) dpKey(ctx, lr._uuid, requestedKey(lr.options));
  if ([...dirty].some((u) => !lsNew.has(u) && !lrNew.has(u))) {
    // Some datapath is gone: release its keys.
    const live = new Set<string>();
    for (const d of prev.datapaths.keys()) if (!dirty.has(d)) live.add(d);
    for (const u of [...lsNew.keys(), ...lrNew.keys()]) live.add(u);
    keys.retainDatapaths(live);
  }

  const rebuiltRouters = new Map<string, Mutable<RouterDatapath>>();
  for (const [u, lr] of lrNew) rebuiltRouters.set(u, makeRouter(lr, ctx));
  const rebuiltSwitches = new Map<string, Mutable<SwitchDatapath>>();
  for (const [u, ls] of lsNew) rebuiltSwitches.set(u, makeSwitch(ls, ctx));

  // Keep the order of the previous arrays; new datapaths go last (as new rows do in the replica).
  const replaceIn = <D extends Datapath>(old: readonly D[], rebuilt: Map<string, D>): D[] => {
    const out: D[] = [];
    const seen = new Set<string>();
    for (const d of old) {
      seen.add(d.uuid);
      if (!dirty.has(d.uuid)) out.push(d);
      else {
        const r = rebuilt.get(d.uuid);
        if (r !== undefined) out.push(r);
      }
    }
    for (const [u, r] of rebuilt) if (!seen.has(u)) out.push(r);
    return out;
  };
  const switches = replaceIn<SwitchDatapath>(prev.switches, rebuiltSwitches);
  const routers = replaceIn<RouterDatapath>(prev.routers, rebuiltRouters);
  const datapaths = new Map<string, Datapath>();
  for (const r of routers) datapaths.set(r.uuid, r);
  for (const s of switches) datapaths.set(s.uuid, s);

  indexSwitchPortNaming(ports, switches);
  linkPeers([...rebuiltSwitches.values(), ...rebuiltRouters.values()], ports);
  runIpam(rebuiltSwitches.values(), switches, globalOptions(nbRows, input.defaults).macPrefix);
  // Kept router ports whose switch-side peer was rebuilt (or removed): re-point.
  for (const r of routers) {
    if (dirty.has(r.uuid)) continue;
    for (const p of r.ports as Mutable<RouterPort>[]) {
      if (p.nb.peer !== undefined) continue;
      const sp = switchPortNaming.get(ports)?.get(p.name);
      const peer = sp !== undefined && routerPortOf(sp, ports) === p ? sp : undefined;
      if (p.peer !== peer) p.peer = peer;
    }
  }
  // Kept switch ports whose router peer was rebuilt (or removed).
  for (const s of switches) {
    if (dirty.has(s.uuid)) continue;
    for (const p of s.routerPorts as Mutable<SwitchPort>[]) {
      const rp = routerPortOf(p, ports);
      if (p.peer !== rp) p.peer = rp;
    }
  }

  // Port groups: rebuild those that changed or have a member in a dirty datapath (their switches'
  // ACL lists are rebuilt: such switches are dirty or get their lists redone here).
  const portGroups = new Map<string, PortGroup>();
  const changedPg = new Set(changed.get("Port_Group") ?? []);
  const redo = new Set<SwitchDatapath>();
  const pgRows = nbRows.rows("Port_Group");
  const rebuiltPgs: PortGroup[] = [];
  for (const row of pgRows) {
    const old = prev.portGroups.get(row.name);
    const touches =
      old === undefined ||
      old.nb !== row ||
      changedPg.has(row._uuid) ||
      [...old.byDatapath.keys()].some((d) => dirty.has(d.uuid)) ||
      old.acls.some((a) => nbRows.get("ACL", a._uuid) !== a);
    if (!touches) {
      portGroups.set(row.name, old);
      continue;
    }
    const pg = makePortGroup(row, nbRows, ports);
    portGroups.set(row.name, pg);
    rebuiltPgs.push(pg);
    if (old !== undefined)
      for (const d of old.byDatapath.keys())
        if (!dirty.has(d.uuid)) redo.add(datapaths.get(d.uuid) as SwitchDatapath);
    for (const d of pg.byDatapath.keys()) if (!dirty.has(d.uuid)) redo.add(d);
  }
  for (const [name, old] of prev.portGroups)
    if (!portGroups.has(name))
      for (const d of old.byDatapath.keys())
        if (!dirty.has(d.uuid) && datapaths.has(d.uuid)) redo.add(datapaths.get(d.uuid) as SwitchDatapath);
  // Switches whose port-group ACLs must be redone: rebuilt ones, and kept ones touched by a rebuilt group.
  const relist = [
    ...rebuiltSwitches.values(),
    ...[...redo].filter((d) => d !== undefined),
  ] as Mutable<SwitchDatapath>[];
  for (const ls of relist) {
    ls.acls = ls.acls.filter((a) => a.portGroup === undefined);
    ls.portGroups = [];
  }
  const relistSet = new Set<SwitchDatapath>(relist);
  for (const pg of portGroups.values())
    for (const dp of pg.byDatapath.keys()) {
      if (!relistSet.has(dp)) continue;
      (dp.portGroups as PortGroup[]).push(pg);
      for (const acl of pg.acls) (dp.acls as SwitchAcl[]).push({ acl, portGroup: pg });
    }
  for (const ls of relist) finishSwitch(ls);
  const touched = new Set<string>(dirty);
  for (const ls of relist) touched.add(ls.uuid);

  const model: NorthdModel = {
    ...globalOptions(nbRows, input.defaults),
    switches,
    routers,
    datapaths,
    ports,
    portGroups,
    addressSets: changed.has("Address_Set")
      ? new Map(nbRows.rows("Address_Set").map((r) => [r.name, r]))
      : prev.addressSets,
    meters:
      changed.has("Meter") || changed.has("Meter_Band")
        ? new Map(nbRows.rows("Meter").map((r) => [r.name, r]))
        : prev.meters,
    loadBalancers,
    chassis: prev.chassis,
    vxlanMode: prev.vxlanMode,
    features: prev.features,
    nb: nbRows,
    sb: input.sb,
  };
  return { model, touched };
}

/**
 * The datapaths updateModel must rebuild for `changed` NB rows: those the rows belong to in the
 * previous model (`rowDps`, the row index), changed switches and routers themselves, and the new
 * peers named by changed ports. Undefined when some change needs a full build.
 */
export function dirtyDatapaths(
  prev: NorthdModel,
  nbRows: NbRows,
  changed: ReadonlyMap<string, readonly string[]>,
  rowDps: (row: string) => Iterable<string>,
): Set<string> | undefined {
  const out = new Set<string>();
  for (const [table, uuids] of changed) {
    if (!UPDATABLE.has(table)) return undefined;
    for (const u of uuids) {
      for (const d of rowDps(u)) out.add(d);
      if (table === "Logical_Switch" || table === "Logical_Router") out.add(u);
      if (table === "Load_Balancer" || table === "Load_Balancer_Health_Check") {
        // The switches of the ports a health-checked LB names (they answer the probes' ARP).
        const lbs =
          table === "Load_Balancer"
            ? [nbRows.get("Load_Balancer", u)]
            : nbRows.rows("Load_Balancer").filter((lb) => lb.healthCheck.includes(u as never));
        for (const lb of lbs)
          for (const m of lb?.ipPortMappings.values() ?? []) {
            const q = prev.ports.get(m.slice(0, m.indexOf(":")));
            if (q !== undefined) out.add(q.dp.uuid);
          }
      }
      if (table === "Logical_Switch_Port") {
        // A health-checked backend's port: the datapaths balancing to it (its state decides whether
        // they do).
        const name = prev.nb.get("Logical_Switch_Port", u)?.name;
        const monitored =
          name === undefined ? undefined : monitoredBackendsByPort(prev.loadBalancers).get(name);
        if (monitored !== undefined) {
          const lbs = new Set(monitored.map((m) => m.lb.uuid));
          for (const d of [...prev.switches, ...prev.routers])
            if (d.loadBalancers.some((lb) => lbs.has(lb.uuid))) out.add(d.uuid);
        }
        const row = nbRows.get("Logical_Switch_Port", u);
        const rp = row?.options.get("router-port");
        const q = rp === undefined ? undefined : prev.ports.get(rp);
        if (q !== undefined) out.add(q.dp.uuid);
      }
      if (table === "Logical_Router_Port") {
        const row = nbRows.get("Logical_Router_Port", u);
        const q = row?.peer === undefined ? undefined : prev.ports.get(row.peer);
        if (q !== undefined) out.add(q.dp.uuid);
      }
    }
  }
  return out;
}
