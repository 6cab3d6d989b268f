// The ofproto/trace differential's pure half (issue 7): the packets to trace, generated from a
// topology's addresses with a seeded PRNG, and the normalisation of a trace's "Datapath actions:" that
// removes what legitimately differs between two chassis built the same way by different controllers
// (datapath port numbers, ct zone numbers, recirculation and meter ids).  No I/O here: the peer test
// gathers the name maps from the running chassis and hands them in.

/** An address a generated packet can come from or go to. */
export interface Endpoint {
  readonly name: string;
  readonly mac: string;
  readonly ip?: string;
  readonly ip6?: string;
}

/** A VIF that packets are traced from, and what it can reach. */
export interface TraceSource extends Endpoint {
  /** Interface name on br-int (the ofproto/trace in_port). */
  readonly iface: string;
  /** Same-switch neighbours (VIFs and router ports), reachable by their MAC. */
  readonly neighbours: readonly Endpoint[];
  /** The router port on this switch, when there is one: the next hop for everything else. */
  readonly gateway?: Endpoint;
  /** Addresses beyond the gateway (other subnets' hosts, router IPs, NAT and LB VIPs). */
  readonly routed: readonly { readonly ip: string; readonly tcpPort?: number }[];
  /** IPv6 addresses beyond the gateway. */
  readonly routed6?: readonly string[];
}

/** One packet to trace: a flow in ovs-ofctl syntax (without in_port) and a label for reports. */
export interface TraceFlow {
  readonly label: string;
  readonly flow: string;
}

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BCAST = "ff:ff:ff:ff:ff:ff";

/** The solicited-node multicast address and MAC of an IPv6 address (RFC 4291 §2.7.1). */
export function solicitedNode(ip6: string): { ip: string; mac: string } {
  const groups = expand6(ip6);
  const g6 = groups[6] ?? 0;
  const g7 = groups[7] ?? 0;
  const low = ((g6 & 0xff) << 16) | g7;
  const b = [(low >> 16) & 0xff, (low >> 8) & 0xff, low & 0xff].map((x) => x.toString(16).padStart(2, "0"));
  return {
    ip: `ff02::1:ff${b[0]}:${b[1]}${b[2]}`,
    mac: `33:33:ff:${b[0]}:${b[1]}:${b[2]}`,
  };
}

