// The router pipeline's reference corpus: small NB configurations (ovn-nbctl argument lists), each
// aimed at a group of lr_* stages of ovn-northd(8). The peer test runs every one through the real
// ovn-northd 23.03 and ours and asserts identical flows for every lr_in_* / lr_out_* stage.

import {
  attach,
  localnet,
  natWithAddressSet,
  sw,
  typedPort,
  vif,
} from "../../../../test/support/nbctl-build.js";
import type { Scenario } from "../../peer/harness.js";

/** A router on two switches, IPv4 and IPv6, several networks on a port; a port with no peer. */
const PORTS: Scenario = {
  name: "ports",
  commands: [
    ...sw("sw0"),
    ...sw("sw1"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "10.0.10.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp1", "00:00:00:00:ff:02", ["192.168.1.1/24", "fd01::1/64", "fd11::1/48"], "sw1"),
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2 fd00::2"),
    ...vif("sw1", "q1", "00:00:00:00:01:01 192.168.1.2"),
    ...vif("sw1", "q2", "00:00:00:00:01:02 192.168.1.3 fd01::3", "unknown"),
    ["lrp-add", "r0", "lonely", "00:00:00:00:ff:09", "172.31.0.1/30"],
    ["lr-add", "empty"],
    ...vif("sw0", "p3", "00:00:00:00:00:03 10.0.0.3 99.0.0.3 fd00::3 fd99::3"),
    ...vif("sw0", "p5", "unknown"),
    ["set", "Logical_Switch", "sw0", "other_config:subnet=10.0.0.0/24"],
    ["lr-add", "r1"],
    ...attach("r1", "r1p", "00:00:00:00:fe:01", ["10.0.0.254/24", "fd00::fe/64"], "sw0"),
  ],
};

/** Router options on ip input and neighbour learning; a disabled port and a port with a /32. */
const OPTIONS: Scenario = {
  name: "options",
  commands: [
    ...sw("sw0"),
    ...sw("sw1"),
    ["lr-add", "r0"],
    [
      "set",
      "Logical_Router",
      "r0",
      "options:always_learn_from_arp_request=false",
      "options:mcast_relay=true",
    ],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp1", "00:00:00:00:ff:02", ["192.168.1.1/32"], "sw1"),
    ["lrp-add", "r0", "down", "00:00:00:00:ff:03", "10.9.0.1/24"],
    ["lrp-set-enabled", "down", "disabled"],
    ["lr-add", "r1"],
    ["set", "Logical_Router", "r1", "options:use_common_zone=true", "options:learn_from_arp_request=false"],
    ["lrp-add", "r1", "r1p", "00:00:00:00:fe:01", "10.1.0.1/24"],
    ["lr-add", "r2"],
    ["set", "Logical_Router", "r2", "enabled=false"],
    ["lrp-add", "r2", "r2p", "00:00:00:00:fd:01", "10.2.0.1/24"],
  ],
};

