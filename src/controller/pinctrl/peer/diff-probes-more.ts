// Probes of actions-diff.test.ts beyond diff-probes.ts: DHCPv4 message kinds and header fields
// (broadcast flag, relay, requested address, RELEASE, DECLINE, BOOTP), stateless DHCPv6 and RA on sw1
// (vm3, lrp1), neighbour solicitations with and without a source link-layer option, the switch's ARP
// and ND responders, ICMP errors for small packets and IPv4 options, TCP resets for segments with
// payload and ACK, echo over IPv6, and a MAC_Binding overwritten by a second gratuitous ARP.
import { arp as arpFrame, arpRequest, ping4, sctpInit4, tryDecode } from "../../../../test/support/frames.js";
import { parseIpv4OrThrow, parseMacOrThrow } from "../../../packet/bytes.js";
import {
  DHCP_OPT_END,
  DHCP_OPT_MSG_TYPE,
  DHCP_OPT_PARAM_LIST,
  type DhcpOption,
  encodeDhcp4,
} from "../../../packet/dhcp4.js";
import { encodeDns } from "../../../packet/dns.js";
import { ETH_TYPE_IPV4, ETH_TYPE_IPV6 } from "../../../packet/ethernet.js";
import { encodeFrame, type L4 } from "../../../packet/frame.js";
import { encodeNd, ND_NEIGHBOR_SOLICIT, type NdOption } from "../../../packet/icmp6.js";
import { IP_PROTO_ICMPV6, IP_PROTO_TCP, IP_PROTO_UDP } from "../../../packet/ipv4.js";
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from "../../../packet/tcp.js";
import { big, E, icmp, udpTo } from "./diff-frames.js";
import type { Probe } from "./diff-probes.js";
import { R0, VM1, VM3, VM5 } from "./diff-topology.js";

const R1 = { mac: "00:00:00:00:ff:02", ip: "20.0.0.1", ip6: "2001:db8:1::1" };
const VM3_LLA = "fe80::f200:ff:fe00:13";
const VM4 = { mac: "f0:00:00:00:00:44", ip: "20.0.0.44", ip6: "2001:db8:1::44" };

function v4(
  s: { src: string; dst: string; sip: string; dip: string; ttl?: number; options?: Uint8Array },
  protocol: number,
  l4: L4,
): Uint8Array {
  return encodeFrame({
    eth: { src: s.src, dst: s.dst, vlans: [], etherType: ETH_TYPE_IPV4, payload: E },
    l3: {
      kind: "ipv4",
      ip: {
        tos: 0,
        ident: 0,
        flags: 0,
        fragOffset: 0,
        ttl: s.ttl ?? 64,
        protocol,
        src: s.sip,
        dst: s.dip,
        options: s.options ?? E,
        payload: E,
        trailer: E,
      },
      l4,
    },
  });
}

function v6(
  s: { src: string; dst: string; sip: string; dip: string; hopLimit?: number },
  protocol: number,
  l4: L4,
): Uint8Array {
  return encodeFrame({
    eth: { src: s.src, dst: s.dst, vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: s.hopLimit ?? 64,
        src: s.sip,
        dst: s.dip,
        extensions: [],
        protocol,
        payload: E,
        trailer: E,
      },
      l4,
    },
  });
}

/** A DHCPv4 message from vm1 with the header fields and options given (no parameter list if `params` is null). */
function dhcp4(s: {
  xid: number;
  type?: number;
  ciaddr?: string;
  sip?: string;
  dip?: string;
  flags?: number;
  giaddr?: string;
  hops?: number;
  extra?: DhcpOption[];
  params?: number[] | null;
  cookie?: boolean;
  chaddr?: string;
  secs?: number;
  file?: Uint8Array;
}): Uint8Array {
  const chaddr = new Uint8Array(16);
  chaddr.set(parseMacOrThrow(s.chaddr ?? VM1.mac));
  const params = s.params === undefined ? [1, 3, 6, 15] : s.params;
  const payload = encodeDhcp4({
    op: 1,
    htype: 1,
    hlen: 6,
    hops: s.hops ?? 0,
    xid: s.xid,
    secs: s.secs ?? 0,
    flags: s.flags ?? 0,
    ciaddr: s.ciaddr ?? "0.0.0.0",
    yiaddr: "0.0.0.0",
    siaddr: "0.0.0.0",
    giaddr: s.giaddr ?? "0.0.0.0",
    chaddr,
    sname: new Uint8Array(64),
    file: s.file ?? new Uint8Array(128),
    cookie: s.cookie ?? true,
    options: [
      ...(s.type === undefined ? [] : [{ code: DHCP_OPT_MSG_TYPE, data: Uint8Array.of(s.type) }]),
      ...(s.extra ?? []),
      ...(params === null ? [] : [{ code: DHCP_OPT_PARAM_LIST, data: Uint8Array.from(params) }]),
      { code: DHCP_OPT_END, data: E },
    ],
    trailer: E,
  });
  const dip = s.dip ?? "255.255.255.255";
  return v4(
    {
      src: VM1.mac,
      dst: dip === "255.255.255.255" ? "ff:ff:ff:ff:ff:ff" : R0.mac,
      sip: s.sip ?? "0.0.0.0",
      dip,
    },
    IP_PROTO_UDP,
    { kind: "udp", udp: { srcPort: 68, dstPort: 67, payload } },
  );
}

