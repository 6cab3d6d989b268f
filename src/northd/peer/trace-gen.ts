// Random NB configurations and microflows for the ovn-trace differential (./trace-diff.test.ts), from a
// seeded PRNG so that a seed names one configuration for good. A configuration is a few switches with
// VIF ports (MAC + IPv4, some IPv6, some "unknown", some with port security), maybe a router on all of
// them — a gateway router or a distributed one with a gateway port on an external switch with a
// localnet port — with static routes, SNAT / DNAT-and-SNAT, load balancers on switches and router, and
// ACLs on port groups that name address sets. Microflows are the packets a VM or the outside could
// send there: L2 to a neighbour, routed to another subnet, to the router, ARP, to a VIP, to the outside,
// spoofed, from the localnet port, IPv6 echo, ND for a neighbour.
//
// Names carry the configuration's prefix, so several configurations can share one NB (disjoint
// topologies; port groups and address sets have their own names).

import type { Scenario } from "./harness.js";

/** mulberry32: small, fast, good enough to pick topologies; the same seed gives the same stream. */
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

class Pick {
  constructor(private readonly rnd: () => number) {}
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  one<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.rnd() * xs.length)];
    if (x === undefined) throw new Error("pick from an empty list");
    return x;
  }
  some<T>(xs: readonly T[], p: number): T[] {
    return xs.filter(() => this.chance(p));
  }
}

const hex = (n: number): string => (n & 0xff).toString(16).padStart(2, "0");

interface Vif {
  readonly name: string;
  readonly sw: number;
  readonly mac: string;
  readonly ip: string;
  readonly ip6: string | undefined;
  /** Addresses are only "unknown": no MAC or IP of its own. */
  readonly unknownOnly: boolean;
  readonly portSecurity: boolean;
}

interface SwitchPlan {
  readonly name: string;
  readonly index: number;
  readonly v6: boolean;
  readonly vifs: Vif[];
  /** MAC of the router port on this switch, if a router is attached. */
  routerMac: string | undefined;
}

export interface Microflow {
  /** What the packet is meant to test (for failure messages). */
  readonly what: string;
  /** The microflow expression (ovn-trace(8)). */
  readonly flow: string;
  /** Extra ovn-trace options (--ct=..., --lb-dst=...). */
  readonly options: readonly string[];
}

export interface TraceConfig {
  readonly seed: number;
  readonly prefix: string;
  /** ovn-nbctl argument lists. */
  readonly commands: string[][];
  readonly flows: Microflow[];
}

const PROTOS = ["icmp4", "tcp22", "tcp80", "tcpHigh", "udp"] as const;
type Proto = (typeof PROTOS)[number];

function l4(proto: Proto): string {
  switch (proto) {
    case "icmp4":
      return "icmp4 && icmp4.type == 8 && icmp4.code == 0";
    case "tcp22":
      return "tcp && tcp.src == 33000 && tcp.dst == 22";
    case "tcp80":
      return "tcp && tcp.src == 33001 && tcp.dst == 80";
    case "tcpHigh":
      return "tcp && tcp.src == 33002 && tcp.dst == 5001";
    case "udp":
      return "udp && udp.src == 33003 && udp.dst == 53";
  }
}

