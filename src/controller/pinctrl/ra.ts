// IPv6 router advertisements: put_nd_ra_opts answers a router solicitation in place with the RA the
// flow carries (its bytes are the whole ICMPv6 message), and periodic RAs are built from a router
// port's ipv6_ra_* options and sent to all-nodes on a randomised interval (RFC 4861 §6.2.4), the
// random draw passed in. Periodic RA layout as ovn-controller 23.03 sends it (fixture
// ovn_periodic_ra, and src/controller/pinctrl/peer/actions-diff.test.ts): SLL, MTU, prefixes, RDNSS,
// DNSSL, route information (RFC 4191); router lifetime 0xffff; hop limit 255.
import { formatIpv6, parseIpv6 } from "../../packet/bytes.js";
import { ETH_TYPE_IPV6 } from "../../packet/ethernet.js";
import { encodeFrame } from "../../packet/frame.js";
import { encodeNd, ND_ROUTER_ADVERT, ND_ROUTER_SOLICIT, type NdOption } from "../../packet/icmp6.js";
import { IP_PROTO_ICMPV6 } from "../../packet/ipv4.js";
import { frameOf, ownIpv6 } from "./packet-util.js";
import { dropped, type HandlerResult, handled, type PacketIn, type ResultField } from "./types.js";

const none = new Uint8Array();

export function handlePutNdRaOpts(
  pin: PacketIn,
  a: { readonly result: ResultField; readonly ra: Uint8Array },
): HandlerResult {
  const f = frameOf(pin.packet);
  if (!f.ok) return dropped(`nd_ra-${f.reason}`);
  const l3 = f.value.l3;
  if (l3.kind !== "ipv6" || l3.l4.kind !== "icmp6" || l3.l4.icmp.type !== ND_ROUTER_SOLICIT)
    return dropped("nd_ra-not-rs");
  if (a.ra.length < 16 || a.ra[0] !== ND_ROUTER_ADVERT) return dropped("nd_ra-bad-userdata");
  const packet = encodeFrame({
    eth: f.value.eth,
    l3: {
      kind: "ipv6",
      ip: { ...l3.ip, payload: none, trailer: none },
      l4: { kind: "icmp6", icmp: { type: ND_ROUTER_ADVERT, code: a.ra[1] ?? 0, body: a.ra.slice(4) } },
    },
  });
  return handled("nd_ra", { kind: "resume", packet, result: { ...a.result, value: 1 } });
}

export type RaAddressMode = "slaac" | "dhcpv6_stateful" | "dhcpv6_stateless";

/** A router port's RA configuration (Port_Binding options ipv6_ra_* in the Southbound database). */
export interface RaConfig {
  readonly datapath: number;
  readonly port: number;
  readonly srcMac: string;
  /** Link-local source address. */
  readonly srcIp: string;
  readonly addressMode: RaAddressMode;
  readonly prefixes: readonly { readonly prefix: string; readonly length: number }[];
  readonly mtu?: number;
  readonly rdnss?: readonly string[];
  readonly dnssl?: readonly string[];
  /** "HIGH" | "MEDIUM" | "LOW" (ipv6_ra_prf). */
  readonly preference?: string;
  /** ipv6_ra_route_info as northd copies it: "PRF-PREFIX/PLEN" entries separated by commas. */
  readonly routeInfo?: string;
  /** Seconds. */
  readonly minInterval: number;
  readonly maxInterval: number;
}

const PRF = { HIGH: 0x08, MEDIUM: 0x00, LOW: 0x18 } as const;

export function buildPeriodicRa(c: RaConfig): Uint8Array {
  const flags =
    (c.addressMode === "dhcpv6_stateful" ? 0x80 : c.addressMode === "dhcpv6_stateless" ? 0x40 : 0) |
    (PRF[(c.preference ?? "MEDIUM") as keyof typeof PRF] ?? 0);
  const prefixFlags = c.addressMode === "dhcpv6_stateful" ? 0x80 : 0xc0;
  const options: NdOption[] = [{ kind: "sll", mac: c.srcMac }];
  if (c.mtu !== undefined) options.push({ kind: "mtu", mtu: c.mtu });
  for (const p of c.prefixes)
    options.push({
      kind: "prefix",
      prefixLength: p.length,
      flags: prefixFlags,
      validLifetime: 0xffffffff,
      preferredLifetime: 0xffffffff,
      prefix: p.prefix,
    });
  if (c.rdnss !== undefined && c.rdnss.length > 0)
    options.push({ kind: "rdnss", lifetime: 0xffffffff, servers: c.rdnss });
  if (c.dnssl !== undefined && c.dnssl.length > 0)
    options.push({ kind: "dnssl", lifetime: 0xffffffff, domains: c.dnssl });
  if (c.routeInfo !== undefined) options.push(...routeInfoOptions(c.routeInfo));
  const body = encodeNd({
    kind: "ra",
    curHopLimit: 255,
    flags,
    routerLifetime: 0xffff,
    reachableTime: 0,
    retransTimer: 0,
    options,
  });
  return encodeFrame({
    eth: { dst: "33:33:00:00:00:01", src: c.srcMac, vlans: [], etherType: ETH_TYPE_IPV6, payload: none },
    l3: {
      kind: "ipv6",
      ip: ownIpv6(255, IP_PROTO_ICMPV6, c.srcIp, "ff02::1"),
      l4: { kind: "icmp6", icmp: { type: ND_ROUTER_ADVERT, code: 0, body } },
    },
  });
}

/**
 * Route Information options (RFC 4191 §2.3) of an ipv6_ra_route_info string: one per
 * "PRF-PREFIX/PLEN" entry, preference HIGH or LOW (else medium), lifetime infinite, the prefix masked
 * to its length.  An entry that does not parse ends the list, as in ovn-controller 23.03.
 */
export function routeInfoOptions(text: string): NdOption[] {
  const out: NdOption[] = [];
  for (const entry of text.split(",")) {
    const dash = entry.indexOf("-");
    const prf = dash < 0 ? entry : entry.slice(0, dash);
    const [addr = "", len = ""] = (dash < 0 ? "" : entry.slice(dash + 1)).split("/");
    const bytes = parseIpv6(addr.trim());
    const plen = len === "" ? 128 : Number(len);
    if (bytes === undefined || !Number.isInteger(plen) || plen < 0 || plen > 128) break;
    for (let i = 0; i < 16; i++) {
      const keep = Math.max(0, Math.min(8, plen - i * 8));
      bytes[i] = (bytes[i] ?? 0) & ((0xff00 >> keep) & 0xff);
    }
    out.push({
      kind: "route",
      prefixLength: plen,
      flags: prf === "HIGH" ? PRF.HIGH : prf === "LOW" ? PRF.LOW : PRF.MEDIUM,
      lifetime: 0xffffffff,
      prefix: formatIpv6(bytes),
    });
  }
  return out;
}

/** The next send time of a periodic RA: now + a uniform draw from [min, max] seconds. */
export function nextRaTime(c: RaConfig, nowMs: number, random01: number): number {
  const lo = Math.min(c.minInterval, c.maxInterval) * 1000;
  const hi = Math.max(c.minInterval, c.maxInterval) * 1000;
  return nowMs + Math.round(lo + (hi - lo) * Math.min(Math.max(random01, 0), 1));
}
