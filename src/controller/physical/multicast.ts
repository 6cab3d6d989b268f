// Multicast groups (ovn-architecture(7)): table 39 delivers a copy to members reached through another
// datapath in this chassis (patch ports, localports) and one copy per remote chassis through its
// tunnel; table 40 delivers a copy to every local VIF and localnet member, each with its zone.  Members
// are visited in the order of the group's port set (Port_Binding UUID order).

import type { Flow, FlowAction } from "../lflow/flow.js";
import type { SbMulticastGroup } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { flow, portMatch, resubmit, setField } from "./flows.js";
import { isLocalL2gateway, isLocalVif, isPatch, otherChassisOf, type PhysicalInput } from "./input.js";
import { TUNNEL_PREFERENCE, tunnelEncap, tunnelTypeTo } from "./tunnel.js";
import { pluggedLocalnet, viewIndex } from "./view-index.js";

export function multicastFlows(g: SbMulticastGroup, input: PhysicalInput): Flow[] {
  const uuid = g.uuid;
  const index = viewIndex(input.view);
  const dp = index.datapathByUuid.get(g.datapath);
  if (dp === undefined || !input.localDatapaths.has(g.datapath)) return [];
  const byName = new Map((index.portsByDatapath.get(g.datapath) ?? []).map((p) => [p.logicalPort, p]));
  const members = g.ports
    .flatMap((n) => {
      const p = byName.get(n);
      return p === undefined ? [] : [p];
    })
    .sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  const restore = setField("reg15", g.tunnelKey);
  const out: Flow[] = [];

  const local: FlowAction[] = [];
  const viaPatch: FlowAction[] = [];
  const remote = new Set<string>();
  // Chassis of members that are VTEP gateway ports: reached as ramp switches (VNI = datapath key).
  const ramps = new Set<string>();
  // With its localnet plugged in here, the switch floods to other chassis through the physical network
  // only (the localnet member's copy); a tunnel copy as well would deliver twice (ovn-controller).
  const bridged = pluggedLocalnet(input.view, input.localnetPorts, g.datapath) !== undefined;
  for (const p of members) {
    // A port being migrated is also on its other chassis: they get a copy through their tunnels.
    if (!bridged) for (const c of otherChassisOf(p, input)) if (input.tunnelPorts.has(c)) remote.add(c);
    // A gateway router's l3gateway port has a zone and is delivered like a local port.
    if (p.type === "patch" || (p.type === "localport" && input.vifPorts.has(p.logicalPort))) {
      viaPatch.push(setField("reg15", p.tunnelKey), resubmit(OFTABLE.CHECK_LOOPBACK));
    } else if (
      isLocalVif(p, input) ||
      (p.type === "localnet" && input.localnetPorts.has(p.logicalPort)) ||
      isLocalL2gateway(p, input) ||
      (p.type === "l3gateway" && isPatch(p, input.chassis))
    ) {
      const z = input.ctZone(p.logicalPort);
      if (z !== undefined) local.push(setField("reg13", z));
      local.push(setField("reg15", p.tunnelKey), resubmit(OFTABLE.CHECK_LOOPBACK));
    } else if (p.type === "external" && p.chassis === input.chassis) {
      // An external port bound here has a zone but no OpenFlow port: ovn-controller still loads its
      // zone among the copies (no copy follows); kept so the table matches the real one.
      const z = input.ctZone(p.logicalPort);
      if (z !== undefined) local.push(setField("reg13", z));
    } else if (
      !bridged &&
      p.chassis !== null &&
      p.chassis !== input.chassis &&
      input.tunnelPorts.has(p.chassis)
    ) {
      (p.type === "vtep" ? ramps : remote).add(p.chassis);
    }
  }
  for (const c of ramps) remote.delete(c);
  if (local.length > 0) {
    out.push(
      flow(OFTABLE.LOCAL_OUTPUT, 100, uuid, portMatch("reg15", g.tunnelKey, dp.tunnelKey), [
        ...local,
        restore,
      ]),
    );
  }
  if (viaPatch.length > 0 || remote.size > 0 || ramps.size > 0) {
    const actions: FlowAction[] = viaPatch.length > 0 ? [...viaPatch, restore] : [];
    // One encapsulation per tunnel type, then the copies through the tunnels of that type; the
    // VTEP gateways after the other chassis, with their own encapsulation.
    for (const [set, ramp] of [
      [remote, false],
      [ramps, true],
    ] as const) {
      const sorted = [...set].sort();
      for (const type of TUNNEL_PREFERENCE) {
        const these = sorted.filter((c) => tunnelTypeTo(input, c) === type);
        if (these.length === 0) continue;
        actions.push(...tunnelEncap(type, dp.tunnelKey, g.tunnelKey, ramp));
        for (const c of these) actions.push({ kind: "output", port: input.tunnelPorts.get(c) as number });
      }
    }
    // On to table 40 only when it has copies to make.
    if (local.length > 0) actions.push(resubmit(OFTABLE.LOCAL_OUTPUT));
    out.push(flow(OFTABLE.REMOTE_OUTPUT, 100, uuid, portMatch("reg15", g.tunnelKey, dp.tunnelKey), actions));
  }
  return out;
}
