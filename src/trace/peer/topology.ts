// A generated logical topology for the differential test, and the microflows generated from it.
// Two switches joined by a router (IPv4 and IPv6), ACLs with allow-related (conntrack), a load
// balancer, DHCPv4 options, DNS records, port security, a localnet port, and a gateway router reached
// over a join switch with SNAT and DNAT.  Microflows are not hand-picked: every source port is
// crossed with every known address and with every kind of packet.

export interface Vif {
  readonly name: string;
  readonly sw: string;
  readonly mac: string;
  readonly ip4: string;
  readonly ip6: string;
  readonly routerMac: string;
  readonly routerIp4: string;
  readonly routerIp6: string;
}

const sub = (i: number) => ({ ip4: `10.0.${i}.`, ip6: `fd00:${i}::` });

/** The VIFs: two per switch, addresses derived from the switch number. */
export function vifs(): Vif[] {
  const out: Vif[] = [];
  for (const s of [0, 1]) {
    for (const h of [1, 2, 3]) {
      out.push({
        name: `lsp${s}${h}`,
        sw: `sw${s}`,
        mac: `00:00:00:00:0${s}:0${h}`,
        ip4: `${sub(s).ip4}${h}`,
        ip6: `${sub(s).ip6}${h}`,
        routerMac: `00:00:00:00:ff:0${s}`,
        routerIp4: `${sub(s).ip4}254`,
        routerIp6: `${sub(s).ip6}fe`,
      });
    }
  }
  return out;
}

export const LB_VIP = "10.0.0.100";
export const EXT_ROUTER = "172.16.0.1";
export const EXT_DNAT = "172.16.0.10";
export const EXT_HOST = "172.16.0.50";
export const EXT_MAC = "00:00:00:00:ee:01";
export const JOIN_DNAT = "100.64.0.50";

