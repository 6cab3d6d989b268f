// The probes of actions-diff.test.ts: what is injected where, and which frame answers it.
import {
  arp,
  dhcp6Solicit,
  dhcpDiscover,
  dhcpRequest,
  dnsQuery,
  ping4,
  rs6,
  sctpInit4,
  tcp4,
  tryDecode,
  udp4,
} from "../../../../test/support/frames.js";
import { parseIpv4OrThrow, parseIpv6OrThrow, parseMacOrThrow } from "../../../packet/bytes.js";
import {
  DHCP_INFORM,
  DHCP_OPT_MSG_TYPE,
  DHCP_OPT_REQUESTED_IP,
  DHCP_REQUEST,
} from "../../../packet/dhcp4.js";
import { ETH_TYPE_IPV6 } from "../../../packet/ethernet.js";
import { encodeFrame } from "../../../packet/frame.js";
import { encodeNd, ND_NEIGHBOR_ADVERT } from "../../../packet/icmp6.js";
import { IP_PROTO_ICMPV6 } from "../../../packet/ipv4.js";
import { big, dadNs, dhcp4, dhcp6, dns6, dnsOdd, E, icmp, syn6, udp6Big, udpTo } from "./diff-frames.js";
import { DNS_PROBES } from "./diff-probes-dns.js";
import { MORE_PROBES } from "./diff-probes-more.js";
import { R0, R2, VM1, VM3, type VmName } from "./diff-topology.js";

/** A probe: a frame injected on a VIF, and the answers (frames the VIFs send) that belong to it. */
/**
 * How long to wait on probes the real controller leaves unanswered (it answers the others within
 * milliseconds): long enough for an answer to show, short enough to keep the file fast.
 */
const UNANSWERED_MS = 1000;

export interface Probe {
  readonly name: string;
  readonly from: VmName;
  readonly frame: Uint8Array;
  /** Which VIF's output to read, and which of its frames answer the probe. */
  readonly on: VmName;
  /** Undefined: the probe's effect is on Southbound rows only (compared after all probes). */
  readonly match?: (f: Uint8Array) => boolean;
  /** How long to wait for the answer (default 3 s). */
  readonly waitMs?: number;
  /**
   * Follow the probe with a DNS query that is answered (the barrier): controllers handle packet-ins in
   * order, so once the barrier's answer is out, a probe without an answer yet has none (a fast "no").
   */
  readonly barrier?: boolean;
}

