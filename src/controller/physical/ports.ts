// Physical flows of single logical ports (ovn-architecture(7), "Architectural Physical Life Cycle of a
// Packet"): table 0 gives a packet from a local VIF or localnet its logical input port and datapath;
// table 39 sends packets for ports on other chassis into a tunnel; table 40 hands packets for local
// ports to the egress pipeline with the port's zones; table 41 drops packets that would go back out of
// their input port; table 64 lets loopback packets leave through their input port; table 65 outputs to
// the OpenFlow port, or for a patch port re-enters the peer datapath's ingress pipeline.

import type { Flow, FlowAction } from "../lflow/flow.js";
import { OFPP_ANY } from "../lflow/flow.js";
import type { SbPortBinding } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { bridgedRedirectFlows, isBridgedRedirect } from "./bridged.js";
import { externalLocalnetFlows } from "./external.js";
import { exact, flow, masked, portMatch, REG0_9, resubmit, setField } from "./flows.js";
import {
  containerParentPort,
  isLocalL2gateway,
  isLocalVif,
  isPatch,
  otherChassisOf,
  type PhysicalInput,
} from "./input.js";
import { tunnelEncap, tunnelTypeTo } from "./tunnel.js";
import { pluggedLocalnet, portIn, viewIndex } from "./view-index.js";

/** Flag set on packets that came from a localport (they must not reach a localnet). */
const FLAG_FROM_LOCALPORT = 0x400;

/** reg13 (if the port has a zone), reg11 and reg12 of its datapath. */
function zoneLoads(p: SbPortBinding, input: PhysicalInput, withCt: boolean): FlowAction[] {
  const out: FlowAction[] = [];
  const z = withCt ? input.ctZone(p.logicalPort) : undefined;
  if (z !== undefined) out.push(setField("reg13", z));
  out.push(setField("reg11", input.dnatZone(p.datapath)), setField("reg12", input.snatZone(p.datapath)));
  return out;
}

export { tunnelEncap, tunnelInputFlows } from "./tunnel.js";

function dpKeyOf(input: PhysicalInput, uuid: string): number | undefined {
  return viewIndex(input.view).datapathByUuid.get(uuid)?.tunnelKey;
}

