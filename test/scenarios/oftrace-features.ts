// Feature-dense topologies for the ofproto/trace differential (issue 7; runner: peer/oftrace-run.ts):
// each packs several OVN features that the scenario matrix's topologies leave out, so that what the
// physical and compiled flows DO for them is compared between the real ovn-controller and ovnts.
// (VIP addresses are not shared between LBs and no two routes are alike: the northd differential over
// the same topologies, src/northd/peer/features.test.ts, names flows by the NB row they came from.)
//   gwrouter  gateway router: SNAT, DNAT, dnat_and_snat (v4+v6), LBs with several VIPs (v4+v6, TCP+UDP),
//             skip_snat, lb_force_snat_ip=router_ip, then dnat_force_snat_ip;
//   dgp       distributed router, DGP with two prioritised gateway chassis, a second router whose DGP
//             uses an HA_Chassis_Group, distributed NAT (external_mac + logical_port) on both chassis,
//             centralised dnat_and_snat; churn fails both over;
//   routes    ECMP (incl. ecmp-symmetric-reply), src-ip routes, route tables, router policies (reroute
//             with several nexthops, drop, allow with pkt_mark);
//   aclqos    stateful and stateless ACLs, reject (TCP RST, ICMP unreachable), both directions, port
//             groups, v4+v6 address sets, apply-after-lb, labels, log with a meter; QoS DSCP marking and
//             rate limits in both directions;
//   hairpin   switch LB reached by its own backend, hairpin_snat_ip (v4+v6), an LB group on two
//             switches and their router;
//   vports    virtual port (VIP claimed by ARP from a parent), external port on an HA_Chassis_Group
//             over a VLAN localnet;
//   mcast     IGMP/MLD snooping switches, a multicast relay router, static flood and flood-reports ports,
//             groups learnt from injected IGMPv3/MLDv2 reports;
//   migrate   a multichassis port (requested-chassis=hv1,hv2: live migration), its VIF on both chassis;
//   hairpin-vxlan  the hairpin topology with both chassis on VXLAN;
//   l2gw      an l2gateway port (reaching the physical network through one chassis), moved in the churn.
import { igmpv3Report, mldv2Report } from "../../src/controller/pinctrl/igmp-report.js";
import { attach } from "../support/nbctl-build.js";
import type { Endpoint, TraceFlow } from "./oftrace.js";
import type { Topology, VifSpec } from "./oftrace-topos.js";

function lsp(v: VifSpec, ...extra: string[][]): string[][] {
  const addr = [v.mac, v.ip, v.ip6].filter((x) => x !== undefined).join(" ");
  return [["lsp-add", v.ls, v.name, "--", "lsp-set-addresses", v.name, addr], ...extra];
}

/** nbctl arguments that attach HA_Chassis_Group `group` to a row (the column takes a UUID). */
const haGroupOf = (table: string, row: string, group: string): string[] => [
  "--",
  "--id=@g",
  "get",
  "HA_Chassis_Group",
  group,
  "--",
  "set",
  table,
  row,
  "ha_chassis_group=@g",
];

// Packets the generator does not make (it sends UDP/TCP/ICMP over IPv4, UDP and ND over IPv6).
const tcp4 = (from: Endpoint, dmac: string, dst: string, dport: number, flags = "0x002"): TraceFlow => ({
  label: `tcp ${from.name} to ${dst}:${dport}`,
  flow: `tcp,dl_src=${from.mac},dl_dst=${dmac},nw_src=${from.ip},nw_dst=${dst},nw_ttl=64,tcp_src=40001,tcp_dst=${dport},tcp_flags=${flags}`,
});
const udp4 = (from: Endpoint, dmac: string, dst: string, dport: number): TraceFlow => ({
  label: `udp ${from.name} to ${dst}:${dport}`,
  flow: `udp,dl_src=${from.mac},dl_dst=${dmac},nw_src=${from.ip},nw_dst=${dst},nw_ttl=64,udp_src=40002,udp_dst=${dport}`,
});
const tcp6 = (from: Endpoint, dmac: string, dst: string, dport: number): TraceFlow => ({
  label: `tcp6 ${from.name} to [${dst}]:${dport}`,
  flow: `tcp6,dl_src=${from.mac},dl_dst=${dmac},ipv6_src=${from.ip6},ipv6_dst=${dst},nw_ttl=64,tcp_src=40003,tcp_dst=${dport},tcp_flags=0x002`,
});
const udp6 = (from: Endpoint, dmac: string, dst: string, dport: number): TraceFlow => ({
  label: `udp6 ${from.name} to [${dst}]:${dport}`,
  flow: `udp6,dl_src=${from.mac},dl_dst=${dmac},ipv6_src=${from.ip6},ipv6_dst=${dst},nw_ttl=64,udp_src=40004,udp_dst=${dport}`,
});
const ping6 = (from: Endpoint, dmac: string, dst: string): TraceFlow => ({
  label: `ping6 ${from.name} to ${dst}`,
  flow: `icmp6,dl_src=${from.mac},dl_dst=${dmac},ipv6_src=${from.ip6},ipv6_dst=${dst},nw_ttl=64,icmpv6_type=128,icmpv6_code=0`,
});
const garp = (from: Endpoint, ip: string, label = `garp for ${ip}`): TraceFlow => ({
  label: `${label} from ${from.name}`,
  flow: `arp,dl_src=${from.mac},dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=${ip},arp_tpa=${ip},arp_sha=${from.mac},arp_tha=00:00:00:00:00:00`,
});

