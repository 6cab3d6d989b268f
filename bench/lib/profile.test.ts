import assert from "node:assert/strict";
import { test } from "node:test";
import { type CpuProfile, renderProfile, summarizeProfile } from "./profile.js";

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) → main (ours) → leaf (ours) → leaf again (recursion), and (root) → (idle), (root) → gc.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 5, 6] },
    { id: 2, callFrame: frame("main", "file:///repo/dist/a.js", 9), children: [3] },
    { id: 3, callFrame: frame("leaf", "file:///repo/dist/b.js", 0), children: [4] },
    { id: 4, callFrame: frame("leaf", "file:///repo/dist/b.js", 0) },
    { id: 5, callFrame: frame("(idle)") },
    { id: 6, callFrame: frame("(garbage collector)") },
  ],
  // Each sample lasts until the next; the last one gets the mean interval (1000 µs here).
  samples: [2, 3, 4, 4, 5, 6],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 2000],
};

test("self and total time per function; recursion counted once; idle kept apart", () => {
  const s = summarizeProfile(profile, "file:///repo/");
  assert.equal(s.idleMs, 2);
  assert.equal(s.busyMs, 5);
  const byKey = new Map(s.functions.map((f) => [f.key, f]));
  assert.deepEqual(byKey.get("leaf dist/b.js:1"), {
    key: "leaf dist/b.js:1",
    selfMs: 3,
    totalMs: 3,
    own: true,
  });
  assert.deepEqual(byKey.get("main dist/a.js:10"), {
    key: "main dist/a.js:10",
    selfMs: 1,
    totalMs: 4,
    own: true,
  });
  assert.deepEqual(byKey.get("(garbage collector)"), {
    key: "(garbage collector)",
    selfMs: 1,
    totalMs: 1,
    own: false,
  });
  assert.equal(byKey.has("(idle)"), false);
  assert.equal(byKey.has("(root)"), false);
  assert.equal(s.functions[0]?.key, "leaf dist/b.js:1", "sorted by self time");
});

test("rendered: self-time list, then only our functions by total time", () => {
  const text = renderProfile("p", summarizeProfile(profile, "file:///repo/"), 2);
  const lines = text.split("\n");
  assert.equal(lines[0], "p: busy 5 ms, idle 2 ms");
  const ours = lines.slice(lines.indexOf("our functions by total time:") + 2).filter((l) => l !== "");
  assert.equal(ours.length, 2);
  assert.match(ours[0] ?? "", /4 ms +80\.0% +main dist\/a\.js:10$/);
  assert.ok(!text.split("our functions")[1]?.includes("garbage"));
});
