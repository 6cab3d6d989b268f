// Golden tests on the hand-made Southbound database of fixture.ts: each case in golden/fixture.txt is
// `### DATAPATH [OPTION...] | MICROFLOW` followed by exactly what `ovnts trace --all` prints for it.
// Run with OVNTS_REFRESH_GOLDEN=1 to rewrite the expectations from the current output (then review
// the diff).  The real ovn-trace is the reference for the shapes: see peer/differential.test.ts.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { FIXTURE_TABLES } from "./fixture.js";
import { DbIndex } from "./index-db.js";
import type { TraceOptions } from "./interp.js";
import { renderTrace } from "./render.js";
import { traceDbFromTables } from "./sb.js";

const FILE = fileURLToPath(new URL("../../../src/trace/golden/fixture.txt", import.meta.url));

interface Case {
  readonly header: string;
  readonly expected: string;
}

function readCases(): Case[] {
  const text = readFileSync(FILE, "utf8");
  return text
    .split(/^### /m)
    .slice(1)
    .map((chunk) => {
      const nl = chunk.indexOf("\n");
      return { header: chunk.slice(0, nl), expected: chunk.slice(nl + 1) };
    });
}

function run(index: DbIndex, header: string): string {
  const [left = "", microflow = ""] = header.split(" | ");
  const [dp = "", ...args] = left.trim().split(/\s+/);
  const ct = args.filter((a) => a.startsWith("--ct=")).map((a) => a.slice(5));
  const opts: TraceOptions = { ct };
  return renderTrace(index, dp, microflow, ["detailed", "summary", "minimal"], opts);
}

test("traces of the fixture database match the golden file", () => {
  const index = new DbIndex(traceDbFromTables(FIXTURE_TABLES));
  const cases = readCases();
  assert.ok(cases.length >= 6);
  if (process.env.OVNTS_REFRESH_GOLDEN === "1") {
    writeFileSync(FILE, cases.map((c) => `### ${c.header}\n${run(index, c.header)}`).join(""));
    return;
  }
  for (const c of cases) assert.equal(run(index, c.header), c.expected, c.header);
});
