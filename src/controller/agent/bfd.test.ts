import assert from "node:assert/strict";
import { test } from "node:test";
import { activeMember, bfdChassis, type HaGroup, sameMap, wantedBfd } from "./bfd.js";

const m = (chassis: string, priority: number) => ({ chassis, priority });
const sorted = (s: Set<string>) => [...s].sort();

// The shape observed on the real ovn-controller: gateway group {hv1 20, hv2 10} with ref_chassis hv3,
// external-port group {hv2 20, hv4 10} without ref_chassis.
const gw: HaGroup = { name: "lr1-ext", members: [m("hv1", 20), m("hv2", 10)], refChassis: ["hv3"] };
const ext: HaGroup = { name: "hagrp1", members: [m("hv2", 20), m("hv4", 10)], refChassis: [] };

test("bfdChassis: members watch each other and the ref chassis; ref chassis watch the members", () => {
  assert.deepEqual(sorted(bfdChassis("hv1", [gw, ext])), ["hv2", "hv3"]);
  assert.deepEqual(sorted(bfdChassis("hv2", [gw, ext])), ["hv1", "hv3", "hv4"]);
  assert.deepEqual(sorted(bfdChassis("hv3", [gw, ext])), ["hv1", "hv2"]);
  assert.deepEqual(sorted(bfdChassis("hv4", [gw, ext])), ["hv2"]);
  assert.deepEqual(sorted(bfdChassis("hv5", [gw, ext])), []);
});

test("bfdChassis: a single-member group needs no BFD, even for its ref chassis", () => {
  const one: HaGroup = { name: "g", members: [m("hv1", 20)], refChassis: ["hv3"] };
  assert.deepEqual(sorted(bfdChassis("hv1", [one])), []);
  assert.deepEqual(sorted(bfdChassis("hv3", [one])), []);
});

test("wantedBfd: enable and check_tnl_key, or an empty column", () => {
  assert.deepEqual(
    wantedBfd(true),
    new Map([
      ["enable", "true"],
      ["check_tnl_key", "true"],
    ]),
  );
  assert.equal(wantedBfd(false).size, 0);
  assert.ok(sameMap(wantedBfd(true), new Map([...wantedBfd(true)].reverse())));
  assert.ok(!sameMap(wantedBfd(true), new Map([["enable", "true"]])));
  assert.ok(
    !sameMap(
      wantedBfd(true),
      new Map([
        ["enable", "false"],
        ["check_tnl_key", "true"],
      ]),
    ),
  );
});

test("activeMember: highest priority alive; down or absent tunnels are dead", () => {
  const g = { members: [m("hv2", 10), m("hv1", 20), m("hv4", 5)], refChassis: ["hv3"] };
  const states = (up: Record<string, string>) => (ch: string) => up[ch];
  // hv3 (a ref chassis, not a member) sees hv1 up: hv1.
  assert.equal(activeMember("hv3", g, states({ hv1: "up", hv2: "up", hv4: "up" })), "hv1");
  // hv1's tunnel down: the next by priority.
  assert.equal(activeMember("hv3", g, states({ hv1: "down", hv2: "up", hv4: "up" })), "hv2");
  assert.equal(activeMember("hv3", g, states({ hv1: "init", hv2: "admin_down", hv4: "up" })), "hv4");
  assert.equal(activeMember("hv3", g, states({})), undefined);
  // A lone member is active without BFD.
  assert.equal(activeMember("hv3", { members: [m("hv9", 1)], refChassis: [] }, states({})), "hv9");
  // Equal priorities: the smaller name, whatever the order given.
  const tie = (a: string, b: string) => ({ members: [m(a, 5), m(b, 5)], refChassis: [] });
  assert.equal(activeMember("hv3", tie("hvb", "hva"), states({ hva: "up", hvb: "up" })), "hva");
  assert.equal(activeMember("hv3", tie("hva", "hvb"), states({ hva: "down", hvb: "up" })), "hvb");
});

test("activeMember: a member that sees nothing of its group up defers to the highest priority", () => {
  const gw = { members: [m("hv1", 20), m("hv2", 10)], refChassis: ["hv3"] };
  const ext = { members: [m("hv1", 30), m("hv2", 20)], refChassis: [] };
  const states = (up: Record<string, string>) => (ch: string) => up[ch];
  // Both up: the higher priority, on both members.
  assert.equal(activeMember("hv1", gw, states({ hv2: "up", hv3: "up" })), "hv1");
  assert.equal(activeMember("hv2", gw, states({ hv1: "up", hv3: "up" })), "hv1");
  // BFD not up yet (a second gateway was just added): the first one stays active, the second waits.
  assert.equal(activeMember("hv1", gw, states({ hv2: "down", hv3: "" })), "hv1");
  assert.equal(activeMember("hv2", gw, states({ hv1: "down" })), undefined);
  // hv1 dies: hv2 still reaches ref chassis hv3, so it takes over the redirect port ...
  assert.equal(activeMember("hv2", gw, states({ hv1: "down", hv3: "up" })), "hv2");
  // ... but not the external port (nothing it watches for that group is up), as the real controller.
  assert.equal(activeMember("hv2", ext, states({ hv1: "down", hv3: "up" })), undefined);
  // A lower-priority member that sees a higher one up defers even if it is the only one it sees.
  assert.equal(activeMember("hv2", ext, states({ hv1: "up" })), "hv1");
});
