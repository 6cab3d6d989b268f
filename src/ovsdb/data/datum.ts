// Datums (RFC 7047 §5.1 <value>): a column's value — a sorted set of atoms, or a map sorted by key.
// Datums are immutable, so row versions share them freely; the empty datum is one shared object.
import { type OvsdbError, plainError, syntaxError } from "../error.js";
import type { Atom, AtomicType, ColumnType } from "../schema/types.js";
import {
  atomFromJson,
  atomText,
  atomToJson,
  checkAtomConstraints,
  compareAtoms,
  defaultAtom,
  type SymbolTable,
} from "./atom.js";

export interface Datum {
  /** Sorted ascending, no duplicates. */
  readonly keys: readonly Atom[];
  /** Present for maps only: values[i] belongs to keys[i]. */
  readonly values?: readonly Atom[];
}

export const EMPTY_SET: Datum = Object.freeze({ keys: Object.freeze([]) as readonly Atom[] });
export const EMPTY_MAP: Datum = Object.freeze({
  keys: Object.freeze([]) as readonly Atom[],
  values: Object.freeze([]) as readonly Atom[],
});

const defaults = new WeakMap<ColumnType, Datum>();

/** The default value of a column type: empty when min is 0, else the one default atom (ovsdb(7)). */
export function defaultDatum(t: ColumnType): Datum {
  let d = defaults.get(t);
  if (d === undefined) {
    if (t.min === 0) d = t.value !== undefined ? EMPTY_MAP : EMPTY_SET;
    else if (t.value !== undefined)
      d = { keys: [defaultAtom(t.key.type)], values: [defaultAtom(t.value.type)] };
    else d = { keys: [defaultAtom(t.key.type)] };
    defaults.set(t, d);
  }
  return d;
}

export function scalar(a: Atom): Datum {
  return { keys: [a] };
}

export function isDefault(d: Datum, t: ColumnType): boolean {
  return datumEquals(d, defaultDatum(t));
}

export function datumEquals(a: Datum, b: Datum): boolean {
  if (a === b) return true;
  const n = a.keys.length;
  if (n !== b.keys.length) return false;
  for (let i = 0; i < n; i++) if (a.keys[i] !== b.keys[i]) return false;
  if (a.values !== undefined && b.values !== undefined) {
    for (let i = 0; i < n; i++) if (a.values[i] !== b.values[i]) return false;
  }
  return true;
}

/** Builds a datum from unsorted keys (and values), rejecting duplicates with `dupError`. */
export function fromUnsorted(keys: Atom[], values: Atom[] | undefined, dupError: () => OvsdbError): Datum {
  const n = keys.length;
  if (n <= 1) return values === undefined ? { keys } : { keys, values };
  let sorted = true;
  for (let i = 1; i < n; i++) {
    const c = compareAtoms(keys[i - 1] as Atom, keys[i] as Atom);
    if (c >= 0) {
      if (c === 0) throw dupError();
      sorted = false;
      break;
    }
  }
  if (sorted) return values === undefined ? { keys } : { keys, values };
  const idx = keys.map((_, i) => i).sort((x, y) => compareAtoms(keys[x] as Atom, keys[y] as Atom));
  const sk = idx.map((i) => keys[i] as Atom);
  for (let i = 1; i < n; i++) if (compareAtoms(sk[i - 1] as Atom, sk[i] as Atom) === 0) throw dupError();
  return values === undefined ? { keys: sk } : { keys: sk, values: idx.map((i) => values[i] as Atom) };
}

// Map keys are a small vocabulary ("neutron:port_name", "requested-chassis" ...) repeated in every row;
// each JSON message brings its own copy of each. Rows keep one shared copy instead.
const interned = new Map<string, string>();
const INTERN_MAX_LENGTH = 64;
const INTERN_MAX_ENTRIES = 4096;

function intern(s: string): string {
  if (s.length > INTERN_MAX_LENGTH) return s;
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  // A vocabulary this large is not one: stop adding rather than hold arbitrary strings forever.
  if (interned.size < INTERN_MAX_ENTRIES) interned.set(s, s);
  return s;
}

function isSetJson(j: unknown): j is ["set", unknown[]] {
  return Array.isArray(j) && j.length === 2 && j[0] === "set" && Array.isArray(j[1]);
}

/**
 * Parses a <value> for a column type. Accepts a bare atom for any set (as Open vSwitch does).
 * Checks syntax and the number of elements; constraints are checked by checkDatumConstraints.
 */
export function datumFromJson(j: unknown, t: ColumnType, symtab: SymbolTable | null): Datum {
  const d = datumFromJsonNoSize(j, t, symtab);
  const n = d.keys.length;
  if (n < t.min || n > t.max) {
    const what = t.value !== undefined ? "map" : "set";
    const max = t.max === Infinity ? "4294967295" : String(t.max);
    throw syntaxError(
      j,
      t.min === 1 && t.max === 1
        ? `${what} must have exactly one member but ${n} are present`
        : `${what} must have ${t.min} to ${max} members but ${n} are present`,
    );
  }
  return d;
}

