// The IP multicast groups northd builds from what the controllers learned (SB IGMP_Group, ovn-sb(5);
// ovn-northd(8) "multicast groups"), as observed from ovn-northd 23.03 with rows written by hand:
//   - a row without a datapath or a chassis is stale (its controller went away) and is deleted;
//   - an address that is neither IPv4 nor IPv6 is ignored; an IPv4-mapped IPv6 address counts as IPv4;
//   - rows of several chassis for one (datapath, address) merge into one group of their ports;
//   - ports with options:mcast_flood=true are left out (they get every multicast packet through
//     _MC_static anyway), and so are switch ports to a router with options:mcast_relay=true (they are
//     in _MC_mrouter_flood, which the group's flow clones to first: as a member too, the relaying
//     router would get the packet twice); a group left without ports is not built;
//   - the group's name (and the address in its flows) is the row's address text as written;
//   - a router with options:mcast_relay=true gets, for each group of a switch behind one of its
//     ports, a group of those router ports;
//   - the row with the address "mrouters" (ovn-controller's learned multicast router ports) adds its
//     ports to the switch's _MC_mrouter_flood.
// Pure: reads the model's SB replica; cached per model (a change of IGMP_Group drops the model's entry,
// see engine/en-model.ts).
import { parseIpv4, parseIpv6 } from "../addr.js";
import type { NorthdModel, SwitchDatapath, SwitchPort } from "../model.js";
import { nbUuidOfDatapath } from "./datapath.js";

/** One IP multicast group of a datapath. */
export interface IpMulticastGroup {
  /** The address as the IGMP_Group rows spell it (the Multicast_Group name). */
  readonly address: string;
  readonly ipv4: boolean;
  /** Logical port names, sorted. */
  readonly ports: readonly string[];
}

