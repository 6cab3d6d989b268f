// lr_in_chk_pkt_len and lr_in_larger_pkts: packets leaving through a port with options:gateway_mtu are
// checked against the MTU, and those too big are answered with ICMP "fragmentation needed" / "packet
// too big" (ovn-northd(8) ingress tables 18 and 19).
import type { StageBuilder } from "../lflow/api.js";
import type { RouterPort } from "../model.js";
import { portHint, q, routerStage } from "./util.js";

/** options:gateway_mtu of a router port, when it is a positive integer. */
export function gatewayMtu(p: RouterPort): number | undefined {
  const v = p.nb.options.get("gateway_mtu");
  if (v === undefined || !/^[0-9]+$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

/** options:gateway_mtu_bypass (a match) of a port with a gateway MTU. */
export function mtuBypass(p: RouterPort): string | undefined {
  if (gatewayMtu(p) === undefined) return undefined;
  const b = p.nb.options.get("gateway_mtu_bypass");
  return b === undefined || b === "" ? undefined : b;
}

export const chkPktLen: StageBuilder = routerStage("lr_in_chk_pkt_len", (lr, _model, emit) => {
  emit("lr_in_chk_pkt_len", 0, "1", "next;");
  for (const gw of lr.ports) {
    const mtu = gatewayMtu(gw);
    if (mtu === undefined) continue;
    const out = `outport == ${q(gw.name)}`;
    emit("lr_in_chk_pkt_len", 50, out, `reg9[1] = check_pkt_larger(${mtu + 14}); next;`, portHint(gw));
    const bypass = mtuBypass(gw);
    if (bypass !== undefined) emit("lr_in_chk_pkt_len", 55, `${out} && (${bypass})`, "next;", portHint(gw));
  }
});

export const largerPkts: StageBuilder = routerStage("lr_in_larger_pkts", (lr, _model, emit) => {
  const S = "lr_in_larger_pkts";
  emit(S, 0, "1", "next;");
  for (const gw of lr.ports) {
    const mtu = gatewayMtu(gw);
    if (mtu === undefined) continue;
    for (const p of lr.ports) {
      if (p === gw) continue;
      const m = (fam: string): string =>
        `inport == ${q(p.name)} && outport == ${q(gw.name)} && ${fam} && reg9[1] && reg9[0] == 0`;
      const first4 = p.networks.ipv4[0];
      if (first4 !== undefined)
        emit(
          S,
          150,
          m("ip4"),
          `icmp4_error {reg9[0] = 1; reg9[1] = 0; eth.dst = ${p.networks.macS}; ip4.dst = ip4.src; ip4.src = ${first4.addrS}; ip.ttl = 255; icmp4.type = 3; /* Destination Unreachable. */ icmp4.code = 4; /* Frag Needed and DF was Set. */ icmp4.frag_mtu = ${mtu}; next(pipeline=ingress, table=0); };`,
          portHint(p),
        );
      const first6 = p.networks.ipv6[0];
      if (first6 !== undefined)
        emit(
          S,
          150,
          m("ip6"),
          `icmp6_error {reg9[0] = 1; reg9[1] = 0; eth.dst = ${p.networks.macS}; ip6.dst = ip6.src; ip6.src = ${first6.addrS}; ip.ttl = 255; icmp6.type = 2; /* Packet Too Big. */ icmp6.code = 0; icmp6.frag_mtu = ${mtu}; next(pipeline=ingress, table=0); };`,
          portHint(p),
        );
    }
  }
});
