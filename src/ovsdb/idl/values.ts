// Conversions between the three forms a column value takes in the IDL: the datum an update is parsed
// into (shared with the server code), the typed value a row exposes (the only form the replica keeps),
// and the JSON that goes on the wire.
import type { Json } from "../../jsonrpc/json.js";
import type { Datum } from "../data/datum.js";
import type { Atom, BaseType } from "../schema/types.js";
import type { ColumnModel } from "./model.js";

/** How a uuid atom is written: ["uuid", u] normally, ["named-uuid", n] for a row inserted by the same txn. */
export type UuidJson = (uuid: string) => Json;

export const plainUuidJson: UuidJson = (u) => ["uuid", u];

/**
 * The value of every empty map column of every typed row: most rows leave most of their maps empty
 * (external_ids, other_config, options ...), and a Map costs ~200 bytes even when empty.  A plain Map
 * (so that it compares equal to `new Map()`) whose set/delete/clear throw, as it is shared.
 */
const EMPTY_MAP: ReadonlyMap<Atom, Atom> = readOnlyEmptyMap();

function readOnlyEmptyMap(): ReadonlyMap<Atom, Atom> {
  const m = new Map<Atom, Atom>();
  for (const op of ["set", "delete", "clear"])
    Object.defineProperty(m, op, {
      enumerable: false,
      value: () => {
        throw new TypeError(`a typed row's map is read-only (${op})`);
      },
    });
  return m;
}

/** The typed value of a datum. Set values share the datum's (immutable, sorted) key array. */
export function datumToValue(c: ColumnModel, d: Datum): unknown {
  switch (c.kind) {
    case "scalar":
      return d.keys[0];
    case "optional":
      return d.keys[0];
    case "set":
      return d.keys;
    case "map": {
      if (d.keys.length === 0) return EMPTY_MAP;
      const values = d.values ?? [];
      const m = new Map<Atom, Atom>();
      for (let i = 0; i < d.keys.length; i++) m.set(d.keys[i] as Atom, values[i] as Atom);
      return m;
    }
  }
}

/**
 * The datum of a typed value (what datumToValue made it from): the replica keeps only typed rows and
 * makes a column's datum again for an update2 diff.  Set values are the datum's own sorted key array,
 * and a map's entries are in the datum's key order, so no sorting is needed.
 */
export function valueDatum(c: ColumnModel, v: unknown): Datum {
  switch (c.kind) {
    case "scalar":
      return { keys: [v as Atom] };
    case "optional":
      return v === undefined ? { keys: [] } : { keys: [v as Atom] };
    case "set":
      return { keys: v as readonly Atom[] };
    case "map": {
      const m = v as ReadonlyMap<Atom, Atom>;
      return { keys: [...m.keys()], values: [...m.values()] };
    }
  }
}

/** Whether two typed values of column `c` (as datumToValue makes them) are equal. */
export function sameValue(c: ColumnModel, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  switch (c.kind) {
    case "scalar":
    case "optional":
      return false;
    case "set": {
      const x = a as readonly Atom[];
      const y = b as readonly Atom[];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    }
    case "map": {
      const x = a as ReadonlyMap<Atom, Atom>;
      const y = b as ReadonlyMap<Atom, Atom>;
      if (x.size !== y.size) return false;
      for (const [k, v] of x) if (y.get(k) !== v || (v === undefined && !y.has(k))) return false;
      return true;
    }
  }
}

function badValue(c: ColumnModel, v: unknown, what: string): TypeError {
  const shown = v instanceof Map ? "a Map" : (JSON.stringify(v) ?? String(v));
  return new TypeError(`column ${c.name}: expected ${what}, got ${shown}`);
}

/** One atom as wire JSON; throws TypeError when the JavaScript type does not fit the column's. */
export function atomJson(c: ColumnModel, base: BaseType, a: unknown, uuid: UuidJson): Json {
  switch (base.type) {
    case "integer":
      if (typeof a === "number" && Number.isInteger(a)) return a;
      throw badValue(c, a, "an integer");
    case "real":
      if (typeof a === "number" && Number.isFinite(a)) return a;
      throw badValue(c, a, "a number");
    case "boolean":
      if (typeof a === "boolean") return a;
      throw badValue(c, a, "a boolean");
    case "string":
      if (typeof a === "string") return a;
      throw badValue(c, a, "a string");
    case "uuid":
      if (typeof a === "string") return uuid(a);
      throw badValue(c, a, "a uuid string");
  }
}

/**
 * A typed value as wire JSON (RFC 7047 <value>), for rows, conditions and mutations. Accepts what the
 * column's kind allows, and also: one element for a set, and an array of keys for a map (the key-only
 * form that a map "delete" mutation takes).
 */
export function valueJson(c: ColumnModel, v: unknown, uuid: UuidJson): Json {
  const key = c.type.key;
  if (c.kind === "map") {
    if (v instanceof Map) {
      const value = c.type.value as BaseType;
      const pairs: Json[] = [];
      for (const [k, x] of v) pairs.push([atomJson(c, key, k, uuid), atomJson(c, value, x, uuid)]);
      return ["map", pairs];
    }
    if (Array.isArray(v)) return ["set", v.map((k) => atomJson(c, key, k, uuid))];
    throw badValue(c, v, "a Map");
  }
  if (Array.isArray(v)) {
    if (c.kind === "scalar" && v.length === 1) return atomJson(c, key, v[0], uuid);
    return ["set", v.map((a) => atomJson(c, key, a, uuid))];
  }
  if (v === undefined) {
    if (c.kind === "scalar") throw badValue(c, v, "a value");
    return ["set", []];
  }
  return atomJson(c, key, v, uuid);
}