/** Static routes: ECMP, src-ip policy, route tables, discard, IPv6, output port, default route. */
const ROUTES: Scenario = {
  name: "routes",
  commands: [
    ...sw("sw0"),
    ...sw("sw1"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp1", "00:00:00:00:ff:02", ["192.168.1.1/24", "fd01::1/64"], "sw1"),
    ["lr-route-add", "r0", "0.0.0.0/0", "192.168.1.254"],
    ["lr-route-add", "r0", "20.0.0.0/16", "10.0.0.10"],
    ["--ecmp", "lr-route-add", "r0", "30.0.0.0/24", "10.0.0.11"],
    ["--ecmp", "lr-route-add", "r0", "30.0.0.0/24", "192.168.1.11"],
    ["--ecmp-symmetric-reply", "lr-route-add", "r0", "31.0.0.0/24", "10.0.0.12"],
    ["--ecmp-symmetric-reply", "lr-route-add", "r0", "31.0.0.0/24", "192.168.1.12"],
    ["--ecmp", "lr-route-add", "r0", "32.0.0.0/24", "10.0.0.13"],
    ["--ecmp", "lr-route-add", "r0", "32.0.0.0/24", "192.168.1.13"],
    ["--ecmp", "lr-route-add", "r0", "32.0.0.0/24", "10.0.0.14"],
    ["--policy=src-ip", "lr-route-add", "r0", "10.0.0.128/25", "192.168.1.20"],
    ["lr-route-add", "r0", "40.0.0.0/8", "192.168.1.30", "rp1"],
    ["lr-route-add", "r0", "50.1.2.3", "10.0.0.40"],
    ["lr-route-add", "r0", "60.0.0.0/24", "discard"],
    ["lr-route-add", "r0", "2001:db8::/32", "fd01::10"],
    ["lr-route-add", "r0", "::/0", "fd01::254"],
    ["--route-table=rtb1", "lr-route-add", "r0", "70.0.0.0/24", "10.0.0.50"],
    ["--route-table=rtb1", "lr-route-add", "r0", "0.0.0.0/0", "10.0.0.51"],
    ["lrp-set-options", "rp0", "route_table=rtb1"],
    ["--route-table=rtb2", "lr-route-add", "r0", "80.0.0.0/24", "192.168.1.60"],
  ],
};

/** Router policies: allow, drop, reroute (one and several nexthops), pkt_mark. */
const POLICIES: Scenario = {
  name: "policies",
  commands: [
    ...sw("sw0"),
    ...sw("sw1"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp1", "00:00:00:00:ff:02", ["192.168.1.1/24", "fd01::1/64"], "sw1"),
    ["lr-policy-add", "r0", "100", "ip4.src == 10.0.0.5", "drop"],
    ["lr-policy-add", "r0", "200", "ip4.dst == 1.1.1.1", "allow"],
    [
      "lr-policy-add",
      "r0",
      "300",
      "ip4.src == 10.0.0.0/24 && ip4.dst == 8.8.8.8",
      "reroute",
      "192.168.1.100",
    ],
    ["lr-policy-add", "r0", "400", "ip4.src == 10.0.0.7", "reroute", "192.168.1.101,192.168.1.102"],
    ["lr-policy-add", "r0", "500", "ip6.src == fd00::5", "reroute", "fd01::100"],
    ["lr-policy-add", "r0", "600", "ip4.dst == 9.9.9.9", "allow", "pkt_mark=100"],
    ["lr-policy-add", "r0", "50", "ip4.src == 10.0.0.9", "reroute", "172.16.0.1"],
    ["lr-policy-add", "r0", "700", "ip4.src == 10.0.0.10", "reroute", "10.0.0.20,192.168.1.21,10.0.0.100"],
    ["lr-policy-add", "r0", "800", "ip6.src == fd00::10", "reroute", "fd01::20,fd00::21"],
  ],
};

/** Gateway router (options:chassis) with SNAT, DNAT, dnat_and_snat, force SNAT options. */
const GW_ROUTER_NAT: Scenario = {
  name: "gw router nat",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "gw"],
    [
      "set",
      "Logical_Router",
      "gw",
      "options:chassis=hv1",
      "options:dnat_force_snat_ip=172.16.0.200",
      "options:lb_force_snat_ip=172.16.0.201",
    ],
    ...attach("gw", "gw-in", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("gw", "gw-out", "00:00:00:00:ff:02", ["172.16.0.1/24"], "pub"),
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
    ["lr-nat-add", "gw", "snat", "172.16.0.1", "10.0.0.0/24"],
    ["lr-nat-add", "gw", "dnat", "172.16.0.10", "10.0.0.10"],
    ["lr-nat-add", "gw", "dnat_and_snat", "172.16.0.11", "10.0.0.11"],
    ["lr-nat-add", "gw", "snat", "172.16.0.12", "10.0.0.12"],
    ["lr-route-add", "gw", "0.0.0.0/0", "172.16.0.254"],
  ],
};

/** Distributed gateway port (gateway_chassis) with NAT and distributed floating IPs. */
const DGP_NAT: Scenario = {
  name: "dgp nat",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp-pub", "00:00:00:00:ff:02", ["172.16.0.1/24", "fd10::1/64"], "pub"),
    ["lrp-set-gateway-chassis", "rp-pub", "hv1", "20"],
    ["lrp-set-gateway-chassis", "rp-pub", "hv2", "10"],
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
    ...vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.3"),
    ["lr-nat-add", "r0", "snat", "172.16.0.1", "10.0.0.0/24"],
    ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.20", "10.0.0.2", "p1", "00:00:00:00:aa:01"],
    ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.21", "10.0.0.3"],
    ["lr-nat-add", "r0", "dnat", "172.16.0.22", "10.0.0.4"],
    ["lr-nat-add", "r0", "snat", "fd10::1", "fd00::/64"],
    ["lr-nat-add", "r0", "dnat_and_snat", "fd10::20", "fd00::20"],
    ["lr-route-add", "r0", "0.0.0.0/0", "172.16.0.254"],
  ],
};