export interface IgmpGroups {
  /** Groups by NB datapath uuid (switches and relaying routers), sorted by address. */
  readonly byDatapath: ReadonlyMap<string, readonly IpMulticastGroup[]>;
  /** IGMP_Group rows to delete: no datapath or no chassis. */
  readonly stale: readonly string[];
  /** Learned multicast router ports by NB switch uuid (the "mrouters" rows). */
  readonly mrouters: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The IGMP_Group address under which ovn-controller lists the ports multicast routers were seen on. */
export const MROUTERS = "mrouters";

/** IPv4 for dotted quads and IPv4-mapped IPv6 (::ffff:a.b.c.d); undefined if not an address. */
export function groupFamily(address: string): "ip4" | "ip6" | undefined {
  if (parseIpv4(address) !== undefined) return "ip4";
  const v6 = parseIpv6(address);
  if (v6 === undefined) return undefined;
  return v6 >> 32n === 0xffffn ? "ip4" : "ip6";
}

const cache = new WeakMap<NorthdModel, IgmpGroups>();

/** The IP multicast groups of every datapath of the model. */
export function igmpGroups(model: NorthdModel): IgmpGroups {
  let g = cache.get(model);
  if (g === undefined) {
    g = computeIgmpGroups(model);
    cache.set(model, g);
  }
  return g;
}

/** Drops what igmpGroups computed for `model`: the IGMP_Group rows changed under it. */
export function forgetIgmpGroups(model: NorthdModel): void {
  cache.delete(model);
}

/** Whether a port's options say it floods all multicast. */
const floods = (options: ReadonlyMap<string, string>): boolean => options.get("mcast_flood") === "true";

/** Whether a router relays multicast between its switches. */
const relays = (options: ReadonlyMap<string, string>): boolean => options.get("mcast_relay") === "true";

/** A learned port that counts as a member: a switch port that neither floods nor leads to a relay. */
function memberPort(model: NorthdModel, name: string | undefined): SwitchPort | undefined {
  const p = name === undefined ? undefined : model.ports.get(name);
  if (p?.kind !== "lsp" || floods(p.nb.options)) return undefined;
  if (p.peer !== undefined && relays(p.peer.dp.nb.options)) return undefined;
  return p;
}

function computeIgmpGroups(model: NorthdModel): IgmpGroups {
  const rows = model.sb.rows("IGMP_Group");
  const stale: string[] = [];
  // NB datapath uuid → address → port names.
  const learned = new Map<string, Map<string, Set<string>>>();
  const mrouters = new Map<string, Set<string>>();
  if (rows.length === 0) return { byDatapath: new Map(), stale, mrouters };
  for (const r of rows) {
    if (r.datapath === undefined || r.chassis === undefined) {
      stale.push(r._uuid);
      continue;
    }
    const isMrouters = r.address === MROUTERS;
    if (!isMrouters && groupFamily(r.address) === undefined) continue;
    const sbDp = model.sb.get("Datapath_Binding", r.datapath);
    const nbDp = sbDp === undefined ? undefined : nbUuidOfDatapath(sbDp);
    const ls = nbDp === undefined ? undefined : model.datapaths.get(nbDp);
    if (ls?.kind !== "switch") continue;
    if (isMrouters) {
      let ports = mrouters.get(ls.uuid);
      if (ports === undefined) {
        ports = new Set();
        mrouters.set(ls.uuid, ports);
      }
      for (const pu of r.ports) {
        const p = memberPort(model, model.sb.get("Port_Binding", pu)?.logicalPort);
        if (p !== undefined) ports.add(p.name);
      }
      continue;
    }
    for (const pu of r.ports) {
      const p = memberPort(model, model.sb.get("Port_Binding", pu)?.logicalPort);
      if (p === undefined) continue;
      let byAddr = learned.get(ls.uuid);
      if (byAddr === undefined) {
        byAddr = new Map();
        learned.set(ls.uuid, byAddr);
      }
      let ports = byAddr.get(r.address);
      if (ports === undefined) {
        ports = new Set();
        byAddr.set(r.address, ports);
      }
      ports.add(p.name);
    }
  }
  const byDatapath = new Map<string, IpMulticastGroup[]>();
  // Relaying routers: address → router ports facing switches that have the group.
  const relayed = new Map<string, Map<string, Set<string>>>();
  for (const [dp, byAddr] of learned) {
    const ls = model.datapaths.get(dp) as SwitchDatapath;
    byDatapath.set(dp, toGroups(byAddr));
    for (const sp of ls.routerPorts) {
      const rp = sp.peer;
      if (rp === undefined || !relays(rp.dp.nb.options) || floods(rp.nb.options)) continue;
      let byAddrR = relayed.get(rp.dp.uuid);
      if (byAddrR === undefined) {
        byAddrR = new Map();
        relayed.set(rp.dp.uuid, byAddrR);
      }
      for (const addr of byAddr.keys()) {
        let ports = byAddrR.get(addr);
        if (ports === undefined) {
          ports = new Set();
          byAddrR.set(addr, ports);
        }
        ports.add(rp.name);
      }
    }
  }
  for (const [dp, byAddr] of relayed) byDatapath.set(dp, toGroups(byAddr));
  return { byDatapath, stale, mrouters };
}

function toGroups(byAddr: ReadonlyMap<string, ReadonlySet<string>>): IpMulticastGroup[] {
  return [...byAddr]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([address, ports]) => ({
      address,
      ipv4: groupFamily(address) === "ip4",
      ports: [...ports].sort(),
    }));
}

/** First tunnel key of learned groups (the fixed groups take 32768 … 32773, see multicast.ts). */
export const IP_MCAST_KEY_MIN = 32774;
export const IP_MCAST_KEY_MAX = 65535;

/**
 * Tunnel keys for a datapath's groups: an existing Multicast_Group row keeps its key; new groups take
 * the lowest free keys from IP_MCAST_KEY_MIN, in address order. Groups that find no free key are left
 * out of the result.
 */
export function allocateGroupKeys(
  groups: readonly IpMulticastGroup[],
  existing: ReadonlyMap<string, number>,
): Map<string, number> {
  const out = new Map<string, number>();
  const used = new Set<number>();
  for (const g of groups) {
    const k = existing.get(g.address);
    if (k !== undefined && k >= IP_MCAST_KEY_MIN && k <= IP_MCAST_KEY_MAX && !used.has(k)) {
      out.set(g.address, k);
      used.add(k);
    }
  }
  let next = IP_MCAST_KEY_MIN;
  for (const g of groups) {
    if (out.has(g.address)) continue;
    while (used.has(next)) next++;
    if (next > IP_MCAST_KEY_MAX) break;
    out.set(g.address, next);
    used.add(next);
  }
  return out;
}
