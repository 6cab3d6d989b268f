// Column values as ovs-vsctl-style command lines write them: `a`, `"a b"`, `[a, b]`, `{k=v}`, uuids and
// `@name` references to rows created by the same command line. Parsing and printing, no I/O.
import type { Datum } from "../../ovsdb/data/datum.js";
import type { Atom, AtomicType, BaseType, ColumnType } from "../../ovsdb/schema/types.js";

/** A command-line error: printed as "PROGRAM: message" with exit code 1. */
export class CtlError extends Error {
  override readonly name = "CtlError";

  constructor(
    message: string,
    /**
     * Errors the command raised before this one, which the C tools log (db_ctl_base ERR "Discarding
     * unhandled error: ...") before printing the last.
     */
    readonly discarded: readonly string[] = [],
  ) {
    super(message);
  }
}

/** `@name` → the uuid (a transaction placeholder) of a row created by an earlier `--id=@name create`. */
export type Symbols = Map<string, string>;

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

const PLAIN_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** An atom as the ctl tools print it: strings bare when they are plain words. */
export function atomToText(a: Atom, type: AtomicType): string {
  if (type === "string") {
    const s = a as string;
    return PLAIN_RE.test(s) && s !== "true" && s !== "false" ? s : JSON.stringify(s);
  }
  if (type === "real") return realText(a as number);
  return String(a);
}

function realText(n: number): string {
  // C's "%.*g" with DBL_DIG+2 digits, then the shortest form that reads back the same.
  let s = String(n);
  if (!s.includes(".") && !s.includes("e")) s = String(n);
  return s;
}

/** A column value as printed by list/get: scalars bare, sets in [], maps in {}. */
export function datumToText(d: Datum, t: ColumnType): string {
  if (t.value !== undefined) {
    const vt = t.value.type;
    const vals = d.values ?? [];
    return `{${d.keys.map((k, i) => `${atomToText(k, t.key.type)}=${atomToText(vals[i] as Atom, vt)}`).join(", ")}}`;
  }
  if (t.max === 1 && d.keys.length === 1) return atomToText(d.keys[0] as Atom, t.key.type);
  return `[${d.keys.map((k) => atomToText(k, t.key.type)).join(", ")}]`;
}

/** The bare form (--bare, --format=bare): no brackets, elements one per space, maps as k=v. */
export function datumToBare(d: Datum, t: ColumnType): string {
  if (t.value !== undefined) {
    const vals = d.values ?? [];
    return d.keys
      .map(
        (k, i) => `${atomToText(k, t.key.type)}=${atomToText(vals[i] as Atom, (t.value as BaseType).type)}`,
      )
      .join(" ");
  }
  return d.keys.map((k) => atomToText(k, t.key.type)).join(" ");
}

const TYPE_WORDS: Record<AtomicType, [string, string]> = {
  integer: ["integer", "integers"],
  real: ["real", "reals"],
  boolean: ["boolean", "booleans"],
  string: ["string", "strings"],
  uuid: ["uuid", "uuids"],
};

/** How ovsdb describes a type in error messages ("string", "set of strings", "map of string-string pairs"). */
export function typeDescription(t: ColumnType): string {
  const k = t.key.type;
  if (t.value !== undefined) return `map of ${k}-${t.value.type} pairs`;
  if (t.max === 1 && t.min === 1) return TYPE_WORDS[k][0];
  if (t.max === 1) return `optional ${TYPE_WORDS[k][0]}`;
  return `set of ${TYPE_WORDS[k][1]}`;
}

/** Parses one atom written as a whole argument (a map key or value after `col:key=`). */
export function atomFromText(s: string, base: BaseType, symbols: Symbols): Atom {
  switch (base.type) {
    case "integer": {
      if (!/^[-+]?[0-9]+$/.test(s)) throw new CtlError(`"${s}" is not a valid integer or range`);
      return Number(s);
    }
    case "real": {
      const n = Number(s);
      if (s.trim() === "" || !Number.isFinite(n)) throw new CtlError(`"${s}" is not a valid real number`);
      return n;
    }
    case "boolean":
      if (s === "true") return true;
      if (s === "false") return false;
      throw new CtlError(`"${s}" is not a valid boolean (use "true" or "false")`);
    case "string":
      return s.startsWith('"') ? unquote(s) : s;
    case "uuid": {
      if (s.startsWith("@")) {
        const u = symbols.get(s);
        if (u === undefined)
          throw new CtlError(
            `row id "${s}" is referenced but never created (e.g. with "-- --id=${s} create ...")`,
          );
        return u;
      }
      if (!isUuid(s)) throw new CtlError(`"${s}" is not a valid UUID`);
      return s.toLowerCase();
    }
  }
}

