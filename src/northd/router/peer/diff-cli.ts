// Developer tool: runs the router corpus (or the scenarios named on the command line) through both
// northds and prints the per-stage comparison of the lr_* flows. With --dump DIR it also writes each
// side's flow lines to DIR/NAME.{c,ts}.
//   node dist/src/northd/router/peer/diff-cli.js [--dump DIR] [--summary] [NAME...]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareDumps, formatComparison, summarise, withBothNorthds } from "../../peer/harness.js";
import { ROUTER_SCENARIOS } from "./scenarios.js";

const args = process.argv.slice(2);
let dumpDir: string | undefined;
let summary = false;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] ?? "";
  if (a === "--dump") dumpDir = args[++i];
  else if (a === "--summary") summary = true;
  else names.push(a);
}
const opts = { stages: ["lr_"] };
for (const sc of ROUTER_SCENARIOS) {
  if (names.length > 0 && !names.includes(sc.name ?? "")) continue;
  await withBothNorthds(sc, opts, async (both) => {
    const { c, ts } = await both.dump(opts);
    const keep = (l: string): boolean => (l.split(" ")[2] ?? "").startsWith("lr_");
    if (dumpDir !== undefined) {
      mkdirSync(dumpDir, { recursive: true });
      const base = join(dumpDir, (sc.name ?? "x").replace(/[^a-z0-9]+/gi, "_"));
      writeFileSync(`${base}.c`, `${c.flows.filter(keep).join("\n")}\n`);
      writeFileSync(`${base}.ts`, `${ts.flows.filter(keep).join("\n")}\n`);
    }
    const cmp = compareDumps(c, ts, opts);
    process.stdout.write(`=== ${sc.name}: ${cmp.equal ? "IDENTICAL" : "DIFFERS"}\n`);
    process.stdout.write(`${summary ? summarise(cmp) : formatComparison(cmp, 15)}\n`);
  });
}
