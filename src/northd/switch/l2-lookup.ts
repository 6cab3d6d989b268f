// ls_in_l2_lkup / ls_in_l2_unknown (ovn-northd(8) ingress tables 25-26): destination lookup by MAC,
// multicast snooping, forwarding of ARP/ND for router-owned addresses, forwarding groups, and what
// happens to unknown destinations.

import { formatIpv4, formatIpv6, formatMac, parseIp, parseIpv4, parseMac } from "../addr.js";
import type { LflowSink, StageBuilder } from "../lflow/api.js";
import type { NorthdModel, SwitchDatapath, SwitchPort } from "../model.js";
import { rowId } from "../model.js";
import { redirectOf } from "../router/util.js";
import { igmpGroups } from "../sync/igmp-groups.js";
import { firstForwardingGroup, lsBool, portOpts, q, withMeter } from "./util.js";

/**
 * Traffic to a group some port joined (SB IGMP_Group, ../sync/igmp-groups.ts) goes to the group's
 * ports, and also towards relaying routers and to the ports that flood all multicast. Built for every
 * switch that has groups, snooping or not (as ovn-northd 23.03 does).
 */
function learnedGroups(ls: SwitchDatapath, model: NorthdModel, sink: LflowSink): void {
  const groups = igmpGroups(model).byDatapath.get(ls.uuid);
  if (groups === undefined) return;
  const relay = ls.routerPorts.some((p) => p.peer?.dp.nb.options.get("mcast_relay") === "true");
  const staticFlood = ls.ports.some((p) => p.enabled && p.nb.options.get("mcast_flood") === "true");
  const prefix =
    (relay ? 'clone { outport = "_MC_mrouter_flood"; output; };' : "") +
    (staticFlood ? 'clone { outport ="_MC_static"; output; };' : "");
  for (const g of groups) {
    const ip = g.ipv4 ? "ip4" : "ip6";
    // The trailing spaces are ovn-northd's.
    sink.add(
      ls,
      "ls_in_l2_lkup",
      90,
      `eth.mcast && ${ip} && ${ip}.dst == ${g.address} `,
      `${prefix}outport = ${q(g.address)}; output; `,
    );
  }
}

function multicast(ls: SwitchDatapath, model: NorthdModel, sink: LflowSink): void {
  learnedGroups(ls, model, sink);
  if (!lsBool(ls, "mcast_snoop", false)) return;
  sink.add(ls, "ls_in_l2_lkup", 100, "igmp", "igmp;", withMeter(ls, model, "igmp"));
  sink.add(ls, "ls_in_l2_lkup", 100, "mldv1 || mldv2", "igmp;", withMeter(ls, model, "igmp"));
  sink.add(
    ls,
    "ls_in_l2_lkup",
    85,
    "ip4.mcast && ip4.dst == 224.0.0.0/24",
    'outport = "_MC_flood_l2"; output;',
  );
  sink.add(ls, "ls_in_l2_lkup", 85, "ip6.mcast_flood", 'outport = "_MC_flood"; output;');
  // Unregistered IP multicast: flooded anyway when the switch says so; otherwise only to the static
  // flood ports and, through relaying routers, to the routers -- or dropped.
  if (lsBool(ls, "mcast_flood_unregistered", false)) return;
  const staticFlood = ls.ports.some((p) => p.enabled && p.nb.options.get("mcast_flood") === "true");
  const relay = ls.routerPorts.some((p) => p.peer?.dp.nb.options.get("mcast_relay") === "true");
  let actions = relay ? 'clone { outport = "_MC_mrouter_flood"; output; }; ' : "";
  if (staticFlood) actions += 'outport ="_MC_static"; output;';
  sink.add(ls, "ls_in_l2_lkup", 80, "ip4.mcast || ip6.mcast", actions === "" ? "drop;" : actions);
}