const requested = (ip: string): DhcpOption => ({ code: 50, data: parseIpv4OrThrow(ip) });
const serverId = (ip: string): DhcpOption => ({ code: 54, data: parseIpv4OrThrow(ip) });

/** A DHCPv6 message from vm3 (client id its MAC) with `options`. */
function dhcp6(type: number, xid: number, options: number[]): Uint8Array {
  const msg = Uint8Array.from([
    type,
    (xid >> 16) & 0xff,
    (xid >> 8) & 0xff,
    xid & 0xff,
    ...[0, 1, 0, 10, 0, 3, 0, 1, ...parseMacOrThrow(VM3.mac)],
    ...options,
  ]);
  return v6(
    { src: VM3.mac, dst: "33:33:00:01:00:02", sip: VM3_LLA, dip: "ff02::1:2", hopLimit: 1 },
    IP_PROTO_UDP,
    {
      kind: "udp",
      udp: { srcPort: 546, dstPort: 547, payload: msg },
    },
  );
}
const IA_NA = [0, 3, 0, 12, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0];
const ORO = [0, 6, 0, 4, 0, 23, 0, 24];
const ELAPSED = [0, 8, 0, 2, 0, 0];

function ns(s: {
  src: string;
  dst: string;
  sip: string;
  dip: string;
  target: string;
  options: NdOption[];
}): Uint8Array {
  return v6({ ...s, hopLimit: 255 }, IP_PROTO_ICMPV6, {
    kind: "icmp6",
    icmp: {
      type: ND_NEIGHBOR_SOLICIT,
      code: 0,
      body: encodeNd({ kind: "ns", reserved: 0, target: s.target, options: s.options }),
    },
  });
}

/**
 * A TCP segment from `sport` (one per probe: ovs-vswitchd 3.1's userspace conntrack aborts on an
 * assertion in conn_update_state when these probes share one connection's ports).
 */
function tcp(sport: number, dport: number, flags: number, seq: number, ack: number, payload: Uint8Array) {
  return {
    kind: "tcp" as const,
    tcp: { srcPort: sport, dstPort: dport, seq, ack, flags, window: 65535, urgent: 0, options: E, payload },
  };
}

/** An IPv4 UDP frame to `port`, read from the bytes (whatever its checksums: the decoder checks them). */
const rawUdp4To = (port: number) => (f: Uint8Array) => {
  if (f.length < 34 || f[12] !== 0x08 || f[13] !== 0 || f[23] !== IP_PROTO_UDP) return false;
  const l4 = 14 + ((f[14] as number) & 0xf) * 4;
  return (((f[l4 + 2] ?? 0) << 8) | (f[l4 + 3] ?? 0)) === port;
};

const isTcp = (f: Uint8Array) => {
  const d = tryDecode(f);
  return d !== undefined && (d.l3.kind === "ipv4" || d.l3.kind === "ipv6") && d.l3.l4.kind === "tcp";
};
const isArpReply = (f: Uint8Array) => {
  const d = tryDecode(f);
  return d !== undefined && d.l3.kind === "arp" && d.l3.arp.op === 2;
};

const dhcp4Probe = (name: string, frame: Uint8Array): Probe => ({
  name: `DHCPv4: ${name}`,
  from: "vm1",
  frame,
  on: "vm1",
  barrier: true,
  match: udpTo(68),
});

/** A broadcast DHCP request the controller leaves unanswered: flooded on to vm2 as C's is. */
const flooded = (name: string, frame: Uint8Array): Probe => ({
  name: `DHCPv4, not answered, flooded to vm2: ${name}`,
  from: "vm1",
  frame,
  on: "vm2",
  barrier: true,
  match: udpTo(67),
});

