// ADAPTER: the frames of load-balancer health checks (ovn-sb(5) Service_Monitor) and the replies they
// draw, as the real ovn-controller 23.03 sends and reads them.  Observed on a netdev-dummy VIF's
// tx pcap and in ovs-vswitchd's vconn log (test/scenarios/peer/lb-health.test.ts drives the same set-up):
//   TCP probe:  IPv4 id 0, DF, TTL 63, TOS 0; TCP SYN, no options, window 65160, ack 0, a random source
//               port and sequence number per probe.
//   TCP reset:  the answer to a SYN-ACK that acknowledges the probe: RST+ACK from the probe's source
//               port, seq = the SYN-ACK's ack + 1, ack = its seq + 1, the same IP header.
//   UDP probe:  the same IP header; UDP with no checksum and 8 zero bytes of payload, the source port
//               chosen once per monitor.
//   IPv6 (a Service_Monitor whose ip is IPv6): the same segments in an IPv6 header with traffic class
//               and flow label 0, hop limit 63, no extensions; the UDP probe then carries its checksum
//               (mandatory over IPv6).  A UDP probe is failed by an ICMPv6 destination unreachable,
//               code 4 (port unreachable), quoting it.
//   Source ports are drawn from 1024 up, never a privileged port, as the real controller's (checked on
//   it in test/scenarios/peer/lb-health6.test.ts).
// Replies are read with the total decoders of src/packet: bad bytes come back as a reason, never a throw.

import { ETH_TYPE_IPV4, ETH_TYPE_IPV6 } from "../../packet/ethernet.js";
import { decodeFrame, encodeFrame, type L4 } from "../../packet/frame.js";
import { ICMP4_DEST_UNREACH, ICMP4_PORT_UNREACH } from "../../packet/icmp4.js";
import { ICMP6_DEST_UNREACH } from "../../packet/icmp6.js";
import { decodeIpv4, IP_PROTO_TCP, IP_PROTO_UDP } from "../../packet/ipv4.js";
import { type Decoded, fail, ok } from "../../packet/result.js";
import { TCP_ACK, TCP_RST, TCP_SYN } from "../../packet/tcp.js";
import { ownIpv4, ownIpv6 } from "./packet-util.js";

export const PROBE_TTL = 63;
export const PROBE_TCP_WINDOW = 65160;
/** ICMPv6 destination unreachable, code "port unreachable" (RFC 4443 §3.1). */
export const ICMP6_PORT_UNREACH = 4;
/** The lowest source port a probe is sent from. */
export const PROBE_MIN_PORT = 1024;
const UDP_PAYLOAD = new Uint8Array(8);
const EMPTY = new Uint8Array(0);

/** A source port for a probe from a uniform draw in [0, 1): PROBE_MIN_PORT … 65535. */
export const probePort = (draw: number): number =>
  PROBE_MIN_PORT + Math.min(65535 - PROBE_MIN_PORT, Math.floor(draw * (65536 - PROBE_MIN_PORT)));

/**
 * Who a probe goes from and to (the monitor's src_mac/src_ip, the backend's MAC, IP and port).  The
 * addresses are both IPv4 or both IPv6 (canonical text); an IPv6 `dstIp` makes an IPv6 probe.
 */
