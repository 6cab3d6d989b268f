// ls_in_qos_mark / ls_in_qos_meter / ls_out_qos_mark / ls_out_qos_meter (ovn-northd(8) ingress tables
// 9-10, egress tables 5-6): DSCP marking and policing from the switch's QoS rules.
import type { StageBuilder } from "../lflow/api.js";

export const qos: StageBuilder = {
  name: "ls_qos",
  switchDp(ls, _model, sink) {
    for (const st of ["ls_in_qos_mark", "ls_in_qos_meter", "ls_out_qos_mark", "ls_out_qos_meter"] as const)
      sink.add(ls, st, 0, "1", "next;");
    for (const rule of ls.qosRules) {
      const ingress = rule.direction === "from-lport";
      const dscp = rule.action.get("dscp");
      if (dscp !== undefined)
        sink.add(
          ls,
          ingress ? "ls_in_qos_mark" : "ls_out_qos_mark",
          rule.priority,
          rule.match,
          `ip.dscp = ${dscp}; next;`,
          {
            hint: rule._uuid,
          },
        );
      const rate = rule.bandwidth.get("rate");
      if (rate !== undefined) {
        const burst = rule.bandwidth.get("burst");
        const meter = burst !== undefined ? `set_meter(${rate}, ${burst});` : `set_meter(${rate});`;
        sink.add(
          ls,
          ingress ? "ls_in_qos_meter" : "ls_out_qos_meter",
          rule.priority,
          rule.match,
          `${meter} next;`,
          {
            hint: rule._uuid,
          },
        );
      }
    }
  },
};
