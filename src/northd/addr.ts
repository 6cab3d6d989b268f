// Ethernet, IPv4 and IPv6 addresses as northd reads them from the NB database and prints them into
// logical flows. The printed forms follow what the C tools print: MACs as lowercase "xx:xx:xx:xx:xx:xx",
// IPv4 dotted quads, IPv6 in the inet_ntop(3) form of glibc (longest run of two or more zero groups
// compressed, first one on a tie; "::ffff:a.b.c.d" and "::a.b.c.d" for mapped/compatible addresses).
//
// Representation: a MAC is a 48-bit integer in a number, an IPv4 address an unsigned 32-bit number, an
// IPv6 address a 128-bit bigint.

// ---- MAC ----------------------------------------------------------------------------------------------

/** Parses "xx:xx:xx:xx:xx:xx" (one or two hex digits per byte, like the C scanner). */
export function parseMac(s: string): number | undefined {
  const parts = s.split(":");
  if (parts.length !== 6) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    v = v * 256 + Number.parseInt(p, 16);
  }
  return v;
}

export function formatMac(mac: number): string {
  const out: string[] = [];
  for (let i = 5; i >= 0; i--) out.push((Math.floor(mac / 2 ** (8 * i)) % 256).toString(16).padStart(2, "0"));
  return out.join(":");
}

/** The bytes of a MAC, most significant first. */
export function macBytes(mac: number): number[] {
  const out: number[] = [];
  for (let i = 5; i >= 0; i--) out.push(Math.floor(mac / 2 ** (8 * i)) % 256);
  return out;
}

export function isMulticastMac(mac: number): boolean {
  return (Math.floor(mac / 2 ** 40) & 1) === 1;
}

// ---- IPv4 ---------------------------------------------------------------------------------------------