/** The IPs a router port answers for on the switch: its networks, DNAT external IPs, LB VIPs in its subnets. */
function routerOwnedIps(p: SwitchPort): { v4: string[]; v6: string[] } {
  const rp = p.peer;
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  if (rp === undefined) return { v4: [], v6: [] };
  for (const n of rp.networks.ipv4) v4.add(n.addrS);
  for (const n of rp.networks.ipv6) v6.add(n.addrS);
  // A DNAT address that is also a VIP of the router's load balancers goes by the VIP's rule instead
  // (only where the port's networks reach it), as in ovn-northd 23.03.
  const vips = new Set(rp.dp.loadBalancers.flatMap((lb) => lb.vips.map((v) => v.ip)));
  for (const nat of rp.dp.nats) {
    if (nat.type === "snat") continue;
    const ip = parseIp(nat.externalIp);
    const text = ip?.family === 4 ? formatIpv4(ip.addr) : ip?.family === 6 ? formatIpv6(ip.addr) : undefined;
    if (text === undefined || vips.has(text)) continue;
    (ip?.family === 4 ? v4 : v6).add(text);
  }
  for (const lb of rp.dp.loadBalancers)
    for (const v of lb.vips) {
      const ip = parseIp(v.ip);
      if (ip?.family === 4 && rp.networks.ipv4.some((n) => (ip.addr & n.mask) >>> 0 === n.network))
        v4.add(v.ip);
      if (ip?.family === 6 && rp.networks.ipv6.some((n) => (ip.addr & n.mask) === n.network)) v6.add(v.ip);
    }
  return { v4: [...v4], v6: [...v6] };
}

/** ARP/ND for router-owned IPs goes to the router (and, for other hosts that might care, to flood_l2). */
function routerArp(ls: SwitchDatapath, sink: LflowSink): void {
  const hasHosts = ls.ports.some((p) => p.type !== "router");
  for (const p of ls.routerPorts) {
    const rp = p.peer;
    // A disabled router port takes no ARP/ND from the switch (ovn-northd writes none of these).
    if (rp === undefined || !rp.enabled) continue;
    const out = `outport = ${q(p.name)}; output;`;
    const action = hasHosts ? `clone {${out} }; outport = "_MC_flood_l2"; output;` : out;
    const { v4, v6 } = routerOwnedIps(p);
    for (const ip of v4)
      sink.add(
        ls,
        "ls_in_l2_lkup",
        80,
        `flags[1] == 0 && arp.op == 1 && arp.tpa == ${ip}`,
        action,
        portOpts(p, false),
      );
    for (const ip of v6)
      sink.add(
        ls,
        "ls_in_l2_lkup",
        80,
        `flags[1] == 0 && nd_ns && nd.target == ${ip}`,
        action,
        portOpts(p, false),
      );
    if (!hasHosts) continue;
    const natMacs: string[] = [];
    for (const nat of rp.dp.nats) {
      const m = nat.externalMac === undefined ? undefined : parseMac(nat.externalMac);
      if (nat.type === "dnat_and_snat" && m !== undefined && nat.logicalPort !== undefined)
        natMacs.push(formatMac(m));
    }
    // Observed order of the real northd: on a distributed gateway port's switch the NAT MACs come first.
    const macs = rp.isL3dgw ? [...natMacs, rp.networks.macS] : [rp.networks.macS, ...natMacs];
    sink.add(
      ls,
      "ls_in_l2_lkup",
      75,
      `eth.src == {${[...new Set(macs)].join(", ")}} && (arp.op == 1 || rarp.op == 3 || nd_ns)`,
      'outport = "_MC_flood_l2"; output;',
    );
  }
}

/** The MAC a port's "dynamic" addresses entry starts with, if any. */
function dynamicEntryMac(p: SwitchPort): string | undefined {
  const entry = p.nb.addresses.find((a) => /(^|\s)dynamic(\s|$)/.test(a));
  const m = parseMac(entry?.trim().split(/\s+/)[0] ?? "");
  return m === undefined ? undefined : formatMac(m);
}

