// Test frames built from the project's packet codecs (src/packet), and a decoder that throws, for
// scenario tests: "what a VM sends" in one line, and the fields of what arrived without hand-parsing hex.
import {
  ARP_OP_REQUEST,
  DHCP_DISCOVER,
  DHCP_OPT_END,
  DHCP_OPT_MSG_TYPE,
  DHCP_OPT_PARAM_LIST,
  DHCP_OPT_REQUESTED_IP,
  DHCP_OPT_SERVER_ID,
  DHCP_REQUEST,
  type DhcpOption,
  DNS_CLASS_IN,
  DNS_RD,
  decodeFrame,
  ETH_TYPE_ARP,
  ETH_TYPE_IPV4,
  ETH_TYPE_IPV6,
  encodeDhcp4,
  encodeDns,
  encodeFrame,
  encodeNd,
  encodeSctp,
  type Frame,
  ICMP4_ECHO_REQUEST,
  IP_PROTO_ICMP,
  IP_PROTO_ICMPV6,
  IP_PROTO_SCTP,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  ipv6MulticastMac,
  type L3,
  type L4,
  ND_NEIGHBOR_SOLICIT,
  ND_ROUTER_SOLICIT,
  parseIpv4OrThrow,
  parseMacOrThrow,
  SCTP_CHUNK_INIT,
  solicitedNode,
  TCP_SYN,
} from "../../src/packet/index.js";

const EMPTY = new Uint8Array(0);

export interface EthSpec {
  /** Source and destination MAC. */
  readonly src: string;
  readonly dst: string;
  /** 802.1Q VLAN id. */
  readonly vlan?: number;
}

export interface Ip4Spec extends EthSpec {
  readonly sip: string;
  readonly dip: string;
  readonly ttl?: number;
  /** The TOS byte (DSCP << 2 | ECN). */
  readonly tos?: number;
}

function eth(e: EthSpec, etherType: number): Frame["eth"] {
  return {
    dst: e.dst,
    src: e.src,
    vlans: e.vlan !== undefined ? [{ tpid: 0x8100, pcp: 0, dei: false, vid: e.vlan }] : [],
    etherType,
    payload: EMPTY,
  };
}

function ip4(s: Ip4Spec, protocol: number, l4: L4): Uint8Array {
  const l3: L3 = {
    kind: "ipv4",
    ip: {
      tos: s.tos ?? 0,
      ident: 0,
      flags: 2,
      fragOffset: 0,
      ttl: s.ttl ?? 64,
      protocol,
      src: s.sip,
      dst: s.dip,
      options: EMPTY,
      payload: EMPTY,
      trailer: EMPTY,
    },
    l4,
  };
  return encodeFrame({ eth: eth(s, ETH_TYPE_IPV4), l3 });
}

/**
 * A UDP datagram whose 4-byte payload ("zg" + 16-bit `tag`) tells frames of one test apart, or carrying
 * `payload` instead.
 */
export function udp4(
  s: Ip4Spec & { sport?: number; dport?: number; tag?: number; payload?: Uint8Array },
): Uint8Array {
  return ip4(s, IP_PROTO_UDP, {
    kind: "udp",
    udp: { srcPort: s.sport ?? 12345, dstPort: s.dport ?? 5353, payload: s.payload ?? tagBytes(s.tag ?? 0) },
  });
}

function tagBytes(tag: number): Uint8Array {
  return new Uint8Array([0x7a, 0x67, (tag >> 8) & 0xff, tag & 0xff]);
}

/** The tag of a frame built by udp4 (its last 4 bytes), or undefined. */
export function udpTag(f: Uint8Array): number | undefined {
  const n = f.length;
  if (n < 4 || f[n - 4] !== 0x7a || f[n - 3] !== 0x67) return undefined;
  return ((f[n - 2] as number) << 8) | (f[n - 1] as number);
}

/** A TCP segment (SYN unless `flags` says otherwise). */
export function tcp4(
  s: Ip4Spec & { sport: number; dport: number; flags?: number; seq?: number; ack?: number },
): Uint8Array {
  return ip4(s, IP_PROTO_TCP, {
    kind: "tcp",
    tcp: {
      srcPort: s.sport,
      dstPort: s.dport,
      seq: s.seq ?? 1000,
      ack: s.ack ?? 0,
      flags: s.flags ?? TCP_SYN,
      window: 65535,
      urgent: 0,
      options: EMPTY,
      payload: EMPTY,
    },
  });
}

/** An SCTP INIT (verification tag 0) with initiate tag `tag`. */
export function sctpInit4(s: Ip4Spec & { sport: number; dport: number; tag: number }): Uint8Array {
  const init = new Uint8Array(16);
  const v = new DataView(init.buffer);
  v.setUint32(0, s.tag >>> 0); // initiate tag
  v.setUint32(4, 65536); // a_rwnd
  v.setUint16(8, 10); // outbound streams
  v.setUint16(10, 10); // inbound streams
  v.setUint32(12, 1); // initial TSN
  const bytes = encodeSctp({
    srcPort: s.sport,
    dstPort: s.dport,
    vtag: 0,
    chunks: [{ type: SCTP_CHUNK_INIT, flags: 0, value: init }],
  });
  return ip4(s, IP_PROTO_SCTP, { kind: "raw", bytes });
}

