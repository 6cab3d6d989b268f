// ls_in_dns_lookup / ls_in_dns_response (ovn-northd(8) ingress tables 22-23) and the ls_out_acl
// priority-34000 flow that lets DNS replies through the to-lport ACLs.
import type { StageBuilder } from "../lflow/api.js";
import { replyAllowAction } from "./dhcp.js";
import { REG, withMeter } from "./util.js";

export const dns: StageBuilder = {
  name: "ls_dns",
  switchDp(ls, model, sink) {
    sink.add(ls, "ls_in_dns_lookup", 0, "1", "next;");
    sink.add(ls, "ls_in_dns_response", 0, "1", "next;");
    if (!ls.dnsRecords.some((d) => d.records.size > 0)) return;
    sink.add(
      ls,
      "ls_in_dns_lookup",
      100,
      "udp.dst == 53",
      `${REG.dnsLookupResult} = dns_lookup(); next;`,
      withMeter(ls, model, "dns"),
    );
    const m = `udp.dst == 53 && ${REG.dnsLookupResult}`;
    const tail = "udp.dst = udp.src; udp.src = 53; outport = inport; flags.loopback = 1; output;";
    sink.add(ls, "ls_in_dns_response", 100, m, `eth.dst <-> eth.src; ip4.src <-> ip4.dst; ${tail}`);
    sink.add(ls, "ls_in_dns_response", 100, m, `eth.dst <-> eth.src; ip6.src <-> ip6.dst; ${tail}`);
    sink.add(ls, "ls_out_acl", 34000, "udp.src == 53", replyAllowAction(ls));
  },
};
