// The scenario matrix's topologies (test/scenarios/peer/*.test.ts: l2, routing, acl, nat, lb, localnet,
// pinctrl) as data, for the ofproto/trace differential: the same logical networks, addresses and chassis
// placement, with what a generated packet can reach.  One stack of two chassis (bridge mappings
// phys:br-phys) runs them one after another, so each is a list of nbctl commands plus its VIFs.
import { attach } from "../support/nbctl-build.js";
import type { Endpoint, TraceFlow } from "./oftrace.js";

export interface VifSpec extends Endpoint {
  /** Logical switch. */
  readonly ls: string;
  /** 0-based chassis index. */
  readonly hv: number;
  /** Not waited for to be up (localports, disabled ports). */
  readonly noWait?: boolean;
  /** A container port: it has no interface of its own, its packets come VLAN-tagged from its parent's. */
  readonly parent?: string;
  /** The container port's VLAN tag (what northd gave it). */
  readonly tag?: number;
}

export interface Topology {
  readonly name: string;
  /** ovn-nbctl argument lists, run in order ("$PREV" stands for the last non-empty output, e.g. a created row's UUID). */
  readonly nb: readonly (readonly string[])[];
  /**
   * ovn-sbctl argument lists run once the VIFs are up: what a chassis would have written (e.g. a virtual
   * port's virtual_parent, as if pinctrl had seen the parent's GARP), so that the controllers' handling of
   * it is compared without the packet.
   */
  readonly sb?: readonly (readonly string[])[];
  /**
   * Frames sent from VIFs (chassis index, logical port) once the topology is up, e.g. IGMP/MLD reports, so
   * that what the controllers learn from them is in place when tracing; then `igmpGroups` are waited for:
   * "ADDRESS CHASSIS PORT", an IGMP_Group row of that address and chassis with that port among its ports.
   */
  readonly inject?: readonly { readonly hv: number; readonly vif: string; readonly frame: Uint8Array }[];
  readonly igmpGroups?: readonly string[];
  /** VIFs, bound in order; name is the logical port. */
  readonly vifs: readonly VifSpec[];
  /** Each switch's router port (the gateway of its VIFs). */
  readonly gateways: Readonly<Record<string, Endpoint>>;
  /** Addresses beyond each switch's gateway. */
  readonly routed: Readonly<Record<string, readonly { ip: string; tcpPort?: number }[]>>;
  /** IPv6 addresses beyond each switch's gateway. */
  readonly routed6?: Readonly<Record<string, readonly string[]>>;
  /** Frames from the physical network: traced on br-phys from the uplink, on every chassis. */
  readonly uplink?: readonly TraceFlow[];
  /** Extra flows traced from one VIF (protocol answers the controller makes). */
  readonly extra?: Readonly<Record<string, readonly TraceFlow[]>>;
  /**
   * Changes made after the first comparison (nbctl argument lists), after which everything is traced
   * again: the controllers must get there incrementally and still agree.
   */
  readonly churn?: readonly (readonly string[])[];
  /** Logical ports that must be bound (Port_Binding.chassis set) before tracing, e.g. chassisredirect ports. */
  readonly bound?: readonly string[];
  /** Logical port → the chassis it must be bound to after the churn (a gateway failover) before tracing. */
  readonly boundAfterChurn?: Readonly<Record<string, string>>;
  /**
   * Chassis (0-based) that a datapath leaves in the churn (a gateway router moved away): the real
   * ovn-controller drops local datapaths only on a full recompute, so it keeps that datapath's flows and
   * groups there (inert: no port of it is local any more).  Groups only it has on them are not counted.
   */
  readonly churnLeaves?: readonly number[];
  /** The chassis's encapsulation while the topology runs (default Geneve; put back afterwards). */
  readonly encap?: "vxlan";
}

function lsp(v: VifSpec, extra: string[] = []): string[][] {
  const addr = [v.mac, v.ip, v.ip6].filter((x) => x !== undefined).join(" ");
  return [
    ["lsp-add", v.ls, v.name, "--", "lsp-set-addresses", v.name, addr],
    ...(extra.length > 0 ? [extra] : []),
  ];
}

