import assert from "node:assert/strict";
import { test } from "node:test";
import { getHeapCodeStatistics } from "node:v8";
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

test("settleCollector: flushes the bytecode of functions that ran once, unless OVNTS_SETTLE_GC=keep-code", () => {
  const bytecode = (): number => getHeapCodeStatistics().bytecode_and_metadata_size;
  // 2,000 functions kept alive, each run once (compiled to bytecode) and then idle, like the start-up's.
  const body = Array.from(
    { length: 2000 },
    (_, i) =>
      `(a) => { let s = a; for (let j = 0; j < 3; j++) s = (s * ${i} + j) % 1009; return [s, a + ${i}]; }`,
  ).join(",\n");
  const fns = new Function(`return [${body}];`)() as ((a: number) => number[])[];
  let sum = 0;
  for (const f of fns) sum += f(1)[0] ?? 0;
  const keep = settleCollector({ OVNTS_SETTLE_GC: "keep-code" });
  const flush = settleCollector({});
  assert.ok(keep !== undefined && flush !== undefined);
  keep();
  const kept = bytecode();
  flush();
  const flushed = bytecode();
  assert.ok(sum >= 0 && fns.length === 2000);
  assert.ok(flushed < kept - 100 * 2000, `bytecode ${kept} -> ${flushed} bytes: not flushed`);
});
