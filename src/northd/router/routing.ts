// lr_in_ip_routing_pre, lr_in_ip_routing, lr_in_ip_routing_ecmp and lr_in_arp_request's static-route
// neighbour solicitations: connected networks, static routes (route tables, src-ip policy, ECMP groups,
// discard) and NAT add_route routes (ovn-northd(8) ingress tables 12-14 and 21).
//
// Priorities: a route to a /L prefix gets 3*L plus 2 for a connected network, 1 for a static dst-ip
// route, 0 for a src-ip route (observed from ovn-northd 23.03), so longer prefixes win and, at equal
// length, connected beats static beats source routing.

import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import {
  formatIpv4,
  formatIpv6,
  formatMac,
  ipv4Mask,
  ipv6Mask,
  ipv6MulticastMac,
  parseIpv4Cidr,
  parseIpv6Cidr,
  solicitedNode,
} from "../addr.js";
import { ctBits } from "../features.js";
import type { StageBuilder } from "../lflow/api.js";
import type { NorthdModel, RouterDatapath } from "../model.js";
import { bfdAllowsRoute } from "../sync/bfd.js";
import { igmpGroups } from "../sync/igmp-groups.js";
import { findNexthop, type Nexthop, nexthopRegs } from "./nexthop.js";
import { type Emit, linkLocal, portHint, q, routerStage, v4Subnet, v6Subnet } from "./util.js";

interface Prefix {
  readonly family: 4 | 6;
  /** "NET/PLEN" with host bits cleared. */
  readonly text: string;
  readonly plen: number;
}

export function parsePrefix(s: string): Prefix | undefined {
  const v4 = parseIpv4Cidr(s);
  if (v4 !== undefined)
    return {
      family: 4,
      text: `${formatIpv4((v4.addr & ipv4Mask(v4.plen)) >>> 0)}/${v4.plen}`,
      plen: v4.plen,
    };
  const v6 = parseIpv6Cidr(s);
  if (v6 !== undefined)
    return { family: 6, text: `${formatIpv6(v6.addr & ipv6Mask(v6.plen))}/${v6.plen}`, plen: v6.plen };
  return undefined;
}

interface Route {
  readonly nb: nb.LogicalRouterStaticRoute;
  readonly prefix: Prefix;
  readonly srcIp: boolean;
  readonly discard: boolean;
  /** Undefined for a discard route. */
  readonly nh: Nexthop | undefined;
  readonly table: number;
}

/** Route table names → ids: the global table is 0, named tables are numbered from 1 in name order. */
export function routeTableIds(lr: RouterDatapath): Map<string, number> {
  const names = new Set<string>();
  for (const r of lr.staticRoutes) if (r.routeTable !== "") names.add(r.routeTable);
  for (const p of lr.ports) {
    const t = p.nb.options.get("route_table");
    if (t !== undefined && t !== "") names.add(t);
  }
  const ids = new Map<string, number>([["", 0]]);
  for (const n of [...names].sort()) ids.set(n, ids.size);
  return ids;
}

function routesOf(lr: RouterDatapath, model: NorthdModel): Route[] {
  const tables = routeTableIds(lr);
  const out: Route[] = [];
  const sorted = [...lr.staticRoutes].sort((a, b) => (a._uuid < b._uuid ? -1 : a._uuid > b._uuid ? 1 : 0));
  for (const r of sorted) {
    const prefix = parsePrefix(r.ipPrefix);
    if (prefix === undefined || !bfdAllowsRoute(r, model)) continue;
    const discard = r.nexthop === "discard";
    const nh = discard ? undefined : findNexthop(lr, r.nexthop, r.outputPort);
    if (!discard && (nh === undefined || nh.family !== prefix.family)) continue;
    out.push({
      nb: r,
      prefix,
      srcIp: r.policy === "src-ip",
      discard,
      nh,
      table: tables.get(r.routeTable) ?? 0,
    });
  }
  return out;
}

/**
 * options:origin=connected (routes OVN-IC learned from another zone's connected networks): ranked like
 * the router's own networks, one above static routes of the same length.
 */
function isConnectedOrigin(r: Route): boolean {
  return r.nb.options.get("origin") === "connected";
}

