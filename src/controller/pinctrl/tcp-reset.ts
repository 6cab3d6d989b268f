// tcp_reset and reject (ovn-sb(5)). The RST is what ovn-controller 23.03 puts on the wire, which is not
// the man page's pseudocode: whatever the segment (SYN, data with ACK, FIN), the reset has sequence
// number 0, acknowledges the segment's sequence number plus one, carries RST|ACK and window 0, and
// swaps the ports (fixtures ovn_tcp_*). Its IPv4 header has identification 0, DF and TTL 63 (the man
// page says 255; the wire says 63).
// reject answers TCP with that RST, SCTP with an ABORT (sctp-abort.ts) and anything else with ICMP port
// unreachable, and — unlike the other actions — swaps the Ethernet and IP addresses itself.
import { encodeFrame, type Frame } from "../../packet/frame.js";
import { ICMP4_DEST_UNREACH, ICMP4_HOST_UNREACH, ICMP4_PORT_UNREACH } from "../../packet/icmp4.js";
import { ICMP6_DEST_UNREACH } from "../../packet/icmp6.js";
import { IP_PROTO_TCP } from "../../packet/ipv4.js";
import { TCP_ACK, TCP_RST, type TcpSegment } from "../../packet/tcp.js";
import { buildIcmp4, buildIcmp6 } from "./icmp.js";
import { answerFrame, frameOf } from "./packet-util.js";
import { buildSctpAbort } from "./sctp-abort.js";
import { dropped, type HandlerResult, handled, type PacketIn } from "./types.js";

const RST_TTL = 63;
const ICMP6_PORT_UNREACH = 4;
const none = new Uint8Array();

function rstSegment(t: TcpSegment): TcpSegment {
  return {
    srcPort: t.dstPort,
    dstPort: t.srcPort,
    seq: 0,
    ack: (t.seq + 1) >>> 0,
    flags: TCP_RST | TCP_ACK,
    window: 0,
    urgent: 0,
    options: none,
    payload: none,
  };
}

/** The RST answering a TCP frame, addresses as in the original (swapped if `swap`). */
export function buildTcpReset(frame: Frame, swap: boolean): Uint8Array | undefined {
  const { eth, l3 } = frame;
  if ((l3.kind !== "ipv4" && l3.kind !== "ipv6") || l3.l4.kind !== "tcp") return undefined;
  return answerFrame(eth, l3, swap, RST_TTL, IP_PROTO_TCP, { kind: "tcp", tcp: rstSegment(l3.l4.tcp) });
}

export function handleTcpReset(pin: PacketIn, actions: Uint8Array): HandlerResult {
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`tcp_reset-${f.reason}`);
  const packet = buildTcpReset(f.value, false);
  if (packet === undefined) return dropped("tcp_reset-not-tcp");
  return handled("tcp_reset", { kind: "packet-out", packet, actions, md: pin.md });
}

function swapped(f: Frame): Frame {
  const eth = { ...f.eth, dst: f.eth.src, src: f.eth.dst };
  const l3 = f.l3;
  if (l3.kind === "ipv4") return { eth, l3: { ...l3, ip: { ...l3.ip, src: l3.ip.dst, dst: l3.ip.src } } };
  if (l3.kind === "ipv6") return { eth, l3: { ...l3, ip: { ...l3.ip, src: l3.ip.dst, dst: l3.ip.src } } };
  return { eth, l3 };
}

export function handleReject(pin: PacketIn, actions: Uint8Array): HandlerResult {
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`reject-${f.reason}`);
  const l3 = f.value.l3;
  if ((l3.kind === "ipv4" || l3.kind === "ipv6") && l3.l4.kind === "tcp") {
    const packet = buildTcpReset(f.value, true);
    if (packet !== undefined)
      return handled("reject-tcp", { kind: "packet-out", packet, actions, md: pin.md });
  }
  const abort = buildSctpAbort(f.value, true);
  if (abort !== undefined)
    return handled("reject-sctp", { kind: "packet-out", packet: abort, actions, md: pin.md });
  // The quoted datagram is the original; only the new outer header is addressed back to the sender.
  // "Port unreachable" answers UDP only; anything else (an echo request, say) is told "host
  // unreachable" (ICMPv6: "administratively prohibited", code 1), as ovn-controller 23.03 does
  // (peer/diff-probes-more.ts).
  const udp = (l3.kind === "ipv4" || l3.kind === "ipv6") && l3.l4.kind === "udp";
  const icmp =
    l3.kind === "ipv4"
      ? buildIcmp4(f.value, { type: ICMP4_DEST_UNREACH, code: udp ? ICMP4_PORT_UNREACH : ICMP4_HOST_UNREACH })
      : l3.kind === "ipv6"
        ? buildIcmp6(f.value, { type: ICMP6_DEST_UNREACH, code: udp ? ICMP6_PORT_UNREACH : 1 })
        : undefined;
  if (icmp === undefined) return dropped("reject-not-ip");
  const back = frameOf(icmp);
  if (!back.ok) return dropped("reject-internal");
  const packet = encodeFrame(swapped(back.value));
  return handled(l3.kind === "ipv4" ? "reject-icmp4" : "reject-icmp6", {
    kind: "packet-out",
    packet,
    actions,
    md: pin.md,
  });
}
