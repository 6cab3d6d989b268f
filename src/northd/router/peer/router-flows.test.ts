// Differential test of the router pipeline: every scenario of the corpus runs through the real
// ovn-northd 23.03 and `ovnts northd` on the same NB; the lr_in_* / lr_out_* flows of the two SBs must
// be identical (stage, priority, match, actions, stage hint). ovnts northd runs with
// --recompute-check, so the scenarios with steps also check that incremental runs equal recomputes.
import { test } from "node:test";
import { assertSameSb } from "../../peer/harness.js";
import { CORE_CASES, ROUTER_SCENARIOS } from "./scenarios.js";

for (const sc of [...ROUTER_SCENARIOS, ...CORE_CASES]) {
  test(`router flows identical to ovn-northd: ${sc.name ?? "?"}`, async () => {
    await assertSameSb(sc, { stages: ["lr_"], check: true });
  });
}