function expand6(ip6: string): number[] {
  const [head = "", tail] = ip6.split("::");
  const h = head === "" ? [] : head.split(":").map((x) => Number.parseInt(x, 16));
  const t = tail === undefined || tail === "" ? [] : tail.split(":").map((x) => Number.parseInt(x, 16));
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/**
 * The packets traced from one VIF: unicast UDP/TCP to every neighbour, broadcast, ARP requests for every
 * neighbour IP, IPv6 neighbour solicitations, routed traffic to every address beyond the gateway (random
 * protocol and L4 ports, and once with TTL 1), ICMP echo to the gateway, TCP to every VIP port, a frame to
 * an unknown MAC and one with a spoofed source.  Deterministic for a given `rand`.
 */
export function generateFlows(src: TraceSource, rand: () => number): TraceFlow[] {
  const port = () => 1024 + Math.floor(rand() * 60000);
  const out: TraceFlow[] = [];
  const eth = (dst: string) => `dl_src=${src.mac},dl_dst=${dst}`;
  // ovs-ofctl's exact-flow parser wants the protocol first, then L3, then L4 fields (prerequisites).
  const l4 = (): string => {
    const r = rand();
    if (r < 0.45) return `udp|udp_src=${port()},udp_dst=${port()}`;
    if (r < 0.9) return `tcp|tcp_src=${port()},tcp_dst=${port()},tcp_flags=0x002`;
    return "icmp|icmp_type=8,icmp_code=0";
  };
  const ip4 = (proto: string, dst: string, ttl = 64) => {
    const [p, fields] = proto.split("|");
    return `${p},nw_src=${src.ip},nw_dst=${dst},nw_ttl=${ttl}${fields !== undefined ? `,${fields}` : ""}`;
  };
  if (src.ip !== undefined) {
    for (const n of src.neighbours) {
      if (n.ip !== undefined) {
        const proto = l4();
        out.push({ label: `${proto.split("|")[0]} to ${n.name}`, flow: `${ip4(proto, n.ip)},${eth(n.mac)}` });
        out.push({
          label: `arp for ${n.name}`,
          flow: `arp,${eth(BCAST)},arp_op=1,arp_spa=${src.ip},arp_tpa=${n.ip},arp_sha=${src.mac},arp_tha=00:00:00:00:00:00`,
        });
      }
    }
    const bcastDst = `${src.ip.split(".").slice(0, 3).join(".")}.255`;
    out.push({
      label: "broadcast",
      flow: `${ip4(`udp|udp_src=${port()},udp_dst=${port()}`, bcastDst)},${eth(BCAST)}`,
    });
    out.push({
      label: "unknown MAC",
      flow: `${ip4(`udp|udp_src=${port()},udp_dst=${port()}`, bcastDst.replace(/255$/, "250"))},${eth("0a:00:00:00:00:fe")}`,
    });
    const nb = src.neighbours[Math.floor(rand() * src.neighbours.length)];
    if (nb?.ip !== undefined)
      out.push({
        label: `first fragment to ${nb.name}`,
        flow: `${ip4(`udp|udp_src=${port()},udp_dst=${port()}`, nb.ip)},nw_frag=first,${eth(nb.mac)}`,
      });
    const spoof = src.neighbours.find((n) => n.ip !== undefined);
    if (spoof?.ip !== undefined)
      out.push({
        label: "spoofed source IP",
        flow: `udp,nw_src=10.99.99.99,nw_dst=${spoof.ip},nw_ttl=64,udp_src=1,udp_dst=2,${eth(spoof.mac)}`,
      });
    if (src.gateway !== undefined) {
      const gw = src.gateway;
      if (gw.ip !== undefined)
        out.push({
          label: "ping gateway",
          flow: `${ip4("icmp|icmp_type=8,icmp_code=0", gw.ip)},${eth(gw.mac)}`,
        });
      for (const r of src.routed) {
        const proto =
          r.tcpPort !== undefined ? `tcp|tcp_src=${port()},tcp_dst=${r.tcpPort},tcp_flags=0x002` : l4();
        out.push({
          label: `${proto.split("|")[0]} routed to ${r.ip}`,
          flow: `${ip4(proto, r.ip)},${eth(gw.mac)}`,
        });
      }
      const first = src.routed[Math.floor(rand() * src.routed.length)];
      if (first !== undefined)
        out.push({
          label: `ttl 1 to ${first.ip}`,
          flow: `${ip4(`udp|udp_src=${port()},udp_dst=${port()}`, first.ip, 1)},${eth(gw.mac)}`,
        });
    }
  }
  if (src.ip6 !== undefined) {
    for (const n of src.neighbours) {
      if (n.ip6 === undefined) continue;
      const sn = solicitedNode(n.ip6);
      out.push({
        label: `nd ns for ${n.name}`,
        flow: `icmp6,${eth(sn.mac)},ipv6_src=${src.ip6},ipv6_dst=${sn.ip},nw_ttl=255,icmpv6_type=135,icmpv6_code=0,nd_target=${n.ip6},nd_sll=${src.mac}`,
      });
      out.push({
        label: `udp6 to ${n.name}`,
        flow: `udp6,${eth(n.mac)},ipv6_src=${src.ip6},ipv6_dst=${n.ip6},nw_ttl=64,udp_src=${port()},udp_dst=${port()}`,
      });
    }
  }
  const gw6 = src.gateway?.ip6 !== undefined ? src.gateway : undefined;
  if (src.ip6 !== undefined && gw6 !== undefined) {
    const udp6 = (dst: string, hlimit: number) =>
      `udp6,${eth(gw6.mac)},ipv6_src=${src.ip6},ipv6_dst=${dst},nw_ttl=${hlimit},udp_src=${port()},udp_dst=${port()}`;
    for (const dst of src.routed6 ?? []) out.push({ label: `udp6 routed to ${dst}`, flow: udp6(dst, 64) });
    const first = src.routed6?.[0];
    if (first !== undefined) out.push({ label: `hop limit 1 to ${first}`, flow: udp6(first, 1) });
    out.push({
      label: "ping6 gateway",
      flow: `icmp6,${eth(gw6.mac)},ipv6_src=${src.ip6},ipv6_dst=${gw6.ip6},nw_ttl=64,icmpv6_type=128,icmpv6_code=0`,
    });
  }
  return out;
}

/** What a chassis's names are for the numbers in its datapath actions. */
export interface DpNames {
  /** Datapath port number → a name that is the same on both stacks (interface name, or tunnel-to-IP). */
  readonly ports: ReadonlyMap<number, string>;
  /** ct zone number → what it belongs to (logical port, or datapath name + _dnat/_snat). */
  readonly zones: ReadonlyMap<number, string>;
  /**
   * Ports whose deliveries are left out: the underlay bridge's own (LOCAL) port receives a copy of a
   * localnet frame only while that learning bridge has not learnt the destination MAC — a property of the
   * harness's physical network and of what went over it before, not of br-int's flows.
   */
  readonly ignore?: ReadonlySet<string>;
}

/** Splits at top-level commas (not inside parentheses). */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur !== "") out.push(cur);
  return out;
}