function unicast(ls: SwitchDatapath, sink: LflowSink): void {
  for (const p of ls.ports) {
    if (p.type === "external") continue;
    const action = p.enabled ? `outport = ${q(p.name)}; output;` : "drop;";
    for (const a of p.addresses)
      sink.add(ls, "ls_in_l2_lkup", 50, `eth.dst == ${a.macS}`, action, portOpts(p, false));
    // A "MAC dynamic..." entry that got no dynamic addresses (no IPAM on the switch, or not a form
    // IPAM serves) still delivers to its MAC, as ovn-northd does.
    const lead = p.hasDynamic && p.dynamicAddresses === undefined ? dynamicEntryMac(p) : undefined;
    if (lead !== undefined)
      sink.add(ls, "ls_in_l2_lkup", 50, `eth.dst == ${lead}`, action, portOpts(p, false));
    const rp = p.peer;
    if (p.type !== "router" || !p.hasRouterAddr || rp === undefined) continue;
    // A distributed gateway port's MAC lives on its gateway chassis when the switch reaches the
    // physical network through localnet; so does that of a port whose routing resides there.
    const cr = ls.localnetPorts.length > 0 ? redirectOf(rp) : undefined;
    const where = cr !== undefined ? ` && is_chassis_resident(${q(cr.name)})` : "";
    sink.add(ls, "ls_in_l2_lkup", 50, `eth.dst == ${rp.networks.macS}${where}`, action, portOpts(p, false));
    // The external MACs of distributed floating IPs live where their VM is, on any switch of a
    // distributed gateway port (with a localnet port or not; observed from ovn-northd 23.03).
    if (rp.crPort === undefined) continue;
    for (const nat of rp.dp.nats) {
      const m = nat.externalMac === undefined ? undefined : parseMac(nat.externalMac);
      if (nat.type !== "dnat_and_snat" || m === undefined || nat.logicalPort === undefined) continue;
      sink.add(
        ls,
        "ls_in_l2_lkup",
        50,
        `eth.dst == ${formatMac(m)} && is_chassis_resident(${q(nat.logicalPort)})`,
        action,
        portOpts(p, false),
      );
    }
  }
}

function forwardingGroups(ls: SwitchDatapath, model: NorthdModel, sink: LflowSink): void {
  for (const u of firstForwardingGroup(ls)) {
    const fg = model.nb.get("Forwarding_Group", rowId(u));
    const mac = fg === undefined ? undefined : parseMac(fg.vmac);
    if (fg === undefined || mac === undefined || parseIpv4(fg.vip) === undefined || fg.childPort.length === 0)
      continue;
    const children = fg.childPort.map((c) => q(c)).join(",");
    const live = fg.liveness ? 'liveness="true",' : "";
    sink.add(
      ls,
      "ls_in_l2_lkup",
      50,
      `eth.dst == ${formatMac(mac)}`,
      `fwd_group(${live}childports=${children});`,
      { hint: fg._uuid },
    );
  }
}

export const l2Lookup: StageBuilder = {
  name: "ls_l2_lkup",
  switchDp(ls, model, sink) {
    sink.add(
      ls,
      "ls_in_l2_lkup",
      110,
      "eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)",
      "handle_svc_check(inport);",
      withMeter(ls, model, "svc-monitor"),
    );
    multicast(ls, model, sink);
    routerArp(ls, sink);
    sink.add(ls, "ls_in_l2_lkup", 70, "eth.mcast", 'outport = "_MC_flood"; output;');
    unicast(ls, sink);
    forwardingGroups(ls, model, sink);
    sink.add(ls, "ls_in_l2_lkup", 0, "1", "outport = get_fdb(eth.dst); next;");

    const unknown = ls.ports.some((p) => p.hasUnknown);
    sink.add(
      ls,
      "ls_in_l2_unknown",
      50,
      'outport == "none"',
      unknown ? 'outport = "_MC_unknown"; output;' : "drop;",
    );
    for (const p of ls.ports)
      if (!p.enabled) sink.add(ls, "ls_in_l2_unknown", 50, `outport == ${q(p.name)}`, "drop;", portOpts(p));
    sink.add(ls, "ls_in_l2_unknown", 0, "1", "output;");
  },
};