/** Like datumFromJson but without the size check: for mutation arguments and conditions. */
export function datumFromJsonNoSize(j: unknown, t: ColumnType, symtab: SymbolTable | null): Datum {
  if (t.value !== undefined) {
    if (!(Array.isArray(j) && j.length === 2 && j[0] === "map" && Array.isArray(j[1])))
      throw syntaxError(j, 'expected ["map", <array>]');
    const pairs = j[1] as unknown[];
    const keys: Atom[] = new Array(pairs.length);
    const values: Atom[] = new Array(pairs.length);
    const internKeys = t.key.type === "string";
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      if (!Array.isArray(p) || p.length !== 2) throw syntaxError(p, "expected 2-element array");
      const k = atomFromJson(p[0], t.key, symtab);
      keys[i] = internKeys ? intern(k as string) : k;
      values[i] = atomFromJson(p[1], t.value, symtab);
    }
    return fromUnsorted(keys, values, () => plainError("ovsdb error", "map contains duplicate key"));
  }
  if (isSetJson(j)) {
    const items = j[1];
    const keys: Atom[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) keys[i] = atomFromJson(items[i], t.key, symtab);
    return fromUnsorted(keys, undefined, () => plainError("ovsdb error", "set contains duplicate"));
  }
  return { keys: [atomFromJson(j, t.key, symtab)] };
}

/** Checks every atom against its base type's constraints ("constraint violation"). */
export function checkDatumConstraints(d: Datum, t: ColumnType): void {
  const kb = t.key;
  if (
    kb.enum !== undefined ||
    kb.minInteger !== undefined ||
    kb.maxInteger !== undefined ||
    kb.minReal !== undefined ||
    kb.maxReal !== undefined ||
    kb.minLength !== undefined ||
    kb.maxLength !== undefined
  )
    for (const a of d.keys) checkAtomConstraints(a, kb);
  const vb = t.value;
  if (vb !== undefined && d.values !== undefined) for (const a of d.values) checkAtomConstraints(a, vb);
}

export function datumToJson(d: Datum, t: ColumnType): unknown {
  const kt = t.key.type;
  if (t.value !== undefined) {
    const vt = t.value.type;
    const vals = d.values ?? [];
    const pairs = new Array(d.keys.length);
    for (let i = 0; i < d.keys.length; i++)
      pairs[i] = [atomToJson(d.keys[i] as Atom, kt), atomToJson(vals[i] as Atom, vt)];
    return ["map", pairs];
  }
  if (d.keys.length === 1) return atomToJson(d.keys[0] as Atom, kt);
  return ["set", d.keys.map((a) => atomToJson(a, kt))];
}

/**
 * JSON.stringify(datumToJson(d, t)), built directly as text: records and updates are written for every
 * commit, and the intermediate arrays would be garbage the moment they are serialised.
 */
export function datumJsonText(d: Datum, t: ColumnType): string {
  const kt = t.key.type;
  const keys = d.keys;
  if (t.value !== undefined) {
    const vt = t.value.type;
    const vals = d.values ?? [];
    let out = '["map",[';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out += ",";
      out += `[${atomJsonText(keys[i] as Atom, kt)},${atomJsonText(vals[i] as Atom, vt)}]`;
    }
    return `${out}]]`;
  }
  if (keys.length === 1) return atomJsonText(keys[0] as Atom, kt);
  let out = '["set",[';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ",";
    out += atomJsonText(keys[i] as Atom, kt);
  }
  return `${out}]]`;
}

/** JSON.stringify(atomToJson(a, type)). */
export function atomJsonText(a: Atom, type: AtomicType): string {
  if (type === "uuid") return `["uuid","${a as string}"]`;
  if (typeof a === "string") return JSON.stringify(a);
  return String(a);
}

/** Index of key `a` in sorted `keys`, or -(insertion point) - 1. */
export function findKey(keys: readonly Atom[], a: Atom): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareAtoms(keys[mid] as Atom, a);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** a ∪ b; for maps, keys already in a keep a's value (RFC 7047 "insert" mutator). */
export function datumUnion(a: Datum, b: Datum): Datum {
  if (b.keys.length === 0) return a;
  if (a.keys.length === 0) return b;
  const keys: Atom[] = [];
  const values: Atom[] | undefined = a.values !== undefined ? [] : undefined;
  let i = 0;
  let j = 0;
  while (i < a.keys.length || j < b.keys.length) {
    const c =
      i >= a.keys.length ? 1 : j >= b.keys.length ? -1 : compareAtoms(a.keys[i] as Atom, b.keys[j] as Atom);
    if (c <= 0) {
      keys.push(a.keys[i] as Atom);
      values?.push((a.values as readonly Atom[])[i] as Atom);
      i++;
      if (c === 0) j++;
    } else {
      keys.push(b.keys[j] as Atom);
      values?.push((b.values as readonly Atom[])[j] as Atom);
      j++;
    }
  }
  return values === undefined ? { keys } : { keys, values };
}

