// nd_ns, nd_na and nd_na_router (ovn-sb(5)): a Neighbor Solicitation built from an IPv6 packet, or a
// Neighbor Advertisement answering one, before the nested actions fill in the addresses.
import { ipv6MulticastMac, linkLocalFromMac, solicitedNode } from "../../packet/bytes.js";
import { ETH_TYPE_IPV6 } from "../../packet/ethernet.js";
import { encodeFrame } from "../../packet/frame.js";
import {
  decodeNd,
  encodeNd,
  ND_NA_OVERRIDE,
  ND_NA_ROUTER,
  ND_NA_SOLICITED,
  ND_NEIGHBOR_ADVERT,
  ND_NEIGHBOR_SOLICIT,
} from "../../packet/icmp6.js";
import { IP_PROTO_ICMPV6 } from "../../packet/ipv4.js";
import { frameOf, ownIpv6 } from "./packet-util.js";
import { dropped, type HandlerResult, handled, type PacketIn } from "./types.js";

/**
 * eth.dst = multicast MAC of the solicited-node address of ip6.dst; nd.target = ip6.dst; SLL = eth.src;
 * ip6.src = the link-local address of eth.src (the router port's, not the routed packet's source: as
 * ovn-controller 23.03 sends it, src/controller/pinctrl/peer/actions-diff.test.ts).
 */
export function handleNdNs(pin: PacketIn, actions: Uint8Array): HandlerResult {
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`nd_ns-${f.reason}`);
  const { eth, l3 } = f.value;
  if (l3.kind !== "ipv6") return dropped("nd_ns-not-ipv6");
  const dst = solicitedNode(l3.ip.dst);
  const body = encodeNd({
    kind: "ns",
    reserved: 0,
    target: l3.ip.dst,
    options: [{ kind: "sll", mac: eth.src }],
  });
  const packet = encodeFrame({
    eth: { ...eth, dst: ipv6MulticastMac(dst), etherType: ETH_TYPE_IPV6 },
    l3: {
      kind: "ipv6",
      ip: ownIpv6(255, IP_PROTO_ICMPV6, linkLocalFromMac(eth.src), dst),
      l4: { kind: "icmp6", icmp: { type: ND_NEIGHBOR_SOLICIT, code: 0, body } },
    },
  });
  return handled("nd_ns", { kind: "packet-out", packet, actions, md: pin.md });
}

/**
 * The NA answering an NS: Ethernet addresses swapped, ip6.dst = ip6.src, ip6.src = nd.target, TLL = the
 * NS's eth.dst, solicited and override set.  A DAD probe (from ::) is answered the same way, to ::
 * and "solicited" — not to all-nodes as RFC 4861 §7.2.4 asks — because that is what ovn-controller
 * 23.03 sends (peer/actions-diff.test.ts).
 */
export function handleNdNa(pin: PacketIn, actions: Uint8Array, router: boolean): HandlerResult {
  const name = router ? "nd_na_router" : "nd_na";
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`${name}-${f.reason}`);
  const { eth, l3 } = f.value;
  if (l3.kind !== "ipv6" || l3.l4.kind !== "icmp6" || l3.l4.icmp.type !== ND_NEIGHBOR_SOLICIT)
    return dropped(`${name}-not-ns`);
  const ns = decodeNd(ND_NEIGHBOR_SOLICIT, l3.l4.icmp.body);
  if (!ns.ok || ns.value.kind !== "ns") return dropped(`${name}-malformed`);
  const flags = (router ? ND_NA_ROUTER : 0) | ND_NA_SOLICITED | ND_NA_OVERRIDE;
  const body = encodeNd({
    kind: "na",
    flags,
    target: ns.value.target,
    options: [{ kind: "tll", mac: eth.dst }],
  });
  const packet = encodeFrame({
    eth: { ...eth, dst: eth.src, src: eth.dst, etherType: ETH_TYPE_IPV6 },
    l3: {
      kind: "ipv6",
      ip: ownIpv6(255, IP_PROTO_ICMPV6, ns.value.target, l3.ip.src),
      l4: { kind: "icmp6", icmp: { type: ND_NEIGHBOR_ADVERT, code: 0, body } },
    },
  });
  return handled(name, { kind: "packet-out", packet, actions, md: pin.md });
}
