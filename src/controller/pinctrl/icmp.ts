// icmp4 / icmp4_error / icmp6 / icmp6_error (ovn-sb(5)), and the icmp4.frag_mtu / icmp6.frag_mtu
// assignments that run on the packet those build. Observed from ovn-controller 23.03: the error
// carries the offending datagram (RFC 1122 §3.2.2 asks for at least the header and 8 bytes) cut so
// the whole frame stays within 576 bytes for IPv4 (RFC 1812 §4.3.2.3) and 1280 for IPv6 (RFC 4443
// §2.4(c)); the IPv4 header has DF set and identification 0.
import { encodeFrame, type Frame, withoutChecksums } from "../../packet/frame.js";
import { ICMP4_DEST_UNREACH, ICMP4_HOST_UNREACH } from "../../packet/icmp4.js";
import { ICMP6_DEST_UNREACH } from "../../packet/icmp6.js";
import { encodeIpv4, IP_PROTO_ICMP, IP_PROTO_ICMPV6 } from "../../packet/ipv4.js";
import { encodeIpv6 } from "../../packet/ipv6.js";
import { frameOf, ownIpv4, ownIpv6 } from "./packet-util.js";
import { dropped, type HandlerResult, handled, type PacketIn } from "./types.js";

const ICMP4_FRAME_LIMIT = 576;
const ICMP6_FRAME_LIMIT = 1280;
const ETH_HEADER = 14;
const none = new Uint8Array();

/** Type and code of the generated message, before the nested actions change them. */
export interface IcmpDefaults {
  readonly type: number;
  readonly code: number;
}

/** The ICMPv4 message replacing an IPv4 packet (default: destination unreachable, host unreachable). */
export function buildIcmp4(
  frame: Frame,
  d: IcmpDefaults = { type: ICMP4_DEST_UNREACH, code: ICMP4_HOST_UNREACH },
): Uint8Array | undefined {
  const l3 = frame.l3;
  if (l3.kind !== "ipv4") return undefined;
  const original = encodeIpv4({ ...l3.ip, trailer: none });
  const quoted = original.subarray(0, ICMP4_FRAME_LIMIT - ETH_HEADER - 20 - 8);
  return encodeFrame({
    eth: frame.eth,
    l3: {
      kind: "ipv4",
      ip: ownIpv4(255, IP_PROTO_ICMP, l3.ip.src, l3.ip.dst),
      l4: { kind: "icmp4", icmp: { type: d.type, code: d.code, rest: 0, data: quoted } },
    },
  });
}

/** The ICMPv6 message replacing an IPv6 packet (default: destination unreachable, code 1). */
export function buildIcmp6(
  frame: Frame,
  d: IcmpDefaults = { type: ICMP6_DEST_UNREACH, code: 1 },
): Uint8Array | undefined {
  const l3 = frame.l3;
  if (l3.kind !== "ipv6") return undefined;
  const original = encodeIpv6({ ...l3.ip, trailer: none });
  const quoted = original.subarray(0, ICMP6_FRAME_LIMIT - ETH_HEADER - 40 - 8);
  return encodeFrame({
    eth: frame.eth,
    l3: {
      kind: "ipv6",
      ip: ownIpv6(255, IP_PROTO_ICMPV6, l3.ip.src, l3.ip.dst),
      l4: {
        kind: "icmp6",
        icmp: { type: d.type, code: d.code, body: new Uint8Array([0, 0, 0, 0, ...quoted]) },
      },
    },
  });
}

export function handleIcmp(
  pin: PacketIn,
  actions: Uint8Array,
  kind: "icmp4" | "icmp4_error" | "icmp6" | "icmp6_error",
): HandlerResult {
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`${kind}-${f.reason}`);
  const packet = kind.startsWith("icmp4") ? buildIcmp4(f.value) : buildIcmp6(f.value);
  if (packet === undefined) return dropped(`${kind}-wrong-ip-version`);
  return handled(kind, { kind: "packet-out", packet, actions, md: pin.md });
}

/** icmp4.frag_mtu / icmp6.frag_mtu: store the MTU in the ICMP message being built and resume. */
export function handleFragMtu(pin: PacketIn, v6: boolean, mtu: number): HandlerResult {
  const name = v6 ? "icmp6_frag_mtu" : "icmp4_frag_mtu";
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`${name}-${f.reason}`);
  const l3 = f.value.l3;
  if (!v6 && l3.kind === "ipv4" && l3.l4.kind === "icmp4") {
    const icmp = { ...l3.l4.icmp, rest: ((l3.l4.icmp.rest & 0xffff0000) | (mtu & 0xffff)) >>> 0 };
    const packet = encodeFrame(
      withoutChecksums({ eth: f.value.eth, l3: { ...l3, l4: { kind: "icmp4", icmp } } }),
    );
    return handled(name, { kind: "resume", packet });
  }
  if (v6 && l3.kind === "ipv6" && l3.l4.kind === "icmp6" && l3.l4.icmp.body.length >= 4) {
    const body = l3.l4.icmp.body.slice();
    new DataView(body.buffer).setUint32(0, mtu >>> 0);
    const icmp = { ...l3.l4.icmp, body };
    const packet = encodeFrame(
      withoutChecksums({ eth: f.value.eth, l3: { ...l3, l4: { kind: "icmp6", icmp } } }),
    );
    return handled(name, { kind: "resume", packet });
  }
  return dropped(`${name}-not-icmp`);
}
