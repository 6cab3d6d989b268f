// matchKey against formatMatch: two matches get the same key exactly when they print the same.  The
// random matches draw from a few fields that formatMatch merges or renames (wide registers and their
// 32-bit halves, in_port and in_port_oxm, ip_dscp and nw_tos, repeated fields, full and absent masks),
// with small values so that equal matches written differently come up often.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fullMask } from "./fields.js";
import type { FieldName, MatchField } from "./model.js";
import { formatMatch, matchKey } from "./text.js";

const FIELDS: readonly FieldName[] = [
  "reg0",
  "reg1",
  "xreg0",
  "in_port",
  "in_port_oxm",
  "ip_dscp",
  "nw_tos",
  "metadata",
  "eth_type",
];

const field = (): fc.Arbitrary<MatchField> =>
  fc
    .record({
      field: fc.constantFrom(...FIELDS),
      value: fc.bigInt({ min: 0n, max: 3n }),
      mask: fc.constantFrom<"full" | "none" | "low" | "zero">("full", "none", "low", "zero"),
    })
    .map(({ field, value, mask }): MatchField => {
      if (mask === "none") return { field, value };
      const m = mask === "full" ? fullMask(field) : mask === "low" ? 3n : 0n;
      return { field, value: value & m, mask: m };
    });

test("matchKey: equal exactly when formatMatch prints the same", () => {
  let equalPairs = 0;
  fc.assert(
    fc.property(fc.array(field(), { maxLength: 3 }), fc.array(field(), { maxLength: 3 }), (a, b) => {
      const sameText = formatMatch(a) === formatMatch(b);
      if (sameText) equalPairs++;
      assert.equal(matchKey(a) === matchKey(b), sameText, `${formatMatch(a)} vs ${formatMatch(b)}`);
    }),
    { numRuns: 3000, seed: 7 },
  );
  // The generator must produce equal matches written differently, or the test shows nothing.
  assert.ok(equalPairs > 50, `only ${equalPairs} equal pairs`);
});

test("matchKey: field order and wide registers do not matter", () => {
  const a: MatchField[] = [
    { field: "metadata", value: 5n },
    { field: "xreg0", value: 0x1_0000_0002n, mask: 0xffff_ffff_ffff_ffffn },
  ];
  const b: MatchField[] = [
    { field: "reg1", value: 2n },
    { field: "reg0", value: 1n, mask: 0xffff_ffffn },
    { field: "metadata", value: 5n, mask: fullMask("metadata") },
  ];
  assert.equal(matchKey(a), matchKey(b));
  assert.notEqual(matchKey(a), matchKey([...b, { field: "in_port", value: 1n }]));
});
