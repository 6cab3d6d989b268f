import assert from "node:assert/strict";
import { test } from "node:test";
import { settleCollector } from "./heap.js";

test("settleCollector: on by default, off with OVNTS_SETTLE_GC=off", () => {
  assert.equal(settleCollector({ OVNTS_SETTLE_GC: "off" }), undefined);
  assert.equal(typeof settleCollector({}), "function");
});

test("settleCollector: the collection it runs frees garbage held by nothing", () => {
  const collect = settleCollector({});
  assert.ok(collect !== undefined);
  collect();
  const before = process.memoryUsage().heapUsed;
  // ~30 MiB of objects, promoted to the old generation while they are held, then let go.
  let garbage: { x: number }[] | undefined = [];
  for (let i = 0; i < 1_000_000; i++) garbage.push({ x: i });
  assert.ok(process.memoryUsage().heapUsed > before + 15 * 2 ** 20);
  garbage = undefined;
  collect();
  assert.equal(garbage, undefined);
  assert.ok(process.memoryUsage().heapUsed < before + 5 * 2 ** 20, "the garbage is still there");
});
