// Peer differential test: for every scenario, the real stack (ovsdb-server, ovn-northd,
// ovn-controller 23.03, ovs-vswitchd with dummy datapaths) is started and its br-int flows are read;
// our compiler and physical-flow builder run on the Southbound database that real ovn-northd wrote and
// on the same br-int ports, and the two flow tables must agree table by table (normalised as
// compare.ts states: conjunction ids, group ids, meter ids and zone numbers, which are allocation
// order, and the order of match fields).  The stored corpus (corpus.test.ts) is the same comparison
// without the binaries; this one checks that it still holds for a fresh run.

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { requireTools } from "../../../../test/support/exec.js";
import { capture } from "./capture.js";
import { diffScenario } from "./diff-corpus.js";
import { SCENARIOS } from "./scenarios.js";

/** Peer tests never skip: CI installs these (scripts/install-deps.sh); a missing one is an error. */
const PEERS = ["ovn-controller", "ovn-northd", "ovs-vswitchd", "ovsdb-server"];
before(() => requireTools(...PEERS));

test("our flows equal the real ovn-controller's, scenario by scenario", {
  // Eleven real stacks one after the other: about 30 s on an idle machine, minutes on a loaded one.
  timeout: 300_000,
}, async () => {
  const report: string[] = [];
  for (const sc of SCENARIOS) {
    const d = diffScenario(await capture(sc));
    const count = (ts: typeof d.tables) => ({
      same: ts.reduce((n, t) => n + t.same, 0),
      theirs: ts.reduce((n, t) => n + t.theirs, 0),
      missing: ts.flatMap((t) => t.missing.map((l) => `${t.table} ${l}`)),
      extra: ts.flatMap((t) => t.extra.map((l) => `${t.table} ${l}`)),
    });
    const l = count(d.tables);
    const p = count(d.physical);
    report.push(`${sc.name}: logical ${l.same}/${l.theirs}, physical ${p.same}/${p.theirs}`);
    assert.deepEqual(d.errors, [], sc.name);
    assert.deepEqual([...l.missing, ...l.extra], [], `${sc.name}: logical tables differ`);
    assert.deepEqual(p.extra, [], `${sc.name}: physical flows we have and the real controller does not`);
    assert.equal(p.missing.length, 0, `${sc.name}:\n${p.missing.join("\n")}`);
  }
  process.stdout.write(`# ${report.join("\n# ")}\n`);
});
