// Which router port reaches a next hop, and with which of its addresses as source: the lookup that
// static routes and reroute policies share.
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from "../addr.js";
import type { RouterDatapath, RouterPort } from "../model.js";

export interface Nexthop {
  readonly family: 4 | 6;
  /** The next hop, printed. */
  readonly ip: string;
  readonly port: RouterPort;
  /** The port's address on the next hop's network, printed. */
  readonly src: string;
}

/** Parses and prints an address of either family. */
export function ipOf(s: string): { family: 4 | 6; text: string; v4?: number; v6?: bigint } | undefined {
  const a = parseIpv4(s);
  if (a !== undefined) return { family: 4, text: formatIpv4(a), v4: a };
  const b = parseIpv6(s);
  if (b !== undefined) return { family: 6, text: formatIpv6(b), v6: b };
  return undefined;
}

/** The address on port P in the same network as `ip`, if any. */
function srcOn(p: RouterPort, ip: NonNullable<ReturnType<typeof ipOf>>): string | undefined {
  if (ip.v4 !== undefined) {
    const a = ip.v4;
    return p.networks.ipv4.find((n) => (a & n.mask) >>> 0 === n.network)?.addrS;
  }
  if (ip.v6 !== undefined) {
    const a = ip.v6;
    return p.networks.ipv6.find((n) => (a & n.mask) === n.network)?.addrS;
  }
  return undefined;
}

/**
 * The port that reaches `nexthop`: `outPort` when given (a port of the router), else the first port with
 * a network containing it. Undefined when unreachable.
 */
export function findNexthop(lr: RouterDatapath, nexthop: string, outPort?: string): Nexthop | undefined {
  const ip = ipOf(nexthop);
  if (ip === undefined) return undefined;
  if (outPort !== undefined) {
    const p = lr.ports.find((x) => x.name === outPort);
    if (p === undefined) return undefined;
    const src = srcOn(p, ip) ?? (ip.family === 4 ? p.networks.ipv4[0]?.addrS : p.networks.ipv6[0]?.addrS);
    return src === undefined ? undefined : { family: ip.family, ip: ip.text, port: p, src };
  }
  for (const p of lr.ports) {
    const src = srcOn(p, ip);
    if (src !== undefined) return { family: ip.family, ip: ip.text, port: p, src };
  }
  return undefined;
}

/** `reg0 = NH; reg1 = SRC; ` or the xxreg form for IPv6. */
export function nexthopRegs(nh: Nexthop): string {
  return nh.family === 4 ? `reg0 = ${nh.ip}; reg1 = ${nh.src}; ` : `xxreg0 = ${nh.ip}; xxreg1 = ${nh.src}; `;
}
