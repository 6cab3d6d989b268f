import assert from "node:assert/strict";
import { test } from "node:test";
import { renderE2eMarkdown } from "../e2e/main.js";
import { plugArgs } from "../lib/hypervisor.js";
import { type ControllerResult, renderControllerMarkdown } from "./main.js";

const result = (impl: "c" | "ovnts", k: number): ControllerResult => ({
  impl,
  localPorts: 200,
  upMs: 400 * k,
  flowsMs: 500 * k,
  flows: 9500,
  flowsAtUp: 7000,
  rssKiB: 32 * 1024 * k,
  startCpuMs: 160 * k,
  plugMedianMs: 90 * k,
  plugP95Ms: 200 * k,
  plugSamples: [90 * k, 200 * k],
  plugCpuMs: 24 * k,
});

test("controller table: one row per controller, ratios against C with the targets", () => {
  const md = renderControllerMarkdown("M", [result("c", 1), result("ovnts", 2)]);
  assert.match(
    md,
    /\| ovn-controller 23\.03 \| 200 \| 400 \| 500 \| 9500 \(7000\) \| 32\.0 \| 0\.16 \| 90\.0 \| 200 \| 12\.0 \|/,
  );
  assert.match(
    md,
    /\| ovnts \| 200 \| 800 \| 1000 \| 9500 \(7000\) \| 64\.0 \| 0\.32 \| 180 \| 400 \| 24\.0 \|/,
  );
  assert.match(md, /start → up and installed: 2\.00× C \(target ≤ 1\.0×\); plug → up median 2\.00×/);
  assert.match(md, /RSS 2\.00× \(target ≤ 2×\)/);
});

test("e2e table: steps in order, ovnts/C median against the 0.25× target", () => {
  const marks = { nbCommit: 2, plugged: 50, sbPort: 40, claimed: 60, sbUp: 70, nbUp: 80 };
  const r = (impl: "c" | "ovnts", k: number) => ({
    impl,
    startMs: 1000,
    medianMs: 80 * k,
    p95Ms: 100 * k,
    stepMedians: marks,
    samples: [marks],
    rssKiB: { nb: 1024, sb: 2048, northd: 3072, controller: 4096 },
  });
  const md = renderE2eMarkdown("M", [r("c", 1), r("ovnts", 0.5)]);
  assert.match(
    md,
    /NB commit \| VIF plugged \| SB Port_Binding \| claimed \(PB\.chassis\) \| PB\.up \| NB LSP up/,
  );
  assert.match(
    md,
    /\| ovnts \| 40\.0 \| 50\.0 \| 2\.0 \| 50\.0 \| 40\.0 \| 60\.0 \| 70\.0 \| 80\.0 \| 1\.0 \/ 2\.0 \/ 3\.0 \/ 4\.0 \|/,
  );
  assert.match(md, /ovnts\/C median 0\.50× \(target ≤ 0\.25×\)/);
});

test("plugArgs: one add-port and iface-id per VIF, as ovs-vsctl commands", () => {
  assert.deepEqual(plugArgs([{ name: "vm1", ifaceId: "sw0-p1" }]), [
    "--",
    "add-port",
    "br-int",
    "vm1",
    "--",
    "set",
    "Interface",
    "vm1",
    "external_ids:iface-id=sw0-p1",
  ]);
});
