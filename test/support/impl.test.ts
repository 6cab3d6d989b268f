import assert from "node:assert/strict";
import { test } from "node:test";
import { implementations, parseImpls } from "./impl.js";

test("every implementation runs by default", () => {
  assert.deepEqual(parseImpls(undefined), ["c", "ovnts"]);
  assert.deepEqual(parseImpls(" "), ["c", "ovnts"]);
  assert.deepEqual(implementations({}), ["c", "ovnts"]);
});

test("OVNTS_PEER_IMPLS selects and orders implementations", () => {
  assert.deepEqual(implementations({ OVNTS_PEER_IMPLS: "c" }), ["c"]);
  assert.deepEqual(parseImpls("ovnts, c,ovnts"), ["ovnts", "c"]);
});

test("an unknown implementation is an error, not a silently empty run", () => {
  assert.throws(() => parseImpls("c,ovs"), /unknown implementation 'ovs'/);
  assert.throws(() => parseImpls(","), /no implementation/);
});
