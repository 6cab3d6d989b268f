// Domain names on the wire (RFC 1035 §3.1, §4.1.4): length-prefixed labels ending in a zero byte,
// optionally compressed with pointers. Text form: labels joined by '.', the root is "", and a label's
// '.', '\' and bytes outside printable ASCII are escaped as dig prints them ("\.", "\\", "\DDD"), so
// every decodable name encodes back to the same labels.
import { type Decoded, fail, ok, short } from "./result.js";

export interface DecodedName {
  readonly name: string;
  /** Offset just after the name where it started (after the pointer, for a compressed name). */
  readonly end: number;
}

function labelText(b: Uint8Array): string {
  let s = "";
  for (const c of b) {
    if (c === 0x2e || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\${String(c).padStart(3, "0")}`;
  }
  return s;
}

/** Decodes the name at `offset` in `msg`; pointers are followed only if `compression` (DNS messages). */
export function decodeDomainName(
  msg: Uint8Array,
  offset: number,
  compression: boolean,
): Decoded<DecodedName> {
  const labels: string[] = [];
  let at = offset;
  let end = -1;
  let jumps = 0;
  let total = 0;
  for (;;) {
    const len = msg[at];
    if (len === undefined) return short("domain name", at + 1, msg.length);
    if (len === 0) {
      at += 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (!compression) return fail("compression pointer outside a DNS message");
      const lo = msg[at + 1];
      if (lo === undefined) return short("domain name pointer", at + 2, msg.length);
      if (end < 0) end = at + 2;
      // A message has fewer than 2^14 bytes; more jumps than that means a pointer loop.
      if (++jumps > 128) return fail("domain name pointer loop");
      at = ((len & 0x3f) << 8) | lo;
      continue;
    }
    if ((len & 0xc0) !== 0) return fail(`domain name label type 0x${(len & 0xc0).toString(16)}`);
    if (at + 1 + len > msg.length) return short("domain name label", at + 1 + len, msg.length);
    total += len + 1;
    if (total > 255) return fail("domain name longer than 255 bytes");
    labels.push(labelText(msg.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  return ok({ name: labels.join("."), end: end < 0 ? at : end });
}

/** Splits a name's text form into raw labels (undoing the escapes); "" and "." are the root. */
export function nameLabels(name: string): Uint8Array[] | undefined {
  if (name === "" || name === ".") return [];
  const labels: Uint8Array[] = [];
  let cur: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch === 0x5c) {
      const m = /^\d{3}/.exec(name.slice(i + 1));
      if (m !== null) {
        const v = Number(m[0]);
        if (v > 255) return undefined;
        cur.push(v);
        i += 3;
      } else {
        if (i + 1 >= name.length) return undefined;
        cur.push(name.charCodeAt(++i) & 0xff);
      }
    } else if (ch === 0x2e) {
      if (cur.length === 0 && i !== name.length - 1) return undefined;
      if (cur.length > 0) labels.push(Uint8Array.from(cur));
      cur = [];
    } else {
      if (ch > 0xff) return undefined;
      cur.push(ch);
    }
  }
  if (cur.length > 0) labels.push(Uint8Array.from(cur));
  if (labels.some((l) => l.length > 63)) return undefined;
  return labels;
}

/** The uncompressed wire form of a name, zero byte included. Throws on a name that is not valid text. */
export function encodeDomainName(name: string): Uint8Array {
  const labels = nameLabels(name);
  if (labels === undefined) throw new Error(`invalid domain name '${name}'`);
  let n = 1;
  for (const l of labels) n += l.length + 1;
  const out = new Uint8Array(n);
  let at = 0;
  for (const l of labels) {
    out[at++] = l.length;
    out.set(l, at);
    at += l.length;
  }
  return out;
}
