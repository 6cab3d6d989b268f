// `inject-pkt MICROFLOW` (ovn-controller(8)): the microflow is a logical-flow expression whose solution
// is one packet (src/trace/microflow.ts solves it, prerequisites included); this builds that packet's
// bytes as the real ovn-controller 23.03 does (observed byte for byte in
// src/controller/agent/peer/appctl.test.ts): IPv4 with id 0 and no flags, every checksum filled in,
// UDP and ICMP carrying 64 bytes of payload counting 0, 1, 2, …, TCP none, ARP unpadded. Pure.

import { DEFAULT_CONTEXT, type ExprContext } from "../../expr/index.js";
import type { PacketOut } from "../../openflow/messages.js";
import { NO_BUFFER, OFPP_TABLE } from "../../openflow/model.js";
import { finish, pseudoHeaderSum, sum16 } from "../../packet/checksum.js";
import { ETH_TYPE_ARP, ETH_TYPE_IPV4, ETH_TYPE_IPV6, ETH_TYPE_VLAN } from "../../packet/ethernet.js";
import { IP_PROTO_ICMP, IP_PROTO_ICMPV6, IP_PROTO_TCP, IP_PROTO_UDP } from "../../packet/ipv4.js";
import { parseMicroflow } from "../../trace/microflow.js";
import type { PacketState } from "../../trace/state.js";

/** ovs-fields(7): the bit of vlan_tci that says a VLAN header is present. */
const VLAN_PRESENT = 0x1000n;

const PAYLOAD = Uint8Array.from({ length: 64 }, (_, i) => i);

export type Injection =
  | { readonly ok: true; readonly inport: string; readonly packet: Uint8Array }
  | { readonly ok: false; readonly error: string };

/** The packet a microflow describes, and the logical port it enters from. */
export function injectionPacket(microflow: string, ctx: ExprContext = DEFAULT_CONTEXT): Injection {
  const r = parseMicroflow(microflow, ctx);
  if (!r.ok) return { ok: false, error: r.error };
  const inport = r.packet.str("inport");
  if (inport === "") return { ok: false, error: 'microflow must set an ingress port ("inport == ...")' };
  return { ok: true, inport, packet: composePacket(r.packet) };
}

