// Chassis features (src/northd/features.ts): a chassis that does not advertise ct-no-masked-label,
// ovn-ct-lb-related or mac-binding-timestamp in other_config (an older ovn-controller, or a row made by
// `ovn-sbctl chassis-add` as ovn-northd.at does) makes ovn-northd 23.03 fall back to ct_lb / ct_label
// bits / no related-NAT flows and write SB_Global options:lb_hairpin_use_ct_mark=false, until the
// chassis gets the features or goes. Real ovn-northd vs ours over the oftrace feature topologies (ACLs,
// switch and router LBs with force/skip SNAT, ECMP symmetric reply, NAT), every step incremental on
// the ovnts side and checked against a recompute (--recompute-check).
import assert from "node:assert/strict";
import { test } from "node:test";
import { FEATURE_TOPOLOGIES, PENDING_TOPOLOGIES } from "../../../test/scenarios/oftrace-features.js";
import { runOk } from "../../../test/support/sandbox.js";
import { type BothSides, compareDumps, formatComparison, withBothNorthds } from "./harness.js";

const TOPOLOGIES = [...FEATURE_TOPOLOGIES, ...PENDING_TOPOLOGIES].filter((t) => t.encap === undefined);
const commands = TOPOLOGIES.flatMap((t) => t.nb.filter((a) => !a.includes("$PREV")));

interface Expect {
  /** ct_lb (not ct_lb_mark) and ct_label.blocked in the flows. */
  readonly maskedLabel: boolean;
  /** Related traffic ct_commit_nat'ed in the ACL and router DNAT stages. */
  readonly lbRelated: boolean;
}

async function nbOptions(both: BothSides, remote: string): Promise<string> {
  return (
    await runOk("ovn-nbctl", [`--db=${remote}`, "get", "NB_Global", ".", "options"], {
      env: both.sandbox.env,
    })
  ).trim();
}

async function assertSame(both: BothSides, what: string, want: Expect): Promise<void> {
  const opts = { sortSets: true };
  const { c, ts } = await both.dump(opts);
  const cmp = compareDumps(c, ts, opts);
  assert.ok(cmp.equal, `SB differs (${what}):\n${formatComparison(cmp)}`);
  // The fallback really is (or is not) in force on the reference side.
  const has = (s: string) => c.flows.some((f) => f.includes(s));
  assert.equal(has("ct_lb(backends="), want.maskedLabel, `${what}: ct_lb flows`);
  assert.equal(has("ct_label.blocked == 1"), want.maskedLabel, `${what}: ct_label.blocked`);
  assert.equal(has("ct_lb_mark(backends=10.1.0.11"), !want.maskedLabel, `${what}: ct_lb_mark flows`);
  assert.equal(has("; force_snat);"), want.lbRelated, `${what}: ct_lb force_snat flag`);
  assert.equal(has("actions=(reg0[17] = 1; ct_commit_nat;)"), want.lbRelated, `${what}: ACL related NAT`);
  const hairpin = (c.tables.get("SB_Global") ?? []).some((l) =>
    l.includes('"lb_hairpin_use_ct_mark"="false"'),
  );
  assert.equal(hairpin, want.maskedLabel, `${what}: SB_Global options:lb_hairpin_use_ct_mark`);
  assert.equal(
    await nbOptions(both, both.nbTs),
    await nbOptions(both, both.nbC),
    `${what}: NB_Global options`,
  );
}

test("chassis features: fallback flows like ovn-northd's", { timeout: 120_000 }, () =>
  withBothNorthds({ commands }, { check: true }, async (both) => {
    const all = { maskedLabel: false, lbRelated: true };
    await assertSame(both, "no chassis", all);
    await both.sbStep(["chassis-add", "hvx", "geneve", "192.168.9.1"]);
    await assertSame(both, "a chassis without features", { maskedLabel: true, lbRelated: false });
    await both.sbStep(["set", "Chassis", "hvx", "other_config:ct-no-masked-label=true"]);
    await assertSame(both, "ct-no-masked-label only", { maskedLabel: false, lbRelated: false });
    // A chassis with every feature next to it changes nothing; an NB change meanwhile is incremental.
    await both.sbStep(["chassis-add", "hvy", "geneve", "192.168.9.2"]);
    await both.sbStep([
      "set",
      "Chassis",
      "hvy",
      "other_config:ct-no-masked-label=true",
      "other_config:ovn-ct-lb-related=true",
      "other_config:mac-binding-timestamp=true",
    ]);
    await both.step(["lb-add", "lbd", "172.21.0.41:80", "10.2.1.11:80", "tcp"]);
    await assertSame(both, "one chassis without ct-lb-related", { maskedLabel: false, lbRelated: false });
    await both.sbStep(["set", "Chassis", "hvx", "other_config:ovn-ct-lb-related=TRUE"]);
    await assertSame(both, "every feature", all);
    // Remote chassis (ovn-ic) do not count.
    await both.sbStep(["set", "Chassis", "hvx", "other_config={}", "other_config:is-remote=true"]);
    await assertSame(both, "the one without features is remote", all);
    await both.sbStep(["set", "Chassis", "hvx", "other_config={}"]);
    await assertSame(both, "back to local", { maskedLabel: true, lbRelated: false });
    await both.sbStep(["chassis-del", "hvx"]);
    await assertSame(both, "the chassis without features gone", all);
  }),
);