// --- l2 -------------------------------------------------------------------------------------------------
const l2Vifs: VifSpec[] = [
  { name: "p1", ls: "sw0", hv: 0, mac: "f0:00:00:00:00:01", ip: "10.0.0.1", ip6: "fd00::1" },
  { name: "p2", ls: "sw0", hv: 0, mac: "f0:00:00:00:00:02", ip: "10.0.0.2", ip6: "fd00::2" },
  { name: "p3", ls: "sw0", hv: 1, mac: "f0:00:00:00:00:03", ip: "10.0.0.3", ip6: "fd00::3" },
  { name: "pp", ls: "sw0", hv: 0, mac: "f0:00:00:00:00:0a", ip: "10.0.0.10" },
];
const l2Unknown: VifSpec[] = [
  { name: "pu1", ls: "sw0", hv: 1, mac: "0a:00:00:00:00:91", ip: "10.0.0.91" },
  { name: "pu2", ls: "sw0", hv: 0, mac: "0a:00:00:00:00:92", ip: "10.0.0.92" },
];
const l2: Topology = {
  name: "l2",
  nb: [
    ["ls-add", "sw0"],
    ...l2Vifs.slice(0, 3).flatMap((v) => {
      const a = `${v.mac} ${v.ip} ${v.ip6}`;
      return [
        ["lsp-add", "sw0", v.name, "--", "lsp-set-addresses", v.name, a],
        ["lsp-set-port-security", v.name, a],
      ];
    }),
    ...lsp(l2Vifs[3] as VifSpec),
    ["lsp-add", "sw0", "cc", "pp", "42", "--", "lsp-set-addresses", "cc", "f0:00:00:00:00:0c 10.0.0.12"],
    ...l2Unknown.map((v) => ["lsp-add", "sw0", v.name, "--", "lsp-set-addresses", v.name, "unknown"]),
  ],
  vifs: [...l2Vifs, ...l2Unknown],
  gateways: {},
  routed: {},
  extra: {
    pp: [
      {
        label: "from container cc (vlan 42)",
        flow: "udp,dl_vlan=42,dl_src=f0:00:00:00:00:0c,dl_dst=f0:00:00:00:00:02,nw_src=10.0.0.12,nw_dst=10.0.0.2,nw_ttl=64,udp_src=5,udp_dst=6",
      },
    ],
  },
  churn: [
    ["lsp-del", "p2"],
    ["lsp-set-addresses", "pu1", "0a:00:00:00:00:91 10.0.0.91"],
    ["lsp-set-port-security", "p3", "f0:00:00:00:00:03 10.0.0.3"],
  ],
};

// --- routing --------------------------------------------------------------------------------------------
const RR = {
  ls1: { name: "r-ls1", mac: "00:00:00:01:00:01", ip: "10.0.1.1", ip6: "fd00:1::1" },
  ls2: { name: "r-ls2", mac: "00:00:00:01:00:02", ip: "10.0.2.1", ip6: "fd00:2::1" },
  ext: { name: "r-ext", mac: "00:00:00:01:00:03", ip: "172.16.0.1", ip6: "fd00:3::1" },
};
const routingVifs: VifSpec[] = [
  { name: "a1", ls: "ls1", hv: 0, mac: "f0:00:00:01:00:11", ip: "10.0.1.11", ip6: "fd00:1::11" },
  { name: "b1", ls: "ls2", hv: 0, mac: "f0:00:00:02:00:11", ip: "10.0.2.11", ip6: "fd00:2::11" },
  { name: "b2", ls: "ls2", hv: 1, mac: "f0:00:00:02:00:12", ip: "10.0.2.12" },
  { name: "n1", ls: "ext", hv: 0, mac: "f0:00:00:03:00:11", ip: "172.16.0.11" },
  { name: "n2", ls: "ext", hv: 0, mac: "f0:00:00:03:00:12", ip: "172.16.0.12" },
];
const routingAll = [
  ...routingVifs.map((v) => ({ ip: v.ip as string })),
  ...Object.values(RR).map((r) => ({ ip: r.ip })),
  { ip: "198.51.100.7" },
  { ip: "203.0.113.9" },
  { ip: "203.0.113.77" },
  { ip: "192.0.2.1" },
];
const routing: Topology = {
  name: "routing",
  nb: [
    ["lr-add", "lr0"],
    ...(["ls1", "ls2", "ext"] as const).flatMap((ls) => [
      ["ls-add", ls],
      ...attach("lr0", RR[ls].name, RR[ls].mac, [`${RR[ls].ip}/24`, `${RR[ls].ip6}/64`], ls, `${ls}-r`),
    ]),
    ["lr-route-add", "lr0", "198.51.100.0/24", "172.16.0.11"],
    ["--ecmp", "lr-route-add", "lr0", "203.0.113.0/24", "172.16.0.11"],
    ["--ecmp", "lr-route-add", "lr0", "203.0.113.0/24", "172.16.0.12"],
    ...routingVifs.flatMap((v) => lsp(v)),
  ],
  vifs: routingVifs,
  gateways: RR,
  routed: { ls1: routingAll, ls2: routingAll, ext: routingAll },
  routed6: { ls1: ["fd00:2::11", "fd00:3::1", "fd00:9::1"], ls2: ["fd00:1::11", "fd00:1::1"] },
  churn: [
    ["lr-route-del", "lr0", "198.51.100.0/24"],
    ["lr-route-add", "lr0", "192.0.2.0/24", "10.0.2.12"],
    ["lsp-set-addresses", "b1", "f0:00:00:02:00:11 10.0.2.11"],
  ],
};