/** An ICMP echo request. */
export function ping4(s: Ip4Spec & { id?: number; seq?: number }): Uint8Array {
  return ip4(s, IP_PROTO_ICMP, {
    kind: "icmp4",
    icmp: {
      type: ICMP4_ECHO_REQUEST,
      code: 0,
      rest: ((s.id ?? 1) << 16) | (s.seq ?? 1),
      data: new Uint8Array(8),
    },
  });
}

/** A broadcast ARP request "who has TPA, tell SPA". */
export function arpRequest(s: { sha: string; spa: string; tpa: string; vlan?: number }): Uint8Array {
  return arp({ ...s, op: ARP_OP_REQUEST });
}

/** An ARP packet of any opcode, from SHA to `dst` (broadcast unless given). */
export function arp(s: {
  op: number;
  sha: string;
  spa: string;
  tha?: string;
  tpa: string;
  dst?: string;
  vlan?: number;
}): Uint8Array {
  return encodeFrame({
    eth: eth(
      { src: s.sha, dst: s.dst ?? "ff:ff:ff:ff:ff:ff", ...(s.vlan !== undefined ? { vlan: s.vlan } : {}) },
      ETH_TYPE_ARP,
    ),
    l3: {
      kind: "arp",
      arp: {
        op: s.op,
        sha: s.sha,
        spa: s.spa,
        tha: s.tha ?? "00:00:00:00:00:00",
        tpa: s.tpa,
        trailer: EMPTY,
      },
    },
  });
}

export interface Ip6Spec extends EthSpec {
  readonly sip: string;
  readonly dip: string;
  readonly hopLimit?: number;
}

function ip6(s: Ip6Spec, protocol: number, l4: L4): Uint8Array {
  return encodeFrame({
    eth: eth(s, ETH_TYPE_IPV6),
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: s.hopLimit ?? 255,
        src: s.sip,
        dst: s.dip,
        extensions: [],
        protocol,
        payload: EMPTY,
        trailer: EMPTY,
      },
      l4,
    },
  });
}

/** An IPv6 UDP datagram carrying udp4's tag payload. */
export function udp6(s: Ip6Spec & { sport?: number; dport?: number; tag?: number }): Uint8Array {
  return ip6({ ...s, hopLimit: s.hopLimit ?? 64 }, IP_PROTO_UDP, {
    kind: "udp",
    udp: { srcPort: s.sport ?? 12345, dstPort: s.dport ?? 5353, payload: tagBytes(s.tag ?? 0) },
  });
}

/** A Neighbor Solicitation for TARGET, sent to its solicited-node address. */
export function ns6(s: { src: string; sip: string; target: string }): Uint8Array {
  const dip = solicitedNode(s.target);
  return ip6({ src: s.src, dst: ipv6MulticastMac(dip), sip: s.sip, dip }, IP_PROTO_ICMPV6, {
    kind: "icmp6",
    icmp: {
      type: ND_NEIGHBOR_SOLICIT,
      code: 0,
      body: encodeNd({ kind: "ns", reserved: 0, target: s.target, options: [{ kind: "sll", mac: s.src }] }),
    },
  });
}

/** A Router Solicitation to all-routers (ff02::2). */
export function rs6(s: { src: string; sip: string }): Uint8Array {
  return ip6({ src: s.src, dst: "33:33:00:00:00:02", sip: s.sip, dip: "ff02::2" }, IP_PROTO_ICMPV6, {
    kind: "icmp6",
    icmp: {
      type: ND_ROUTER_SOLICIT,
      code: 0,
      body: encodeNd({ kind: "rs", reserved: 0, options: [{ kind: "sll", mac: s.src }] }),
    },
  });
}

/** A DHCPv6 SOLICIT from MAC (link-local SIP, DUID-LL client id, one IA_NA) to all DHCP servers. */
export function dhcp6Solicit(s: { mac: string; sip: string; xid: number }): Uint8Array {
  const x = s.xid;
  const msg = Uint8Array.from([
    1, // SOLICIT
    (x >> 16) & 0xff,
    (x >> 8) & 0xff,
    x & 0xff,
    ...[0, 1, 0, 10, 0, 3, 0, 1, ...parseMacOrThrow(s.mac)], // client id: DUID-LL, Ethernet
    ...[0, 3, 0, 12, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0], // IA_NA, IAID 0x01020304
    ...[0, 8, 0, 2, 0, 0], // elapsed time
  ]);
  return ip6(
    { src: s.mac, dst: "33:33:00:01:00:02", sip: s.sip, dip: "ff02::1:2", hopLimit: 1 },
    IP_PROTO_UDP,
    {
      kind: "udp",
      udp: { srcPort: 546, dstPort: 547, payload: msg },
    },
  );
}

