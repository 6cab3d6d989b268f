// Binding decisions as ovn-controller 23.03 makes them (controller/binding.c's behaviour, observed in
// agent/peer/binding-diff.test.ts): which chassis may bind a port by options:requested-chassis, the pace of
// re-claims between two chassis, and the text of debug/dump-local-bindings.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SbPortBinding } from "../lflow/sb.js";
import { sbPortBinding } from "../lflow/sb-fixture.js";
import { ClaimThrottle, localBindingsText, planBindings } from "./bindings.js";

function pb(logicalPort: string, type: string, extra: Partial<SbPortBinding> = {}): SbPortBinding {
  return sbPortBinding({ logicalPort, type, ...extra });
}

test("planBindings: options:requested-chassis naming no known chassis binds the port nowhere (C's lport_can_bind)", () => {
  // northd leaves requested_chassis empty for a name it does not know; the controller reads the option.
  const opt = (v: string) => ({ options: { "requested-chassis": v }, requestedChassis: null });
  const ports = [
    pb("unknown", "", { ...opt("hv9"), chassis: "hv1" }),
    pb("first", "", opt("hv1,hv9")),
    pb("second", "", opt("hv9,hv1")),
    pb("empty", "", opt("")),
  ];
  const ifaces = new Set(["unknown", "first", "second", "empty"]);
  assert.deepEqual(planBindings(ports, ifaces, "hv1"), {
    claim: ["empty", "first"],
    release: ["unknown"],
    bound: ["second"],
    additional: { claim: ["second"], release: [] },
  });
});

test("localBindingsText: debug/dump-local-bindings as ovn-controller 23.03 prints it", () => {
  // [real] ovn-controller.at "port binding type change handling", and a chassis of this sandbox.
  const locals = new Map([
    ["lsp1", "vif1"],
    ["vm1", "hv1-vm1"],
    ["lp", "lp-if"],
    ["gw", "gw-if"],
    ["nolport", "x"],
  ]);
  const ports = [
    pb("lsp1", ""),
    pb("vm1", "", { chassis: "hv1" }),
    pb("c2", "", { parentPort: "vm1", tag: 2 }),
    pb("c1", "", { parentPort: "vm1", tag: 1 }),
    pb("vip", "virtual", { chassis: "hv1" }),
    pb("vip-away", "virtual", { chassis: "hv2" }),
    pb("lp", "localport"),
    pb("gw", "l3gateway"),
  ];
  const parents = new Map([
    ["vip", "vm1"],
    ["vip-away", "vm1"],
  ]);
  assert.equal(
    localBindingsText(locals, ports, "hv1", parents),
    [
      "Local bindings:",
      "name: [gw], OVS interface name : [gw-if], num binding lports : [0]",
      "----------------------------------------",
      "name: [lp], OVS interface name : [lp-if], num binding lports : [1]",
      "localport lport : [lp]",
      "----------------------------------------",
      "name: [lsp1], OVS interface name : [vif1], num binding lports : [1]",
      "primary lport : [lsp1]",
      "----------------------------------------",
      "name: [nolport], OVS interface name : [x], num binding lports : [0]",
      "----------------------------------------",
      "name: [vm1], OVS interface name : [hv1-vm1], num binding lports : [4]",
      "primary lport : [vm1]",
      "child lport[1] : [c1], type : [CONTAINER]",
      "child lport[2] : [c2], type : [CONTAINER]",
      "child lport[3] : [vip], type : [VIRTUAL]",
      "----------------------------------------",
      "",
    ].join("\n"),
  );
  assert.equal(localBindingsText(new Map(), ports, "hv1"), "Local bindings:\n");
});

test("ClaimThrottle: a port another chassis took back is claimed again only 500 ms after our last claim", () => {
  const t = new ClaimThrottle();
  const plan = (claim: string[]) => ({ claim, release: [], bound: [] });
  const ports = (holder: string | null) => [pb("a", "", { chassis: holder }), pb("b", "")];
  assert.deepEqual(t.apply(plan(["a", "b"]), ports("hv2"), "hv1", 0), { plan: plan(["a", "b"]) });
  // hv2 took "a" back at once: held until 500 ms after our claim; a free port is never held.
  assert.deepEqual(t.apply(plan(["a", "b"]), ports("hv2"), "hv1", 100), {
    plan: plan(["b"]),
    retryAtMs: 500,
  });
  assert.deepEqual(t.apply(plan(["a"]), ports(null), "hv1", 200), { plan: plan(["a"]) });
  assert.deepEqual(t.apply(plan(["a"]), ports("hv2"), "hv1", 699), { plan: plan([]), retryAtMs: 700 });
  assert.deepEqual(t.apply(plan(["a"]), ports("hv2"), "hv1", 700), { plan: plan(["a"]) });
});
