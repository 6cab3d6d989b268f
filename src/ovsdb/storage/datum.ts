// Column values in RFC 7047 JSON notation, as the storage layer needs them: parse and validate the
// shape, compare, render in the canonical form the C tools print, and compute/apply the differences
// written in "_is_diff" records.
//
// Canonical form (what ovsdb-tool query prints): a set of exactly one element is the bare atom, other
// sets are ["set", [sorted atoms]], maps are ["map", [[k, v] sorted by key]], uuids are ["uuid", "<lowercase>"].
// Atoms sort like the C implementation: numbers numerically, strings by code point (= UTF-8 bytes),
// false before true, uuids by their hex text.
//
// Difference semantics (observed in files written by ovsdb-tool/ovsdb-server 3.1, and checked against
// what ovsdb-tool query reads back):
//   set: the symmetric difference; applying toggles each element.
//   map: removed keys with their old value, added keys and changed keys with their new value; applying a
//        pair removes the key if the current value equals it, else sets the key to it.

import type { AtomicType, StorageColumn } from "./columns.js";

/** One element of a set (key only) or map (key and value); `k` is the comparison key of `key`. */
interface Entry {
  readonly k: string;
  readonly key: unknown;
  readonly value?: unknown;
  readonly vk?: string;
}

/** A parsed column value: its elements by comparison key. */
export type Datum = ReadonlyMap<string, Entry>;

export class DatumError extends Error {
  override readonly name = "DatumError";
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

export function isUuidString(s: unknown): s is string {
  return typeof s === "string" && UUID_RE.test(s);
}

/**
 * Parses `json` as a value of `col`. A difference (`asDiff`) has no count bounds: it may be empty-or-larger
 * than the column allows, since it is not a value.
 */
export function parseDatum(col: StorageColumn, json: unknown, asDiff = false): Datum {
  const out = new Map<string, Entry>();
  if (col.kind === "map") {
    const pairs = tagged(json, "map");
    if (pairs === undefined) throw new DatumError(`${col.name}: expected ["map", [...]]`);
    for (const p of pairs) {
      if (!Array.isArray(p) || p.length !== 2)
        throw new DatumError(`${col.name}: map pair must be [key, value]`);
      const key = parseAtom(col.keyType, p[0], col.name);
      const value = parseAtom(col.valueType ?? "string", p[1], col.name);
      const k = atomKey(col.keyType, key);
      if (out.has(k)) throw new DatumError(`${col.name}: map contains duplicate key`);
      out.set(k, { k, key, value, vk: atomKey(col.valueType ?? "string", value) });
    }
  } else {
    const atoms = tagged(json, "set") ?? [json];
    for (const a of atoms) {
      const key = parseAtom(col.keyType, a, col.name);
      const k = atomKey(col.keyType, key);
      if (out.has(k)) throw new DatumError(`${col.name}: set contains duplicate`);
      out.set(k, { k, key });
    }
  }
  if (!asDiff) checkCount(col, out.size);
  return out;
}

export function checkCount(col: StorageColumn, n: number): void {
  if (n < col.min || n > col.max) {
    const max = col.max === Number.POSITIVE_INFINITY ? "unlimited" : String(col.max);
    throw new DatumError(`${col.name}: value must have ${col.min} to ${max} members but ${n} are present`);
  }
}

/** The canonical JSON of a parsed value (see the header comment). */
export function renderDatum(col: StorageColumn, d: Datum): unknown {
  const entries = [...d.values()].sort((a, b) => compareAtoms(col.keyType, a.key, b.key));
  if (col.kind === "map") return ["map", entries.map((e) => [e.key, e.value])];
  if (entries.length === 1) return entries[0]?.key;
  return ["set", entries.map((e) => e.key)];
}

/** The RFC 7047 §5.2.1 default: empty when min is 0, else one default atom (or pair). */
export function defaultDatum(col: StorageColumn): Datum {
  const out = new Map<string, Entry>();
  if (col.min === 0) return out;
  const key = defaultAtom(col.keyType);
  const k = atomKey(col.keyType, key);
  if (col.kind === "map") {
    const vt = col.valueType ?? "string";
    const value = defaultAtom(vt);
    out.set(k, { k, key, value, vk: atomKey(vt, value) });
  } else {
    out.set(k, { k, key });
  }
  return out;
}

export function datumsEqual(a: Datum, b: Datum): boolean {
  if (a.size !== b.size) return false;
  for (const [k, e] of a) {
    const f = b.get(k);
    if (f === undefined || f.vk !== e.vk) return false;
  }
  return true;
}

/** The difference that turns `from` into `to` (sets and maps only). */
export function diffDatums(from: Datum, to: Datum): Datum {
  const out = new Map<string, Entry>();
  for (const [k, e] of from) {
    const f = to.get(k);
    if (f === undefined) out.set(k, e);
    else if (f.vk !== e.vk) out.set(k, f);
  }
  for (const [k, e] of to) if (!from.has(k)) out.set(k, e);
  return out;
}

/** Applies a difference made by diffDatums (or read from a file) to `from`. */
export function applyDiff(from: Datum, diff: Datum): Datum {
  const out = new Map(from);
  for (const [k, e] of diff) {
    const cur = out.get(k);
    if (cur !== undefined && cur.vk === e.vk) out.delete(k);
    else out.set(k, e);
  }
  return out;
}

function tagged(json: unknown, tag: string): unknown[] | undefined {
  if (Array.isArray(json) && json.length === 2 && json[0] === tag && Array.isArray(json[1])) return json[1];
  return undefined;
}

function parseAtom(type: AtomicType, json: unknown, where: string): unknown {
  switch (type) {
    case "integer":
      if ((typeof json === "number" && Number.isInteger(json)) || typeof json === "bigint") return json;
      break;
    case "real":
      if ((typeof json === "number" && Number.isFinite(json)) || typeof json === "bigint") return json;
      break;
    case "boolean":
      if (typeof json === "boolean") return json;
      break;
    case "string":
      if (typeof json === "string") return json;
      break;
    case "uuid":
      if (Array.isArray(json) && json.length === 2 && json[0] === "uuid" && isUuidString(json[1])) {
        return ["uuid", json[1].toLowerCase()];
      }
      break;
  }
  throw new DatumError(`${where}: ${JSON.stringify(json, bigintSafe)} is not a valid ${type}`);
}

function defaultAtom(type: AtomicType): unknown {
  const defaults: Record<AtomicType, unknown> = {
    integer: 0,
    real: 0,
    boolean: false,
    string: "",
    uuid: ["uuid", ZERO_UUID],
  };
  return defaults[type];
}

function atomKey(type: AtomicType, atom: unknown): string {
  if (type === "uuid") return (atom as [string, string])[1];
  return String(atom);
}

export function compareAtoms(type: AtomicType, a: unknown, b: unknown): number {
  switch (type) {
    case "integer":
    case "real":
      return compareNumbers(a as number | bigint, b as number | bigint);
    case "boolean":
      return Number(a) - Number(b);
    case "string":
      return compareCodePoints(a as string, b as string);
    case "uuid":
      return compareCodePoints((a as [string, string])[1], (b as [string, string])[1]);
  }
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code point order, which is also the byte order of the UTF-8 encodings (the C tools' strcmp). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

// Moves surrogates (U+D800–DFFF, i.e. code points above U+FFFF) above U+E000–FFFF.
function fixup(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}
