// ls_in_lookup_fdb / ls_in_put_fdb (ovn-northd(8) ingress tables 2-3): MAC learning on VIF ports that
// accept unknown addresses and have no port security, and on localnet ports with
// options:localnet_learn_fdb=true.
import type { StageBuilder } from "../lflow/api.js";
import { isVif, portOpts, q, REG } from "./util.js";

export const fdb: StageBuilder = {
  name: "ls_fdb",
  switchDp(ls, _model, sink) {
    for (const p of ls.ports) {
      const learns = isVif(p) || (p.type === "localnet" && p.nb.options.get("localnet_learn_fdb") === "true");
      if (!learns || !p.hasUnknown || p.portSecurity.length > 0 || p.nb.portSecurity.length > 0) continue;
      const inport = `inport == ${q(p.name)}`;
      sink.add(
        ls,
        "ls_in_lookup_fdb",
        100,
        inport,
        `${REG.lkupFdb} = lookup_fdb(inport, eth.src); next;`,
        portOpts(p),
      );
      sink.add(
        ls,
        "ls_in_put_fdb",
        100,
        `${inport} && ${REG.lkupFdb} == 0`,
        "put_fdb(inport, eth.src); next;",
        portOpts(p),
      );
    }
    sink.add(ls, "ls_in_lookup_fdb", 0, "1", "next;");
    sink.add(ls, "ls_in_put_fdb", 0, "1", "next;");
  },
};
