// A whole frame decoded layer by layer (Ethernet → ARP / IPv4 / IPv6 → UDP / TCP / ICMP), and encoded
// back with lengths recomputed and every checksum the frame does not carry filled in. A layer above
// the first that cannot decode makes the frame fail: pinctrl drops and counts such packets.
import { type ArpPacket, decodeArp, encodeArp } from "./arp.js";
import { parseIpv4OrThrow, parseIpv6OrThrow } from "./bytes.js";
import {
  decodeEthernet,
  ETH_TYPE_ARP,
  ETH_TYPE_IPV4,
  ETH_TYPE_IPV6,
  ETH_TYPE_RARP,
  type EthernetFrame,
  encodeEthernet,
} from "./ethernet.js";
import { decodeIcmp4, encodeIcmp4, type Icmp4Message } from "./icmp4.js";
import { decodeIcmp6, encodeIcmp6, type Icmp6Message } from "./icmp6.js";
import {
  decodeIpv4,
  encodeIpv4,
  IP_PROTO_ICMP,
  IP_PROTO_ICMPV6,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  type Ipv4Packet,
} from "./ipv4.js";
import { decodeIpv6, encodeIpv6, type Ipv6Packet, ipv6Fragment } from "./ipv6.js";
import { type Decoded, fail, ok } from "./result.js";
import { decodeTcp, encodeTcp, type TcpSegment } from "./tcp.js";
import { decodeUdp, encodeUdp, type PseudoHeader, type UdpDatagram } from "./udp.js";

export type L4 =
  | { readonly kind: "udp"; readonly udp: UdpDatagram }
  | { readonly kind: "tcp"; readonly tcp: TcpSegment }
  | { readonly kind: "icmp4"; readonly icmp: Icmp4Message }
  | { readonly kind: "icmp6"; readonly icmp: Icmp6Message }
  /** Another protocol, or a non-first fragment. */
  | { readonly kind: "raw"; readonly bytes: Uint8Array };

export type L3 =
  | { readonly kind: "arp"; readonly arp: ArpPacket }
  | { readonly kind: "ipv4"; readonly ip: Ipv4Packet; readonly l4: L4 }
  | { readonly kind: "ipv6"; readonly ip: Ipv6Packet; readonly l4: L4 }
  | { readonly kind: "raw"; readonly bytes: Uint8Array };

/** `eth.payload` and the IP `payload` are ignored on encode: the layers below them are the truth. */
export interface Frame {
  readonly eth: EthernetFrame;
  readonly l3: L3;
}

function decodeL4(protocol: number, bytes: Uint8Array, v6: boolean): Decoded<L4> {
  const wrap = <T>(d: Decoded<T>, make: (v: T) => L4): Decoded<L4> => (d.ok ? ok(make(d.value)) : d);
  switch (protocol) {
    case IP_PROTO_UDP:
      return wrap(decodeUdp(bytes), (udp) => ({ kind: "udp", udp }));
    case IP_PROTO_TCP:
      return wrap(decodeTcp(bytes), (tcp) => ({ kind: "tcp", tcp }));
    case IP_PROTO_ICMP:
      return v6 ? ok({ kind: "raw", bytes }) : wrap(decodeIcmp4(bytes), (icmp) => ({ kind: "icmp4", icmp }));
    case IP_PROTO_ICMPV6:
      return v6 ? wrap(decodeIcmp6(bytes), (icmp) => ({ kind: "icmp6", icmp })) : ok({ kind: "raw", bytes });
    default:
      return ok({ kind: "raw", bytes });
  }
}

