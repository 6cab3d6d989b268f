import assert from "node:assert/strict";
import { test } from "node:test";
import { DP_KEY_MAX, KeyRegistry, KeySpace, TunnelKeys } from "./keys.js";

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

test("VXLAN mode: new datapath keys within 12 bits, port keys within 11; Geneve again: the wide ranges", () => {
  const k = new TunnelKeys();
  assert.equal(k.datapaths.keyFor("a", 5000), 5000);
  k.setVxlanMode(true);
  assert.equal(k.datapaths.keyFor("b", 5001), 1, "a wanted key past 4095 is not given");
  for (let i = 0; i < 4094; i++) assert.ok((k.datapaths.keyFor(`d${i}`) ?? 0) <= 4095);
  assert.equal(k.datapaths.keyFor("full"), undefined, "all 4095 keys are taken");
  const ports = k.portsOf("dp");
  for (let i = 0; i < 2047; i++) assert.ok((ports.keyFor(`p${i}`) ?? 0) <= 2047);
  assert.equal(ports.keyFor("one more"), undefined);
  k.setVxlanMode(false);
  assert.equal(k.datapaths.space.max, DP_KEY_MAX);
  assert.equal(DP_KEY_MAX, 16711680);
  assert.equal(ports.keyFor("one more"), 2048);
});

test("resetHint: the next key is the lowest free one again (datapath keys in every northd run)", () => {
  const s = new KeySpace(10);
  assert.deepEqual([s.allocate(), s.allocate(), s.allocate()], [1, 2, 3]);
  s.release(1);
  s.release(2);
  assert.equal(s.allocate(), 4);
  s.resetHint();
  assert.deepEqual([s.allocate(), s.allocate(), s.allocate()], [1, 2, 5]);
});

test("beginPorts: gone ports free their keys, requests win over holders, new keys follow the highest", () => {
  const r = new KeyRegistry(100);
  r.adopt("a", 3);
  r.adopt("b", 9);
  r.adopt("gone", 40);
  // After a restart (keys adopted from the SB) the next new port gets 10, not the lowest free key.
  r.beginPorts(new Set(["a", "b", "c"]), new Map());
  assert.equal(r.keyFor("c"), 10);
  // "d" requests 9, held by "b" (which did not ask for it): "d" gets it, "b" a new key after the highest.
  r.beginPorts(new Set(["a", "b", "c", "d"]), new Map([["d", 9]]));
  assert.equal(r.keyFor("d", 9), 9);
  assert.equal(r.keyFor("b"), 11);
  assert.equal(r.keyFor("a"), 3);
  // Two ports asking for one key: the one holding it keeps it; the other keeps what it had.
  r.beginPorts(
    new Set(["a", "b", "c", "d"]),
    new Map([
      ["a", 9],
      ["d", 9],
    ]),
  );
  assert.equal(r.keyFor("d", 9), 9);
  assert.equal(r.keyFor("a", 9), 3);
  // "gone" released its 40 at the first beginPorts: a request for it is granted.
  r.beginPorts(new Set(["a", "e"]), new Map([["e", 40]]));
  assert.equal(r.keyFor("e", 40), 40);
});