/** ovn-nbctl commands (one argument list each) building the topology. */
export function topologyCommands(): string[][] {
  const c: string[][] = [];
  c.push(["lr-add", "lr0"]);
  for (const s of [0, 1]) {
    const { ip4, ip6 } = sub(s);
    c.push(["ls-add", `sw${s}`]);
    c.push(["lrp-add", "lr0", `lrp${s}`, `00:00:00:00:ff:0${s}`, `${ip4}254/24`, `${ip6}fe/64`]);
    c.push(["lsp-add", `sw${s}`, `sw${s}-lr0`]);
    c.push(["lsp-set-type", `sw${s}-lr0`, "router"]);
    c.push(["lsp-set-addresses", `sw${s}-lr0`, "router"]);
    c.push(["lsp-set-options", `sw${s}-lr0`, `router-port=lrp${s}`]);
  }
  for (const v of vifs()) {
    c.push(["lsp-add", v.sw, v.name]);
    c.push(["lsp-set-addresses", v.name, `${v.mac} ${v.ip4} ${v.ip6}`]);
  }
  // Port security on one port, so that spoofed sources are dropped there.
  c.push(["lsp-set-port-security", "lsp02", "00:00:00:00:00:02 10.0.0.2"]);
  // A localnet port on sw1 (a provider network).
  c.push(["lsp-add", "sw1", "ln1"]);
  c.push(["lsp-set-type", "ln1", "localnet"]);
  c.push(["lsp-set-addresses", "ln1", "unknown"]);
  c.push(["lsp-set-options", "ln1", "network_name=phys"]);
  // ACLs: stateful on sw1 (allow-related, a drop, a reject), so conntrack actions appear.
  c.push(["acl-add", "sw1", "to-lport", "1002", "ip4 && tcp.dst == 22", "drop"]);
  c.push(["acl-add", "sw1", "to-lport", "1001", "ip4 && udp.dst == 9", "reject"]);
  c.push(["acl-add", "sw1", "to-lport", "1000", "ip", "allow-related"]);
  // A gateway router gw0 (bound to a chassis, so its ports are l3gateway ports) reached from lr0 over
  // a join switch, with SNAT for the inside networks and a DNAT address for lsp01, facing the
  // external switch ext with one VIF.
  c.push(["lr-add", "gw0"]);
  c.push(["set", "logical_router", "gw0", "options:chassis=hv1"]);
  c.push(["ls-add", "join"]);
  c.push(["lrp-add", "lr0", "lr0-join", "00:00:00:00:fe:01", "100.64.0.1/24"]);
  c.push(["lrp-add", "gw0", "gw0-join", "00:00:00:00:fe:02", "100.64.0.2/24"]);
  c.push(["lrp-add", "gw0", "gw0-ext", "00:00:00:00:fe:03", `${EXT_ROUTER}/24`]);
  for (const [lsp, sw, rp] of [
    ["join-lr0", "join", "lr0-join"],
    ["join-gw0", "join", "gw0-join"],
    ["ext-gw0", "ext", "gw0-ext"],
  ] as const) {
    if (sw === "ext" && !c.some((x) => x[0] === "ls-add" && x[1] === "ext")) c.push(["ls-add", "ext"]);
    c.push(["lsp-add", sw, lsp]);
    c.push(["lsp-set-type", lsp, "router"]);
    c.push(["lsp-set-addresses", lsp, "router"]);
    c.push(["lsp-set-options", lsp, `router-port=${rp}`]);
  }
  c.push(["lsp-add", "ext", "ext1"]);
  c.push(["lsp-set-addresses", "ext1", `${EXT_MAC} ${EXT_HOST}`]);
  c.push(["lr-route-add", "lr0", "0.0.0.0/0", "100.64.0.2"]);
  c.push(["lr-route-add", "gw0", "10.0.0.0/16", "100.64.0.1"]);
  c.push(["lr-nat-add", "gw0", "snat", EXT_ROUTER, "10.0.0.0/16"]);
  c.push(["lr-nat-add", "gw0", "dnat_and_snat", EXT_DNAT, "10.0.0.1"]);
  // lr0's port to the join switch is a distributed gateway port (a chassis-redirect port appears,
  // flows test is_chassis_resident), with distributed NAT for lsp03.
  c.push(["lrp-set-gateway-chassis", "lr0-join", "hv1", "10"]);
  c.push(["lr-nat-add", "lr0", "dnat_and_snat", JOIN_DNAT, "10.0.0.3"]);
  // A load balancer on sw0.
  c.push(["lb-add", "lb0", `${LB_VIP}:80`, "10.0.0.2:8080,10.0.1.1:8080", "tcp"]);
  c.push(["ls-lb-add", "sw0", "lb0"]);
  return c;
}

/** Commands that need a UUID from an earlier one: DHCP options and DNS records. */
export function dhcpDnsCommands(dhcpUuid: string, dnsUuid: string): string[][] {
  return [
    ["lsp-set-dhcpv4-options", "lsp01", dhcpUuid],
    ["lsp-set-dhcpv4-options", "lsp11", dhcpUuid],
    ["add", "logical_switch", "sw0", "dns_records", dnsUuid],
    ["add", "logical_switch", "sw1", "dns_records", dnsUuid],
  ];
}

export const DHCP_OPTIONS = [
  "cidr=10.0.0.0/16",
  'options="lease_time"="3600" "router"="10.0.0.254" "server_id"="10.0.0.254" "server_mac"="00:00:00:00:ff:00"',
];
export const DNS_RECORDS = 'records={"vm1.ovn.org"="10.0.0.1", "vm2.ovn.org"="10.0.1.2"}';

/** Addresses on sw1 that no port has but lr0 has learnt (MAC_Binding rows), for get_arp/get_nd. */
export const BOUND_IP4 = "10.0.1.98";
export const BOUND_IP6 = "fd00:1::98";

