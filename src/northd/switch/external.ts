// ls_in_external_port (ovn-northd(8) ingress table 24): on chassis that do not host an external port,
// drop its ARP/NS for the router IPs and its traffic to the router MAC (it arrives through localnet).
import type { StageBuilder } from "../lflow/api.js";
import { nsMatch } from "./arp-nd.js";
import { q } from "./util.js";

export const externalPorts: StageBuilder = {
  name: "ls_external_port",
  switchDp(ls, _model, sink) {
    sink.add(ls, "ls_in_external_port", 0, "1", "next;");
    for (const e of ls.externalPorts) {
      for (const ln of ls.localnetPorts) {
        const opts = { hint: e.nb._uuid, ioPort: ln.name };
        for (const a of e.addresses) {
          const base = `inport == ${q(ln.name)} && eth.src == ${a.macS}`;
          const notHere = `!is_chassis_resident(${q(e.name)})`;
          for (const rp of ls.routerPorts) {
            const nets = rp.peer?.networks;
            if (nets === undefined) continue;
            for (const n of nets.ipv4)
              sink.add(
                ls,
                "ls_in_external_port",
                100,
                `${base} && ${notHere} && arp.tpa == ${n.addrS} && arp.op == 1`,
                "drop;",
                opts,
              );
            for (const n of nets.ipv6)
              sink.add(
                ls,
                "ls_in_external_port",
                100,
                `${base} && ${notHere} && ${nsMatch(n)}`,
                "drop;",
                opts,
              );
            sink.add(
              ls,
              "ls_in_external_port",
              100,
              `${base} && eth.dst == ${nets.macS} && ${notHere}`,
              "drop;",
              opts,
            );
          }
        }
      }
    }
  },
};
