// Ethernet II frames with optional 802.1Q / 802.1ad VLAN tags (IEEE 802.1Q §9). Frames shorter than
// 14 bytes do not decode; anything after the headers is the payload, including any trailer padding
// (an upper layer with its own length field reports the padding separately).
import { Reader, Writer } from "./bytes.js";
import { type Decoded, ok, short } from "./result.js";

export const ETH_TYPE_IPV4 = 0x0800;
export const ETH_TYPE_ARP = 0x0806;
export const ETH_TYPE_RARP = 0x8035;
export const ETH_TYPE_IPV6 = 0x86dd;
export const ETH_TYPE_VLAN = 0x8100;
export const ETH_TYPE_QINQ = 0x88a8;

export interface VlanTag {
  /** The TPID in front of this tag: 0x8100 or 0x88a8. */
  readonly tpid: number;
  readonly pcp: number;
  readonly dei: boolean;
  readonly vid: number;
}

export interface EthernetFrame {
  readonly dst: string;
  readonly src: string;
  /** Outermost first. */
  readonly vlans: readonly VlanTag[];
  readonly etherType: number;
  readonly payload: Uint8Array;
}

const isVlanTpid = (t: number): boolean => t === ETH_TYPE_VLAN || t === ETH_TYPE_QINQ;

export function decodeEthernet(bytes: Uint8Array): Decoded<EthernetFrame> {
  if (bytes.length < 14) return short("Ethernet header", 14, bytes.length);
  const r = new Reader(bytes);
  const dst = r.mac();
  const src = r.mac();
  let etherType = r.u16();
  const vlans: VlanTag[] = [];
  while (isVlanTpid(etherType)) {
    if (r.remaining < 4) return short("802.1Q tag", r.offset + 4, bytes.length);
    const tci = r.u16();
    vlans.push({ tpid: etherType, pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0xfff });
    etherType = r.u16();
  }
  return ok({ dst, src, vlans, etherType, payload: r.rest() });
}

export function encodeEthernet(f: EthernetFrame): Uint8Array {
  const w = new Writer().mac(f.dst).mac(f.src);
  for (const v of f.vlans) w.u16(v.tpid).u16((v.pcp << 13) | (v.dei ? 0x1000 : 0) | (v.vid & 0xfff));
  return w.u16(f.etherType).bytes(f.payload).finish();
}
