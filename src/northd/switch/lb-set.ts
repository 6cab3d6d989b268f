// The load balancers whose VIPs a switch serves: its own (Logical_Switch.load_balancer and groups)
// and, with NB_Global options:install_ls_lb_from_router=true, those of the routers it is attached to.
import type { LoadBalancer, NorthdModel, SwitchDatapath } from "../model.js";

export interface SwitchLb {
  readonly lb: LoadBalancer;
  /** Attached to the switch itself (not only through a router). */
  readonly own: boolean;
}

export function switchLbs(ls: SwitchDatapath, model: NorthdModel): SwitchLb[] {
  const out: SwitchLb[] = ls.loadBalancers.map((lb) => ({ lb, own: true }));
  if (model.options.get("install_ls_lb_from_router") !== "true") return out;
  const seen = new Set(ls.loadBalancers.map((lb) => lb.uuid));
  for (const p of ls.routerPorts) {
    const lr = p.peer?.dp;
    if (lr === undefined) continue;
    for (const lb of lr.loadBalancers) {
      if (seen.has(lb.uuid)) continue;
      seen.add(lb.uuid);
      out.push({ lb, own: false });
    }
  }
  return out;
}
