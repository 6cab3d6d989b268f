// Field values in ovs-ofctl's text: hex, decimal, Ethernet, IPv4, IPv6 (written the way glibc's
// inet_ntop writes them, since that is what ovs-ofctl prints), port names and the flag-set syntaxes.
// Parsers return undefined on bad input; callers turn that into a message.

import { formatIpv6 } from "../expr/values.js";
import { type FieldFormat, fieldInfo, fullMask } from "./fields.js";
import type { FieldName } from "./model.js";
import {
  OFPP_ALL,
  OFPP_CONTROLLER,
  OFPP_FLOOD,
  OFPP_IN_PORT,
  OFPP_LOCAL,
  OFPP_NONE,
  OFPP_NORMAL,
  OFPP_TABLE,
  OFPP_UNSET,
} from "./model.js";

export function hex(v: bigint): string {
  return v === 0n ? "0" : `0x${v.toString(16)}`;
}

export function formatEth(v: bigint): string {
  const parts: string[] = [];
  for (let i = 5; i >= 0; i--)
    parts.push(
      Number((v >> BigInt(i * 8)) & 0xffn)
        .toString(16)
        .padStart(2, "0"),
    );
  return parts.join(":");
}

export function parseEth(s: string): bigint | undefined {
  const m =
    /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})$/.exec(
      s,
    );
  if (m === null) return undefined;
  let v = 0n;
  for (let i = 1; i <= 6; i++) v = (v << 8n) | BigInt(Number.parseInt(m[i] ?? "0", 16));
  return v;
}

export function formatIpv4(v: bigint): string {
  const n = Number(v & 0xffffffffn);
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join(".");
}

export function parseIpv4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (m === null) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m[i]);
    if (b > 255) return undefined;
    v = (v << 8n) | BigInt(b);
  }
  return v;
}

// IPv6 as glibc's inet_ntop writes it: one implementation, shared with the logical-flow language.
export { formatIpv6 };