/** Distributed gateway port on an HA chassis group; router-to-router peering; static MAC bindings. */
const HA_PEERS: Scenario = {
  name: "ha peers",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["ha-chassis-group-add", "hag"],
    ["ha-chassis-group-add-chassis", "hag", "hv1", "30"],
    ["ha-chassis-group-add-chassis", "hag", "hv2", "20"],
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("r0", "rp-pub", "00:00:00:00:ff:02", ["172.16.0.1/24"], "pub"),
    ["lr-add", "r1"],
    ["lrp-add", "r0", "r0-r1", "00:00:00:00:fe:01", "100.64.0.1/30", "peer=r1-r0"],
    ["lrp-add", "r1", "r1-r0", "00:00:00:00:fe:02", "100.64.0.2/30", "peer=r0-r1"],
    ["lr-route-add", "r1", "10.0.0.0/24", "100.64.0.1"],
    ["lr-route-add", "r0", "0.0.0.0/0", "172.16.0.254"],
    ["static-mac-binding-add", "rp-pub", "172.16.0.254", "00:00:00:00:ee:01"],
    ["static-mac-binding-add", "rp0", "10.0.0.99", "00:00:00:00:ee:02"],
    [
      "--",
      "--id=@g",
      "get",
      "HA_Chassis_Group",
      "hag",
      "--",
      "set",
      "Logical_Router_Port",
      "rp-pub",
      "ha_chassis_group=@g",
    ],
    ["lr-nat-add", "r0", "snat", "172.16.0.1", "10.0.0.0/24"],
  ],
};

/** Load balancers on a gateway router (skip_snat, force_snat) and on a distributed router. */
const LB: Scenario = {
  name: "lb",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "gw"],
    ["set", "Logical_Router", "gw", "options:chassis=hv1", "options:lb_force_snat_ip=router_ip"],
    ...attach("gw", "gw-in", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("gw", "gw-out", "00:00:00:00:ff:02", ["172.16.0.1/24"], "pub"),
    ["lb-add", "lb1", "172.16.0.100:80", "10.0.0.2:8080,10.0.0.3:8080", "tcp"],
    ["lb-add", "lb2", "172.16.0.101", "10.0.0.4"],
    ["lb-add", "lb3", "172.16.0.102:53", "10.0.0.5:53", "udp"],
    ["set", "Load_Balancer", "lb3", "options:skip_snat=true"],
    ["lb-add", "lb4", "[fd10::100]:80", "[fd00::2]:8080", "tcp"],
    ["lr-lb-add", "gw", "lb1"],
    ["lr-lb-add", "gw", "lb2"],
    ["lr-lb-add", "gw", "lb3"],
    ["lr-lb-add", "gw", "lb4"],
    ["lr-nat-add", "gw", "snat", "172.16.0.1", "10.0.0.0/24"],
    ...sw("sw1"),
    ...sw("pub1"),
    ["lr-add", "r1"],
    ...attach("r1", "r1-in", "00:00:00:00:fe:01", ["10.1.0.1/24"], "sw1"),
    ...attach("r1", "r1-out", "00:00:00:00:fe:02", ["172.17.0.1/24"], "pub1"),
    ["lrp-set-gateway-chassis", "r1-out", "hv2", "10"],
    ["lb-add", "lb5", "172.17.0.100:80", "10.1.0.2:8080", "tcp"],
    ["set", "Load_Balancer", "lb5", "options:force_snat=true"],
    ["lr-lb-add", "r1", "lb5"],
    ["lb-add", "lb6", "172.17.0.101:8080", "10.1.0.3:80", "tcp"],
    ["lr-lb-add", "r1", "lb6"],
  ],
};

/** IPv6 router advertisements (ipv6_ra_configs) and prefix delegation. */
const IPV6_RA: Scenario = {
  name: "ipv6 ra",
  commands: [
    ...sw("sw0"),
    ...sw("sw1"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp1", "00:00:00:00:ff:02", ["fd01::1/64", "fd02::1/64"], "sw1"),
    [
      "set",
      "Logical_Router_Port",
      "rp0",
      "ipv6_ra_configs:address_mode=slaac",
      "ipv6_ra_configs:send_periodic=true",
      "ipv6_ra_configs:mtu=1400",
    ],
    [
      "set",
      "Logical_Router_Port",
      "rp1",
      "ipv6_ra_configs:address_mode=dhcpv6_stateful",
      "ipv6_ra_configs:router_preference=HIGH",
      "ipv6_ra_configs:rdnss=fd01::53",
      "ipv6_ra_configs:dnssl=example.com",
      "ipv6_ra_configs:route_info=HIGH-fd03::/64",
    ],
  ],
};

/** check_pkt_larger: gateway_mtu on a distributed gateway port and on a gateway router port. */
const GATEWAY_MTU: Scenario = {
  name: "gateway mtu",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp-pub", "00:00:00:00:ff:02", ["172.16.0.1/24", "fd10::1/64"], "pub"),
    ["lrp-set-gateway-chassis", "rp-pub", "hv1", "10"],
    ["lrp-set-options", "rp-pub", "gateway_mtu=1400"],
    ...sw("sw1"),
    ["lr-add", "gw"],
    ["set", "Logical_Router", "gw", "options:chassis=hv2"],
    ...attach("gw", "gw-in", "00:00:00:00:fe:01", ["10.1.0.1/24"], "sw1"),
    ["lrp-add", "gw", "gw-out", "00:00:00:00:fe:02", "172.17.0.1/24"],
    ["lrp-set-options", "gw-out", "gateway_mtu=1300", "gateway_mtu_bypass=tcp"],
    ...sw("sw2"),
    ["lr-add", "r2"],
    ...attach("r2", "r2a", "00:00:00:00:fd:01", ["10.2.0.1/24"], "sw2"),
    ["lrp-set-options", "r2a", "gateway_mtu=1450"],
    ["lrp-add", "r2", "r2b", "00:00:00:00:fd:02", "10.3.0.1/24"],
  ],
};

