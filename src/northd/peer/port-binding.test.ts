// Port_Binding columns that depend on what is bound where, real ovn-northd 23.03 vs ours.
//
// 1. options:qdisc_queue_id of VIFs with QoS options (ovn-nb(5) qos_max_rate, qos_min_rate,
// qos_burst; ../qos-queue.ts): allocated per chassis once the port is bound, kept when it is unbound or
// moves, dropped with its QoS options, and named by ls_in_check_port_sec's set_queue().  The same NB on
// the real ovn-northd 23.03 and on ours; the bindings (what ovn-controller would write) made with
// ovn-sbctl on both SBs one at a time, each side synced in between, then Port_Binding rows and the
// port-security flows compared (with `up`, which ovn-northd writes back as false whenever it is empty).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runOk } from "../../../test/support/sandbox.js";
import { type BothSides, compareDumps, formatComparison, withBothNorthds } from "./harness.js";

const vif = (p: string, n: number, ...opts: string[]): string[][] => [
  ["lsp-add", "sw", p, "--", "lsp-set-addresses", p, `f0:00:00:00:00:0${n} 10.0.0.${n}`],
  ...(opts.length > 0 ? [["lsp-set-options", p, ...opts]] : []),
];

const NB: string[][] = [
  ["ls-add", "sw"],
  ...vif("p1", 1, "qos_max_rate=1000000", "qos_burst=100000"),
  ...vif("p2", 2, "qos_min_rate=5000"),
  ...vif("p3", 3, "qos_max_rate=7000"),
  ...vif("p4", 4),
  ...vif("p5", 5, "qos_max_rate=5"),
  ["lr-add", "lr"],
  ["lrp-add", "lr", "lrp", "00:00:00:00:00:ff", "10.0.9.1/24"],
];

/** ovn-sbctl on both SBs, then both sides synced. */
async function sbBoth(both: BothSides, ...args: string[]): Promise<void> {
  const env = both.sandbox.env;
  for (const db of [both.sbC, both.sbTs]) await runOk("ovn-sbctl", [`--db=${db}`, ...args], { env });
  for (const db of [both.nbC, both.nbTs])
    await runOk("ovn-nbctl", [`--db=${db}`, "--timeout=20", "--wait=sb", "sync"], { env });
}

async function assertSame(both: BothSides, what: string): Promise<void> {
  const opts = { stages: "ls_in_check_port_sec", tables: ["Port_Binding"] };
  const { c, ts } = await both.dump(opts);
  const cmp = compareDumps(c, ts, opts);
  assert.ok(cmp.equal, `${what}: SB differs from ovn-northd's:\n${formatComparison(cmp)}`);
  const queues = (c.tables.get("Port_Binding") ?? []).filter((l) => l.includes("qdisc_queue_id"));
  assert.ok(queues.length > 0, `${what}: some port has a queue`);
}

test("qdisc_queue_id of bound VIFs with QoS options matches ovn-northd", { timeout: 90_000 }, () =>
  withBothNorthds({ commands: NB }, {}, async (both) => {
    await sbBoth(both, "chassis-add", "hv1", "geneve", "192.168.0.1");
    await sbBoth(both, "chassis-add", "hv2", "geneve", "192.168.0.2");
    // One at a time: two ports bound in one run get ids in an order C does not promise.
    for (const [p, hv] of [
      ["p1", "hv1"],
      ["p2", "hv1"],
      ["p3", "hv2"],
      ["p4", "hv2"],
    ] as const)
      await sbBoth(both, "lsp-bind", p, hv);
    await assertSame(both, "bound: p1 1 and p2 2 on hv1, p3 1 on hv2, p5 unbound none");
    await sbBoth(both, "lsp-unbind", "p1");
    await assertSame(both, "p1 unbound keeps its id");
    await sbBoth(both, "lsp-bind", "p1", "hv2");
    await both.step(["lsp-set-options", "p4", "qos_burst=9"]);
    await assertSame(both, "p1 moved to hv2 keeps 1 (as p3 has); p4 gets 2 on hv2");
    await both.step(["lsp-set-options", "p2"]);
    await sbBoth(both, "lsp-bind", "p5", "hv1");
    // `ovn-sbctl lsp-unbind` (above) and `clear` leave `up` empty: ovn-northd writes false back.
    await sbBoth(both, "clear", "Port_Binding", "lrp", "up");
    await assertSame(both, "p2 without QoS drops its id; p5 bound on hv1 gets the lowest free one");
  }),
);

// 2. options:requested-chassis as a list (a port being live-migrated names two or more chassis): the first
// that names a chassis (by name or hostname, compared as written) is requested_chassis, the rest that do
// requested_additional_chassis.
test("requested-chassis lists give requested_(additional_)chassis like ovn-northd", { timeout: 60_000 }, () =>
  withBothNorthds(
    { commands: [["ls-add", "sw"], ...["p1", "p2", "p3", "p4", "p5"].map((p) => ["lsp-add", "sw", p])] },
    {},
    async (both) => {
      for (const hv of ["hv1", "hv2", "hv3"])
        await sbBoth(both, "chassis-add", hv, "geneve", `192.168.0.${hv[2]}`);
      await both.step(["lsp-set-options", "p1", "requested-chassis=hv1,hv2"]);
      await both.step(["lsp-set-options", "p2", "requested-chassis=hv1,hv2,hv3"]);
      await both.step(["lsp-set-options", "p3", "requested-chassis=hv1,nope"]);
      await both.step(["lsp-set-options", "p4", "requested-chassis=hv2", "activation-strategy=rarp"]);
      await both.step(["lsp-set-options", "p5", "requested-chassis=hv1, hv2"]);
      const opts = { tables: ["Port_Binding"] };
      const { c, ts } = await both.dump(opts);
      const cmp = compareDumps(c, ts, opts);
      assert.ok(cmp.equal, `SB differs from ovn-northd's:\n${formatComparison(cmp)}`);
      const p2 = (c.tables.get("Port_Binding") ?? []).find((l) => l.includes('logical_port="p2"')) ?? "";
      assert.match(p2, /requested_additional_chassis=\[ch\(hv2\), ch\(hv3\)\]/);

      // activation-strategy=rarp: the additional chassis that saw the RARP writes
      // options:additional-chassis-activated (ovn-controller); northd keeps it through its own option
      // writes while the port has requested additional chassis, and drops it after.
      const same = async (what: string, activated: boolean) => {
        const d = await both.dump(opts);
        const k = compareDumps(d.c, d.ts, opts);
        assert.ok(k.equal, `${what}: SB differs from ovn-northd's:\n${formatComparison(k)}`);
        const p1 = (d.c.tables.get("Port_Binding") ?? []).find((l) => l.includes('logical_port="p1"')) ?? "";
        assert.equal(p1.includes('"additional-chassis-activated"="hv2"'), activated, `${what}: p1 ${p1}`);
      };
      await both.step(["lsp-set-options", "p1", "requested-chassis=hv1,hv2", "activation-strategy=rarp"]);
      await sbBoth(both, "set", "Port_Binding", "p1", "options:additional-chassis-activated=hv2");
      await both.step([
        "lsp-set-options",
        "p1",
        "requested-chassis=hv1,hv2",
        "activation-strategy=rarp",
        "x=1",
      ]);
      await same("activated, options changed since", true);
      await both.step(["lsp-set-options", "p1", "requested-chassis=hv2", "activation-strategy=rarp"]);
      await same("moved to hv2 alone", false);
    },
  ),
);
