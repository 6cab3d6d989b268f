// The lexer shared by logical-flow matches and actions (ovn-sb(5), "Logical_Flow TABLE").
//
// Behaviour and error texts follow what OVN 23.03 reports for bad input (observed through ovn-trace):
// a syntax error quotes the offending token as it appears in the source, so every token keeps its
// source text.  Lexical errors become `error` tokens; the parser reports them when it reaches them.

import {
  bitLength,
  cidrMask,
  constantWidth,
  formatConstant,
  type IntConstant,
  type IntFormat,
  parseIpv4,
  parseIpv6,
  parseMac,
  quoteString,
} from "./values.js";

export const PUNCTUATION = [
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "!",
  "&&",
  "||",
  "..",
  ",",
  ";",
  "=",
  "<->",
  "--",
  "-",
  ":",
] as const;
export type Punctuation = (typeof PUNCTUATION)[number];

export type Token =
  | { readonly type: "end"; readonly text: string }
  | { readonly type: "id"; readonly text: string; readonly name: string }
  | { readonly type: "string"; readonly text: string; readonly value: string }
  | { readonly type: "integer"; readonly text: string; readonly constant: IntConstant }
  | { readonly type: "masked-integer"; readonly text: string; readonly constant: IntConstant }
  /** `$name`: an address set. */
  | { readonly type: "macro"; readonly text: string; readonly name: string }
  /** `@name`: a port group. */
  | { readonly type: "port-group"; readonly text: string; readonly name: string }
  /** `^name`: a chassis template variable. */
  | { readonly type: "template"; readonly text: string; readonly name: string }
  | { readonly type: "error"; readonly text: string; readonly message: string }
  | { readonly type: Punctuation; readonly text: string };

export type TokenType = Token["type"];

/** Hex constants may be up to this wide (OVN's limit). */
export const MAX_HEX_BITS = 1024;

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isAlpha = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
/** May start an identifier (after `$`, `@` or `^` too). */
export const isIdStart = (c: string): boolean => isAlpha(c) || c === "_" || c === ".";

// The same classes by character code, as bits of a table, for the loops that scan names, numbers and
// spaces (a call and a one-character string per character showed in start-up profiles, where this code
// runs before the JIT has optimised it).
const ALNUM = 1;
const HEX = 2;
/** Letters, digits, `_` and `.`. */
const ID_CHAR = 4;
/** Space, \t \n \v \f \r. */
const SPACE = 8;
const CHAR_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    const alnum = isDigit(ch) || isAlpha(ch);
    t[c] =
      (alnum ? ALNUM | ID_CHAR : 0) |
      (isDigit(ch) || (ch >= "a" && ch <= "f") || (ch >= "A" && ch <= "F") ? HEX : 0) |
      (ch === "_" || ch === "." ? ID_CHAR : 0) |
      (ch === " " || (c >= 0x09 && c <= 0x0d) ? SPACE : 0);
  }
  return t;
})();

/** Whether the character at `i` of `s` is in `cls` (false past the end and for non-ASCII). */
const charIs = (s: string, i: number, cls: number): boolean =>
  ((CHAR_CLASS[s.charCodeAt(i)] ?? 0) & cls) !== 0;

/** Splits `input` into tokens, always ending with an `end` token. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (;;) {
    const r = nextToken(input, pos);
    out.push(r.token);
    pos = r.end;
    if (r.token.type === "end") return out;
  }
}

/** A token with where it ends in the input and where the text before it (spaces, comments) starts. */
export interface TokenSpan {
  readonly token: Token;
  /** End of the previous token: `input.slice(gapStart, end)` is the token with what precedes it. */
  readonly gapStart: number;
  readonly end: number;
}

export function tokenizeSpans(input: string): TokenSpan[] {
  const out: TokenSpan[] = [];
  let pos = 0;
  for (;;) {
    const r = nextToken(input, pos);
    out.push({ token: r.token, gapStart: pos, end: r.end });
    pos = r.end;
    if (r.token.type === "end") return out;
  }
}

interface Lexed {
  token: Token;
  end: number;
}

