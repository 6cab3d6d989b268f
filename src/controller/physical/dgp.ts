// Traffic from a provider network to a router with a distributed gateway port.  When a switch with a
// localnet port is attached to a router that has a distributed gateway port (a chassis-redirect port
// in its datapath), the real ovn-controller 23.03 installs a conjunctive match in table 0 that would rewrite the source MAC
// of frames coming from other chassis' MACs (ovn-chassis-mac-mappings) to the router port's MAC.
// Clause 1 lists those chassis MACs; with none configured it is empty, but clause 2 and the
// conj_id flow are installed all the same, and so are they here.

import { parseMac } from "../../expr/values.js";
import type { Flow, FlowAction } from "../lflow/flow.js";
import type { SbPortBinding } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { exact, flow, masked, setField } from "./flows.js";
import type { PhysicalInput } from "./input.js";
import { viewIndex } from "./view-index.js";

/** First conjunction id of these flows (the real controller numbers them from 100). */
const FIRST_CONJ_ID = 100;

export function dgpLocalnetFlows(input: PhysicalInput): Flow[] {
  const out: Flow[] = [];
  const byName = new Map(input.view.ports.map((p) => [p.logicalPort, p]));
  let conjId = FIRST_CONJ_ID;
  const withDgp = new Set(
    input.view.ports.filter((p) => p.type === "chassisredirect").map((p) => p.datapath),
  );
  for (const rp of input.view.ports) {
    if (rp.type !== "patch" || !withDgp.has(rp.datapath)) continue;
    const peer = byName.get(rp.options.peer ?? "");
    if (peer === undefined || !input.localDatapaths.has(peer.datapath)) continue;
    const dp = viewIndex(input.view).datapathByUuid.get(peer.datapath);
    const mac = parseMac((rp.mac[0] ?? "").split(" ")[0] ?? "");
    if (dp === undefined || mac === null) continue;
    for (const ln of input.view.ports) {
      const ofport =
        ln.type === "localnet" && ln.datapath === peer.datapath
          ? input.localnetPorts.get(ln.logicalPort)
          : undefined;
      if (ofport === undefined) continue;
      const untagged = masked("vlan_tci", 0, 0x1000);
      out.push(
        flow(
          OFTABLE.PHY_TO_LOG,
          180,
          rp.uuid,
          [untagged],
          [{ kind: "conjunction", id: conjId, clause: 2, nClauses: 2 }],
        ),
      );
      out.push(
        flow(
          OFTABLE.PHY_TO_LOG,
          180,
          rp.uuid,
          [exact("conj_id", conjId), exact("in_port", ofport), untagged],
          [
            ...ingress(ln, input, dp.tunnelKey),
            setField("eth_src", mac),
            { kind: "resubmit", table: OFTABLE.LOG_INGRESS_PIPELINE },
          ],
        ),
      );
      conjId++;
    }
  }
  return out;
}

function ingress(ln: SbPortBinding, input: PhysicalInput, dpKey: number): FlowAction[] {
  const z = input.ctZone(ln.logicalPort);
  return [
    ...(z !== undefined ? [setField("reg13", z)] : []),
    setField("reg11", input.dnatZone(ln.datapath)),
    setField("reg12", input.snatZone(ln.datapath)),
    setField("metadata", dpKey),
    setField("reg14", ln.tunnelKey),
  ];
}