// --- acl ------------------------------------------------------------------------------------------------
const aclVifs: VifSpec[] = [
  { name: "c1", ls: "sw0", hv: 0, mac: "f0:00:00:00:00:11", ip: "10.0.0.11" },
  { name: "c2", ls: "sw0", hv: 0, mac: "f0:00:00:00:00:12", ip: "10.0.0.12" },
  { name: "w1", ls: "sw0", hv: 0, mac: "f0:00:00:00:00:21", ip: "10.0.0.21" },
  { name: "w2", ls: "sw0", hv: 1, mac: "f0:00:00:00:00:22", ip: "10.0.0.22" },
];
const acl: Topology = {
  name: "acl",
  nb: [
    ["ls-add", "sw0"],
    ...aclVifs.flatMap((v) => lsp(v)),
    ["pg-add", "pg_web", "w1", "w2"],
    ["create", "Address_Set", "name=clients", 'addresses=["10.0.0.11"]'],
    [
      "acl-add",
      "pg_web",
      "to-lport",
      "1002",
      "outport == @pg_web && ip4.src == $clients && tcp.dst == 80",
      "allow-related",
    ],
    ["acl-add", "pg_web", "to-lport", "1001", "outport == @pg_web && ip4", "drop"],
    ["acl-add", "pg_web", "from-lport", "1001", "inport == @pg_web && ip4", "drop"],
    ["qos-add", "sw0", "from-lport", "100", 'inport == "c2" && udp', "dscp=46"],
  ],
  vifs: aclVifs,
  gateways: {},
  routed: {},
  extra: Object.fromEntries(
    ["c1", "c2"].map((c, i) => [
      c,
      ["w1", "w2"].map((w, j) => ({
        label: `tcp/80 ${c} to ${w}`,
        flow: `tcp,dl_src=f0:00:00:00:00:1${i + 1},dl_dst=f0:00:00:00:00:2${j + 1},nw_src=10.0.0.1${i + 1},nw_dst=10.0.0.2${j + 1},nw_ttl=64,tcp_src=40000,tcp_dst=80,tcp_flags=0x002`,
      })),
    ]),
  ),
  churn: [
    ["pg-set-ports", "pg_web", "w1"],
    ["add", "Address_Set", "clients", "addresses", '"10.0.0.12"'],
    ["acl-del", "pg_web", "from-lport", "1001", "inport == @pg_web && ip4"],
  ],
};

