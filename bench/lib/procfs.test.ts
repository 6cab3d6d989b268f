import assert from "node:assert/strict";
import { test } from "node:test";
import { parseStatCpuMs, parseVmRssKiB } from "./procfs.js";

test("parseStatCpuMs: utime + stime in ms, whatever the command name holds", () => {
  // Fields 14 (utime) = 250 ticks and 15 (stime) = 30 ticks.
  const tail = "S 1 2 3 0 -1 4194304 100 0 0 0 250 30 0 0 20 0 7 0 12345 1000 200";
  assert.equal(parseStatCpuMs(`4242 (node) ${tail}`), 2800);
  assert.equal(parseStatCpuMs(`4242 (a) b (c) d) ${tail}`), 2800);
  assert.throws(() => parseStatCpuMs("4242 (node) S 1"), /cannot parse/);
});

test("parseVmRssKiB", () => {
  const status = "Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   137264 kB\nRssAnon:\t 94548 kB\n";
  assert.equal(parseVmRssKiB(status), 137264);
  assert.throws(() => parseVmRssKiB("Name:\tnode\n"), /no VmRSS/);
});
