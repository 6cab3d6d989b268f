// JSON as Open vSwitch's own library reads and writes it, because ovsdb-client and ovsdb-tool print
// whatever they parsed, re-serialised by that library. Observed from the 3.1 tools:
//   - A number is an integer whenever its exact value is integral and fits in 64 bits, however it was
//     written ("1.0", "1.5e2", "1e5" are integers); otherwise it is a real, printed with 15 significant
//     digits (C's "%.15g"). Integers are exact: unsafe ones are held as bigint.
//   - Strings are escaped as JSON.stringify does (\" \\ \b \f \n \r \t, other controls as \u00xx);
//     everything else, "/" and non-ASCII included, is written raw.
//   - "Pretty" output puts each member or element on its own line, indented two spaces per level, with
//     the closing bracket right after the last one: `[\n  1,\n  2]`.
//   - Parse errors carry the position where the failing token was completed, counted in bytes:
//     `line 0, column 3, byte 3: syntax error expecting value`.
// Objects are plain JavaScript objects, so member order is text order (member names are never
// integer-like in OVSDB), which the hash-order model (hash-order.ts) needs.
import { formatReal } from "./cformat.js";

/** A real known to be a real even when its value is integral (values computed, not parsed). */
export class OReal {
  constructor(readonly value: number) {}
}

export type OJson = null | boolean | string | number | bigint | OReal | OJson[] | OJsonObject;
export interface OJsonObject {
  [key: string]: OJson;
}

export function isObject(j: OJson | undefined): j is OJsonObject {
  return typeof j === "object" && j !== null && !Array.isArray(j) && !(j instanceof OReal);
}

export class OvsJsonError extends Error {
  override readonly name = "OvsJsonError";
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Parses JSON text (an object or array at the top) with the library's number and error rules. */
export function parseOvsJson(text: string): OJson {
  return new Parser(new TextEncoder().encode(text)).parseDocument();
}

type Token = { kind: "punct"; ch: string } | { kind: "value"; value: OJson } | { kind: "eof" };

const DELIMS = new Set(["[", "]", "{", "}", ":", ","]);
const MAX_DEPTH = 1000;
const decoder = new TextDecoder();

class Parser {
  private at = 0; // bytes consumed
  private line = 0;
  private column = 0;
  // A token whose last byte (or, at the end of input, a virtual terminating byte) counts as read only
  // when the following token is requested: an error about the token itself reports the position
  // before that byte, as the streaming C parser does.
  private pending = false;

  constructor(private readonly bytes: Uint8Array) {}

  parseDocument(): OJson {
    const first = this.next();
    if (first.kind === "eof") this.fail("empty input stream");
    if (first.kind !== "punct" || (first.ch !== "[" && first.ch !== "{"))
      this.fail("syntax error at beginning of input");
    const v = this.container(first.ch);
    if (this.next().kind !== "eof") this.fail("trailing garbage at end of input");
    return v;
  }

  private depth = 0;

  private container(open: string): OJson {
    if (++this.depth > MAX_DEPTH) this.fail(`input exceeds maximum nesting depth ${MAX_DEPTH}`);
    const v = open === "[" ? this.array() : this.object();
    this.depth--;
    return v;
  }

  private value(t: Token): OJson {
    if (t.kind === "eof") this.fail("unexpected end of input");
    if (t.kind === "value") return t.value;
    if (t.ch === "[" || t.ch === "{") return this.container(t.ch);
    return this.fail("syntax error expecting value");
  }

  private array(): OJson[] {
    const out: OJson[] = [];
    let t = this.next();
    if (t.kind === "punct" && t.ch === "]") return out;
    for (;;) {
      out.push(this.value(t));
      t = this.next();
      if (t.kind === "eof") this.fail("unexpected end of input");
      if (t.kind === "punct" && t.ch === "]") return out;
      if (!(t.kind === "punct" && t.ch === ",")) this.fail("syntax error expecting ']' or ','");
      t = this.next();
    }
  }

  private object(): OJsonObject {
    const out: OJsonObject = {};
    let t = this.next();
    if (t.kind === "punct" && t.ch === "}") return out;
    for (;;) {
      if (t.kind === "eof") this.fail("unexpected end of input");
      if (!(t.kind === "value" && typeof t.value === "string"))
        this.fail("syntax error parsing object expecting string");
      const key = t.value as string;
      t = this.next();
      if (t.kind === "eof") this.fail("unexpected end of input");
      if (!(t.kind === "punct" && t.ch === ":")) this.fail("syntax error parsing object expecting ':'");
      setMember(out, key, this.value(this.next()));
      t = this.next();
      if (t.kind === "eof") this.fail("unexpected end of input");
      if (t.kind === "punct" && t.ch === "}") return out;
      if (!(t.kind === "punct" && t.ch === ",")) this.fail("syntax error expecting '}' or ','");
      t = this.next();
    }
  }