/** A second gateway router: NAT without force-SNAT options, stateless NAT, LBs without forced SNAT, ECMP symmetric reply. */
const GW_ROUTER_MORE: Scenario = {
  name: "gw router more",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "gw"],
    ["set", "Logical_Router", "gw", "options:chassis=hv1", "options:lb_force_snat_ip=172.16.0.250 fd10::250"],
    ...attach("gw", "gw-in", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("gw", "gw-out", "00:00:00:00:ff:02", ["172.16.0.1/24", "fd10::1/64"], "pub"),
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2 fd00::2"),
    ["lr-nat-add", "gw", "dnat", "172.16.0.10", "10.0.0.10"],
    ["--stateless", "lr-nat-add", "gw", "dnat_and_snat", "172.16.0.11", "10.0.0.11"],
    ["lr-nat-add", "gw", "snat", "fd10::1", "fd00::/64"],
    ["lr-nat-add", "gw", "dnat_and_snat", "fd10::20", "fd00::20"],
    ["lb-add", "lb1", "172.16.0.100:80", "10.0.0.2:8080,10.0.0.3:8080", "tcp"],
    ["lb-add", "lb2", "172.16.0.1:8080", "10.0.0.4:80", "tcp"],
    ["lb-add", "lb3", "[fd10::100]:80", "[fd00::2]:8080", "tcp"],
    ["set", "Load_Balancer", "lb3", "options:skip_snat=true"],
    ["lr-lb-add", "gw", "lb1"],
    ["lr-lb-add", "gw", "lb2"],
    ["lr-lb-add", "gw", "lb3"],
    ["--ecmp-symmetric-reply", "lr-route-add", "gw", "0.0.0.0/0", "172.16.0.253"],
    ["--ecmp-symmetric-reply", "lr-route-add", "gw", "0.0.0.0/0", "172.16.0.254"],
    ["lr-route-add", "gw", "20.0.0.0/24", "172.16.0.30", "gw-out"],
    ["lr-policy-add", "gw", "300", "ip4.src == 10.0.0.7", "reroute", "172.16.0.40", "pkt_mark=7"],
    ["lr-add", "gw2"],
    ["set", "Logical_Router", "gw2", "options:chassis=hv2"],
    ["lrp-add", "gw2", "gw2-p", "00:00:00:00:fe:01", "192.168.5.1/24"],
    ["lb-add", "lb9", "192.168.5.100:80", "192.168.5.2:80", "tcp"],
    ["lr-lb-add", "gw2", "lb9"],
  ],
};

/** More distributed routers: stateless and NAT on a router without a gateway port, LB on it too. */
const DGP_MORE: Scenario = {
  name: "dgp more",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("r0", "rp-pub", "00:00:00:00:ff:02", ["172.16.0.1/24"], "pub"),
    ["lrp-set-gateway-chassis", "rp-pub", "hv1", "20"],
    ...vif("sw0", "p9", "00:00:00:00:00:09 10.0.0.31"),
    ["--stateless", "lr-nat-add", "r0", "dnat_and_snat", "172.16.0.30", "10.0.0.30"],
    ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.31", "10.0.0.31", "p9", "00:00:00:00:aa:09"],
    ["lr-nat-add", "r0", "snat", "172.16.0.32", "10.0.0.128/25"],
    ["lr-nat-add", "r0", "dnat_and_snat", "192.0.2.5", "10.0.0.33"],
    ["lb-add", "lb1", "172.16.0.1:80", "10.0.0.2:8080,10.0.0.3:8080", "tcp"],
    ["lb-add", "lb2", "172.16.0.50", "10.0.0.4,10.0.0.5"],
    ["lr-lb-add", "r0", "lb1"],
    ["lr-lb-add", "r0", "lb2"],
    ...sw("sw1"),
    ["lr-add", "plain"],
    ...attach("plain", "pl0", "00:00:00:00:fd:01", ["10.1.0.1/24"], "sw1"),
    ["lr-nat-add", "plain", "snat", "10.1.0.1", "10.1.1.0/24"],
    ["lb-add", "lb3", "10.1.0.100:80", "10.1.0.2:80", "tcp"],
    ["lr-lb-add", "plain", "lb3"],
  ],
};

