// ls_in_arp_rsp (ovn-northd(8) ingress table 19): ARP and IPv6 ND proxies for the known addresses of
// the switch's ports, virtual-port binding, service-monitor and forwarding-group addresses.

import type { Ipv6Net, LportAddresses } from "../addr.js";
import {
  formatIpv4,
  formatIpv6,
  formatMac,
  ipv6Net,
  parseIp,
  parseIpv4,
  parseIpv6,
  parseMac,
} from "../addr.js";
import { monitoredBackendsByPort } from "../lb.js";
import type { LflowSink, StageBuilder } from "../lflow/api.js";
import type { NorthdModel, SwitchDatapath, SwitchPort } from "../model.js";
import { rowId } from "../model.js";
import { DedupSink, firstForwardingGroup, globalBool, lsBool, portOpts, q, withMeter } from "./util.js";

/** The ARP reply to a request for `ip`, answered with `mac`. */
export function arpReply(mac: string, ip: string): string {
  return (
    `eth.dst = eth.src; eth.src = ${mac}; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = ${mac}; ` +
    `arp.tpa = arp.spa; arp.spa = ${ip}; outport = inport; flags.loopback = 1; output;`
  );
}

/** The neighbour advertisement answering a solicitation for `ip` with `mac` (nd_na or nd_na_router). */
export function ndReply(kind: "nd_na" | "nd_na_router", mac: string, ip: string): string {
  return `${kind} { eth.src = ${mac}; ip6.src = ${ip}; nd.target = ${ip}; nd.tll = ${mac}; outport = inport; flags.loopback = 1; output; };`;
}

export function nsMatch(n: Ipv6Net): string {
  return `nd_ns && ip6.dst == {${n.addrS}, ${n.snAddrS}} && nd.target == ${n.addrS}`;
}

/** The addresses a port answers for: its own, or for a router port "router", its peer's networks. */
export function answeredAddresses(p: SwitchPort): readonly LportAddresses[] {
  if (p.type === "router" && p.hasRouterAddr && p.peer !== undefined)
    return [p.peer.networks, ...p.addresses];
  return p.addresses;
}

function knownIps(ls: SwitchDatapath, p: SwitchPort, model: NorthdModel, sink: LflowSink): void {
  const isRouter = p.type === "router";
  if (!isRouter && p.type !== "localport" && !globalBool(model, "ignore_lsp_down", true) && p.nb.up !== true)
    return;
  if (p.type === "external" || p.type === "virtual" || p.hasUnknown) return;
  if (lsBool(ls, "vlan-passthru", false)) return;
  const inport = ` && inport == ${q(p.name)}`;
  for (const a of answeredAddresses(p)) {
    for (const n of a.ipv4) {
      const m = `arp.tpa == ${n.addrS} && arp.op == 1`;
      sink.add(ls, "ls_in_arp_rsp", 50, m, arpReply(a.macS, n.addrS), portOpts(p, false));
      sink.add(ls, "ls_in_arp_rsp", 100, `${m}${inport}`, "next;", portOpts(p));
    }
    for (const n of a.ipv6) {
      const m = nsMatch(n);
      const reply = ndReply(isRouter ? "nd_na_router" : "nd_na", a.macS, n.addrS);
      sink.add(ls, "ls_in_arp_rsp", 50, m, reply, withMeter(ls, model, "nd-na", portOpts(p, false)));
      sink.add(ls, "ls_in_arp_rsp", 100, `${m}${inport}`, "next;", portOpts(p));
    }
  }
  const proxy = isRouter ? p.nb.options.get("arp_proxy") : undefined;
  const mac = p.peer?.networks.macS;
  if (proxy !== undefined && mac !== undefined) {
    const ips = proxyArpIpv4s(proxy);
    if (ips.length > 0)
      sink.add(
        ls,
        "ls_in_arp_rsp",
        50,
        `arp.op == 1 && arp.tpa == {${ips.join(",")}}`,
        `eth.dst = eth.src; eth.src = ${mac}; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = ${mac}; ` +
          "arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; output;",
        portOpts(p, false),
      );
  }
}

/**
 * The IPv4 addresses of options:arp_proxy, a whitespace-separated list of IPv4/IPv6 addresses or
 * networks: a network stands for its address part (as ovn-northd 23.03 matches it), and one word that
 * is not an address voids the whole list.
 */
