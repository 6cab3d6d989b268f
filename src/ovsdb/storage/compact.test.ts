import assert from "node:assert/strict";
import { test } from "node:test";
import { type LogStats, shouldCompact } from "./compact.js";

const MIN = 60_000;
const MB = 1024 * 1024;
const base: LogStats = { bytes: 30 * MB, records: 500, snapshotBytes: 10 * MB, compactedAt: 0 };

test("shouldCompact follows ovsdb-server(1)'s documented policy", () => {
  const cases: Array<[string, Partial<LogStats>, number, boolean]> = [
    ["grew 3x past 10 MB after 10 minutes", {}, 10 * MIN, true],
    ["not before 10 minutes", {}, 10 * MIN - 1, false],
    ["not before 100 records", { records: 99 }, 60 * MIN, false],
    ["exactly 100 records is enough", { records: 100 }, 60 * MIN, true],
    ["under 10 MB is not 'grew lots'", { bytes: 10 * MB - 1, snapshotBytes: 1 }, 60 * MIN, false],
    ["10 MB and more than twice is", { bytes: 10 * MB, snapshotBytes: 5 * MB - 1 }, 60 * MIN, true],
    ["exactly twice is not over twice", { bytes: 20 * MB, snapshotBytes: 10 * MB }, 60 * MIN, false],
    ["small, but 24 hours passed", { bytes: 1000, snapshotBytes: 1000 }, 24 * 60 * MIN, true],
    [
      "small, 24 hours passed, too few records",
      { bytes: 1000, snapshotBytes: 1000, records: 50 },
      48 * 60 * MIN,
      false,
    ],
    ["small, just under 24 hours", { bytes: 1000, snapshotBytes: 1000 }, 24 * 60 * MIN - 1, false],
  ];
  for (const [name, delta, now, want] of cases) {
    assert.equal(shouldCompact({ ...base, ...delta }, now), want, name);
  }
});

test("shouldCompact measures time from the last compaction", () => {
  assert.equal(shouldCompact({ ...base, compactedAt: 1_000_000 }, 1_000_000 + 5 * MIN), false);
  assert.equal(shouldCompact({ ...base, compactedAt: 1_000_000 }, 1_000_000 + 11 * MIN), true);
});
