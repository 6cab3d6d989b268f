import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { structEqual, structHash, structKey } from "./struct-key.js";

// Values shaped like flows: nested objects and arrays of numbers, bigints, strings, booleans, null,
// undefined and bytes, drawn from small domains so that equal values come up often.
const leaf = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0x7fffffff, 0xffffffff, 2 ** 40, 1.5, -0, Number.NaN),
  fc.bigInt({ min: 0n, max: 3n }),
  fc.constantFrom("", "a", "1", "ab"),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 2, max: 2 }),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("arr"), tie("obj")),
  arr: fc.array(tie("v"), { maxLength: 3 }),
  obj: fc.dictionary(fc.constantFrom("a", "b", "c"), tie("v"), { maxKeys: 3 }),
})).v;

test("structEqual says what equal structKeys say; equal values hash alike", () => {
  fc.assert(
    fc.property(value, value, (a, b) => {
      const same = structKey(a) === structKey(b);
      assert.equal(structEqual(a, b), same);
      if (same) assert.equal(structHash(a), structHash(b));
    }),
    { numRuns: 3000 },
  );
});

test("structHash tells apart what structKey tells apart (on these small values, no collision)", () => {
  const seen = new Map<number, string>();
  fc.assert(
    fc.property(value, (a) => {
      const k = structKey(a);
      const h = structHash(a);
      const prev = seen.get(h);
      if (prev !== undefined) assert.equal(prev, k);
      else seen.set(h, k);
    }),
    { numRuns: 3000 },
  );
  // Kinds that print alike in other encodings stay apart.
  assert.notEqual(structHash(1), structHash("1"));
  assert.notEqual(structHash([]), structHash({}));
  assert.notEqual(structHash(1n), structHash(1));
  assert.notEqual(
    structHash({ a: 1, b: 2 }),
    structHash({ b: 2, a: 1 }),
    "key order counts, as in structKey",
  );
});
