// The logical pipelines of OVN 23.03 as one table: every stage of the switch and router pipelines, with
// its pipeline, table id and the name northd writes in Logical_Flow external_ids:stage-name.
//
// Provenance: dumped from the real ovn-northd 23.03.1 (SB Logical_Flow table_id, pipeline,
// external_ids:stage-name on a switch + router configuration), cross-checked against the table list of
// ovn-northd(8); every stage there appears here, numbered without gaps.

export type DatapathKind = "switch" | "router";
export type Pipeline = "ingress" | "egress";

export interface StageInfo {
  readonly dp: DatapathKind;
  readonly pipeline: Pipeline;
  readonly table: number;
}

/** Every stage name, as written in external_ids:stage-name. */
export type Stage =
  | "ls_in_check_port_sec"
  | "ls_in_apply_port_sec"
  | "ls_in_lookup_fdb"
  | "ls_in_put_fdb"
  | "ls_in_pre_acl"
  | "ls_in_pre_lb"
  | "ls_in_pre_stateful"
  | "ls_in_acl_hint"
  | "ls_in_acl"
  | "ls_in_qos_mark"
  | "ls_in_qos_meter"
  | "ls_in_lb_aff_check"
  | "ls_in_lb"
  | "ls_in_lb_aff_learn"
  | "ls_in_pre_hairpin"
  | "ls_in_nat_hairpin"
  | "ls_in_hairpin"
  | "ls_in_acl_after_lb"
  | "ls_in_stateful"
  | "ls_in_arp_rsp"
  | "ls_in_dhcp_options"
  | "ls_in_dhcp_response"
  | "ls_in_dns_lookup"
  | "ls_in_dns_response"
  | "ls_in_external_port"
  | "ls_in_l2_lkup"
  | "ls_in_l2_unknown"
  | "ls_out_pre_acl"
  | "ls_out_pre_lb"
  | "ls_out_pre_stateful"
  | "ls_out_acl_hint"
  | "ls_out_acl"
  | "ls_out_qos_mark"
  | "ls_out_qos_meter"
  | "ls_out_stateful"
  | "ls_out_check_port_sec"
  | "ls_out_apply_port_sec"
  | "lr_in_admission"
  | "lr_in_lookup_neighbor"
  | "lr_in_learn_neighbor"
  | "lr_in_ip_input"
  | "lr_in_unsnat"
  | "lr_in_defrag"
  | "lr_in_lb_aff_check"
  | "lr_in_dnat"
  | "lr_in_lb_aff_learn"
  | "lr_in_ecmp_stateful"
  | "lr_in_nd_ra_options"
  | "lr_in_nd_ra_response"
  | "lr_in_ip_routing_pre"
  | "lr_in_ip_routing"
  | "lr_in_ip_routing_ecmp"
  | "lr_in_policy"
  | "lr_in_policy_ecmp"
  | "lr_in_arp_resolve"
  | "lr_in_chk_pkt_len"
  | "lr_in_larger_pkts"
  | "lr_in_gw_redirect"
  | "lr_in_arp_request"
  | "lr_out_chk_dnat_local"
  | "lr_out_undnat"
  | "lr_out_post_undnat"
  | "lr_out_snat"
  | "lr_out_post_snat"
  | "lr_out_egr_loop"
  | "lr_out_delivery";

