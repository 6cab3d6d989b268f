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
import type { SbDatapath, SbDhcpOption, SbPortBinding, SbView } from "./sb.js";

/** One datapath as the compiler sees it. */
export interface DatapathContext extends MatchLookups {
  readonly datapath: SbDatapath;
  readonly expr: ExprContext;
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
 * The datapaths a chassis needs: those with a port bound to it, and everything reachable from them
 * through patch ports (router ports and their peers); a gateway router's l3gateway ports count as
 * patch ports on the chassis they are bound to.
 */
export function localDatapaths(view: SbView, chassis: string): Set<string> {
  const local = new Set<string>();
  const peerOf = new Map<string, SbPortBinding>();
  const byName = new Map(view.ports.map((p) => [p.logicalPort, p]));
  for (const p of view.ports) {
    if (p.chassis === chassis) local.add(p.datapath);
    const peer = p.options.peer;
    if (peer === undefined) continue;
    const other = byName.get(peer);
    if (other === undefined) continue;
    if (p.type === "patch" || (p.type === "l3gateway" && p.options["l3gateway-chassis"] === chassis)) {
      peerOf.set(p.uuid, other);
    }
  }
  const todo = [...local];
  while (todo.length > 0) {
    const dp = todo.pop() as string;
    for (const p of view.ports) {
      if (p.datapath !== dp) continue;
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
  const portsByName = new Map(view.ports.map((p) => [p.logicalPort, p]));
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
    for (const p of view.ports) if (p.datapath === dp.uuid) keys.set(p.logicalPort, p.tunnelKey);
    for (const g of view.mcGroups) if (g.datapath === dp.uuid) keys.set(g.name, g.tunnelKey);
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