  private fail(msg: string): never {
    throw new OvsJsonError(`line ${this.line}, column ${this.column}, byte ${this.at}: ${msg}`);
  }

  private advance(): void {
    if (this.bytes[this.at] === 0x0a) {
      this.line++;
      this.column = 0;
    } else this.column++;
    this.at++;
  }

  private peek(): number | undefined {
    return this.bytes[this.at];
  }

  /** The next token; a number or keyword is complete when the byte after it is reached. */
  private next(): Token {
    if (this.pending) {
      this.pending = false;
      this.advance();
    }
    for (;;) {
      const b = this.peek();
      if (b === undefined) return { kind: "eof" };
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) {
        this.advance();
        continue;
      }
      const ch = String.fromCharCode(b);
      if (DELIMS.has(ch)) {
        this.pending = true;
        return { kind: "punct", ch };
      }
      if (ch === '"') return this.string();
      if (ch === "-" || (b >= 0x30 && b <= 0x39)) return this.number();
      if (/[A-Za-z]/.test(ch)) return this.keyword();
      const shown = b >= 0x20 && b < 0x7f ? `'${ch}'` : `U+${b.toString(16).padStart(4, "0")}`;
      return this.fail(`invalid character ${shown}`);
    }
  }

  private takeWhile(ok: (b: number) => boolean): string {
    const start = this.at;
    while (this.at < this.bytes.length && ok(this.bytes[this.at] as number)) this.advance();
    // At the end of input the C lexer ends the token with a virtual byte of its own.
    if (this.at >= this.bytes.length) this.pending = true;
    return decoder.decode(this.bytes.subarray(start, this.at));
  }

  private keyword(): Token {
    const word = this.takeWhile((b) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
    if (word === "true") return { kind: "value", value: true };
    if (word === "false") return { kind: "value", value: false };
    if (word === "null") return { kind: "value", value: null };
    return this.fail(`invalid keyword '${word}'`);
  }

  private number(): Token {
    const text = this.takeWhile(
      (b) => (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x65 || b === 0x45 || b === 0x2b || b === 0x2d,
    );
    return { kind: "value", value: this.numberValue(text) };
  }

  private numberValue(text: string): number | bigint {
    const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?)(\d*))?/.exec(text) as RegExpExecArray;
    const [whole, sign, int = "", frac, expSign, exp] = m;
    if (sign === "-" && int === "") this.fail("'-' must be followed by digit");
    if (int.length > 1 && int.startsWith("0")) this.fail("leading zeros not allowed");
    if (frac === "") this.fail("decimal point must be followed by digit");
    if (exp === "") this.fail("exponent must contain at least one digit");
    if (whole.length !== text.length) this.fail("syntax error in number");
    const asInt = exactInteger(
      sign === "-",
      int + (frac ?? ""),
      (exp === undefined ? 0 : Number(`${expSign}${exp}`)) - (frac ?? "").length,
    );
    if (asInt !== undefined) return Number.isSafeInteger(Number(asInt)) ? Number(asInt) : asInt;
    const real = Number(text);
    if (!Number.isFinite(real)) this.fail("number outside valid range");
    return real;
  }

  private string(): Token {
    this.advance(); // opening quote
    const parts: number[] = [];
    let escaped = false;
    for (;;) {
      const b = this.peek();
      if (b === undefined) this.fail("unexpected end of input in quoted string");
      if (escaped) escaped = false;
      else if (b === 0x5c) escaped = true;
      else if (b === 0x22) break;
      else if (b < 0x20) this.fail(`U+${b.toString(16).padStart(4, "0")} must be escaped in quoted string`);
      parts.push(b);
      this.advance();
    }
    // Escapes are checked when the closing quote is reached, before it counts as read.
    const value = this.unescape(decoder.decode(Uint8Array.from(parts)));
    this.pending = true;
    return { kind: "value", value };
  }

