// Tunnels between chassis (ovn-architecture(7), "Tunnel Encapsulations"): which encapsulation a tunnel
// to a remote chassis uses, how the logical datapath and ports travel in it, and table 0's flows that
// read them back.
//
//   Geneve  VNI = datapath (24 bits); option 0x0102/0x80 = ingress port (15 bits) << 16 | egress port.
//   STT     64-bit tunnel id = ingress port (15) << 40 | egress port (16) << 24 | datapath (24).
//   VXLAN   VNI = egress port (12 bits) << 12 | datapath (12 bits); no ingress port.  Unicast ports are
//           1..2047; a multicast group's 16-bit key 0x8000 + n travels as 0x800 + n (n < 2048) and is
//           turned back into 0x8000 + n on input (the real ovn-controller's flows at priority 105).
//
// The type of each tunnel is a pure function of the Southbound view (the Encap rows of this chassis
// and of the remote one), so the flows change whenever an Encap does.

import type { FieldName } from "../../openflow/model.js";
import type { Flow, FlowAction } from "../lflow/flow.js";
import type { SbChassis, SbView } from "../lflow/sb.js";
import { OFTABLE } from "../lflow/tables.js";
import { exact, flow, masked, resubmit, setField } from "./flows.js";
import type { PhysicalInput } from "./input.js";
import { viewIndex } from "./view-index.js";

export type TunnelType = "geneve" | "stt" | "vxlan";

/** Encapsulations in the order ovn-controller prefers them when two chassis share several. */
export const TUNNEL_PREFERENCE: readonly TunnelType[] = ["geneve", "stt", "vxlan"];

export function isTunnelType(t: string): t is TunnelType {
  return (TUNNEL_PREFERENCE as readonly string[]).includes(t);
}

/**
 * The encapsulation of a remote chassis to build a tunnel with: of the ones this chassis also
 * speaks (`localTypes`, ovn-encap-type), the most preferred.
 */
export function preferredEncap<E extends { readonly type: string }>(
  localTypes: readonly string[],
  remote: readonly E[],
): E | undefined {
  for (const t of TUNNEL_PREFERENCE) {
    if (!localTypes.includes(t)) continue;
    const e = remote.find((x) => x.type === t);
    if (e !== undefined) return e;
  }
  return undefined;
}

const chassisCache = new WeakMap<SbView, ReadonlyMap<string, SbChassis>>();

function chassisByName(view: SbView): ReadonlyMap<string, SbChassis> {
  let m = chassisCache.get(view);
  if (m === undefined) {
    m = new Map(view.chassis.map((c) => [c.name, c]));
    chassisCache.set(view, m);
  }
  return m;
}

/**
 * The encapsulation of the tunnel from this chassis to `remote`.  Geneve when the view does not say
 * (a chassis not yet registered, or a view without Chassis rows).
 */
export function tunnelTypeTo(input: Pick<PhysicalInput, "view" | "chassis">, remote: string): TunnelType {
  const byName = chassisByName(input.view);
  const here = byName.get(input.chassis);
  const there = byName.get(remote);
  if (here === undefined || there === undefined) return "geneve";
  const e = preferredEncap(
    here.encaps.map((x) => x.type),
    there.encaps,
  );
  return e !== undefined && isTunnelType(e.type) ? e.type : "geneve";
}

/** The 12-bit VXLAN form of a 16-bit logical egress key (unicast keys as they are). */
export function vxlanEgressKey(outKey: number): number {
  return outKey >= 0x8000 ? 0x800 | (outKey & 0x7ff) : outKey & 0xfff;
}

/**
 * Actions that put the datapath and logical ports of the packet into the tunnel header. `ramp`: the
 * far end is a VTEP gateway (a "ramp switch", ovn-architecture(7)), whose VXLAN VNI is the logical
 * switch's tunnel key alone.
 */
export function tunnelEncap(type: TunnelType, dpKey: number, outKey: number, ramp = false): FlowAction[] {
  if (ramp && type === "vxlan") return [setField("tun_id", dpKey & 0xffffff, 0xffffff)];
  switch (type) {
    case "geneve":
      return [
        setField("tun_id", dpKey, 0xffffff),
        setField("tun_metadata0", outKey),
        {
          kind: "move",
          src: { field: "reg14", ofs: 0, nBits: 15 },
          dst: { field: "tun_metadata0", ofs: 16, nBits: 15 },
        },
      ];
    case "stt":
      return [
        setField("tun_id", BigInt(dpKey) | (BigInt(outKey) << 24n)),
        {
          kind: "move",
          src: { field: "reg14", ofs: 0, nBits: 15 },
          dst: { field: "tun_id", ofs: 40, nBits: 15 },
        },
      ];
    case "vxlan":
      return [setField("tun_id", (vxlanEgressKey(outKey) << 12) | (dpKey & 0xfff), 0xffffff)];
  }
}