// --- gwrouter ------------------------------------------------------------------------------------------
const GW = {
  in: { name: "gr-in", mac: "00:00:00:50:00:01", ip: "10.1.0.1", ip6: "fd01::1" },
  out: { name: "gr-out", mac: "00:00:00:50:00:02", ip: "172.20.0.1", ip6: "fd20::1" },
};
const gwVifs: VifSpec[] = [
  { name: "g1", ls: "gin", hv: 0, mac: "f0:00:00:50:00:11", ip: "10.1.0.11", ip6: "fd01::11" },
  { name: "g2", ls: "gin", hv: 1, mac: "f0:00:00:50:00:12", ip: "10.1.0.12", ip6: "fd01::12" },
  { name: "e1", ls: "gout", hv: 1, mac: "f0:00:00:20:01:00", ip: "172.20.0.100", ip6: "fd20::100" },
];
const [G1, G2, E1] = gwVifs as [VifSpec, VifSpec, VifSpec];
const gwrouter: Topology = {
  name: "gwrouter",
  nb: [
    ["ls-add", "gin"],
    ["ls-add", "gout"],
    ["lr-add", "gr", "--", "set", "Logical_Router", "gr", "options:chassis=hv1"],
    ["set", "Logical_Router", "gr", "options:lb_force_snat_ip=router_ip"],
    ...attach("gr", GW.in.name, GW.in.mac, [`${GW.in.ip}/24`, `${GW.in.ip6}/64`], "gin"),
    ...attach("gr", GW.out.name, GW.out.mac, [`${GW.out.ip}/24`, `${GW.out.ip6}/64`], "gout"),
    ["lr-route-add", "gr", "0.0.0.0/0", "172.20.0.254"],
    ["lr-route-add", "gr", "::/0", "fd20::254"],
    ["lr-nat-add", "gr", "snat", "172.20.0.1", "10.1.0.0/24"],
    ["lr-nat-add", "gr", "snat", "fd20::1", "fd01::/64"],
    ["lr-nat-add", "gr", "dnat", "172.20.0.10", "10.1.0.11"],
    ["lr-nat-add", "gr", "dnat_and_snat", "172.20.0.20", "10.1.0.12"],
    ["lr-nat-add", "gr", "dnat_and_snat", "fd20::20", "fd01::12"],
    ["--stateless", "lr-nat-add", "gr", "dnat_and_snat", "172.20.0.21", "10.1.0.11"],
    ["lb-add", "lbt", "172.20.0.30:80", "10.1.0.11:8080,10.1.0.12:8080", "tcp"],
    ["lb-add", "lbt", "[fd20::30]:80", "[fd01::11]:8080,[fd01::12]:8080", "tcp"],
    ["lb-add", "lbt", "172.20.0.32", "10.1.0.11"],
    ["lb-add", "lbu", "172.20.0.33:53", "10.1.0.11:5353", "udp"],
    ["lb-add", "lbu", "[fd20::33]:53", "[fd01::11]:5353", "udp"],
    ["lb-add", "lbs", "172.20.0.31:80", "10.1.0.12:80", "tcp"],
    ["set", "Load_Balancer", "lbs", "options:skip_snat=true"],
    ["lr-lb-add", "gr", "lbt"],
    ["lr-lb-add", "gr", "lbu"],
    ["lr-lb-add", "gr", "lbs"],
    ...gwVifs.flatMap((v) => lsp(v)),
  ],
  vifs: gwVifs,
  gateways: { gin: GW.in, gout: GW.out },
  routed: {
    gin: [
      { ip: "172.20.0.100" },
      { ip: "172.20.0.10" },
      { ip: "172.20.0.20" },
      { ip: "172.20.0.30", tcpPort: 80 },
      { ip: "172.20.0.31", tcpPort: 80 },
      { ip: "172.20.0.32" },
      { ip: "8.8.8.8" },
    ],
    gout: [
      { ip: "172.20.0.10" },
      { ip: "172.20.0.20" },
      { ip: "172.20.0.21" },
      { ip: "172.20.0.30", tcpPort: 80 },
      { ip: "172.20.0.31", tcpPort: 80 },
      { ip: "172.20.0.32" },
      { ip: "10.1.0.11" },
      { ip: "172.20.0.1" },
    ],
  },
  routed6: { gin: ["fd20::100", "fd20::20", "fd99::1"], gout: ["fd20::20", "fd01::11"] },
  extra: {
    e1: [
      udp4(E1, GW.out.mac, "172.20.0.33", 53),
      tcp6(E1, GW.out.mac, "fd20::30", 80),
      udp6(E1, GW.out.mac, "fd20::33", 53),
      ping6(E1, GW.out.mac, "fd20::20"),
    ],
    g1: [udp4(G1, GW.in.mac, "172.20.0.33", 53), tcp6(G1, GW.in.mac, "fd20::30", 80)],
    g2: [tcp4(G2, GW.in.mac, "172.20.0.30", 80), tcp6(G2, GW.in.mac, "fd20::100", 22)],
  },
  churn: [
    ["set", "Logical_Router", "gr", "options:lb_force_snat_ip=172.20.0.99"],
    ["set", "Logical_Router", "gr", "options:dnat_force_snat_ip=172.20.0.98"],
    ["remove", "Load_Balancer", "lbs", "options", "skip_snat"],
    ["lr-nat-del", "gr", "dnat", "172.20.0.10"],
    // The gateway router moves to the other chassis.
    ["set", "Logical_Router", "gr", "options:chassis=hv2"],
  ],
  churnLeaves: [0],
};

