// ofproto/trace differential (issue 7) over the scenario matrix's topologies (l2, routing, acl, nat, lb,
// localnet, pinctrl) and a few port-type ones (ports, containers, provider): see oftrace-run.ts.
import { TOPOLOGIES } from "../oftrace-topos.js";
import { oftraceTest } from "./oftrace-run.js";

oftraceTest("ofproto/trace: ovnts controller gives the real ovn-controller's datapath actions", TOPOLOGIES);