// --- nat ------------------------------------------------------------------------------------------------
const GR = {
  a: { name: "gr0-a", mac: "00:00:00:10:00:01", ip: "10.0.1.1" },
  ext: { name: "gr0-ext", mac: "00:00:00:10:00:02", ip: "172.16.0.1" },
};
const LR1 = {
  b: { name: "lr1-b", mac: "00:00:00:20:00:01", ip: "10.0.2.1" },
  ext: { name: "lr1-ext", mac: "00:00:00:20:00:02", ip: "172.16.0.2" },
};
const natVifs: VifSpec[] = [
  { name: "vmA", ls: "lsa", hv: 0, mac: "f0:00:00:01:00:11", ip: "10.0.1.11" },
  { name: "vmA2", ls: "lsa", hv: 1, mac: "f0:00:00:01:00:12", ip: "10.0.1.12" },
  { name: "vmB", ls: "lsb", hv: 1, mac: "f0:00:00:02:00:11", ip: "10.0.2.11" },
  { name: "vmB2", ls: "lsb", hv: 1, mac: "f0:00:00:02:00:12", ip: "10.0.2.12" },
  { name: "ext1", ls: "ext", hv: 0, mac: "f0:00:00:ee:00:01", ip: "172.16.0.100" },
  { name: "ext2", ls: "ext", hv: 1, mac: "f0:00:00:ee:00:02", ip: "172.16.0.101" },
];
const natExtTargets = [
  { ip: "172.16.0.100" },
  { ip: "172.16.0.101" },
  { ip: "172.16.0.1" },
  { ip: "172.16.0.2" },
  { ip: "172.16.0.10" },
  { ip: "172.16.0.20" },
  { ip: "172.16.0.30", tcpPort: 80 },
];
const nat: Topology = {
  name: "nat",
  nb: [
    ["ls-add", "lsa"],
    ["ls-add", "lsb"],
    ["ls-add", "ext"],
    ["lr-add", "gr0", "--", "set", "Logical_Router", "gr0", "options:chassis=hv1"],
    ...attach("gr0", "gr0-a", GR.a.mac, [`${GR.a.ip}/24`], "lsa"),
    ...attach("gr0", "gr0-ext", GR.ext.mac, [`${GR.ext.ip}/24`], "ext"),
    ["lr-add", "lr1"],
    ...attach("lr1", "lr1-b", LR1.b.mac, [`${LR1.b.ip}/24`], "lsb"),
    ...attach("lr1", "lr1-ext", LR1.ext.mac, [`${LR1.ext.ip}/24`], "ext"),
    ["lrp-set-gateway-chassis", "lr1-ext", "hv1", "20"],
    ["lr-nat-add", "gr0", "snat", "172.16.0.1", "10.0.1.0/24"],
    ["lr-nat-add", "gr0", "dnat", "172.16.0.10", "10.0.1.11"],
    ["lb-add", "lb0", "172.16.0.30:80", "10.0.1.11:8080", "tcp"],
    ["lr-lb-add", "gr0", "lb0"],
    ...natVifs.flatMap((v) => lsp(v)),
    ["lr-nat-add", "lr1", "dnat_and_snat", "172.16.0.20", "10.0.2.11", "vmB", "f0:00:00:00:20:11"],
    ["lr-nat-add", "lr1", "snat", "172.16.0.2", "10.0.2.0/24"],
  ],
  vifs: natVifs,
  // ext has two routers; the VIFs there reach both router IPs as neighbours and route through gr0.
  gateways: { lsa: GR.a, lsb: LR1.b, ext: GR.ext },
  routed: {
    lsa: natExtTargets,
    lsb: natExtTargets,
    ext: [{ ip: "10.0.1.11" }, { ip: "10.0.1.12" }, { ip: "10.0.2.11" }],
  },
  bound: ["cr-lr1-ext"],
  extra: {
    ext1: [
      {
        label: "to the floating IP via lr1",
        flow: "udp,dl_src=f0:00:00:ee:00:01,dl_dst=00:00:00:20:00:02,nw_src=172.16.0.100,nw_dst=172.16.0.20,nw_ttl=64,udp_src=7,udp_dst=9",
      },
      {
        label: "arp for the floating IP",
        flow: "arp,dl_src=f0:00:00:ee:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=172.16.0.100,arp_tpa=172.16.0.20,arp_sha=f0:00:00:ee:00:01,arp_tha=00:00:00:00:00:00",
      },
    ],
    ext2: [
      {
        label: "to the floating IP via lr1",
        flow: "udp,dl_src=f0:00:00:ee:00:02,dl_dst=00:00:00:20:00:02,nw_src=172.16.0.101,nw_dst=172.16.0.20,nw_ttl=64,udp_src=7,udp_dst=9",
      },
    ],
  },
  churn: [
    ["lr-nat-del", "lr1", "dnat_and_snat", "172.16.0.20"],
    ["lr-nat-add", "gr0", "dnat_and_snat", "172.16.0.40", "10.0.1.12"],
  ],
};

