// The reference scenarios of the flow compiler: logical topologies, from one switch with two local
// VIFs to routers, ACLs over port groups and address sets, load balancers, NAT and DHCP.  Each is a
// list of ovn-nbctl command lines plus the VIFs to bind on the chassis (iface-id → OVS port name).

import {
  DHCP_OPTIONS,
  DNS_RECORDS,
  macBindingCommands,
  topologyCommands,
} from "../../../trace/peer/topology.js";

export interface Scenario {
  readonly name: string;
  readonly nbctl: readonly (readonly string[])[];
  /** Logical ports bound on the chassis: OVS interface name and its iface-id. */
  readonly vifs: readonly { readonly iface: string; readonly lport: string; readonly neverUp?: boolean }[];
  /** ovn-sbctl command lines run once northd has caught up (fake remote chassis, bindings). */
  readonly sbctl?: readonly (readonly string[])[];
  /** ovn-sbctl command lines run once the controller has bound the VIFs (rows naming the chassis). */
  readonly sbctlAfter?: readonly (readonly string[])[];
  /** Open_vSwitch external_ids for the chassis (e.g. ovn-bridge-mappings). */
  readonly externalIds?: Readonly<Record<string, string>>;
  /** Bridges to create before the controller starts. */
  readonly bridges?: readonly string[];
}

const vif = (iface: string, lport: string, neverUp = false) => ({ iface, lport, neverUp });

function switchWith(sw: string, ports: readonly [string, string][]): string[][] {
  const c: string[][] = [["ls-add", sw]];
  for (const [p, addr] of ports) {
    c.push(["lsp-add", sw, p]);
    c.push(["lsp-set-addresses", p, addr]);
  }
  return c;
}