/** A broadcast DHCPDISCOVER from MAC asking for netmask, router and DNS server. */
export function dhcpDiscover(s: { mac: string; xid: number }): Uint8Array {
  return dhcp4(s.mac, s.xid, [{ code: DHCP_OPT_MSG_TYPE, data: new Uint8Array([DHCP_DISCOVER]) }]);
}

/** A broadcast DHCPREQUEST (SELECTING state) for `requested` from the server `serverId`. */
export function dhcpRequest(s: {
  mac: string;
  xid: number;
  requested: string;
  serverId: string;
}): Uint8Array {
  return dhcp4(s.mac, s.xid, [
    { code: DHCP_OPT_MSG_TYPE, data: new Uint8Array([DHCP_REQUEST]) },
    { code: DHCP_OPT_REQUESTED_IP, data: parseIpv4OrThrow(s.requested) },
    { code: DHCP_OPT_SERVER_ID, data: parseIpv4OrThrow(s.serverId) },
  ]);
}

function dhcp4(mac: string, xid: number, options: DhcpOption[]): Uint8Array {
  const chaddr = new Uint8Array(16);
  chaddr.set(parseMacOrThrow(mac));
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
    sname: new Uint8Array(64),
    file: new Uint8Array(128),
    cookie: true,
    options: [
      ...options,
      { code: DHCP_OPT_PARAM_LIST, data: new Uint8Array([1, 3, 6]) },
      { code: DHCP_OPT_END, data: EMPTY },
    ],
    trailer: EMPTY,
  });
  return ip4({ src: mac, dst: "ff:ff:ff:ff:ff:ff", sip: "0.0.0.0", dip: "255.255.255.255" }, IP_PROTO_UDP, {
    kind: "udp",
    udp: { srcPort: 68, dstPort: 67, payload: dhcp },
  });
}

/** A DNS query (recursion desired) for NAME of TYPE (1 = A). */
export function dnsQuery(s: Ip4Spec & { id: number; name: string; type?: number }): Uint8Array {
  const dns = encodeDns({
    id: s.id,
    flags: DNS_RD,
    questions: [{ name: s.name, type: s.type ?? 1, class: DNS_CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
  return ip4(s, IP_PROTO_UDP, { kind: "udp", udp: { srcPort: 33333, dstPort: 53, payload: dns } });
}

/** A frame of a non-IP EtherType (0x88b5, for local experiments) carrying `tag`: plain L2 traffic. */
export function rawFrame(s: EthSpec & { tag: number }): Uint8Array {
  return encodeFrame({
    eth: eth(s, 0x88b5),
    l3: {
      kind: "raw",
      bytes: new Uint8Array([0x7a, 0x67, (s.tag >> 8) & 0xff, s.tag & 0xff, ...new Uint8Array(42)]),
    },
  });
}

/** Decodes a frame, or undefined when it does not decode (for scanning captures). */
export function tryDecode(bytes: Uint8Array): Frame | undefined {
  const f = decodeFrame(bytes);
  return f.ok ? f.value : undefined;
}

/** Decodes a frame that must decode (a test failure otherwise). */
export function decode(bytes: Uint8Array): Frame {
  const f = decodeFrame(bytes);
  if (!f.ok) throw new Error(`frame does not decode: ${f.error}`);
  return f.value;
}

/** One-line summary of a frame for assertion messages: "mac>mac ipv4 10.0.0.1>10.0.0.2 ttl 63 udp". */
export function describe(bytes: Uint8Array): string {
  const f = decodeFrame(bytes);
  if (!f.ok) return `undecodable (${f.error})`;
  const { eth: e, l3 } = f.value;
  const vlan = e.vlans.map((v) => ` vlan ${v.vid}`).join("");
  const head = `${e.src}>${e.dst}${vlan}`;
  switch (l3.kind) {
    case "arp":
      return `${head} arp op ${l3.arp.op} ${l3.arp.sha} ${l3.arp.spa} > ${l3.arp.tha} ${l3.arp.tpa}`;
    case "ipv4":
      return `${head} ipv4 ${l3.ip.src}>${l3.ip.dst} ttl ${l3.ip.ttl} tos ${l3.ip.tos} ${l4Text(l3.l4)}`;
    case "ipv6":
      return `${head} ipv6 ${l3.ip.src}>${l3.ip.dst} hlim ${l3.ip.hopLimit} ${l4Text(l3.l4)}`;
    case "raw":
      return `${head} type 0x${e.etherType.toString(16)}`;
  }
}

function l4Text(l4: L4): string {
  switch (l4.kind) {
    case "udp":
      return `udp ${l4.udp.srcPort}>${l4.udp.dstPort}`;
    case "tcp":
      return `tcp ${l4.tcp.srcPort}>${l4.tcp.dstPort} flags 0x${l4.tcp.flags.toString(16)}`;
    case "icmp4":
    case "icmp6":
      return `icmp type ${l4.icmp.type}`;
    case "raw":
      return "raw";
  }
}