/** Parses a dotted quad as inet_pton(AF_INET) does (four decimal parts, no leading zeros). */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export function formatIpv4(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** The netmask of a prefix length, as an unsigned 32-bit number. */
export function ipv4Mask(plen: number): number {
  return plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
}

/** Prefix length of a CIDR mask, or undefined when the mask is not contiguous. */
export function ipv4MaskLen(mask: number): number | undefined {
  for (let plen = 0; plen <= 32; plen++) if (ipv4Mask(plen) === mask >>> 0) return plen;
  return undefined;
}

/**
 * Parses "A.B.C.D", "A.B.C.D/LEN" or "A.B.C.D/M.A.S.K" (a CIDR mask). A missing prefix means /32.
 * Host bits may be set (they are kept in `addr`).
 */
export function parseIpv4Cidr(s: string): { addr: number; plen: number } | undefined {
  const slash = s.indexOf("/");
  const addr = parseIpv4(slash < 0 ? s : s.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, plen: 32 };
  const rest = s.slice(slash + 1);
  if (/^[0-9]{1,2}$/.test(rest)) {
    const plen = Number(rest);
    return plen <= 32 ? { addr, plen } : undefined;
  }
  const mask = parseIpv4(rest);
  const plen = mask === undefined ? undefined : ipv4MaskLen(mask);
  return plen === undefined ? undefined : { addr, plen };
}

/** An IPv4 address with its prefix, in every form the flows need. */
export interface Ipv4Net {
  readonly addr: number;
  readonly plen: number;
  readonly mask: number;
  readonly network: number;
  readonly bcast: number;
  /** "10.0.0.1" */
  readonly addrS: string;
  /** "10.0.0.0" */
  readonly networkS: string;
  /** "10.0.0.255" */
  readonly bcastS: string;
}

export function ipv4Net(addr: number, plen: number): Ipv4Net {
  const mask = ipv4Mask(plen);
  const network = (addr & mask) >>> 0;
  const bcast = (network | ~mask) >>> 0;
  return {
    addr: addr >>> 0,
    plen,
    mask,
    network,
    bcast,
    addrS: formatIpv4(addr),
    networkS: formatIpv4(network),
    bcastS: formatIpv4(bcast),
  };
}

// ---- IPv6 ---------------------------------------------------------------------------------------------

const ALL_ONES_128 = (1n << 128n) - 1n;

/** Parses an IPv6 address as inet_pton(AF_INET6) does (including a trailing dotted quad). */
export function parseIpv6(s: string): bigint | undefined {
  if (s.length === 0 || s.length > 45) return undefined;
  let text = s;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (lastColon < 0) return undefined;
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    text = `${text.slice(0, lastColon + 1)}${tail.length > 0 ? "X" : ""}`;
  }
  const dbl = text.indexOf("::");
  if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    for (const g of part.split(":")) {
      if (g === "X") {
        out.push(...tail);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const head = parseGroups(text.slice(0, dbl));
    const rest = parseGroups(text.slice(dbl + 2));
    if (head === undefined || rest === undefined) return undefined;
    if (head.length + rest.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    const all = parseGroups(text);
    if (all === undefined || all.length !== 8) return undefined;
    groups = all;
  }
  // "X" must have been the last group only.
  if (tail.length > 0 && !text.endsWith("X")) return undefined;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** Prints an IPv6 address like glibc's inet_ntop(AF_INET6). */
export function formatIpv6(a: bigint): string {
  const w: number[] = [];
  for (let i = 7; i >= 0; i--) w.push(Number((a >> BigInt(16 * i)) & 0xffffn));
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase < 0) {
        curBase = i;
        curLen = 1;
      } else curLen++;
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      const v4 = (((w[6] ?? 0) << 16) | (w[7] ?? 0)) >>> 0;
      out += formatIpv4(v4);
      break;
    }
    out += (w[i] ?? 0).toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ":";
  return out;
}

export function ipv6Mask(plen: number): bigint {
  return plen === 0 ? 0n : (ALL_ONES_128 << BigInt(128 - plen)) & ALL_ONES_128;
}

/** Parses "ADDR" or "ADDR/LEN" (a missing prefix means /128). Host bits may be set. */
export function parseIpv6Cidr(s: string): { addr: bigint; plen: number } | undefined {
  const slash = s.indexOf("/");
  const addr = parseIpv6(slash < 0 ? s : s.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, plen: 128 };
  const rest = s.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(rest)) return undefined;
  const plen = Number(rest);
  return plen <= 128 ? { addr, plen } : undefined;
}

/** The solicited-node multicast address ff02::1:ffXX:XXXX of an address (RFC 4291 §2.7.1). */
export function solicitedNode(a: bigint): bigint {
  return (0xff02n << 112n) | (0x1ffn << 24n) | (a & 0xffffffn);
}

/** The Ethernet multicast address 33:33:XX:XX:XX:XX of an IPv6 multicast address (RFC 2464 §7). */
export function ipv6MulticastMac(a: bigint): number {
  return 0x3333 * 2 ** 32 + Number(a & 0xffffffffn);
}

