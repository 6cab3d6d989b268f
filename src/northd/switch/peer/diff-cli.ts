// Developer tool: runs the switch corpus (or the scenarios named on the command line) through both
// northds and prints the per-stage comparison of the ls_* flows. With --dump DIR it also writes each
// side's flow lines to DIR/NAME.{c,ts}.
//   node dist/src/northd/switch/peer/diff-cli.js [--dump DIR] [--summary] [NAME...]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareDumps, formatComparison, summarise, withBothNorthds } from "../../peer/harness.js";
import { DEPENDENCY_STEPS, DYNAMIC, STEPS, SWITCH_SCENARIOS } from "./scenarios.js";

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
const opts = { stages: ["ls_"] };
/** Per stage over all scenarios: [same, missing, extra]. */
const total = new Map<string, [number, number, number]>();
for (const sc of [...SWITCH_SCENARIOS, DYNAMIC, STEPS, DEPENDENCY_STEPS]) {
  if (names.length > 0 && !names.includes(sc.name ?? "")) continue;
  await withBothNorthds(sc, { ...opts, check: true }, async (both) => {
    const { c, ts } = await both.dump(opts);
    const keep = (l: string): boolean => (l.split(" ")[2] ?? "").startsWith("ls_");
    if (dumpDir !== undefined) {
      mkdirSync(dumpDir, { recursive: true });
      const base = join(dumpDir, (sc.name ?? "x").replace(/[^a-z0-9]+/gi, "_"));
      writeFileSync(`${base}.c`, `${c.flows.filter(keep).join("\n")}\n`);
      writeFileSync(`${base}.ts`, `${ts.flows.filter(keep).join("\n")}\n`);
    }
    const cmp = compareDumps(c, ts, opts);
    for (const [st, d] of cmp.stages) {
      const t = total.get(st) ?? [0, 0, 0];
      total.set(st, [t[0] + d.same, t[1] + d.missing.length, t[2] + d.extra.length]);
    }
    process.stdout.write(`=== ${sc.name}: ${cmp.equal ? "IDENTICAL" : "DIFFERS"}\n`);
    process.stdout.write(`${summary ? summarise(cmp) : formatComparison(cmp, 15)}\n`);
  });
}

if (summary) {
  process.stdout.write("=== all scenarios, per stage: same / missing in ovnts / extra in ovnts\n");
  for (const [st, [same, missing, extra]] of [...total].sort())
    process.stdout.write(
      `${st.padEnd(24)} ${String(same).padStart(5)} ${String(missing).padStart(4)} ${String(extra).padStart(4)}\n`,
    );
}
