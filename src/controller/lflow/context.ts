// What compiling a logical flow depends on besides the flow: the chassis, the datapaths local to it,
// ports and multicast groups by name, address sets, port groups, MAC bindings and the DHCP option
// catalogues.  Built once from an SbView; pure.

import {
  type ActionContext,
  actionContext,
  type DhcpOptionDef,
  type DhcpOptionType,
} from "../../actions/index.js";
import type { ExprContext } from "../../expr/parser.js";
import { OVN_SYMBOLS } from "../../expr/symbols.js";
import type { MatchLookups } from "./matches.js";
import { isPatch, type SbDatapath, type SbDhcpOption, type SbPortBinding, type SbView } from "./sb.js";

/** One datapath as the compiler sees it. */
export interface DatapathContext extends MatchLookups {
  readonly datapath: SbDatapath;
  readonly expr: ExprContext;
  /** The DHCP option catalogues (what actions(...) carries), one pair of objects per compile run. */
  readonly dhcpv4Options: ReadonlyMap<string, DhcpOptionDef>;
  readonly dhcpv6Options: ReadonlyMap<string, DhcpOptionDef>;
  /** Action context for a flow at `pipeline`/`table` of this datapath. */
  actions(pipeline: "ingress" | "egress", table: number): ActionContext;
}

/**
 * Everything a datapath's compile looks up outside the logical flow itself.  Compiling a flow twice
 * with lookups that answer the same gives the same OpenFlow flows (the incremental compiler relies on
 * it: it records the answers and recompiles only when one changed).
 */
export interface DatapathLookups {
  addressSet(name: string): readonly string[] | undefined;
  /** A port group by its Northbound name, as seen from this datapath. */
  portGroup(name: string): readonly string[] | undefined;
  portKey(name: string): number | undefined;
  isChassisResident(port: string): boolean;
  readonly dhcpv4: ReadonlyMap<string, DhcpOptionDef>;
  readonly dhcpv6: ReadonlyMap<string, DhcpOptionDef>;
}

/** A datapath's compile context over its lookups. */
export function datapathContext(dp: SbDatapath, l: DatapathLookups): DatapathContext {
  const expr: ExprContext = {
    symbols: OVN_SYMBOLS,
    addressSets: (name) => l.addressSet(name),
    portGroups: (name) => l.portGroup(name),
  };
  return {
    datapath: dp,
    expr,
    dhcpv4Options: l.dhcpv4,
    dhcpv6Options: l.dhcpv6,
    portKey: (name) => l.portKey(name),
    isChassisResident: (port) => l.isChassisResident(port),
    actions: (pipeline, table) =>
      actionContext({ ...expr, pipeline, tableId: table, dhcpv4Options: l.dhcpv4, dhcpv6Options: l.dhcpv6 }),
  };
}

export interface ChassisContext {
  readonly chassis: string;
  readonly view: SbView;
  /** Datapaths this chassis needs flows for, by UUID. */
  readonly localDatapaths: ReadonlySet<string>;
  readonly portsByName: ReadonlyMap<string, SbPortBinding>;
  datapath(uuid: string): DatapathContext | undefined;
  /** What the datapath's context is made of (see datapathContext), for callers that wrap it. */
  datapathLookups(uuid: string): DatapathLookups | undefined;
  /** Whether a flow tagged with this in_out_port is relevant here (see lflow.ts). */
  portRelevant(name: string): boolean;
}

/** Port types that are present on every chassis that has their datapath. */
const EVERYWHERE = new Set(["patch", "localnet", "localport", "l2gateway", "vtep"]);

/**
 * Whether the chassis is a member of an external port's HA chassis group: like ovn-controller 23.03, a
 * standby member already has the port's datapath, so that failover only changes is_chassis_resident().
 * Not for chassisredirect ports: with those the real controller's tables differ from ours (the lflow
 * differential test, scenario "features", finds extra multicast flows), so a standby gateway chassis
 * does not get the router's datapath this way.
 */
function standbyFor(p: SbPortBinding, chassis: string): boolean {
  return p.type === "external" && p.haChassis.some((h) => h.chassis === chassis);
}

/** A view's ports and multicast groups by datapath and by name, made once per view. */
interface ViewGroups {
  readonly byName: ReadonlyMap<string, SbPortBinding>;
  readonly portsByDatapath: ReadonlyMap<string, readonly SbPortBinding[]>;
  readonly mcGroupsByDatapath: ReadonlyMap<string, readonly SbView["mcGroups"][number][]>;
}

const viewGroups = new WeakMap<SbView, ViewGroups>();

/** Grouping once per view: asked per datapath, a scan of every port was O(datapaths x ports). */
function groupsOf(view: SbView): ViewGroups {
  let g = viewGroups.get(view);
  if (g !== undefined) return g;
  const group = <T extends { readonly datapath: string }>(xs: readonly T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const x of xs) {
      const list = m.get(x.datapath);
      if (list === undefined) m.set(x.datapath, [x]);
      else list.push(x);
    }
    return m;
  };
  g = {
    byName: new Map(view.ports.map((p) => [p.logicalPort, p])),
    portsByDatapath: group(view.ports),
    mcGroupsByDatapath: group(view.mcGroups),
  };
  viewGroups.set(view, g);
  return g;
}