/** One token per punctuation: tokens are never changed, so each lexed punctuation can share it. */
const PUNCT_TOKENS: ReadonlyMap<string, Token> = new Map(
  PUNCTUATION.map((text) => [text, Object.freeze({ type: text, text })]),
);

/** The punctuation token `text` at `p` (module functions, not closures per token: this runs for every
 *  token of every flow, mostly before the JIT has optimised it). */
function punctAt(p: number, text: Punctuation): Lexed {
  return { token: PUNCT_TOKENS.get(text) as Token, end: p + text.length };
}

function errorAt(s: string, p: number, message: string, end: number): Lexed {
  return { token: { type: "error", text: s.slice(p, end), message }, end };
}

function nextToken(s: string, start: number): Lexed {
  const skipped = skipSpaceAndComments(s, start);
  if (typeof skipped !== "number") return skipped;
  let p = skipped;
  if (p >= s.length) return { token: { type: "end", text: "" }, end: p };
  const c = s[p] ?? "";
  const c1 = s[p + 1] ?? "";
  switch (c) {
    case "(":
    case ")":
    case "{":
    case "}":
    case "[":
    case "]":
    case ",":
    case ";":
      return punctAt(p, c);
    case "=":
      return punctAt(p, c1 === "=" ? "==" : "=");
    case "!":
      return punctAt(p, c1 === "=" ? "!=" : "!");
    case "&":
      return c1 === "&" ? punctAt(p, "&&") : errorAt(s, p, "`&' is only valid as part of `&&'.", p + 1);
    case "|":
      return c1 === "|" ? punctAt(p, "||") : errorAt(s, p, "`|' is only valid as part of `||'.", p + 1);
    case "<":
      if (c1 === "-" && s[p + 2] === ">") return punctAt(p, "<->");
      return punctAt(p, c1 === "=" ? "<=" : "<");
    case ">":
      return punctAt(p, c1 === "=" ? ">=" : ">");
    case "-":
      return punctAt(p, c1 === "-" ? "--" : "-");
    case ".":
      return c1 === "."
        ? punctAt(p, "..")
        : errorAt(s, p, "`.' is only valid as part of `..' or a number.", p + 1);
    case ":":
      return c1 === ":" ? lexNumber(s, p) : punctAt(p, ":");
    case "/":
      return errorAt(s, p, "`/' is only valid as part of `//' or `/*'.", p + 1);
    case '"':
      return lexString(s, p);
    case "$":
    case "@":
    case "^":
      return lexPrefixedName(s, p);
    default:
      break;
  }
  if (isDigit(c)) return lexNumber(s, p);
  if (isIdStart(c)) {
    // A run of hex digits followed by `:` starts an IPv6 or Ethernet address such as fe80::1.
    let q = p;
    while (charIs(s, q, HEX)) q++;
    if (s.charCodeAt(q) === 0x3a) return lexNumber(s, p);
    q = p + 1;
    while (charIs(s, q, ID_CHAR)) q++;
    const name = s.slice(p, q);
    return { token: { type: "id", text: name, name }, end: q };
  }
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x21 && code < 0x7f) return errorAt(s, p, `Invalid character \`${c}' in input.`, p + 1);
  p = p + c.length;
  // OVN prints the first byte with "0x%d" of a signed char, which gives e.g. `0x-61' for `é'.
  const firstByte = new TextEncoder().encode(c)[0] ?? 0;
  const signed = firstByte >= 0x80 ? firstByte - 256 : firstByte;
  return { token: { type: "error", text: c, message: `Invalid byte 0x${signed} in input.` }, end: p };
}

function skipSpaceAndComments(s: string, start: number): number | Lexed {
  let p = start;
  for (;;) {
    while (charIs(s, p, SPACE)) p++;
    if (s[p] === "/" && s[p + 1] === "/") {
      while (p < s.length && s[p] !== "\n") p++;
    } else if (s[p] === "/" && s[p + 1] === "*") {
      const close = s.indexOf("*/", p + 2);
      if (close < 0) {
        return {
          token: { type: "error", text: s.slice(p), message: "`/*' without matching `*/'." },
          end: s.length,
        };
      }
      p = close + 2;
    } else {
      return p;
    }
  }
}