/** The pipelines: one entry per stage. A missing or misspelt stage does not compile. */
export const STAGES: Readonly<Record<Stage, StageInfo>> = {
  ls_in_check_port_sec: { dp: "switch", pipeline: "ingress", table: 0 },
  ls_in_apply_port_sec: { dp: "switch", pipeline: "ingress", table: 1 },
  ls_in_lookup_fdb: { dp: "switch", pipeline: "ingress", table: 2 },
  ls_in_put_fdb: { dp: "switch", pipeline: "ingress", table: 3 },
  ls_in_pre_acl: { dp: "switch", pipeline: "ingress", table: 4 },
  ls_in_pre_lb: { dp: "switch", pipeline: "ingress", table: 5 },
  ls_in_pre_stateful: { dp: "switch", pipeline: "ingress", table: 6 },
  ls_in_acl_hint: { dp: "switch", pipeline: "ingress", table: 7 },
  ls_in_acl: { dp: "switch", pipeline: "ingress", table: 8 },
  ls_in_qos_mark: { dp: "switch", pipeline: "ingress", table: 9 },
  ls_in_qos_meter: { dp: "switch", pipeline: "ingress", table: 10 },
  ls_in_lb_aff_check: { dp: "switch", pipeline: "ingress", table: 11 },
  ls_in_lb: { dp: "switch", pipeline: "ingress", table: 12 },
  ls_in_lb_aff_learn: { dp: "switch", pipeline: "ingress", table: 13 },
  ls_in_pre_hairpin: { dp: "switch", pipeline: "ingress", table: 14 },
  ls_in_nat_hairpin: { dp: "switch", pipeline: "ingress", table: 15 },
  ls_in_hairpin: { dp: "switch", pipeline: "ingress", table: 16 },
  ls_in_acl_after_lb: { dp: "switch", pipeline: "ingress", table: 17 },
  ls_in_stateful: { dp: "switch", pipeline: "ingress", table: 18 },
  ls_in_arp_rsp: { dp: "switch", pipeline: "ingress", table: 19 },
  ls_in_dhcp_options: { dp: "switch", pipeline: "ingress", table: 20 },
  ls_in_dhcp_response: { dp: "switch", pipeline: "ingress", table: 21 },
  ls_in_dns_lookup: { dp: "switch", pipeline: "ingress", table: 22 },
  ls_in_dns_response: { dp: "switch", pipeline: "ingress", table: 23 },
  ls_in_external_port: { dp: "switch", pipeline: "ingress", table: 24 },
  ls_in_l2_lkup: { dp: "switch", pipeline: "ingress", table: 25 },
  ls_in_l2_unknown: { dp: "switch", pipeline: "ingress", table: 26 },
  ls_out_pre_acl: { dp: "switch", pipeline: "egress", table: 0 },
  ls_out_pre_lb: { dp: "switch", pipeline: "egress", table: 1 },
  ls_out_pre_stateful: { dp: "switch", pipeline: "egress", table: 2 },
  ls_out_acl_hint: { dp: "switch", pipeline: "egress", table: 3 },
  ls_out_acl: { dp: "switch", pipeline: "egress", table: 4 },
  ls_out_qos_mark: { dp: "switch", pipeline: "egress", table: 5 },
  ls_out_qos_meter: { dp: "switch", pipeline: "egress", table: 6 },
  ls_out_stateful: { dp: "switch", pipeline: "egress", table: 7 },
  ls_out_check_port_sec: { dp: "switch", pipeline: "egress", table: 8 },
  ls_out_apply_port_sec: { dp: "switch", pipeline: "egress", table: 9 },
  lr_in_admission: { dp: "router", pipeline: "ingress", table: 0 },
  lr_in_lookup_neighbor: { dp: "router", pipeline: "ingress", table: 1 },
  lr_in_learn_neighbor: { dp: "router", pipeline: "ingress", table: 2 },
  lr_in_ip_input: { dp: "router", pipeline: "ingress", table: 3 },
  lr_in_unsnat: { dp: "router", pipeline: "ingress", table: 4 },
  lr_in_defrag: { dp: "router", pipeline: "ingress", table: 5 },
  lr_in_lb_aff_check: { dp: "router", pipeline: "ingress", table: 6 },
  lr_in_dnat: { dp: "router", pipeline: "ingress", table: 7 },
  lr_in_lb_aff_learn: { dp: "router", pipeline: "ingress", table: 8 },
  lr_in_ecmp_stateful: { dp: "router", pipeline: "ingress", table: 9 },
  lr_in_nd_ra_options: { dp: "router", pipeline: "ingress", table: 10 },
  lr_in_nd_ra_response: { dp: "router", pipeline: "ingress", table: 11 },
  lr_in_ip_routing_pre: { dp: "router", pipeline: "ingress", table: 12 },
  lr_in_ip_routing: { dp: "router", pipeline: "ingress", table: 13 },
  lr_in_ip_routing_ecmp: { dp: "router", pipeline: "ingress", table: 14 },
  lr_in_policy: { dp: "router", pipeline: "ingress", table: 15 },
  lr_in_policy_ecmp: { dp: "router", pipeline: "ingress", table: 16 },
  lr_in_arp_resolve: { dp: "router", pipeline: "ingress", table: 17 },
  lr_in_chk_pkt_len: { dp: "router", pipeline: "ingress", table: 18 },
  lr_in_larger_pkts: { dp: "router", pipeline: "ingress", table: 19 },
  lr_in_gw_redirect: { dp: "router", pipeline: "ingress", table: 20 },
  lr_in_arp_request: { dp: "router", pipeline: "ingress", table: 21 },
  lr_out_chk_dnat_local: { dp: "router", pipeline: "egress", table: 0 },
  lr_out_undnat: { dp: "router", pipeline: "egress", table: 1 },
  lr_out_post_undnat: { dp: "router", pipeline: "egress", table: 2 },
  lr_out_snat: { dp: "router", pipeline: "egress", table: 3 },
  lr_out_post_snat: { dp: "router", pipeline: "egress", table: 4 },
  lr_out_egr_loop: { dp: "router", pipeline: "egress", table: 5 },
  lr_out_delivery: { dp: "router", pipeline: "egress", table: 6 },
};

/** All stage names in pipeline order: switch ingress, switch egress, router ingress, router egress. */
export const STAGE_NAMES: readonly Stage[] = Object.keys(STAGES) as Stage[];

/** The stages of one pipeline of one datapath kind, in table order. */
export function stagesOf(dp: DatapathKind, pipeline: Pipeline): readonly Stage[] {
  return STAGE_NAMES.filter((s) => STAGES[s].dp === dp && STAGES[s].pipeline === pipeline).sort(
    (a, b) => STAGES[a].table - STAGES[b].table,
  );
}

/** The stage at (dp, pipeline, table), or undefined. */
export function stageAt(dp: DatapathKind, pipeline: Pipeline, table: number): Stage | undefined {
  return STAGE_NAMES.find(
    (s) => STAGES[s].dp === dp && STAGES[s].pipeline === pipeline && STAGES[s].table === table,
  );
}

/** True for a string that names a stage. */
export function isStage(s: string): s is Stage {
  return Object.hasOwn(STAGES, s);
}