  private unescape(raw: string): string {
    if (!raw.includes("\\")) return raw;
    let out = "";
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i] as string;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = raw[++i] as string;
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e in simple) {
        out += simple[e];
        continue;
      }
      if (e !== "u") this.fail(`bad escape \\${e}`);
      const hi = this.hex4(raw, i + 1);
      i += 4;
      if (hi === 0) this.fail("null bytes not supported in quoted strings");
      if (hi >= 0xd800 && hi <= 0xdbff) {
        if (raw[i + 1] !== "\\" || raw[i + 2] !== "u") this.fail("malformed escaped surrogate pair");
        const lo = this.hex4(raw, i + 3);
        if (lo < 0xdc00 || lo > 0xdfff)
          this.fail("second half of escaped surrogate pair is not trailing surrogate");
        i += 6;
        out += String.fromCharCode(hi, lo);
      } else out += String.fromCharCode(hi);
    }
    return out;
  }

  private hex4(raw: string, at: number): number {
    const h = raw.slice(at, at + 4);
    if (h.length < 4) this.fail("quoted string ends within \\u escape");
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail("malformed \\u escape");
    return Number.parseInt(h, 16);
  }
}

/** obj[key] = value, also for "__proto__" (an ordinary member name in JSON). */
function setMember(obj: OJsonObject, key: string, value: OJson): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * The exact value of ±digits×10^exp when it is an integer in the 64-bit range (the library's integer
 * test); undefined when it is fractional, out of range, or has more digits than 64 bits hold.
 */
function exactInteger(negative: boolean, digits: string, exp: number): bigint | undefined {
  let d = digits.replace(/^0+/, "");
  if (d === "") return 0n;
  if (BigInt(d) > UINT64_MAX) return undefined;
  let e = exp;
  while (d.endsWith("0")) {
    d = d.slice(0, -1);
    e++;
  }
  if (e < 0 || e > 19) return undefined;
  const v = BigInt(d) * 10n ** BigInt(e) * (negative ? -1n : 1n);
  return v >= INT64_MIN && v <= INT64_MAX ? v : undefined;
}

export interface SerializeOptions {
  /** Object members in name order (the tools print replies this way). */
  sort?: boolean;
  pretty?: boolean;
}

/** JSON text in the library's format; see the header comment. */
export function serializeOvsJson(j: OJson, opts: SerializeOptions = {}): string {
  const out: string[] = [];
  write(j, 0, opts, out);
  return out.join("");
}

function write(j: OJson, depth: number, opts: SerializeOptions, out: string[]): void {
  if (j === null || typeof j === "boolean") out.push(String(j));
  else if (typeof j === "string") out.push(JSON.stringify(j));
  else if (typeof j === "bigint") out.push(j.toString());
  else if (typeof j === "number") out.push(numberText(j));
  else if (j instanceof OReal) out.push(formatReal(j.value));
  else if (Array.isArray(j))
    writeList(
      j.map((v) => [undefined, v] as const),
      "[",
      "]",
      depth,
      opts,
      out,
    );
  else {
    const keys = Object.keys(j);
    if (opts.sort === true) keys.sort(compareBytes);
    writeList(
      keys.map((k) => [k, j[k] as OJson] as const),
      "{",
      "}",
      depth,
      opts,
      out,
    );
  }
}

function writeList(
  items: readonly (readonly [string | undefined, OJson])[],
  open: string,
  close: string,
  depth: number,
  opts: SerializeOptions,
  out: string[],
): void {
  out.push(open);
  const pretty = opts.pretty === true;
  items.forEach(([k, v], i) => {
    if (i > 0) out.push(",");
    if (pretty) out.push(`\n${" ".repeat(2 * (depth + 1))}`);
    if (k !== undefined) out.push(JSON.stringify(k), pretty ? ": " : ":");
    write(v, depth + 1, opts, out);
  });
  out.push(close);
}

/** A parsed number: integral values within 64 bits are integers, the rest reals. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return formatReal(n);
}

/** Byte order of the UTF-8 forms (= code point order), as C's strcmp sorts member names. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Plain JSON for code that takes JSON.parse output (bigints become the nearest number). */
export function toPlainJson(j: OJson): unknown {
  if (typeof j === "bigint") return Number(j);
  if (j instanceof OReal) return j.value;
  if (Array.isArray(j)) return j.map(toPlainJson);
  if (isObject(j)) {
    const out: OJsonObject = {};
    for (const [k, v] of Object.entries(j)) setMember(out, k, toPlainJson(v) as OJson);
    return out;
  }
  return j;
}