/** Changes after the first sync, one at a time: the incremental path must give what a recompute gives. */
const STEPS: Scenario = {
  name: "steps",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("r0", "rp-pub", "00:00:00:00:ff:02", ["172.16.0.1/24"], "pub"),
    ["lr-add", "r1"],
    ...attach("r1", "r1p", "00:00:00:00:fe:01", ["10.0.0.254/24"], "sw0"),
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
    ["create", "Address_Set", "name=exempt", 'addresses="1.1.1.1"'],
    natWithAddressSet("r0", "172.16.0.11", "10.0.0.11", "exempted_ext_ips", "exempt"),
  ],
  steps: [
    ...vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.3"),
    ["set", "Logical_Router_Port", "r1p", "networks=10.0.0.253/24", 'mac="00:00:00:00:fe:09"'],
    ["lrp-set-gateway-chassis", "rp-pub", "hv1", "20"],
    ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.20", "10.0.0.2", "p1", "00:00:00:00:aa:01"],
    ["lr-route-add", "r0", "0.0.0.0/0", "172.16.0.254"],
    ["lr-policy-add", "r0", "100", "ip4.src == 10.0.0.2", "drop"],
    ["lb-add", "lb1", "172.16.0.100:80", "10.0.0.2:8080", "tcp"],
    ["lr-lb-add", "r0", "lb1"],
    ["lsp-set-addresses", "p1", "00:00:00:00:00:11 10.0.0.12"],
    ["lrp-del", "r1p"],
    ["set", "Logical_Router", "r0", "options:always_learn_from_arp_request=false"],
    ["lsp-del", "p2"],
    ["lsp-del", "ln"],
    ...typedPort("pub", "vt", "vtep", []),
    ["lrp-set-options", "rp0", "gateway_mtu=1400"],
  ],
};

/** NAT address sets and port ranges, a VIP shared with a NAT address, unreachable routes, LB corner cases. */
const MISC: Scenario = {
  name: "misc",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["create", "Address_Set", "name=allowed", 'addresses="8.8.8.8","9.9.9.0/24"'],
    ["create", "Address_Set", "name=exempt", 'addresses="1.1.1.1"'],
    ["lr-add", "gw"],
    ["set", "Logical_Router", "gw", "options:chassis=hv1"],
    ...attach("gw", "gw-in", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("gw", "gw-out", "00:00:00:00:ff:02", ["172.16.0.1/24"], "pub"),
    natWithAddressSet("gw", "172.16.0.10", "10.0.0.10", "allowed_ext_ips", "allowed"),
    ["lr-nat-add", "gw", "snat", "172.16.0.11", "10.0.0.0/25"],
    ["--portrange", "lr-nat-add", "gw", "snat", "172.16.0.12", "10.0.0.128/25", "1000-2000"],
    ["lb-add", "lb1", "172.16.0.11:80", "10.0.0.2:8080", "tcp"],
    ["lb-add", "lb2", "172.16.0.60:80", "", "tcp"],
    ["lr-lb-add", "gw", "lb1"],
    ["lr-lb-add", "gw", "lb2"],
    ["lr-route-add", "gw", "5.0.0.0/8", "99.99.99.99"],
    ["lr-route-add", "gw", "6.0.0.0/8", "172.16.0.66"],
    natWithAddressSet("gw", "172.16.0.13", "10.0.0.13", "exempted_ext_ips", "exempt"),
  ],
};

/** The same NAT options on a distributed router (kept apart: a flow shared by two NAT routers gets either's hint). */
const MISC_DGP: Scenario = {
  name: "misc dgp",
  commands: [
    ["create", "Address_Set", "name=allowed", 'addresses="8.8.8.8","9.9.9.0/24"'],
    ["create", "Address_Set", "name=exempt", 'addresses="1.1.1.1"'],
    ["lr-add", "r0"],
    ...sw("sw1"),
    ...sw("pub1"),
    ...attach("r0", "rp0", "00:00:00:00:fe:01", ["10.1.0.1/24"], "sw1"),
    ...attach("r0", "rp-pub", "00:00:00:00:fe:02", ["172.17.0.1/24"], "pub1"),
    ["lrp-set-gateway-chassis", "rp-pub", "hv2", "10"],
    ["lr-nat-add", "r0", "dnat_and_snat", "172.17.0.10", "10.1.0.10"],
    ["--portrange", "lr-nat-add", "r0", "snat", "172.17.0.12", "10.1.0.0/24", "3000-4000"],
    ["lrp-set-options", "rp0", "reside-on-redirect-chassis=true"],
    natWithAddressSet("r0", "172.17.0.11", "10.1.0.11", "exempted_ext_ips", "exempt"),
    natWithAddressSet("r0", "172.17.0.13", "10.1.0.13", "allowed_ext_ips", "allowed"),
  ],
};

