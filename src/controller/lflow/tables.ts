// The OpenFlow tables of ovn-controller 23.03 in br-int, as observed in the real controller's flows
// (`ovs-ofctl dump-flows br-int`) and described in ovn-architecture(7): logical ingress table N is
// OpenFlow table 8+N, logical egress table N is 42+N; the rest are the physical stages and the lookup
// tables that actions such as get_arp() or check_in_port_sec() resubmit to.

export const OFTABLE = {
  PHY_TO_LOG: 0,
  LOG_INGRESS_PIPELINE: 8,
  OUTPUT_LARGE_PKT_DETECT: 37,
  OUTPUT_LARGE_PKT_PROCESS: 38,
  REMOTE_OUTPUT: 39,
  LOCAL_OUTPUT: 40,
  CHECK_LOOPBACK: 41,
  LOG_EGRESS_PIPELINE: 42,
  SAVE_INPORT: 64,
  LOG_TO_PHY: 65,
  MAC_BINDING: 66,
  MAC_LOOKUP: 67,
  CHK_LB_HAIRPIN: 68,
  CHK_LB_HAIRPIN_REPLY: 69,
  CT_SNAT_HAIRPIN: 70,
  GET_FDB: 71,
  LOOKUP_FDB: 72,
  CHK_IN_PORT_SEC: 73,
  CHK_IN_PORT_SEC_ND: 74,
  CHK_OUT_PORT_SEC: 75,
  ECMP_NH_MAC: 76,
  ECMP_NH: 77,
  CHK_LB_AFFINITY: 78,
} as const;

/** The OpenFlow table of a logical table. */
export function ofTable(pipeline: "ingress" | "egress", table: number): number {
  return (pipeline === "ingress" ? OFTABLE.LOG_INGRESS_PIPELINE : OFTABLE.LOG_EGRESS_PIPELINE) + table;
}

/** Logical registers that hold per-packet metadata between tables (ovn-architecture(7)). */
export const LOG_REG = {
  /** Logical input port key. */
  INPORT: "reg14",
  /** Logical output port key. */
  OUTPORT: "reg15",
  FLAGS: "reg10",
  /** Conntrack zone of the logical port (switches). */
  CT_ZONE: "reg13",
  DNAT_ZONE: "reg11",
  SNAT_ZONE: "reg12",
} as const;

/** Bits of the flags register (reg10) the controller itself uses. */
export const FLAG_BIT = {
  LOOPBACK: 0,
  /** Result bit of check_in_port_sec() / lookup tables. */
  LOOKUP_RESULT: 12,
  /** Result of chk_lb_hairpin(). */
  LB_HAIRPIN: 7,
} as const;
