// NB_Global options:debug_drop_collector_set / debug_drop_domain_id (ovn-nb(5)): every flow that only
// drops samples the packet first.  Real ovn-northd 23.03 vs ours on a switch with a drop ACL and a router,
// as the options are set to values ovn-northd refuses, to valid ones, to one it reads as 0, and removed
// (the incremental path, checked by --recompute-check).
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BothSides, compareDumps, formatComparison, withBothNorthds } from "./harness.js";

const NB = [
  ["ls-add", "sw"],
  ["lsp-add", "sw", "p1"],
  ["acl-add", "sw", "to-lport", "100", "tcp.dst == 22", "drop"],
  ["lr-add", "lr"],
  ["lrp-add", "lr", "lrp", "00:00:00:00:00:01", "10.0.0.1/24"],
];

async function assertSame(both: BothSides, what: string, sampled: boolean): Promise<void> {
  const { c, ts } = await both.dump({});
  const cmp = compareDumps(c, ts, {});
  assert.ok(cmp.equal, `SB differs (${what}):\n${formatComparison(cmp)}`);
  assert.equal(
    c.flows.some((f) => f.includes("sample(probability=65535")),
    sampled,
    `${what}: drop flows sampled?`,
  );
}

test("debug_drop_* sample drop flows like ovn-northd", { timeout: 60_000 }, () =>
  withBothNorthds({ commands: NB }, { check: true }, async (both) => {
    await assertSame(both, "no options", false);
    // (Values ovn-northd refuses only before any valid setting: after one, it writes empty actions for
    // them — its drop text is kept from the last valid setting and cleared — which ovnts does not copy.)
    const steps: [string[], string, boolean][] = [
      [["options:debug_drop_collector_set=abc"], "collector not a number: off", false],
      [["options:debug_drop_collector_set=0", "options:debug_drop_domain_id=3"], "collector 0: off", false],
      [["options:debug_drop_domain_id=255", "options:debug_drop_collector_set=5"], "domain 255: off", false],
      [["options:debug_drop_collector_set=123", "options:debug_drop_domain_id=7"], "set 123/7", true],
      [["options:debug_drop_domain_id=x"], "domain not a number: 0", true],
      [["options:debug_drop_collector_set=9"], "collector 9", true],
    ];
    for (const [opts, what, sampled] of steps) {
      await both.step(["set", "NB_Global", ".", ...opts]);
      await assertSame(both, what, sampled);
    }
    await both.step(["remove", "NB_Global", ".", "options", "debug_drop_collector_set"]);
    await assertSame(both, "removed", false);
  }),
);
