// The harness itself: on a switch + router configuration, both northds run, both SBs are dumped and
// compared. Checks the parts the ovnts core owns regardless of which stage builders exist: datapaths,
// port bindings and multicast groups agree, and the dumps have the expected shape.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compareDumps, formatComparison, withBothNorthds } from "./harness.js";

const BASIC = {
  name: "switch + router",
  commands: [
    ["ls-add", "sw0"],
    ["lsp-add", "sw0", "p1"],
    ["lsp-set-addresses", "p1", "00:00:00:00:00:01 10.0.0.2"],
    ["lr-add", "r0"],
    ["lrp-add", "r0", "rp0", "00:00:00:00:ff:01", "10.0.0.1/24"],
    ["lsp-add", "sw0", "sw0-r0"],
    ["lsp-set-type", "sw0-r0", "router"],
    ["lsp-set-addresses", "sw0-r0", "router"],
    ["lsp-set-options", "sw0-r0", "router-port=rp0"],
  ],
};

test("harness: both northds run; datapaths, port bindings, multicast groups agree", async () => {
  await withBothNorthds(BASIC, {}, async (both) => {
    const { c, ts } = await both.dump();
    assert.ok(c.flows.length > 100, `C northd wrote ${c.flows.length} flows`);
    assert.ok(c.flows.some((l) => l.startsWith("sw0 ingress ls_in_check_port_sec ")));
    const cmp = compareDumps(c, ts, { tables: ["Datapath_Binding", "Port_Binding", "Multicast_Group"] });
    assert.ok(cmp.equal, formatComparison(cmp));
    // The comparison notices a difference.
    const broken = { flows: c.flows.slice(1), tables: c.tables };
    const bad = compareDumps(c, broken, {});
    assert.equal(bad.equal, false);
  });
});
