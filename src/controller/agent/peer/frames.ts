// Frames a test VM sends, built with the packet codecs (checksums computed by encodeFrame), and a
// decoder for what comes back.  Test helper.

import { encodeArp } from "../../../packet/arp.js";
import { BROADCAST_MAC, ZERO_MAC } from "../../../packet/bytes.js";
import { type DhcpOption, encodeDhcp4 } from "../../../packet/dhcp4.js";
import { DNS_CLASS_IN, DNS_RD, DNS_TYPE_A, encodeDns } from "../../../packet/dns.js";
import { ETH_TYPE_ARP, ETH_TYPE_IPV4, ETH_TYPE_IPV6, encodeEthernet } from "../../../packet/ethernet.js";
import { decodeFrame, encodeFrame, type Frame, type L4 } from "../../../packet/frame.js";
import { encodeNd, ND_NEIGHBOR_SOLICIT, ND_ROUTER_SOLICIT, type NdMessage } from "../../../packet/icmp6.js";
import { IP_PROTO_ICMP, IP_PROTO_ICMPV6, IP_PROTO_TCP, IP_PROTO_UDP } from "../../../packet/ipv4.js";

const none = new Uint8Array();

export function arpFrame(
  op: 1 | 2,
  ethDst: string,
  sha: string,
  spa: string,
  tha: string,
  tpa: string,
): Uint8Array {
  const arp = encodeArp({ op, sha, spa, tha, tpa, trailer: none });
  return encodeEthernet({ dst: ethDst, src: sha, vlans: [], etherType: ETH_TYPE_ARP, payload: arp });
}

export function arpRequest(sha: string, spa: string, tpa: string): Uint8Array {
  return arpFrame(1, BROADCAST_MAC, sha, spa, ZERO_MAC, tpa);
}

function ipv4Frame(srcMac: string, dstMac: string, src: string, dst: string, l4: L4): Uint8Array {
  return encodeFrame({
    eth: { dst: dstMac, src: srcMac, vlans: [], etherType: ETH_TYPE_IPV4, payload: none },
    l3: {
      kind: "ipv4",
      ip: {
        tos: 0,
        ident: 0,
        flags: 0,
        fragOffset: 0,
        ttl: 64,
        protocol: l4.kind === "udp" ? IP_PROTO_UDP : l4.kind === "tcp" ? IP_PROTO_TCP : IP_PROTO_ICMP,
        src,
        dst,
        options: none,
        payload: none,
        trailer: none,
      },
      l4,
    },
  });
}

export function udpFrame(
  srcMac: string,
  dstMac: string,
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
): Uint8Array {
  return ipv4Frame(srcMac, dstMac, src, dst, { kind: "udp", udp: { srcPort, dstPort, payload } });
}

/** A TCP SYN. */
export function tcpSyn(
  srcMac: string,
  dstMac: string,
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
): Uint8Array {
  return ipv4Frame(srcMac, dstMac, src, dst, {
    kind: "tcp",
    tcp: {
      srcPort,
      dstPort,
      seq: 1000,
      ack: 0,
      flags: 0x02,
      window: 1024,
      urgent: 0,
      options: none,
      payload: none,
    },
  });
}

export function icmpEcho(srcMac: string, dstMac: string, src: string, dst: string, id: number): Uint8Array {
  return ipv4Frame(srcMac, dstMac, src, dst, {
    kind: "icmp4",
    icmp: { type: 8, code: 0, rest: (id << 16) | 1, data: new Uint8Array(16).fill(0xa5) },
  });
}

const ip4 = (s: string): Uint8Array => Uint8Array.from(s.split(".").map(Number));