// --- dgp -----------------------------------------------------------------------------------------------
const DG = {
  a: { name: "lrd-a", mac: "00:00:00:60:00:01", ip: "10.2.1.1" },
  b: { name: "lrd-b", mac: "00:00:00:60:00:02", ip: "10.2.2.1" },
  pub: { name: "lrd-pub", mac: "00:00:00:60:00:03", ip: "172.21.0.1" },
  c: { name: "lre-c", mac: "00:00:00:61:00:01", ip: "10.2.3.1" },
  pub2: { name: "lre-pub", mac: "00:00:00:61:00:02", ip: "172.21.0.2" },
};
const dgpVifs: VifSpec[] = [
  { name: "d1", ls: "da", hv: 0, mac: "f0:00:00:60:00:11", ip: "10.2.1.11" },
  { name: "d2", ls: "da", hv: 1, mac: "f0:00:00:60:00:12", ip: "10.2.1.12" },
  { name: "d3", ls: "db", hv: 1, mac: "f0:00:00:60:00:13", ip: "10.2.2.13" },
  { name: "d4", ls: "dc", hv: 0, mac: "f0:00:00:61:00:14", ip: "10.2.3.14" },
  { name: "x1", ls: "pub", hv: 0, mac: "f0:00:00:21:00:01", ip: "172.21.0.100" },
  { name: "x2", ls: "pub", hv: 1, mac: "f0:00:00:21:00:02", ip: "172.21.0.101" },
];
const [, , , , X1, X2] = dgpVifs as [VifSpec, VifSpec, VifSpec, VifSpec, VifSpec, VifSpec];
const dgpPub = [
  { ip: "172.21.0.40", tcpPort: 80 },
  { ip: "172.21.0.100" },
  { ip: "172.21.0.101" },
  { ip: "172.21.0.21" },
  { ip: "172.21.0.22" },
  { ip: "172.21.0.23" },
  { ip: "172.21.0.24" },
  { ip: "8.8.8.8" },
];
const dgp: Topology = {
  name: "dgp",
  nb: [
    ...["da", "db", "dc", "pub"].map((ls) => ["ls-add", ls]),
    ["lr-add", "lrd"],
    ...attach("lrd", DG.a.name, DG.a.mac, [`${DG.a.ip}/24`], "da"),
    ...attach("lrd", DG.b.name, DG.b.mac, [`${DG.b.ip}/24`], "db"),
    ...attach("lrd", DG.pub.name, DG.pub.mac, [`${DG.pub.ip}/24`], "pub"),
    ["lrp-set-gateway-chassis", DG.pub.name, "hv1", "20"],
    ["lrp-set-gateway-chassis", DG.pub.name, "hv2", "10"],
    ["lr-route-add", "lrd", "0.0.0.0/0", "172.21.0.254"],
    ["lr-nat-add", "lrd", "snat", "172.21.0.1", "10.2.1.0/24"],
    ["lr-nat-add", "lrd", "dnat_and_snat", "172.21.0.23", "10.2.2.13"],
    // A load balancer on the distributed router (applied on the gateway chassis), and ARP learning knobs.
    ["lb-add", "lbd", "172.21.0.40:80", "10.2.1.11:80,10.2.2.13:80", "tcp"],
    ["lr-lb-add", "lrd", "lbd"],
    ["set", "Logical_Router", "lrd", "options:dynamic_neigh_routers=true"],
    ["set", "Logical_Router", "lrd", "options:always_learn_from_arp_request=false"],
    ["lr-add", "lre"],
    ...attach("lre", DG.c.name, DG.c.mac, [`${DG.c.ip}/24`], "dc"),
    ...attach("lre", DG.pub2.name, DG.pub2.mac, [`${DG.pub2.ip}/24`], "pub"),
    ["ha-chassis-group-add", "hag"],
    ["ha-chassis-group-add-chassis", "hag", "hv2", "30"],
    ["ha-chassis-group-add-chassis", "hag", "hv1", "10"],
    haGroupOf("Logical_Router_Port", DG.pub2.name, "hag"),
    ["lr-route-add", "lre", "0.0.0.0/0", "172.21.0.253"],
    ["lr-nat-add", "lre", "snat", "172.21.0.2", "10.2.3.0/24"],
    ...dgpVifs.flatMap((v) => lsp(v)),
    ["lr-nat-add", "lrd", "dnat_and_snat", "172.21.0.21", "10.2.1.11", "d1", "f0:00:00:00:21:21"],
    ["lr-nat-add", "lrd", "dnat_and_snat", "172.21.0.22", "10.2.1.12", "d2", "f0:00:00:00:21:22"],
    ["lr-nat-add", "lre", "dnat_and_snat", "172.21.0.24", "10.2.3.14", "d4", "f0:00:00:00:21:24"],
  ],
  vifs: dgpVifs,
  gateways: { da: DG.a, db: DG.b, dc: DG.c, pub: DG.pub },
  routed: {
    da: [...dgpPub, { ip: "10.2.2.13" }, { ip: "172.21.0.1" }],
    db: [...dgpPub, { ip: "10.2.1.11" }],
    dc: [...dgpPub, { ip: "172.21.0.2" }],
    pub: [{ ip: "10.2.1.11" }, { ip: "10.2.2.13" }, { ip: "172.21.0.23" }],
  },
  bound: ["cr-lrd-pub", "cr-lre-pub"],
  boundAfterChurn: { "cr-lrd-pub": "hv2", "cr-lre-pub": "hv1" },
  extra: Object.fromEntries(
    [X1, X2].map((x) => [
      x.name,
      ["21", "22", "23", "24"].flatMap((n) => [
        udp4(x, n === "24" ? DG.pub2.mac : DG.pub.mac, `172.21.0.${n}`, 9),
        {
          label: `arp for 172.21.0.${n}`,
          flow: `arp,dl_src=${x.mac},dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=${x.ip},arp_tpa=172.21.0.${n},arp_sha=${x.mac},arp_tha=00:00:00:00:00:00`,
        },
      ]),
    ]),
  ),
  churn: [
    ["lrp-set-gateway-chassis", DG.pub.name, "hv2", "30"],
    ["ha-chassis-group-add-chassis", "hag", "hv1", "40"],
    ["lr-nat-del", "lrd", "dnat_and_snat", "172.21.0.22"],
  ],
};