function unquote(s: string): string {
  try {
    const v: unknown = JSON.parse(s);
    if (typeof v === "string") return v;
  } catch {
    // fall through
  }
  throw new CtlError(`${s}: syntax error parsing string`);
}

const DELIMS = ":=, \t\n[]{}!<>";

/** Splits off one token: a quoted string (kept quoted) or a run of non-delimiter characters. */
function token(s: string, pos: number): [string, number] {
  if (s[pos] === '"') {
    let i = pos + 1;
    while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
    if (i >= s.length) throw new CtlError(`${s}: missing quote at end of quoted string`);
    return [s.slice(pos, i + 1), i + 1];
  }
  let i = pos;
  while (i < s.length && !DELIMS.includes(s[i] as string)) i++;
  return [s.slice(pos, i), i];
}

function skipSpace(s: string, pos: number): number {
  while (pos < s.length && /\s/.test(s[pos] as string)) pos++;
  return pos;
}

/** Parses a whole column value: `a`, `[a,b c]`, `{k=v, k2=v2}`, `k=v`, `[]`. */
export function datumFromText(s: string, t: ColumnType, symbols: Symbols): Datum {
  const isMap = t.value !== undefined;
  let pos = skipSpace(s, 0);
  const open = isMap ? "{" : "[";
  const close = isMap ? "}" : "]";
  const bracketed = s[pos] === open;
  if (bracketed) pos++;
  const keys: Atom[] = [];
  const values: Atom[] = [];
  const desc = typeDescription(t);
  for (;;) {
    pos = skipSpace(s, pos);
    if (pos >= s.length || (bracketed && s[pos] === close)) break;
    const [kt, p1] = token(s, pos);
    if (kt === "") throw new CtlError(`${s}: unexpected "${s[p1]}" parsing ${desc}`);
    keys.push(atomFromText(kt, t.key, symbols));
    pos = p1;
    if (isMap) {
      if (s[pos] !== "=") throw new CtlError(`${s}: syntax error at end of input parsing ${desc}`);
      const [vt, p2] = token(s, pos + 1);
      values.push(atomFromText(vt, t.value as BaseType, symbols));
      pos = p2;
    }
    pos = skipSpace(s, pos);
    if (pos < s.length && s[pos] === ",") pos++;
    else if (pos < s.length && !(bracketed && s[pos] === close) && !/\s/.test(s[pos - 1] ?? ""))
      throw new CtlError(`${s}: unexpected "${s[pos]}" parsing ${desc}`);
  }
  if (bracketed) {
    if (s[pos] !== close) throw new CtlError(`${s}: missing "${close}" at end of ${desc}`);
    pos = skipSpace(s, pos + 1);
    if (pos < s.length) throw new CtlError(`${s}: trailing garbage after "${close}"`);
  }
  if (!isMap && t.max === 1 && keys.length > 1 && !bracketed)
    throw new CtlError(`${s}: unexpected "${s.trim().slice(String(keys[0]).length)[0]}" parsing ${desc}`);
  return sortDatum(keys, isMap ? values : undefined);
}

/** Sorts atoms (and their values), dropping duplicate keys (the later wins for maps). */
export function sortDatum(keys: Atom[], values: Atom[] | undefined): Datum {
  const idx = keys.map((_, i) => i).sort((a, b) => cmp(keys[a] as Atom, keys[b] as Atom) || a - b);
  const outK: Atom[] = [];
  const outV: Atom[] = [];
  for (const i of idx) {
    const k = keys[i] as Atom;
    if (outK.length > 0 && cmp(outK[outK.length - 1] as Atom, k) === 0) {
      if (values !== undefined) outV[outV.length - 1] = values[i] as Atom;
      continue;
    }
    outK.push(k);
    if (values !== undefined) outV.push(values[i] as Atom);
  }
  return values === undefined ? { keys: outK } : { keys: outK, values: outV };
}

function cmp(a: Atom, b: Atom): number {
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}
