// Golden test over the reference corpus (peer/corpus/*.json, captured from the real ovn-controller
// 23.03 by peer/capture.ts; see peer/README.md): for each scenario, the flows we compile from the
// Southbound database the real ovn-northd wrote equal, table by table, what the real controller
// installed in br-int (normalised as peer/compare.ts describes).  Needs no OVS/OVN binaries.

import assert from "node:assert/strict";
import { test } from "node:test";
import { diffScenario, readCorpus } from "./peer/diff-corpus.js";
import { SCENARIOS } from "./peer/scenarios.js";

for (const sc of SCENARIOS) {
  test(`${sc.name}: logical tables equal the real controller's`, () => {
    const d = diffScenario(readCorpus(sc.name));
    assert.deepEqual(d.errors, []);
    for (const t of d.tables) {
      assert.deepEqual(
        { table: t.table, missing: t.missing, extra: t.extra },
        { table: t.table, missing: [], extra: [] },
      );
    }
    assert.ok(d.tables.reduce((n, t) => n + t.same, 0) > 100);
  });

  test(`${sc.name}: physical tables equal the real controller's`, () => {
    const d = diffScenario(readCorpus(sc.name));
    const missing = d.physical.flatMap((t) => t.missing.map((l) => `${t.table} ${l}`));
    const extra = d.physical.flatMap((t) => t.extra.map((l) => `${t.table} ${l}`));
    assert.deepEqual(extra, []);
    assert.equal(missing.length, 0, missing.join("\n"));
  });
}
