import assert from "node:assert/strict";
import { test } from "node:test";
import { median, meetsTarget, percentile, perSecond, ratio, summarize } from "./stats.js";

test("median: odd and even counts, input order does not matter, input left alone", () => {
  const xs = [5, 1, 3];
  assert.equal(median(xs), 3);
  assert.deepEqual(xs, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), /no samples/);
});

test("summarize", () => {
  assert.deepEqual(summarize([2, 8, 4, 6]), { median: 5, min: 2, max: 8, mean: 5, count: 4 });
});

test("perSecond", () => {
  assert.equal(perSecond(500, 250), 2000);
  assert.throws(() => perSecond(1, 0), /positive/);
});

test("ratio is ovnts over C and NaN when it cannot be formed", () => {
  assert.equal(ratio(50, 100), 0.5);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.ok(Number.isNaN(ratio(Number.NaN, 1)));
  assert.ok(Number.isNaN(ratio(1, Number.POSITIVE_INFINITY)));
});

test("meetsTarget: both directions, inclusive bounds, no target, no ratio", () => {
  assert.equal(meetsTarget(1.0, { op: ">=", ratio: 1 }), true);
  assert.equal(meetsTarget(0.99, { op: ">=", ratio: 1 }), false);
  assert.equal(meetsTarget(0.5, { op: "<=", ratio: 0.5 }), true);
  assert.equal(meetsTarget(0.51, { op: "<=", ratio: 0.5 }), false);
  assert.equal(meetsTarget(3, undefined), undefined);
  assert.equal(meetsTarget(Number.NaN, { op: "<=", ratio: 1 }), undefined);
});

test("percentile: nearest rank, always a sample", () => {
  const xs = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 .. 1
  assert.equal(percentile(xs, 95), 19);
  assert.equal(percentile(xs, 50), 10);
  assert.equal(percentile(xs, 100), 20);
  assert.equal(percentile([3], 95), 3);
  assert.equal(percentile([1, 2, 3, 4], 1), 1);
  assert.throws(() => percentile([], 50), /no samples/);
  assert.throws(() => percentile([1], 0), /must be in/);
});
