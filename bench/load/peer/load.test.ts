// The load benchmark in short: 200 clients monitoring and transacting for a few seconds against ovnts
// ovsdb-server and the real one. No errors, no lost updates, every replica converges.
import assert from "node:assert/strict";
import { test } from "node:test";
import { measure } from "../run.js";

for (const impl of ["ovnts", "c"] as const) {
  test(`200 clients x 4 s against ${impl}: 0 errors, 0 lost updates, all monitors converge`, async () => {
    // No timed floor beyond one commit per client (the suite's machine may be loaded): the checks are
    // correctness ones. Convergence may take a while on a busy machine; it returns as soon as it holds.
    const m = await measure(impl, { clients: 200, durationMs: 4000, txnPerSecond: 200, settleMs: 30_000 });
    assert.deepEqual(m.errors, []);
    assert.equal(m.lost, 0);
    assert.equal(m.converged, true);
    assert.ok(m.transactions >= 200, `only ${m.transactions} transactions`);
    assert.ok(m.rssKiB.max > 0);
  });
}
