import assert from "node:assert/strict";
import { test } from "node:test";
import { KeyRegistry, KeySpace } from "./keys.js";

test("keys are handed out after the last one and wrap around", () => {
  const s = new KeySpace(4);
  assert.deepEqual([s.allocate(), s.allocate(), s.allocate()], [1, 2, 3]);
  s.release(1);
  assert.equal(s.allocate(), 4);
  assert.equal(s.allocate(), 1);
  assert.equal(s.allocate(), undefined);
});

test("a registry keeps an owner's key, adopts SB keys, honours requests, releases the dead", () => {
  const r = new KeyRegistry(100);
  r.adopt("sw0", 7);
  assert.equal(r.keyFor("sw0"), 7);
  assert.equal(r.keyFor("sw1"), 1);
  assert.equal(r.keyFor("sw1", 50), 50);
  assert.equal(r.keyFor("sw2", 7), 2, "a taken key is not given twice");
  r.retain(new Set(["sw0"]));
  assert.equal(r.keyFor("sw3", 50), 50);
});
