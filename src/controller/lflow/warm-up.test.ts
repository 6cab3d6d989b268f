// The compiler's warm-up (warm-up.ts): its corpus compiles without errors into flows of every kind it
// was picked for, and compiling after a warm-up gives exactly what compiling without one gives.

import assert from "node:assert/strict";
import { test } from "node:test";
import { IdAllocators } from "./alloc.js";
import { compileLogicalFlows } from "./index.js";
import { toFlowMod } from "./to-model.js";
import { warmUpSteps } from "./warm-up.js";
import { WARM_UP_CHASSIS, warmUpView } from "./warm-up-corpus.js";

const WARM_UP_VIEW = warmUpView();

const compileAll = () => compileLogicalFlows(WARM_UP_VIEW, WARM_UP_CHASSIS, new IdAllocators());

test("warm-up: the corpus compiles cleanly, and a warm-up leaves later compiles unchanged", () => {
  const before = compileAll();
  assert.deepEqual(before.errors, []);
  // A switch and a router, both pipelines, many tables.
  assert.equal(new Set(WARM_UP_VIEW.flows.flatMap((f) => f.datapaths)).size, 2);
  const stages = new Set(WARM_UP_VIEW.flows.map((f) => `${f.datapaths[0]}/${f.pipeline}/${f.table}`));
  assert.ok(stages.size >= 60, `${stages.size} stages`);
  let flows = 0;
  for (const step of warmUpSteps()) flows += step();
  assert.ok(flows >= WARM_UP_VIEW.flows.length, `${flows} flows`);
  const after = compileAll();
  assert.deepEqual(after.flows.map(toFlowMod), before.flows.map(toFlowMod));
  assert.deepEqual(after.groups, before.groups);
});