/** The modified EUI-64 interface identifier of a MAC (RFC 4291 appendix A). */
export function eui64(mac: number): bigint {
  const b = macBytes(mac);
  const bytes = [(b[0] ?? 0) ^ 0x02, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  let v = 0n;
  for (const x of bytes) v = (v << 8n) | BigInt(x);
  return v;
}

/** The link-local address fe80::EUI-64 of a MAC. */
export function ipv6LlaFromMac(mac: number): bigint {
  return (0xfe80n << 112n) | eui64(mac);
}

/** The address PREFIX::EUI-64 of a MAC for a /64 prefix. */
export function ipv6FromPrefixAndMac(prefix: bigint, mac: number): bigint {
  return (prefix & ipv6Mask(64)) | eui64(mac);
}

export function isIpv6Lla(a: bigint): boolean {
  return a >> 118n === 0xfe80n >> 6n;
}

/** An IPv6 address with its prefix, in every form the flows need. */
export interface Ipv6Net {
  readonly addr: bigint;
  readonly plen: number;
  readonly mask: bigint;
  readonly network: bigint;
  /** Solicited-node multicast address. */
  readonly snAddr: bigint;
  readonly addrS: string;
  readonly networkS: string;
  readonly snAddrS: string;
}

export function ipv6Net(addr: bigint, plen: number): Ipv6Net {
  const mask = ipv6Mask(plen);
  const network = addr & mask;
  const snAddr = solicitedNode(addr);
  return {
    addr,
    plen,
    mask,
    network,
    snAddr,
    addrS: formatIpv6(addr),
    networkS: formatIpv6(network),
    snAddrS: formatIpv6(snAddr),
  };
}

// ---- Addresses of a logical port ----------------------------------------------------------------------

/** One Ethernet address with the IP addresses tied to it (C's "struct lport_addresses"). */
export interface LportAddresses {
  readonly mac: number;
  /** Lowercase "xx:xx:xx:xx:xx:xx". */
  readonly macS: string;
  readonly ipv4: readonly Ipv4Net[];
  readonly ipv6: readonly Ipv6Net[];
}

/**
 * Parses "MAC [IP[/LEN]]..." — a static entry of Logical_Switch_Port addresses, port_security or
 * dynamic_addresses. IPs without a prefix are host addresses (/32, /128). Undefined when the MAC or any
 * IP is invalid.
 */
export function parseLportAddresses(s: string): LportAddresses | undefined {
  const words = s.trim().split(/\s+/);
  const first = words[0];
  const mac = first === undefined ? undefined : parseMac(first);
  if (mac === undefined) return undefined;
  const ipv4: Ipv4Net[] = [];
  const ipv6: Ipv6Net[] = [];
  for (const w of words.slice(1)) {
    const v4 = parseIpv4Cidr(w);
    if (v4 !== undefined) {
      ipv4.push(ipv4Net(v4.addr, v4.plen));
      continue;
    }
    const v6 = parseIpv6Cidr(w);
    if (v6 === undefined) return undefined;
    ipv6.push(ipv6Net(v6.addr, v6.plen));
  }
  return { mac, macS: formatMac(mac), ipv4, ipv6 };
}

/**
 * The addresses of a logical router port: its MAC and `networks` (each "IP/LEN"), followed — as
 * northd always adds it — by the IPv6 link-local address made from the MAC (/64). Invalid networks are
 * skipped; undefined when the MAC is invalid.
 */
export function parseLrpNetworks(mac: string, networks: readonly string[]): LportAddresses | undefined {
  const ea = parseMac(mac);
  if (ea === undefined) return undefined;
  const ipv4: Ipv4Net[] = [];
  const ipv6: Ipv6Net[] = [];
  for (const n of networks) {
    const v4 = parseIpv4Cidr(n);
    if (v4 !== undefined) {
      ipv4.push(ipv4Net(v4.addr, v4.plen));
      continue;
    }
    const v6 = parseIpv6Cidr(n);
    if (v6 !== undefined) ipv6.push(ipv6Net(v6.addr, v6.plen));
  }
  ipv6.push(ipv6Net(ipv6LlaFromMac(ea), 64));
  return { mac: ea, macS: formatMac(ea), ipv4, ipv6 };
}

/** Parses an IPv4 or IPv6 address; the family tells which. */
export function parseIp(s: string): { family: 4; addr: number } | { family: 6; addr: bigint } | undefined {
  const v4 = parseIpv4(s);
  if (v4 !== undefined) return { family: 4, addr: v4 };
  const v6 = parseIpv6(s);
  return v6 === undefined ? undefined : { family: 6, addr: v6 };
}

/** Normalises an IP address string to its printed form ("fe80:0::1" → "fe80::1"); undefined if invalid. */
export function normalizeIp(s: string): string | undefined {
  const ip = parseIp(s);
  if (ip === undefined) return undefined;
  return ip.family === 4 ? formatIpv4(ip.addr) : formatIpv6(ip.addr);
}
