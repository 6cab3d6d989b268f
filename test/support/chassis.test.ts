// The scenario stacks named by OVNTS_SCENARIO_STACKS: order kept, duplicates dropped, typos rejected.
import assert from "node:assert/strict";
import { test } from "node:test";
import { STACKS, scenarioStacks } from "./chassis.js";

test("default: all four stacks, reference first", () => {
  assert.deepEqual(scenarioStacks({}), ["ref", "northd", "controller", "all"]);
  assert.deepEqual(scenarioStacks({ OVNTS_SCENARIO_STACKS: " " }), ["ref", "northd", "controller", "all"]);
});

test("a list is taken in order, without duplicates or blanks", () => {
  assert.deepEqual(scenarioStacks({ OVNTS_SCENARIO_STACKS: "all, ref,,all" }), ["all", "ref"]);
});

test("an unknown or empty list fails instead of running nothing", () => {
  assert.throws(
    () => scenarioStacks({ OVNTS_SCENARIO_STACKS: "ref,controler" }),
    /unknown stack 'controler'/,
  );
  assert.throws(() => scenarioStacks({ OVNTS_SCENARIO_STACKS: "," }), /no stack named/);
});

test("each stack changes exactly what its name says", () => {
  assert.deepEqual(STACKS.ref, { db: "c", northd: "c", controller: "c" });
  assert.deepEqual(STACKS.northd, { db: "c", northd: "ovnts", controller: "c" });
  assert.deepEqual(STACKS.controller, { db: "c", northd: "c", controller: "ovnts" });
  assert.deepEqual(STACKS.all, { db: "ovnts", northd: "ovnts", controller: "ovnts" });
});