// --- lb -------------------------------------------------------------------------------------------------
const LB = {
  r1: { name: "r1", mac: "00:00:00:30:00:01", ip: "10.0.3.1" },
  r2: { name: "r2", mac: "00:00:00:30:00:02", ip: "10.0.4.1" },
};
const lbVifs: VifSpec[] = [
  { name: "c", ls: "ls1", hv: 0, mac: "f0:00:00:03:00:11", ip: "10.0.3.11" },
  { name: "b1", ls: "ls2", hv: 0, mac: "f0:00:00:04:00:21", ip: "10.0.4.21" },
];
const lb: Topology = {
  name: "lb",
  nb: [
    ["ls-add", "ls1"],
    ["ls-add", "ls2"],
    ["lr-add", "lr0"],
    ...attach("lr0", "r1", LB.r1.mac, [`${LB.r1.ip}/24`], "ls1"),
    ...attach("lr0", "r2", LB.r2.mac, [`${LB.r2.ip}/24`], "ls2"),
    ...lbVifs.flatMap((v) => lsp(v)),
    ["lb-add", "web", "10.0.3.100:80", "10.0.4.21:8080", "tcp"],
    ["ls-lb-add", "ls1", "web"],
  ],
  vifs: lbVifs,
  gateways: { ls1: LB.r1, ls2: LB.r2 },
  routed: {
    ls1: [{ ip: "10.0.3.100", tcpPort: 80 }, { ip: "10.0.4.21" }, { ip: "10.0.4.1" }],
    ls2: [{ ip: "10.0.3.11" }, { ip: "10.0.3.100", tcpPort: 80 }],
  },
  churn: [["set", "Load_Balancer", "web", 'vips:"10.0.3.100:80"="10.0.4.21:8080,10.0.4.21:8081"']],
};

// --- localnet -------------------------------------------------------------------------------------------
const lnVifs: VifSpec[] = [
  { name: "v1", ls: "pub", hv: 0, mac: "f0:00:00:00:00:01", ip: "10.0.5.1" },
  { name: "v2", ls: "pub", hv: 1, mac: "f0:00:00:00:00:02", ip: "10.0.5.2" },
];
const localnet: Topology = {
  name: "localnet",
  nb: [
    ["ls-add", "pub"],
    ["lsp-add", "pub", "ln", "", "100"],
    ["lsp-set-type", "ln", "localnet", "--", "lsp-set-addresses", "ln", "unknown"],
    ["lsp-set-options", "ln", "network_name=phys"],
    ...lnVifs.flatMap((v) => lsp(v)),
  ],
  vifs: lnVifs,
  gateways: {},
  routed: {},
  uplink: [
    ...lnVifs.map((v) => ({
      label: `tagged 100 to ${v.name}`,
      flow: `udp,dl_vlan=100,dl_src=f0:00:00:00:00:99,dl_dst=${v.mac},nw_src=10.0.5.99,nw_dst=${v.ip},nw_ttl=64,udp_src=7,udp_dst=9`,
    })),
    {
      label: "tagged 100 broadcast",
      flow: "udp,dl_vlan=100,dl_src=f0:00:00:00:00:99,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=10.0.5.99,nw_dst=10.0.5.255,nw_ttl=64,udp_src=7,udp_dst=9",
    },
    {
      label: "tagged 100 arp for v1",
      flow: "arp,dl_vlan=100,dl_src=f0:00:00:00:00:99,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.0.5.99,arp_tpa=10.0.5.1,arp_sha=f0:00:00:00:00:99,arp_tha=00:00:00:00:00:00",
    },
    {
      label: "untagged to v1",
      flow: "udp,dl_src=f0:00:00:00:00:99,dl_dst=f0:00:00:00:00:01,nw_src=10.0.5.99,nw_dst=10.0.5.1,nw_ttl=64,udp_src=7,udp_dst=9",
    },
    {
      label: "tagged 200 to v1",
      flow: "udp,dl_vlan=200,dl_src=f0:00:00:00:00:99,dl_dst=f0:00:00:00:00:01,nw_src=10.0.5.99,nw_dst=10.0.5.1,nw_ttl=64,udp_src=7,udp_dst=9",
    },
  ],
  churn: [["set", "Logical_Switch_Port", "ln", "tag_request=200"]],
};

