// The idle compaction's policy (idle-compact.ts) and which daemons use it (heap.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { idleCompaction } from "../heap.js";
import { IdleCompactPolicy } from "../idle-compact.js";

const MiB = 1024 * 1024;

test("idleCompaction: the database server only, unless OVNTS_IDLE_COMPACT=off", () => {
  assert.equal(idleCompaction("ovsdb-server", {}), true);
  assert.equal(idleCompaction("ovsdb-server", { OVNTS_IDLE_COMPACT: "on" }), true);
  assert.equal(idleCompaction("ovsdb-server", { OVNTS_IDLE_COMPACT: "off" }), false);
  assert.equal(idleCompaction("ovn-northd", { OVNTS_IDLE_COMPACT: "on" }), false);
  assert.equal(idleCompaction("ovn-controller", {}), false);
});

/** A policy with a 200 ms period, 16 MiB of growth and 2 quiet checks, ticked on time unless told otherwise. */
function policy(heapUsed: number): {
  tick(reads: number, heap: number, lateBy?: number): boolean;
  p: IdleCompactPolicy;
  now(): number;
} {
  let now = 0;
  const p = new IdleCompactPolicy(now, heapUsed, 0, 200, 16 * MiB, 2);
  return {
    p,
    now: () => now,
    tick(reads, heap, lateBy = 0) {
      now += 200 + lateBy;
      return p.tick(now, reads, heap);
    },
  };
}

test("IdleCompactPolicy: compacts once enough checks pass without reads after enough growth", () => {
  const a = policy(10 * MiB);
  // Growing while busy: never.
  assert.equal(a.tick(100, 20 * MiB), false);
  assert.equal(a.tick(200, 30 * MiB), false);
  // Idle but not grown enough since the start: no.
  const b = policy(10 * MiB);
  assert.equal(b.tick(0, 25 * MiB), false);
  assert.equal(b.tick(0, 25 * MiB), false);
  // After 20 MiB of growth: one quiet check is not enough, two are; then not again until it grows by as
  // much once more.
  assert.equal(a.tick(200, 30 * MiB), false, "one quiet check");
  assert.equal(a.tick(200, 30 * MiB), true, "two");
  a.p.compacted(a.now() + 50, 24 * MiB);
  assert.equal(a.tick(200, 24 * MiB), false);
  assert.equal(a.tick(300, 39 * MiB), false, "busy");
  assert.equal(a.tick(300, 39 * MiB), false, "quiet");
  assert.equal(a.tick(300, 39 * MiB), false, "quiet, 15 MiB grown");
  assert.equal(a.tick(300, 40 * MiB), true, "quiet, 16 MiB grown");
  // A read between quiet checks starts the count again.
  a.p.compacted(a.now(), 20 * MiB);
  assert.equal(a.tick(300, 40 * MiB), false);
  assert.equal(a.tick(301, 40 * MiB), false, "a read");
  assert.equal(a.tick(301, 40 * MiB), false);
  assert.equal(a.tick(301, 40 * MiB), true);
});

test("IdleCompactPolicy: a check held up by work on the event loop is not a quiet one", () => {
  // Start-up: a file loaded synchronously before the first read (no reads, but the check is late).
  const a = policy(5 * MiB);
  assert.equal(a.tick(0, 60 * MiB, 1300), false);
  assert.equal(a.tick(0, 60 * MiB), false, "one quiet check on time");
  assert.equal(a.tick(0, 60 * MiB), true, "two");
  const b = policy(5 * MiB);
  assert.equal(b.tick(0, 60 * MiB), false);
  assert.equal(b.tick(0, 60 * MiB, 201), false, "late by more than a period");
  const c = policy(5 * MiB);
  assert.equal(c.tick(0, 60 * MiB), false);
  assert.equal(c.tick(0, 60 * MiB, 199), true, "late by less than a period: still quiet");
});

test("IdleCompactPolicy: growth counts from the smallest heap seen (rows deleted, V8's own collections)", () => {
  const a = policy(30 * MiB);
  assert.equal(a.tick(10, 12 * MiB), false);
  assert.equal(a.tick(20, 27 * MiB), false);
  assert.equal(a.tick(20, 27 * MiB), false);
  assert.equal(a.tick(20, 28 * MiB), true);
});