export function proxyArpIpv4s(proxy: string): string[] {
  const out: string[] = [];
  for (const w of proxy.trim().split(/\s+/)) {
    if (w === "") continue;
    const [addr = "", plen, extra] = w.split("/");
    if (extra !== undefined || (plen !== undefined && !/^[0-9]{1,3}$/.test(plen))) return [];
    const v4 = parseIpv4(addr);
    if (v4 !== undefined) {
      if (plen !== undefined && Number(plen) > 32) return [];
      out.push(formatIpv4(v4));
    } else if (parseIpv6(addr) === undefined || (plen !== undefined && Number(plen) > 128)) return [];
  }
  return out;
}

/** bind_vport flows: a parent port claims a virtual port when it speaks for the virtual IP. */
function virtualParents(ls: SwitchDatapath, v: SwitchPort, sink: LflowSink): void {
  const vip = parseIp(v.nb.options.get("virtual-ip") ?? "");
  const parents = (v.nb.options.get("virtual-parents") ?? "").split(",").filter((s) => s !== "");
  if (vip === undefined) return;
  for (const name of parents) {
    const parent = ls.ports.find((x) => x.name === name);
    if (parent === undefined) continue;
    let m: string;
    if (vip.family === 4) {
      const ip = formatIpv4(vip.addr);
      m = `inport == ${q(name)} && ((arp.op == 1 && arp.spa == ${ip} && arp.tpa == ${ip}) || (arp.op == 2 && arp.spa == ${ip}))`;
    } else {
      const n = ipv6Net(vip.addr, 128);
      m = `inport == ${q(name)} && ((${nsMatch(n)}) ||(nd_na && nd.target == ${n.addrS}))`;
    }
    sink.add(ls, "ls_in_arp_rsp", 100, m, `bind_vport(${q(v.name)}, inport); next;`, portOpts(parent));
  }
}

/** Service monitors probe LB backends from a source IP that the switch must answer ARP/ND for. */
/**
 * ARP/ND answers for the health-check probes' source IP on the switch of each monitored backend's
 * port (the backend must resolve it to send its reply), whether or not the load balancer is applied
 * to that switch.
 */
function svcMonitorSources(ls: SwitchDatapath, model: NorthdModel, sink: LflowSink): void {
  const mac = model.svcMonitorMac;
  const byPort = monitoredBackendsByPort(model.loadBalancers);
  if (byPort.size === 0) return;
  for (const p of ls.ports)
    for (const { lb, backend } of byPort.get(p.name) ?? []) {
      const src = parseIp(backend.monitorSrcIp);
      if (src === undefined) continue;
      if (src.family === 4) {
        const ip = formatIpv4(src.addr);
        sink.add(ls, "ls_in_arp_rsp", 110, `arp.tpa == ${ip} && arp.op == 1`, arpReply(mac, ip), {
          hint: lb.uuid,
        });
      } else {
        const ip = formatIpv6(src.addr);
        sink.add(
          ls,
          "ls_in_arp_rsp",
          110,
          `nd_ns && nd.target == ${ip}`,
          `nd_na { eth.dst = eth.src; eth.src = ${mac}; ip6.src = ${ip}; nd.target = ${ip}; nd.tll = ${mac}; outport = inport; flags.loopback = 1; output; };`,
          { hint: lb.uuid },
        );
      }
    }
}

function forwardingGroups(ls: SwitchDatapath, model: NorthdModel, sink: LflowSink): void {
  for (const u of firstForwardingGroup(ls)) {
    const fg = model.nb.get("Forwarding_Group", rowId(u));
    const vip = fg === undefined ? undefined : parseIpv4(fg.vip);
    const mac = fg === undefined ? undefined : parseMac(fg.vmac);
    if (fg === undefined || vip === undefined || mac === undefined) continue;
    const ip = formatIpv4(vip);
    sink.add(ls, "ls_in_arp_rsp", 50, `arp.tpa == ${ip} && arp.op == 1`, arpReply(formatMac(mac), ip), {
      hint: fg._uuid,
    });
  }
}

export const arpNd: StageBuilder = {
  name: "ls_arp_rsp",
  switchDp(ls, model, outer) {
    // Two ports may claim the same IP: the real northd keeps the first flow, whatever its hint.
    const sink = new DedupSink(outer);
    sink.add(ls, "ls_in_arp_rsp", 0, "1", "next;");
    for (const p of ls.ports) {
      if (p.type === "localnet") {
        sink.add(ls, "ls_in_arp_rsp", 100, `inport == ${q(p.name)}`, "next;", portOpts(p));
        continue;
      }
      if (p.type === "vtep") continue;
      knownIps(ls, p, model, sink);
    }
    for (const p of ls.ports) if (p.type === "virtual") virtualParents(ls, p, sink);
    svcMonitorSources(ls, model, sink);
    forwardingGroups(ls, model, sink);
  },
};