function routerPort(lr: string, sw: string, lrp: string, mac: string, ...nets: string[]): string[][] {
  const lsp = `${sw}-${lr}`;
  return [
    ["lrp-add", lr, lrp, mac, ...nets],
    ["lsp-add", sw, lsp],
    ["lsp-set-type", lsp, "router"],
    ["lsp-set-addresses", lsp, "router"],
    ["lsp-set-options", lsp, `router-port=${lrp}`],
  ];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "l2",
    nbctl: switchWith("sw0", [
      ["p1", "00:00:00:00:00:01 10.0.0.1"],
      ["p2", "00:00:00:00:00:02 10.0.0.2"],
      // Not bound anywhere: its flows are still installed, as the datapath is local.
      ["p3", "00:00:00:00:00:03 10.0.0.3"],
    ]),
    vifs: [vif("vif1", "p1"), vif("vif2", "p2")],
  },
  {
    name: "router",
    nbctl: [
      ...switchWith("sw0", [["p1", "00:00:00:00:00:01 10.0.0.1 fd00::1"]]),
      ...switchWith("sw1", [["p2", "00:00:00:00:01:02 10.0.1.2 fd00:1::2"]]),
      ["lr-add", "lr0"],
      ...routerPort("lr0", "sw0", "lrp0", "00:00:00:00:ff:00", "10.0.0.254/24", "fd00::fe/64"),
      ...routerPort("lr0", "sw1", "lrp1", "00:00:00:00:ff:01", "10.0.1.254/24", "fd00:1::fe/64"),
      ["lsp-set-port-security", "p1", "00:00:00:00:00:01 10.0.0.1"],
    ],
    vifs: [vif("vif1", "p1"), vif("vif2", "p2")],
    // Learnt neighbours of lr0 on lrp1 ({dp:NAME} is replaced by the datapath's UUID).
    sbctl: [
      [
        "create",
        "MAC_Binding",
        "logical_port=lrp1",
        "ip=10.0.1.98",
        'mac="00:00:00:00:01:98"',
        "datapath={dp:lr0}",
      ],
      [
        "create",
        "MAC_Binding",
        "logical_port=lrp1",
        'ip="fd00:1::98"',
        'mac="00:00:00:00:01:97"',
        "datapath={dp:lr0}",
      ],
    ],
  },
  {
    name: "acl",
    nbctl: [
      ...switchWith("sw0", [
        ["p1", "00:00:00:00:00:01 10.0.0.1"],
        ["p2", "00:00:00:00:00:02 10.0.0.2"],
        ["p3", "00:00:00:00:00:03 10.0.0.3"],
      ]),
      ["pg-add", "pg_web", "p1", "p2"],
      ["create", "Address_Set", "name=as_clients", 'addresses="10.1.0.1","10.1.0.2","10.2.0.0/16"'],
      [
        "acl-add",
        "pg_web",
        "to-lport",
        "1002",
        "outport == @pg_web && ip4.src == $as_clients && tcp.dst == {80, 443}",
        "allow-related",
      ],
      ["acl-add", "pg_web", "to-lport", "1001", "outport == @pg_web && ip4", "drop"],
      ["acl-add", "sw0", "from-lport", "1000", 'inport == "p3" && udp.dst == 53', "reject"],
      [
        "acl-add",
        "sw0",
        "from-lport",
        "900",
        "ip4.dst == 10.9.0.0/16 && tcp.dst >= 1000 && tcp.dst <= 2000",
        "allow",
      ],
    ],
    vifs: [vif("vif1", "p1"), vif("vif2", "p2"), vif("vif3", "p3")],
  },
  {
    name: "lb",
    nbctl: [
      ...switchWith("sw0", [
        ["p1", "00:00:00:00:00:01 10.0.0.1"],
        ["p2", "00:00:00:00:00:02 10.0.0.2"],
      ]),
      ["lb-add", "lb0", "10.0.0.100:80", "10.0.0.1:8080,10.0.0.2:8080", "tcp"],
      ["lb-add", "lb1", "10.0.0.101", "10.0.0.1,10.0.0.2"],
      ["ls-lb-add", "sw0", "lb0"],
      ["ls-lb-add", "sw0", "lb1"],
    ],
    vifs: [vif("vif1", "p1"), vif("vif2", "p2")],
  },
  {
    name: "nat",
    nbctl: [
      ...switchWith("sw0", [["p1", "00:00:00:00:00:01 10.0.0.1"]]),
      ...switchWith("ext", [["e1", "00:00:00:00:ee:01 172.16.0.50"]]),
      ["lr-add", "gw0"],
      ["set", "logical_router", "gw0", "options:chassis=hv1"],
      ...routerPort("gw0", "sw0", "gw0-sw0", "00:00:00:00:ff:00", "10.0.0.254/24"),
      ...routerPort("gw0", "ext", "gw0-ext", "00:00:00:00:fe:03", "172.16.0.1/24"),
      ["lr-nat-add", "gw0", "snat", "172.16.0.1", "10.0.0.0/24"],
      ["lr-nat-add", "gw0", "dnat_and_snat", "172.16.0.10", "10.0.0.1"],
      ["lr-route-add", "gw0", "0.0.0.0/0", "172.16.0.254"],
    ],
    vifs: [vif("vif1", "p1"), vif("vife", "e1")],
  },
  {
    name: "dhcp",
    nbctl: [
      ...switchWith("sw0", [
        ["p1", "00:00:00:00:00:01 10.0.0.1 fd00::1"],
        ["p2", "00:00:00:00:00:02 10.0.0.2"],
      ]),
      [
        "--",
        "--id=@d",
        "create",
        "DHCP_Options",
        "cidr=10.0.0.0/24",
        'options="lease_time"="3600" "router"="10.0.0.254" "server_id"="10.0.0.254" "server_mac"="00:00:00:00:ff:00" "dns_server"="{8.8.8.8,8.8.4.4}" "domain_name"="\\"ovn.org\\""',
        "--",
        "set",
        "Logical_Switch_Port",
        "p1",
        "dhcpv4_options=@d",
        "--",
        "set",
        "Logical_Switch_Port",
        "p2",
        "dhcpv4_options=@d",
      ],
      [
        "--",
        "--id=@d",
        "create",
        "DHCP_Options",
        'cidr="fd00::/64"',
        'options="server_id"="00:00:00:00:ff:00" "dns_server"="fd00::fe"',
        "--",
        "set",
        "Logical_Switch_Port",
        "p1",
        "dhcpv6_options=@d",
      ],
      [
        "--",
        "--id=@r",
        "create",
        "DNS",
        'records={"vm1.ovn.org"="10.0.0.1"}',
        "--",
        "add",
        "Logical_Switch",
        "sw0",
        "dns_records",
        "@r",
      ],
    ],
    vifs: [vif("vif1", "p1"), vif("vif2", "p2")],
  },
  {
    name: "features",
    nbctl: [
      ...switchWith("sw0", [
        ["p1", "00:00:00:00:00:01 10.0.0.1"],
        ["p2", "00:00:00:00:00:02 10.0.0.2"],
        ["pu", "unknown"],
        ["vip", "00:00:00:00:00:10 10.0.0.10"],
      ]),
      ["lsp-set-type", "vip", "virtual"],
      ["lsp-set-options", "vip", "virtual-ip=10.0.0.10", "virtual-parents=p1,p2"],
      ["lsp-add", "sw0", "ln0"],
      ["lsp-set-type", "ln0", "localnet"],
      ["lsp-set-addresses", "ln0", "unknown"],
      ["lsp-set-options", "ln0", "network_name=phys"],
      ["lsp-add", "sw0", "lp0"],
      ["lsp-set-type", "lp0", "localport"],
      ["lsp-set-addresses", "lp0", "00:00:00:00:00:20 10.0.0.20"],
      ["meter-add", "acl-meter", "drop", "10", "pktps"],
      [
        "--log",
        "--meter=acl-meter",
        "--severity=warning",
        "--name=web",
        "acl-add",
        "sw0",
        "from-lport",
        "1000",
        "tcp.dst == 80",
        "allow-related",
      ],
      ["--log", "acl-add", "sw0", "to-lport", "1000", "udp.dst == 9", "drop"],
      ["qos-add", "sw0", "from-lport", "100", 'inport == "p1"', "rate=100", "burst=10"],
      ["qos-add", "sw0", "from-lport", "99", 'inport == "p2"', "dscp=10"],
      ["lb-add", "lbe", "10.0.0.200:80", ""],
      ["set", "load_balancer", "lbe", "options:event=true"],
      ["set", "NB_Global", ".", "options:controller_event=true"],
      ["lb-add", "lbh", "10.0.0.201:80", "10.0.0.1:80,10.0.0.2:80", "tcp"],
      ["set", "load_balancer", "lbh", "selection_fields=ip_src,tp_src", "options:skip_snat=true"],
      ["ls-lb-add", "sw0", "lbe"],
      ["ls-lb-add", "sw0", "lbh"],
    ],
    vifs: [vif("vif1", "p1"), vif("vif2", "p2"), vif("vifu", "pu"), vif("vifl", "lp0", true)],
    externalIds: { "ovn-bridge-mappings": "phys:br-phys" },
    bridges: ["br-phys"],
  },
  {
    name: "gateway",
    nbctl: [
      ...switchWith("sw0", [["p1", "00:00:00:00:00:01 10.0.0.1 fd00::1"]]),
      ...switchWith("pub", [["ln", "unknown"]]),
      ["lsp-set-type", "ln", "localnet"],
      ["lsp-set-options", "ln", "network_name=phys"],
      ["lr-add", "lr0"],
      ...routerPort("lr0", "sw0", "lrp0", "00:00:00:00:ff:00", "10.0.0.254/24", "fd00::fe/64"),
      ...routerPort("lr0", "pub", "lrp-pub", "00:00:00:00:fe:01", "172.16.0.1/24", "2001:db8::1/64"),
      ["lrp-set-gateway-chassis", "lrp-pub", "hv1", "20"],
      ["lrp-set-gateway-chassis", "lrp-pub", "hv2", "10"],
      ["set", "logical_router_port", "lrp-pub", "options:gateway_mtu=1400"],
      [
        "set",
        "logical_router_port",
        "lrp0",
        "ipv6_ra_configs:address_mode=slaac",
        "ipv6_ra_configs:send_periodic=true",
        "ipv6_ra_configs:mtu=1450",
      ],
      ["lr-nat-add", "lr0", "snat", "172.16.0.1", "10.0.0.0/24"],
      ["lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.10", "10.0.0.1", "p1", "00:00:00:00:ee:10"],
      ["--ecmp", "lr-route-add", "lr0", "0.0.0.0/0", "172.16.0.253"],
      ["--ecmp", "lr-route-add", "lr0", "0.0.0.0/0", "172.16.0.254"],
      ["lb-add", "lbr", "172.16.0.100:80", "10.0.0.1:8080", "tcp"],
      ["lr-lb-add", "lr0", "lbr"],
      ["lsp-add", "sw0", "p2"],
      ["lsp-set-addresses", "p2", "00:00:00:00:00:02 10.0.0.2"],
    ],
    vifs: [vif("vif1", "p1")],
    sbctl: [
      ["chassis-add", "hv2", "geneve", "127.0.0.2"],
      ["lsp-bind", "p2", "hv2"],
    ],
    externalIds: { "ovn-bridge-mappings": "phys:br-phys" },
    bridges: ["br-phys"],
  },
  {
    name: "extras",
    nbctl: [
      ...switchWith("sw0", [
        ["p1", "00:00:00:00:00:01 10.0.0.1 fd00::1"],
        ["p2", "00:00:00:00:00:02 10.0.0.2 fd00::2"],
        ["pu", "unknown"],
        ["parent", "00:00:00:00:00:30 10.0.0.30"],
        ["child", "00:00:00:00:00:31 10.0.0.31"],
      ]),
      ["set", "logical_switch_port", "child", "parent_name=parent", "tag_request=42"],
      ["lsp-set-port-security", "p2", "00:00:00:00:00:02 10.0.0.2 fd00::2"],
      ["lsp-set-options", "pu", "requested-chassis=hv1"],
      ["ls-add", "sw1"],
      ["lsp-add", "sw1", "q1"],
      ["lsp-set-addresses", "q1", "00:00:00:00:01:01 10.0.1.1"],
      ["lr-add", "lr0"],
      ["set", "logical_router", "lr0", "options:chassis=hv1"],
      ...routerPort("lr0", "sw0", "lrp0", "00:00:00:00:ff:00", "10.0.0.254/24", "fd00::fe/64"),
      ...routerPort("lr0", "sw1", "lrp1", "00:00:00:00:ff:01", "10.0.1.254/24"),
      ["--ecmp-symmetric-reply", "lr-route-add", "lr0", "192.168.0.0/24", "10.0.1.10"],
      ["--ecmp-symmetric-reply", "lr-route-add", "lr0", "192.168.0.0/24", "10.0.1.11"],
      ["lb-add", "lb6", "[fd00::100]:80", "[fd00::1]:8080,[fd00::2]:8080", "tcp"],
      ["lb-add", "lbaff", "10.0.0.150:80", "10.0.0.1:80,10.0.0.2:80", "tcp"],
      ["set", "load_balancer", "lbaff", "options:affinity_timeout=60"],
      ["ls-lb-add", "sw0", "lb6"],
      ["ls-lb-add", "sw0", "lbaff"],
      ["lr-lb-add", "lr0", "lbaff"],
      ["fwd-group-add", "fg0", "sw0", "10.0.0.50", "00:00:00:00:00:50", "p1", "p2"],
      ["acl-add", "sw0", "to-lport", "1002", "ip4 && icmp4", "allow"],
      ["--label=1234", "acl-add", "sw0", "from-lport", "1001", "ip6", "allow-related"],
    ],
    vifs: [vif("vif1", "p1"), vif("vif2", "p2"), vif("vifu", "pu"), vif("vifp", "parent"), vif("vifq", "q1")],
    sbctl: [["create", "FDB", 'mac="00:00:00:00:00:77"', "dp_key=1", "port_key=3"]],
  },
  // The topology of the tracer's differential test (src/trace/peer/topology.ts): two switches behind
  // a router with a distributed gateway port, a gateway router with SNAT/DNAT, ACLs, a load balancer,
  // DHCP, DNS, a localnet port and learnt MAC bindings; some VIFs bound here, the others nowhere.
  {
    name: "topology",
    nbctl: [
      ...topologyCommands(),
      [
        "--",
        "--id=@d",
        "create",
        "DHCP_Options",
        ...DHCP_OPTIONS,
        "--",
        "set",
        "Logical_Switch_Port",
        "lsp01",
        "dhcpv4_options=@d",
        "--",
        "set",
        "Logical_Switch_Port",
        "lsp11",
        "dhcpv4_options=@d",
      ],
      [
        "--",
        "--id=@r",
        "create",
        "DNS",
        DNS_RECORDS,
        "--",
        "add",
        "Logical_Switch",
        "sw0",
        "dns_records",
        "@r",
        "--",
        "add",
        "Logical_Switch",
        "sw1",
        "dns_records",
        "@r",
      ],
    ],
    vifs: [vif("vif01", "lsp01"), vif("vif02", "lsp02"), vif("vif11", "lsp11"), vif("vife1", "ext1")],
    sbctl: macBindingCommands("{dp:lr0}"),
    externalIds: { "ovn-bridge-mappings": "phys:br-phys" },
    bridges: ["br-phys"],
  },
  // IGMP snooping with a querier, multicast relay on a router, a port with a QoS queue.
  {
    name: "mcast",
    nbctl: [
      ...switchWith("sw0", [
        ["p1", "00:00:00:00:00:01 10.0.0.1"],
        ["p2", "00:00:00:00:00:02 10.0.0.2"],
      ]),
      ...switchWith("sw1", [["q1", "00:00:00:00:01:01 10.0.1.1"]]),
      [
        "set",
        "logical_switch",
        "sw0",
        "other_config:mcast_snoop=true",
        "other_config:mcast_querier=true",
        "other_config:mcast_ip4_src=10.0.0.254",
        "other_config:mcast_eth_src=00:00:00:00:ff:00",
      ],
      ["set", "logical_switch", "sw1", "other_config:mcast_snoop=true"],
      ["lr-add", "lr0"],
      ["set", "logical_router", "lr0", "options:mcast_relay=true"],
      ...routerPort("lr0", "sw0", "lrp0", "00:00:00:00:ff:00", "10.0.0.254/24"),
      ...routerPort("lr0", "sw1", "lrp1", "00:00:00:00:ff:01", "10.0.1.254/24"),
      ["set", "logical_switch_port", "p2", "options:qos_max_rate=1000000"],
    ],
    vifs: [vif("vif1", "p1"), vif("vif2", "p2"), vif("vifq", "q1")],
    sbctlAfter: [
      [
        "create",
        "IGMP_Group",
        'address="239.1.1.1"',
        "datapath={dp:sw0}",
        "chassis={ch:hv1}",
        "ports={pb:p1}",
      ],
    ],
  },
];
