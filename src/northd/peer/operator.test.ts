// The northd differential on operator-style NBs (./operator-scenarios.ts): many features on the same
// datapaths at once, every Logical_Flow and every northd-written SB table compared with the real
// ovn-northd 23.03's — once as built, and again after the scenario's steps (made on both NBs one by
// one: ovnts northd runs with --recompute-check, so they take the incremental path and are checked
// against a recompute). Sets in matches compare sorted (C prints some in hash order). What northd
// writes back to the NB (IPAM dynamic_addresses, container tags) is compared too.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type BothSides,
  compareDumps,
  type Db,
  formatComparison,
  type Json,
  readDb,
  withBothNorthds,
} from "./harness.js";
import { OPERATOR_SCENARIOS } from "./operator-scenarios.js";

/** "port tag=T dynamic_addresses=D" for every Logical_Switch_Port that has either. */
function nbWriteBacks(db: Db): string[] {
  const one = (v: Json | undefined): string =>
    Array.isArray(v) && v[0] === "set" ? JSON.stringify(v[1]) : JSON.stringify(v ?? null);
  return (db.get("Logical_Switch_Port") ?? [])
    .map((p) => `${String(p.name)} tag=${one(p.tag)} dynamic_addresses=${one(p.dynamic_addresses)}`)
    .filter((l) => !l.endsWith("tag=[] dynamic_addresses=[]"))
    .sort();
}

async function assertSame(both: BothSides, what: string): Promise<void> {
  const opts = { sortSets: true };
  const { c, ts } = await both.dump(opts);
  const cmp = compareDumps(c, ts, opts);
  assert.ok(c.flows.length >= 300, `${what}: only ${c.flows.length} flows compared`);
  assert.ok(cmp.equal, `SB differs (${what}):\n${formatComparison(cmp)}`);
  const [nbC, nbTs] = await Promise.all([
    readDb(both.sandbox, both.nbC, "OVN_Northbound"),
    readDb(both.sandbox, both.nbTs, "OVN_Northbound"),
  ]);
  const wb = nbWriteBacks(nbC);
  assert.ok(wb.length > 0, `${what}: no NB write-back compared`);
  assert.deepEqual(nbWriteBacks(nbTs), wb, `${what}: NB tag / dynamic_addresses differ`);
}

for (const sc of OPERATOR_SCENARIOS) {
  test(`SB identical to ovn-northd's on an operator NB: ${sc.name ?? "?"}`, async () => {
    await withBothNorthds({ ...sc, steps: [] }, { check: true }, async (both) => {
      await assertSame(both, `${sc.name ?? "?"}, as built`);
      for (const s of sc.steps ?? []) await both.step(s);
      if ((sc.steps ?? []).length > 0) await assertSame(both, `${sc.name ?? "?"}, after its steps`);
    });
  });
}
