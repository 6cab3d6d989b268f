// How one NB ACL is written as logical flows (ovn-northd(8) "from-lport ACLs", "to-lport ACLs",
// "ACLs after LB"): the stage it lands in, its log() action and its match/action pairs with and without
// conntrack. Pure string building, unit tested in acl-text.test.ts.
import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import { STAGES } from "../stages.js";
import { REG } from "./util.js";

export type AclStage = "ls_in_acl" | "ls_in_acl_after_lb" | "ls_out_acl";

export function aclStage(acl: nb.Acl): AclStage {
  if (acl.direction === "to-lport") return "ls_out_acl";
  return acl.options.get("apply-after-lb") === "true" ? "ls_in_acl_after_lb" : "ls_in_acl";
}

export function isStatelessAllow(acl: nb.Acl): boolean {
  return acl.action === "allow-stateless";
}

function verdict(acl: nb.Acl): string {
  if (acl.action === "drop") return "drop";
  if (acl.action === "reject") return "reject";
  return "allow";
}

/** The log(...) action of a logged ACL, with its trailing space; "" when the ACL does not log. */
export function aclLog(acl: nb.Acl, meters?: ReadonlyMap<string, nb.Meter>): string {
  if (!acl.log) return "";
  const args: string[] = [];
  // The name goes in verbatim, quotes and all (no escaping), as ovn-northd writes it.
  if (acl.name !== undefined && acl.name !== "") args.push(`name="${acl.name}"`);
  args.push(`severity=${acl.severity ?? "info"}`);
  args.push(`verdict=${verdict(acl)}`);
  if (acl.meter !== undefined && acl.meter !== "")
    args.push(`meter=${JSON.stringify(aclMeterName(acl, meters) ?? acl.meter)}`);
  return `log(${args.join(", ")}); `;
}

/**
 * The SB meter of an ACL whose meter is fair (Meter.fair=true): every such ACL is rate limited on its
 * own, through a copy of the meter named "METER__ACLUUID". Undefined for an unfair or unknown meter.
 */
export function aclMeterName(acl: nb.Acl, meters?: ReadonlyMap<string, nb.Meter>): string | undefined {
  if (acl.meter === undefined || meters?.get(acl.meter)?.fair !== true) return undefined;
  return `${acl.meter}__${acl._uuid}`;
}

/** The reject action: answer back towards the sender, re-entering the other pipeline. */
export function rejectAction(stage: AclStage): string {
  const next =
    stage === "ls_out_acl"
      ? `next(pipeline=ingress,table=${STAGES.ls_in_l2_lkup.table})`
      : `next(pipeline=egress,table=${STAGES.ls_out_qos_mark.table})`;
  return `reg0 = 0; reject { /* eth.dst <-> eth.src; ip.dst <-> ip.src; is implicit. */ outport <-> inport; ${next}; };`;
}

export interface AclFlow {
  /** The ACL's own stage, or the opposite pipeline's for log-related reply flows. */
  readonly stage: AclStage;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
}

/**
 * The flows of one ACL. `stateful` is true when the switch has conntrack-based ACLs or LB VIPs: then
 * allow and drop decisions depend on the ACL-hint bits set by ls_*_acl_hint. `bits`: where the
 * "blocked" conntrack bit lives (../features.ts ctBits). `meters`: the NB meters (for fair ones).
 */
export function aclFlows(
  acl: nb.Acl,
  stateful: boolean,
  ctInvMatch = true,
  bits: "ct_mark" | "ct_label" = "ct_mark",
  meters?: ReadonlyMap<string, nb.Meter>,
): AclFlow[] {
  const stage = aclStage(acl);
  const priority = acl.priority + 1000;
  const log = aclLog(acl, meters);
  const m = acl.match;
  const f = (match: string, actions: string): AclFlow => ({ stage, priority, match, actions });
  if (
    acl.action === "allow-stateless" ||
    (!stateful && (acl.action === "allow" || acl.action === "allow-related"))
  )
    return [f(m, `${log}next;`)];
  if (!stateful) {
    if (acl.action === "drop") return [f(m, `${log}/* drop */`)];
    return [f(m, `${log}${rejectAction(stage)}`)];
  }
  if (acl.action === "allow" || acl.action === "allow-related") {
    const label = acl.label !== 0 ? `${REG.aclLabel} = 1; reg3 = ${acl.label}; ` : "";
    const commit = `${REG.conntrackCommit} = 1; `;
    return [
      f(`${REG.aclHintAllowNew} == 1 && (${m})`, `${commit}${label}${log}next;`),
      f(`${REG.aclHintAllow} == 1 && (${m})`, label !== "" ? `${commit}${label}${log}next;` : `${log}next;`),
      ...logRelated(acl, log, ctInvMatch, bits),
    ];
  }
  const block = `ct_commit { ${bits}.blocked = 1; }; `;
  if (acl.action === "drop")
    return [
      f(`${REG.aclHintDrop} == 1 && (${m})`, `${log}/* drop */`),
      f(`${REG.aclHintBlock} == 1 && (${m})`, `${block}${log}/* drop */`),
    ];
  return [
    f(`(${REG.aclHintDrop} == 1) && ${m}`, `${log}${rejectAction(stage)}`),
    f(`(${REG.aclHintBlock} == 1) && ${m}`, `${log}${block} ${rejectAction(stage)}`),
  ];
}

/**
 * options:log-related on a logged, labelled allow ACL: the replies and related packets of its
 * connections (recognised by the conntrack label) are logged too, one priority above the 65532 flows
 * that let them through, in the opposite direction's ACL stage.
 */
function logRelated(acl: nb.Acl, log: string, ctInvMatch: boolean, bits: string): AclFlow[] {
  if (!acl.log || acl.label === 0 || acl.options.get("log-related") !== "true") return [];
  const stage: AclStage = acl.direction === "from-lport" ? "ls_out_acl" : "ls_in_acl";
  const inv = ctInvMatch ? " && !ct.inv" : "";
  const label = `ct_label.label == ${acl.label}`;
  return [
    `ct.est && !ct.rel && !ct.new${inv} && ct.rpl && ${bits}.blocked == 0 && ${label}`,
    `!ct.est && ct.rel && !ct.new${inv} && ${bits}.blocked == 0 && ${label}`,
  ].map((match) => ({ stage, priority: 65533, match, actions: `${log}next;` }));
}