function lexPrefixedName(s: string, p: number): Lexed {
  const sigil = s[p] ?? "";
  let q = p + 1;
  if (!isIdStart(s[q] ?? "")) {
    return {
      token: { type: "error", text: sigil, message: `\`${sigil}' must be followed by a valid identifier.` },
      end: q,
    };
  }
  while (charIs(s, q, ID_CHAR)) q++;
  const name = s.slice(p + 1, q);
  const text = s.slice(p, q);
  const type = sigil === "$" ? "macro" : sigil === "@" ? "port-group" : "template";
  return { token: { type, text, name }, end: q };
}

// ---- Numbers ----------------------------------------------------------------------------------------

/** The extent of a numeric constant starting at `p`: letters, digits, `:` and single `.`s.  Once a `.`
 *  has been seen, a `:` ends the number, so that `10.0.0.1:80` is an address followed by a port. */
function numberSpan(s: string, p: number): number {
  let q = p;
  let sawDot = false;
  for (;;) {
    const c = s.charCodeAt(q);
    if (((CHAR_CLASS[c] ?? 0) & ALNUM) !== 0) q++;
    else if (c === 0x3a && !sawDot) q++;
    else if (c === 0x2e && s.charCodeAt(q + 1) !== 0x2e) {
      sawDot = true;
      q++;
    } else return q;
  }
}

type NumberResult = { ok: true; constant: IntConstant } | { ok: false; message: string };

function parseNumber(text: string): NumberResult {
  if (text.length === 0) return { ok: false, message: "Integer constant expected." };
  const mac = text.length === 17 ? parseMac(text) : null;
  if (mac !== null) return { ok: true, constant: { value: mac, mask: null, format: "ethernet" } };
  if (/^[0-9]+$/.test(text)) {
    if (text[0] === "0" && text.length > 1) {
      return { ok: false, message: "Decimal constants must not have leading zeros." };
    }
    const v = BigInt(text);
    if (v >= 1n << 64n) return { ok: false, message: "Decimal constants must be less than 2**64." };
    return { ok: true, constant: { value: v, mask: null, format: "decimal" } };
  }
  if (text[0] === "0" && (text[1] === "x" || text[1] === "X")) {
    if (text.length === 2) return { ok: false, message: `Hex digits expected following 0${text[1]}.` };
    const digits = text.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(digits)) {
      return { ok: false, message: "Invalid syntax in hexadecimal constant." };
    }
    const v = BigInt(`0x${digits}`);
    if (bitLength(v) > MAX_HEX_BITS) {
      return { ok: false, message: `Hexadecimal constant requires more than ${MAX_HEX_BITS} bits.` };
    }
    return { ok: true, constant: { value: v, mask: null, format: "hex" } };
  }
  const v4 = parseIpv4(text);
  if (v4 !== null) return { ok: true, constant: { value: v4, mask: null, format: "ipv4" } };
  const v6 = parseIpv6(text);
  if (v6 !== null) return { ok: true, constant: { value: v6, mask: null, format: "ipv6" } };
  return { ok: false, message: "Invalid numeric constant." };
}

function lexNumber(s: string, p: number): Lexed {
  const end = numberSpan(s, p);
  const value = parseNumber(s.slice(p, end));
  if (!value.ok) return { token: { type: "error", text: s.slice(p, end), message: value.message }, end };
  if (s[end] !== "/") {
    const v = canonicalZero(value.constant);
    return { token: { type: "integer", text: s.slice(p, end), constant: v }, end };
  }
  const maskEnd = numberSpan(s, end + 1);
  const text = s.slice(p, maskEnd);
  const mask = parseNumber(s.slice(end + 1, maskEnd));
  if (!mask.ok) return { token: { type: "error", text, message: mask.message }, end: maskEnd };
  const m = combineMask(value.constant, mask.constant);
  if (m === null) {
    return {
      token: { type: "error", text, message: "Value and mask have incompatible formats." },
      end: maskEnd,
    };
  }
  return { token: { type: "masked-integer", text, constant: m }, end: maskEnd };
}