/** Flows for one port binding of a local datapath. */
export function portFlows(p: SbPortBinding, input: PhysicalInput): Flow[] {
  const dpKey = dpKeyOf(input, p.datapath);
  if (dpKey === undefined || !input.localDatapaths.has(p.datapath)) return [];
  const out: Flow[] = [];
  const key = p.tunnelKey;
  const local = isLocalVif(p, input);
  const localnetPort =
    p.type === "localnet" || isLocalL2gateway(p, input) ? input.localnetPorts.get(p.logicalPort) : undefined;
  const patch = isPatch(p, input.chassis);
  const ingressLoads = (extra: FlowAction[] = []): FlowAction[] => [
    ...zoneLoads(p, input, true),
    setField("metadata", dpKey),
    setField("reg14", key),
    ...extra,
    resubmit(OFTABLE.LOG_INGRESS_PIPELINE),
  ];

  const parentOfport = containerParentPort(p, input);
  if (local && parentOfport !== undefined) {
    out.push(...containerFlows(p, input, dpKey, parentOfport, ingressLoads));
  } else if (local) {
    const ofport = input.vifPorts.get(p.logicalPort) as number;
    const fromLocalport =
      p.type === "localport" ? [setField("reg10", FLAG_FROM_LOCALPORT, FLAG_FROM_LOCALPORT)] : [];
    out.push(flow(OFTABLE.PHY_TO_LOG, 100, p.uuid, [exact("in_port", ofport)], ingressLoads(fromLocalport)));
    out.push(
      flow(OFTABLE.LOG_TO_PHY, 100, p.uuid, portMatch("reg15", key, dpKey), [
        { kind: "output", port: ofport },
      ]),
    );
    if (activationPending(p, input)) out.push(...activationFlows(p, ofport, dpKey, ingressLoads));
    // Being migrated: a copy goes to the port's other chassis too, then the local delivery.
    const others = multichassisOutputs(p, input, dpKey);
    if (others.length > 0)
      out.push(
        flow(OFTABLE.REMOTE_OUTPUT, 100, p.uuid, portMatch("reg15", key, dpKey), [
          ...others,
          resubmit(OFTABLE.LOCAL_OUTPUT),
        ]),
      );
  } else if (localnetPort !== undefined) {
    const tag = p.tag;
    if (tag === null) {
      out.push(
        flow(
          OFTABLE.PHY_TO_LOG,
          100,
          p.uuid,
          [exact("in_port", localnetPort), masked("vlan_tci", 0x1000, 0x1fff)],
          [{ kind: "pop_vlan" }, ...ingressLoads()],
        ),
      );
      out.push(
        flow(
          OFTABLE.PHY_TO_LOG,
          100,
          p.uuid,
          [exact("in_port", localnetPort), masked("vlan_tci", 0, 0x1000)],
          ingressLoads(),
        ),
      );
    } else {
      out.push(
        flow(
          OFTABLE.PHY_TO_LOG,
          100,
          p.uuid,
          [exact("in_port", localnetPort), masked("vlan_tci", 0x1000 | tag, 0x1fff)],
          [{ kind: "pop_vlan" }, ...ingressLoads()],
        ),
      );
    }
    // A tagged localnet sends with its VLAN: push a tag onto the untagged logical packet and set its
    // VID (ovn-controller's mod_vlan_vid, sent as these two actions; OVS rejects a set_field on a VLAN
    // it cannot see), and take the tag off again for any action after the output.
    const toPhysical: FlowAction[] =
      tag === null
        ? [{ kind: "output", port: localnetPort }]
        : [
            { kind: "push_vlan", ethertype: 0x8100 },
            setField("vlan_vid", 0x1000 | tag),
            { kind: "output", port: localnetPort },
            { kind: "pop_vlan" },
          ];
    out.push(flow(OFTABLE.LOG_TO_PHY, 100, p.uuid, portMatch("reg15", key, dpKey), toPhysical));
    // Never from a localport or a tunnel out to the physical network (but from a localport to an
    // external port bound here, external.ts).  An l2gateway port is the way out for the other chassis:
    // none of this.
    if (p.type === "localnet") out.push(...externalLocalnetFlows(p, dpKey, input));
    for (const bit of p.type === "localnet" ? [0x10, FLAG_FROM_LOCALPORT] : []) {
      out.push(
        flow(
          OFTABLE.CHECK_LOOPBACK,
          160,
          p.uuid,
          [masked("reg10", bit, bit), ...portMatch("reg15", key, dpKey)],
          [],
        ),
      );
    }
  } else if (patch) {
    out.push(...patchOutput(p, input, dpKey));
  } else {
    out.push(...remoteOutput(p, input, dpKey));
    return out;
  }

  if (p.type === "localport") {
    out.push(
      flow(OFTABLE.REMOTE_OUTPUT, 150, p.uuid, portMatch("reg14", key, dpKey), [
        resubmit(OFTABLE.LOCAL_OUTPUT),
      ]),
    );
  }
  out.push(
    flow(OFTABLE.LOCAL_OUTPUT, 100, p.uuid, portMatch("reg15", key, dpKey), [
      ...zoneLoads(p, input, !patch || p.type === "l3gateway"),
      resubmit(OFTABLE.CHECK_LOOPBACK),
    ]),
  );
  out.push(
    flow(
      OFTABLE.CHECK_LOOPBACK,
      100,
      p.uuid,
      [masked("reg10", 0, 1), exact("reg14", key), ...portMatch("reg15", key, dpKey)],
      [],
    ),
  );
  out.push(
    flow(
      OFTABLE.SAVE_INPORT,
      100,
      p.uuid,
      // A container port shares its parent's OpenFlow port, so it may always leave through it.
      parentOfport !== undefined
        ? portMatch("reg15", key, dpKey)
        : [masked("reg10", 1, 1), ...portMatch("reg15", key, dpKey)],
      [
        { kind: "push", src: { field: "in_port", ofs: 0, nBits: 16 } },
        setField("in_port", OFPP_ANY),
        resubmit(OFTABLE.LOG_TO_PHY),
        { kind: "pop", dst: { field: "in_port", ofs: 0, nBits: 16 } },
      ],
    ),
  );
  return out;
}

/** pinctrl opcode ACTIVATION_STRATEGY_RARP, as the controller action's userdata (opcode, 4 zero bytes). */
const RARP_ACTIVATION_USERDATA = Uint8Array.from([0, 0, 0, 0x1a, 0, 0, 0, 0]);

/**
 * A migrating port (requested-chassis lists this chassis as an additional one) with
 * options:activation-strategy=rarp, before this chassis is named in
 * options:additional-chassis-activated: it is not used here until the VM announces itself.
 */
function activationPending(p: SbPortBinding, input: PhysicalInput): boolean {
  if (p.options["activation-strategy"] !== "rarp") return false;
  if (!(p.additionalChassis ?? []).includes(input.chassis)) return false;
  return !(p.options["additional-chassis-activated"] ?? "").split(",").includes(input.chassis);
}

