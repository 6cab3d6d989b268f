// A packet the controller makes, sent into the logical pipeline's local output stage: a packet-out that
// sets the datapath, the logical output port (a port or a multicast group) and optionally the input
// port and MLF_LOCAL_ONLY, then resubmits to the local output table — how the switch's own IGMP queries
// and load-balancer health-check probes reach their ports.  Packets the controller passes on (snooped
// IGMP/MLD reports and queries) enter the output stage at its start instead, so that they reach ports
// on other chassis too (ovs-vswitchd's vconn log shows the real ovn-controller resubmitting them to
// table 37).
import type { OfMessageBody } from "../../openflow/index.js";
import { NO_BUFFER, OFPP_CONTROLLER } from "../../openflow/model.js";
import { OFTABLE } from "../lflow/tables.js";

/** MLF_LOCAL_ONLY: the logical flag (reg10 bit 16) that keeps a packet on this chassis. */
export const LOCAL_ONLY = 1n << 16n;

/**
 * A packet-out into logical `outport` (a port or a multicast group) of `datapath`: on this chassis
 * only, or with `allChassis` from the start of the output stage (tunnels to other chassis included).
 */
export function logicalPacketOut(
  packet: Uint8Array,
  datapath: number,
  outport: number,
  o: { inport?: number; localOnly?: boolean; allChassis?: boolean } = {},
): OfMessageBody {
  return {
    kind: "packet_out",
    bufferId: NO_BUFFER,
    match: [{ field: "in_port", value: BigInt(OFPP_CONTROLLER) }],
    actions: [
      { kind: "set_field", field: "metadata", value: BigInt(datapath) },
      ...(o.inport !== undefined
        ? [{ kind: "set_field" as const, field: "reg14" as const, value: BigInt(o.inport >>> 0) }]
        : []),
      { kind: "set_field", field: "reg15", value: BigInt(outport >>> 0) },
      ...(o.localOnly === true
        ? [{ kind: "set_field" as const, field: "reg10" as const, value: LOCAL_ONLY, mask: LOCAL_ONLY }]
        : []),
      {
        kind: "resubmit",
        port: OFPP_CONTROLLER,
        table: o.allChassis === true ? OFTABLE.OUTPUT_LARGE_PKT_DETECT : OFTABLE.LOCAL_OUTPUT,
        ct: false,
      },
    ],
    data: packet,
  };
}