// --- pinctrl --------------------------------------------------------------------------------------------
const R0 = { name: "r0", mac: "00:00:00:00:ff:01", ip: "10.0.0.1", ip6: "fd00:1::1" };
const VM1: VifSpec = {
  name: "vm1",
  ls: "sw0",
  hv: 0,
  mac: "f0:00:00:00:00:01",
  ip: "10.0.0.11",
  ip6: "fd00:1::11",
};
const pinctrl: Topology = {
  name: "pinctrl",
  nb: [
    ["ls-add", "sw0"],
    ["lr-add", "lr0"],
    ...attach("lr0", "r0", R0.mac, [`${R0.ip}/24`, `${R0.ip6}/64`], "sw0", "sw0-r0"),
    ["set", "Logical_Router_Port", "r0", "ipv6_ra_configs:address_mode=slaac"],
    ...lsp(VM1),
  ],
  vifs: [VM1],
  gateways: { sw0: R0 },
  routed: { sw0: [{ ip: "8.8.8.8" }] },
  // The DHCP options go: the DISCOVER is no longer answered by the controller.
  churn: [["lsp-set-dhcpv4-options", "vm1"]],
  extra: {
    vm1: [
      {
        label: "dhcp discover",
        flow: "udp,dl_src=f0:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64,udp_src=68,udp_dst=67",
      },
      {
        label: "dns query",
        flow: "udp,dl_src=f0:00:00:00:00:01,dl_dst=00:00:00:00:ff:01,nw_src=10.0.0.11,nw_dst=8.8.8.8,nw_ttl=64,udp_src=5353,udp_dst=53",
      },
      {
        label: "router solicitation",
        flow: "icmp6,dl_src=f0:00:00:00:00:01,dl_dst=33:33:00:00:00:02,ipv6_src=fe80::f200:ff:fe00:1,ipv6_dst=ff02::2,nw_ttl=255,icmpv6_type=133,icmpv6_code=0",
      },
    ],
  },
};

/** DHCP and DNS rows of the pinctrl topology: made with `create`, which prints the new row's UUID. */
export const PINCTRL_ROWS = {
  dhcp: [
    "create",
    "DHCP_Options",
    "cidr=10.0.0.0/24",
    `options="lease_time"="3600" "router"="10.0.0.1" "server_id"="10.0.0.1" "server_mac"="00:00:00:00:ff:01" "dns_server"="8.8.8.8"`,
  ],
  dns: ["create", "DNS", 'records={"vm2.ovn.test"="10.0.0.12"}'],
} as const;

// --- ports (not a matrix scenario: port types the others lack) --------------------------------------
// sw1: q1 (hv1), q2 (hv2), a localport lp plugged on both chassis (as OpenStack's metadata port is), a
// disabled port qd (hv1) and a port qm with port security on its MAC only (hv2).
const portsVifs: VifSpec[] = [
  { name: "q1", ls: "sw1", hv: 0, mac: "f0:00:00:07:00:01", ip: "10.0.7.1" },
  { name: "q2", ls: "sw1", hv: 1, mac: "f0:00:00:07:00:02", ip: "10.0.7.2" },
  { name: "lp", ls: "sw1", hv: 0, mac: "f0:00:00:07:00:0a", ip: "10.0.7.10", noWait: true },
  { name: "lp", ls: "sw1", hv: 1, mac: "f0:00:00:07:00:0a", ip: "10.0.7.10", noWait: true },
  { name: "qd", ls: "sw1", hv: 0, mac: "f0:00:00:07:00:0d", ip: "10.0.7.13", noWait: true },
  { name: "qm", ls: "sw1", hv: 1, mac: "f0:00:00:07:00:0e", ip: "10.0.7.14" },
];
const ports: Topology = {
  name: "ports",
  nb: [
    ["ls-add", "sw1"],
    ...lsp(portsVifs[0] as VifSpec),
    ...lsp(portsVifs[1] as VifSpec),
    ...lsp(portsVifs[2] as VifSpec, ["lsp-set-type", "lp", "localport"]),
    ...lsp(portsVifs[4] as VifSpec, ["lsp-set-enabled", "qd", "disabled"]),
    ...lsp(portsVifs[5] as VifSpec, ["lsp-set-port-security", "qm", "f0:00:00:07:00:0e"]),
  ],
  vifs: portsVifs,
  gateways: {},
  routed: {},
  churn: [
    ["lsp-set-enabled", "qd", "enabled"],
    ["lsp-set-port-security", "qm"],
    ["lsp-set-addresses", "q2", "f0:00:00:07:00:02 10.0.7.2 10.0.7.22"],
  ],
};

