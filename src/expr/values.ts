// Integer constants of the logical-flow language and their textual forms.
//
// Every integer constant remembers the form it was written in (decimal, hexadecimal, IPv4, IPv6 or
// Ethernet), because OVN prints a constant back in the form it was given: `reg0 = 0x00ff;` prints as
// `reg0 = 0xff;` but `ip4.dst = 10.0.0.1/8;` prints as `ip4.dst = 10.0.0.0/8;`.  Values are bigints so
// that 128-bit fields (xxreg0, ip6.src, ct_label) and over-wide constants are handled exactly.

export type IntFormat = "decimal" | "hex" | "ipv4" | "ipv6" | "ethernet";

/** An integer constant, optionally masked (`value/mask`); `value` never has bits outside `mask`. */
export interface IntConstant {
  readonly value: bigint;
  readonly mask: bigint | null;
  readonly format: IntFormat;
}

/** Number of significant bits in `v` (0 for 0). */
export function bitLength(v: bigint): number {
  if (v === 0n) return 0;
  // (A negative value counts its sign, as its binary text does.)
  if (v < 0n) return v.toString(2).length;
  // By 32-bit words: no binary text of up to 128 digits per constant checked.
  let n = 0;
  let x = v;
  for (; x > 0xffffffffn; x >>= 32n) n += 32;
  return n + 32 - Math.clz32(Number(x));
}

const ALL_ONES: bigint[] = [];

export function allOnes(width: number): bigint {
  if (!(Number.isInteger(width) && width >= 0 && width <= 256)) return (1n << BigInt(width)) - 1n;
  // Remembered: asked for every field of every match compiled.
  let v = ALL_ONES[width];
  if (v === undefined) {
    v = (1n << BigInt(width)) - 1n;
    ALL_ONES[width] = v;
  }
  return v;
}

/** The width in bits a constant needs, which OVN checks against the field's width: a masked constant
 *  is as wide as its mask, an address as its kind of address, a number as its highest set bit. */
export function constantWidth(c: IntConstant): number {
  if (c.mask !== null) return bitLength(c.mask);
  switch (c.format) {
    case "ipv4":
      return 32;
    case "ipv6":
      return 128;
    case "ethernet":
      return 48;
    default:
      return bitLength(c.value);
  }
}

/** If `mask` is a run of 1-bits ending at bit width-1 (a CIDR prefix), the prefix length. */
export function prefixLength(mask: bigint, width: number): number | null {
  const inv = allOnes(width) & ~mask;
  if ((inv & (inv + 1n)) !== 0n) return null;
  return width - bitLength(inv);
}

export function cidrMask(prefix: number, width: number): bigint {
  return allOnes(width) & ~allOnes(width - prefix);
}

// ---- IPv4 -------------------------------------------------------------------------------------------

/** Strict dotted quad, as inet_pton(AF_INET): four decimal parts 0..255 without leading zeros. */
export function parseIpv4(s: string): bigint | null {
  // Scanned by character (a split and a regular expression per part cost more than the rest of
  // lexing a match with addresses).  A `.` past the end closes the last part.
  let v = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || ++parts > 4) return null;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      // No leading zeros, at most three digits, at most 255.
      if ((digits === 1 && part === 0) || digits === 3) return null;
      part = part * 10 + (c - 0x30);
      digits++;
      if (part > 255) return null;
    } else return null;
  }
  return parts === 4 ? BigInt(v) : null;
}

export function formatIpv4(v: bigint): string {
  const b = [24n, 16n, 8n, 0n].map((s) => Number((v >> s) & 0xffn));
  return b.join(".");
}

// ---- IPv6 -------------------------------------------------------------------------------------------

/** As inet_pton(AF_INET6): hex groups of 1..4 digits, one `::`, an optional dotted-quad tail. */
export function parseIpv6(s: string): bigint | null {
  if (s.length === 0) return null;
  const halves = s.split("::");
  if (halves.length > 2) return null;
  // Groups as numbers, made one bigint at the end: a controller's start parses thousands of these.
  const groups: number[] = [];
  if (!ipv6Groups(halves[0] ?? "", halves.length === 1, groups)) return null;
  if (halves.length === 1) {
    if (groups.length !== 8) return null;
  } else {
    const head = groups.length;
    if (!ipv6Groups(halves[1] ?? "", true, groups) || groups.length > 7) return null;
    groups.splice(head, 0, ...new Array<number>(8 - groups.length).fill(0));
  }
  let v = 0n;
  for (let i = 0; i < 8; i += 2)
    v = (v << 32n) | BigInt(((groups[i] ?? 0) * 0x10000 + (groups[i + 1] ?? 0)) >>> 0);
  return v;
}

