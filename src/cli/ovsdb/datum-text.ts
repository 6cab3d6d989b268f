// Column values as the OVSDB tools print them. A value arrives as RFC 7047 JSON; like the C tools we
// parse it against the column's type (sorting set elements and map keys) and print it in one of three
// forms (ovsdb-client(1) --data):
//   string  the ovs-vsctl(8) "Database Values" syntax: `a`, `"a b"`, `[1, 2]`, `{k=v}`; a value of a
//           column holding at most one element is printed bare, other sets in brackets;
//   bare    the same without punctuation: elements separated by spaces, strings never quoted;
//   json    the value's RFC 7047 JSON.
// Integers are bigints here, so 64-bit values print exactly. Strings are quoted unless they are a
// plain word: a letter or "_" followed by letters, digits, "_", "-" or "." — and not "true", "false"
// or something that reads as a UUID (observed from ovsdb-client 3.1).
import type { AtomicType, BaseType, ColumnType } from "../../ovsdb/schema/types.js";
import { formatReal } from "./cformat.js";
import { compareBytes, type OJson, OReal } from "./ovs-json.js";

export type CAtom = bigint | number | boolean | string;

export interface CDatum {
  /** Sorted ascending. */
  readonly keys: readonly CAtom[];
  /** Present for maps: values[i] belongs to keys[i]. */
  readonly values?: readonly CAtom[];
}

export type DataFormat = "string" | "bare" | "json";

export class DatumSyntaxError extends Error {
  override readonly name = "DatumSyntaxError";
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuidText(s: string): boolean {
  return UUID_RE.test(s);
}

export function atomFromOJson(j: OJson, type: AtomicType): CAtom {
  switch (type) {
    case "integer":
      if (typeof j === "bigint") return j;
      if (typeof j === "number" && Number.isInteger(j)) return BigInt(j);
      break;
    case "real":
      if (typeof j === "number") return j;
      if (typeof j === "bigint") return Number(j);
      if (j instanceof OReal) return j.value;
      break;
    case "boolean":
      if (typeof j === "boolean") return j;
      break;
    case "string":
      if (typeof j === "string") return j;
      break;
    case "uuid":
      if (
        Array.isArray(j) &&
        j.length === 2 &&
        j[0] === "uuid" &&
        typeof j[1] === "string" &&
        isUuidText(j[1])
      )
        return j[1].toLowerCase();
      break;
  }
  throw new DatumSyntaxError(`expected ${type}`);
}

export function atomToOJson(a: CAtom, type: AtomicType): OJson {
  if (type === "uuid") return ["uuid", a as string];
  if (type === "real") return new OReal(a as number);
  return a;
}

export function compareAtoms(a: CAtom, b: CAtom): number {
  if (a === b) return 0;
  if (typeof a === "string") return compareBytes(a, b as string);
  if (typeof a === "boolean") return a ? 1 : -1;
  return a < (b as bigint | number) ? -1 : a > (b as bigint | number) ? 1 : 0;
}

/**
 * Parses a value (or an update2 difference, which has no size limits) for a column type. Set elements
 * may be given bare, as RFC 7047 allows for one element.
 */
export function datumFromOJson(j: OJson, t: ColumnType): CDatum {
  if (t.value !== undefined) {
    if (!(Array.isArray(j) && j.length === 2 && j[0] === "map" && Array.isArray(j[1])))
      throw new DatumSyntaxError('expected ["map", <array>]');
    const pairs = (j[1] as OJson[]).map((p) => {
      if (!Array.isArray(p) || p.length !== 2) throw new DatumSyntaxError("expected 2-element array");
      return [
        atomFromOJson(p[0] as OJson, t.key.type),
        atomFromOJson(p[1] as OJson, (t.value as BaseType).type),
      ] as const;
    });
    pairs.sort((x, y) => compareAtoms(x[0], y[0]));
    return { keys: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]) };
  }
  const items =
    Array.isArray(j) && j.length === 2 && j[0] === "set" && Array.isArray(j[1]) ? (j[1] as OJson[]) : [j];
  const keys = items.map((x) => atomFromOJson(x, t.key.type));
  keys.sort(compareAtoms);
  return { keys };
}

export function datumToOJson(d: CDatum, t: ColumnType): OJson {
  const kt = t.key.type;
  if (t.value !== undefined) {
    const vt = t.value.type;
    return [
      "map",
      d.keys.map((k, i) => [atomToOJson(k, kt), atomToOJson((d.values as readonly CAtom[])[i] as CAtom, vt)]),
    ];
  }
  if (d.keys.length === 1) return atomToOJson(d.keys[0] as CAtom, kt);
  return ["set", d.keys.map((k) => atomToOJson(k, kt))];
}

/** C's ovsdb_datum_compare_3way: fewer elements first, then element by element, keys before values. */
export function compareDatums(a: CDatum, b: CDatum): number {
  if (a.keys.length !== b.keys.length) return a.keys.length < b.keys.length ? -1 : 1;
  for (const [x, y] of [
    [a.keys, b.keys],
    [a.values ?? [], b.values ?? []],
  ] as const) {
    for (let i = 0; i < x.length && i < y.length; i++) {
      const c = compareAtoms(x[i] as CAtom, y[i] as CAtom);
      if (c !== 0) return c;
    }
  }
  return 0;
}

function stringNeedsQuotes(s: string): boolean {
  return !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) || s === "true" || s === "false" || isUuidText(s);
}

/** One atom in the string (quoted when needed) or bare (never quoted) form. */
export function atomToText(a: CAtom, type: AtomicType, bare = false): string {
  switch (type) {
    case "real":
      return formatReal(a as number);
    case "string": {
      const s = a as string;
      return !bare && stringNeedsQuotes(s) ? JSON.stringify(s) : s;
    }
    default:
      return String(a);
  }
}

/** A value in the string or bare form. */
export function datumToText(d: CDatum, t: ColumnType, bare = false): string {
  const kt = t.key.type;
  if (t.value !== undefined) {
    const vt = t.value.type;
    const pairs = d.keys.map(
      (k, i) =>
        `${atomToText(k, kt, bare)}=${atomToText((d.values as readonly CAtom[])[i] as CAtom, vt, bare)}`,
    );
    return bare ? pairs.join(" ") : `{${pairs.join(", ")}}`;
  }
  const atoms = d.keys.map((k) => atomToText(k, kt, bare));
  if (bare) return atoms.join(" ");
  if (t.max === 1 && atoms.length === 1) return atoms[0] as string;
  return `[${atoms.join(", ")}]`;
}
