// Small shared pieces of the handlers: decoding a packet-in's frame into the shape a handler needs,
// or the drop reason when it is not that shape.

import { internetChecksum } from "../../packet/checksum.js";
import { decodeFrame, encodeFrame, type Frame, type L4 } from "../../packet/frame.js";
import { IPV4_FLAG_DF, type Ipv4Packet } from "../../packet/ipv4.js";
import type { Ipv6Packet } from "../../packet/ipv6.js";
import type { UdpDatagram } from "../../packet/udp.js";

export type Shaped<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export function frameOf(packet: Uint8Array): Shaped<Frame> {
  const f = decodeFrame(packet);
  return f.ok ? f : { ok: false, reason: f.truncated ? "truncated" : "malformed" };
}

export interface Udp4 {
  readonly frame: Frame;
  readonly ip: Ipv4Packet;
  readonly udp: UdpDatagram;
}

export interface Udp6 {
  readonly frame: Frame;
  readonly ip: Ipv6Packet;
  readonly udp: UdpDatagram;
}

export function udpOf(packet: Uint8Array): Shaped<Udp4 | Udp6> {
  const f = frameOf(packet);
  if (!f.ok) return f;
  const l3 = f.value.l3;
  if ((l3.kind !== "ipv4" && l3.kind !== "ipv6") || l3.l4.kind !== "udp")
    return { ok: false, reason: "not-udp" };
  return { ok: true, value: { frame: f.value, ip: l3.ip, udp: l3.l4.udp } as Udp4 | Udp6 };
}

/** The 32-bit register `n`, 0 when absent. */
export function reg(regs: readonly number[], n: number): number {
  return (regs[n] ?? 0) >>> 0;
}

const NO_BYTES = new Uint8Array();

/**
 * The IPv4 header of a packet ovn-controller makes itself (resets, aborts, ICMP errors, probes): no
 * options, TOS 0, identification 0, don't-fragment set.
 */
export function ownIpv4(ttl: number, protocol: number, src: string, dst: string): Ipv4Packet {
  return {
    tos: 0,
    ident: 0,
    flags: IPV4_FLAG_DF,
    fragOffset: 0,
    ttl,
    protocol,
    src,
    dst,
    options: NO_BYTES,
    payload: NO_BYTES,
    trailer: NO_BYTES,
  };
}

/** The IPv6 header of a packet ovn-controller makes itself: traffic class and flow label 0, no extensions. */
export function ownIpv6(hopLimit: number, protocol: number, src: string, dst: string): Ipv6Packet {
  return {
    trafficClass: 0,
    flowLabel: 0,
    hopLimit,
    src,
    dst,
    extensions: [],
    protocol,
    payload: NO_BYTES,
    trailer: NO_BYTES,
  };
}

/**
 * The answer the controller makes to an IP frame (a TCP reset, an SCTP abort): `l4` in a header of its
 * own (ownIpv4/ownIpv6, the frame's family), the frame's Ethernet and IP addresses kept, or swapped if
 * `swap` (reject addresses the answer itself; the other actions leave that to their nested actions).
 */
export function answerFrame(
  eth: Frame["eth"],
  l3: Extract<Frame["l3"], { readonly kind: "ipv4" | "ipv6" }>,
  swap: boolean,
  ttl: number,
  protocol: number,
  l4: L4,
): Uint8Array {
  const e = swap ? { ...eth, dst: eth.src, src: eth.dst } : eth;
  const [src, dst] = swap ? [l3.ip.dst, l3.ip.src] : [l3.ip.src, l3.ip.dst];
  return encodeFrame(
    l3.kind === "ipv4"
      ? { eth: e, l3: { kind: "ipv4", ip: ownIpv4(ttl, protocol, src, dst), l4 } }
      : { eth: e, l3: { kind: "ipv6", ip: ownIpv6(ttl, protocol, src, dst), l4 } },
  );
}

/**
 * `packet` (an IPv4 frame with `vlans` tags) with its IPv4 header checksum taken over the first 20
 * bytes of the header only, as ovn-controller 23.03 sums the headers of the DNS and DHCP answers it
 * rewrites in place: with IP options the checksum is wrong, conntrack (or the guest) drops the
 * answer, and no answer arrives (peer/diff-probes-more.ts). Without options nothing changes.
 */
export function baseHeaderChecksum(packet: Uint8Array, vlans: number): Uint8Array {
  const l3 = 14 + 4 * vlans;
  if (packet.length < l3 + 20 || ((packet[l3] as number) & 0x0f) <= 5) return packet;
  const out = packet.slice();
  out[l3 + 10] = 0;
  out[l3 + 11] = 0;
  const sum = internetChecksum(out.subarray(l3, l3 + 20));
  out[l3 + 10] = (sum >> 8) & 0xff;
  out[l3 + 11] = sum & 0xff;
  return out;
}
