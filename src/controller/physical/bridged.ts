// A remote gateway port with options:redirect-type=bridged (ovn-nb(5) Logical_Router_Port options
// redirect-type): traffic this chassis redirects to the gateway chassis goes over the provider network
// instead of a tunnel — the packet leaves as the router port (its MAC as source) through the localnet
// port of the switch the distributed gateway port is attached to, as ovn-controller 23.03 does.
// Without such a localnet here nothing is installed (the packet is dropped, as there).

import { parseMac } from "../../expr/values.js";
import type { Flow } from "../lflow/flow.js";
import type { SbPortBinding } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { flow, portMatch, resubmit, setField } from "./flows.js";
import type { PhysicalInput } from "./input.js";
import { pluggedLocalnet, viewIndex } from "./view-index.js";

/** Whether a chassisredirect binding asks for bridged redirection (the option is case-insensitive). */
export function isBridgedRedirect(p: SbPortBinding): boolean {
  return p.type === "chassisredirect" && p.options["redirect-type"]?.toLowerCase() === "bridged";
}

/** The LOCAL_OUTPUT flow of a remote bridged chassisredirect port `p` of router datapath `dpKey`. */
export function bridgedRedirectFlows(p: SbPortBinding, input: PhysicalInput, dpKey: number): Flow[] {
  const mac = parseMac((p.mac[0] ?? "").trim().split(/\s+/)[0] ?? "");
  const dist = p.options["distributed-port"];
  if (mac === null || dist === undefined) return [];
  // The switch side of the distributed gateway port: a patch port whose peer it is.
  const sw = input.view.ports.find((q) => q.type === "patch" && q.options.peer === dist);
  if (sw === undefined || !input.localDatapaths.has(sw.datapath)) return [];
  const lsDp = viewIndex(input.view).datapathByUuid.get(sw.datapath);
  const ln = pluggedLocalnet(input.view, input.localnetPorts, sw.datapath);
  if (lsDp === undefined || ln === undefined) return [];
  return [
    flow(OFTABLE.LOCAL_OUTPUT, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
      setField("eth_src", mac),
      setField("metadata", lsDp.tunnelKey),
      setField("reg15", ln.tunnelKey),
      resubmit(OFTABLE.LOG_TO_PHY),
    ]),
  ];
}
