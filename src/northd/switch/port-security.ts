// ls_in_check_port_sec / ls_in_apply_port_sec / ls_out_check_port_sec / ls_out_apply_port_sec
// (ovn-northd(8) ingress tables 0-1, egress tables 8-9). Port security itself is enforced by the
// check_in_port_sec()/check_out_port_sec() actions from the ports' port_security column; northd only
// adds admission drops, disabled ports, VTEP ramp ports and qdisc queues.
import type { StageBuilder } from "../lflow/api.js";
import { STAGES } from "../stages.js";
import { lsBool, portOpts, q, REG } from "./util.js";

export const portSecurity: StageBuilder = {
  name: "ls_port_sec",
  switchDp(ls, _model, sink) {
    // VLAN-tagged frames are dropped unless the switch passes VLANs through (vlan-passthru).
    if (!lsBool(ls, "vlan-passthru", false))
      sink.add(ls, "ls_in_check_port_sec", 100, "vlan.present", "drop;");
    sink.add(ls, "ls_in_check_port_sec", 100, "eth.src[40]", "drop;");
    sink.add(ls, "ls_in_check_port_sec", 50, "1", `${REG.portSecDrop} = check_in_port_sec(); next;`);
    for (const p of ls.ports) {
      const match = `inport == ${q(p.name)}`;
      if (!p.enabled) {
        sink.add(ls, "ls_in_check_port_sec", 100, match, `${REG.portSecDrop} = 1; next;`, portOpts(p));
        continue;
      }
      if (p.type === "vtep") {
        const t = STAGES.ls_in_hairpin.table;
        sink.add(
          ls,
          "ls_in_check_port_sec",
          70,
          match,
          `${REG.fromRamp} = 1; next(pipeline=ingress, table=${t});`,
          portOpts(p),
        );
        continue;
      }
      const queue = p.queueId;
      if (queue !== undefined)
        sink.add(
          ls,
          "ls_in_check_port_sec",
          70,
          match,
          `set_queue(${queue}); ${REG.portSecDrop} = check_in_port_sec(); next;`,
          portOpts(p),
        );
    }
    sink.add(ls, "ls_in_apply_port_sec", 50, `${REG.portSecDrop} == 1`, "drop;");
    sink.add(ls, "ls_in_apply_port_sec", 0, "1", "next;");

    sink.add(ls, "ls_out_check_port_sec", 100, "eth.mcast", `${REG.portSecDrop} = 0; next;`);
    sink.add(ls, "ls_out_check_port_sec", 0, "1", `${REG.portSecDrop} = check_out_port_sec(); next;`);
    for (const p of ls.localnetPorts) {
      const queue = p.queueId;
      if (queue !== undefined && p.enabled)
        sink.add(
          ls,
          "ls_out_apply_port_sec",
          100,
          `outport == ${q(p.name)}`,
          `set_queue(${queue}); output;`,
          portOpts(p),
        );
    }
    sink.add(ls, "ls_out_apply_port_sec", 50, `${REG.portSecDrop} == 1`, "drop;");
    sink.add(ls, "ls_out_apply_port_sec", 0, "1", "output;");
  },
};