export interface ProbeEnds {
  readonly srcMac: string;
  readonly srcIp: string;
  readonly dstMac: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

export const isIpv6 = (ip: string): boolean => ip.includes(":");

function ipFrame(e: ProbeEnds, protocol: number, l4: L4): Uint8Array {
  const v6 = isIpv6(e.dstIp);
  return encodeFrame({
    eth: {
      dst: e.dstMac,
      src: e.srcMac,
      vlans: [],
      etherType: v6 ? ETH_TYPE_IPV6 : ETH_TYPE_IPV4,
      payload: EMPTY,
    },
    l3: v6
      ? { kind: "ipv6", ip: ownIpv6(PROBE_TTL, protocol, e.srcIp, e.dstIp), l4 }
      : { kind: "ipv4", ip: ownIpv4(PROBE_TTL, protocol, e.srcIp, e.dstIp), l4 },
  });
}

/** A TCP segment of a health check: the SYN probe (ack 0) or the reset that closes a half-open probe. */
export function buildTcpProbe(e: ProbeEnds, flags: number, seq: number, ack: number): Uint8Array {
  return ipFrame(e, IP_PROTO_TCP, {
    kind: "tcp",
    tcp: {
      srcPort: e.srcPort,
      dstPort: e.dstPort,
      seq: seq >>> 0,
      ack: ack >>> 0,
      flags,
      window: PROBE_TCP_WINDOW,
      urgent: 0,
      options: EMPTY,
      payload: EMPTY,
    },
  });
}

export const buildTcpSyn = (e: ProbeEnds, seq: number): Uint8Array => buildTcpProbe(e, TCP_SYN, seq, 0);

export function buildUdpProbe(e: ProbeEnds): Uint8Array {
  // Over IPv4 checksum 0, "none", as the real controller sends it; over IPv6 the computed one.
  const udp = { srcPort: e.srcPort, dstPort: e.dstPort, payload: UDP_PAYLOAD };
  return ipFrame(e, IP_PROTO_UDP, { kind: "udp", udp: isIpv6(e.dstIp) ? udp : { ...udp, checksum: 0 } });
}

/** What a health-check reply says, in the terms the monitors are keyed by. */
export type SvcReply =
  /** A TCP segment from the backend (ip, port) to a probe's source port. */
  | {
      readonly kind: "tcp";
      readonly srcMac: string;
      readonly dstMac: string;
      readonly ip: string;
      readonly port: number;
      readonly dstIp: string;
      readonly probePort: number;
      readonly seq: number;
      readonly ack: number;
      readonly flags: number;
    }
  /**
   * An ICMP (ICMPv6) port unreachable from `ip` quoting a UDP probe to `port` from probePort.  As in the
   * real controller, the monitor is found by the error's sender, not by the quoted destination.
   */
  | {
      readonly kind: "udp-unreachable";
      readonly ip: string;
      readonly port: number;
      readonly probePort: number;
    };

/** Decodes a frame that a handle_svc_check flow sent up; a failure is the drop counter's suffix. */
export function parseSvcReply(frame: Uint8Array): Decoded<SvcReply> {
  const f = decodeFrame(frame);
  if (!f.ok) return fail(f.truncated ? "truncated" : "malformed");
  const l3 = f.value.l3;
  if (l3.kind !== "ipv4" && l3.kind !== "ipv6") return fail("not-ip");
  const l4 = l3.l4;
  if (l4.kind === "tcp")
    return ok({
      kind: "tcp",
      srcMac: f.value.eth.src,
      dstMac: f.value.eth.dst,
      ip: l3.ip.src,
      port: l4.tcp.srcPort,
      dstIp: l3.ip.dst,
      probePort: l4.tcp.dstPort,
      seq: l4.tcp.seq,
      ack: l4.tcp.ack,
      flags: l4.tcp.flags,
    });
  if (l4.kind === "icmp4") {
    if (l4.icmp.type !== ICMP4_DEST_UNREACH || l4.icmp.code !== ICMP4_PORT_UNREACH) return fail("icmp-other");
    return quotedUdp(l3.ip.src, l4.icmp.data);
  }
  if (l4.kind === "icmp6") {
    if (l4.icmp.type !== ICMP6_DEST_UNREACH || l4.icmp.code !== ICMP6_PORT_UNREACH) return fail("icmp-other");
    return quotedUdp6(l3.ip.src, l4.icmp.body);
  }
  return fail("not-tcp-or-icmp");
}

const u16 = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);

/**
 * The UDP probe an ICMPv6 error from `sender` quotes: after 4 unused bytes, the probe's IPv6 header and
 * its UDP ports.  The real controller only warns when the quoted payload length is not a probe's, so
 * that is not checked either; extension headers are not walked (a probe has none).
 */
function quotedUdp6(sender: string, body: Uint8Array): Decoded<SvcReply> {
  if (body.length < 4 + 40 + 4) return fail("icmp-quote-truncated");
  if ((body[4] ?? 0) >> 4 !== 6) return fail("icmp-quote-malformed");
  if (body[4 + 6] !== IP_PROTO_UDP) return fail("icmp-quote-not-udp");
  return ok({ kind: "udp-unreachable", ip: sender, port: u16(body, 46), probePort: u16(body, 44) });
}

/** The UDP probe an ICMP error from `sender` quotes: its IP header and at least the first 8 bytes after it. */
function quotedUdp(sender: string, data: Uint8Array): Decoded<SvcReply> {
  const ihl = ((data[0] ?? 0) & 0x0f) * 4;
  if (data.length < ihl + 8 || ihl < 20) return fail("icmp-quote-truncated");
  // The quote is cut short on purpose, so decode the header alone with its length set to what is there.
  const head = data.slice(0, ihl + 8);
  head[2] = (ihl + 8) >> 8;
  head[3] = (ihl + 8) & 0xff;
  const ip = decodeIpv4(head);
  if (!ip.ok) return fail("icmp-quote-malformed");
  if (ip.value.protocol !== IP_PROTO_UDP) return fail("icmp-quote-not-udp");
  const p = ip.value.payload;
  return ok({ kind: "udp-unreachable", ip: sender, port: u16(p, 2), probePort: u16(p, 0) });
}

export const isSynAck = (flags: number): boolean =>
  (flags & (TCP_SYN | TCP_ACK | TCP_RST)) === (TCP_SYN | TCP_ACK);
export const isRst = (flags: number): boolean => (flags & TCP_RST) !== 0;
export const RST_ACK = TCP_RST | TCP_ACK;