/** A hex zero prints as `0` (as in OVN), so we treat it as the decimal zero it will print as: that
 *  way printing and parsing again gives back the same constant. */
function canonicalZero(c: IntConstant): IntConstant {
  return c.format === "hex" && c.value === 0n ? { ...c, format: "decimal" } : c;
}

function combineMask(v: IntConstant, m: IntConstant): IntConstant | null {
  let mask: bigint;
  if ((v.format === "ipv4" || v.format === "ipv6") && m.format === "decimal") {
    const width = v.format === "ipv4" ? 32 : 128;
    if (m.value > BigInt(width)) return null;
    mask = cidrMask(Number(m.value), width);
  } else if (v.format === m.format) {
    mask = m.value;
  } else {
    return null;
  }
  return { value: v.value & mask, mask, format: v.format };
}

// ---- Strings ----------------------------------------------------------------------------------------

function lexString(s: string, p: number): Lexed {
  let q = p + 1;
  for (;;) {
    if (q >= s.length) {
      return {
        token: { type: "error", text: s.slice(p), message: "Input ends inside quoted string." },
        end: q,
      };
    }
    const c = s.charCodeAt(q);
    if (c === 0x22) break;
    q += c === 0x5c ? 2 : 1;
  }
  const end = q + 1;
  const text = s.slice(p, end);
  const u = unescapeJsonString(s.slice(p + 1, q));
  if (!u.ok) return { token: { type: "error", text, message: u.message }, end };
  return { token: { type: "string", text, value: u.value }, end };
}

type UnescapeResult = { ok: true; value: string } | { ok: false; message: string };

/** JSON string unescaping with the error texts of Open vSwitch's JSON library. */
export function unescapeJsonString(body: string): UnescapeResult {
  let out = "";
  let i = 0;
  const fail = (message: string): UnescapeResult => ({ ok: false, message });
  const readHex4 = (at: number): number | string => {
    const h = body.slice(at, at + 4);
    if (h.length < 4) return "quoted string ends within \\u escape";
    if (!/^[0-9a-fA-F]{4}$/.test(h)) return "malformed \\u escape";
    return Number.parseInt(h, 16);
  };
  while (i < body.length) {
    const c = body[i] ?? "";
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1] ?? "";
    i += 2;
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
    const rep = simple[e];
    if (rep !== undefined) {
      out += rep;
      continue;
    }
    if (e !== "u") return fail(`bad escape \\${e}`);
    const cp = readHex4(i);
    if (typeof cp === "string") return fail(cp);
    i += 4;
    if (cp === 0) return fail("null bytes not supported in quoted strings");
    if (cp >= 0xd800 && cp < 0xdc00) {
      if (body[i] !== "\\" || body[i + 1] !== "u") return fail("malformed escaped surrogate pair");
      const lo = readHex4(i + 2);
      if (typeof lo === "string") return fail(lo);
      if (lo < 0xdc00 || lo >= 0xe000)
        return fail("second half of escaped surrogate pair is not trailing surrogate");
      i += 6;
      out += String.fromCodePoint(0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
      continue;
    }
    out += String.fromCodePoint(cp);
  }
  return { ok: true, value: out };
}

// ---- Printing ---------------------------------------------------------------------------------------

/** A token in canonical form: constants in their own format, strings JSON-quoted. */
export function formatToken(t: Token): string {
  switch (t.type) {
    case "end":
      return "$";
    case "id":
      return t.name;
    case "string":
      return quoteString(t.value);
    case "integer":
    case "masked-integer":
      return formatConstant(t.constant);
    case "macro":
      return `$${t.name}`;
    case "port-group":
      return `@${t.name}`;
    case "template":
      return `^${t.name}`;
    case "error":
      return `error(${quoteString(t.message)})`;
    default:
      return t.type;
  }
}

export type { IntConstant, IntFormat };
export { constantWidth };