// --- routes --------------------------------------------------------------------------------------------
const RT = {
  a: { name: "rt-a", mac: "00:00:00:70:00:01", ip: "10.3.1.1", ip6: "fd03:1::1" },
  b: { name: "rt-b", mac: "00:00:00:70:00:02", ip: "10.3.2.1" },
  up: { name: "rt-up", mac: "00:00:00:70:00:03", ip: "172.22.0.1", ip6: "fd22::1" },
};
const rtVifs: VifSpec[] = [
  { name: "r1", ls: "ra", hv: 0, mac: "f0:00:00:70:00:11", ip: "10.3.1.11", ip6: "fd03:1::11" },
  { name: "r2", ls: "ra", hv: 1, mac: "f0:00:00:70:00:12", ip: "10.3.1.12", ip6: "fd03:1::12" },
  { name: "r3", ls: "rb", hv: 1, mac: "f0:00:00:70:00:13", ip: "10.3.2.13" },
  { name: "u1", ls: "ru", hv: 0, mac: "f0:00:00:22:00:11", ip: "172.22.0.11", ip6: "fd22::11" },
  { name: "u2", ls: "ru", hv: 1, mac: "f0:00:00:22:00:12", ip: "172.22.0.12", ip6: "fd22::12" },
];
const [, , , U1] = rtVifs as [VifSpec, VifSpec, VifSpec, VifSpec, VifSpec];
const rtTargets = [
  { ip: "203.0.113.5" },
  { ip: "192.0.2.9" },
  { ip: "198.18.1.1" },
  { ip: "198.19.1.1" },
  { ip: "198.20.1.1" },
  { ip: "8.8.8.8" },
  { ip: "10.3.2.13" },
  { ip: "10.3.1.11" },
  { ip: "172.22.0.12" },
];
const routes: Topology = {
  name: "routes",
  nb: [
    ...["ra", "rb", "ru"].map((ls) => ["ls-add", ls]),
    ["lr-add", "rt", "--", "set", "Logical_Router", "rt", "options:chassis=hv1"],
    ...attach("rt", RT.a.name, RT.a.mac, [`${RT.a.ip}/24`, `${RT.a.ip6}/64`], "ra"),
    ...attach("rt", RT.b.name, RT.b.mac, [`${RT.b.ip}/24`], "rb"),
    ...attach("rt", RT.up.name, RT.up.mac, [`${RT.up.ip}/24`, `${RT.up.ip6}/64`], "ru"),
    ["lrp-set-options", RT.b.name, "route_table=rtb"],
    // (Not the default route: a trace stops at an ECMP group's dp_hash, and the policies come after routing.)
    ["--ecmp-symmetric-reply", "lr-route-add", "rt", "198.20.0.0/16", "172.22.0.11"],
    ["--ecmp-symmetric-reply", "lr-route-add", "rt", "198.20.0.0/16", "172.22.0.12"],
    ["lr-route-add", "rt", "0.0.0.0/0", "172.22.0.11"],
    ["--ecmp", "lr-route-add", "rt", "198.19.0.0/16", "172.22.0.11"],
    ["--ecmp", "lr-route-add", "rt", "198.19.0.0/16", "172.22.0.12"],
    ["--policy=src-ip", "lr-route-add", "rt", "10.3.1.12/32", "172.22.0.12"],
    ["--route-table=rtb", "lr-route-add", "rt", "198.18.0.0/16", "172.22.0.11"],
    ["--route-table=rtb", "lr-route-add", "rt", "0.0.0.0/0", "172.22.0.12"],
    ["lr-route-add", "rt", "::/0", "fd22::11"],
    [
      "lr-policy-add",
      "rt",
      "1000",
      "ip4.src == 10.3.1.11 && ip4.dst == 203.0.113.0/24",
      "reroute",
      "172.22.0.11,172.22.0.12",
    ],
    ["lr-policy-add", "rt", "900", "ip4.dst == 192.0.2.0/24", "drop"],
    ["lr-policy-add", "rt", "800", "ip4.src == 10.3.2.13 && udp", "allow", "pkt_mark=7"],
    ["lr-policy-add", "rt", "700", "ip6.dst == fd99::/64", "reroute", "fd22::12"],
    ...rtVifs.flatMap((v) => lsp(v)),
  ],
  vifs: rtVifs,
  gateways: { ra: RT.a, rb: RT.b, ru: RT.up },
  routed: {
    ra: rtTargets,
    rb: rtTargets,
    ru: [{ ip: "10.3.1.11" }, { ip: "10.3.2.13" }, { ip: "10.3.1.1" }],
  },
  routed6: { ra: ["fd99::5", "fd22::12", "2001:db8::1"], ru: ["fd03:1::11"] },
  extra: {
    // Replies from the ECMP next hops (ecmp-symmetric-reply remembers which one a connection came by).
    u1: [tcp4(U1, RT.up.mac, "10.3.1.11", 22, "0x012"), ping6(U1, RT.up.mac, "fd03:1::12")],
  },
  churn: [
    ["lr-policy-del", "rt", "900"],
    ["--policy=src-ip", "lr-route-del", "rt", "10.3.1.12/32"],
    ["--route-table=rtb", "lr-route-add", "rt", "192.0.2.0/24", "172.22.0.11"],
  ],
};