// --- containers (not a matrix scenario: nested containers and QoS queues) -------------------------
// sw2: VIFs k1 (hv1) and k2 (hv2); containers kc10 (tag 10) and kc1 (tag_request 0: northd gives it 1)
// inside k1, kc30 (tag 30) inside k2; k2 has a QoS rate (a qdisc queue on its chassis); a router
// port so that containers route too.
const K_GW = { name: "k-r", mac: "00:00:00:08:00:01", ip: "10.0.8.1" };
const containerVifs: VifSpec[] = [
  { name: "k1", ls: "sw2", hv: 0, mac: "f0:00:00:08:00:01", ip: "10.0.8.11" },
  { name: "k2", ls: "sw2", hv: 1, mac: "f0:00:00:08:00:02", ip: "10.0.8.12" },
  {
    name: "kc10",
    ls: "sw2",
    hv: 0,
    mac: "f0:00:00:08:00:10",
    ip: "10.0.8.20",
    parent: "k1",
    tag: 10,
    noWait: true,
  },
  {
    name: "kc1",
    ls: "sw2",
    hv: 0,
    mac: "f0:00:00:08:00:11",
    ip: "10.0.8.21",
    parent: "k1",
    tag: 1,
    noWait: true,
  },
  {
    name: "kc30",
    ls: "sw2",
    hv: 1,
    mac: "f0:00:00:08:00:30",
    ip: "10.0.8.30",
    parent: "k2",
    tag: 30,
    noWait: true,
  },
];
const containers: Topology = {
  name: "containers",
  nb: [
    ["ls-add", "sw2"],
    ...lsp(containerVifs[0] as VifSpec),
    ...lsp(containerVifs[1] as VifSpec, [
      "lsp-set-options",
      "k2",
      "qos_max_rate=1000000",
      "qos_burst=100000",
    ]),
    ["lsp-add", "sw2", "kc10", "k1", "10", "--", "lsp-set-addresses", "kc10", "f0:00:00:08:00:10 10.0.8.20"],
    ["lsp-add", "sw2", "kc1", "k1", "0", "--", "lsp-set-addresses", "kc1", "f0:00:00:08:00:11 10.0.8.21"],
    ["lsp-add", "sw2", "kc30", "k2", "30", "--", "lsp-set-addresses", "kc30", "f0:00:00:08:00:30 10.0.8.30"],
    ["lr-add", "lr2"],
    ...attach("lr2", "k-r", K_GW.mac, [`${K_GW.ip}/24`], "sw2"),
    ["lrp-add", "lr2", "k-out", "00:00:00:08:00:02", "10.0.9.1/24"],
  ],
  vifs: containerVifs,
  gateways: { sw2: K_GW },
  routed: { sw2: [{ ip: "10.0.9.1" }, { ip: "10.0.9.50" }] },
  churn: [
    ["set", "Logical_Switch_Port", "kc10", "tag_request=11"],
    ["lsp-set-options", "k2"],
  ],
};

