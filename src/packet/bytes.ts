// Byte-level helpers shared by every codec: a bounds-checked reader that never throws (it records a
// short read instead), a growable writer, and the textual forms of MAC, IPv4 and IPv6 addresses used
// in decoded packets (lowercase MAC, dotted quad, RFC 5952 IPv6), so decoded values read like the
// Southbound database and ovn-trace print them.

/** Reads big-endian fields; a read past the end returns 0 / empty bytes and sets `short`. */
export class Reader {
  private pos: number;
  /** Set once any read ran past the end: the caller reports the packet as truncated. */
  short = false;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return Math.max(0, this.end - this.pos);
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.end) {
      this.short = true;
      this.pos = this.end;
      return -1;
    }
    this.pos += n;
    return at;
  }

  u8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : (this.bytes[at] ?? 0);
  }

  u16(): number {
    const at = this.take(2);
    return at < 0 ? 0 : ((this.bytes[at] ?? 0) << 8) | (this.bytes[at + 1] ?? 0);
  }

  u24(): number {
    return this.u8() * 0x10000 + this.u16();
  }

  u32(): number {
    const at = this.take(4);
    if (at < 0) return 0;
    const b = this.bytes;
    return (
      ((b[at] ?? 0) * 0x1000000 + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0))) >>>
      0
    );
  }

  /** A copy of the next n bytes (empty, with `short` set, if fewer remain). */
  bytesN(n: number): Uint8Array {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(0) : this.bytes.slice(at, at + n);
  }

  /** A copy of everything up to the end of this reader's window. */
  rest(): Uint8Array {
    const out = this.bytes.slice(this.pos, this.end);
    this.pos = this.end;
    return out;
  }

  mac(): string {
    return formatMac(this.bytesN(6));
  }

  ipv4(): string {
    return formatIpv4(this.bytesN(4));
  }

  ipv6(): string {
    return formatIpv6(this.bytesN(16));
  }
}

/** Appends big-endian fields to a growing buffer. */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private room(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  u8(v: number): this {
    const at = this.room(1);
    this.buf[at] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    const at = this.room(2);
    this.buf[at] = (v >>> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
    return this;
  }

  u24(v: number): this {
    return this.u8(v >>> 16).u16(v & 0xffff);
  }

  u32(v: number): this {
    const at = this.room(4);
    this.buf[at] = (v >>> 24) & 0xff;
    this.buf[at + 1] = (v >>> 16) & 0xff;
    this.buf[at + 2] = (v >>> 8) & 0xff;
    this.buf[at + 3] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.room(b.length); // before reading this.buf: room() may replace it
    this.buf.set(b, at);
    return this;
  }

  zeros(n: number): this {
    const at = this.room(n);
    this.buf.fill(0, at, this.len);
    return this;
  }

  mac(s: string): this {
    return this.bytes(parseMacOrThrow(s));
  }

  ipv4(s: string): this {
    return this.bytes(parseIpv4OrThrow(s));
  }

  ipv6(s: string): this {
    return this.bytes(parseIpv6OrThrow(s));
  }

  /** Overwrites a 16-bit field already written (length and checksum fields filled in last). */
  patchU16(at: number, v: number): this {
    this.buf[at] = (v >>> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** Hex to bytes, ignoring whitespace, ':' and '.'; undefined unless it is whole bytes of hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  const clean = hex.replace(/[\s:.]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// ---- addresses ----

export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";
export const ZERO_MAC = "00:00:00:00:00:00";

export function formatMac(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(":");
}

export function parseMac(s: string): Uint8Array | undefined {
  const parts = s.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return Uint8Array.from(parts, (p) => Number.parseInt(p, 16));
}

export function formatIpv4(b: Uint8Array): string {
  return Array.from(b).join(".");
}

export function parseIpv4(s: string): Uint8Array | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? "";
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (≥2) of zero groups as "::". */
export function formatIpv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(":");
  if (best < 0) {
    // Embedded IPv4 forms (::ffff:a.b.c.d) are printed in hex too; RFC 5952 allows either.
    return hex(g);
  }
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

export function parseIpv6(s: string): Uint8Array | undefined {
  let text = s;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    // Keep a "::" that ends right before the dotted quad; drop a single separating ':'.
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): number[] | undefined => {
    if (h === undefined || h === "") return [];
    const out: number[] = [];
    for (const p of h.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(Number.parseInt(p, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  if (head === undefined || rest === undefined) return undefined;
  const right = [...rest, ...tail];
  let all: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - right.length;
    if (fill < 1) return undefined;
    all = [...head, ...new Array<number>(fill).fill(0), ...right];
  } else {
    all = [...head, ...right];
  }
  if (all.length !== 8) return undefined;
  const out = new Uint8Array(16);
  all.forEach((v, i) => {
    out[2 * i] = v >>> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

// Encoders are handed typed packets; an unparsable address there is a caller bug, not bad input.
function orThrow<T>(v: T | undefined, what: string, s: string): T {
  if (v === undefined) throw new Error(`invalid ${what} '${s}'`);
  return v;
}
export const parseMacOrThrow = (s: string): Uint8Array => orThrow(parseMac(s), "MAC address", s);
export const parseIpv4OrThrow = (s: string): Uint8Array => orThrow(parseIpv4(s), "IPv4 address", s);
export const parseIpv6OrThrow = (s: string): Uint8Array => orThrow(parseIpv6(s), "IPv6 address", s);

/** Canonical text of an IPv6 address given in any valid form (undefined if invalid). */
export function normalizeIpv6(s: string): string | undefined {
  const b = parseIpv6(s);
  return b === undefined ? undefined : formatIpv6(b);
}

/** The solicited-node multicast address ff02::1:ffXX:XXXX of an IPv6 address (RFC 4291 §2.7.1). */
export function solicitedNode(ip6: string): string {
  const b = parseIpv6OrThrow(ip6);
  const out = parseIpv6OrThrow("ff02::1:ff00:0");
  out[13] = b[13] ?? 0;
  out[14] = b[14] ?? 0;
  out[15] = b[15] ?? 0;
  return formatIpv6(out);
}

/** The Ethernet multicast address 33:33:xx:xx:xx:xx of an IPv6 multicast address (RFC 2464 §7). */
export function ipv6MulticastMac(ip6: string): string {
  const b = parseIpv6OrThrow(ip6);
  return formatMac(Uint8Array.of(0x33, 0x33, b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0));
}

/** The EUI-64 link-local address fe80::/64 of a MAC (RFC 4291 appendix A). */
export function linkLocalFromMac(mac: string): string {
  const m = parseMacOrThrow(mac);
  const out = new Uint8Array(16);
  out[0] = 0xfe;
  out[1] = 0x80;
  out[8] = (m[0] ?? 0) ^ 0x02;
  out[9] = m[1] ?? 0;
  out[10] = m[2] ?? 0;
  out[11] = 0xff;
  out[12] = 0xfe;
  out[13] = m[3] ?? 0;
  out[14] = m[4] ?? 0;
  out[15] = m[5] ?? 0;
  return formatIpv6(out);
}
