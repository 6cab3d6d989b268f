// The large-request young generation's policy (young-gen.ts) and which daemons use it (heap.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { largeRequestYoungGen } from "../heap.js";
import { LargeRequestPolicy } from "../young-gen.js";

test("largeRequestYoungGen: the database server with its own V8 flags, unless OVNTS_LARGE_YOUNG=off", () => {
  assert.equal(largeRequestYoungGen("ovsdb-server", {}), true);
  assert.equal(largeRequestYoungGen("ovsdb-server", { OVNTS_LARGE_YOUNG: "off" }), false);
  // Other flags may not have the growth factor at 1 that the policy restores.
  assert.equal(largeRequestYoungGen("ovsdb-server", { OVNTS_V8_FLAGS: "" }), false);
  assert.equal(largeRequestYoungGen("ovn-northd", {}), false);
  assert.equal(largeRequestYoungGen("ovn-controller", {}), false);
});

test("LargeRequestPolicy: grows once a run of reads that answer nothing reaches the size", () => {
  const p = new LargeRequestPolicy(100);
  assert.equal(p.read(40, false), undefined);
  assert.equal(p.read(40, false), undefined);
  assert.equal(p.growing, false);
  assert.equal(p.read(20, false), "grow", "100 bytes without an answer");
  assert.equal(p.growing, true);
  assert.equal(p.read(500, false), undefined, "grown already");
  // The read that completes the request answers it: growth stops after it.
  assert.equal(p.read(30, true), "restore");
  assert.equal(p.growing, false);
  assert.equal(p.read(30, true), undefined);
});

test("LargeRequestPolicy: answered reads break a run; small or pipelined requests never grow it", () => {
  const p = new LargeRequestPolicy(100);
  // Requests answered read by read, however many bytes in all.
  for (let i = 0; i < 50; i++) assert.equal(p.read(64, true), undefined);
  // A run broken by an answered read starts again from zero.
  assert.equal(p.read(90, false), undefined);
  assert.equal(p.read(5, true), undefined);
  assert.equal(p.read(90, false), undefined);
  assert.equal(p.growing, false);
  assert.equal(p.read(10, false), "grow");
});