const move = (src: FieldName, srcOfs: number, dst: FieldName, dstOfs: number, nBits: number): FlowAction => ({
  kind: "move",
  src: { field: src, ofs: srcOfs, nBits },
  dst: { field: dst, ofs: dstOfs, nBits },
});

/** Table 0 for one tunnel port: the datapath and ports come from its header, then local delivery. */
export function tunnelInput(type: TunnelType, ofport: number): Flow[] {
  const inPort = exact("in_port", ofport);
  // Geneve and STT carry the datapath in the low 24 bits of the tunnel id and both logical ports:
  // Geneve in its option (tun_metadata0: ingress << 16 | egress), STT in the id's upper bits.
  const withPorts = (src: FieldName, ingressOfs: number, egressOfs: number): Flow[] => [
    flow(
      OFTABLE.PHY_TO_LOG,
      100,
      null,
      [inPort],
      [
        move("tun_id", 0, "metadata", 0, 24),
        move(src, ingressOfs, "reg14", 0, 15),
        move(src, egressOfs, "reg15", 0, 16),
        resubmit(OFTABLE.LOCAL_OUTPUT),
      ],
    ),
  ];
  switch (type) {
    case "geneve":
      return withPorts("tun_metadata0", 16, 0);
    case "stt":
      return withPorts("tun_id", 40, 24);
    case "vxlan":
      return [
        // A multicast group: bit 11 of the egress key set, the rest its offset from 0x8000.
        flow(
          OFTABLE.PHY_TO_LOG,
          105,
          null,
          [masked("tun_id", 0x800000, 0x800000), inPort],
          [
            setField("reg15", 0x8000, 0x8000),
            move("tun_id", 12, "reg15", 0, 11),
            move("tun_id", 0, "metadata", 0, 12),
            resubmit(OFTABLE.LOCAL_OUTPUT),
          ],
        ),
        flow(
          OFTABLE.PHY_TO_LOG,
          100,
          null,
          [inPort],
          [
            move("tun_id", 12, "reg15", 0, 12),
            move("tun_id", 0, "metadata", 0, 12),
            resubmit(OFTABLE.LOCAL_OUTPUT),
          ],
        ),
      ];
  }
}

/** Table 0 for every tunnel port of the input (and the VTEP ramp flows of the VXLAN ones). */
export function tunnelInputFlows(input: PhysicalInput): Flow[] {
  return [...input.tunnelPorts].flatMap(([chassis, ofport]) => {
    const type = tunnelTypeTo(input, chassis);
    return [...tunnelInput(type, ofport), ...(type === "vxlan" ? rampInput(input, chassis, ofport) : [])];
  });
}

/** Logical flag: the packet came in from a VTEP gateway (MLF_RCV_FROM_RAMP, reg10 bit 1). */
const FLAG_RCV_FROM_RAMP = 0x2;

/**
 * Frames a VTEP gateway sends in over its VXLAN tunnel with a logical switch's key as VNI: for each vtep
 * port bound to that chassis, they enter the switch's ingress pipeline as coming from that port, marked
 * as from a ramp switch (priority 110, above the tunnel's own flows).
 */
function rampInput(input: PhysicalInput, chassis: string, ofport: number): Flow[] {
  const dps = viewIndexOf(input);
  const out: Flow[] = [];
  for (const p of input.view.ports) {
    if (p.type !== "vtep" || p.chassis !== chassis) continue;
    const dp = dps.get(p.datapath);
    if (dp === undefined) continue;
    out.push(
      flow(
        OFTABLE.PHY_TO_LOG,
        110,
        p.uuid,
        [exact("tun_id", dp.tunnelKey), exact("in_port", ofport)],
        [
          move("tun_id", 0, "metadata", 0, 24),
          setField("reg14", p.tunnelKey, 0x7fff),
          setField("reg10", FLAG_RCV_FROM_RAMP, FLAG_RCV_FROM_RAMP),
          resubmit(OFTABLE.LOG_INGRESS_PIPELINE),
        ],
      ),
    );
  }
  return out;
}

function viewIndexOf(input: PhysicalInput): ReadonlyMap<string, { readonly tunnelKey: number }> {
  return viewIndex(input.view).datapathByUuid;
}
