// The `arp { … }` action (ovn-sb(5)): an ARP request built from the IPv4 packet, then the nested
// actions; and the gratuitous ARP / RARP frames ovn-controller announces NAT and port addresses with.
import { encodeArp } from "../../packet/arp.js";
import { BROADCAST_MAC, ZERO_MAC } from "../../packet/bytes.js";
import { ETH_TYPE_ARP, ETH_TYPE_RARP, encodeEthernet, type VlanTag } from "../../packet/ethernet.js";
import { frameOf } from "./packet-util.js";
import { dropped, type HandlerResult, handled, type PacketIn } from "./types.js";

/** eth.src/dst and VLAN unchanged; arp.op = 1, sha = eth.src, spa = ip4.src, tha = 0, tpa = ip4.dst. */
export function handleArp(pin: PacketIn, actions: Uint8Array): HandlerResult {
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`arp-${f.reason}`);
  const { eth, l3 } = f.value;
  if (l3.kind !== "ipv4") return dropped("arp-not-ipv4");
  const arp = encodeArp({
    op: 1,
    sha: eth.src,
    spa: l3.ip.src,
    tha: ZERO_MAC,
    tpa: l3.ip.dst,
    trailer: new Uint8Array(),
  });
  const packet = encodeEthernet({ ...eth, etherType: ETH_TYPE_ARP, payload: arp });
  return handled("arp", { kind: "packet-out", packet, actions, md: pin.md });
}

/** A gratuitous ARP request announcing `ip` at `mac` (RFC 5227 §3: spa = tpa = ip, tha zero). */
export function gratuitousArp(mac: string, ip: string, vlans: readonly VlanTag[] = []): Uint8Array {
  const arp = encodeArp({ op: 1, sha: mac, spa: ip, tha: ZERO_MAC, tpa: ip, trailer: new Uint8Array() });
  return encodeEthernet({ dst: BROADCAST_MAC, src: mac, vlans, etherType: ETH_TYPE_ARP, payload: arp });
}

/** A RARP request (RFC 903) for a port that has a MAC but no IPv4 address to announce. */
export function reverseArp(mac: string, vlans: readonly VlanTag[] = []): Uint8Array {
  const arp = encodeArp({
    op: 3,
    sha: mac,
    spa: "0.0.0.0",
    tha: mac,
    tpa: "0.0.0.0",
    trailer: new Uint8Array(),
  });
  return encodeEthernet({ dst: BROADCAST_MAC, src: mac, vlans, etherType: ETH_TYPE_RARP, payload: arp });
}