export function decodeFrame(bytes: Uint8Array): Decoded<Frame> {
  const e = decodeEthernet(bytes);
  if (!e.ok) return e;
  const eth = e.value;
  switch (eth.etherType) {
    case ETH_TYPE_ARP:
    case ETH_TYPE_RARP: {
      const a = decodeArp(eth.payload);
      return a.ok ? ok({ eth, l3: { kind: "arp", arp: a.value } }) : a;
    }
    case ETH_TYPE_IPV4: {
      const ip = decodeIpv4(eth.payload);
      if (!ip.ok) return ip;
      const l4 =
        ip.value.fragOffset !== 0
          ? ok<L4>({ kind: "raw", bytes: ip.value.payload })
          : decodeL4(ip.value.protocol, ip.value.payload, false);
      if (!l4.ok) return l4;
      return ok({ eth, l3: { kind: "ipv4", ip: ip.value, l4: l4.value } });
    }
    case ETH_TYPE_IPV6: {
      const ip = decodeIpv6(eth.payload);
      if (!ip.ok) return ip;
      const frag = ipv6Fragment(ip.value);
      const l4 =
        frag !== undefined && frag.offset !== 0
          ? ok<L4>({ kind: "raw", bytes: ip.value.payload })
          : decodeL4(ip.value.protocol, ip.value.payload, true);
      if (!l4.ok) return l4;
      return ok({ eth, l3: { kind: "ipv6", ip: ip.value, l4: l4.value } });
    }
    default:
      return ok({ eth, l3: { kind: "raw", bytes: eth.payload } });
  }
}

function encodeL4(l4: L4, ph: PseudoHeader): Uint8Array {
  switch (l4.kind) {
    case "udp":
      return encodeUdp(l4.udp, ph);
    case "tcp":
      return encodeTcp(l4.tcp, ph);
    case "icmp4":
      return encodeIcmp4(l4.icmp);
    case "icmp6":
      return encodeIcmp6(l4.icmp, ph);
    case "raw":
      return l4.bytes;
  }
}

export function encodeL3(l3: L3): Uint8Array {
  switch (l3.kind) {
    case "arp":
      return encodeArp(l3.arp);
    case "ipv4": {
      const ph = { src: parseIpv4OrThrow(l3.ip.src), dst: parseIpv4OrThrow(l3.ip.dst) };
      return encodeIpv4({ ...l3.ip, payload: encodeL4(l3.l4, ph) });
    }
    case "ipv6": {
      const ph = { src: parseIpv6OrThrow(l3.ip.src), dst: parseIpv6OrThrow(l3.ip.dst) };
      return encodeIpv6({ ...l3.ip, payload: encodeL4(l3.l4, ph) });
    }
    case "raw":
      return l3.bytes;
  }
}

export function encodeFrame(f: Frame): Uint8Array {
  return encodeEthernet({ ...f.eth, payload: encodeL3(f.l3) });
}

/** The same frame without any carried checksum, so encodeFrame recomputes them all. */
export function withoutChecksums(f: Frame): Frame {
  const l4 = (x: L4): L4 => {
    switch (x.kind) {
      case "udp": {
        const { checksum: _, ...udp } = x.udp;
        return { kind: "udp", udp };
      }
      case "tcp": {
        const { checksum: _, ...tcp } = x.tcp;
        return { kind: "tcp", tcp };
      }
      case "icmp4": {
        const { checksum: _, ...icmp } = x.icmp;
        return { kind: "icmp4", icmp };
      }
      case "icmp6": {
        const { checksum: _, ...icmp } = x.icmp;
        return { kind: "icmp6", icmp };
      }
      case "raw":
        return x;
    }
  };
  const l3 = f.l3;
  if (l3.kind === "ipv4") {
    const { checksum: _, ...ip } = l3.ip;
    return { eth: f.eth, l3: { kind: "ipv4", ip, l4: l4(l3.l4) } };
  }
  if (l3.kind === "ipv6") return { eth: f.eth, l3: { kind: "ipv6", ip: l3.ip, l4: l4(l3.l4) } };
  return f;
}

/** A short reason a frame is not of the wanted shape (for drop counters). */
export function expect<T>(v: T | undefined, why: string): Decoded<T> {
  return v === undefined ? fail(why) : ok(v);
}
