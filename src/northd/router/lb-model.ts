// Facts about a router's load balancers and SNAT addresses that several stages need (IP input, UNSNAT,
// DNAT, SNAT): computed once per router and cached per model.
import type { NorthdModel, RouterDatapath } from "../model.js";
import { routerNats } from "./nat-model.js";

export interface RouterAddrFacts {
  /** External IPs of NAT rules that SNAT (snat, dnat_and_snat), printed. */
  readonly snatIps: ReadonlySet<string>;
  /** IPv4 and IPv6 VIPs of the router's load balancers, printed, in first-seen order. */
  readonly lbIp4: readonly string[];
  readonly lbIp6: readonly string[];
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
  const ip4 = new Set<string>();
  const ip6 = new Set<string>();
  for (const lb of lr.loadBalancers) for (const v of lb.vips) (v.family === 4 ? ip4 : ip6).add(v.ip);
  const out: RouterAddrFacts = {
    snatIps,
    lbIp4: [...ip4],
    lbIp6: [...ip6],
    lbForceSnatRouterIp: lr.isGatewayRouter && lr.nb.options.get("lb_force_snat_ip") === "router_ip",
  };
  cacheOf(model).set(lr, out);
  return out;
}
