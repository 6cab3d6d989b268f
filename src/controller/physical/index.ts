// The physical flows of `ovnts controller`: the OpenFlow tables around the logical pipelines that
// connect them to ports, tunnels and localnet bridges, as a pure function of the binding state.

import type { Flow } from "../lflow/flow.js";
import { dgpLocalnetFlows } from "./dgp.js";
import { fdbFlows } from "./fdb.js";
import type { PhysicalInput } from "./input.js";
import { isLocalVif } from "./input.js";
import { lbHairpinFlows } from "./lb-hairpin.js";
import { macBindingFlows } from "./mac-binding.js";
import { multicastFlows } from "./multicast.js";
import { portSecurityFlows } from "./port-security.js";
import { portFlows, tunnelInputFlows } from "./ports.js";
import { staticFlows } from "./static.js";
import { viewIndex } from "./view-index.js";

export { dgpLocalnetFlows } from "./dgp.js";
export { fdbFlows } from "./fdb.js";
export { containerParentPort, isLocalVif, isPatch, type PhysicalInput, sequentialZones } from "./input.js";
export { lbHairpinFlows } from "./lb-hairpin.js";
export { macBindingFlows } from "./mac-binding.js";
export { multicastFlows } from "./multicast.js";
export { portSecurityFlows } from "./port-security.js";
export { portFlows, tunnelEncap, tunnelInputFlows } from "./ports.js";
export { staticFlows } from "./static.js";

/** Every physical flow for the input. */
export function physicalFlows(input: PhysicalInput): Flow[] {
  return [
    ...staticFlows(),
    ...tunnelInputFlows(input),
    ...dgpLocalnetFlows(input),
    ...input.view.ports.flatMap((p) => portFlows(p, input)),
    ...input.view.mcGroups.flatMap((g) => multicastFlows(g, input)),
    ...input.view.ports.flatMap((p) => {
      const dp = viewIndex(input.view).datapathByUuid.get(p.datapath);
      return dp !== undefined && isLocalVif(p, input) ? portSecurityFlows(p, dp.tunnelKey) : [];
    }),
    ...input.view.macBindings.flatMap((mb) => macBindingFlows(mb, input)),
    ...input.view.fdbs.flatMap((f) => fdbFlows(f, input)),
    ...input.view.loadBalancers
      .filter((lb) => lb.datapaths.some((d) => input.localDatapaths.has(d)))
      .flatMap((lb) => lbHairpinFlows(lb, input.lbHairpinUseCtMark !== false)),
  ];
}
