// Facts about a router's load balancers and SNAT addresses that several stages need (IP input, UNSNAT,
// DNAT, SNAT): computed once per router and cached per model.

import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import { parseIpv4, parseIpv6 } from "../addr.js";
import { isTemplateLb } from "../lb.js";
import type { NorthdModel, RouterDatapath } from "../model.js";
import { forceSnatIps } from "./nat.js";
import { routerNats } from "./nat-model.js";

export interface RouterAddrFacts {
  /** External IPs of NAT rules that SNAT (snat, dnat_and_snat), printed. */
  readonly snatIps: ReadonlySet<string>;
  /** IPv4 and IPv6 VIPs of the router's load balancers, printed, in first-seen order. */
  readonly lbIp4: readonly string[];
  readonly lbIp6: readonly string[];
  /** The VIPs the router answers ARP / ND for (see reachableLbVips). */
  readonly arpVip4: readonly string[];
  readonly arpVip6: readonly string[];
  /** options:lb_force_snat_ip=router_ip on a gateway router. */
  readonly lbForceSnatRouterIp: boolean;
}

// Per model, then per router: a router object kept across incremental runs may see changed shared
// rows (address sets) in a new model.
const cache = new WeakMap<NorthdModel, WeakMap<RouterDatapath, RouterAddrFacts>>();

function cacheOf(model: NorthdModel): WeakMap<RouterDatapath, RouterAddrFacts> {
  const hit = cache.get(model);
  if (hit !== undefined) return hit;
  const m = new WeakMap();
  cache.set(model, m);
  return m;
}

export function routerAddrFacts(lr: RouterDatapath, model: NorthdModel): RouterAddrFacts {
  const hit = cacheOf(model).get(lr);
  if (hit !== undefined) return hit;
  const snatIps = new Set<string>();
  for (const n of routerNats(lr, model)) if (n.isSnat) snatIps.add(n.externalIp);
  // The first IPv4 and IPv6 of dnat_force_snat_ip / lb_force_snat_ip are SNAT addresses too (on any router).
  for (const key of ["dnat_force_snat_ip", "lb_force_snat_ip"]) {
    const ips = forceSnatIps(lr, key);
    for (const family of [4, 6] as const) {
      const first = ips.find((a) => a.family === family);
      if (first !== undefined) snatIps.add(first.ip);
    }
  }
  const ip4 = new Set<string>();
  const ip6 = new Set<string>();
  for (const lb of lr.loadBalancers) for (const v of lb.vips) (v.family === 4 ? ip4 : ip6).add(v.ip);
  const out: RouterAddrFacts = {
    snatIps,
    lbIp4: [...ip4],
    lbIp6: [...ip6],
    ...(() => {
      const r = reachableLbVips(lr);
      return { arpVip4: r.ip4, arpVip6: r.ip6 };
    })(),
    lbForceSnatRouterIp: lr.isGatewayRouter && lr.nb.options.get("lb_force_snat_ip") === "router_ip",
  };
  cacheOf(model).set(lr, out);
  return out;
}

/**
 * The VIPs of a router's load balancers that lie in the network of one of its ports, in first-seen
 * order: the router answers ARP / ND only for these (the SB address sets _rtr_lb_KEY_ip4/_ip6); a VIP
 * outside every network gets neither (observed from ovn-northd 23.03) — unless its load balancer's
 * neighbor_responder says "all" (every VIP) or "none" (none).
 */
export function reachableLbVips(lr: RouterDatapath): { ip4: string[]; ip6: string[] } {
  const ip4 = new Set<string>();
  const ip6 = new Set<string>();
  const nets4 = lr.ports.flatMap((p) => p.networks.ipv4);
  const nets6 = lr.ports.flatMap((p) => p.networks.ipv6);
  for (const lb of lr.loadBalancers) {
    const mode = neighborMode(lb.nb);
    if (mode === "none") continue;
    for (const v of lb.vips) {
      if (mode === "all") {
        (v.family === 4 ? ip4 : ip6).add(v.ip);
        continue;
      }
      if (v.family === 4) {
        const a = parseIpv4(v.ip);
        if (a !== undefined && nets4.some((n) => (a & n.mask) >>> 0 === n.network)) ip4.add(v.ip);
      } else {
        const a = parseIpv6(v.ip);
        if (a !== undefined && nets6.some((n) => (a & n.mask) === n.network)) ip6.add(v.ip);
      }
    }
  }
  return { ip4: [...ip4], ip6: [...ip6] };
}

/**
 * Load_Balancer options:neighbor_responder: "reachable" (the default: VIPs inside a router network),
 * "all" or "none". Template load balancers default to "none" and cannot be "reachable"; an invalid
 * value falls back to the default.
 */
function neighborMode(lb: nb.LoadBalancer): "reachable" | "all" | "none" {
  const template = isTemplateLb(lb);
  const dflt = template ? "none" : "reachable";
  const m = lb.options.get("neighbor_responder") ?? dflt;
  if (m === "all" || m === "none") return m;
  return m === "reachable" && !template ? m : dflt;
}