// --- aclqos --------------------------------------------------------------------------------------------
const aqVifs: VifSpec[] = [
  { name: "a1", ls: "as", hv: 0, mac: "f0:00:00:04:00:11", ip: "10.4.0.11", ip6: "fd04::11" },
  { name: "a2", ls: "as", hv: 0, mac: "f0:00:00:04:00:12", ip: "10.4.0.12", ip6: "fd04::12" },
  { name: "a3", ls: "as", hv: 1, mac: "f0:00:00:04:00:13", ip: "10.4.0.13", ip6: "fd04::13" },
  { name: "a4", ls: "as", hv: 1, mac: "f0:00:00:04:00:14", ip: "10.4.0.14", ip6: "fd04::14" },
];
const [A1, A2, A3, A4] = aqVifs as [VifSpec, VifSpec, VifSpec, VifSpec];
const aclqos: Topology = {
  name: "aclqos",
  nb: [
    ["ls-add", "as"],
    ...aqVifs.flatMap((v) => lsp(v)),
    ["lsp-set-port-security", "a2", "f0:00:00:04:00:12 10.4.0.12 fd04::12"],
    ["lb-add", "lba", "10.4.0.100:80", "10.4.0.13:8080,10.4.0.14:8080", "tcp"],
    ["lb-add", "lba", "[fd04::100]:80", "[fd04::13]:8080,[fd04::14]:8080", "tcp"],
    ["ls-lb-add", "as", "lba"],
    ["pg-add", "pg_a", "a1", "a2"],
    ["pg-add", "pg_b", "a3", "a4"],
    ["create", "Address_Set", "name=as4", 'addresses=["10.4.0.11","10.4.0.12"]'],
    ["create", "Address_Set", "name=as6", 'addresses=["fd04::11"]'],
    ["meter-add", "acl-meter", "drop", "10", "pktps"],
    [
      "acl-add",
      "pg_a",
      "from-lport",
      "1000",
      "inport == @pg_a && ip4.dst == 10.4.0.14 && udp",
      "allow-stateless",
    ],
    [
      "--label=1234",
      "--log",
      "--meter=acl-meter",
      "--name=web",
      "acl-add",
      "pg_b",
      "to-lport",
      "1001",
      "outport == @pg_b && ip4.src == $as4 && tcp.dst == 80",
      "allow-related",
    ],
    ["acl-add", "pg_b", "to-lport", "1000", "outport == @pg_b && ip6.src == $as6", "allow-related"],
    ["acl-add", "pg_b", "to-lport", "900", "outport == @pg_b && tcp", "reject"],
    ["acl-add", "pg_b", "to-lport", "899", "outport == @pg_b && udp", "reject"],
    ["--log", "--severity=alert", "acl-add", "pg_b", "to-lport", "800", "outport == @pg_b && ip", "drop"],
    [
      "--apply-after-lb",
      "--label=77",
      "acl-add",
      "as",
      "from-lport",
      "1100",
      "ip4.dst == 10.4.0.13 && tcp.dst == 8080",
      "allow-related",
    ],
    [
      "--apply-after-lb",
      "acl-add",
      "as",
      "from-lport",
      "1090",
      "ip4.dst == 10.4.0.14 && tcp.dst == 8080",
      "drop",
    ],
    ["acl-add", "pg_b", "from-lport", "700", "inport == @pg_b && ip6", "allow-stateless"],
    ["qos-add", "as", "from-lport", "200", 'inport == "a1" && udp', "dscp=10", "rate=1000", "burst=100"],
    ["qos-add", "as", "to-lport", "200", 'outport == "a3" && tcp', "rate=2000"],
    ["qos-add", "as", "from-lport", "100", "ip6", "dscp=20"],
    // Unicast only: a flood runs each port's egress pipeline in turn without undoing the previous one's
    // rewrites, so with a DSCP mark on one member the others' packets depend on the group's member order
    // (Southbound UUID order, different in every run).
    ["qos-add", "as", "to-lport", "100", 'outport == "a2" && ip4.dst == 10.4.0.12', "dscp=30"],
  ],
  vifs: aqVifs,
  gateways: {},
  routed: {},
  extra: {
    a1: [
      tcp4(A1, A3.mac, A3.ip as string, 80),
      tcp4(A1, A4.mac, A4.ip as string, 80),
      tcp4(A1, "00:00:00:00:00:99", "10.4.0.100", 80),
      udp4(A1, A4.mac, A4.ip as string, 53),
      tcp6(A1, A3.mac, A3.ip6 as string, 80),
      tcp6(A1, "00:00:00:00:00:99", "fd04::100", 80),
      udp6(A1, A4.mac, A4.ip6 as string, 53),
    ],
    a2: [tcp4(A2, A4.mac, A4.ip as string, 443), udp6(A2, A3.mac, A3.ip6 as string, 53)],
    a3: [tcp4(A3, A1.mac, A1.ip as string, 22), ping6(A3, A2.mac, A2.ip6 as string)],
    a4: [tcp4(A4, "00:00:00:00:00:99", "10.4.0.100", 80)],
  },
  churn: [
    ["acl-del", "pg_b", "to-lport", "900", "outport == @pg_b && tcp"],
    ["pg-set-ports", "pg_a", "a1"],
    ["add", "Address_Set", "as6", "addresses", '"fd04::12"'],
    ["qos-del", "as", "to-lport", "200", 'outport == "a3" && tcp'],
    ["qos-add", "as", "to-lport", "200", 'outport == "a4" && tcp', "rate=3000", "burst=300"],
  ],
};

// --- hairpin -------------------------------------------------------------------------------------------
const HP = {
  h1: { name: "lrh-1", mac: "00:00:00:80:00:01", ip: "10.5.1.1", ip6: "fd05:1::1" },
  h2: { name: "lrh-2", mac: "00:00:00:80:00:02", ip: "10.5.2.1" },
};
const hpVifs: VifSpec[] = [
  { name: "h11", ls: "hs1", hv: 0, mac: "f0:00:00:80:00:11", ip: "10.5.1.11", ip6: "fd05:1::11" },
  { name: "h12", ls: "hs1", hv: 1, mac: "f0:00:00:80:00:12", ip: "10.5.1.12", ip6: "fd05:1::12" },
  { name: "h21", ls: "hs2", hv: 0, mac: "f0:00:00:80:00:21", ip: "10.5.2.21" },
];
const [H11, H12, H21] = hpVifs as [VifSpec, VifSpec, VifSpec];
const hairpin: Topology = {
  name: "hairpin",
  nb: [
    ["ls-add", "hs1"],
    ["ls-add", "hs2"],
    ["lr-add", "lrh"],
    ...attach("lrh", HP.h1.name, HP.h1.mac, [`${HP.h1.ip}/24`, `${HP.h1.ip6}/64`], "hs1"),
    ...attach("lrh", HP.h2.name, HP.h2.mac, [`${HP.h2.ip}/24`], "hs2"),
    ...hpVifs.flatMap((v) => lsp(v)),
    ["lb-add", "lbh", "10.5.1.100:80", "10.5.1.11:8080,10.5.1.12:8080", "tcp"],
    ["lb-add", "lbh", "[fd05:1::100]:80", "[fd05:1::11]:8080", "tcp"],
    ["set", "Load_Balancer", "lbh", 'options:hairpin_snat_ip="10.5.1.200 fd05:1::200"'],
    ["lb-add", "lbhu", "10.5.1.101:53", "10.5.2.21:53,10.5.1.12:53", "udp"],
    [
      "--",
      "--id=@l1",
      "get",
      "Load_Balancer",
      "lbh",
      "--",
      "--id=@l2",
      "get",
      "Load_Balancer",
      "lbhu",
      "--",
      "--id=@g",
      "create",
      "Load_Balancer_Group",
      "name=lbg",
      "load_balancer=[@l1,@l2]",
      "--",
      "add",
      "Logical_Switch",
      "hs1",
      "load_balancer_group",
      "@g",
      "--",
      "add",
      "Logical_Switch",
      "hs2",
      "load_balancer_group",
      "@g",
      "--",
      "add",
      "Logical_Router",
      "lrh",
      "load_balancer_group",
      "@g",
    ],
  ],
  vifs: hpVifs,
  gateways: { hs1: HP.h1, hs2: HP.h2 },
  routed: {
    hs1: [{ ip: "10.5.2.21" }],
    hs2: [{ ip: "10.5.1.100", tcpPort: 80 }, { ip: "10.5.1.11" }],
  },
  extra: {
    h11: [
      tcp4(H11, HP.h1.mac, "10.5.1.100", 80),
      udp4(H11, HP.h1.mac, "10.5.1.101", 53),
      tcp6(H11, HP.h1.mac, "fd05:1::100", 80),
    ],
    h12: [tcp4(H12, HP.h1.mac, "10.5.1.100", 80), udp4(H12, HP.h1.mac, "10.5.1.101", 53)],
    h21: [udp4(H21, HP.h2.mac, "10.5.1.101", 53)],
  },
  churn: [
    ["remove", "Load_Balancer", "lbh", "options", "hairpin_snat_ip"],
    ["clear", "Logical_Switch", "hs2", "load_balancer_group"],
    ["lb-add", "lbh", "10.5.1.102:80", "10.5.1.12:8080", "tcp"],
  ],
};