// --- provider (not a matrix scenario: a router on a VLAN provider network) ------------------------------
// prov: VLAN 100 localnet, a VM pv1 (hv2) on it, and lr4's distributed gateway port (gateway hv1) with
// SNAT and a distributed floating IP for t2 (hv2) on the tenant switch ten; tv, a VLAN 200 tenant
// network routed on the gateway chassis (reside-on-redirect-chassis) with tv1 on hv2; churn makes the
// redirect bridged (over the localnet instead of a tunnel) and drops the floating IP.
const PV = {
  prov: { name: "lr4-prov", mac: "00:00:00:40:00:01", ip: "172.24.0.1" },
  ten: { name: "lr4-ten", mac: "00:00:00:40:00:02", ip: "10.0.40.1" },
  tv: { name: "lr4-tv", mac: "00:00:00:41:00:01", ip: "10.0.41.1" },
};
const providerVifs: VifSpec[] = [
  { name: "t1", ls: "ten", hv: 0, mac: "f0:00:00:40:00:11", ip: "10.0.40.11" },
  { name: "t2", ls: "ten", hv: 1, mac: "f0:00:00:40:00:12", ip: "10.0.40.12" },
  { name: "pv1", ls: "prov", hv: 1, mac: "f0:00:00:24:00:11", ip: "172.24.0.11" },
  { name: "tv1", ls: "tv", hv: 1, mac: "f0:00:00:41:00:11", ip: "10.0.41.11" },
];
const upl = (label: string, flow: string): TraceFlow => ({ label, flow });
const provider: Topology = {
  name: "provider",
  nb: [
    ["ls-add", "prov"],
    ["lsp-add", "prov", "ln-prov", "", "100"],
    ["lsp-set-type", "ln-prov", "localnet", "--", "lsp-set-addresses", "ln-prov", "unknown"],
    ["lsp-set-options", "ln-prov", "network_name=phys"],
    ["ls-add", "ten"],
    ["lr-add", "lr4"],
    ...attach("lr4", "lr4-prov", PV.prov.mac, [`${PV.prov.ip}/24`], "prov"),
    ...attach("lr4", "lr4-ten", PV.ten.mac, [`${PV.ten.ip}/24`], "ten"),
    ["lrp-set-gateway-chassis", "lr4-prov", "hv1", "20"],
    // A VLAN tenant network routed centrally, on the gateway chassis (reside-on-redirect-chassis).
    ["ls-add", "tv"],
    ["lsp-add", "tv", "ln-tv", "", "200"],
    ["lsp-set-type", "ln-tv", "localnet", "--", "lsp-set-addresses", "ln-tv", "unknown"],
    ["lsp-set-options", "ln-tv", "network_name=phys"],
    ...attach("lr4", "lr4-tv", PV.tv.mac, [`${PV.tv.ip}/24`], "tv"),
    ["lrp-set-options", "lr4-tv", "reside-on-redirect-chassis=true"],
    ["lr-nat-add", "lr4", "snat", "172.24.0.1", "10.0.41.0/24"],
    ["lr-route-add", "lr4", "0.0.0.0/0", "172.24.0.254"],
    ["lr-nat-add", "lr4", "snat", "172.24.0.1", "10.0.40.0/24"],
    ...providerVifs.flatMap((v) => lsp(v)),
    ["lr-nat-add", "lr4", "dnat_and_snat", "172.24.0.20", "10.0.40.12", "t2", "f0:00:00:00:40:20"],
  ],
  vifs: providerVifs,
  gateways: { ten: PV.ten, prov: PV.prov, tv: PV.tv },
  routed: {
    ten: [{ ip: "172.24.0.11" }, { ip: "172.24.0.99" }, { ip: "8.8.8.8" }, { ip: "172.24.0.1" }],
    tv: [{ ip: "10.0.40.11" }, { ip: "172.24.0.11" }, { ip: "8.8.8.8" }],
    prov: [{ ip: "10.0.40.11" }, { ip: "10.0.40.12" }],
  },
  bound: ["cr-lr4-prov"],
  uplink: [
    upl(
      "tagged 100 to the floating IP (its MAC)",
      "udp,dl_vlan=100,dl_src=f0:00:00:24:00:99,dl_dst=f0:00:00:00:40:20,nw_src=172.24.0.99,nw_dst=172.24.0.20,nw_ttl=64,udp_src=7,udp_dst=9",
    ),
    upl(
      "tagged 100 to the floating IP (router MAC)",
      "udp,dl_vlan=100,dl_src=f0:00:00:24:00:99,dl_dst=00:00:00:40:00:01,nw_src=172.24.0.99,nw_dst=172.24.0.20,nw_ttl=64,udp_src=7,udp_dst=9",
    ),
    upl(
      "tagged 100 to the SNAT address",
      "udp,dl_vlan=100,dl_src=f0:00:00:24:00:99,dl_dst=00:00:00:40:00:01,nw_src=172.24.0.99,nw_dst=172.24.0.1,nw_ttl=64,udp_src=7,udp_dst=9",
    ),
    upl(
      "tagged 100 arp for the floating IP",
      "arp,dl_vlan=100,dl_src=f0:00:00:24:00:99,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=172.24.0.99,arp_tpa=172.24.0.20,arp_sha=f0:00:00:24:00:99,arp_tha=00:00:00:00:00:00",
    ),
    upl(
      "tagged 100 arp for the router",
      "arp,dl_vlan=100,dl_src=f0:00:00:24:00:99,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=172.24.0.99,arp_tpa=172.24.0.1,arp_sha=f0:00:00:24:00:99,arp_tha=00:00:00:00:00:00",
    ),
    upl(
      "tagged 100 to pv1",
      "udp,dl_vlan=100,dl_src=f0:00:00:24:00:99,dl_dst=f0:00:00:24:00:11,nw_src=172.24.0.99,nw_dst=172.24.0.11,nw_ttl=64,udp_src=7,udp_dst=9",
    ),
  ],
  churn: [
    ["lrp-set-redirect-type", "lr4-prov", "bridged"],
    ["lr-nat-del", "lr4", "dnat_and_snat", "172.24.0.20"],
  ],
};

export const TOPOLOGIES: readonly Topology[] = [
  l2,
  routing,
  acl,
  nat,
  lb,
  localnet,
  pinctrl,
  ports,
  containers,
  provider,
];
