// The scavenge when idle (idle-gc.ts) and which daemons use it (heap.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { idleScavenge } from "../heap.js";
import { IdleScavengePolicy, scavengeIfFull, youngGenerationFill } from "../idle-gc.js";

test("idleScavenge: the database server only, unless OVNTS_IDLE_GC=off", () => {
  assert.equal(idleScavenge("ovsdb-server", {}), true);
  assert.equal(idleScavenge("ovsdb-server", { OVNTS_IDLE_GC: "off" }), false);
  assert.equal(idleScavenge("ovn-northd", {}), false);
  assert.equal(idleScavenge("ovn-controller", {}), false);
});

test("scavengeIfFull: collects the young generation once it is fuller than the threshold, not before", () => {
  assert.equal(scavengeIfFull(1.01), false, "never full beyond 100%");
  // Fill the young generation with short-lived garbage until it is at least half full (a scavenge V8
  // starts on its own meanwhile only empties it again).
  let sink: unknown[] = [];
  for (let i = 0; youngGenerationFill() < 0.5; i++) {
    sink.push({ i, s: `x${i}` });
    if (sink.length > 1000) sink = [];
    assert.ok(i < 10_000_000, "the young generation never filled up");
  }
  const before = youngGenerationFill();
  assert.equal(scavengeIfFull(0.5), true);
  const after = youngGenerationFill();
  assert.ok(after < before, `fill ${before} -> ${after}`);
  assert.ok(sink.length >= 0);
});

test("IdleScavengePolicy: once per idle stretch, after enough periods without reads, when full enough", () => {
  const p = new IdleScavengePolicy(10, 0.25, 2);
  let asked = 0;
  const fill = (f: number) => () => {
    asked++;
    return f;
  };
  assert.equal(p.tick(11, fill(0.9)), false, "a read came in during the period");
  assert.equal(p.tick(11, fill(0.9)), false, "one quiet period is not idle yet");
  assert.equal(asked, 0, "a busy server does not look at its heap");
  assert.equal(p.tick(11, fill(0.9)), true, "two quiet periods and 90% full");
  assert.equal(p.tick(11, fill(0.9)), false, "still idle: not again");
  assert.equal(asked, 1);
  assert.equal(p.tick(12, fill(0.1)), false, "busy");
  assert.equal(p.tick(12, fill(0.1)), false);
  assert.equal(p.tick(12, fill(0.1)), false, "idle but nearly empty");
  assert.equal(p.tick(13, fill(0.25)), false, "busy");
  assert.equal(p.tick(13, fill(0.25)), false);
  assert.equal(p.tick(13, fill(0.25)), true, "idle and at the threshold");
  assert.equal(asked, 3);
});
