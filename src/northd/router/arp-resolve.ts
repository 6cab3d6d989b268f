// lr_in_arp_resolve: next hop → Ethernet address, from what NB knows statically (switch port addresses,
// peer router ports, virtual ports, NAT external addresses) before falling back to the MAC_Binding
// table (ovn-northd(8) "Ingress Table 17: ARP/ND Resolution").
import type { Ipv4Net, Ipv6Net } from "../addr.js";
import type { StageBuilder } from "../lflow/api.js";
import type { NorthdModel, RouterDatapath, RouterPort, SwitchPort } from "../model.js";
import { routerAddrFacts } from "./lb-model.js";
import { routerNats } from "./nat-model.js";
import { ipOf } from "./nexthop.js";
import { braces, type Emit, oneOrSet, portHint, q, residentOf, routerStage } from "./util.js";

const S = "lr_in_arp_resolve";

function inV4(nets: readonly Ipv4Net[], a: number): boolean {
  return nets.some((n) => (a & n.mask) >>> 0 === n.network);
}

function inV6(nets: readonly Ipv6Net[], a: bigint): boolean {
  return nets.some((n) => (a & n.mask) === n.network);
}

/** The MAC a virtual port's IP resolves to: its bound parent's, or all-zeros to force an ARP. */
function virtualMac(vp: SwitchPort, model: NorthdModel): string {
  const pb = model.sb.rows("Port_Binding").find((b) => b.logicalPort === vp.name);
  const parent = pb?.virtualParent;
  if (parent === undefined || parent === "") return "00:00:00:00:00:00";
  const pp = model.ports.get(parent);
  return pp?.kind === "lsp" ? (pp.addresses[0]?.macS ?? "00:00:00:00:00:00") : "00:00:00:00:00:00";
}

/** Flows for the hosts on the switch behind router port P. */
function switchPeerFlows(p: RouterPort, sp: SwitchPort, model: NorthdModel, emit: Emit): void {
  const out = `outport == ${q(p.name)}`;
  const dynamicNeighRouters = p.dp.nb.options.get("dynamic_neigh_routers") === "true";
  for (const lsp of sp.dp.ports) {
    // A disabled switch port (of any type) gives the routers no static neighbour entries.
    if (!lsp.enabled) continue;
    if (lsp.type === "router") {
      // Another router on the same switch: all its addresses, hinted with our own switch-side port —
      // unless this router learns its neighbour routers dynamically.
      const other = lsp.peer;
      if (other === undefined || other === p || dynamicNeighRouters) continue;
      const hint = { hint: sp.nb._uuid };
      const v4 = other.networks.ipv4.map((n) => n.addrS);
      const v6 = other.networks.ipv6.map((n) => n.addrS);
      if (v4.length > 0)
        emit(S, 100, `${out} && reg0 == ${oneOrSet(v4)}`, `eth.dst = ${other.networks.macS}; next;`, hint);
      if (v6.length > 0)
        emit(S, 100, `${out} && xxreg0 == ${oneOrSet(v6)}`, `eth.dst = ${other.networks.macS}; next;`, hint);
      continue;
    }
    const hint = { hint: lsp.nb._uuid };
    if (lsp.type === "virtual") {
      const vip = lsp.nb.options.get("virtual-ip");
      const ip = vip === undefined ? undefined : ipOf(vip);
      if (ip === undefined) continue;
      const reachable =
        ip.v4 !== undefined
          ? inV4(p.networks.ipv4, ip.v4)
          : ip.v6 !== undefined && inV6(p.networks.ipv6, ip.v6);
      if (!reachable) continue;
      const reg = ip.family === 4 ? "reg0" : "xxreg0";
      emit(S, 100, `${out} && ${reg} == ${ip.text}`, `eth.dst = ${virtualMac(lsp, model)}; next;`, hint);
      continue;
    }
    for (const a of lsp.addresses) {
      for (const n of a.ipv4)
        if (inV4(p.networks.ipv4, n.addr))
          emit(S, 100, `${out} && reg0 == ${n.addrS}`, `eth.dst = ${a.macS}; next;`, hint);
      for (const n of a.ipv6)
        if (inV6(p.networks.ipv6, n.addr))
          emit(S, 100, `${out} && xxreg0 == ${n.addrS}`, `eth.dst = ${a.macS}; next;`, hint);
    }
  }
}

