// Datum algebra checked against a naive model (plain JS sets and maps), on random values.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { OvsdbError } from "../error.js";
import {
  type Datum,
  datumApplyDiff,
  datumDiff,
  datumExcludes,
  datumIncludes,
  datumSubtract,
  datumUnion,
  fromUnsorted,
} from "./datum.js";

const err = () => new OvsdbError("ovsdb error", "dup");
const setArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 10 })
  .map((ks) => fromUnsorted(ks, undefined, err));
const mapArb = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom("a", "b", "c")), {
    selector: (p) => p[0],
    maxLength: 10,
  })
  .map((ps) =>
    fromUnsorted(
      ps.map((p) => p[0]),
      ps.map((p) => p[1]),
      err,
    ),
  );

const asMap = (d: Datum) => new Map(d.keys.map((k, i) => [k, d.values?.[i]]));
const asSet = (d: Datum) => new Set(d.keys);
const sorted = (d: Datum) => d.keys.every((k, i) => i === 0 || (d.keys[i - 1] as number) < (k as number));

test("sets: union, subtract, includes, excludes, diff agree with JS sets", () => {
  fc.assert(
    fc.property(setArb, setArb, (a, b) => {
      const A = asSet(a);
      const B = asSet(b);
      const u = datumUnion(a, b);
      assert.ok(sorted(u));
      assert.deepEqual(asSet(u), new Set([...A, ...B]));
      assert.deepEqual(asSet(datumSubtract(a, b, false)), new Set([...A].filter((x) => !B.has(x))));
      assert.equal(
        datumIncludes(a, b),
        [...B].every((x) => A.has(x)),
      );
      assert.equal(
        datumExcludes(a, b),
        [...B].every((x) => !A.has(x)),
      );
      const d = datumDiff(a, b);
      assert.deepEqual(asSet(d), new Set([...A, ...B].filter((x) => A.has(x) !== B.has(x))));
      assert.deepEqual(datumApplyDiff(a, d), b);
    }),
  );
});

test("maps: insert keeps old values, delete by key or pair, diff/apply round-trips", () => {
  fc.assert(
    fc.property(mapArb, mapArb, (a, b) => {
      const A = asMap(a);
      const B = asMap(b);
      const u = datumUnion(a, b);
      const want = new Map(B);
      for (const [k, v] of A) want.set(k, v);
      assert.deepEqual(asMap(u), want);
      assert.deepEqual(asMap(datumSubtract(a, b, true)), new Map([...A].filter(([k]) => !B.has(k))));
      assert.deepEqual(asMap(datumSubtract(a, b, false)), new Map([...A].filter(([k, v]) => B.get(k) !== v)));
      const d = datumDiff(a, b);
      assert.deepEqual(datumApplyDiff(a, d), b);
    }),
  );
});