function routeMatch(r: Route): string {
  const fam = r.prefix.family === 4 ? "ip4" : "ip6";
  if (r.srcIp) return `${fam}.src == ${r.prefix.text}`;
  // The route table register is matched for static routes, and for learned ones in a named table.
  const table = r.table !== 0 || !isConnectedOrigin(r) ? `reg7 == ${r.table} && ` : "";
  return `${table}${fam}.dst == ${r.prefix.text}`;
}

function routePriority(r: Route): number {
  return r.prefix.plen * 3 + (r.srcIp ? 0 : isConnectedOrigin(r) ? 2 : 1);
}

/**
 * ECMP symmetric reply (gateway routers): replies leave through the port the request came in on, to
 * the MAC it came from, remembered in conntrack (ct_mark.ecmp_reply_port holds the port's key; `bits`
 * is ct_label for controllers without ct-no-masked-label).
 */
function symmetricReply(r: Route, emit: Emit, bits: string): void {
  const nh = r.nh;
  if (nh === undefined) return;
  const hint = { hint: r.nb._uuid };
  const f = r.prefix.family === 4 ? "ip4" : "ip6";
  const p = nh.port;
  const inport = `inport == ${q(p.name)} && ${f}.src == ${r.prefix.text}`;
  const reply = `ct.rpl && reg9[5] == 1 && ${bits}.ecmp_reply_port == ${p.key}`;
  emit("lr_in_defrag", 100, inport, "reg9[5] = chk_ecmp_nh_mac(); ct_next;", hint);
  emit(
    "lr_in_defrag",
    100,
    `reg7 == ${r.table} && ${f}.dst == ${r.prefix.text}`,
    "reg9[5] = chk_ecmp_nh(); ct_next;",
    hint,
  );
  for (const proto of ["tcp", "udp", "sctp"]) {
    const commit = `ct_commit { ct_label.ecmp_reply_eth = eth.src;  ${bits}.ecmp_reply_port = ${p.key};}; commit_ecmp_nh(ipv6 = ${r.prefix.family === 6}, proto = ${proto}); next;`;
    emit("lr_in_ecmp_stateful", 100, `${inport} && (ct.new && !ct.est) && ${proto}`, commit, hint);
    emit(
      "lr_in_ecmp_stateful",
      100,
      `${inport} && (!ct.rpl && ct.est) && ${proto} && reg9[5] == 0`,
      commit,
      hint,
    );
  }
  emit(
    "lr_in_arp_resolve",
    200,
    reply,
    "push(xxreg1); xxreg1 = ct_label; eth.dst = xxreg1[32..79]; pop(xxreg1); next;",
    hint,
  );
  emit(
    "lr_in_ip_routing",
    10300,
    `${reply} && reg7 == ${r.table} && ${f}.dst == ${r.prefix.text}`,
    `ip.ttl--; flags.loopback = 1; eth.src = ${p.networks.macS}; ${r.prefix.family === 4 ? "reg1" : "xxreg1"} = ${nh.src}; outport = ${q(p.name)}; next;`,
    hint,
  );
  emit("lr_in_policy", 65535, reply, "next;", hint);
}

/**
 * ECMP group ids follow the order in which each group gets its second route (routes taken in uuid
 * order), as observed from ovn-northd 23.03 over runs with random uuids; members keep uuid order.
 * Groups are given with their members in uuid order.
 */
