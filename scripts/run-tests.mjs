#!/usr/bin/env node
import { spawnSync } from "node:child_process";
// Runs the compiled test files with Node's own test runner.
//   node scripts/run-tests.mjs            every test
//   node scripts/run-tests.mjs unit       only tests that need no Open vSwitch/OVN peers
//   node scripts/run-tests.mjs PATTERN    test files whose path contains PATTERN
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.js")) out.push(p);
  }
  return out;
}

const arg = process.argv[2];
let files = [...walk("dist/test", []), ...walk("dist/src", []), ...walk("dist/bench", [])].sort();
if (arg === "unit") files = files.filter((f) => !/[/\\](peer|e2e|differential)[/\\]/.test(f));
else if (arg !== undefined) files = files.filter((f) => f.includes(arg));
if (files.length === 0) {
  console.error("run-tests: no test files matched");
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
