// lr_in_policy and lr_in_policy_ecmp: Logical_Router_Policy rows — allow, drop, reroute to one next hop
// or to an ECMP group of several (ovn-northd(8) ingress tables 15 and 16).

import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import type { StageBuilder } from "../lflow/api.js";
import type { RouterDatapath } from "../model.js";
import { findNexthop, type Nexthop, nexthopRegs } from "./nexthop.js";
import { q, routerStage } from "./util.js";

function byUuid<T extends { readonly _uuid: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a._uuid < b._uuid ? -1 : a._uuid > b._uuid ? 1 : 0));
}

function pktMark(p: nb.LogicalRouterPolicy): string {
  const m = p.options.get("pkt_mark");
  return m !== undefined && /^[0-9]+$/.test(m) && Number(m) > 0 ? `pkt.mark = ${m}; ` : "";
}

/** The next hops of a reroute policy, all reachable and of one family; undefined otherwise. */
function rerouteHops(lr: RouterDatapath, p: nb.LogicalRouterPolicy): Nexthop[] | undefined {
  const hops = p.nexthops.length > 0 ? p.nexthops : p.nexthop !== undefined ? [p.nexthop] : [];
  if (hops.length === 0) return undefined;
  const out: Nexthop[] = [];
  for (const h of hops) {
    const nh = findNexthop(lr, h);
    if (nh === undefined) return undefined;
    out.push(nh);
  }
  return out.every((h) => h.family === out[0]?.family) ? out : undefined;
}

export function emitPolicies(
  lr: RouterDatapath,
  emit: (
    stage: "lr_in_policy" | "lr_in_policy_ecmp",
    prio: number,
    match: string,
    actions: string,
    hint: string,
  ) => void,
): void {
  let ecmpId = 0;
  for (const p of byUuid(lr.policies)) {
    const hint = p._uuid;
    if (p.action === "drop") {
      emit("lr_in_policy", p.priority, p.match, "drop;", hint);
    } else if (p.action === "allow") {
      emit("lr_in_policy", p.priority, p.match, `${pktMark(p)}reg8[0..15] = 0; next;`, hint);
    } else {
      const hops = rerouteHops(lr, p);
      if (hops === undefined) continue;
      const [only] = hops;
      if (hops.length === 1 && only !== undefined) {
        emit(
          "lr_in_policy",
          p.priority,
          p.match,
          `${pktMark(p)}${nexthopRegs(only)}eth.src = ${only.port.networks.macS}; outport = ${q(only.port.name)}; flags.loopback = 1; reg8[0..15] = 0; next;`,
          hint,
        );
        continue;
      }
      ecmpId++;
      emit(
        "lr_in_policy",
        p.priority,
        p.match,
        `${pktMark(p)}reg8[0..15] = ${ecmpId}; reg8[16..31] = select(${hops.map((_, i) => i + 1).join(", ")});`,
        hint,
      );
      hops.forEach((h, i) => {
        emit(
          "lr_in_policy_ecmp",
          100,
          `reg8[0..15] == ${ecmpId} && reg8[16..31] == ${i + 1}`,
          `${nexthopRegs(h)}eth.src = ${h.port.networks.macS}; outport = ${q(h.port.name)}; flags.loopback = 1; next;`,
          hint,
        );
      });
    }
  }
}

export const policy: StageBuilder = routerStage("lr_in_policy", (lr, _model, emit) => {
  emit("lr_in_policy", 0, "1", "reg8[0..15] = 0; next;");
  emit("lr_in_policy_ecmp", 150, "reg8[0..15] == 0", "next;");
  emit("lr_in_policy_ecmp", 0, "1", "drop;");
  emitPolicies(lr, (stage, prio, match, actions, hint) => emit(stage, prio, match, actions, { hint }));
});
