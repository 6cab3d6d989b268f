import assert from "node:assert/strict";
import { test } from "node:test";
import { ageThresholdMs, agingPlan } from "./mac-binding-aging.js";

test("ageThresholdMs: seconds to ms; 0, junk or absent: off", () => {
  const t = (v?: string) =>
    ageThresholdMs(new Map(v === undefined ? [] : [["mac_binding_age_threshold", v]]));
  assert.equal(t("3"), 3000);
  assert.equal(t("0"), undefined);
  assert.equal(t("-1"), undefined);
  assert.equal(t("x"), undefined);
  assert.equal(t(), undefined);
});

test("agingPlan: expired rows of aging routers, next check at the next expiry", () => {
  const now = 100_000;
  const plan = agingPlan(
    [
      { sbDatapath: "dp1", thresholdMs: 3000 },
      { sbDatapath: "dp2", thresholdMs: 60_000 },
    ],
    [
      { _uuid: "fresh", datapath: "dp1", timestamp: now - 1000 },
      { _uuid: "old", datapath: "dp1", timestamp: now - 3000 },
      { _uuid: "zero", datapath: "dp1", timestamp: 0 },
      { _uuid: "future", datapath: "dp1", timestamp: now + 5000 },
      { _uuid: "other", datapath: "dp3", timestamp: 0 },
      { _uuid: "young", datapath: "dp2", timestamp: now - 59_500 },
    ],
    now,
  );
  assert.deepEqual(plan.expired, ["old", "zero"]);
  assert.equal(plan.nextCheckMs, 500);
  assert.deepEqual(agingPlan([], [{ _uuid: "x", datapath: "dp1", timestamp: 0 }], now), {
    expired: [],
    nextCheckMs: undefined,
  });
  assert.equal(agingPlan([{ sbDatapath: "dp1", thresholdMs: 3000 }], [], now).nextCheckMs, 3000);
  // mac_binding_removal_limit: one batch now, the rest 5 s later.
  const many = ["a", "b", "c"].map((u) => ({ _uuid: u, datapath: "dp1", timestamp: 0 }));
  assert.deepEqual(agingPlan([{ sbDatapath: "dp1", thresholdMs: 3000 }], many, now, 2), {
    expired: ["a", "b"],
    nextCheckMs: 5000,
  });
});