/** Two distributed gateway ports (NAT rules name theirs), a vtep peer, an IPv6-only port, dynamic_neigh_routers. */
const MULTI_DGP: Scenario = {
  name: "multi dgp",
  commands: [
    ...sw("sw0"),
    ...sw("pub1"),
    ...sw("pub2"),
    ...sw("v6"),
    ...localnet("pub1", "ln1"),
    ...typedPort("pub2", "vt", "vtep", [], ["vtep-physical-switch=ps", "vtep-logical-switch=ls"]),
    ["lr-add", "r0"],
    ["set", "Logical_Router", "r0", "options:dynamic_neigh_routers=true"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("r0", "g1", "00:00:00:00:ff:02", ["172.16.1.1/24"], "pub1"),
    ...attach("r0", "g2", "00:00:00:00:ff:03", ["172.16.2.1/24"], "pub2"),
    ...attach("r0", "v6p", "00:00:00:00:ff:04", ["fd66::1/64"], "v6"),
    ["lrp-set-gateway-chassis", "g1", "hv1", "10"],
    ["lrp-set-gateway-chassis", "g2", "hv2", "10"],
    ["--gateway-port=g1", "lr-nat-add", "r0", "snat", "172.16.1.1", "10.0.0.0/24"],
    ["--gateway-port=g2", "lr-nat-add", "r0", "dnat_and_snat", "172.16.2.10", "10.0.0.10"],
    ["lr-nat-add", "r0", "dnat", "172.16.2.11", "10.0.0.11"],
    ["lr-add", "r1"],
    ...attach("r1", "r1p", "00:00:00:00:fe:01", ["10.0.0.254/24"], "sw0"),
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
    ...vif("v6", "q1", "00:00:00:00:06:01 fd66::2"),
  ],
};

/** Multicast relay with a flooding port, a gateway router with lb_force_snat_ip=router_ip on IPv6 ports, LB affinity. */
const MCAST_LB: Scenario = {
  name: "mcast lb",
  commands: [
    ...sw("sw0"),
    ...sw("sw1"),
    ["lr-add", "r0"],
    ["set", "Logical_Router", "r0", "options:mcast_relay=true"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ...attach("r0", "rp1", "00:00:00:00:ff:02", ["10.1.0.1/24"], "sw1"),
    ["lrp-set-options", "rp1", "mcast_flood=true"],
    ...sw("sw9"),
    ["lr-add", "r9"],
    ...attach("r9", "r9p", "00:00:00:00:f9:01", ["10.9.0.1/24"], "sw9"),
    ["lrp-add", "r9", "r9q", "00:00:00:00:f9:02", "10.9.1.1/24"],
    ["lrp-set-options", "r9p", "mcast_flood=true"],
    ...sw("sw2"),
    ...sw("pub"),
    ["lr-add", "gw"],
    ["set", "Logical_Router", "gw", "options:chassis=hv1", "options:lb_force_snat_ip=router_ip"],
    ...attach("gw", "gw-in", "00:00:00:00:fe:01", ["10.2.0.1/24", "fd02::1/64"], "sw2"),
    ...attach("gw", "gw-out", "00:00:00:00:fe:02", ["172.16.0.1/24", "fd10::1/64"], "pub"),
    ["lb-add", "lb1", "172.16.0.100:80", "10.2.0.2:8080,10.2.0.3:8080", "tcp"],
    ["set", "Load_Balancer", "lb1", "options:affinity_timeout=60"],
    ["lb-add", "lb2", "[fd10::100]:80", "[fd02::2]:8080", "tcp"],
    ["lr-lb-add", "gw", "lb1"],
    ["lr-lb-add", "gw", "lb2"],
  ],
};

/** LB rejects, hairpin SNAT, bridged redirect, BFD on a route, IPv6 prefix delegation, IPv6 LB on a gateway port. */
const EDGES: Scenario = {
  name: "edges",
  commands: [
    ...sw("sw0"),
    ...sw("pub"),
    ...localnet("pub", "ln"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp-pub", "00:00:00:00:ff:02", ["172.16.0.1/24", "fd10::1/64"], "pub"),
    ["lrp-set-gateway-chassis", "rp-pub", "hv1", "20"],
    ["lrp-set-redirect-type", "rp-pub", "bridged"],
    ["--reject", "lb-add", "lb1", "172.16.0.100:80", "", "tcp"],
    ["lb-add", "lb2", "172.16.0.101:80", "10.0.0.2:80", "tcp"],
    ["set", "Load_Balancer", "lb2", "options:hairpin_snat_ip=172.16.0.99"],
    ["lb-add", "lb3", "[fd10::100]:80", "[fd00::2]:8080", "tcp"],
    ["lr-lb-add", "r0", "lb1"],
    ["lr-lb-add", "r0", "lb2"],
    ["lr-lb-add", "r0", "lb3"],
    ["--bfd", "lr-route-add", "r0", "0.0.0.0/0", "172.16.0.254", "rp-pub"],
    ["lrp-set-options", "rp-pub", "prefix_delegation=true"],
    ["lrp-set-options", "rp0", "prefix=true"],
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
    ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.20", "10.0.0.2", "p1", "00:00:00:00:aa:01"],
  ],
};

/** Cases that depend on the northd core (IPAM, the incremental engine's row index), not the builders. */
export const CORE_CASES: readonly Scenario[] = [
  {
    // Two routers write the same flow with their own hints; ovn-northd keeps one row (a datapath
    // group) with the hint of whichever router came first (the harness compares the hint's table).
    name: "one flow, two NAT routers",
    commands: [
      ["lr-add", "gw"],
      ["set", "Logical_Router", "gw", "options:chassis=hv1"],
      ["lrp-add", "gw", "gw-p", "00:00:00:00:ff:01", "172.16.0.1/24"],
      ["lr-nat-add", "gw", "snat", "172.16.0.1", "10.0.0.0/24"],
      ["lr-add", "gw2"],
      ["set", "Logical_Router", "gw2", "options:chassis=hv2"],
      ["lrp-add", "gw2", "gw2-p", "00:00:00:00:ff:02", "172.17.0.1/24"],
      ["lr-nat-add", "gw2", "snat", "172.17.0.1", "10.1.0.0/24"],
    ],
  },
  {
    // Incremental: the router whose NAT names an address set is rebuilt when the set is renamed.
    name: "address set renamed under a NAT",
    commands: [
      ...sw("pub"),
      ["lr-add", "r0"],
      ...attach("r0", "rp-pub", "00:00:00:00:ff:02", ["172.16.0.1/24"], "pub"),
      ["lrp-set-gateway-chassis", "rp-pub", "hv1", "20"],
      ["create", "Address_Set", "name=exempt", 'addresses="1.1.1.1"'],
      natWithAddressSet("r0", "172.16.0.11", "10.0.0.11", "exempted_ext_ips", "exempt"),
    ],
    steps: [["set", "Address_Set", "exempt", "name=exempt2"]],
  },
  {
    // IPAM (src/northd/ipam.ts): the router port's address is taken, the port's shows in the router's flows.
    name: "dynamic addresses behind a router",
    commands: [
      ...sw("sw0"),
      ["set", "Logical_Switch", "sw0", "other_config:subnet=10.0.0.0/24"],
      ["lr-add", "r0"],
      ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
      ...vif("sw0", "p4", "dynamic"),
    ],
    steps: [["lsp-add", "sw0", "p5", "--", "lsp-set-addresses", "p5", "dynamic"]],
  },
  {
    // Incremental: a new BFD row naming a router port rebuilds that router.
    name: "BFD session added for a router port",
    commands: [
      ["lr-add", "r0"],
      ["lrp-add", "r0", "rp", "00:00:00:00:ff:01", "172.16.0.1/24"],
    ],
    steps: [["create", "BFD", "logical_port=rp", "dst_ip=172.16.0.254"]],
  },
];

/** Routes through an output port to next hops outside its networks (IPv6 link-local, "unnumbered"). */
const UNNUMBERED: Scenario = {
  name: "unnumbered",
  commands: [
    ...sw("sw0"),
    ...sw("sw1"),
    ["lr-add", "r0"],
    ...attach("r0", "rp0", "00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"], "sw0"),
    ...attach("r0", "rp1", "00:00:00:00:ff:02", ["fd01::1/64"], "sw1"),
    ["lr-route-add", "r0", "2001:db8:1::/48", "fe80::1", "rp1"],
    ["lr-route-add", "r0", "90.0.0.0/8", "99.0.0.1", "rp0"],
    ["lr-route-add", "r0", "::/0", "fd01::fe"],
    ["lr-policy-add", "r0", "10", "ip6.dst == 2001:db8:2::/48", "reroute", "fd00::99"],
    ["lr-add", "gw"],
    ["set", "Logical_Router", "gw", "options:chassis=hv1"],
    ["lrp-add", "gw", "gw-p", "00:00:00:00:fe:01", "172.16.0.1/24"],
    ["lr-nat-add", "gw", "snat", "172.16.0.1", "10.0.0.0/8"],
  ],
};

/** Port ranges on DNAT, a floating IP on a gateway router, LBs with skip_snat on a plain router. */
const RANGES: Scenario = {
  name: "ranges",
  commands: [
    ...sw("sw0"),
    ...vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
    ["lr-add", "gw"],
    [
      "set",
      "Logical_Router",
      "gw",
      "options:chassis=hv1",
      "options:dnat_force_snat_ip=172.16.0.200",
      "options:lb_force_snat_ip=172.16.0.201",
      "options:snat-ct-zone=10",
    ],
    ...attach("gw", "gw-in", "00:00:00:00:ff:01", ["10.0.0.1/24"], "sw0"),
    ["lrp-add", "gw", "gw-out", "00:00:00:00:ff:02", "172.16.0.1/24"],
    ["lr-nat-add", "gw", "dnat_and_snat", "172.16.0.20", "10.0.0.2", "p1", "00:00:00:00:aa:01"],
    ["--portrange", "lr-nat-add", "gw", "dnat_and_snat", "172.16.0.21", "10.0.0.3", "5000-6000"],
    ["lb-add", "lb1", "172.16.0.100:80", "10.0.0.2:8080", "tcp"],
    ["lr-lb-add", "gw", "lb1"],
    ["lb-add", "lb2", "172.16.0.101", "10.0.0.2,10.0.0.3"],
    ["lr-lb-add", "gw", "lb2"],
    ["lr-add", "plain"],
    ["lrp-add", "plain", "pa", "00:00:00:00:fc:01", "10.8.0.1/24"],
    ["lb-add", "lb4", "10.8.0.100:80", "10.8.0.2:8080", "tcp"],
    ["lr-lb-add", "plain", "lb4"],
    ["set", "Load_Balancer", "lb4", "options:skip_snat=true"],
  ],
};

/** skip_snat on a distributed router's LB, a centralized (reside-on-redirect-chassis) port. */
const SKIP_SNAT_DGP: Scenario = {
  name: "skip snat dgp",
  commands: [
    ["lr-add", "r1"],
    ["lrp-add", "r1", "r1a", "00:00:00:00:fd:01", "10.5.0.1/24", "10.6.0.1/24"],
    ["lrp-add", "r1", "r1b", "00:00:00:00:fd:02", "10.7.0.1/24"],
    ["lrp-set-gateway-chassis", "r1b", "hv1", "1"],
    ["lrp-set-options", "r1a", "reside-on-redirect-chassis=true"],
    ["lr-nat-add", "r1", "snat", "10.7.0.1", "10.5.0.0/24"],
    ["--portrange", "lr-nat-add", "r1", "dnat_and_snat", "10.7.0.50", "10.5.0.5", "100-200"],
    ["lb-add", "lb3", "10.7.0.100:80", "10.5.0.2:8080,10.5.0.3:8080", "tcp"],
    ["lr-lb-add", "r1", "lb3"],
    ["set", "Load_Balancer", "lb3", "options:skip_snat=true"],
  ],
};

/**
 * Router load balancer VIPs inside and outside the router's networks: only those inside get ARP / ND
 * replies (the _rtr_lb_* address sets); a step moves a network under the outside VIP.
 */
const LB_VIP_REACH: Scenario = {
  name: "lb vips in and out of the router's networks",
  commands: [
    ...sw("pub"),
    ...sw("in"),
    ["lr-add", "gw"],
    ["set", "Logical_Router", "gw", "options:chassis=hv1"],
    ...attach("gw", "gw-pub", "00:00:00:00:ff:01", ["172.16.0.1/24", "fd72::1/64"], "pub"),
    ...attach("gw", "gw-in", "00:00:00:00:ff:02", ["10.0.0.1/24"], "in"),
    ["lb-add", "lb-in", "172.16.0.200:80", "10.0.0.10:8080", "tcp"],
    ["lb-add", "lb-out", "10.0.200.10:80", "10.0.0.11:8080", "tcp"],
    ["lb-add", "lb-v6", "[fd99::10]:80", "[fd72::10]:8080", "tcp"],
    ["lr-lb-add", "gw", "lb-in"],
    ["lr-lb-add", "gw", "lb-out"],
    ["lr-lb-add", "gw", "lb-v6"],
  ],
  steps: [["lrp-add", "gw", "gw-far", "00:00:00:00:ff:03", "10.0.200.1/24"]],
};

export const ROUTER_SCENARIOS: readonly Scenario[] = [
  LB_VIP_REACH,
  PORTS,
  OPTIONS,
  ROUTES,
  POLICIES,
  GW_ROUTER_NAT,
  DGP_NAT,
  HA_PEERS,
  LB,
  IPV6_RA,
  GATEWAY_MTU,
  GW_ROUTER_MORE,
  DGP_MORE,
  STEPS,
  MISC,
  MISC_DGP,
  MULTI_DGP,
  MCAST_LB,
  EDGES,
  UNNUMBERED,
  RANGES,
  SKIP_SNAT_DGP,
];
