// IP addresses and networks as ovn-nbctl takes them on its command line: parsed to numbers so that a
// "is this address inside that port's network" question has an exact answer. Pure.

export interface IpAddr {
  readonly v6: boolean;
  readonly value: bigint;
}

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function parseV4(s: string): bigint | undefined {
  if (!IPV4.test(s)) return undefined;
  return s.split(".").reduce((a, o) => a * 256n + BigInt(o), 0n);
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): bigint[] | undefined => {
    if (h === undefined || h === "") return [];
    const out: bigint[] = [];
    const parts = h.split(":");
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(BigInt(`0x${p}`));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  return [...head, ...Array<bigint>(fill).fill(0n), ...tail].reduce((a, g) => (a << 16n) | g, 0n);
}

/** An IPv4 or IPv6 address, or undefined. */
export function parseIp(s: string): IpAddr | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const v6 = s.includes(":") ? parseV6(s) : undefined;
  return v6 === undefined ? undefined : { v6: true, value: v6 };
}

export interface IpNet {
  readonly addr: IpAddr;
  readonly plen: number;
}

/** "10.0.0.1/24", "fd00::1/64" or a bare address (a host route), or undefined. */
export function parseIpNet(s: string): IpNet | undefined {
  const [a, len, extra] = s.split("/");
  if (a === undefined || extra !== undefined) return undefined;
  const addr = parseIp(a);
  if (addr === undefined) return undefined;
  const max = addr.v6 ? 128 : 32;
  if (len === undefined) return { addr, plen: max };
  if (!/^[0-9]+$/.test(len) || Number(len) > max) return undefined;
  return { addr, plen: Number(len) };
}

/** Whether `ip` lies in the network of `net` (same family, same leading plen bits). */
export function netContains(net: IpNet, ip: IpAddr): boolean {
  if (net.addr.v6 !== ip.v6) return false;
  const shift = BigInt((ip.v6 ? 128 : 32) - net.plen);
  return net.addr.value >> shift === ip.value >> shift;
}