/** Appends the 16-bit groups of `part` ("" has none); a dotted quad is allowed as the last item when `v4`. */
function ipv6Groups(part: string, v4: boolean, out: number[]): boolean {
  if (part === "") return true;
  const items = part.split(":");
  for (let i = 0; i < items.length; i++) {
    const it = items[i] ?? "";
    if (v4 && i === items.length - 1 && it.includes(".")) {
      const a = parseIpv4(it);
      if (a === null) return false;
      out.push(Number(a >> 16n), Number(a & 0xffffn));
      continue;
    }
    if (it.length === 0 || it.length > 4) return false;
    let g = 0;
    for (let k = 0; k < it.length; k++) {
      const c = it.charCodeAt(k);
      const d =
        c >= 0x30 && c <= 0x39
          ? c - 0x30
          : c >= 0x61 && c <= 0x66
            ? c - 0x57
            : c >= 0x41 && c <= 0x46
              ? c - 0x37
              : -1;
      if (d < 0) return false;
      g = g * 16 + d;
    }
    out.push(g);
  }
  return true;
}

/** As glibc inet_ntop: longest run (first on ties) of two or more zero groups becomes `::`, and the
 *  IPv4-compatible and IPv4-mapped forms keep a dotted-quad tail. */
export function formatIpv6(v: bigint): string {
  const w: number[] = [];
  for (let i = 7; i >= 0; i--) w.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    const dotted = i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff));
    if (dotted) {
      out += formatIpv4(v & 0xffffffffn);
      break;
    }
    out += (w[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}

// ---- Ethernet ---------------------------------------------------------------------------------------

/** Exactly six groups of exactly two hex digits. */
export function parseMac(s: string): bigint | null {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(s)) return null;
  return BigInt(`0x${s.replaceAll(":", "")}`);
}

export function formatMac(v: bigint): string {
  const hex = v.toString(16).padStart(12, "0");
  const parts: string[] = [];
  for (let i = 0; i < 12; i += 2) parts.push(hex.slice(i, i + 2));
  return parts.join(":");
}

// ---- Printing constants in their own format ---------------------------------------------------------

/** A hexadecimal number as OVN prints it: `0x` and lowercase digits, but zero is just `0`. */
export function formatHex(v: bigint): string {
  return v === 0n ? "0" : `0x${v.toString(16)}`;
}

export function formatIntValue(v: bigint, format: IntFormat): string {
  switch (format) {
    case "decimal":
      return v.toString(10);
    case "hex":
      return formatHex(v);
    case "ipv4":
      return formatIpv4(v);
    case "ipv6":
      return formatIpv6(v);
    case "ethernet":
      return formatMac(v);
  }
}

/** Prints a constant the way OVN does: addresses with a prefix mask use CIDR notation. */
export function formatConstant(c: IntConstant): string {
  const v = formatIntValue(c.value, c.format);
  if (c.mask === null) return v;
  if (c.format === "ipv4" || c.format === "ipv6") {
    const width = c.format === "ipv4" ? 32 : 128;
    const plen = prefixLength(c.mask, width);
    if (plen !== null) return `${v}/${plen}`;
  }
  // OVN prints a zero hex value as `0` even when masked (`0/0xff`), which does not parse back (a
  // decimal value with a hex mask); we keep the `0x` so that what we print always parses.
  if (c.format === "hex" && c.value === 0n && c.mask === 0n) return "0/0";
  if (c.format === "hex" && (c.value === 0n || c.mask === 0n)) {
    return `0x${c.value.toString(16)}/0x${c.mask.toString(16)}`;
  }
  return `${v}/${formatIntValue(c.mask, c.format)}`;
}

// ---- Strings ----------------------------------------------------------------------------------------

/** A string as a JSON string literal (OVN's quoted strings are JSON strings). */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}