/** Builds configuration `seed` with names prefixed by `prefix` (default "t<seed>"). */
export function generateConfig(seed: number, prefix = `t${seed}`, flowCount = 10): TraceConfig {
  const p = new Pick(prng(seed * 7919 + 17));
  const P = prefix;
  const cmds: string[][] = [];
  const tag = seed & 0xff;
  const switches: SwitchPlan[] = [];
  const nSw = p.int(1, 3);
  for (let i = 0; i < nSw; i++) {
    const sw: SwitchPlan = { name: `${P}s${i}`, index: i, v6: p.chance(0.5), vifs: [], routerMac: undefined };
    cmds.push(["ls-add", sw.name]);
    const nVif = p.int(1, 4);
    for (let j = 0; j < nVif; j++) {
      const unknownOnly = j > 0 && p.chance(0.08);
      const vif: Vif = {
        name: `${P}s${i}p${j}`,
        sw: i,
        mac: `0a:00:${hex(tag)}:${hex(i)}:00:${hex(j + 2)}`,
        ip: `10.0.${i}.${j + 10}`,
        ip6: sw.v6 ? `fd00:${i}::${j + 10}` : undefined,
        unknownOnly,
        portSecurity: !unknownOnly && p.chance(0.45),
      };
      const addr = [vif.mac, vif.ip, ...(vif.ip6 !== undefined ? [vif.ip6] : [])].join(" ");
      const addrs = unknownOnly ? ["unknown"] : p.chance(0.12) ? [addr, "unknown"] : [addr];
      cmds.push(["lsp-add", sw.name, vif.name], ["lsp-set-addresses", vif.name, ...addrs]);
      if (vif.portSecurity) cmds.push(["lsp-set-port-security", vif.name, p.chance(0.3) ? vif.mac : addr]);
      sw.vifs.push(vif);
    }
    switches.push(sw);
  }
  const vifs = switches.flatMap((s) => s.vifs);
  const known = vifs.filter((v) => !v.unknownOnly);

  // Router: on every switch; a gateway router, or distributed with a gateway port, or neither.
  const hasRouter = nSw > 1 || p.chance(0.7);
  const router = `${P}r`;
  const routerKind = !hasRouter ? "none" : p.one(["gateway", "distributed", "distributed", "internal"]);
  const ext = routerKind === "gateway" || routerKind === "distributed";
  const extMac = `0a:ff:${hex(tag)}:ee:00:01`;
  const lnPort = `${P}ext-ln`;
  if (hasRouter) {
    cmds.push(["lr-add", router]);
    if (routerKind === "gateway") cmds.push(["set", "Logical_Router", router, "options:chassis=hv1"]);
    for (const sw of switches) {
      sw.routerMac = `0a:ff:${hex(tag)}:${hex(sw.index)}:00:01`;
      const lrp = `${router}-s${sw.index}`;
      const nets = [`10.0.${sw.index}.1/24`, ...(sw.v6 ? [`fd00:${sw.index}::1/64`] : [])];
      cmds.push(
        ["lrp-add", router, lrp, sw.routerMac, ...nets],
        ["lsp-add", sw.name, `${sw.name}-r`],
        ["lsp-set-type", `${sw.name}-r`, "router"],
        ["lsp-set-addresses", `${sw.name}-r`, "router"],
        ["lsp-set-options", `${sw.name}-r`, `router-port=${lrp}`],
      );
    }
    if (ext) {
      const es = `${P}ext`;
      cmds.push(
        ["ls-add", es],
        ["lsp-add", es, lnPort],
        ["lsp-set-type", lnPort, "localnet"],
        ["lsp-set-addresses", lnPort, "unknown"],
        ["lsp-set-options", lnPort, "network_name=phys"],
        ["lrp-add", router, `${router}-ext`, extMac, "172.16.0.1/24"],
        ["lsp-add", es, `${es}-r`],
        ["lsp-set-type", `${es}-r`, "router"],
        ["lsp-set-addresses", `${es}-r`, "router"],
        ["lsp-set-options", `${es}-r`, `router-port=${router}-ext`],
        ["lr-route-add", router, "0.0.0.0/0", "172.16.0.254"],
      );
      if (routerKind === "distributed") cmds.push(["lrp-set-gateway-chassis", `${router}-ext`, "hv1", "10"]);
    }
    // Static routes to a VM acting as a router for 192.168.x.0/24; sometimes ECMP.
    if (known.length > 0 && p.chance(0.6)) {
      const via = p.one(known);
      cmds.push(["lr-route-add", router, "192.168.7.0/24", via.ip]);
      const other = p.one(known);
      if (other !== via && p.chance(0.4))
        cmds.push(["--ecmp", "lr-route-add", router, "192.168.7.0/24", other.ip]);
    }
    if (p.chance(0.3)) cmds.push(["lr-route-add", router, "192.168.9.0/24", "discard"]);
  }

  // NAT on routers with an external side.
  const fips: { external: string; vif: Vif }[] = [];
  if (ext) {
    for (const sw of switches)
      if (p.chance(0.6)) cmds.push(["lr-nat-add", router, "snat", "172.16.0.1", `10.0.${sw.index}.0/24`]);
    for (const [n, vif] of p.some(known, 0.35).slice(0, 2).entries()) {
      const external = `172.16.0.${100 + n}`;
      fips.push({ external, vif });
      const distributed = routerKind === "distributed" && p.chance(0.5);
      cmds.push([
        "lr-nat-add",
        router,
        "dnat_and_snat",
        external,
        vif.ip,
        ...(distributed ? [vif.name, `0a:aa:${hex(tag)}:00:00:${hex(n + 1)}`] : []),
      ]);
    }
  }

  // Load balancers: a VIP on a switch (and the router, when it can have one).
  const vips: { vip: string; proto: "tcp" | "udp"; backends: string[] }[] = [];
  if (known.length > 0 && p.chance(0.6)) {
    const backends = p.some(known, 0.6);
    if (backends.length === 0) backends.push(p.one(known));
    const proto = p.chance(0.8) ? "tcp" : "udp";
    const vip = "10.0.200.10";
    vips.push({ vip, proto, backends: backends.map((b) => `${b.ip}:8080`) });
    cmds.push(["lb-add", `${P}lb`, `${vip}:80`, backends.map((b) => `${b.ip}:8080`).join(","), proto]);
    for (const sw of p.some(switches, 0.7)) cmds.push(["ls-lb-add", sw.name, `${P}lb`]);
    if (ext && p.chance(0.6)) cmds.push(["lr-lb-add", router, `${P}lb`]);
  }

  // ACLs on a port group, naming an address set; one on a switch.
  if (known.length > 0 && p.chance(0.75)) {
    const pg = `${P}pg`;
    const as = `${P}as`;
    const members = p.some(vifs, 0.6);
    if (members.length === 0) members.push(p.one(vifs));
    cmds.push(["pg-add", pg, ...members.map((m) => m.name)]);
    const asIps = p.some(known, 0.5).map((v) => v.ip);
    cmds.push(["create", "Address_Set", `name=${as}`, `addresses=${JSON.stringify(asIps.join(","))}`]);
    const n = p.int(1, 4);
    for (let i = 0; i < n; i++) {
      const [dir, match] = p.one([
        ["from-lport", `inport == @${pg} && ip4.src == $${as} && icmp4`],
        ["from-lport", `inport == @${pg} && tcp.dst == 22`],
        ["to-lport", `outport == @${pg} && ip4.src == $${as}`],
        ["to-lport", `outport == @${pg} && udp`],
        ["from-lport", `inport == @${pg} && ip4`],
      ] as const);
      const action = p.one(["allow", "allow-related", "drop", "reject", "allow-stateless"]);
      cmds.push(["acl-add", pg, dir, String(1000 + i * 10), match, action]);
    }
    const sw = p.one(switches);
    if (p.chance(0.4))
      cmds.push([
        "acl-add",
        sw.name,
        "from-lport",
        "900",
        `ip4.dst == 10.0.${(sw.index + 1) % 3}.0/24 && udp`,
        "drop",
      ]);
  }

  const flows = microflows(p, flowCount, {
    switches,
    known,
    hasRouter,
    ext,
    extMac,
    lnPort,
    fips,
    vips,
  });
  return { seed, prefix, commands: cmds, flows };
}

