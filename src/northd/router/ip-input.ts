// lr_in_ip_input: the router's own IP host functions — L3 admission, ICMP echo, ARP and ND replies for
// its addresses and NAT/LB addresses, TTL exceeded, unreachables, and the gateway MTU errors
// (ovn-northd(8) "Ingress Table 3: IP Input").
import { formatIpv6, parseIpv6, solicitedNode } from "../addr.js";
import type { LflowOptions, StageBuilder } from "../lflow/api.js";
import type { NorthdModel, RouterDatapath, RouterPort } from "../model.js";
import { routerAddrFacts } from "./lb-model.js";
import { routerNats } from "./nat-model.js";
import { gatewayMtu } from "./pkt-len.js";
import { bfdPorts } from "./routing.js";
import {
  braces,
  type Emit,
  globalV6,
  lrOptBool,
  oneOrSet,
  portHint,
  q,
  redirectOf,
  residentOf,
  routerStage,
  v4Subnet,
  v6Subnet,
  withResident,
} from "./util.js";

const S = "lr_in_ip_input";

const ARP_REPLY =
  "eth.dst = eth.src; eth.src = xreg0[0..47]; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = xreg0[0..47]; arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; output;";

function arpReplyWithMac(mac: string): string {
  return `eth.dst = eth.src; eth.src = ${mac}; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = ${mac}; arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; output;`;
}

function ndNa(kind: "nd_na" | "nd_na_router", mac = "xreg0[0..47]"): string {
  return `${kind} { eth.src = ${mac}; ip6.src = nd.target; nd.tll = ${mac}; outport = inport; flags.loopback = 1; output; };`;
}

function genericFlows(lr: RouterDatapath, emit: Emit): void {
  emit(
    S,
    100,
    "ip4.src_mcast ||ip4.src == 255.255.255.255 || ip4.src == 127.0.0.0/8 || ip4.dst == 127.0.0.0/8 || ip4.src == 0.0.0.0/8 || ip4.dst == 0.0.0.0/8",
    "drop;",
  );
  emit(S, 30, "ip.ttl == {0, 1}", "drop;");
  emit(S, 32, "ip.ttl == {0, 1} && !ip.later_frag && (ip4.mcast || ip6.mcast)", "drop;");
  emit(S, 50, "eth.bcast", "drop;");
  emit(S, 82, "ip4.mcast || ip6.mcast", lrOptBool(lr, "mcast_relay", false) ? "next;" : "drop;");
  // IGMP/MLD are let in for ports that flood multicast, with or without relay.
  if (lr.ports.some((p) => p.nb.options.get("mcast_flood") === "true")) {
    emit(S, 120, "igmp && ip.ttl == 1", "next;");
    emit(S, 120, "(mldv1 || mldv2) && ip.ttl == 1", "next;");
  }
  emit(S, 83, "ip6.mcast_rsvd", "drop;");
  emit(S, 84, "nd_rs || nd_ra", "next;");
  emit(S, 85, "arp || nd", "drop;");
  emit(S, 0, "1", "next;");
}

/** The switch on the other side of a router port has a localnet port. */
function peerHasLocalnet(p: RouterPort): boolean {
  return p.peer?.kind === "lsp" && p.peer.dp.localnetPorts.length > 0;
}

/** What the per-port flow groups share. */
interface PortCtx {
  readonly lr: RouterDatapath;
  readonly model: NorthdModel;
  readonly p: RouterPort;
  readonly emit: Emit;
  readonly hint: LflowOptions;
  readonly inport: string;
  readonly v4: RouterPort["networks"]["ipv4"];
  readonly v6: RouterPort["networks"]["ipv6"];
}

/** The router's own and broadcast addresses as sources are dropped unless looped back; DHCPv6 replies go to the controller. */
function l3Admission(c: PortCtx): void {
  const { emit, hint, v4, v6 } = c;

  if (v4.length > 0)
    emit(
      S,
      100,
      `ip4.src == ${braces(v4.flatMap((n) => [n.addrS, n.bcastS]))} && reg9[0] == 0`,
      "drop;",
      hint,
    );

  for (const n of v6)
    emit(
      S,
      100,
      `ip6.dst == ${n.addrS} && udp.src == 547 && udp.dst == 546`,
      "reg0 = 0; handle_dhcpv6_reply;",
    );
}