/** A DHCPv6 message from vm1, bytes as given (the client id is not added). */
function dhcp6Raw(msg: number[]): Uint8Array {
  return v6(
    { src: VM1.mac, dst: "33:33:00:01:00:02", sip: VM1.lla, dip: "ff02::1:2", hopLimit: 1 },
    IP_PROTO_UDP,
    { kind: "udp", udp: { srcPort: 546, dstPort: 547, payload: Uint8Array.from(msg) } },
  );
}
const CLIENT1 = [0, 1, 0, 10, 0, 3, 0, 1, ...parseMacOrThrow(VM1.mac)];

const flooded6 = (name: string, msg: number[]): Probe => ({
  name: `DHCPv6, not answered, flooded to vm2: ${name}`,
  from: "vm1",
  frame: dhcp6Raw(msg),
  on: "vm2",
  barrier: true,
  match: udpTo(547),
});

/** A DISCOVER from vm1 whose options end with `tail` (bytes, no END option). */
function discoverEndingWith(xid: number, tail: number[]): Uint8Array {
  const f = tryDecode(dhcp4({ xid, type: 1, params: [1, 3] }));
  if (f === undefined || f.l3.kind !== "ipv4" || f.l3.l4.kind !== "udp") throw new Error("dhcp4 frame");
  const body = f.l3.l4.udp.payload;
  const payload = Uint8Array.from([...body.subarray(0, body.length - 1), ...tail]);
  return v4(
    { src: VM1.mac, dst: "ff:ff:ff:ff:ff:ff", sip: "0.0.0.0", dip: "255.255.255.255" },
    IP_PROTO_UDP,
    {
      kind: "udp",
      udp: { srcPort: 68, dstPort: 67, payload },
    },
  );
}