/**
 * Until activation (ovn-nb(5) activation-strategy): the VM's RARP goes to pinctrl (which activates
 * the port here) and on into the pipeline; everything else from it, and everything to it, is dropped.
 */
function activationFlows(
  p: SbPortBinding,
  ofport: number,
  dpKey: number,
  ingressLoads: (extra?: FlowAction[]) => FlowAction[],
): Flow[] {
  const loads = ingressLoads().slice(0, -1);
  const toPipeline = resubmit(OFTABLE.LOG_INGRESS_PIPELINE);
  const rarp: FlowAction = {
    kind: "controller",
    userdata: RARP_ACTIVATION_USERDATA,
    pause: false,
    meterId: null,
  };
  return [
    flow(
      OFTABLE.PHY_TO_LOG,
      1010,
      p.uuid,
      [exact("in_port", ofport), exact("eth_type", 0x8035)],
      [...loads, rarp, toPipeline],
    ),
    flow(OFTABLE.PHY_TO_LOG, 1000, p.uuid, [exact("in_port", ofport)], []),
    flow(OFTABLE.LOG_TO_PHY, 1000, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), []),
  ];
}

/** Flag of packets that came from a container port (tagged, through the parent's OpenFlow port). */
const FLAG_NESTED_CONTAINER = 0x20;

/**
 * A container port: tagged traffic on its parent's OpenFlow port enters with the VLAN removed, and
 * leaves tagged.  Packets from a container may go out to the parent (the same OpenFlow port), which
 * table 64 allows for the parent with the nested-container flag.
 */
function containerFlows(
  p: SbPortBinding,
  input: PhysicalInput,
  dpKey: number,
  parentOfport: number,
  ingressLoads: (extra?: FlowAction[]) => FlowAction[],
): Flow[] {
  const tag = p.tag as number;
  const out: Flow[] = [
    flow(
      OFTABLE.PHY_TO_LOG,
      150,
      p.uuid,
      [exact("in_port", parentOfport), masked("vlan_tci", 0x1000 | tag, 0x1fff)],
      [
        setField("reg10", FLAG_NESTED_CONTAINER, FLAG_NESTED_CONTAINER),
        { kind: "pop_vlan" },
        ...ingressLoads(),
      ],
    ),
    flow(OFTABLE.LOG_TO_PHY, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
      { kind: "push_vlan", ethertype: 0x8100 },
      setField("vlan_vid", 0x1000 | tag),
      { kind: "output", port: parentOfport },
      { kind: "pop_vlan" },
    ]),
  ];
  const parent = p.parentPort === null ? undefined : portIn(input.view, p.datapath, p.parentPort);
  if (parent !== undefined) {
    out.push(
      flow(
        OFTABLE.SAVE_INPORT,
        100,
        null,
        [
          masked("reg10", FLAG_NESTED_CONTAINER, FLAG_NESTED_CONTAINER),
          ...portMatch("reg15", parent.tunnelKey, dpKey),
        ],
        [
          { kind: "push", src: { field: "in_port", ofs: 0, nBits: 16 } },
          setField("in_port", OFPP_ANY),
          resubmit(OFTABLE.LOG_TO_PHY),
          { kind: "pop", dst: { field: "in_port", ofs: 0, nBits: 16 } },
        ],
      ),
    );
  }
  return out;
}

/** A patch port's output re-enters the peer's datapath in a clone, with the peer's zones. */
function patchOutput(p: SbPortBinding, input: PhysicalInput, dpKey: number): Flow[] {
  const peerName = p.options.peer;
  const peer = peerName === undefined ? undefined : viewIndex(input.view).portByName.get(peerName);
  if (peer === undefined) return [];
  const peerDp = dpKeyOf(input, peer.datapath);
  if (peerDp === undefined) return [];
  const clearRegs = REG0_9.map((r) => setField(r, 0));
  const zone = peer.type === "l3gateway" ? input.ctZone(peer.logicalPort) : undefined;
  const actions: FlowAction[] = [
    { kind: "ct_clear" },
    setField("reg11", 0),
    setField("reg12", 0),
    setField("reg13", 0),
    ...(zone !== undefined ? [setField("reg13", zone)] : []),
    // Only a local datapath has NAT zones (ovn-controller gives them to local datapaths only): the
    // provider switch behind an always-redirect gateway port, not local here, gets none.
    ...(input.localDatapaths.has(peer.datapath)
      ? [setField("reg11", input.dnatZone(peer.datapath)), setField("reg12", input.snatZone(peer.datapath))]
      : []),
    setField("metadata", peerDp),
    setField("reg14", peer.tunnelKey),
    setField("reg10", 0),
    setField("reg15", 0),
    ...clearRegs,
    resubmit(OFTABLE.LOG_INGRESS_PIPELINE),
  ];
  return [
    flow(OFTABLE.LOG_TO_PHY, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
      { kind: "clone", actions },
    ]),
  ];
}