/**
 * a minus b. For a map `a` and a set `b`: removes the keys in b. For maps both: removes pairs whose key
 * and value both match (RFC 7047 "delete" mutator).
 */
export function datumSubtract(a: Datum, b: Datum, bIsKeysOnly: boolean): Datum {
  if (a.keys.length === 0 || b.keys.length === 0) return a;
  const keys: Atom[] = [];
  const values: Atom[] | undefined = a.values !== undefined ? [] : undefined;
  for (let i = 0; i < a.keys.length; i++) {
    const k = a.keys[i] as Atom;
    const j = findKey(b.keys, k);
    let remove = j >= 0;
    if (remove && a.values !== undefined && !bIsKeysOnly)
      remove = (b.values as readonly Atom[])[j] === a.values[i];
    if (!remove) {
      keys.push(k);
      values?.push((a.values as readonly Atom[])[i] as Atom);
    }
  }
  if (keys.length === a.keys.length) return a;
  return values === undefined ? { keys } : { keys, values };
}

/** Does `a` include every element (set) or pair (map) of `b`? */
export function datumIncludes(a: Datum, b: Datum): boolean {
  for (let j = 0; j < b.keys.length; j++) {
    const i = findKey(a.keys, b.keys[j] as Atom);
    if (i < 0) return false;
    if (a.values !== undefined && b.values !== undefined && a.values[i] !== b.values[j]) return false;
  }
  return true;
}

/** Does `a` contain none of the elements (set) or pairs (map) of `b`? */
export function datumExcludes(a: Datum, b: Datum): boolean {
  for (let j = 0; j < b.keys.length; j++) {
    const i = findKey(a.keys, b.keys[j] as Atom);
    if (i >= 0 && (a.values === undefined || b.values === undefined || a.values[i] === b.values[j]))
      return false;
  }
  return true;
}

/**
 * The update2 "diff" between two values (ovsdb-server(7) §4.1.14): for sets the symmetric difference,
 * for maps the pairs whose keys are in only one map plus changed pairs with their new value.
 */
export function datumDiff(oldD: Datum, newD: Datum): Datum {
  const keys: Atom[] = [];
  const values: Atom[] | undefined = newD.values !== undefined ? [] : undefined;
  let i = 0;
  let j = 0;
  const ok = oldD.keys;
  const nk = newD.keys;
  while (i < ok.length || j < nk.length) {
    const c = i >= ok.length ? 1 : j >= nk.length ? -1 : compareAtoms(ok[i] as Atom, nk[j] as Atom);
    if (c < 0) {
      keys.push(ok[i] as Atom);
      values?.push((oldD.values as readonly Atom[])[i] as Atom);
      i++;
    } else if (c > 0) {
      keys.push(nk[j] as Atom);
      values?.push((newD.values as readonly Atom[])[j] as Atom);
      j++;
    } else {
      if (
        values !== undefined &&
        (oldD.values as readonly Atom[])[i] !== (newD.values as readonly Atom[])[j]
      ) {
        keys.push(nk[j] as Atom);
        values.push((newD.values as readonly Atom[])[j] as Atom);
      }
      i++;
      j++;
    }
  }
  return values === undefined ? { keys } : { keys, values };
}

/**
 * Applies an update2 diff (used by clients and by log replay). The difference is symmetric — a key in
 * only one side is kept, an identical pair cancels, a changed value comes from the second argument — so
 * applying it is the same merge as computing it: apply(old, diff(old, new)) = new.
 */
export const datumApplyDiff: (oldD: Datum, diff: Datum) => Datum = datumDiff;

/** A stable text key for index maps. */
export function datumKey(d: Datum): string {
  if (d.keys.length === 1 && d.values === undefined) {
    const a = d.keys[0];
    return typeof a === "string" ? `s${a}` : `${typeof a}${String(a)}`;
  }
  return JSON.stringify(d.values === undefined ? d.keys : [d.keys, d.values]);
}

/** A datum as ovsdb-server writes it in messages: `a`, `[a, b]`, `{k=v}`. */
export function datumText(d: Datum, t: ColumnType): string {
  const kt = t.key.type;
  if (t.value !== undefined) {
    const vt = t.value.type;
    return `{${d.keys.map((k, i) => `${atomText(k, kt)}=${atomText((d.values as readonly Atom[])[i] as Atom, vt)}`).join(", ")}}`;
  }
  if (t.min === 1 && t.max === 1 && d.keys.length === 1) return atomText(d.keys[0] as Atom, kt);
  return `[${d.keys.map((k) => atomText(k, kt)).join(", ")}]`;
}