/**
 * Whether the datapath behind patch port `p` is local wherever p's datapath is (ovn-controller 23.03's
 * rule). A distributed gateway port whose chassis-redirect port always redirects (northd sets
 * options:always-redirect when the router's NAT is centralized) carries nothing to its peer switch
 * except on the gateway chassis: the peer (often a provider network) is local only on a chassis of
 * the redirect port's HA group. Every other patch port (and a local l3gateway port) leads to a local peer.
 */
function peerIsLocalToo(
  p: SbPortBinding,
  byName: ReadonlyMap<string, SbPortBinding>,
  chassis: string,
): boolean {
  const crpName = p.options["chassis-redirect-port"];
  if (crpName === undefined) return true;
  const crp = byName.get(crpName);
  if (crp === undefined) return false;
  if (crp.options["always-redirect"] !== "true") return true;
  return crp.haChassis.some((h) => h.chassis === chassis);
}

export function localDatapaths(view: SbView, chassis: string): Set<string> {
  const local = new Set<string>();
  const peerOf = new Map<string, SbPortBinding>();
  const groups = groupsOf(view);
  const byName = groups.byName;
  for (const p of view.ports) {
    // An additional chassis (live migration, requested-chassis=A,B) has the port's datapath as well.
    if (p.chassis === chassis || p.additionalChassis?.includes(chassis) === true || standbyFor(p, chassis))
      local.add(p.datapath);
    const peer = p.options.peer;
    if (peer === undefined) continue;
    const other = byName.get(peer);
    if (other === undefined) continue;
    if (isPatch(p, chassis) && peerIsLocalToo(p, byName, chassis)) peerOf.set(p.uuid, other);
  }
  const todo = [...local];
  while (todo.length > 0) {
    const dp = todo.pop() as string;
    for (const p of groups.portsByDatapath.get(dp) ?? []) {
      const other = peerOf.get(p.uuid);
      if (other !== undefined && !local.has(other.datapath)) {
        local.add(other.datapath);
        todo.push(other.datapath);
      }
    }
  }
  return local;
}

function optionMap(rows: readonly SbDhcpOption[]): ReadonlyMap<string, DhcpOptionDef> {
  return new Map(rows.map((r) => [r.name, { name: r.name, code: r.code, type: r.type as DhcpOptionType }]));
}

export function chassisContext(view: SbView, chassis: string): ChassisContext {
  const local = localDatapaths(view, chassis);
  const groups = groupsOf(view);
  const portsByName = groups.byName;
  const boundHere = new Set(view.ports.filter((p) => p.chassis === chassis).map((p) => p.logicalPort));
  const dhcpv4 = optionMap(view.dhcpv4Options);
  const dhcpv6 = optionMap(view.dhcpv6Options);
  const datapaths = new Map(view.datapaths.map((d) => [d.uuid, d]));
  const cache = new Map<string, DatapathContext>();
  const lookupsCache = new Map<string, DatapathLookups>();
  const lookupsOf = (dp: SbDatapath): DatapathLookups => {
    const hit = lookupsCache.get(dp.uuid);
    if (hit !== undefined) return hit;
    const keys = new Map<string, number>();
    for (const p of groups.portsByDatapath.get(dp.uuid) ?? []) keys.set(p.logicalPort, p.tunnelKey);
    for (const g of groups.mcGroupsByDatapath.get(dp.uuid) ?? []) keys.set(g.name, g.tunnelKey);
    // northd writes `outport == "none"` for "no output port yet", which is key 0.
    if (!keys.has("none")) keys.set("none", 0);
    const l: DatapathLookups = {
      addressSet: (name) => view.addressSets[name],
      // Port groups are split per datapath in the Southbound database: "<key>_<name>".  Like
      // ovn-controller 23.03, a group holds only this chassis's own ports: `inport == @pg` is matched
      // where the packet enters, `outport == @pg` where it leaves, so the other ports' flows would be
      // dead weight (a gateway chassis, local to every datapath, would carry every ACL of the cloud).
      portGroup: (name) => view.portGroups[`${dp.tunnelKey}_${name}`]?.filter((p) => boundHere.has(p)),
      portKey: (name) => keys.get(name),
      isChassisResident: (port) => portsByName.get(port)?.chassis === chassis,
      dhcpv4,
      dhcpv6,
    };
    lookupsCache.set(dp.uuid, l);
    return l;
  };
  const make = (dp: SbDatapath): DatapathContext => datapathContext(dp, lookupsOf(dp));
  return {
    chassis,
    view,
    localDatapaths: local,
    portsByName,
    datapathLookups(uuid) {
      const dp = datapaths.get(uuid);
      return dp === undefined ? undefined : lookupsOf(dp);
    },
    datapath(uuid) {
      const hit = cache.get(uuid);
      if (hit !== undefined) return hit;
      const dp = datapaths.get(uuid);
      if (dp === undefined) return undefined;
      const ctx = make(dp);
      cache.set(uuid, ctx);
      return ctx;
    },
    portRelevant(name) {
      const p = portsByName.get(name);
      if (p === undefined) return false;
      return EVERYWHERE.has(p.type) || p.chassis === chassis;
    },
  };
}