/** BFD: sessions from the port's addresses pass, those to them go to the controller. */
function bfd(c: PortCtx): void {
  const { model, p, emit, hint, v4, v6 } = c;

  if (bfdPorts(model).has(p.name)) {
    if (v4.length > 0) {
      const a = oneOrSet(v4.map((n) => n.addrS));
      emit(S, 110, `ip4.src == ${a} && udp.dst == 3784`, "next; ", hint);
      emit(S, 110, `ip4.dst == ${a} && udp.dst == 3784`, "handle_bfd_msg(); ", hint);
    }
    const a6 = oneOrSet(v6.map((n) => n.addrS));
    emit(S, 110, `ip6.src == ${a6} && udp.dst == 3784`, "next; ", hint);
    emit(S, 110, `ip6.dst == ${a6} && udp.dst == 3784`, "handle_bfd_msg(); ", hint);
  }
}

/** ICMP echo replies. */
function echo(c: PortCtx): void {
  const { emit, hint, v4, v6 } = c;

  if (v4.length > 0)
    emit(
      S,
      90,
      `ip4.dst == ${oneOrSet(v4.map((n) => n.addrS))} && icmp4.type == 8 && icmp4.code == 0`,
      "ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 0; flags.loopback = 1; next; ",
      hint,
    );
  emit(
    S,
    90,
    `ip6.dst == ${oneOrSet(v6.map((n) => n.addrS))} && icmp6.type == 128 && icmp6.code == 0`,
    "ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 129; flags.loopback = 1; next; ",
    hint,
  );
}

/** ARP and ND replies for the port's addresses and the router's VIPs. */
function neighborReplies(c: PortCtx): void {
  const { lr, model, p, emit, hint, inport, v4, v6 } = c;
  const facts = routerAddrFacts(lr, model);
  // ARP replies of a distributed gateway port (or of a port whose routing resides on its router's
  // gateway chassis) are tied to the gateway chassis only when its switch reaches a physical network.
  const cr = peerHasLocalnet(p) ? redirectOf(p) : undefined;
  for (const n of v4) {
    const m = `${inport} && arp.op == 1 && arp.tpa == ${n.addrS} && arp.spa == ${v4Subnet(n)}`;
    emit(S, 90, cr !== undefined ? `${m} && is_chassis_resident(${q(cr.name)})` : m, ARP_REPLY, hint);
  }
  for (const n of v6)
    emit(
      S,
      90,
      withResident(
        `${inport} && ip6.dst == {${n.addrS}, ${n.snAddrS}} && nd_ns && nd.target == ${n.addrS}`,
        p,
      ),
      ndNa("nd_na_router"),
      hint,
    );

  // ARP and ND for the load balancer VIPs, through the router's VIP address sets, on every port
  // whatever its own address families (as ovn-northd 23.03 does).
  if (facts.arpVip4.length > 0)
    emit(S, 90, withResident(`${inport} && arp.op == 1 && arp.tpa == $_rtr_lb_${lr.key}_ip4`, p), ARP_REPLY);
  if (facts.arpVip6.length > 0)
    emit(S, 90, withResident(`${inport} && nd_ns && nd.target == $_rtr_lb_${lr.key}_ip6`, p), ndNa("nd_na"));
}