interface Plan {
  switches: SwitchPlan[];
  known: Vif[];
  hasRouter: boolean;
  ext: boolean;
  extMac: string;
  lnPort: string;
  fips: { external: string; vif: Vif }[];
  vips: { vip: string; proto: "tcp" | "udp"; backends: string[] }[];
}

const q = (s: string): string => JSON.stringify(s);

function ipv4(src: Vif, dstMac: string, srcIp: string, dstIp: string, proto: Proto): string {
  return `inport == ${q(src.name)} && eth.src == ${src.mac} && eth.dst == ${dstMac} && ip4.src == ${srcIp} && ip4.dst == ${dstIp} && ip.ttl == 64 && ${l4(proto)}`;
}

function microflows(p: Pick, n: number, plan: Plan): Microflow[] {
  const out: Microflow[] = [];
  const { known } = plan;
  if (known.length === 0) return out;
  const kinds = [
    "l2",
    "routed",
    "router-ip",
    "arp",
    "vip",
    "outside",
    "spoof",
    "from-outside",
    "ipv6",
    "nd",
    "ct-new",
  ];
  for (let i = 0; out.length < n && i < n * 5; i++) {
    const kind = p.one(kinds);
    const src = p.one(known);
    const sw = plan.switches[src.sw];
    if (sw === undefined) continue;
    const proto = p.one(PROTOS);
    const rmac = sw.routerMac;
    switch (kind) {
      case "l2": {
        const dst = p.one(sw.vifs.filter((v) => !v.unknownOnly));
        out.push({
          what: `l2 ${src.name}→${dst.name} ${proto}`,
          flow: ipv4(src, dst.mac, src.ip, dst.ip, proto),
          options: [],
        });
        break;
      }
      case "routed": {
        const dst = p.one(known);
        if (rmac === undefined) break;
        out.push({
          what: `routed ${src.name}→${dst.name} ${proto}`,
          flow: ipv4(src, rmac, src.ip, dst.ip, proto),
          options: [],
        });
        break;
      }
      case "router-ip": {
        if (rmac === undefined) break;
        out.push({
          what: `ping router from ${src.name}`,
          flow: ipv4(src, rmac, src.ip, `10.0.${sw.index}.1`, "icmp4"),
          options: [],
        });
        break;
      }
      case "arp": {
        const tpa =
          p.chance(0.5) && rmac !== undefined
            ? `10.0.${sw.index}.1`
            : p.one(known.filter((v) => v.sw === src.sw)).ip;
        out.push({
          what: `arp ${src.name} who-has ${tpa}`,
          flow: `inport == ${q(src.name)} && eth.src == ${src.mac} && eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && arp.sha == ${src.mac} && arp.spa == ${src.ip} && arp.tha == 00:00:00:00:00:00 && arp.tpa == ${tpa}`,
          options: [],
        });
        break;
      }
      case "vip": {
        const v = plan.vips[0];
        if (v === undefined || rmac === undefined) break;
        const l =
          v.proto === "tcp"
            ? "tcp && tcp.src == 33010 && tcp.dst == 80"
            : "udp && udp.src == 33010 && udp.dst == 80";
        out.push({
          what: `${src.name} to VIP ${v.vip} ${v.proto}`,
          flow: `inport == ${q(src.name)} && eth.src == ${src.mac} && eth.dst == ${rmac} && ip4.src == ${src.ip} && ip4.dst == ${v.vip} && ip.ttl == 64 && ${l}`,
          // ovn-trace picks a backend of its own otherwise, not always the same one.
          options: [`--lb-dst=${p.one(v.backends)}`, ...(p.chance(0.5) ? ["--ct=new"] : [])],
        });
        break;
      }
      case "outside": {
        if (rmac === undefined) break;
        out.push({
          what: `${src.name} to 8.8.8.8 ${proto}`,
          flow: ipv4(src, rmac, src.ip, p.one(["8.8.8.8", "192.168.7.5", "192.168.9.9"]), proto),
          options: [],
        });
        break;
      }
      case "spoof": {
        const mac = p.chance(0.5) ? "0a:bb:bb:bb:bb:bb" : src.mac;
        const ip = mac === src.mac ? "10.99.99.99" : src.ip;
        const dst = p.one(sw.vifs.filter((v) => !v.unknownOnly));
        out.push({
          what: `spoofed from ${src.name} (${mac} ${ip})`,
          flow: `inport == ${q(src.name)} && eth.src == ${mac} && eth.dst == ${dst.mac} && ip4.src == ${ip} && ip4.dst == ${dst.ip} && ip.ttl == 64 && ${l4(proto)}`,
          options: [],
        });
        break;
      }
      case "from-outside": {
        if (!plan.ext) break;
        const fip = plan.fips.length > 0 && p.chance(0.7) ? p.one(plan.fips).external : "172.16.0.1";
        out.push({
          what: `outside to ${fip} ${proto}`,
          flow: `inport == ${q(plan.lnPort)} && eth.src == 0a:ee:ee:ee:ee:01 && eth.dst == ${plan.extMac} && ip4.src == 8.8.4.4 && ip4.dst == ${fip} && ip.ttl == 64 && ${l4(proto)}`,
          options: p.chance(0.5) ? ["--ct=new"] : [],
        });
        break;
      }
      case "ipv6": {
        if (src.ip6 === undefined) break;
        const dst = p.one(known.filter((v) => v.ip6 !== undefined));
        const dmac = dst.sw === src.sw ? dst.mac : (rmac ?? dst.mac);
        out.push({
          what: `ping6 ${src.name}→${dst.name}`,
          flow: `inport == ${q(src.name)} && eth.src == ${src.mac} && eth.dst == ${dmac} && ip6.src == ${src.ip6} && ip6.dst == ${dst.ip6 ?? ""} && ip.ttl == 64 && icmp6 && icmp6.type == 128 && icmp6.code == 0`,
          options: [],
        });
        break;
      }
      case "nd": {
        const neighbour = sw.vifs.find((v) => v !== src && v.ip6 !== undefined);
        if (src.ip6 !== undefined && neighbour?.ip6 !== undefined) {
          // Neighbour solicitation for a neighbour's address (answered by the switch). Not for the
          // router's: ovn-trace 23.03 aborts on the router's nd_na_router action.
          const last = neighbour.ip6.split(":").pop() ?? "";
          out.push({
            what: `nd ${src.name} for ${neighbour.name}`,
            flow: `inport == ${q(src.name)} && eth.src == ${src.mac} && eth.dst == 33:33:ff:00:00:${last.padStart(2, "0")} && ip6.src == ${src.ip6} && ip6.dst == ff02::1:ff00:${last} && nd.target == ${neighbour.ip6} && nd_ns && nd.sll == ${src.mac} && ip.ttl == 255`,
            options: [],
          });
        }
        break;
      }
      case "ct-new": {
        const dst = p.one(known);
        const dmac = dst.sw === src.sw ? dst.mac : rmac;
        if (dmac === undefined) break;
        out.push({
          what: `new connection ${src.name}→${dst.name} ${proto}`,
          flow: ipv4(src, dmac, src.ip, dst.ip, proto),
          options: ["--ct=new"],
        });
        break;
      }
    }
  }
  return out;
}

/**
 * The configuration as a scenario: all at once, or (seeds divisible by 3) its first half at once and the
 * rest as steps. Routes always come at once (the split moves past the last one): ECMP members are
 * numbered in an order that follows the rows' uuids, and rows a step adds get different uuids on the
 * two NBs.
 */
export function traceScenario(cfg: TraceConfig): Scenario {
  if (cfg.seed % 3 !== 0) return { name: `seed ${cfg.seed}`, commands: cfg.commands };
  let split = Math.ceil(cfg.commands.length / 2);
  cfg.commands.forEach((c, i) => {
    if (c.includes("lr-route-add")) split = Math.max(split, i + 1);
  });
  return {
    name: `seed ${cfg.seed}`,
    commands: cfg.commands.slice(0, split),
    steps: cfg.commands.slice(split),
  };
}
