// lr_in_admission (L2 admission control), lr_in_lookup_neighbor and lr_in_learn_neighbor
// (ovn-northd(8) "Logical Router Datapaths", ingress tables 0-2).
import type { StageBuilder } from "../lflow/api.js";
import type { RouterPort } from "../model.js";
import { routerNats } from "./nat-model.js";
import { gatewayMtu, mtuBypass } from "./pkt-len.js";
import { lrOptBool, peerHasVtep, portHint, q, routerStage, v4Subnet, withResident } from "./util.js";

/** The admission action: remember the port's MAC in xreg0, marking large packets on MTU-limited ports. */
function admitAction(p: RouterPort): string {
  const mtu = gatewayMtu(p);
  const check = mtu === undefined ? "" : `reg9[1] = check_pkt_larger(${mtu + 14}); `;
  return `${check}xreg0[0..47] = ${p.networks.macS}; next;`;
}

export const admission: StageBuilder = routerStage("lr_in_admission", (lr, model, emit) => {
  emit("lr_in_admission", 100, "vlan.present || eth.src[40]", "drop;");
  emit("lr_in_admission", 0, "1", "drop;");
  for (const p of lr.ports) {
    if (!p.enabled) continue;
    const actions = admitAction(p);
    emit("lr_in_admission", 50, `eth.mcast && inport == ${q(p.name)}`, actions, portHint(p));
    const own = `eth.dst == ${p.networks.macS} && inport == ${q(p.name)}`;
    const ucast = peerHasVtep(p) ? own : withResident(own, p);
    emit("lr_in_admission", 50, ucast, actions, portHint(p));
    // Traffic that needs no fragmentation check skips check_pkt_larger.
    const bypass = mtuBypass(p);
    if (bypass !== undefined) {
      const plain = `xreg0[0..47] = ${p.networks.macS}; next;`;
      emit("lr_in_admission", 55, `eth.mcast && inport == ${q(p.name)} && (${bypass})`, plain, portHint(p));
      emit("lr_in_admission", 55, `${ucast} && (${bypass})`, plain, portHint(p));
    }
  }
  // Distributed floating IPs: their own MAC is admitted on the gateway port, on the chassis of the
  // logical port that owns the NAT.
  for (const n of routerNats(lr, model)) {
    if (!n.distributed || n.gw === undefined || n.externalMac === undefined || n.logicalPort === undefined)
      continue;
    emit(
      "lr_in_admission",
      50,
      `eth.dst == ${n.externalMac} && inport == ${q(n.gw.name)} && is_chassis_resident(${q(n.logicalPort)})`,
      `xreg0[0..47] = ${n.gw.networks.macS}; next;`,
      { hint: n.nb._uuid },
    );
  }
});

export const lookupNeighbor: StageBuilder = routerStage("lr_in_lookup_neighbor", (lr, _model, emit) => {
  const always = lrOptBool(lr, "always_learn_from_arp_request", true);
  const S = "lr_in_lookup_neighbor";
  const arpLookup = "reg9[2] = lookup_arp(inport, arp.spa, arp.sha); ";
  if (always) {
    emit(S, 100, "arp.op == 2", `${arpLookup}next;`);
    emit(S, 100, "nd_na", "reg9[2] = lookup_nd(inport, nd.target, nd.tll); next;");
    emit(S, 100, "nd_ns", "reg9[2] = lookup_nd(inport, ip6.src, nd.sll); next;");
  } else {
    emit(S, 100, "arp.op == 2", `${arpLookup}reg9[3] = 1; next;`);
    emit(S, 100, "nd_na", "reg9[2] = lookup_nd(inport, nd.target, nd.tll); reg9[3] = 1; next;");
    emit(
      S,
      100,
      "nd_ns",
      "reg9[2] = lookup_nd(inport, ip6.src, nd.sll); reg9[3] = lookup_nd_ip(inport, ip6.src); next;",
    );
    emit(
      S,
      110,
      "nd_na && ip6.src == fe80::/10 && ip6.dst == ff00::/8",
      "reg9[2] = lookup_nd(inport, ip6.src, nd.tll); reg9[3] = lookup_nd_ip(inport, ip6.src); next;",
    );
  }
  emit(S, 0, "1", "reg9[2] = 1; next;");
  for (const p of lr.ports) {
    for (const n of p.networks.ipv4) {
      const base = `inport == ${q(p.name)} && arp.spa == ${v4Subnet(n)}`;
      if (always) {
        emit(S, 100, withResident(`${base} && arp.op == 1`, p), `${arpLookup}next;`, portHint(p));
      } else {
        emit(
          S,
          110,
          withResident(`${base} && arp.tpa == ${n.addrS} && arp.op == 1`, p),
          `${arpLookup}reg9[3] = 1; next;`,
          portHint(p),
        );
        emit(
          S,
          100,
          withResident(`${base} && arp.op == 1`, p),
          `${arpLookup}reg9[3] = lookup_arp_ip(inport, arp.spa); next;`,
          portHint(p),
        );
      }
    }
  }
});

export const learnNeighbor: StageBuilder = routerStage("lr_in_learn_neighbor", (lr, _model, emit) => {
  const S = "lr_in_learn_neighbor";
  const always = lrOptBool(lr, "always_learn_from_arp_request", true);
  emit(S, 100, always ? "reg9[2] == 1" : "reg9[2] == 1 || reg9[3] == 0", "next;");
  emit(S, 95, "nd_ns && (ip6.src == 0 || nd.sll == 0)", "next;");
  emit(S, 95, "nd_na && nd.tll == 0", "put_nd(inport, nd.target, eth.src); next;");
  emit(S, 90, "arp", "put_arp(inport, arp.spa, arp.sha); next;");
  emit(S, 90, "nd_na", "put_nd(inport, nd.target, nd.tll); next;");
  emit(S, 90, "nd_ns", "put_nd(inport, ip6.src, nd.sll); next;");
  emit(S, 0, "1", "drop;");
});