/** Unreachables, except on gateways (their addresses take NAT and LB traffic). */
function unreachables(c: PortCtx): void {
  const { lr, emit, hint, v4, v6 } = c;
  const gateway = lr.isGatewayRouter || lr.l3dgwPorts.length > 0;

  if (!gateway) {
    for (const n of v4) {
      const base = `ip4 && ip4.dst == ${n.addrS} && !ip.later_frag`;
      emit(S, 80, `${base} && sctp`, "sctp_abort {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };", hint);
      emit(S, 80, `${base} && tcp`, "tcp_reset {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };", hint);
      emit(
        S,
        80,
        `${base} && udp`,
        "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 3; icmp4.code = 3; next; };",
        hint,
      );
      emit(
        S,
        70,
        base,
        "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 3; icmp4.code = 2; next; };",
        hint,
      );
    }
    for (const n of v6) {
      const base = `ip6 && ip6.dst == ${n.addrS} && !ip.later_frag`;
      emit(S, 80, `${base} && sctp`, "sctp_abort {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };", hint);
      emit(S, 80, `${base} && tcp`, "tcp_reset {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };", hint);
      emit(
        S,
        80,
        `${base} && udp`,
        "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 1; icmp6.code = 4; next; };",
        hint,
      );
      emit(
        S,
        70,
        base,
        "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 1; icmp6.code = 3; next; };",
        hint,
      );
    }
  }
}

/** Other traffic to the router's addresses is dropped, except addresses that SNAT or are VIPs. */
function dropOwn(c: PortCtx): void {
  const { lr, model, emit, hint, v4, v6 } = c;
  const facts = routerAddrFacts(lr, model);

  const keep = (ip: string): boolean =>
    !facts.snatIps.has(ip) &&
    !facts.lbIp4.includes(ip) &&
    !facts.lbIp6.includes(ip) &&
    !facts.lbForceSnatRouterIp;
  const drop4 = v4.map((n) => n.addrS).filter(keep);
  if (drop4.length > 0) emit(S, 60, `ip4.dst == ${braces(drop4)}`, "drop;", hint);
  const drop6 = v6.map((n) => n.addrS).filter(keep);
  if (drop6.length > 0) emit(S, 60, `ip6.dst == ${braces(drop6)}`, "drop;", hint);
}

/** TTL exceeded; a distributed gateway port answers from the address the packet was sent to. */
function ttlExceeded(c: PortCtx): void {
  const { p, emit, hint, inport, v4 } = c;

  const dgp = residentOf(p) !== undefined;
  const ttlMatch = (fam: string): string => `${inport} && ${fam} && ip.ttl == {0, 1} && !ip.later_frag`;
  for (const n of v4) {
    const addr = dgp ? "ip4.dst <-> ip4.src" : `ip4.dst = ip4.src; ip4.src = ${n.addrS}`;
    emit(
      S,
      31,
      ttlMatch("ip4"),
      `icmp4 {eth.dst <-> eth.src; icmp4.type = 11; /* Time exceeded */ icmp4.code = 0; /* TTL exceeded in transit */ ${addr} ; ip.ttl = 254; outport = ${q(p.name)}; flags.loopback = 1; output; };`,
      hint,
    );
  }
  for (const n of globalV6(p)) {
    const addr = dgp ? "ip6.dst <-> ip6.src" : `ip6.dst = ip6.src; ip6.src = ${n.addrS}`;
    emit(
      S,
      31,
      `${inport} && ip6 && ip6.src == ${v6Subnet(n)} && ip.ttl == {0, 1} && !ip.later_frag`,
      `icmp6 {eth.dst <-> eth.src; ${addr} ; ip.ttl = 254; icmp6.type = 3; /* Time exceeded */ icmp6.code = 0; /* TTL exceeded in transit */ outport = ${q(p.name)}; flags.loopback = 1; output; };`,
      hint,
    );
  }
}