/**
 * One "Datapath actions:" value with chassis-specific numbers replaced by names: output ports, tnl_port/
 * out_port, ct zones; recirculation and meter ids by their order of appearance (R1, R2 … per trace).
 */
export function normalizeActions(
  actions: string,
  names: DpNames,
  ids: Map<string, string> = new Map(),
): string {
  // A tunnel port's name ends in a counter (ovn-hv2-0, ovn-hv2-1 …) that both controllers advance when they
  // replace a tunnel (a changed encapsulation or IP), so its value depends on timing, not on behaviour.
  const port = (n: string) => (names.ports.get(Number(n)) ?? `port?${n}`).replace(/^(ovn-.+)-\d+$/, "$1-N");
  const id = (kind: string, v: string) => {
    const k = `${kind}:${v}`;
    let got = ids.get(k);
    if (got === undefined) {
      got = `${kind}${[...ids.keys()].filter((x) => x.startsWith(`${kind}:`)).length + 1}`;
      ids.set(k, got);
    }
    return got;
  };
  return splitTop(actions)
    .map((tok) => {
      if (/^\d+$/.test(tok)) return port(tok);
      const nested = /^(clone|sample|check_pkt_len)\((.*)\)$/.exec(tok);
      if (nested?.[1] !== undefined && nested[2] !== undefined && nested[1] === "clone")
        return `clone(${normalizeActions(nested[2], names, ids)})`;
      return (
        tok
          .replace(/zone=(\d+)/g, (_, z: string) => `zone=${names.zones.get(Number(z)) ?? `?${z}`}`)
          // A packet-in's userspace action names the rule's cookie (the logical flow's UUID, different per
          // stack) and a recirculation id for the continuation.
          .replace(/rule_cookie=0x[0-9a-f]+/g, "rule_cookie=C")
          .replace(
            /recirc_id=(\d+)/g,
            (_, r: string) => `recirc_id=${id("R", `0x${Number(r).toString(16)}`)}`,
          )
          .replace(/recirc\((0x[0-9a-f]+|\d+)\)/g, (_, r: string) => `recirc(${id("R", r)})`)
          .replace(/meter\((\d+)\)/g, (_, m: string) => `meter(${id("M", m)})`)
          // The underlay's MACs (each br-phys's own, and the neighbour entries the harness set) are not the
          // controller's doing.
          .replace(/eth\(dst=[0-9a-f:]+,src=[0-9a-f:]+,/g, "eth(dst=M,src=M,")
          .replace(/tnl_port\((\d+)\)/g, (_, p: string) => `tnl_port(${port(p)})`)
          .replace(/out_port\((\d+)\)/g, (_, p: string) => `out_port(${port(p)})`)
          .replace(/actions\((.*)\)$/, (_, a: string) => `actions(${normalizeActions(a, names, ids)})`)
      );
    })
    .join(",");
}

/**
 * A run of deliveries — outputs with VLAN pushes/pops and clones between them, nothing else — is a set:
 * the order in which a flood visits a multicast group's ports follows the group's member order, which
 * is the order of Southbound UUIDs and so differs between any two runs.  Each output becomes "the VLAN
 * tags pushed so far > port" and the run is sorted; a list with anything else in it is kept as it is.
 */
export function canonicalDeliveries(actions: string, ignore: ReadonlySet<string> = new Set()): string {
  const out = deliveries(actions, []);
  if (out === undefined) {
    // Not a pure flood: ignored ports still go (where br-phys's NORMAL action puts its LOCAL port among
    // its outputs depends on what it has learnt and on port numbers, not on the controller).
    if (ignore.size === 0) return actions;
    const kept = splitTop(actions).filter((t) => !ignore.has(t));
    return kept.length === 0 ? "drop" : kept.join(",");
  }
  const kept = out.filter((d) => !ignore.has(d.slice(d.lastIndexOf(" > ") + 3)));
  return kept.length === 0 ? "drop" : kept.sort().join(" ; ");
}

/** Datapath actions without arguments: not port names. */
const BARE_ACTIONS = new Set(["drop", "ct_clear", "pop_eth", "pop_nsh", "pop_mpls"]);

/** Each output as "state > port", state being the pushes (VLAN, tunnel) in effect; undefined if not a flood. */
function deliveries(actions: string, outer: readonly string[]): string[] | undefined {
  const state = [...outer];
  const out: string[] = [];
  for (const t of splitTop(actions)) {
    if (t.startsWith("push_vlan(") || t.startsWith("tnl_push(")) state.push(t);
    else if (t === "pop_vlan" && state.at(-1)?.startsWith("push_vlan(") === true) state.pop();
    else if ((/^[\w.?-]+$/.test(t) && !BARE_ACTIONS.has(t)) || t.startsWith("userspace("))
      out.push(`${state.join(",")} > ${t}`);
    else if (t.startsWith("clone(") && t.endsWith(")")) {
      const inner = deliveries(t.slice(6, -1), state);
      if (inner === undefined) return undefined;
      out.push(...inner);
    } else return undefined;
  }
  return out;
}

/** What a trace did, in a form that compares equal between stacks. */
export interface TraceSummary {
  /** Every pass's normalised datapath actions (one per recirculation), joined by " | ". */
  readonly actions: string;
  /** Whether any pass sends the packet to the controller (packet-in). */
  readonly controller: boolean;
}

/** Summarises one ofproto/trace output (all its "Datapath actions:" lines, in order). */
export function summarizeTrace(text: string, names: DpNames): TraceSummary {
  const ids = new Map<string, string>();
  const lines = [...text.matchAll(/^Datapath actions: (.*)$/gm)].map((m) =>
    canonicalDeliveries(normalizeActions(m[1] ?? "", names, ids), names.ignore),
  );
  const controller = /controller\(|packet-in/i.test(text);
  return { actions: lines.join(" | "), controller };
}

/** Parses `ovs-appctl dpif/show`: "\t\tNAME OFPORT/DPPORT: (TYPE…)" → DPPORT → NAME. */
export function parseDpifShow(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of text.matchAll(/^\s+(\S+) (?:\d+|LOCAL)\/(\d+):/gm))
    if (m[1] !== undefined && m[2] !== undefined) out.set(Number(m[2]), m[1]);
  return out;
}

/** A packet that a trace sent through a tunnel, as it arrives at the other end. */
export interface TunnelHop {
  /** The remote chassis's encapsulation address. */
  readonly to: string;
  /** The flow on arrival (tunnel metadata and the inner packet), without in_port. */
  readonly flow: string;
}

/** Sets `key=value` in an ovs-ofctl flow, replacing the field if it is there. */
function setField(flow: string, key: string, value: string): string {
  const parts = flow.split(",");
  const i = parts.findIndex((p) => p.startsWith(`${key}=`));
  if (i >= 0) parts[i] = `${key}=${value}`;
  else parts.push(`${key}=${value}`);
  return parts.join(",");
}

const SET_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  eth: { src: "dl_src", dst: "dl_dst" },
  ipv4: { src: "nw_src", dst: "nw_dst", ttl: "nw_ttl" },
  ipv6: { src: "ipv6_src", dst: "ipv6_dst", hlimit: "nw_ttl" },
};