export function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    // Keep a "::" right before the IPv4 part; drop a single separating ':'.
    text = text.slice(0, lastColon + 1);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === "") return [];
    const out: number[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  if (head === undefined || rest === undefined) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
  } else {
    groups = [...head, ...tail];
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Length of the prefix if `mask` is a CIDR mask of `bits` width, else -1. */
export function prefixLength(mask: bigint, bits: number): number {
  const full = (1n << BigInt(bits)) - 1n;
  const inv = ~mask & full;
  if ((inv & (inv + 1n)) !== 0n) return -1;
  let n = bits;
  for (let x = inv; x !== 0n; x >>= 1n) n--;
  return n;
}

export function prefixMask(len: number, bits: number): bigint {
  const full = (1n << BigInt(bits)) - 1n;
  return len <= 0 ? 0n : (full >> BigInt(bits - len)) << BigInt(bits - len);
}

const PORT_NAMES: ReadonlyMap<number, string> = new Map([
  [OFPP_UNSET, "UNSET"],
  [OFPP_IN_PORT, "IN_PORT"],
  [OFPP_TABLE, "TABLE"],
  [OFPP_NORMAL, "NORMAL"],
  [OFPP_FLOOD, "FLOOD"],
  [OFPP_ALL, "ALL"],
  [OFPP_CONTROLLER, "CONTROLLER"],
  [OFPP_LOCAL, "LOCAL"],
  [OFPP_NONE, "ANY"],
]);
const PORT_BY_NAME: ReadonlyMap<string, number> = new Map([
  ...[...PORT_NAMES].map(([n, s]): [string, number] => [s, n]),
  ["NONE", OFPP_NONE],
]);

export function formatPort(p: number): string {
  return PORT_NAMES.get(p) ?? String(p);
}

export function parsePort(s: string): number | undefined {
  const named = PORT_BY_NAME.get(s.toUpperCase());
  if (named !== undefined) return named;
  const n = parseNumber(s);
  if (n === undefined || n > 0xffffffffn) return undefined;
  const v = Number(n);
  // OpenFlow 1.1+ numbers for the reserved ports map onto OVS's 16-bit ones.
  if (v >= 0xffffff00) return v - 0xffff0000;
  return v <= 0xffff ? v : undefined;
}

export function parseNumber(s: string): bigint | undefined {
  if (/^0x[0-9a-fA-F]+$/i.test(s)) return BigInt(s);
  if (/^\d+$/.test(s)) return BigInt(s);
  return undefined;
}

// Flag sets: name per bit, low bit first (the order ovs-ofctl prints them in).
export const CT_STATE_FLAGS = ["new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"] as const;
export const TCP_FLAGS = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"] as const;
export const TUN_FLAGS = ["oam"] as const;

function flagsOf(format: FieldFormat): readonly string[] {
  return format === "ct_state" ? CT_STATE_FLAGS : format === "tcp_flags" ? TCP_FLAGS : TUN_FLAGS;
}

/** The mask under which ovs-ofctl writes a flag field as an exact set ("new|trk") rather than "+new+trk". */
function exactFlagMask(format: FieldFormat): bigint {
  return format === "ct_state" ? 0xffn : format === "tcp_flags" ? 0xfffn : 0xffffn;
}

function formatFlags(format: FieldFormat, value: bigint, mask: bigint): string {
  const names = flagsOf(format);
  const exact = exactFlagMask(format);
  if ((mask & exact) === exact) {
    const set = names.filter((_, i) => (value >> BigInt(i)) & 1n);
    return set.length === 0 ? (value === 0n ? "0" : hex(value)) : set.join("|");
  }
  let out = "";
  names.forEach((n, i) => {
    const bit = 1n << BigInt(i);
    if (mask & bit) out += `${value & bit ? "+" : "-"}${n}`;
  });
  return out === "" ? `${hex(value)}/${hex(mask)}` : out;
}

function parseFlags(format: FieldFormat, s: string): { value: bigint; mask: bigint } | undefined {
  const names = flagsOf(format);
  const exact = exactFlagMask(format);
  if (s === "0") return { value: 0n, mask: exact };
  if (/^[+-]/.test(s)) {
    let value = 0n;
    let mask = 0n;
    for (const m of s.matchAll(/([+-])([a-z_]+)/g)) {
      const i = names.indexOf(m[2] ?? "");
      if (i < 0) return undefined;
      const bit = 1n << BigInt(i);
      mask |= bit;
      if (m[1] === "+") value |= bit;
    }
    return { value, mask };
  }
  if (/^[a-z|]+$/.test(s)) {
    let value = 0n;
    for (const n of s.split("|")) {
      const i = names.indexOf(n);
      if (i < 0) return undefined;
      value |= 1n << BigInt(i);
    }
    return { value, mask: exact };
  }
  return undefined;
}

const FRAG: ReadonlyArray<readonly [string, bigint, bigint]> = [
  ["no", 0n, 1n],
  ["yes", 1n, 1n],
  ["first", 1n, 3n],
  ["later", 3n, 3n],
  ["not_later", 0n, 2n],
];

/** A value alone, in the field's format (no mask). */
export function formatValue(field: FieldName, value: bigint): string {
  const info = fieldInfo(field);
  switch (info.format) {
    case "hex":
      return hex(value);
    case "dec":
      return value.toString();
    case "eth":
      return formatEth(value);
    case "ipv4":
      return formatIpv4(value);
    case "ipv6":
      return formatIpv6(value);
    case "port":
    case "port32":
      return formatPort(Number(value));
    case "ct_state":
    case "tcp_flags":
    case "tun_flags":
      return formatFlags(info.format, value, fullMask(field));
    case "frag":
      return FRAG.find(([, v, m]) => v === value && m === 3n)?.[0] ?? hex(value);
    case "packet_type":
      return `(${value >> 16n},${hex(value & 0xffffn)})`;
  }
}

/**
 * A value with an optional mask as a match writes it (`nw_dst=10.0.0.0/24`, `reg0=0x1/0x1`,
 * `tp_src=0x100/0xff00`, `ct_state=+trk`).  Decimal fields switch to hex when masked, like ovs-ofctl.
 */
export function formatMatchValue(field: FieldName, value: bigint, mask: bigint | undefined): string {
  const info = fieldInfo(field);
  const full = fullMask(field);
  const exact = mask === undefined || (mask & full) === full;
  switch (info.format) {
    case "ct_state":
    case "tcp_flags":
    case "tun_flags":
      return formatFlags(info.format, value, exact ? full : (mask ?? full));
    case "frag": {
      const m = exact ? 3n : (mask ?? 3n);
      const name = FRAG.find(([, v, mm]) => v === value && mm === m)?.[0];
      return name ?? (m === 3n && value === 0n ? "no" : `${hex(value)}/${hex(m)}`);
    }
    default:
      break;
  }
  if (exact) return formatValue(field, value);
  const m = mask ?? full;
  switch (info.format) {
    case "ipv4": {
      const len = prefixLength(m, 32);
      return len >= 0 ? `${formatIpv4(value)}/${len}` : `${formatIpv4(value)}/${formatIpv4(m)}`;
    }
    case "ipv6": {
      const len = prefixLength(m, 128);
      return len >= 0 ? `${formatIpv6(value)}/${len}` : `${formatIpv6(value)}/${formatIpv6(m)}`;
    }
    case "eth":
      return `${formatEth(value)}/${formatEth(m)}`;
    case "dec":
      // A masked decimal field is written in hex, zero included ("tp_dst=0x0/0x8000").
      return `0x${value.toString(16)}/0x${m.toString(16)}`;
    default:
      return `${hex(value)}/${hex(m)}`;
  }
}

/** set_field's value: the field's own format, then "/mask" in hex (ovs-ofctl writes
 *  `set_field:256/0xff00->tcp_dst`, `set_field:10.0.0.0/24->ip_dst`). */
export function formatSetFieldValue(field: FieldName, value: bigint, mask: bigint | undefined): string {
  const info = fieldInfo(field);
  const full = fullMask(field);
  if (mask === undefined || (mask & full) === full) return formatValue(field, value);
  if (info.format === "ipv4" || info.format === "ipv6" || info.format === "eth") {
    return formatMatchValue(field, value, mask);
  }
  return `${formatValue(field, value)}/${hex(mask)}`;
}

/** Parses `value[/mask]` in the field's format.  The mask is undefined for an exact value. */
export function parseFieldValue(
  field: FieldName,
  text: string,
): { value: bigint; mask?: bigint } | undefined {
  const info = fieldInfo(field);
  const full = fullMask(field);
  switch (info.format) {
    case "ct_state":
    case "tcp_flags":
    case "tun_flags": {
      if (/^[+\-a-z|]/.test(text) && text !== "0") {
        const r = parseFlags(info.format, text);
        if (r === undefined) return undefined;
        return r.mask === exactFlagMask(info.format) ? { value: r.value } : r;
      }
      break;
    }
    case "frag": {
      const hit = FRAG.find(([n]) => n === text);
      if (hit !== undefined) return hit[2] === 3n ? { value: hit[1] } : { value: hit[1], mask: hit[2] };
      break;
    }
    default:
      break;
  }
  const slash = text.indexOf("/");
  const vText = slash < 0 ? text : text.slice(0, slash);
  const mText = slash < 0 ? undefined : text.slice(slash + 1);
  const value = parseScalar(field, vText);
  if (value === undefined || value > full) return undefined;
  if (mText === undefined) return { value };
  let mask: bigint | undefined;
  if ((info.format === "ipv4" || info.format === "ipv6") && /^\d+$/.test(mText)) {
    const len = Number(mText);
    if (len > info.bits) return undefined;
    mask = prefixMask(len, info.bits);
  } else {
    mask = parseScalar(field, mText) ?? parseNumber(mText);
  }
  if (mask === undefined || mask > full) return undefined;
  return mask === full ? { value } : { value: value & mask, mask };
}

function parseScalar(field: FieldName, s: string): bigint | undefined {
  const info = fieldInfo(field);
  switch (info.format) {
    case "eth":
      return parseEth(s);
    case "ipv4":
      return parseIpv4(s);
    case "ipv6":
      return s.startsWith("[") && s.endsWith("]") ? parseIpv6(s.slice(1, -1)) : parseIpv6(s);
    case "port":
    case "port32": {
      const p = parsePort(s);
      return p === undefined ? undefined : BigInt(p);
    }
    case "packet_type": {
      const m = /^\((\w+),(\w+)\)$/.exec(s);
      if (m === null) return undefined;
      const ns = parseNumber(m[1] ?? "");
      const t = parseNumber(m[2] ?? "");
      return ns === undefined || t === undefined ? undefined : (ns << 16n) | t;
    }
    default:
      return parseNumber(s);
  }
}