// --- vports --------------------------------------------------------------------------------------------
const VP_GW = { name: "lrv-vp", mac: "00:00:00:90:00:01", ip: "10.7.0.1" };
const vpVifs: VifSpec[] = [
  { name: "vp1", ls: "vp", hv: 0, mac: "f0:00:00:90:00:11", ip: "10.7.0.11" },
  { name: "vp2", ls: "vp", hv: 1, mac: "f0:00:00:90:00:12", ip: "10.7.0.12" },
];
const [VP1, VP2] = vpVifs as [VifSpec, VifSpec];
const VPORT = { name: "vip", mac: "f0:00:00:90:00:50", ip: "10.7.0.50" };
const EXTP = { name: "xp", mac: "f0:00:00:90:00:77", ip: "10.7.0.77" };
const uplinkFrom = (label: string, rest: string): TraceFlow => ({
  label,
  flow: `${rest.startsWith("arp") ? "arp" : "udp"},dl_vlan=300,dl_src=${EXTP.mac},${rest.replace(/^arp,/, "")}`,
});
const vports: Topology = {
  name: "vports",
  nb: [
    ["ls-add", "vp"],
    ["lsp-add", "vp", "ln-vp", "", "300"],
    ["lsp-set-type", "ln-vp", "localnet", "--", "lsp-set-addresses", "ln-vp", "unknown"],
    ["lsp-set-options", "ln-vp", "network_name=phys"],
    ["lr-add", "lrv"],
    ...attach("lrv", VP_GW.name, VP_GW.mac, [`${VP_GW.ip}/24`], "vp"),
    ["lrp-add", "lrv", "lrv-far", "00:00:00:90:00:02", "10.7.9.1/24"],
    ...vpVifs.flatMap((v) => lsp(v)),
    ["lsp-add", "vp", VPORT.name, "--", "lsp-set-type", VPORT.name, "virtual"],
    ["lsp-set-addresses", VPORT.name, `${VPORT.mac} ${VPORT.ip}`],
    ["lsp-set-options", VPORT.name, `virtual-ip=${VPORT.ip}`, "virtual-parents=vp1,vp2"],
    ["lsp-add", "vp", EXTP.name, "--", "lsp-set-type", EXTP.name, "external"],
    ["lsp-set-addresses", EXTP.name, `${EXTP.mac} ${EXTP.ip}`],
    ["ha-chassis-group-add", "hax"],
    ["ha-chassis-group-add-chassis", "hax", "hv2", "30"],
    ["ha-chassis-group-add-chassis", "hax", "hv1", "20"],
    haGroupOf("Logical_Switch_Port", EXTP.name, "hax"),
    [
      "create",
      "DHCP_Options",
      "cidr=10.7.0.0/24",
      `options="lease_time"="3600" "router"="${VP_GW.ip}" "server_id"="${VP_GW.ip}" "server_mac"="${VP_GW.mac}"`,
    ],
    ["lsp-set-dhcpv4-options", EXTP.name, "$PREV"],
    ["lsp-set-dhcpv4-options", "vp2", "$PREV"],
  ],
  // vp1 has claimed the virtual IP (its GARP reached pinctrl): hv1 binds vip.
  sb: [["set", "Port_Binding", VPORT.name, "virtual_parent=vp1"]],
  vifs: vpVifs,
  gateways: { vp: VP_GW },
  routed: { vp: [{ ip: "10.7.9.1" }, { ip: "10.7.9.9" }] },
  bound: [EXTP.name],
  boundAfterChurn: { [EXTP.name]: "hv1" },
  extra: {
    vp1: [
      garp(VP1, VPORT.ip, "garp for the virtual IP"),
      {
        label: "udp from the virtual IP",
        flow: `udp,dl_src=${VPORT.mac},dl_dst=${VP2.mac},nw_src=${VPORT.ip},nw_dst=${VP2.ip},nw_ttl=64,udp_src=1,udp_dst=2`,
      },
      udp4(VP1, VPORT.mac, VPORT.ip, 7),
    ],
    vp2: [
      garp(VP2, VPORT.ip, "garp for the virtual IP"),
      {
        label: "arp reply for the virtual IP",
        flow: `arp,dl_src=${VP2.mac},dl_dst=${VP_GW.mac},arp_op=2,arp_spa=${VPORT.ip},arp_tpa=${VP_GW.ip},arp_sha=${VPORT.mac},arp_tha=${VP_GW.mac}`,
      },
      udp4(VP2, EXTP.mac, EXTP.ip, 67),
      {
        label: "dhcp discover",
        flow: `udp,dl_src=${VP2.mac},dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64,udp_src=68,udp_dst=67`,
      },
    ],
  },
  uplink: [
    uplinkFrom(
      "external port to vp1",
      `dl_dst=${VP1.mac},nw_src=${EXTP.ip},nw_dst=${VP1.ip},nw_ttl=64,udp_src=7,udp_dst=9`,
    ),
    uplinkFrom(
      "external port arp for the router",
      `arp,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=${EXTP.ip},arp_tpa=${VP_GW.ip},arp_sha=${EXTP.mac},arp_tha=00:00:00:00:00:00`,
    ),
    uplinkFrom(
      "external port routed",
      `dl_dst=${VP_GW.mac},nw_src=${EXTP.ip},nw_dst=10.7.9.9,nw_ttl=64,udp_src=7,udp_dst=9`,
    ),
    uplinkFrom(
      "external port dhcp discover",
      "dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64,udp_src=68,udp_dst=67",
    ),
    uplinkFrom(
      "external port to the virtual IP",
      `dl_dst=${VPORT.mac},nw_src=${EXTP.ip},nw_dst=${VPORT.ip},nw_ttl=64,udp_src=7,udp_dst=9`,
    ),
  ],
  churn: [
    ["ha-chassis-group-add-chassis", "hax", "hv1", "40"],
    ["lsp-set-options", VPORT.name, `virtual-ip=${VPORT.ip}`, "virtual-parents=vp1"],
  ],
};