/**
 * The packets that the last pass of a trace (normalised actions, as summarizeTrace gives them) pushed
 * into Geneve tunnels: the inner flow is `flow` with the pass's header rewrites (set(eth/ipv4/ipv6))
 * applied, the tunnel fields those of the pushed header (VNI = datapath, option = in/out port keys), so
 * that the receiving chassis's processing can be traced too.
 */
export function tunnelHops(flow: string, actions: string, fromIp: string): TunnelHop[] {
  const last = actions.split(" | ").at(-1) ?? "";
  let inner = flow;
  for (const m of last.matchAll(/set\((eth|ipv4|ipv6)\(([^()]*)\)\)/g)) {
    const names = SET_FIELDS[m[1] ?? ""] ?? {};
    for (const kv of (m[2] ?? "").split(",")) {
      const [k, v] = kv.split("=");
      const field = names[k ?? ""];
      if (field !== undefined && v !== undefined) inner = setField(inner, field, v);
    }
  }
  const out = new Map<string, TunnelHop>();
  const re =
    /tnl_push\(tnl_port\(tunnel-to-([\d.]+)\).*?vni=(0x[0-9a-f]+),options\(\{class=0x102,type=0x80,len=4,(0x[0-9a-f]+)\}\)/g;
  for (const m of last.matchAll(re)) {
    const [, to, vni, opt] = m;
    if (to === undefined || vni === undefined || opt === undefined) continue;
    const hop = { to, flow: `tun_id=${vni},tun_src=${fromIp},tun_dst=${to},tun_metadata0=${opt},${inner}` };
    out.set(`${to} ${hop.flow}`, hop);
  }
  // VXLAN: the VNI carries the datapath and the egress port (no metadata option).
  const vx = /tnl_push\(tnl_port\(tunnel-to-([\d.]+)\).*?vxlan\(flags=0x[0-9a-f]+,vni=(0x[0-9a-f]+)\)/g;
  for (const m of last.matchAll(vx)) {
    const [, to, vni] = m;
    if (to === undefined || vni === undefined) continue;
    const hop = { to, flow: `tun_id=${vni},tun_src=${fromIp},tun_dst=${to},${inner}` };
    out.set(`${to} ${hop.flow}`, hop);
  }
  return [...out.values()];
}
