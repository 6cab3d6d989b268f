// Frames of actions-diff.test.ts's probes that test/support/frames.ts has no builder for, and the
// matchers that pick a probe's answer out of a VIF's output.
import { tryDecode } from "../../../../test/support/frames.js";
import { parseMacOrThrow } from "../../../packet/bytes.js";
import { DHCP_OPT_END, DHCP_OPT_PARAM_LIST, type DhcpOption, encodeDhcp4 } from "../../../packet/dhcp4.js";
import { DNS_CLASS_IN, DNS_RD, encodeDns } from "../../../packet/dns.js";
import { ETH_TYPE_IPV4, ETH_TYPE_IPV6 } from "../../../packet/ethernet.js";
import { encodeFrame } from "../../../packet/frame.js";
import { encodeNd, ND_NEIGHBOR_SOLICIT } from "../../../packet/icmp6.js";
import { IP_PROTO_ICMPV6, IP_PROTO_TCP, IP_PROTO_UDP } from "../../../packet/ipv4.js";
import { TCP_SYN } from "../../../packet/tcp.js";
import { R0, VM1 } from "./diff-topology.js";

export const E = new Uint8Array(0);

export function dhcp6(type: number, xid: number, options: number[]): Uint8Array {
  const msg = Uint8Array.from([
    type,
    (xid >> 16) & 0xff,
    (xid >> 8) & 0xff,
    xid & 0xff,
    ...[0, 1, 0, 10, 0, 3, 0, 1, ...parseMacOrThrow(VM1.mac)],
    ...options,
  ]);
  return encodeFrame({
    eth: { src: VM1.mac, dst: "33:33:00:01:00:02", vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 1,
        src: VM1.lla,
        dst: "ff02::1:2",
        extensions: [],
        protocol: IP_PROTO_UDP,
        payload: E,
        trailer: E,
      },
      l4: { kind: "udp", udp: { srcPort: 546, dstPort: 547, payload: msg } },
    },
  });
}

/** A DHCPv4 message from vm1 with `options` (message type first), from `sip`/`ciaddr`. */
export function dhcp4(xid: number, sip: string, dip: string, options: DhcpOption[]): Uint8Array {
  const chaddr = new Uint8Array(16);
  chaddr.set(parseMacOrThrow(VM1.mac));
  const payload = dhcp4Client({
    xid,
    ciaddr: sip,
    chaddr,
    options: [
      ...options,
      { code: DHCP_OPT_PARAM_LIST, data: new Uint8Array([1, 3, 6, 15]) },
      { code: DHCP_OPT_END, data: E },
    ],
  });
  return dhcp4Frame(payload, sip, dip);
}

/** A DHCPv4 client message (BOOTREQUEST, Ethernet hardware type) with only what is given set; chaddr all zeros by default. */
export function dhcp4Client(m: {
  xid: number;
  ciaddr?: string;
  chaddr?: Uint8Array;
  options: readonly DhcpOption[];
}): Uint8Array {
  return encodeDhcp4({
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: m.xid,
    secs: 0,
    flags: 0,
    ciaddr: m.ciaddr ?? "0.0.0.0",
    yiaddr: "0.0.0.0",
    siaddr: "0.0.0.0",
    giaddr: "0.0.0.0",
    chaddr: m.chaddr ?? new Uint8Array(16),
    sname: new Uint8Array(64),
    file: new Uint8Array(128),
    cookie: true,
    options: [...m.options],
    trailer: E,
  });
}

/** A DHCPv4 client's `payload` from vm1 (port 68 to 67), from `sip` to `dip` (broadcast or the router). */
export function dhcp4Frame(payload: Uint8Array, sip: string, dip: string): Uint8Array {
  return encodeFrame({
    eth: {
      src: VM1.mac,
      dst: dip === "255.255.255.255" ? "ff:ff:ff:ff:ff:ff" : R0.mac,
      vlans: [],
      etherType: ETH_TYPE_IPV4,
      payload: E,
    },
    l3: {
      kind: "ipv4",
      ip: {
        tos: 0,
        ident: 0,
        flags: 0,
        fragOffset: 0,
        ttl: 64,
        protocol: IP_PROTO_UDP,
        src: sip,
        dst: dip,
        options: E,
        payload: E,
        trailer: E,
      },
      l4: { kind: "udp", udp: { srcPort: 68, dstPort: 67, payload } },
    },
  });
}

