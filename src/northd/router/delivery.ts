// lr_in_gw_redirect (traffic for a distributed gateway port goes to its chassisredirect instance) and
// lr_out_delivery (ovn-northd(8) ingress table 20, egress table 6).
import type { StageBuilder } from "../lflow/api.js";
import { routerNats } from "./nat-model.js";
import { lrOptBool, peerHasVtep, portHint, q, routerStage } from "./util.js";

export const gwRedirect: StageBuilder = routerStage("lr_in_gw_redirect", (lr, model, emit) => {
  const S = "lr_in_gw_redirect";
  emit(S, 0, "1", "next;");
  for (const p of lr.l3dgwPorts) {
    // Traffic towards a vtep gateway is not redirected to the gateway chassis.
    if (p.crPort === undefined || peerHasVtep(p)) continue;
    emit(S, 50, `outport == ${q(p.name)}`, `outport = ${q(p.crPort.name)}; next;`, portHint(p));
  }
  // Floating IPs leave from the chassis of their logical port, with their own MAC.
  for (const n of routerNats(lr, model)) {
    if (!n.distributed || n.gw === undefined || n.logicalPort === undefined || n.externalMac === undefined)
      continue;
    const fam = n.family === 4 ? "ip4" : "ip6";
    const reg = n.family === 4 ? "reg1" : "xxreg1";
    emit(
      S,
      100,
      `${fam}.src == ${n.logicalIp} && outport == ${q(n.gw.name)} && is_chassis_resident(${q(n.logicalPort)})`,
      `eth.src = ${n.externalMac}; ${reg} = ${n.externalIp}; next;`,
      { hint: n.nb._uuid },
    );
  }
});

export const delivery: StageBuilder = routerStage("lr_out_delivery", (lr, _model, emit) => {
  const S = "lr_out_delivery";
  // ovn-northd 23.03 writes the default drop along with the port flows: a router without ports has none.
  if (lr.ports.length > 0) emit(S, 0, "1", "drop;");
  const relay = lrOptBool(lr, "mcast_relay", false);
  for (const p of lr.ports) {
    if (!p.enabled) continue;
    emit(S, 100, `outport == ${q(p.name)}`, "output;");
    if (relay)
      emit(
        S,
        110,
        `(ip4.mcast || ip6.mcast) && outport == ${q(p.name)}`,
        `eth.src = ${p.networks.macS}; output;`,
      );
  }
});
