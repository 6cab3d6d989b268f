import assert from "node:assert/strict";
import { test } from "node:test";
import { SbViewMemo, sameData } from "../lflow/sb.js";

test("sameData: plain data equal as JSON would write it", () => {
  assert.ok(sameData({ a: [1, "x", null], b: { c: true } }, { a: [1, "x", null], b: { c: true } }));
  assert.ok(!sameData({ a: [1, 2] }, { a: [1, 3] }));
  assert.ok(!sameData({ a: 1, b: 2 }, { b: 2, a: 1 }), "keys in another order read differently");
  assert.ok(!sameData([1], { 0: 1 }));
  assert.ok(!sameData({ a: [] }, { a: [], b: 1 }));
  assert.ok(!sameData(null, {}));
  assert.ok(!sameData("1", 1));
});

test("SbViewMemo.derive with keepEqual: an equal value made again is the last one; a different one is new", () => {
  const memo = new SbViewMemo();
  const t1 = {};
  const a = memo.derive("x", [t1], () => [{ name: "a", ports: ["p1"] }], true);
  const b = memo.derive("x", [{}], () => [{ name: "a", ports: ["p1"] }], true);
  assert.equal(b, a);
  const c = memo.derive("x", [{}], () => [{ name: "a", ports: ["p2"] }], true);
  assert.notEqual(c, a);
  assert.deepEqual(c, [{ name: "a", ports: ["p2"] }]);
  const d = memo.derive("y", [t1], () => [1], false);
  assert.notEqual(
    memo.derive("y", [{}], () => [1], false),
    d,
    "without keepEqual: the new value",
  );
});