/** A DNS query from vm1 over IPv6 to the router's address. */
export function dns6(id: number, name: string, type: number): Uint8Array {
  const payload = encodeDns({
    id,
    flags: DNS_RD,
    questions: [{ name, type, class: DNS_CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
  return encodeFrame({
    eth: { src: VM1.mac, dst: R0.mac, vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 64,
        src: VM1.ip6,
        dst: R0.ip6,
        extensions: [],
        protocol: IP_PROTO_UDP,
        payload: E,
        trailer: E,
      },
      l4: { kind: "udp", udp: { srcPort: 33334, dstPort: 53, payload } },
    },
  });
}

/** A DNS message from vm1's UDP port `srcPort` to the router's port 53 over IPv4. */
function dnsToRouter4(srcPort: number, payload: Uint8Array): Uint8Array {
  return encodeFrame({
    eth: { src: VM1.mac, dst: R0.mac, vlans: [], etherType: ETH_TYPE_IPV4, payload: E },
    l3: {
      kind: "ipv4",
      ip: {
        tos: 0,
        ident: 0,
        flags: 2,
        fragOffset: 0,
        ttl: 64,
        protocol: IP_PROTO_UDP,
        src: VM1.ip,
        dst: R0.ip,
        options: E,
        payload: E,
        trailer: E,
      },
      l4: { kind: "udp", udp: { srcPort, dstPort: 53, payload } },
    },
  });
}

/**
 * A query from vm1 for `name`: with an EDNS(0) OPT record (UDP size 1232) as dig and resolvers send it,
 * or with a second question (AAAA), or with the opcode STATUS (2).
 */
export function dnsOdd(id: number, name: string, odd: "edns" | "two-questions" | "opcode"): Uint8Array {
  const payload = encodeDns({
    id,
    flags: DNS_RD | (odd === "opcode" ? 2 << 11 : 0),
    questions: [
      { name, type: 1, class: DNS_CLASS_IN },
      ...(odd === "two-questions" ? [{ name, type: 28, class: DNS_CLASS_IN }] : []),
    ],
    answers: [],
    authorities: [],
    additionals:
      odd === "edns" ? [{ name: "", type: 41, class: 1232, ttl: 0, data: { kind: "raw", bytes: E } }] : [],
  });
  return dnsToRouter4(33335, payload);
}

/** A TCP SYN from vm1 over IPv6. */
export function syn6(dst: string, dip: string, dport: number): Uint8Array {
  return encodeFrame({
    eth: { src: VM1.mac, dst, vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 64,
        src: VM1.ip6,
        dst: dip,
        extensions: [],
        protocol: IP_PROTO_TCP,
        payload: E,
        trailer: E,
      },
      l4: {
        kind: "tcp",
        tcp: {
          srcPort: 1001,
          dstPort: dport,
          seq: 1,
          ack: 0,
          flags: TCP_SYN,
          window: 65535,
          urgent: 0,
          options: E,
          payload: E,
        },
      },
    },
  });
}

/** A duplicate address detection probe (NS from ::) from vm1 for `target`. */
export function dadNs(target: string): Uint8Array {
  const sn = `ff02::1:ff${target.split(":").pop()?.padStart(4, "0").slice(0, 2)}:${target.split(":").pop()?.padStart(4, "0").slice(2)}`;
  return encodeFrame({
    eth: { src: VM1.mac, dst: "33:33:ff:00:00:01", vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 255,
        src: "::",
        dst: sn,
        extensions: [],
        protocol: IP_PROTO_ICMPV6,
        payload: E,
        trailer: E,
      },
      l4: {
        kind: "icmp6",
        icmp: {
          type: ND_NEIGHBOR_SOLICIT,
          code: 0,
          body: encodeNd({ kind: "ns", reserved: 0, target, options: [] }),
        },
      },
    },
  });
}

export const udpTo = (port: number) => (f: Uint8Array) => {
  const d = tryDecode(f);
  return (
    d !== undefined &&
    (d.l3.kind === "ipv4" || d.l3.kind === "ipv6") &&
    d.l3.l4.kind === "udp" &&
    d.l3.l4.udp.dstPort === port
  );
};
export const icmp = (kind: "icmp4" | "icmp6", type: number) => (f: Uint8Array) => {
  const d = tryDecode(f);
  return (
    d !== undefined &&
    (d.l3.kind === "ipv4" || d.l3.kind === "ipv6") &&
    d.l3.l4.kind === kind &&
    d.l3.l4.icmp.type === type
  );
};
export const big = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

export function udp6Big(s: {
  dport: number;
  dip: string;
  hopLimit: number;
  n: number;
  dst?: string;
}): Uint8Array {
  return encodeFrame({
    eth: { src: VM1.mac, dst: s.dst ?? R0.mac, vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: s.hopLimit,
        src: VM1.ip6,
        dst: s.dip,
        extensions: [],
        protocol: IP_PROTO_UDP,
        payload: E,
        trailer: E,
      },
      l4: { kind: "udp", udp: { srcPort: 12345, dstPort: s.dport, payload: big(s.n) } },
    },
  });
}

const BARRIER_PORT = 40053;

/** The barrier query number `n` (see Probe.barrier): an A query for vm2.ovn.test from vm1. */
export function barrierQuery(n: number): { frame: Uint8Array; id: number } {
  const id = 0x7000 + n;
  const payload = encodeDns({
    id,
    flags: DNS_RD,
    questions: [{ name: "vm2.ovn.test", type: 1, class: DNS_CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
  return {
    id,
    frame: dnsToRouter4(BARRIER_PORT, payload),
  };
}

/** The DNS id of a barrier's answer, or undefined for any other frame. */
export function barrierId(f: Uint8Array): number | undefined {
  const d = tryDecode(f);
  if (d === undefined || d.l3.kind !== "ipv4" || d.l3.l4.kind !== "udp") return undefined;
  const u = d.l3.l4.udp;
  if (u.dstPort !== BARRIER_PORT || u.srcPort !== 53 || u.payload.length < 2) return undefined;
  return ((u.payload[0] as number) << 8) | (u.payload[1] as number);
}

export const isBarrierAnswer = (f: Uint8Array): boolean => barrierId(f) !== undefined;
