// ofproto/trace differential (issue 7) over feature-dense topologies (gateway router NAT/LB, DGP with
// gateway chassis and HA groups, ECMP/policies/route tables, ACLs+QoS, LB hairpin and groups, virtual and
// external ports, multicast): see oftrace-run.ts and test/scenarios/oftrace-features.ts.
import { FEATURE_TOPOLOGIES, PENDING_TOPOLOGIES } from "../oftrace-features.js";
import { oftraceTest } from "./oftrace-run.js";

oftraceTest(
  "ofproto/trace of OVN features: ovnts controller gives the real ovn-controller's datapath actions",
  process.env.OVNTS_OFTRACE_PENDING === "1"
    ? [...PENDING_TOPOLOGIES, ...FEATURE_TOPOLOGIES]
    : FEATURE_TOPOLOGIES,
);