export const MORE_PROBES: readonly Probe[] = [
  dhcp4Probe(
    "DISCOVER whose last option runs past the end",
    discoverEndingWith(0x560d, [12, 10, 0x61, 0x62]),
  ),
  dhcp4Probe("DISCOVER without an END option", discoverEndingWith(0x560e, [])),
  dhcp4Probe(
    "REQUEST whose message type option is 2 bytes long",
    dhcp4({ xid: 0x5610, extra: [{ code: 53, data: Uint8Array.of(3, 0) }, requested(VM1.ip)] }),
  ),
  dhcp4Probe(
    "REQUEST whose requested address option is 3 bytes long",
    dhcp4({ xid: 0x5611, type: 3, extra: [{ code: 50, data: Uint8Array.of(10, 0, 0) }] }),
  ),
  dhcp4Probe(
    "REQUEST with the requested address option twice (10.0.0.99, then vm1's)",
    dhcp4({ xid: 0x5612, type: 3, extra: [requested("10.0.0.99"), requested(VM1.ip)] }),
  ),
  dhcp4Probe("DISCOVER with bytes after the END option", discoverEndingWith(0x560f, [255, 1, 2, 3])),
  flooded6("Solicit without a client id", [1, 0, 0, 1, ...IA_NA, ...ELAPSED]),
  flooded6("a 3-byte message", [1, 0, 0]),
  flooded6("Solicit with an option running past the end", [1, 0, 0, 2, ...CLIENT1, ...IA_NA, 0, 8, 0, 9, 0]),
  flooded6("Solicit with a 4-byte IA_NA", [1, 0, 0, 3, ...CLIENT1, 0, 3, 0, 4, 1, 2, 3, 4, ...ELAPSED]),
  flooded6("Solicit (answered: nothing reaches vm2)", [1, 0, 0, 4, ...CLIENT1, ...IA_NA, ...ELAPSED]),
  ...(
    [
      ["Solicit with an option running past the end", [1, 0, 0, 6, ...CLIENT1, ...IA_NA, 0, 8, 0, 9, 0]],
      ["Solicit with a 4-byte IA_NA", [1, 0, 0, 7, ...CLIENT1, 0, 3, 0, 4, 1, 2, 3, 4, ...ELAPSED]],
    ] as const
  ).map(
    ([what, msg]): Probe => ({
      name: `DHCPv6: ${what}, the answer`,
      from: "vm1",
      frame: dhcp6Raw([...msg]),
      on: "vm1",
      barrier: true,
      match: udpTo(546),
    }),
  ),
  {
    name: "a DNS query with IPv4 options (NOP, NOP, NOP, EOL) → answer (its IPv4 header checksum)",
    from: "vm1",
    frame: v4(
      { src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip, options: Uint8Array.of(1, 1, 1, 0) },
      IP_PROTO_UDP,
      {
        kind: "udp",
        udp: {
          srcPort: 33339,
          dstPort: 53,
          payload: encodeDns({
            id: 0x4801,
            flags: 0x0100,
            questions: [{ name: "vm2.ovn.test", type: 1, class: 1 }],
            answers: [],
            authorities: [],
            additionals: [],
          }),
        },
      },
    ),
    on: "vm1",
    barrier: true,
    match: rawUdp4To(33339),
  },
  {
    name: "a DHCPDISCOVER with IPv4 options (NOP, NOP, NOP, EOL) → OFFER (its IPv4 header checksum)",
    from: "vm1",
    frame: (() => {
      const f = dhcp4({ xid: 0x5801, type: 1 });
      const d = tryDecode(f);
      if (d === undefined || d.l3.kind !== "ipv4") throw new Error("dhcp4 frame");
      return v4(
        {
          src: VM1.mac,
          dst: "ff:ff:ff:ff:ff:ff",
          sip: "0.0.0.0",
          dip: "255.255.255.255",
          options: Uint8Array.of(1, 1, 1, 0),
        },
        IP_PROTO_UDP,
        d.l3.l4,
      );
    })(),
    on: "vm1",
    barrier: true,
    match: rawUdp4To(68),
  },
  {
    name: "RS from :: (no source link-layer option) → RA",
    from: "vm1",
    frame: v6(
      { src: VM1.mac, dst: "33:33:00:00:00:02", sip: "::", dip: "ff02::2", hopLimit: 255 },
      IP_PROTO_ICMPV6,
      {
        kind: "icmp6",
        icmp: { type: 133, code: 0, body: encodeNd({ kind: "rs", reserved: 0, options: [] }) },
      },
    ),
    on: "vm1",
    barrier: true,
    match: (f) => {
      const d = tryDecode(f);
      return icmp("icmp6", 134)(f) && d?.l3.kind === "ipv6" && d.l3.ip.dst !== "ff02::1";
    },
  },
  {
    name: "an NA from vm3 for 2001:db8:1::97 without a target link-layer option → MAC_Binding (put_nd)",
    from: "vm3",
    frame: v6(
      { src: VM3.mac, dst: R1.mac, sip: "2001:db8:1::97", dip: "fe80::200:ff:fe00:ff02", hopLimit: 255 },
      IP_PROTO_ICMPV6,
      {
        kind: "icmp6",
        icmp: {
          type: 136,
          code: 0,
          body: encodeNd({ kind: "na", flags: 0x60000000, target: "2001:db8:1::97", options: [] }),
        },
      },
    ),
    on: "vm3",
    barrier: true,
    match: () => false,
  },
  {
    name: "an ARP request from vm3 (20.0.0.96) for the router's 20.0.0.1 → reply, and MAC_Binding (put_arp)",
    from: "vm3",
    frame: arpRequest({ sha: VM3.mac, spa: "20.0.0.96", tpa: R1.ip }),
    on: "vm3",
    barrier: true,
    match: isArpReply,
  },
  {
    name: "DHCPv6 Solicit with an IA_PD and no IA_NA (prefix delegation is not served)",
    from: "vm1",
    frame: dhcp6Raw([
      1,
      0,
      0,
      9,
      ...CLIENT1,
      ...[0, 25, 0, 12, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0],
      ...ELAPSED,
    ]),
    on: "vm1",
    barrier: true,
    match: udpTo(546),
  },
  {
    name: "DHCPv6 Solicit with two IA_NAs and a DUID-EN client id",
    from: "vm1",
    frame: dhcp6Raw([
      1,
      0,
      0,
      10,
      ...[0, 1, 0, 10, 0, 2, 0, 0, 0x30, 0x39, 1, 2, 3, 4],
      ...IA_NA,
      ...[0, 3, 0, 12, 9, 8, 7, 6, 0, 0, 0, 0, 0, 0, 0, 0],
      ...ELAPSED,
    ]),
    on: "vm1",
    barrier: true,
    match: udpTo(546),
  },
  {
    name: "RS from vm1's global address fd00::11 → RA",
    from: "vm1",
    frame: v6(
      { src: VM1.mac, dst: "33:33:00:00:00:02", sip: VM1.ip6, dip: "ff02::2", hopLimit: 255 },
      IP_PROTO_ICMPV6,
      {
        kind: "icmp6",
        icmp: {
          type: 133,
          code: 0,
          body: encodeNd({ kind: "rs", reserved: 0, options: [{ kind: "sll", mac: VM1.mac }] }),
        },
      },
    ),
    on: "vm1",
    barrier: true,
    match: (f) => {
      const d = tryDecode(f);
      return icmp("icmp6", 134)(f) && d?.l3.kind === "ipv6" && d.l3.ip.dst !== "ff02::1";
    },
  },
  {
    name: "DHCPv6 Information-Request carrying an IA_NA",
    from: "vm1",
    frame: dhcp6Raw([11, 0, 0, 8, ...CLIENT1, ...IA_NA, ...ELAPSED]),
    on: "vm1",
    barrier: true,
    match: udpTo(546),
  },
  {
    name: "DHCPv6 Request naming another server (00:00:00:00:99:99)",
    from: "vm1",
    frame: dhcp6Raw([
      3,
      0,
      0,
      5,
      ...CLIENT1,
      ...[0, 2, 0, 10, 0, 3, 0, 1, 0, 0, 0, 0, 0x99, 0x99],
      ...IA_NA,
      ...ELAPSED,
    ]),
    on: "vm1",
    barrier: true,
    match: udpTo(546),
  },
  flooded("DECLINE", dhcp4({ xid: 0x5701, type: 4, extra: [requested(VM1.ip), serverId(R0.ip)] })),
  flooded("BOOTP request", dhcp4({ xid: 0x5702 })),
  flooded("message type 13", dhcp4({ xid: 0x5703, type: 13 })),
  flooded("no cookie", dhcp4({ xid: 0x5704, type: 1, cookie: false })),
  flooded("DISCOVER (answered: nothing reaches vm2)", dhcp4({ xid: 0x5705, type: 1 })),
  dhcp4Probe("DISCOVER with the broadcast flag → OFFER", dhcp4({ xid: 0x5601, type: 1, flags: 0x8000 })),
  dhcp4Probe(
    "DISCOVER asking for another address → OFFER",
    dhcp4({ xid: 0x5602, type: 1, extra: [requested("10.0.0.99")] }),
  ),
  dhcp4Probe("DISCOVER without a parameter request list", dhcp4({ xid: 0x5603, type: 1, params: null })),
  dhcp4Probe(
    "DISCOVER relayed (giaddr 10.0.0.254, hops 1)",
    dhcp4({ xid: 0x5604, type: 1, giaddr: "10.0.0.254", hops: 1 }),
  ),
  dhcp4Probe(
    "REQUEST (selecting) naming another server",
    dhcp4({ xid: 0x5605, type: 3, extra: [requested(VM1.ip), serverId("10.0.0.254")] }),
  ),
  dhcp4Probe(
    "REQUEST renewing with the broadcast flag",
    dhcp4({ xid: 0x5606, type: 3, ciaddr: VM1.ip, sip: VM1.ip, flags: 0x8000 }),
  ),
  dhcp4Probe(
    "DISCOVER with chaddr f0:00:00:00:00:99 (not eth.src)",
    dhcp4({ xid: 0x560b, type: 1, chaddr: "f0:00:00:00:00:99" }),
  ),
  dhcp4Probe(
    "DISCOVER with secs 5 and a file name",
    dhcp4({
      xid: 0x560c,
      type: 1,
      secs: 5,
      file: Uint8Array.from({ length: 128 }, (_, i) => (i < 6 ? 0x61 + i : 0)),
    }),
  ),
  dhcp4Probe(
    "RELEASE (unicast from ciaddr)",
    dhcp4({ xid: 0x5607, type: 7, ciaddr: VM1.ip, sip: VM1.ip, dip: R0.ip }),
  ),
  dhcp4Probe(
    "DECLINE of the offered address",
    dhcp4({ xid: 0x5608, type: 4, extra: [requested(VM1.ip), serverId(R0.ip)] }),
  ),
  dhcp4Probe("BOOTP request (no message type)", dhcp4({ xid: 0x5609 })),
  dhcp4Probe("message type 13 (not a client's)", dhcp4({ xid: 0x560a, type: 13 })),
  ...(
    [
      ["Solicit with IA_NA (stateless options)", 1, [...IA_NA, ...ORO, ...ELAPSED]],
      ["Information-Request (stateless options)", 11, [...ORO, ...ELAPSED]],
      [
        "Request with IA_NA (stateless options)",
        3,
        [...[0, 2, 0, 10, 0, 3, 0, 1, ...parseMacOrThrow(R1.mac)], ...IA_NA, ...ELAPSED],
      ],
    ] as const
  ).map(
    ([what, type, opts], i): Probe => ({
      name: `DHCPv6 from vm3: ${what}`,
      from: "vm3",
      frame: dhcp6(type, 0x777700 + i, [...opts]),
      on: "vm3",
      barrier: true,
      match: udpTo(546),
    }),
  ),
  {
    name: "RS from vm3 → lrp1's RA (address_mode dhcpv6_stateless)",
    from: "vm3",
    frame: v6(
      { src: VM3.mac, dst: "33:33:00:00:00:02", sip: VM3_LLA, dip: "ff02::2", hopLimit: 255 },
      IP_PROTO_ICMPV6,
      {
        kind: "icmp6",
        icmp: {
          type: 133,
          code: 0,
          body: encodeNd({ kind: "rs", reserved: 0, options: [{ kind: "sll", mac: VM3.mac }] }),
        },
      },
    ),
    on: "vm3",
    barrier: true,
    match: icmp("icmp6", 134),
  },
  {
    name: "RS from vm5 → lrp3's RA (address_mode slaac, a gateway port)",
    from: "vm5",
    frame: v6(
      { src: VM5.mac, dst: "33:33:00:00:00:02", sip: VM5.lla, dip: "ff02::2", hopLimit: 255 },
      IP_PROTO_ICMPV6,
      {
        kind: "icmp6",
        icmp: {
          type: 133,
          code: 0,
          body: encodeNd({ kind: "rs", reserved: 0, options: [{ kind: "sll", mac: VM5.mac }] }),
        },
      },
    ),
    on: "vm5",
    barrier: true,
    match: icmp("icmp6", 134),
  },
  {
    name: "RS from vm5 without a source link-layer option",
    from: "vm5",
    frame: v6(
      { src: VM5.mac, dst: "33:33:00:00:00:02", sip: VM5.lla, dip: "ff02::2", hopLimit: 255 },
      IP_PROTO_ICMPV6,
      {
        kind: "icmp6",
        icmp: { type: 133, code: 0, body: encodeNd({ kind: "rs", reserved: 0, options: [] }) },
      },
    ),
    on: "vm5",
    barrier: true,
    match: icmp("icmp6", 134),
  },
  {
    name: "NS from vm1 for the router's fd00::1 with a source link-layer option → NA",
    from: "vm1",
    frame: ns({
      src: VM1.mac,
      dst: "33:33:ff:00:00:01",
      sip: VM1.ip6,
      dip: "ff02::1:ff00:1",
      target: R0.ip6,
      options: [{ kind: "sll", mac: VM1.mac }],
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp6", 136),
  },
  {
    name: "NS from vm1 for the router's link-local fe80::200:ff:fe00:ff01 → NA",
    from: "vm1",
    frame: ns({
      src: VM1.mac,
      dst: "33:33:ff:00:ff:01",
      sip: VM1.lla,
      dip: "ff02::1:ff00:ff01",
      target: "fe80::200:ff:fe00:ff01",
      options: [{ kind: "sll", mac: VM1.mac }],
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp6", 136),
  },
  {
    name: "a 1400-byte datagram without DF routed out of lrp3 (gateway_mtu 1300)",
    from: "vm1",
    frame: v4({ src: VM1.mac, dst: "00:00:00:00:ff:03", sip: VM1.ip, dip: "30.0.0.5" }, IP_PROTO_UDP, {
      kind: "udp",
      udp: { srcPort: 1235, dstPort: 7777, payload: big(1400) },
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp4", 3),
  },
  {
    name: "NS from vm1 unicast to fd00::1 without a source link-layer option → NA",
    from: "vm1",
    frame: ns({ src: VM1.mac, dst: R0.mac, sip: VM1.ip6, dip: R0.ip6, target: R0.ip6, options: [] }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp6", 136),
  },
  {
    name: "NS from vm4 for vm3's 2001:db8:1::13 → the switch's NA (nd_na)",
    from: "vm4",
    frame: ns({
      src: VM4.mac,
      dst: "33:33:ff:00:00:13",
      sip: VM4.ip6,
      dip: "ff02::1:ff00:13",
      target: VM3.ip6,
      options: [{ kind: "sll", mac: VM4.mac }],
    }),
    on: "vm4",
    barrier: true,
    match: icmp("icmp6", 136),
  },
  {
    name: "ARP request from vm1 for the router's 10.0.0.1 → reply",
    from: "vm1",
    frame: arpRequest({ sha: VM1.mac, spa: VM1.ip, tpa: R0.ip }),
    on: "vm1",
    barrier: true,
    match: isArpReply,
  },
  {
    name: "ARP request from vm4 for vm3's 20.0.0.13 → the switch's reply",
    from: "vm4",
    frame: arpRequest({ sha: VM4.mac, spa: VM4.ip, tpa: VM3.ip }),
    on: "vm4",
    barrier: true,
    match: isArpReply,
  },
  {
    name: "an ICMPv6 echo to the router's fd00::1 → echo reply",
    from: "vm1",
    frame: v6({ src: VM1.mac, dst: R0.mac, sip: VM1.ip6, dip: R0.ip6 }, IP_PROTO_ICMPV6, {
      kind: "icmp6",
      icmp: { type: 128, code: 0, body: Uint8Array.of(0, 7, 0, 1, ...big(20)) },
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp6", 129),
  },
  {
    name: "a 10-byte UDP datagram to the router's 10.0.0.1 → ICMP port unreachable",
    from: "vm1",
    frame: v4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip }, IP_PROTO_UDP, {
      kind: "udp",
      udp: { srcPort: 1234, dstPort: 7777, payload: big(10) },
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp4", 3),
  },
  {
    name: "a UDP datagram with IPv4 options (NOP, NOP, NOP, EOL) to 10.0.0.1 → ICMP port unreachable",
    from: "vm1",
    frame: v4(
      { src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip, options: Uint8Array.of(1, 1, 1, 0) },
      IP_PROTO_UDP,
      {
        kind: "udp",
        udp: { srcPort: 1234, dstPort: 7778, payload: big(40) },
      },
    ),
    on: "vm1",
    barrier: true,
    match: icmp("icmp4", 3),
  },
  {
    name: "a 10-byte UDP datagram to the router's fd00::1 → ICMPv6 port unreachable",
    from: "vm1",
    frame: v6({ src: VM1.mac, dst: R0.mac, sip: VM1.ip6, dip: R0.ip6 }, IP_PROTO_UDP, {
      kind: "udp",
      udp: { srcPort: 1234, dstPort: 7777, payload: big(10) },
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp6", 1),
  },
  {
    name: "a 100-byte routed IPv6 datagram with hop limit 1 → ICMPv6 time exceeded",
    from: "vm1",
    frame: v6({ src: VM1.mac, dst: R0.mac, sip: VM1.ip6, dip: VM3.ip6, hopLimit: 1 }, IP_PROTO_UDP, {
      kind: "udp",
      udp: { srcPort: 1234, dstPort: 7777, payload: big(100) },
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp6", 3),
  },
  {
    name: "a UDP datagram to 40.0.0.5 (no route in lr0)",
    from: "vm1",
    frame: v4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: "40.0.0.5" }, IP_PROTO_UDP, {
      kind: "udp",
      udp: { srcPort: 1234, dstPort: 7777, payload: big(10) },
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp4", 3),
  },
  ...(
    [
      ["a SYN to 10.0.0.1:80", 4, TCP_SYN, 0, E],
      ["an ACK with 20 bytes of payload to 10.0.0.1:80", 4, TCP_ACK | TCP_PSH, 0x01020304, big(20)],
      ["an ACK with 20 bytes of payload to [fd00::1]:80", 6, TCP_ACK | TCP_PSH, 0x01020304, big(20)],
      ["a SYN with 8 bytes of payload to [fd00::1]:80", 6, TCP_SYN, 0, big(8)],
      ["a RST to 10.0.0.1:80", 4, TCP_RST, 0, E],
      ["a FIN+ACK to 10.0.0.1:80", 4, TCP_FIN | TCP_ACK, 0x05060708, E],
      ["a segment without flags to [fd00::1]:80", 6, 0, 0, big(3)],
    ] as const
  ).map(
    ([what, family, flags, ack, payload], i): Probe => ({
      name: `TCP: ${what} → RST`,
      from: "vm1",
      frame:
        family === 4
          ? v4(
              { src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: R0.ip },
              IP_PROTO_TCP,
              tcp(2001 + i, 80, flags, 0x11223344, ack, payload),
            )
          : v6(
              { src: VM1.mac, dst: R0.mac, sip: VM1.ip6, dip: R0.ip6 },
              IP_PROTO_TCP,
              tcp(2001 + i, 80, flags, 0x11223344, ack, payload),
            ),
      on: "vm1",
      barrier: true,
      match: isTcp,
    }),
  ),
  ...(
    [
      ["IPv4 protocol 99 to the router's 10.0.0.1", 4, 99, R0.ip],
      ["IPv6 next header 99 to the router's fd00::1", 6, 99, R0.ip6],
    ] as const
  ).map(
    ([what, family, proto, dip]): Probe => ({
      name: `${what} (icmp4/icmp6 action)`,
      from: "vm1",
      frame:
        family === 4
          ? v4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip }, proto, { kind: "raw", bytes: big(30) })
          : v6({ src: VM1.mac, dst: R0.mac, sip: VM1.ip6, dip }, proto, { kind: "raw", bytes: big(30) }),
      on: "vm1",
      barrier: true,
      match: family === 4 ? icmp("icmp4", 3) : (f) => icmp("icmp6", 1)(f) || icmp("icmp6", 4)(f),
    }),
  ),
  {
    name: "a routed ICMP echo with TTL 1 → ICMP time exceeded",
    from: "vm1",
    frame: ping4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: VM3.ip, ttl: 1, id: 11, seq: 1 }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp4", 11),
  },
  {
    name: "a routed IPv4 datagram to the unresolved 20.0.0.77 → the router's ARP request on sw1 (arp)",
    from: "vm1",
    frame: v4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: "20.0.0.77" }, IP_PROTO_UDP, {
      kind: "udp",
      udp: { srcPort: 1236, dstPort: 9, payload: big(10) },
    }),
    on: "vm3",
    barrier: true,
    match: (f) => {
      const d = tryDecode(f);
      return d !== undefined && d.l3.kind === "arp" && d.l3.arp.op === 1 && d.l3.arp.tpa === "20.0.0.77";
    },
  },
  {
    name: "an ICMP echo to vm3, rejected by an ACL (reject)",
    from: "vm1",
    frame: ping4({ src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: VM3.ip, id: 9, seq: 1 }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp4", 3),
  },
  {
    name: "an ICMPv6 echo to vm3, rejected by an ACL (reject)",
    from: "vm1",
    frame: v6({ src: VM1.mac, dst: R0.mac, sip: VM1.ip6, dip: VM3.ip6 }, IP_PROTO_ICMPV6, {
      kind: "icmp6",
      icmp: { type: 128, code: 0, body: Uint8Array.of(0, 9, 0, 1, ...big(20)) },
    }),
    on: "vm1",
    barrier: true,
    match: icmp("icmp6", 1),
  },
  {
    name: "an SCTP INIT to vm3:5555, rejected by an ACL (reject)",
    from: "vm1",
    frame: sctpInit4({
      src: VM1.mac,
      dst: R0.mac,
      sip: VM1.ip,
      dip: VM3.ip,
      sport: 5001,
      dport: 5555,
      tag: 0x0a0b0c0d,
    }),
    on: "vm1",
    barrier: true,
    match: (f) => {
      const d = tryDecode(f);
      return (
        d !== undefined && d.l3.kind === "ipv4" && (d.l3.ip.protocol === 132 || d.l3.l4.kind === "icmp4")
      );
    },
  },
  {
    name: "TCP to vm3:5555, rejected by an ACL → RST (reject over IPv4)",
    from: "vm1",
    frame: v4(
      { src: VM1.mac, dst: R0.mac, sip: VM1.ip, dip: VM3.ip },
      IP_PROTO_TCP,
      tcp(2010, 5555, TCP_SYN, 5, 0, E),
    ),
    on: "vm1",
    barrier: true,
    match: isTcp,
  },
  ...(["f0:00:00:00:00:13", "f0:00:00:00:00:98"] as const).map(
    (sha, i): Probe => ({
      name: `gratuitous ARP ${i + 1} of 2 from vm3 for 20.0.0.98, MAC ${sha} → MAC_Binding ${i === 0 ? "made" : "updated"} (put_arp)`,
      from: "vm3",
      frame: arpFrame({ op: 2, sha, spa: "20.0.0.98", tha: R1.mac, tpa: R1.ip, dst: R1.mac }),
      on: "vm3",
      barrier: true,
      // No answer: the barrier only keeps the two in order.
      match: () => false,
    }),
  ),
];
