// ls_in_acl_hint / ls_out_acl_hint, ls_in_acl / ls_out_acl / ls_in_acl_after_lb, ls_in_stateful /
// ls_out_stateful (ovn-northd(8) ingress tables 7, 8, 17, 18; egress tables 3, 4, 7).
import { ctBits } from "../features.js";
import type { StageBuilder } from "../lflow/api.js";
import { aclFlows } from "./acl-text.js";
import { globalBool, hasStateful, REG, withMeter } from "./util.js";

/** ACL hints: which decisions a packet may need, from its conntrack state (ovn-northd(8) table 7). */
function hints(bits: string): readonly [number, string, string][] {
  return [
    [7, "ct.new && !ct.est", `${REG.aclHintAllowNew} = 1; ${REG.aclHintDrop} = 1; next;`],
    [
      6,
      `!ct.new && ct.est && !ct.rpl && ${bits}.blocked == 1`,
      `${REG.aclHintAllowNew} = 1; ${REG.aclHintDrop} = 1; next;`,
    ],
    [5, "!ct.trk", `${REG.aclHintAllow} = 1; ${REG.aclHintDrop} = 1; next;`],
    [
      4,
      `!ct.new && ct.est && !ct.rpl && ${bits}.blocked == 0`,
      `${REG.aclHintAllow} = 1; ${REG.aclHintBlock} = 1; next;`,
    ],
    [3, "!ct.est", `${REG.aclHintDrop} = 1; next;`],
    [2, `ct.est && ${bits}.blocked == 1`, `${REG.aclHintDrop} = 1; next;`],
    [1, `ct.est && ${bits}.blocked == 0`, `${REG.aclHintBlock} = 1; next;`],
  ];
}

const ND_MLD = "nd || nd_ra || nd_rs || mldv1 || mldv2";

export const aclHints: StageBuilder = {
  name: "ls_acl_hint",
  switchDp(ls, model, sink) {
    const hintFlows = hints(ctBits(model.features));
    for (const st of ["ls_in_acl_hint", "ls_out_acl_hint"] as const) {
      if (!ls.hasAcls && !ls.hasLbVip) {
        sink.add(ls, st, 65535, "1", "next;");
        continue;
      }
      sink.add(ls, st, 0, "1", "next;");
      if (hasStateful(ls)) for (const [prio, m, a] of hintFlows) sink.add(ls, st, prio, m, a);
    }
  },
};

export const acls: StageBuilder = {
  name: "ls_acl",
  switchDp(ls, model, sink) {
    const bits = ctBits(model.features);
    for (const st of ["ls_in_acl", "ls_out_acl", "ls_in_acl_after_lb"] as const)
      sink.add(ls, st, 65532, ND_MLD, "next;");
    if (!ls.hasAcls && !ls.hasLbVip) {
      sink.add(ls, "ls_in_acl_after_lb", 0, "1", "next;");
      sink.add(ls, "ls_in_acl", 65535, "1", "next;");
      sink.add(ls, "ls_out_acl", 65535, "1", "next;");
    } else {
      const dropDefault = globalBool(model, "default_acl_drop", false);
      // The default verdict drops only on switches with ACLs (a load balancer alone does not apply it).
      const dflt = dropDefault && ls.hasAcls ? "drop;" : "next;";
      for (const st of ["ls_in_acl", "ls_out_acl", "ls_in_acl_after_lb"] as const)
        sink.add(ls, st, 0, "1", dflt);
      sink.add(ls, "ls_in_acl", 34000, "eth.dst == $svc_monitor_mac", "next;");
      sink.add(ls, "ls_out_acl", 34000, "eth.src == $svc_monitor_mac", "next;");
      if (hasStateful(ls)) {
        // NB_Global options:use_ct_inv_match=false leaves ct.inv out (for NICs that cannot offload it).
        const inv = globalBool(model, "use_ct_inv_match", true);
        const notInv = inv ? " && !ct.inv" : "";
        for (const st of ["ls_in_acl", "ls_out_acl"] as const) {
          const ingress = st === "ls_in_acl";
          sink.add(ls, st, 1, "ip && !ct.est", dropDefault ? "drop;" : `${REG.conntrackCommit} = 1; next;`);
          sink.add(ls, st, 1, `ip && ct.est && ${bits}.blocked == 1`, `${REG.conntrackCommit} = 1; next;`);
          sink.add(
            ls,
            st,
            65532,
            `${inv ? "ct.inv || " : ""}(ct.est && ct.rpl && ${bits}.blocked == 1)`,
            "drop;",
          );
          sink.add(
            ls,
            st,
            65532,
            `ct.est && !ct.rel && !ct.new${notInv} && ct.rpl && ${bits}.blocked == 0`,
            ingress
              ? `${REG.aclHintDrop} = 0; ${REG.aclHintBlock} = 0; ${REG.aclAllowAfterLb} = 1; next;`
              : "next;",
          );
          sink.add(
            ls,
            st,
            65532,
            `!ct.est && ct.rel && !ct.new${notInv} && ${bits}.blocked == 0`,
            // Related traffic is NATed like its connection only by controllers that can.
            `${ingress ? `${REG.aclAllowAfterLb} = 1; ` : ""}${model.features.ctLbRelated ? "ct_commit_nat;" : "next;"}`,
          );
        }
        sink.add(ls, "ls_in_acl_after_lb", 65532, `${REG.aclAllowAfterLb} == 1`, "next;");
      }
    }
    const stateful = hasStateful(ls);
    for (const { acl } of ls.acls)
      for (const f of aclFlows(
        acl,
        stateful,
        globalBool(model, "use_ct_inv_match", true),
        bits,
        model.meters,
      )) {
        const opts =
          acl.action === "reject" ? withMeter(ls, model, "reject", { hint: acl._uuid }) : { hint: acl._uuid };
        sink.add(ls, f.stage, f.priority, f.match, f.actions, opts);
      }
  },
};

export const stateful: StageBuilder = {
  name: "ls_stateful",
  switchDp(ls, model, sink) {
    const bits = ctBits(model.features);
    for (const st of ["ls_in_stateful", "ls_out_stateful"] as const) {
      sink.add(ls, st, 0, "1", "next;");
      sink.add(
        ls,
        st,
        100,
        `${REG.conntrackCommit} == 1 && ${REG.aclLabel} == 0`,
        `ct_commit { ${bits}.blocked = 0; }; next;`,
      );
      sink.add(
        ls,
        st,
        100,
        `${REG.conntrackCommit} == 1 && ${REG.aclLabel} == 1`,
        `ct_commit { ${bits}.blocked = 0; ct_label.label = reg3; }; next;`,
      );
    }
  },
};