/** A DHCP client message (53 = type) from `mac`, broadcast from 0.0.0.0:68 to 255.255.255.255:67. */
export function dhcpClient(
  mac: string,
  xid: number,
  type: number,
  extra: { requested?: string; server?: string } = {},
): Uint8Array {
  const options: DhcpOption[] = [{ code: 53, data: Uint8Array.of(type) }];
  if (extra.requested !== undefined) options.push({ code: 50, data: ip4(extra.requested) });
  if (extra.server !== undefined) options.push({ code: 54, data: ip4(extra.server) });
  options.push({ code: 55, data: Uint8Array.of(1, 3, 6, 15, 26, 51, 54) }, { code: 255, data: none });
  const chaddr = new Uint8Array(16);
  chaddr.set(mac.split(":").map((h) => Number.parseInt(h, 16)));
  const dhcp = encodeDhcp4({
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid,
    secs: 0,
    flags: 0,
    ciaddr: "0.0.0.0",
    yiaddr: "0.0.0.0",
    siaddr: "0.0.0.0",
    giaddr: "0.0.0.0",
    chaddr,
    sname: none,
    file: none,
    cookie: true,
    options,
    trailer: none,
  });
  return udpFrame(mac, BROADCAST_MAC, "0.0.0.0", "255.255.255.255", 68, 67, dhcp);
}

export function dnsQuery(
  srcMac: string,
  dstMac: string,
  src: string,
  dst: string,
  id: number,
  name: string,
): Uint8Array {
  const q = encodeDns({
    id,
    flags: DNS_RD,
    questions: [{ name, type: DNS_TYPE_A, class: DNS_CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
  return udpFrame(srcMac, dstMac, src, dst, 40000, 53, q);
}

/** A DHCPv6 SOLICIT from `mac` (link-local source, DUID-LL client id, one IA_NA) to all servers. */
export function dhcp6Solicit(mac: string, src: string, xid: number): Uint8Array {
  const m = mac.split(":").map((h) => Number.parseInt(h, 16));
  const msg = Uint8Array.from([
    1,
    (xid >> 16) & 0xff,
    (xid >> 8) & 0xff,
    xid & 0xff,
    ...[0, 1, 0, 10, 0, 3, 0, 1, ...m], // client id: DUID-LL, Ethernet
    ...[0, 3, 0, 12, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0], // IA_NA, IAID 0x01020304
    ...[0, 8, 0, 2, 0, 0], // elapsed time
  ]);
  return encodeFrame({
    eth: { dst: "33:33:00:01:00:02", src: mac, vlans: [], etherType: ETH_TYPE_IPV6, payload: none },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 1,
        src,
        dst: "ff02::1:2",
        extensions: [],
        protocol: IP_PROTO_UDP,
        payload: none,
        trailer: none,
      },
      l4: { kind: "udp", udp: { srcPort: 546, dstPort: 547, payload: msg } },
    },
  });
}

function ndFrame(srcMac: string, dstMac: string, src: string, dst: string, nd: NdMessage): Uint8Array {
  return encodeFrame({
    eth: { dst: dstMac, src: srcMac, vlans: [], etherType: ETH_TYPE_IPV6, payload: none },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 255,
        src,
        dst,
        extensions: [],
        protocol: IP_PROTO_ICMPV6,
        payload: none,
        trailer: none,
      },
      l4: {
        kind: "icmp6",
        icmp: {
          type: nd.kind === "rs" ? ND_ROUTER_SOLICIT : ND_NEIGHBOR_SOLICIT,
          code: 0,
          body: encodeNd(nd),
        },
      },
    },
  });
}

/** A neighbour solicitation for `target` (last 24 bits → solicited-node group) from `src` at `srcMac`. */
export function neighborSolicit(srcMac: string, src: string, target: string, low24: number): Uint8Array {
  const h = (n: number) => n.toString(16).padStart(2, "0");
  const [a, b, c] = [(low24 >> 16) & 0xff, (low24 >> 8) & 0xff, low24 & 0xff];
  const group = `ff02::1:ff${h(a)}:${h(b)}${h(c)}`;
  return ndFrame(srcMac, `33:33:ff:${h(a)}:${h(b)}:${h(c)}`, src, group, {
    kind: "ns",
    reserved: 0,
    target,
    options: [{ kind: "sll", mac: srcMac }],
  });
}

/** A router solicitation to all-routers from `src` at `srcMac`. */
export function routerSolicit(srcMac: string, src: string): Uint8Array {
  return ndFrame(srcMac, "33:33:00:00:00:02", src, "ff02::2", {
    kind: "rs",
    reserved: 0,
    options: [{ kind: "sll", mac: srcMac }],
  });
}

export function frameOf(bytes: Uint8Array): Frame | undefined {
  const f = decodeFrame(bytes);
  return f.ok ? f.value : undefined;
}