/** Flows for a router port peered directly with another router's port. */
function routerPeerFlows(p: RouterPort, peer: RouterPort, emit: Emit): void {
  const out = `outport == ${q(p.name)}`;
  const hint = portHint(peer);
  for (const n of peer.networks.ipv4)
    emit(S, 100, `${out} && reg0== ${n.addrS}`, `eth.dst = ${peer.networks.macS}; next;`, hint);
  for (const n of peer.networks.ipv6)
    emit(S, 100, `${out} && xxreg0 == ${n.addrS}`, `eth.dst = ${peer.networks.macS}; next;`, hint);
}

/** options:redirect-type=bridged (any case): traffic for the gateway chassis goes over the localnet. */
function isBridged(p: RouterPort): boolean {
  return p.nb.options.get("redirect-type")?.toLowerCase() === "bridged";
}

/**
 * On a bridged distributed gateway port, a packet whose next hop is unresolved here is sent to the
 * gateway chassis with the port's MAC instead of asking for it.
 */
function bridgedRedirect(p: RouterPort, emit: Emit): void {
  const resident = residentOf(p);
  if (resident === undefined || !isBridged(p)) return;
  emit(S, 50, `outport == ${q(p.name)} && !${resident}`, `eth.dst = ${p.networks.macS}; next;`, portHint(p));
}

/** NAT external addresses on a distributed gateway port resolve to the port (or the floating IP's MAC). */
function natFlows(lr: RouterDatapath, model: NorthdModel, emit: Emit): void {
  const bridged = lr.ports.some(isBridged);
  for (const n of routerNats(lr, model)) {
    const gw = n.gw;
    if (gw === undefined) continue;
    const ip = ipOf(n.externalIp);
    if (ip === undefined) continue;
    const hint = { hint: n.nb._uuid };
    const mac = n.distributed && n.externalMac !== undefined ? n.externalMac : gw.networks.macS;
    const reg = n.family === 4 ? "reg0" : "xxreg0";
    const fam = n.family === 4 ? "ip4" : "ip6";
    emit(S, 100, `outport == ${q(gw.name)} && ${reg} == ${n.externalIp}`, `eth.dst = ${mac}; next;`, hint);
    // A bridged redirect resolves a floating IP's traffic on the chassis of its logical port.
    const first = lr.l3dgwPorts[0];
    if (bridged && n.distributed && first !== undefined && n.nb.logicalPort !== undefined)
      emit(
        S,
        90,
        `outport == ${q(first.name)} && ${fam}.src == ${n.nb.logicalIp} && is_chassis_resident(${q(n.nb.logicalPort)})`,
        n.family === 4 ? "get_arp(outport, reg0); next;" : "get_nd(outport, xxreg0); next;",
        hint,
      );
    emit(
      S,
      150,
      `inport == ${q(gw.name)} && outport == ${q(gw.name)} && ${fam}.dst == ${n.externalIp}`,
      "drop;",
      hint,
    );
  }
}

export const arpResolve: StageBuilder = routerStage(S, (lr, model, emit) => {
  emit(S, 500, "ip4.mcast || ip6.mcast", "next;");
  emit(S, 0, "1", "drop;");
  emit(S, 1, "ip4", "get_arp(outport, reg0); next;");
  emit(S, 1, "ip6", "get_nd(outport, xxreg0); next;");
  const facts = routerAddrFacts(lr, model);
  for (const p of lr.ports) {
    if (p.peer?.kind === "lsp") switchPeerFlows(p, p.peer, model, emit);
    else if (p.peer?.kind === "lrp") routerPeerFlows(p, p.peer, emit);
    bridgedRedirect(p, emit);
    // Router addresses that are also SNAT addresses or VIPs: whatever was not unSNATed by now is dropped.
    const shared = (a: string): boolean =>
      facts.snatIps.has(a) || facts.lbIp4.includes(a) || facts.lbIp6.includes(a);
    const v4 = p.networks.ipv4.map((n) => n.addrS).filter(shared);
    if (v4.length > 0) emit(S, 2, `ip4.dst == ${braces(v4)}`, "drop;", portHint(p));
    const v6 = p.networks.ipv6.map((n) => n.addrS).filter(shared);
    if (v6.length > 0) emit(S, 2, `ip6.dst == ${braces(v6)}`, "drop;", portHint(p));
  }
  natFlows(lr, model, emit);
});