// --- mcast ---------------------------------------------------------------------------------------------
const MC = {
  m1: { name: "lrm-1", mac: "00:00:00:a0:00:01", ip: "10.8.1.1", ip6: "fd08:1::1" },
  m2: { name: "lrm-2", mac: "00:00:00:a0:00:02", ip: "10.8.2.1", ip6: "fd08:2::1" },
};
const mcVifs: VifSpec[] = [
  { name: "m11", ls: "ms1", hv: 0, mac: "f0:00:00:a0:00:11", ip: "10.8.1.11", ip6: "fd08:1::11" },
  { name: "m12", ls: "ms1", hv: 1, mac: "f0:00:00:a0:00:12", ip: "10.8.1.12", ip6: "fd08:1::12" },
  { name: "m13", ls: "ms1", hv: 0, mac: "f0:00:00:a0:00:13", ip: "10.8.1.13" },
  { name: "m14", ls: "ms1", hv: 1, mac: "f0:00:00:a0:00:14", ip: "10.8.1.14" },
  { name: "m21", ls: "ms2", hv: 1, mac: "f0:00:00:a0:00:21", ip: "10.8.2.21", ip6: "fd08:2::21" },
];
const mcast4 = (from: Endpoint, group: string, ttl = 64): TraceFlow => {
  const o = group.split(".").map(Number);
  const mac = `01:00:5e:${((o[1] ?? 0) & 0x7f).toString(16).padStart(2, "0")}:${(o[2] ?? 0).toString(16).padStart(2, "0")}:${(o[3] ?? 0).toString(16).padStart(2, "0")}`;
  return {
    label: `udp ${from.name} to group ${group} ttl ${ttl}`,
    flow: `udp,dl_src=${from.mac},dl_dst=${mac},nw_src=${from.ip},nw_dst=${group},nw_ttl=${ttl},udp_src=5000,udp_dst=5001`,
  };
};
const igmpReport = (from: Endpoint, group: string): TraceFlow => ({
  label: `igmpv2 report ${from.name} for ${group}`,
  // (ovs-ofctl has no IGMP fields: OVN matches ip.proto == 2 and pinctrl parses the rest.)
  flow: `ip,nw_proto=2,dl_src=${from.mac},dl_dst=01:00:5e:01:01:01,nw_src=${from.ip},nw_dst=${group},nw_ttl=1`,
});
const mld6 = (from: Endpoint, dst: string, type: number, label: string): TraceFlow => ({
  label: `${label} from ${from.name}`,
  flow: `icmp6,dl_src=${from.mac},dl_dst=33:33:00:00:00:16,ipv6_src=fe80::f200:ff:fea0:11,ipv6_dst=${dst},nw_ttl=1,icmpv6_type=${type},icmpv6_code=0`,
});
const mcast6 = (from: Endpoint, group: string): TraceFlow => ({
  label: `udp6 ${from.name} to group ${group}`,
  flow: `udp6,dl_src=${from.mac},dl_dst=33:33:00:00:01:01,ipv6_src=${from.ip6},ipv6_dst=${group},nw_ttl=64,udp_src=5000,udp_dst=5001`,
});
const [M11, M12, , , M21] = mcVifs as [VifSpec, VifSpec, VifSpec, VifSpec, VifSpec];
const mcast: Topology = {
  name: "mcast",
  nb: [
    ["ls-add", "ms1"],
    ["ls-add", "ms2"],
    ["set", "Logical_Switch", "ms1", "other_config:mcast_snoop=true", "other_config:mcast_querier=false"],
    ["set", "Logical_Switch", "ms2", "other_config:mcast_snoop=true", "other_config:mcast_querier=false"],
    ["lr-add", "lrm", "--", "set", "Logical_Router", "lrm", "options:mcast_relay=true"],
    ...attach("lrm", MC.m1.name, MC.m1.mac, [`${MC.m1.ip}/24`, `${MC.m1.ip6}/64`], "ms1"),
    ...attach("lrm", MC.m2.name, MC.m2.mac, [`${MC.m2.ip}/24`, `${MC.m2.ip6}/64`], "ms2"),
    ...mcVifs.flatMap((v) => lsp(v)),
    ["lsp-set-options", "m13", "mcast_flood=true"],
    ["lsp-set-options", "m14", "mcast_flood_reports=true"],
    ["set", "Logical_Router_Port", MC.m2.name, "options:mcast_flood=true"],
  ],
  vifs: mcVifs,
  gateways: { ms1: MC.m1, ms2: MC.m2 },
  routed: { ms1: [{ ip: "10.8.2.21" }], ms2: [{ ip: "10.8.1.11" }] },
  extra: {
    m11: [
      mcast4(M11, "239.1.1.1"),
      mcast4(M11, "224.0.0.251", 1),
      mcast4(M11, "239.1.1.1", 1),
      igmpReport(M11, "239.1.1.1"),
      mld6(M11, "ff02::16", 143, "mldv2 report"),
      mld6(M11, "ff02::1", 130, "mld query"),
      mcast6(M11, "ff0e::101"),
      mcast6(M11, "ff02::101"),
    ],
    m12: [mcast4(M12, "239.2.2.2"), igmpReport(M12, "239.2.2.2")],
    m21: [mcast4(M21, "239.1.1.1"), mcast6(M21, "ff0e::101")],
  },
  // Members learnt by snooping: m11 (hv1) and m12 (hv2) join 239.1.1.1 on ms1, m21 (hv2) on ms2 (the
  // relay router forwards between them); m11 joins ff0e::101 by MLD.
  inject: [
    {
      hv: 0,
      vif: "m11",
      frame: igmpv3Report({ mac: M11.mac, ip4: M11.ip as string }, [{ op: "join", group: "239.1.1.1" }]),
    },
    {
      hv: 1,
      vif: "m12",
      frame: igmpv3Report({ mac: M12.mac, ip4: M12.ip as string }, [{ op: "join", group: "239.1.1.1" }]),
    },
    {
      hv: 1,
      vif: "m21",
      frame: igmpv3Report({ mac: M21.mac, ip4: M21.ip as string }, [{ op: "join", group: "239.1.1.1" }]),
    },
    {
      hv: 0,
      vif: "m11",
      frame: mldv2Report({ mac: M11.mac, ip6: "fe80::f200:ff:fea0:11" }, [
        { op: "join", group: "ff0e::101" },
      ]),
    },
  ],
  igmpGroups: ["239.1.1.1 hv1 m11", "239.1.1.1 hv2 m12", "239.1.1.1 hv2 m21", "ff0e::101 hv1 m11"],
  churn: [
    ["lsp-set-options", "m13"],
    ["set", "Logical_Router", "lrm", "options:mcast_relay=false"],
    ["set", "Logical_Switch", "ms2", "other_config:mcast_flood_unregistered=true"],
  ],
};