export const PROBES: readonly Probe[] = [
  ...DNS_PROBES,
  ...MORE_PROBES,
  ...(
    [
      ["A", "vm2.ovn.test", 1],
      ["AAAA", "vm2.ovn.test", 28],
      ["PTR (IPv4)", "12.0.0.10.in-addr.arpa", 12],
      ["PTR (IPv6)", "2.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", 12],
      ["ANY", "vm2.ovn.test", 255],
      ["A, upper case", "VM2.OVN.TEST", 1],
    ] as const
  ).map(
    ([what, name, type], i): Probe => ({
      name: `DNS ${what} query for ${name}`,
      from: "vm1",
      frame: dnsQuery({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip, id: 0x4200 + i, name, type }),
      on: "vm1",
      match: (f) => {
        const d = tryDecode(f);
        return (
          d !== undefined && d.l3.kind === "ipv4" && d.l3.l4.kind === "udp" && d.l3.l4.udp.srcPort === 53
        );
      },
    }),
  ),
  {
    name: "DNS AAAA query over IPv6",
    from: "vm1",
    frame: dns6(0x4300, "vm2.ovn.test", 28),
    on: "vm1",
    match: (f) => {
      const d = tryDecode(f);
      return d !== undefined && d.l3.kind === "ipv6" && d.l3.l4.kind === "udp" && d.l3.l4.udp.srcPort === 53;
    },
  },
  ...(["edns", "two-questions", "opcode"] as const).map(
    (odd, i): Probe => ({
      name: `DNS A query, ${odd === "edns" ? "with an EDNS(0) OPT record (not answered)" : odd === "opcode" ? "opcode STATUS" : "a second question (AAAA)"}`,
      from: "vm1",
      frame: dnsOdd(0x4400 + i, "vm2.ovn.test", odd),
      on: "vm1",
      ...(odd === "edns" ? { waitMs: UNANSWERED_MS } : {}),
      match: (f) => {
        const d = tryDecode(f);
        return (
          d !== undefined && d.l3.kind === "ipv4" && d.l3.l4.kind === "udp" && d.l3.l4.udp.dstPort === 33335
        );
      },
    }),
  ),
  {
    name: "a TCP SYN to the router's IPv6 address → RST (tcp_reset over IPv6)",
    from: "vm1",
    frame: syn6(R0.mac, R0.ip6, 80),
    on: "vm1",
    match: (f) => {
      const d = tryDecode(f);
      return d !== undefined && d.l3.kind === "ipv6" && d.l3.l4.kind === "tcp";
    },
  },
  {
    name: "an SCTP INIT to the router's IPv4 address → ABORT (sctp_abort)",
    from: "vm1",
    frame: sctpInit4({
      src: VM1.mac,
      dst: R0.mac,
      sip: VM1.ip,
      dip: R0.ip,
      sport: 5000,
      dport: 6000,
      tag: 0x01020304,
    }),
    on: "vm1",
    match: (f) => {
      const d = tryDecode(f);
      return d !== undefined && d.l3.kind === "ipv4" && d.l3.ip.protocol === 132;
    },
  },
  {
    name: "UDP to vm3:5555, rejected by an ACL → ICMP port unreachable (reject)",
    from: "vm1",
    frame: udp4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: VM3.ip, dport: 5555, payload: big(100) }),
    on: "vm1",
    match: icmp("icmp4", 3),
  },
  {
    name: "UDP over IPv6 to vm3:5555, rejected by an ACL → ICMPv6 unreachable (reject)",
    from: "vm1",
    frame: udp6Big({ dport: 5555, dip: VM3.ip6, hopLimit: 64, n: 100 }),
    on: "vm1",
    match: icmp("icmp6", 1),
  },
  {
    name: "TCP over IPv6 to vm3:5555, rejected by an ACL → RST (reject)",
    from: "vm1",
    frame: syn6(R0.mac, VM3.ip6, 5555),
    on: "vm1",
    match: (f) => {
      const d = tryDecode(f);
      return d !== undefined && d.l3.kind === "ipv6" && d.l3.l4.kind === "tcp";
    },
  },
  {
    name: "DHCPDISCOVER → OFFER",
    from: "vm1",
    frame: dhcpDiscover({ mac: VM1.mac, xid: 0x5501 }),
    on: "vm1",
    match: udpTo(68),
  },
  {
    name: "DHCPDISCOVER from an iPXE client (option 175) → OFFER with bootfile_name",
    from: "vm1",
    frame: dhcp4(0x5506, "0.0.0.0", "255.255.255.255", [
      { code: DHCP_OPT_MSG_TYPE, data: new Uint8Array([1]) },
      { code: 175, data: Uint8Array.of(1, 1, 1) },
    ]),
    on: "vm1",
    match: udpTo(68),
  },
  {
    name: "DHCPREQUEST for another address → NAK",
    from: "vm1",
    frame: dhcpRequest({ mac: VM1.mac, xid: 0x5502, requested: "10.0.0.99", serverId: R0.ip }),
    on: "vm1",
    match: udpTo(68),
  },
  {
    name: "DHCPREQUEST renewing (ciaddr set, unicast to the server) → ACK",
    from: "vm1",
    frame: dhcp4(0x5503, VM1.ip, R0.ip, [{ code: DHCP_OPT_MSG_TYPE, data: new Uint8Array([DHCP_REQUEST]) }]),
    on: "vm1",
    match: udpTo(68),
  },
  {
    name: "DHCPINFORM → ACK without a lease",
    from: "vm1",
    frame: dhcp4(0x5504, VM1.ip, "255.255.255.255", [
      { code: DHCP_OPT_MSG_TYPE, data: new Uint8Array([DHCP_INFORM]) },
    ]),
    on: "vm1",
    match: udpTo(68),
  },
  {
    name: "DHCPREQUEST (selecting) with requested address and no server id → ACK",
    from: "vm1",
    frame: dhcp4(0x5505, "0.0.0.0", "255.255.255.255", [
      { code: DHCP_OPT_MSG_TYPE, data: new Uint8Array([DHCP_REQUEST]) },
      { code: DHCP_OPT_REQUESTED_IP, data: parseIpv4OrThrow(VM1.ip) },
    ]),
    on: "vm1",
    match: udpTo(68),
  },
  {
    name: "DAD probe (NS from ::) for the router's address → NA to all-nodes (nd_na_router)",
    from: "vm1",
    frame: dadNs(R0.ip6),
    on: "vm1",
    match: icmp("icmp6", 136),
  },
  {
    name: "a 1400-byte DF datagram routed out of lrp3 (gateway_mtu 1300) → ICMP frag needed (put_icmp4_frag_mtu)",
    from: "vm1",
    frame: udp4({ src: VM1.mac, dst: R2.mac, sip: VM1.ip, dip: "30.0.0.5", payload: big(1400) }),
    on: "vm1",
    match: icmp("icmp4", 3),
  },
  {
    name: "a 1400-byte IPv6 datagram routed out of lrp3 (gateway_mtu 1300) → ICMPv6 packet too big",
    from: "vm1",
    frame: udp6Big({ dport: 7777, dip: "2001:db8:3::5", hopLimit: 64, n: 1400, dst: R2.mac }),
    on: "vm1",
    match: icmp("icmp6", 2),
  },
  {
    name: "DHCPv6 Solicit (frames.ts) → Advertise",
    from: "vm1",
    frame: dhcp6Solicit({ mac: VM1.mac, sip: VM1.lla, xid: 0x444444 }),
    on: "vm1",
    match: udpTo(546),
  },
  {
    name: "DHCPv6 Information-Request (stateless) → Reply",
    from: "vm1",
    frame: dhcp6(11, 0x111111, [0, 6, 0, 4, 0, 23, 0, 24, 0, 8, 0, 2, 0, 0]),
    on: "vm1",
    match: udpTo(546),
  },
  {
    name: "DHCPv6 Request for IA_NA → Reply with the address",
    from: "vm1",
    frame: dhcp6(3, 0x222222, [
      ...[0, 2, 0, 10, 0, 3, 0, 1, ...parseMacOrThrow(R0.mac)],
      ...[0, 3, 0, 12, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0],
      ...[0, 8, 0, 2, 0, 0],
    ]),
    on: "vm1",
    match: udpTo(546),
  },
  {
    name: "DHCPv6 Solicit with Rapid Commit → Reply",
    from: "vm1",
    frame: dhcp6(1, 0x333333, [
      ...[0, 3, 0, 12, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0],
      ...[0, 14, 0, 0],
      ...[0, 8, 0, 2, 0, 0],
    ]),
    on: "vm1",
    match: udpTo(546),
  },
  ...(
    [
      ["Renew", 5],
      ["Rebind", 6],
      ["Confirm", 4],
      ["Release", 8],
      ["Decline", 9],
    ] as const
  ).map(
    ([what, type], i): Probe => ({
      name: `DHCPv6 ${what} for IA_NA`,
      ...(type === 5 || type === 6 || type === 8 ? { waitMs: UNANSWERED_MS } : {}),
      from: "vm1",
      frame: dhcp6(type, 0x555500 + i, [
        ...[0, 2, 0, 10, 0, 3, 0, 1, ...parseMacOrThrow(R0.mac)],
        ...[0, 3, 0, 40, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0],
        ...[0, 5, 0, 24, ...parseIpv6OrThrow(VM1.ip6), 0, 0, 0, 0, 0, 0, 0, 0],
        ...[0, 8, 0, 2, 0, 0],
      ]),
      on: "vm1",
      match: udpTo(546),
    }),
  ),
  {
    name: "DHCPv6 Solicit without IA_NA → Advertise",
    from: "vm1",
    frame: dhcp6(1, 0x666666, [0, 8, 0, 2, 0, 0]),
    waitMs: UNANSWERED_MS,
    on: "vm1",
    match: udpTo(546),
  },
  {
    name: "RS → RA with MTU, RDNSS, DNSSL, router preference, route info (put_nd_ra_opts)",
    from: "vm1",
    frame: rs6({ src: VM1.mac, sip: VM1.lla }),
    on: "vm1",
    match: (f) => {
      const d = tryDecode(f);
      return icmp("icmp6", 134)(f) && d?.l3.kind === "ipv6" && d.l3.ip.dst === VM1.lla;
    },
  },
  {
    name: "a 1000-byte UDP datagram to the router's IPv4 address → ICMP port unreachable (quoted length)",
    from: "vm1",
    frame: udp4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip, dport: 7777, payload: big(1000) }),
    on: "vm1",
    match: icmp("icmp4", 3),
  },
  {
    name: "a 1200-byte routed IPv4 datagram with TTL 1 → ICMP time exceeded (quoted length)",
    from: "vm1",
    frame: udp4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: VM3.ip, ttl: 1, payload: big(1200) }),
    on: "vm1",
    match: icmp("icmp4", 11),
  },
  {
    name: "a 1300-byte UDP datagram to the router's IPv6 address → ICMPv6 port unreachable (quoted length)",
    from: "vm1",
    frame: udp6Big({ dport: 7777, dip: R0.ip6, hopLimit: 64, n: 1300 }),
    on: "vm1",
    match: icmp("icmp6", 1),
  },
  {
    name: "a 1300-byte routed IPv6 datagram with hop limit 1 → ICMPv6 time exceeded (quoted length)",
    from: "vm1",
    frame: udp6Big({ dport: 7777, dip: VM3.ip6, hopLimit: 1, n: 1300 }),
    on: "vm1",
    match: icmp("icmp6", 3),
  },
  {
    name: "an ICMP echo to the router's IPv4 address → echo reply",
    from: "vm1",
    frame: ping4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip, id: 7, seq: 1 }),
    on: "vm1",
    match: icmp("icmp4", 0),
  },
  {
    name: "a routed IPv6 datagram to an unresolved neighbour → the router's NS on sw1 (nd_ns)",
    from: "vm1",
    frame: udp6Big({ dport: 9, dip: "2001:db8:1::99", hopLimit: 64, n: 10 }),
    on: "vm3",
    match: icmp("icmp6", 135),
  },
  {
    name: "a SYN to lb4's VIP 10.0.0.200:80 (no backends) → Controller_Event empty_lb_backends",
    from: "vm1",
    frame: tcp4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: "10.0.0.200", sport: 1000, dport: 80 }),
    on: "vm1",
  },
  {
    name: "a SYN to lb6's VIP [fd00::200]:80 (no backends) → Controller_Event empty_lb_backends",
    from: "vm1",
    frame: syn6(R0.mac, "fd00::200", 80),
    on: "vm1",
  },
  {
    name: "a gratuitous ARP reply from vm3 for 20.0.0.99 → MAC_Binding on lrp1 (put_arp)",
    from: "vm3",
    frame: arp({
      op: 2,
      sha: VM3.mac,
      spa: "20.0.0.99",
      tha: "00:00:00:00:ff:02",
      tpa: "20.0.0.1",
      dst: "00:00:00:00:ff:02",
    }),
    on: "vm3",
  },
  {
    name: "an NA from vm3 for 2001:db8:1::99 (the nd_ns above) → MAC_Binding on lrp1 (put_nd)",
    from: "vm3",
    frame: encodeFrame({
      eth: { src: VM3.mac, dst: "00:00:00:00:ff:02", vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
      l3: {
        kind: "ipv6",
        ip: {
          trafficClass: 0,
          flowLabel: 0,
          hopLimit: 255,
          src: "2001:db8:1::99",
          dst: "fe80::200:ff:fe00:ff02",
          extensions: [],
          protocol: IP_PROTO_ICMPV6,
          payload: E,
          trailer: E,
        },
        l4: {
          kind: "icmp6",
          icmp: {
            type: ND_NEIGHBOR_ADVERT,
            code: 0,
            body: encodeNd({
              kind: "na",
              flags: 0x60000000,
              target: "2001:db8:1::99",
              options: [{ kind: "tll", mac: VM3.mac }],
            }),
          },
        },
      },
    }),
    on: "vm3",
  },
  {
    name: "a gratuitous ARP from vm1 for vip4's 10.0.0.100 → vip4 bound here, virtual_parent vm1 (bind_vport)",
    from: "vm1",
    frame: arp({ op: 2, sha: VM1.mac, spa: "10.0.0.100", tha: "ff:ff:ff:ff:ff:ff", tpa: "10.0.0.100" }),
    on: "vm1",
  },
  {
    name: "an unsolicited NA from vm1 for vip6's fd00::100 → vip6 bound here, virtual_parent vm1 (bind_vport, IPv6)",
    from: "vm1",
    frame: encodeFrame({
      eth: { src: VM1.mac, dst: "33:33:00:00:00:01", vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
      l3: {
        kind: "ipv6",
        ip: {
          trafficClass: 0,
          flowLabel: 0,
          hopLimit: 255,
          src: "fd00::100",
          dst: "ff02::1",
          extensions: [],
          protocol: IP_PROTO_ICMPV6,
          payload: E,
          trailer: E,
        },
        l4: {
          kind: "icmp6",
          icmp: {
            type: ND_NEIGHBOR_ADVERT,
            code: 0,
            body: encodeNd({
              kind: "na",
              flags: 0x20000000,
              target: "fd00::100",
              options: [{ kind: "tll", mac: VM1.mac }],
            }),
          },
        },
      },
    }),
    on: "vm1",
  },
  {
    name: "a periodic RA of lrp0 to all-nodes (send_periodic, 3-4 s): MTU, RDNSS, DNSSL, route info, prefix",
    from: "vm3",
    frame: udp4({
      src: VM3.mac,
      dst: "00:00:00:00:ff:02",
      sip: VM3.ip,
      dip: "20.0.0.1",
      dport: 9,
      payload: big(4),
    }),
    on: "vm1",
    waitMs: 8000,
    match: (f) => {
      const d = tryDecode(f);
      return icmp("icmp6", 134)(f) && d?.l3.kind === "ipv6" && d.l3.ip.dst === "ff02::1";
    },
  },
  {
    name: "a frame from vm4 (addresses unknown) with source f0:00:00:00:00:44 → FDB row (put_fdb)",
    from: "vm4",
    frame: udp4({ src: "f0:00:00:00:00:44", dst: VM3.mac, sip: "20.0.0.44", dip: VM3.ip, payload: big(4) }),
    on: "vm4",
  },
];
