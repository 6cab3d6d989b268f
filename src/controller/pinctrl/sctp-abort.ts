// sctp_abort (ovn-sb(5)): answer an SCTP packet with an ABORT chunk, the ports swapped. The tag follows
// RFC 9260's rule for out-of-the-blue packets: an INIT (whose verification tag is 0) is answered with its
// own initiate tag and the T bit clear; anything else with the packet's verification tag reflected (T
// bit set). The IP header is shaped like tcp_reset's (identification 0, DF, TTL 63), as ovn-controller
// 23.03 puts it on the wire; reject swaps the addresses itself, sctp_abort leaves that to its actions.
import type { Frame } from "../../packet/frame.js";
import { IP_PROTO_SCTP } from "../../packet/ipv4.js";
import {
  decodeSctp,
  encodeSctp,
  SCTP_ABORT_FLAG_T,
  SCTP_CHUNK_ABORT,
  SCTP_CHUNK_INIT,
  type SctpPacket,
} from "../../packet/sctp.js";
import { answerFrame, frameOf } from "./packet-util.js";
import { dropped, type HandlerResult, handled, type PacketIn } from "./types.js";

const ABORT_TTL = 63;
const none = new Uint8Array();

function abortFor(p: SctpPacket): SctpPacket | undefined {
  const first = p.chunks[0];
  if (first === undefined) return undefined;
  const init = first.type === SCTP_CHUNK_INIT && first.value.length >= 4;
  const vtag = init
    ? new DataView(first.value.buffer, first.value.byteOffset, first.value.byteLength).getUint32(0)
    : p.vtag;
  return {
    srcPort: p.dstPort,
    dstPort: p.srcPort,
    vtag,
    chunks: [{ type: SCTP_CHUNK_ABORT, flags: init ? 0 : SCTP_ABORT_FLAG_T, value: none }],
  };
}

/** The ABORT answering an SCTP frame, addresses as in the original (swapped if `swap`). */
export function buildSctpAbort(frame: Frame, swap: boolean): Uint8Array | undefined {
  const { eth, l3 } = frame;
  if ((l3.kind !== "ipv4" && l3.kind !== "ipv6") || l3.ip.protocol !== IP_PROTO_SCTP || l3.l4.kind !== "raw")
    return undefined;
  const sctp = decodeSctp(l3.l4.bytes);
  if (!sctp.ok) return undefined;
  const answer = abortFor(sctp.value);
  if (answer === undefined) return undefined;
  return answerFrame(eth, l3, swap, ABORT_TTL, IP_PROTO_SCTP, { kind: "raw", bytes: encodeSctp(answer) });
}

export function handleSctpAbort(pin: PacketIn, actions: Uint8Array): HandlerResult {
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`sctp_abort-${f.reason}`);
  const packet = buildSctpAbort(f.value, false);
  if (packet === undefined) return dropped("sctp_abort-not-sctp");
  return handled("sctp_abort", { kind: "packet-out", packet, actions, md: pin.md });
}