export function orderEcmpGroups<R extends { readonly nb: { readonly _uuid: string } }>(
  groups: readonly (readonly R[])[],
): (readonly R[])[] {
  const key = (g: readonly R[]): string => (g[1] ?? g[0])?.nb._uuid ?? "";
  return [...groups].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function emitRoutes(lr: RouterDatapath, model: NorthdModel, emit: Emit): void {
  // Routes with the same (table, policy, prefix) form an ECMP group.
  const groups = new Map<string, Route[]>();
  for (const r of routesOf(lr, model)) {
    // (Whatever their origins: a group ranks as its first route does.)
    const k = `${r.table}|${r.srcIp}|${r.prefix.text}`;
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else g.push(r);
  }
  const ordered = orderEcmpGroups([...groups.values()]);
  const bfd = bfdPorts(model);
  let ecmpId = 0;
  for (const g of ordered) {
    const first = g[0];
    if (first === undefined) continue;
    if (g.length === 1 || first.discard) {
      const hint = { hint: first.nb._uuid };
      if (first.discard || first.nh === undefined) {
        emit("lr_in_ip_routing", routePriority(first), routeMatch(first), "drop;", hint);
        continue;
      }
      const nh = first.nh;
      const regs = `reg8[0..15] = 0; ${nexthopRegs(nh)}eth.src = ${nh.port.networks.macS}; outport = ${q(nh.port.name)}; flags.loopback = 1; next;`;
      emit("lr_in_ip_routing", routePriority(first), routeMatch(first), `ip.ttl--; ${regs}`, hint);
      // BFD control packets routed out of a port with a BFD session keep their TTL, as on connected routes.
      if (bfd.has(nh.port.name))
        emit(
          "lr_in_ip_routing",
          routePriority(first) + 1,
          `${routeMatch(first)} && udp.dst == 3784`,
          regs,
          hint,
        );
      continue;
    }
    ecmpId++;
    const members = g.map((_, i) => String(i + 1)).join(", ");
    emit(
      "lr_in_ip_routing",
      routePriority(first),
      routeMatch(first),
      `ip.ttl--; flags.loopback = 1; reg8[0..15] = ${ecmpId}; reg8[16..31] = select(${members});`,
    );
    if (lr.isGatewayRouter)
      for (const r of g)
        if (r.nb.options.get("ecmp_symmetric_reply") === "true")
          symmetricReply(r, emit, ctBits(model.features));
    g.forEach((r, i) => {
      if (r.nh === undefined) return;
      emit(
        "lr_in_ip_routing_ecmp",
        100,
        `reg8[0..15] == ${ecmpId} && reg8[16..31] == ${i + 1}`,
        `${nexthopRegs(r.nh)}eth.src = ${r.nh.port.networks.macS}; outport = ${q(r.nh.port.name)}; next;`,
        { hint: r.nb._uuid },
      );
    });
  }
}

/** The router relays multicast (options:mcast_relay) and has ports that flood it (options:mcast_flood). */
export function mcastFlood(lr: RouterDatapath): { relay: boolean; flood: boolean } {
  const relay = lr.nb.options.get("mcast_relay") === "true";
  return { relay, flood: relay && lr.ports.some((p) => p.nb.options.get("mcast_flood") === "true") };
}

/**
 * Unregistered multicast and IGMP/MLD go to the _MC_static group of flooding ports (dropped when there
 * are none); the router's own IGMP/MLD packets coming back are dropped.
 */
function multicastRouting(lr: RouterDatapath, model: NorthdModel, emit: Emit): void {
  const { relay, flood } = mcastFlood(lr);
  if (!relay) return;
  // Groups joined behind the router's ports (../sync/igmp-groups.ts) are routed to those ports, and
  // to the flooding ports too. The trailing space in the match is ovn-northd's.
  for (const g of igmpGroups(model).byDatapath.get(lr.uuid) ?? []) {
    const ip = g.ipv4 ? "ip4" : "ip6";
    emit(
      "lr_in_ip_routing",
      10500,
      `${ip} && ${ip}.dst == ${g.address} `,
      `${flood ? 'clone { outport = "_MC_static"; ip.ttl--; next; };' : ""}outport = ${q(g.address)}; ip.ttl--; next;`,
    );
  }
  if (!flood) {
    emit("lr_in_ip_routing", 10450, "ip4.mcast || ip6.mcast", "drop;");
    return;
  }
  emit(
    "lr_in_ip_routing",
    10450,
    "ip4.mcast || ip6.mcast",
    'clone { outport = "_MC_static"; ip.ttl--; next; };',
  );
  emit("lr_in_ip_routing", 10460, "igmp", 'clone { outport = "_MC_static"; next; };');
  emit("lr_in_ip_routing", 10460, "mldv1 || mldv2", 'clone { outport = "_MC_static"; next; };');
  for (const p of lr.ports) {
    emit("lr_in_ip_routing", 10550, `eth.src == ${p.networks.macS} && igmp`, "drop;");
    emit("lr_in_ip_routing", 10550, `eth.src == ${p.networks.macS} && (mldv1 || mldv2)`, "drop;");
  }
}

/** Router ports named by some NB BFD session. */
export function bfdPorts(model: NorthdModel): ReadonlySet<string> {
  return new Set(model.nb.rows("BFD").map((b) => b.logicalPort));
}

export const ipRoutingPre: StageBuilder = routerStage("lr_in_ip_routing_pre", (lr, _model, emit) => {
  emit("lr_in_ip_routing_pre", 0, "1", "reg7 = 0; next;");
  const ids = routeTableIds(lr);
  for (const p of lr.ports) {
    const t = p.nb.options.get("route_table");
    if (t === undefined || t === "") continue;
    emit("lr_in_ip_routing_pre", 100, `inport == ${q(p.name)}`, `reg7 = ${ids.get(t) ?? 0}; next;`);
  }
});

export const ipRouting: StageBuilder = routerStage("lr_in_ip_routing", (lr, model, emit) => {
  const S = "lr_in_ip_routing";
  emit(S, 0, "1", "drop;");
  emit(S, 10550, "nd_rs || nd_ra", "drop;");
  multicastRouting(lr, model, emit);
  const bfd = bfdPorts(model);
  for (const p of lr.ports) {
    const hint = portHint(p);
    const tail = `eth.src = ${p.networks.macS}; outport = ${q(p.name)}; flags.loopback = 1; next;`;
    // BFD packets to a connected network keep their TTL (one priority above the network's route).
    const withBfd = (prio: number, m: string, regs: string): void => {
      emit(S, prio, m, `ip.ttl--; ${regs}${tail}`, hint);
      if (bfd.has(p.name)) emit(S, prio + 1, `${m} && udp.dst == 3784`, `${regs}${tail}`, hint);
    };
    for (const n of p.networks.ipv4)
      withBfd(
        n.plen * 3 + 2,
        `ip4.dst == ${v4Subnet(n)}`,
        `reg8[0..15] = 0; reg0 = ip4.dst; reg1 = ${n.addrS}; `,
      );
    for (const n of p.networks.ipv6) {
      // Link-local destinations are only reachable on the port the packet came in on.
      const m =
        n === linkLocal(p)
          ? `inport == ${q(p.name)} && ip6.dst == ${v6Subnet(n)}`
          : `ip6.dst == ${v6Subnet(n)}`;
      withBfd(n.plen * 3 + 2, m, `reg8[0..15] = 0; xxreg0 = ip6.dst; xxreg1 = ${n.addrS}; `);
    }
  }
  emitRoutes(lr, model, emit);
});

export const ipRoutingEcmp: StageBuilder = routerStage("lr_in_ip_routing_ecmp", (_lr, _model, emit) => {
  emit("lr_in_ip_routing_ecmp", 150, "reg8[0..15] == 0", "next;");
  emit("lr_in_ip_routing_ecmp", 0, "1", "drop;");
});

/** lr_in_arp_request: ARP or ND for unresolved next hops; IPv6 static route next hops get their own NS. */
export const arpRequest: StageBuilder = routerStage("lr_in_arp_request", (lr, model, emit) => {
  const S = "lr_in_arp_request";
  emit(S, 0, "1", "output;");
  emit(
    S,
    100,
    "eth.dst == 00:00:00:00:00:00 && ip4",
    "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = reg1; arp.tpa = reg0; arp.op = 1; output; };",
  );
  emit(S, 100, "eth.dst == 00:00:00:00:00:00 && ip6", "nd_ns { nd.target = xxreg0; output; };");
  for (const r of routesOf(lr, model)) {
    if (r.nh === undefined || r.nh.family !== 6) continue;
    const a = parseIpv6Cidr(r.nh.ip)?.addr;
    if (a === undefined) continue;
    const sn = solicitedNode(a);
    emit(
      S,
      200,
      `eth.dst == 00:00:00:00:00:00 && ip6 && xxreg0 == ${r.nh.ip}`,
      `nd_ns { eth.dst = ${formatMac(ipv6MulticastMac(sn))}; ip6.dst = ${formatIpv6(sn)}; nd.target = ${r.nh.ip}; output; };`,
      { hint: r.nb._uuid },
    );
  }
});