/** ovn-sbctl commands adding the MAC bindings, given lr0's Datapath_Binding UUID. */
export function macBindingCommands(lr0: string): string[][] {
  return [
    [
      "create",
      "MAC_Binding",
      "logical_port=lrp1",
      `ip=${BOUND_IP4}`,
      'mac="00:00:00:00:01:98"',
      `datapath=${lr0}`,
    ],
    [
      "create",
      "MAC_Binding",
      "logical_port=lrp1",
      `ip="${BOUND_IP6}"`,
      'mac="00:00:00:00:01:97"',
      `datapath=${lr0}`,
    ],
  ];
}

export interface Microflow {
  readonly datapath: string;
  readonly flow: string;
  /** ovn-trace options: --ct=FLAGS (repeated) and --lb-dst=IP:PORT. */
  readonly args?: readonly string[];
}

/** Every source VIF × every destination address × every kind of packet. */
export function microflows(): Microflow[] {
  const all = vifs();
  const out: Microflow[] = [];
  for (const src of all) {
    const l2 = (dstMac: string) => `inport == "${src.name}" && eth.src == ${src.mac} && eth.dst == ${dstMac}`;
    const dests: { ip4: string; ip6: string | null; mac: string; sameSubnet: boolean }[] = [];
    for (const d of all) {
      if (d.name === src.name) continue;
      const same = d.sw === src.sw;
      dests.push({ ip4: d.ip4, ip6: d.ip6, mac: same ? d.mac : src.routerMac, sameSubnet: same });
    }
    for (const r of all.filter((v) => v.name.endsWith("1"))) {
      const same = r.sw === src.sw;
      dests.push({ ip4: r.routerIp4, ip6: r.routerIp6, mac: src.routerMac, sameSubnet: same });
    }
    dests.push({ ip4: LB_VIP, ip6: null, mac: src.routerMac, sameSubnet: true });
    dests.push({ ip4: "10.0.1.99", ip6: "fd00:1::99", mac: src.routerMac, sameSubnet: false });
    dests.push({ ip4: BOUND_IP4, ip6: BOUND_IP6, mac: src.routerMac, sameSubnet: false });
    dests.push({ ip4: "192.168.7.7", ip6: null, mac: src.routerMac, sameSubnet: false });
    for (const ip4 of [EXT_HOST, EXT_DNAT, EXT_ROUTER, JOIN_DNAT]) {
      dests.push({ ip4, ip6: null, mac: src.routerMac, sameSubnet: false });
    }
    for (const d of dests) {
      const ip4 = `${l2(d.mac)} && ip4.src == ${src.ip4} && ip4.dst == ${d.ip4} && ip.ttl == 64`;
      out.push({ datapath: src.sw, flow: `${ip4} && icmp4.type == 8 && icmp4.code == 0` });
      out.push({ datapath: src.sw, flow: `${ip4} && tcp.src == 40000 && tcp.dst == 80` });
      out.push({ datapath: src.sw, flow: `${ip4} && tcp.src == 40000 && tcp.dst == 22` });
      out.push({ datapath: src.sw, flow: `${ip4} && udp.src == 40000 && udp.dst == 53` });
      out.push({ datapath: src.sw, flow: `${ip4} && udp.src == 40000 && udp.dst == 9` });
      out.push({
        datapath: src.sw,
        flow: `${l2(d.mac)} && ip4.src == ${src.ip4} && ip4.dst == ${d.ip4} && ip.ttl == 1 && icmp4.type == 8`,
      });
      if (d.sameSubnet) {
        out.push({
          datapath: src.sw,
          flow: `${l2("ff:ff:ff:ff:ff:ff")} && arp.op == 1 && arp.sha == ${src.mac} && arp.spa == ${src.ip4} && arp.tpa == ${d.ip4}`,
        });
      }
      if (d.ip6 !== null) {
        const ip6 = `${l2(d.mac)} && ip6.src == ${src.ip6} && ip6.dst == ${d.ip6} && ip.ttl == 64`;
        out.push({ datapath: src.sw, flow: `${ip6} && tcp.src == 40000 && tcp.dst == 80` });
        out.push({ datapath: src.sw, flow: `${ip6} && udp.src == 40000 && udp.dst == 9` });
        out.push({
          datapath: src.sw,
          flow: `${l2(d.mac)} && ip6.src == ${src.ip6} && ip6.dst == ${d.ip6} && ip.ttl == 64 && icmp6.type == 128 && icmp6.code == 0`,
        });
        if (d.sameSubnet) {
          const last = d.ip6.split(":").pop() ?? "0";
          const sn = `ff02::1:ff00:${last}`;
          out.push({
            datapath: src.sw,
            flow: `${l2(`33:33:ff:00:00:${last.padStart(2, "0").slice(-2)}`)} && ip6.src == ${src.ip6} && ip6.dst == ${sn} && nd_ns && nd.target == ${d.ip6} && nd.sll == ${src.mac}`,
          });
        }
      }
    }
    // DHCP discover, a DNS query to the router, spoofed sources, and a non-IP frame.
    out.push({
      datapath: src.sw,
      flow: `${l2("ff:ff:ff:ff:ff:ff")} && ip4.src == 0.0.0.0 && ip4.dst == 255.255.255.255 && ip.ttl == 64 && udp.src == 68 && udp.dst == 67`,
    });
    out.push({
      datapath: src.sw,
      flow: `${l2(src.routerMac)} && ip4.src == ${src.ip4} && ip4.dst == ${src.routerIp4} && ip.ttl == 64 && udp.src == 5353 && udp.dst == 53`,
    });
    out.push({
      datapath: src.sw,
      flow: `inport == "${src.name}" && eth.src == 00:00:00:00:aa:aa && eth.dst == ${src.routerMac} && ip4.src == ${src.ip4} && ip4.dst == ${src.routerIp4} && ip.ttl == 64 && icmp4.type == 8`,
    });
    out.push({
      datapath: src.sw,
      flow: `${l2(src.routerMac)} && ip4.src == 10.9.9.9 && ip4.dst == ${src.routerIp4} && ip.ttl == 64 && icmp4.type == 8`,
    });
    out.push({ datapath: src.sw, flow: `${l2("00:00:00:00:99:99")} && eth.type == 0x1234` });
  }
  // Connection-tracking states and load-balancer backends given on the command line, for the TCP
  // flows of every VIF to every other VIF and to the VIP.
  const ctArgs = [["--ct=new"], ["--ct=new", "--ct=est,rpl"], ["--ct=inv"], ["--ct=est", "--ct=new"]];
  const tcp = out.filter((m) => / tcp\.dst == 80$/.test(m.flow));
  for (const m of tcp) {
    for (const args of ctArgs) out.push({ ...m, args });
    if (m.flow.includes(`ip4.dst == ${LB_VIP} `)) {
      out.push({ ...m, args: ["--ct=new", "--lb-dst=10.0.0.2:8080"] });
      out.push({ ...m, args: ["--ct=new", "--lb-dst=10.0.1.1:8080"] });
    }
  }
  const ext = (dstMac: string) => `inport == "ext1" && eth.src == ${EXT_MAC} && eth.dst == ${dstMac}`;
  for (const dst of [EXT_DNAT, EXT_ROUTER, "10.0.0.1", "172.16.0.99", JOIN_DNAT]) {
    const ip = `${ext("00:00:00:00:fe:03")} && ip4.src == ${EXT_HOST} && ip4.dst == ${dst} && ip.ttl == 64`;
    out.push({ datapath: "ext", flow: `${ip} && icmp4.type == 8` });
    out.push({ datapath: "ext", flow: `${ip} && tcp.src == 40000 && tcp.dst == 80` });
    out.push({ datapath: "ext", flow: `${ip} && udp.src == 40000 && udp.dst == 53` });
    out.push({
      datapath: "ext",
      flow: `${ext("ff:ff:ff:ff:ff:ff")} && arp.op == 1 && arp.sha == ${EXT_MAC} && arp.spa == ${EXT_HOST} && arp.tpa == ${dst}`,
    });
  }
  return out;
}
