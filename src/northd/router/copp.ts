// Control plane protection on routers (ovn-nb(5) Copp, Logical_Router copp): the flows whose actions
// send packets to ovn-controller carry the meter the router's Copp row names for that kind of packet
// (Logical_Flow controller_meter). Which kind a router flow is follows from its controller action, as
// in ovn-northd 23.03: one table from action to Copp protocol.
import type { NorthdModel, RouterDatapath } from "../model.js";

type CoppProto =
  | "arp"
  | "arp-resolve"
  | "bfd"
  | "event-elb"
  | "icmp4-error"
  | "icmp6-error"
  | "nd-na"
  | "nd-ns"
  | "nd-ns-resolve"
  | "nd-ra-opts"
  | "reject"
  | "tcp-reset";

/** Controller actions (how the flow's actions start, or an action in them) → Copp protocol. */
const BY_ACTION: readonly (readonly [RegExp, CoppProto | ((match: string) => CoppProto)])[] = [
  [/^put_arp\(/, "arp"],
  // Learning from a solicitation or from an advertisement.
  [/^put_nd\(/, (m) => (/\bnd_ns\b/.test(m) ? "nd-ns" : "nd-na")],
  [/^nd_na(_router)? \{/, "nd-na"],
  [/^arp \{/, "arp-resolve"],
  [/^nd_ns \{/, "nd-ns-resolve"],
  [/^handle_bfd_msg\(/, "bfd"],
  [/^icmp4(_error)? \{/, "icmp4-error"],
  [/^icmp6(_error)? \{/, "icmp6-error"],
  [/^(tcp_reset|sctp_abort) \{/, "tcp-reset"],
  [/(^|; )reject \{/, "reject"],
  [/^trigger_event\(/, "event-elb"],
  [/= put_nd_ra_opts\(/, "nd-ra-opts"],
];

/** The meter of a router flow with these actions, when the router's Copp names one that exists. */
export function routerCoppMeter(
  lr: RouterDatapath,
  model: NorthdModel,
  match: string,
  actions: string,
): string | undefined {
  if (lr.nb.copp === undefined) return undefined;
  const copp = model.nb.get("Copp", lr.nb.copp);
  if (copp === undefined) return undefined;
  for (const [re, proto] of BY_ACTION) {
    if (!re.test(actions)) continue;
    const meter = copp.meters.get(typeof proto === "function" ? proto(match) : proto);
    return meter !== undefined && model.meters.has(meter) ? meter : undefined;
  }
  return undefined;
}
