import assert from "node:assert/strict";
import { test } from "node:test";
import { STAGE_NAMES, STAGES, stageAt, stagesOf } from "./stages.js";

test("every pipeline is numbered 0..n-1 without gaps, names follow the pipeline", () => {
  const sizes: Record<string, number> = {
    "switch ingress": 27,
    "switch egress": 10,
    "router ingress": 22,
    "router egress": 7,
  };
  for (const [k, n] of Object.entries(sizes)) {
    const [dp, pl] = k.split(" ") as ["switch" | "router", "ingress" | "egress"];
    const st = stagesOf(dp, pl);
    assert.equal(st.length, n, k);
    st.forEach((s, i) => {
      assert.equal(STAGES[s].table, i);
      assert.ok(s.startsWith(`${dp === "switch" ? "ls" : "lr"}_${pl === "ingress" ? "in" : "out"}_`), s);
    });
  }
  assert.equal(STAGE_NAMES.length, 66);
  assert.equal(stageAt("switch", "ingress", 25), "ls_in_l2_lkup");
  assert.equal(stageAt("router", "egress", 6), "lr_out_delivery");
});
