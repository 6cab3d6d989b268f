// Differential test of `ovnts nbctl`/`ovnts sbctl` against the real ovn-nbctl/ovn-sbctl 23.03: every
// corpus section runs on its own pair of fresh ovsdb-servers (real tool on one, ours on the other); each
// line's stdout, stderr and exit code must agree, and so must both databases afterwards.
import assert from "node:assert/strict";
import { test } from "node:test";
import { NBCTL_CORPUS, SBCTL_CORPUS } from "./corpus.js";
import { dump, type LineResult, runCorpus, startServer, stopServer } from "./harness.js";

/** Sections run this many at a time (each line already runs two processes at once). */
const PARALLEL = 4;

interface SectionResult {
  readonly tool: "nbctl" | "sbctl";
  readonly lines: readonly LineResult[];
  readonly dumps: readonly [string, string][];
}

async function runSection(tool: "nbctl" | "sbctl", lines: readonly string[]): Promise<SectionResult> {
  const real = await startServer();
  const ours = await startServer();
  try {
    const results = await runCorpus(tool, real, ours, lines);
    const dumps: [string, string][] = ["OVN_Northbound", "OVN_Southbound"].map((db) => [
      dump(ours.sock, db),
      dump(real.sock, db),
    ]);
    return { tool, lines: results, dumps };
  } finally {
    stopServer(real);
    stopServer(ours);
  }
}

async function runAll(jobs: readonly (() => Promise<SectionResult>)[]): Promise<SectionResult[]> {
  const out: SectionResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await (jobs[i] as () => Promise<SectionResult>)();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return out;
}

test("nbctl and sbctl agree with the real tools line by line and in the databases they leave", {
  timeout: 300_000,
}, async () => {
  const sections = await runAll([
    ...NBCTL_CORPUS.map((s) => () => runSection("nbctl", s)),
    ...SBCTL_CORPUS.map((s) => () => runSection("sbctl", s)),
  ]);
  const diffs: string[] = [];
  for (const tool of ["nbctl", "sbctl"] as const) {
    const lines = sections.filter((s) => s.tool === tool).flatMap((s) => s.lines);
    const bad = lines.filter((r) => !r.agree);
    process.stdout.write(`# ${tool}: ${lines.length - bad.length} of ${lines.length} command lines agree\n`);
    for (const r of bad)
      diffs.push(`${tool} ${r.line}\n  real: ${JSON.stringify(r.real)}\n  ours: ${JSON.stringify(r.ours)}`);
  }
  assert.deepEqual(diffs, []);
  for (const s of sections) for (const [ours, real] of s.dumps) assert.equal(ours, real);
});
