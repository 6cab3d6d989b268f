// When a claimed port is reported up (Port_Binding.up in the Southbound, external_ids:ovn-installed on
// its interface), as ovn-controller 23.03's interface-status manager does it (observed on the
// benchmark with its if_status/ofctrl debug log): a port is claimed in the iteration that sees it, that
// same iteration's flows go to the switch, and the port is marked up once the switch has acknowledged
// them -- whatever the flows of its datapaths that are still on their way from the Southbound (with
// conditional monitoring they arrive after the claim, by condition change) and are installed later.
// So "up" covers the port's physical flows and the logical flows present at the claim, and --wait=hv
// (nb_cfg) covers everything.  Pure.

import type { BindingPlan } from "./bindings.js";

/**
 * Whether a pass whose replica still lacks rows (monitor conditions on their way) should install what
 * it has rather than wait for them: only to claim ports, or to report up a bound port that is not up
 * yet.  Anything else (releases, pinctrl's state, nb_cfg) waits for the complete replica.
 */
export function installBeforeRows(
  plan: Pick<BindingPlan, "claim" | "bound">,
  isUp: (logicalPort: string) => boolean,
): boolean {
  return plan.claim.length > 0 || plan.bound.some((n) => !isUp(n));
}
