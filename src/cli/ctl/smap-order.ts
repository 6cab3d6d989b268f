// The order in which ovn-nbctl prints a string map (options, meters ...): the C IDL hands the map over
// as an smap, a hash table filled in the datum's (sorted) key order, and printing walks that table.
// So the order is a function of the keys alone (../ovsdb/hash-order.ts models the table). Pure.
import type { Datum } from "../../ovsdb/data/datum.js";
import { hashOrder } from "../ovsdb/hash-order.js";

/** The [key, value] pairs of a string map in C's smap iteration order. */
export function smapPairs(d: Datum): [string, string][] {
  const byKey = new Map<string, string>();
  d.keys.forEach((k, i) => {
    byKey.set(String(k), String((d.values ?? [])[i]));
  });
  const sorted = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return hashOrder(sorted).map((k) => [k, byKey.get(k) as string]);
}
