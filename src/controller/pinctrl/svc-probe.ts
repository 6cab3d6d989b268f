// ADAPTER: the frames of load-balancer health checks (ovn-sb(5) Service_Monitor) and the replies they
// draw, as the real ovn-controller 23.03 sends and reads them.  Observed on a netdev-dummy VIF's
// tx pcap and in ovs-vswitchd's vconn log (test/scenarios/peer/lb-health.test.ts drives the same set-up):
//   TCP probe:  IPv4 id 0, DF, TTL 63, TOS 0; TCP SYN, no options, window 65160, ack 0, a random source
//               port and sequence number per probe.
//   TCP reset:  the answer to a SYN-ACK that acknowledges the probe: RST+ACK from the probe's source
//               port, seq = the SYN-ACK's ack + 1, ack = its seq + 1, the same IP header.
//   UDP probe:  the same IP header; UDP with no checksum and 8 zero bytes of payload, the source port
//               chosen once per monitor.
// Replies are read with the total decoders of src/packet: bad bytes come back as a reason, never a throw.

import { ETH_TYPE_IPV4 } from "../../packet/ethernet.js";
import { decodeFrame, encodeFrame, type L4 } from "../../packet/frame.js";
import { ICMP4_DEST_UNREACH, ICMP4_PORT_UNREACH } from "../../packet/icmp4.js";
import { decodeIpv4, IP_PROTO_TCP, IP_PROTO_UDP } from "../../packet/ipv4.js";
import { type Decoded, fail, ok } from "../../packet/result.js";
import { TCP_ACK, TCP_RST, TCP_SYN } from "../../packet/tcp.js";
import { ownIpv4 } from "./packet-util.js";

export const PROBE_TTL = 63;
export const PROBE_TCP_WINDOW = 65160;
const UDP_PAYLOAD = new Uint8Array(8);
const EMPTY = new Uint8Array(0);

/** Who a probe goes from and to (the monitor's src_mac/src_ip, the backend's MAC, IP and port). */
export interface ProbeEnds {
  readonly srcMac: string;
  readonly srcIp: string;
  readonly dstMac: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

function ipv4Frame(e: ProbeEnds, protocol: number, l4: L4): Uint8Array {
  return encodeFrame({
    eth: { dst: e.dstMac, src: e.srcMac, vlans: [], etherType: ETH_TYPE_IPV4, payload: EMPTY },
    l3: {
      kind: "ipv4",
      ip: ownIpv4(PROBE_TTL, protocol, e.srcIp, e.dstIp),
      l4,
    },
  });
}

/** A TCP segment of a health check: the SYN probe (ack 0) or the reset that closes a half-open probe. */
export function buildTcpProbe(e: ProbeEnds, flags: number, seq: number, ack: number): Uint8Array {
  return ipv4Frame(e, IP_PROTO_TCP, {
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
  return ipv4Frame(e, IP_PROTO_UDP, {
    kind: "udp",
    // Checksum 0: "none", as the real controller sends it.
    udp: { srcPort: e.srcPort, dstPort: e.dstPort, checksum: 0, payload: UDP_PAYLOAD },
  });
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
  /** An ICMP port unreachable quoting a UDP probe to (ip, port) from probePort. */
  | {
      readonly kind: "udp-unreachable";
      readonly ip: string;
      readonly port: number;
      readonly srcIp: string;
      readonly probePort: number;
    };

/** Decodes a frame that a handle_svc_check flow sent up; a failure is the drop counter's suffix. */
export function parseSvcReply(frame: Uint8Array): Decoded<SvcReply> {
  const f = decodeFrame(frame);
  if (!f.ok) return fail(f.truncated ? "truncated" : "malformed");
  const l3 = f.value.l3;
  if (l3.kind !== "ipv4") return fail(l3.kind === "ipv6" ? "ipv6-unsupported" : "not-ip");
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
    return quotedUdp(l4.icmp.data);
  }
  return fail("not-tcp-or-icmp");
}

/** The UDP probe an ICMP error quotes: its IP header and at least the first 8 bytes after it. */
function quotedUdp(data: Uint8Array): Decoded<SvcReply> {
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
  const u16 = (at: number) => ((p[at] ?? 0) << 8) | (p[at + 1] ?? 0);
  return ok({
    kind: "udp-unreachable",
    ip: ip.value.dst,
    port: u16(2),
    srcIp: ip.value.src,
    probePort: u16(0),
  });
}

export const isSynAck = (flags: number): boolean =>
  (flags & (TCP_SYN | TCP_ACK | TCP_RST)) === (TCP_SYN | TCP_ACK);
export const isRst = (flags: number): boolean => (flags & TCP_RST) !== 0;
export const RST_ACK = TCP_RST | TCP_ACK;
