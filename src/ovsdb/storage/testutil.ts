// Test-only helpers shared by the unit and peer tests of storage/: a schema with one column of every
// shape, and fast-check generators of random transactions over it with an exact model of the result.

import fc from "fast-check";
import type { RowJson } from "./txnrecord.js";

export const TEST_SCHEMA = {
  name: "T",
  version: "1.0.0",
  tables: {
    R: {
      isRoot: true,
      columns: {
        i: { type: "integer" },
        r: { type: "real" },
        b: { type: "boolean" },
        s: { type: "string" },
        u: { type: "uuid" },
        o: { type: { key: "string", min: 0, max: 1 } },
        ss: { type: { key: "string", min: 0, max: "unlimited" } },
        s3: { type: { key: "integer", min: 0, max: 3 } },
        s1: { type: { key: "string", min: 1, max: "unlimited" } },
        m: { type: { key: "string", value: "string", min: 0, max: "unlimited" } },
        mi: { type: { key: "integer", value: "uuid", min: 0, max: "unlimited" } },
        m1: { type: { key: "string", value: "integer", min: 1, max: "unlimited" } },
        e: { type: "string", ephemeral: true },
      },
    },
    Q: { isRoot: true, columns: { name: { type: "string" } } },
  },
};

export const ROW_UUIDS = [
  "0a000000-0000-4000-8000-000000000001",
  "0b000000-0000-4000-8000-000000000002",
  "0c000000-0000-4000-8000-000000000003",
  "0d000000-0000-4000-8000-000000000004",
];

const STRINGS = ["", "a", "b", "é", "😀", 'z\n"q"', "\u00ff", "\uffee"];
const UUIDS = [
  "00000000-0000-0000-0000-000000000000",
  "11111111-2222-3333-4444-555555555555",
  "ffffffff-0000-4000-8000-0000000000aa",
];

const str = fc.constantFrom(...STRINGS);
const uuid = fc.constantFrom(...UUIDS).map((u) => ["uuid", u]);
const asSet = (xs: unknown[]): unknown => ["set", xs];

/** Random values for each column of R, in assorted (not necessarily canonical) JSON forms. */
const COLUMN_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  i: fc.integer({ min: -3, max: 3 }),
  r: fc.constantFrom(0, 1.5, -2.25, 1e10, 0.1),
  b: fc.boolean(),
  s: str,
  u: uuid,
  o: fc.oneof(
    fc.constant(["set", []]),
    str,
    str.map((x) => ["set", [x]]),
  ),
  ss: fc.uniqueArray(str, { maxLength: 5 }).map(asSet),
  s3: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }).map(asSet),
  s1: fc.uniqueArray(str, { minLength: 1, maxLength: 4 }).map((xs) => (xs.length === 1 ? xs[0] : asSet(xs))),
  m: fc.uniqueArray(fc.tuple(str, str), { maxLength: 4, selector: (p) => p[0] }).map((ps) => ["map", ps]),
  mi: fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 4 }), uuid), { maxLength: 3, selector: (p) => p[0] })
    .map((ps) => ["map", ps]),
  m1: fc
    .uniqueArray(fc.tuple(str, fc.integer({ min: 0, max: 2 })), {
      minLength: 1,
      maxLength: 3,
      selector: (p) => p[0],
    })
    .map((ps) => ["map", ps]),
  e: str,
};

/** A row of R with a random subset of columns present (absent ones are defaults). */
export const rowArb: fc.Arbitrary<RowJson> = fc.record(COLUMN_VALUES, {
  requiredKeys: [],
}) as fc.Arbitrary<RowJson>;

export type RowAction =
  | { kind: "none" }
  | { kind: "delete" }
  | { kind: "put"; row: RowJson; partial: boolean };

const actionArb: fc.Arbitrary<RowAction> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "delete" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("put" as const), row: rowArb, partial: fc.boolean() }),
  },
);

/** A transaction: one action per row uuid of ROW_UUIDS. */
export const txnArb: fc.Arbitrary<RowAction[]> = fc.array(actionArb, {
  minLength: ROW_UUIDS.length,
  maxLength: ROW_UUIDS.length,
});

/**
 * Applies a transaction to the model (uuid → row) and returns the change set for buildTxnRecord.
 * A "partial" put on an existing row changes only the columns it lists; others keep their values.
 */
export function applyToModel(
  model: Map<string, RowJson>,
  txn: readonly RowAction[],
): Record<string, Record<string, { old: RowJson | null; new: RowJson | null }>> {
  const changes: Record<string, { old: RowJson | null; new: RowJson | null }> = {};
  txn.forEach((a, i) => {
    const id = ROW_UUIDS[i] ?? "";
    const old = model.get(id) ?? null;
    if (a.kind === "delete" && old !== null) {
      model.delete(id);
      changes[id] = { old, new: null };
    } else if (a.kind === "put") {
      const neu = old !== null && a.partial ? { ...old, ...a.row } : a.row;
      model.set(id, neu);
      changes[id] = { old, new: neu };
    }
  });
  return { R: changes };
}
