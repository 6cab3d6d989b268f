// The logical router pipeline's stage builders (ovn-northd(8) "Logical Router Datapaths").
// The core (src/northd) calls every builder in this list for every logical router.
import type { StageBuilder } from "../lflow/api.js";
import { admission, learnNeighbor, lookupNeighbor } from "./admission.js";
import { arpResolve } from "./arp-resolve.js";
import { delivery, gwRedirect } from "./delivery.js";
import { ipInput } from "./ip-input.js";
import { lbStages } from "./lb.js";
import { natStages } from "./nat.js";
import { ndRa } from "./nd-ra.js";
import { chkPktLen, largerPkts } from "./pkt-len.js";
import { policy } from "./policy.js";
import { arpRequest, ipRouting, ipRoutingEcmp, ipRoutingPre } from "./routing.js";

export const routerBuilders: readonly StageBuilder[] = [
  admission,
  lookupNeighbor,
  learnNeighbor,
  ipInput,
  ...natStages,
  lbStages,
  ndRa,
  ipRoutingPre,
  ipRouting,
  ipRoutingEcmp,
  policy,
  arpResolve,
  chkPktLen,
  largerPkts,
  gwRedirect,
  arpRequest,
  delivery,
];
