// ls_in_pre_acl / ls_out_pre_acl, ls_in_pre_lb / ls_out_pre_lb, ls_in_pre_stateful /
// ls_out_pre_stateful (ovn-northd(8) ingress tables 4-6, egress tables 0-2): which packets go to
// conntrack before the ACL and LB stages.

import { ctLb } from "../features.js";
import { emptyLbEvent } from "../lb.js";
import type { StageBuilder } from "../lflow/api.js";
import type { SwitchDatapath, SwitchPort } from "../model.js";
import { aclStage, isStatelessAllow } from "./acl-text.js";
import { switchLbs } from "./lb-set.js";
import { hasStateful, portOpts, q, REG, withMeter } from "./util.js";

const ND_MLD = "nd || nd_rs || nd_ra || mldv1 || mldv2";

/** Ports whose traffic skips conntrack: router ports with a peer, and localnet ports. */
function ctSkipPorts(ls: SwitchDatapath): SwitchPort[] {
  return ls.ports.filter((p) => (p.type === "router" && p.peer !== undefined) || p.type === "localnet");
}

export const preAcl: StageBuilder = {
  name: "ls_pre_acl",
  switchDp(ls, _model, sink) {
    sink.add(ls, "ls_in_pre_acl", 0, "1", "next;");
    sink.add(ls, "ls_out_pre_acl", 0, "1", "next;");
    sink.add(ls, "ls_in_pre_acl", 110, "eth.dst == $svc_monitor_mac", "next;");
    sink.add(ls, "ls_out_pre_acl", 110, "eth.src == $svc_monitor_mac", "next;");
    if (!ls.hasStatefulAcl) {
      if (hasStateful(ls)) emitStatelessBypass(ls, sink);
      return;
    }
    for (const p of ctSkipPorts(ls)) {
      sink.add(ls, "ls_in_pre_acl", 110, `ip && inport == ${q(p.name)}`, "next;", portOpts(p));
      sink.add(ls, "ls_out_pre_acl", 110, `ip && outport == ${q(p.name)}`, "next;", portOpts(p));
    }
    const skip = `${ND_MLD} || (udp && udp.src == 546 && udp.dst == 547)`;
    for (const st of ["ls_in_pre_acl", "ls_out_pre_acl"] as const) {
      sink.add(ls, st, 110, "eth.mcast", "next;");
      sink.add(ls, st, 110, skip, "next;");
      sink.add(ls, st, 100, "ip", `${REG.conntrackDefrag} = 1; next;`);
    }
    emitStatelessBypass(ls, sink);
  },
};

/** allow-stateless ACLs mark their packets so that the LB and conntrack stages leave them alone. */
function emitStatelessBypass(
  ls: SwitchDatapath,
  sink: Parameters<NonNullable<StageBuilder["switchDp"]>>[2],
): void {
  for (const { acl } of ls.acls) {
    if (!isStatelessAllow(acl)) continue;
    const st = aclStage(acl) === "ls_out_acl" ? "ls_out_pre_acl" : "ls_in_pre_acl";
    sink.add(ls, st, acl.priority + 1000, acl.match, `${REG.aclStateless} = 1; next;`, { hint: acl._uuid });
  }
}

export const preLb: StageBuilder = {
  name: "ls_pre_lb",
  switchDp(ls, model, sink) {
    for (const st of ["ls_in_pre_lb", "ls_out_pre_lb"] as const) {
      sink.add(ls, st, 0, "1", "next;");
      sink.add(ls, st, 110, "eth.mcast", "next;");
      sink.add(ls, st, 110, ND_MLD, "next;");
      sink.add(ls, st, 110, `${REG.aclStateless} == 1`, "next;");
    }
    sink.add(ls, "ls_in_pre_lb", 110, "eth.dst == $svc_monitor_mac", "next;");
    sink.add(ls, "ls_out_pre_lb", 110, "eth.src == $svc_monitor_mac", "next;");
    // Without stateful ACLs, conntrack state from the switch must not leak into the router.
    const outAction = ls.hasStatefulAcl ? "next;" : "ct_clear; next;";
    // Localnet traffic must reach conntrack when the switch load balances: a client behind the
    // localnet port can be the one talking to a VIP (ovn-northd(8), ls_in_pre_lb).
    for (const p of ctSkipPorts(ls)) {
      if (p.type === "localnet" && ls.hasLbVip) continue;
      sink.add(ls, "ls_in_pre_lb", 110, `ip && inport == ${q(p.name)}`, "next;", portOpts(p));
      sink.add(ls, "ls_out_pre_lb", 110, `ip && outport == ${q(p.name)}`, outAction, portOpts(p));
    }
    if (ls.hasLbVip) {
      sink.add(ls, "ls_in_pre_lb", 100, "ip", `${REG.conntrackNat} = 1; next;`);
      sink.add(ls, "ls_out_pre_lb", 100, "ip", `${REG.conntrackNat} = 1; next;`);
    }
    // A transit switch of OVN-IC with snooping: IGMP/MLD from other availability zones' ports go to
    // the controller too (as they arrive through the egress pipeline).
    if (
      ls.nb.otherConfig.get("mcast_snoop") === "true" &&
      ls.nb.otherConfig.get("interconn-ts") !== undefined
    )
      for (const p of ls.ports) {
        if (p.type !== "remote") continue;
        for (const m of ["igmp", "(mldv1 || mldv2)"])
          sink.add(
            ls,
            "ls_out_pre_lb",
            120,
            `inport == ${q(p.name)} && ${m}`,
            "clone { igmp; }; next;",
            withMeter(ls, model, "igmp", {}),
          );
      }
    for (const { lb } of switchLbs(ls, model))
      for (const v of lb.vips) {
        const e = emptyLbEvent(lb, v, model);
        if (e !== undefined)
          sink.add(
            ls,
            "ls_in_pre_lb",
            130,
            e.match,
            e.actions,
            withMeter(ls, model, "event-elb", { hint: lb.uuid }),
          );
      }
  },
};

export const preStateful: StageBuilder = {
  name: "ls_pre_stateful",
  switchDp(ls, model, sink) {
    const ctLbAction = ctLb(model.features);
    for (const st of ["ls_in_pre_stateful", "ls_out_pre_stateful"] as const) {
      sink.add(ls, st, 0, "1", "next;");
      sink.add(ls, st, 110, `${REG.conntrackNat} == 1`, `${ctLbAction};`);
      sink.add(ls, st, 100, `${REG.conntrackDefrag} == 1`, "ct_next;");
    }
    for (const { lb } of switchLbs(ls, model)) {
      for (const v of lb.vips) {
        const reg = v.family === 4 ? "reg1" : "xxreg1";
        const l4m = v.port === undefined ? "" : ` && ${lb.protocol}.dst == ${v.port}`;
        const l4a = v.port === undefined ? "" : ` reg2[0..15] = ${v.port};`;
        sink.add(
          ls,
          "ls_in_pre_stateful",
          120,
          `${REG.conntrackNat} == 1 && ip${v.family}.dst == ${v.ip}${l4m}`,
          `${reg} = ${v.ip};${l4a} ${ctLbAction};`,
          { hint: lb.uuid },
        );
      }
    }
  },
};