/** Big-endian bytes of the low `n` bytes of v. */
function be(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

function withChecksum(bytes: number[], at: number, sum: number): Uint8Array {
  const b = Uint8Array.from(bytes);
  const c = finish(sum16(b, sum));
  b[at] = c >> 8;
  b[at + 1] = c & 0xff;
  return b;
}

/** The transport header and payload for protocol `proto`; `pseudo` is the pseudo-header sum. */
function l4(p: PacketState, proto: number, pseudo: (len: number) => number): Uint8Array {
  const v = (f: string) => p.int(f);
  switch (proto) {
    case IP_PROTO_UDP: {
      const len = 8 + PAYLOAD.length;
      const b = withChecksum(
        [...be(v("udp.src"), 2), ...be(v("udp.dst"), 2), ...be(BigInt(len), 2), 0, 0, ...PAYLOAD],
        6,
        pseudo(len),
      );
      // A computed UDP checksum of 0 is sent as 0xffff (0 means "none").
      if (b[6] === 0 && b[7] === 0) b[6] = b[7] = 0xff;
      return b;
    }
    case IP_PROTO_TCP: {
      const flags = v("tcp.flags");
      const hdr = [
        ...be(v("tcp.src"), 2),
        ...be(v("tcp.dst"), 2),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        // Data offset 5 words; the reserved and NS bits above the 8 flag bits.
        0x50 | Number((flags >> 8n) & 0x0fn),
        Number(flags & 0xffn),
        0,
        0,
        0,
        0,
        0,
        0,
      ];
      return withChecksum(hdr, 16, pseudo(hdr.length));
    }
    case IP_PROTO_ICMP:
      return withChecksum(
        [Number(v("icmp4.type")), Number(v("icmp4.code")), 0, 0, 0, 0, 0, 0, ...PAYLOAD],
        2,
        0,
      );
    case IP_PROTO_ICMPV6: {
      const type = Number(v("icmp6.type"));
      const head = [type, Number(v("icmp6.code")), 0, 0];
      let body: number[];
      if (type === 135 || type === 136) {
        // Neighbour solicitation / advertisement: target, then the link-layer address option if set.
        const ll = type === 135 ? v("nd.sll") : v("nd.tll");
        body = [
          0,
          0,
          0,
          0,
          ...be(v("nd.target"), 16),
          ...(ll !== 0n ? [type === 135 ? 1 : 2, 1, ...be(ll, 6)] : []),
        ];
      } else body = [0, 0, 0, 0, ...PAYLOAD];
      const bytes = [...head, ...body];
      return withChecksum(bytes, 2, pseudo(bytes.length));
    }
    default:
      return new Uint8Array();
  }
}

/** The bytes of the packet whose fields `p` holds. */
export function composePacket(p: PacketState): Uint8Array {
  const v = (f: string) => p.int(f);
  const ethType = Number(v("eth.type"));
  const tci = v("vlan.tci");
  const eth = [
    ...be(v("eth.dst"), 6),
    ...be(v("eth.src"), 6),
    ...((tci & VLAN_PRESENT) !== 0n ? [...be(BigInt(ETH_TYPE_VLAN), 2), ...be(tci & ~VLAN_PRESENT, 2)] : []),
    ...be(BigInt(ethType), 2),
  ];
  let l3: Uint8Array;
  if (ethType === ETH_TYPE_IPV4) {
    const proto = Number(v("ip.proto"));
    const src = Uint8Array.from(be(v("ip4.src"), 4));
    const dst = Uint8Array.from(be(v("ip4.dst"), 4));
    const payload = l4(p, proto, (len) => pseudoHeaderSum(src, dst, proto, len));
    const tos = Number((v("ip.dscp") << 2n) | v("ip.ecn"));
    const hdr = withChecksum(
      [
        0x45,
        tos,
        ...be(BigInt(20 + payload.length), 2),
        0,
        0,
        0,
        0,
        Number(v("ip.ttl")),
        proto,
        0,
        0,
        ...src,
        ...dst,
      ],
      10,
      0,
    );
    l3 = Uint8Array.from([...hdr, ...payload]);
  } else if (ethType === ETH_TYPE_IPV6) {
    const proto = Number(v("ip.proto"));
    const src = Uint8Array.from(be(v("ip6.src"), 16));
    const dst = Uint8Array.from(be(v("ip6.dst"), 16));
    const payload = l4(p, proto, (len) => pseudoHeaderSum(src, dst, proto, len));
    const tc = Number((v("ip.dscp") << 2n) | v("ip.ecn"));
    const label = Number(v("ip6.label") & 0xfffffn);
    l3 = Uint8Array.from([
      0x60 | (tc >> 4),
      ((tc & 0x0f) << 4) | (label >> 16),
      (label >> 8) & 0xff,
      label & 0xff,
      ...be(BigInt(payload.length), 2),
      proto,
      Number(v("ip.ttl")),
      ...src,
      ...dst,
      ...payload,
    ]);
  } else if (ethType === ETH_TYPE_ARP) {
    l3 = Uint8Array.from([
      0,
      1,
      0x08,
      0x00,
      6,
      4,
      ...be(v("arp.op"), 2),
      ...be(v("arp.sha"), 6),
      ...be(v("arp.spa"), 4),
      ...be(v("arp.tha"), 6),
      ...be(v("arp.tpa"), 4),
    ]);
  } else l3 = new Uint8Array();
  return Uint8Array.from([...eth, ...l3]);
}

/** The packet-out that sends `packet` through br-int's tables as if it came in on OpenFlow port `ofport`. */
export function injectionMessage(packet: Uint8Array, ofport: number): PacketOut {
  return {
    kind: "packet_out",
    bufferId: NO_BUFFER,
    match: [{ field: "in_port", value: BigInt(ofport) }],
    actions: [{ kind: "output", port: OFPP_TABLE }],
    data: packet,
  };
}
