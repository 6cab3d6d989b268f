// The northd differential over the ofproto/trace feature topologies (test/scenarios/oftrace-features.ts:
// gateway router NAT/LBs, DGPs with gateway chassis and HA groups, ECMP/policies/route tables, ACLs and
// QoS, LB hairpin and groups, virtual/external ports, multicast, multichassis ports): the same NB built on
// the real ovn-northd 23.03 and on ours, every Logical_Flow and northd-written SB table compared as built
// and again after the topology's churn (ovnts northd with --recompute-check: the churn takes its
// incremental path and is checked against a recompute).  One NB with all topologies side by side, so one
// pair of northds.  Commands that need a created row's UUID ("$PREV") are left out: no controller here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FEATURE_TOPOLOGIES, PENDING_TOPOLOGIES } from "../../../test/scenarios/oftrace-features.js";
import { type BothSides, compareDumps, formatComparison, withBothNorthds } from "./harness.js";

const usable = (args: readonly string[]) => !args.includes("$PREV");

async function assertSame(both: BothSides, what: string): Promise<void> {
  const opts = { sortSets: true };
  const { c, ts } = await both.dump(opts);
  const cmp = compareDumps(c, ts, opts);
  assert.ok(c.flows.length >= 1000, `${what}: only ${c.flows.length} flows compared`);
  assert.ok(cmp.equal, `SB differs (${what}):\n${formatComparison(cmp)}`);
}

// (The topologies the controller differential still waits for are fine for northd; the VXLAN variants
// repeat another topology's NB.)
const TOPOLOGIES = [...FEATURE_TOPOLOGIES, ...PENDING_TOPOLOGIES].filter((t) => t.encap === undefined);

test("SB identical to ovn-northd's on the oftrace feature topologies", { timeout: 120_000 }, async () => {
  // The topologies reuse switch and router names across each other only where they are run apart;
  // here they all live in one NB, so each is checked to add names of its own.
  const names = TOPOLOGIES.flatMap((t) =>
    t.nb.filter((a) => a[0] === "ls-add" || a[0] === "lr-add").map((a) => a[1]),
  );
  assert.equal(new Set(names).size, names.length, "switch/router names clash between topologies");
  const commands = TOPOLOGIES.flatMap((t) => t.nb.filter(usable));
  const steps = TOPOLOGIES.flatMap((t) => (t.churn ?? []).filter(usable));
  await withBothNorthds({ commands, steps: [] }, { check: true }, async (both) => {
    await assertSame(both, "as built");
    for (const s of steps) await both.step(s);
    await assertSame(both, "after the churn");
    // Routers' LBs installed on their switches too (their SB Load_Balancer rows then list those
    // switches), and a router-only LB changed afterwards (a scoped LB sync).
    await both.step(["set", "NB_Global", ".", "options:install_ls_lb_from_router=true"]);
    await both.step(["lb-add", "lbd", "172.21.0.41:80", "10.2.1.11:80", "tcp"]);
    await assertSame(both, "with install_ls_lb_from_router");
  });
});
