// Small shared helpers of the switch stage builders: port predicates as ovn-northd(8) uses them and
// the register names of the switch pipeline.

import type { LflowOptions, LflowSink } from "../lflow/api.js";
import type { Datapath, NorthdModel, SwitchDatapath, SwitchPort } from "../model.js";
import type { Stage } from "../stages.js";

/** Register bits of the switch pipeline (ovn-northd(8) names them REGBIT_*). */
export const REG = {
  conntrackDefrag: "reg0[0]",
  conntrackCommit: "reg0[1]",
  conntrackNat: "reg0[2]",
  dhcpOptsResult: "reg0[3]",
  dnsLookupResult: "reg0[4]",
  hairpin: "reg0[6]",
  aclHintAllowNew: "reg0[7]",
  aclHintAllow: "reg0[8]",
  aclHintDrop: "reg0[9]",
  aclHintBlock: "reg0[10]",
  lkupFdb: "reg0[11]",
  hairpinReply: "reg0[12]",
  aclLabel: "reg0[13]",
  fromRamp: "reg0[14]",
  portSecDrop: "reg0[15]",
  aclStateless: "reg0[16]",
  /** Set by the reply/related conntrack flows of ls_in_acl so that ls_in_acl_after_lb lets them pass. */
  aclAllowAfterLb: "reg0[17]",
  lbAffMatched: "reg9[6]",
} as const;

/** Options that tie a flow to a port: its NB row as stage hint and the port as io-port. */
export function portOpts(p: SwitchPort, withIo = true): LflowOptions {
  return withIo ? { hint: p.nb._uuid, ioPort: p.name } : { hint: p.nb._uuid };
}

/** A VIF: type "" (a VM or container interface). */
export function isVif(p: SwitchPort): boolean {
  return p.type === "";
}

/** The quoted port name as the flow language wants it ("p1" → "\"p1\""). */
export function q(name: string): string {
  return JSON.stringify(name);
}

/** NB_Global option as a boolean (absent → dflt). */
export function globalBool(model: NorthdModel, key: string, dflt: boolean): boolean {
  const v = model.options.get(key);
  return v === undefined ? dflt : v === "true";
}

/** Logical_Switch other_config as a boolean (absent → dflt). */
export function lsBool(ls: SwitchDatapath, key: string, dflt: boolean): boolean {
  const v = ls.nb.otherConfig.get(key);
  return v === undefined ? dflt : v === "true";
}

/** Stateful processing is needed: an allow-related ACL or a load balancer with a VIP. */
export function hasStateful(ls: SwitchDatapath): boolean {
  return ls.hasStatefulAcl || ls.hasLbVip;
}

/**
 * A sink that drops a flow equal in (stage, priority, match, actions) to one already added through it,
 * as the real northd keeps only the first of such flows (with the first one's hint).
 */
export class DedupSink implements LflowSink {
  private readonly seen = new Set<string>();
  constructor(private readonly inner: LflowSink) {}
  add(
    dp: Datapath,
    stage: Stage,
    priority: number,
    match: string,
    actions: string,
    opts?: LflowOptions,
  ): void {
    const k = `${dp.uuid}\u0000${stage}\u0000${priority}\u0000${match}\u0000${actions}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.inner.add(dp, stage, priority, match, actions, opts);
  }
}

/**
 * The forwarding groups the real northd 23.03 writes flows for: only the first of the switch's
 * forwarding_groups column (a set, ordered by uuid) -- observed, whatever the number of groups.
 */
export function firstForwardingGroup(ls: SwitchDatapath): string[] {
  const sorted = [...ls.nb.forwardingGroups].map(String).sort();
  return sorted.slice(0, 1);
}

/** Controller actions rate-limited by a Copp meter, by the key of Copp.meters. */
export type CoppProto =
  | "arp"
  | "nd-na"
  | "dhcpv4-opts"
  | "dhcpv6-opts"
  | "dns"
  | "igmp"
  | "svc-monitor"
  | "event-elb"
  | "reject";

/**
 * The flow options adding the switch's Copp meter for `proto` (as Logical_Flow.controller_meter), when
 * the switch has a Copp row naming an existing meter for it.
 */
export function withMeter(
  ls: SwitchDatapath,
  model: NorthdModel,
  proto: CoppProto,
  opts: LflowOptions = {},
): LflowOptions {
  const copp = ls.nb.copp === undefined ? undefined : model.nb.get("Copp", ls.nb.copp);
  const meter = copp?.meters.get(proto);
  if (meter === undefined || !model.meters.has(meter)) return opts;
  return { ...opts, ctrlMeter: meter };
}