/** A port on another chassis: through the tunnel to it; with no tunnel, through the datapath's localnet. */
function remoteOutput(p: SbPortBinding, input: PhysicalInput, dpKey: number): Flow[] {
  if (isBridgedRedirect(p) && p.chassis !== input.chassis) return bridgedRedirectFlows(p, input, dpKey);
  if (p.type === "chassisredirect" && p.chassis !== input.chassis && p.haChassis.length > 0) {
    // A gateway port of an HA chassis group: to the first live gateway chassis, in priority order.
    const remotes = p.haChassis.filter(
      (h) => h.chassis !== input.chassis && input.tunnelPorts.has(h.chassis),
    );
    const members = remotes.map((h) => input.tunnelPorts.get(h.chassis) as number);
    const first = remotes[0];
    if (first === undefined) return [];
    // One encapsulation for the bundle: that of the preferred gateway's tunnel.
    return [
      flow(OFTABLE.REMOTE_OUTPUT, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
        ...tunnelEncap(tunnelTypeTo(input, first.chassis), dpKey, p.tunnelKey),
        { kind: "bundle", members },
      ]),
    ];
  }
  if (p.type === "chassisredirect" && p.chassis === input.chassis) {
    // Resident here: the packet continues as if sent to the distributed port itself.
    const distName = p.options["distributed-port"];
    const dist = distName === undefined ? undefined : portIn(input.view, p.datapath, distName);
    if (dist === undefined) return [];
    return [
      flow(OFTABLE.LOCAL_OUTPUT, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
        setField("reg15", dist.tunnelKey),
        setField("reg11", input.dnatZone(p.datapath)),
        setField("reg12", input.snatZone(p.datapath)),
        resubmit(OFTABLE.CHECK_LOOPBACK),
      ]),
    ];
  }
  // An l3gateway port bound elsewhere is like a VIF there (its gateway router lives on that chassis).
  if (p.type === "patch" || p.type === "chassisredirect" || p.type === "localnet") return [];
  // A switch whose localnet port is plugged in here (its patch port exists) reaches every port it has
  // no OpenFlow port for through the physical network, not a tunnel, as ovn-controller does: the
  // packet becomes the localnet port's.  Otherwise (network not mapped here) tunnels are used.
  const ln = pluggedLocalnet(input.view, input.localnetPorts, p.datapath);
  if (ln !== undefined) {
    return [
      flow(OFTABLE.LOCAL_OUTPUT, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
        setField("reg15", ln.tunnelKey),
        resubmit(OFTABLE.LOCAL_OUTPUT),
      ]),
    ];
  }
  // A port being migrated, bound on other chassis only: a copy to each of them.
  const others = multichassisOutputs(p, input, dpKey);
  if (others.length > 0)
    return [
      flow(OFTABLE.REMOTE_OUTPUT, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
        ...others,
        resubmit(OFTABLE.LOCAL_OUTPUT),
      ]),
    ];
  const tunnel = p.chassis === null ? undefined : input.tunnelPorts.get(p.chassis);
  if (tunnel === undefined) return [];
  // A VTEP gateway's port: in_port cleared (an ARP/ND responder's answer may go back out the tunnel
  // it came in on) and the ramp switch's encapsulation.
  const vtep = p.type === "vtep";
  return [
    flow(OFTABLE.REMOTE_OUTPUT, 100, p.uuid, portMatch("reg15", p.tunnelKey, dpKey), [
      ...(vtep ? [setField("in_port", OFPP_ANY)] : []),
      ...tunnelEncap(tunnelTypeTo(input, p.chassis as string), dpKey, p.tunnelKey, vtep),
      { kind: "output", port: tunnel },
      resubmit(OFTABLE.LOCAL_OUTPUT),
    ]),
  ];
}

/**
 * For a multichassis port (bound to several chassis while its VM is live-migrated), the tunnel outputs to
 * each of its chassis other than this one, each with that tunnel's encapsulation (ovn-controller 23.03
 * sends the port's traffic to all of them).  Empty for other ports.
 */
function multichassisOutputs(p: SbPortBinding, input: PhysicalInput, dpKey: number): FlowAction[] {
  const out: FlowAction[] = [];
  for (const c of otherChassisOf(p, input)) {
    const tunnel = input.tunnelPorts.get(c);
    if (tunnel === undefined) continue;
    out.push(...tunnelEncap(tunnelTypeTo(input, c), dpKey, p.tunnelKey), { kind: "output", port: tunnel });
  }
  return out;
}