/** Packets too big for the gateway MTU, bounced back from the egress pipeline. */
function mtuErrors(c: PortCtx): void {
  const { p, emit, hint, inport, v4, v6 } = c;

  const mtu = gatewayMtu(p);
  if (mtu !== undefined) {
    const first4 = v4[0];
    if (first4 !== undefined)
      emit(
        S,
        150,
        `${inport} && ip4 && reg9[1] && reg9[0] == 0`,
        `icmp4_error {reg9[0] = 1; reg9[1] = 0; eth.dst = ${p.networks.macS}; ip4.dst = ip4.src; ip4.src = ${first4.addrS}; ip.ttl = 255; icmp4.type = 3; /* Destination Unreachable. */ icmp4.code = 4; /* Frag Needed and DF was Set. */ icmp4.frag_mtu = ${mtu}; next(pipeline=ingress, table=0); };`,
        hint,
      );
    const first6 = v6[0];
    if (first6 !== undefined)
      emit(
        S,
        150,
        `${inport} && ip6 && reg9[1] && reg9[0] == 0`,
        `icmp6_error {reg9[0] = 1; reg9[1] = 0; eth.dst = ${p.networks.macS}; ip6.dst = ip6.src; ip6.src = ${first6.addrS}; ip.ttl = 255; icmp6.type = 2; /* Packet Too Big. */ icmp6.code = 0; icmp6.frag_mtu = ${mtu}; next(pipeline=ingress, table=0); };`,
        hint,
      );
  }
}

function portFlows(lr: RouterDatapath, model: NorthdModel, p: RouterPort, emit: Emit): void {
  const c: PortCtx = {
    lr,
    model,
    p,
    emit,
    hint: portHint(p),
    inport: `inport == ${q(p.name)}`,
    v4: p.networks.ipv4,
    v6: p.networks.ipv6,
  };
  l3Admission(c);
  bfd(c);
  echo(c);
  neighborReplies(c);
  unreachables(c);
  dropOwn(c);
  ttlExceeded(c);
  mtuErrors(c);
}

/**
 * ARP/ND replies for NAT external addresses, and the east/west SNAT exception. Rules sharing an
 * address give one flow, hinted at the rule ovn-northd 23.03 builds it from first: DNAT rules before
 * SNAT ones, each in NB order.
 */
function natFlows(lr: RouterDatapath, model: NorthdModel, outer: Emit): void {
  const nats = routerNats(lr, model);
  const done = new Set<string>();
  const emit: Emit = (stage, prio, match, actions, opts) => {
    const k = `${prio}\u0000${match}\u0000${actions}`;
    if (done.has(k)) return;
    done.add(k);
    outer(stage, prio, match, actions, opts);
  };
  for (const n of [...nats.filter((x) => x.type !== "snat"), ...nats.filter((x) => x.type === "snat")]) {
    const hint = { hint: n.nb._uuid };
    const ip = n.externalIp;
    const arpM = `arp.op == 1 && arp.tpa == ${ip}`;
    const ndM = `ip6.dst == {${ip}, ${snOf(ip)}} && nd_ns && nd.target == ${ip}`;
    const base = n.family === 4 ? arpM : ndM;
    const reply = n.family === 4 ? ARP_REPLY : ndNa("nd_na");
    emit(S, 90, base, reply, hint);
    const gw = n.gw;
    if (gw === undefined) continue;
    const onGw = `inport == ${q(gw.name)} && ${base}`;
    if (n.distributed && n.logicalPort !== undefined && n.externalMac !== undefined) {
      const r = n.family === 4 ? arpReplyWithMac(n.externalMac) : ndNa("nd_na", n.externalMac);
      emit(S, 92, `${onGw} && is_chassis_resident(${q(n.logicalPort)})`, r, hint);
    } else {
      emit(S, 92, withResident(onGw, gw), reply, hint);
    }
    emit(S, 91, onGw, "drop;", hint);
    if (n.type === "snat") {
      const fam = n.family === 4 ? "ip4" : "ip6";
      emit(S, 120, `inport == ${q(gw.name)} && ${fam}.src == ${ip}`, "next;", hint);
    }
  }
}

/** The solicited-node multicast address of a printed IPv6 address. */
function snOf(ip: string): string {
  const a = parseIpv6(ip);
  return a === undefined ? ip : formatIpv6(solicitedNode(a));
}

export const ipInput: StageBuilder = routerStage(S, (lr, model, emit) => {
  genericFlows(lr, emit);
  for (const p of lr.ports) portFlows(lr, model, p, emit);
  natFlows(lr, model, emit);
});