// --- migrate -------------------------------------------------------------------------------------------
// A port being live-migrated: requested-chassis names both chassis, so it is bound on hv1 (chassis) and
// hv2 (additional_chassis) at once, and traffic for it goes to both; its VIF is plugged on both.
const mgVifs: VifSpec[] = [
  { name: "w1", ls: "mg", hv: 0, mac: "f0:00:00:b0:00:11", ip: "10.9.0.11", ip6: "fd09::11" },
  { name: "w2", ls: "mg", hv: 1, mac: "f0:00:00:b0:00:12", ip: "10.9.0.12", ip6: "fd09::12" },
  { name: "mv", ls: "mg", hv: 0, mac: "f0:00:00:b0:00:50", ip: "10.9.0.50", ip6: "fd09::50", noWait: true },
  { name: "mv", ls: "mg", hv: 1, mac: "f0:00:00:b0:00:50", ip: "10.9.0.50", ip6: "fd09::50", noWait: true },
];
const MG_GW = { name: "lrg-mg", mac: "00:00:00:b0:00:01", ip: "10.9.0.1" };
const migrate: Topology = {
  name: "migrate",
  nb: [
    ["ls-add", "mg"],
    ["lr-add", "lrg"],
    ...attach("lrg", MG_GW.name, MG_GW.mac, [`${MG_GW.ip}/24`], "mg"),
    ["lrp-add", "lrg", "lrg-far", "00:00:00:b0:00:02", "10.9.9.1/24"],
    ...lsp(mgVifs[0] as VifSpec),
    ...lsp(mgVifs[1] as VifSpec),
    ...lsp(mgVifs[2] as VifSpec, ["lsp-set-options", "mv", "requested-chassis=hv1,hv2"]),
  ],
  vifs: mgVifs,
  gateways: { mg: MG_GW },
  routed: { mg: [{ ip: "10.9.9.1" }, { ip: "10.9.9.9" }] },
  bound: ["mv"],
  churn: [["lsp-set-options", "mv", "requested-chassis=hv2"]],
};

// --- l2gw ----------------------------------------------------------------------------------------------
// An l2gateway port: the switch reaches the physical network through one chassis (l2gateway-chassis
// hv1), like a localnet port bound to that chassis; VIFs on hv2 reach it through the tunnel.
const l2Vifs: VifSpec[] = [
  { name: "y1", ls: "l2s", hv: 0, mac: "f0:00:00:c0:00:11", ip: "10.10.0.11" },
  { name: "y2", ls: "l2s", hv: 1, mac: "f0:00:00:c0:00:12", ip: "10.10.0.12" },
];
const phys = (label: string, dst: string, ip: string): TraceFlow => ({
  label,
  flow: `udp,dl_src=f0:00:00:c0:00:99,dl_dst=${dst},nw_src=10.10.0.99,nw_dst=${ip},nw_ttl=64,udp_src=7,udp_dst=9`,
});
const l2gw: Topology = {
  name: "l2gw",
  nb: [
    ["ls-add", "l2s"],
    ["lsp-add", "l2s", "l2p", "--", "lsp-set-type", "l2p", "l2gateway"],
    ["lsp-set-addresses", "l2p", "unknown"],
    ["lsp-set-options", "l2p", "network_name=phys", "l2gateway-chassis=hv1"],
    ...l2Vifs.flatMap((v) => lsp(v)),
  ],
  vifs: l2Vifs,
  gateways: {},
  routed: {},
  bound: ["l2p"],
  uplink: [
    phys("from the physical network to y1", "f0:00:00:c0:00:11", "10.10.0.11"),
    phys("from the physical network to y2", "f0:00:00:c0:00:12", "10.10.0.12"),
    phys("broadcast from the physical network", "ff:ff:ff:ff:ff:ff", "10.10.0.255"),
  ],
  churn: [["lsp-set-options", "l2p", "network_name=phys", "l2gateway-chassis=hv2"]],
  boundAfterChurn: { l2p: "hv2" },
};

// --- hairpin-vxlan: the hairpin topology with the chassis on VXLAN (12-bit port keys in the VNI, tunnel
// keys in VXLAN mode).  Last: not the dgp topology again, whose HA groups the real ovn-controller does not
// fail over cleanly when the same names come back (after dgp on VXLAN, dgp's churn left hv2 acting as
// lre's gateway for good, although cr-lre-pub was bound to hv1).
const hairpinVxlan: Topology = { ...hairpin, name: "hairpin-vxlan", encap: "vxlan" };

export const FEATURE_TOPOLOGIES: readonly Topology[] = [
  migrate,
  gwrouter,
  dgp,
  routes,
  aclqos,
  hairpin,
  vports,
  mcast,
  hairpinVxlan,
  l2gw,
];

/**
 * Topologies on which ovnts still differs, each behind a filed finding (/work/briefs/findings.s7.md); none
 * at the moment.  Not part of the test until fixed; OVNTS_OFTRACE_PENDING=1 adds them.
 */
export const PENDING_TOPOLOGIES: readonly Topology[] = [];
