// Compiles each corpus scenario's Southbound database with our compiler and compares the logical tables
// with what the real ovn-controller installed.  Pure apart from reading the corpus files; used by the
// differential test and runnable for a report:  node dist/src/controller/lflow/peer/diff-corpus.js [-v]

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatFlow, formatGroup } from "../../../openflow/text.js";
import { type PhysicalInput, physicalFlows, sequentialZones } from "../../physical/index.js";
import { compileLogicalFlows, localDatapaths } from "../index.js";
import { type JsonTables, type SbView, sbViewFromTables } from "../sb.js";
import { toFlowMod, toGroupMod } from "../to-model.js";
import {
  diffTables,
  isLogicalTable,
  isPhysicalTable,
  normalise,
  parseDump,
  parseGroups,
  type TableDiff,
} from "./compare.js";
import { SCENARIOS } from "./scenarios.js";

export const CORPUS_DIR = fileURLToPath(
  new URL("../../../../../src/controller/lflow/peer/corpus/", import.meta.url),
);

export interface CorpusFile {
  readonly scenario: string;
  readonly sb: JsonTables;
  readonly flows: string;
  readonly groups: string;
  readonly interfaces: readonly { name: string; ofport: number; externalIds: Record<string, string> }[];
}

export function readCorpus(name: string): CorpusFile {
  return JSON.parse(readFileSync(`${CORPUS_DIR}${name}.json`, "utf8")) as CorpusFile;
}

export interface ScenarioDiff {
  readonly scenario: string;
  readonly tables: readonly TableDiff[];
  readonly physical: readonly TableDiff[];
  readonly errors: readonly string[];
}

/** The binding state the physical flows need, read from the captured interfaces of br-int: VIFs by
 *  iface-id, tunnels named ovn-<chassis>-0, localnet patch ports named patch-br-int-to-<port>. */
export function physicalInput(c: CorpusFile, view: SbView, chassis: string): PhysicalInput {
  const vifPorts = new Map<string, number>();
  const tunnelPorts = new Map<string, number>();
  const localnetPorts = new Map<string, number>();
  for (const i of c.interfaces) {
    const id = i.externalIds["iface-id"];
    if (id !== undefined) vifPorts.set(id, i.ofport);
    const tun = /^ovn-(.+)-0$/.exec(i.name);
    if (tun !== null) tunnelPorts.set(tun[1] as string, i.ofport);
    const ln = /^patch-br-int-to-(.+)$/.exec(i.name);
    if (ln !== null) localnetPorts.set(ln[1] as string, i.ofport);
  }
  return {
    chassis,
    view,
    localDatapaths: localDatapaths(view, chassis),
    vifPorts,
    tunnelPorts,
    localnetPorts,
    ...sequentialZones(),
  };
}

/**
 * Our flow tables for a captured scenario against the real controller's.  Ours are printed by
 * src/openflow/text.ts from the model's FlowMods and GroupMods (to-model.ts) and compared line for
 * line, match field order included.
 */
export function diffScenario(c: CorpusFile, chassis = "hv1"): ScenarioDiff {
  const view = sbViewFromTables(c.sb);
  const out = compileLogicalFlows(view, chassis);
  const phys = physicalFlows(physicalInput(c, view, chassis));
  const ourText = [...out.flows, ...phys].map((f) => formatFlow(toFlowMod(f))).join("\n");
  const ourGroups = parseGroups(out.groups.map((g) => formatGroup(toGroupMod(g))).join("\n"));
  const theirs = normalise(parseDump(c.flows), parseGroups(c.groups), { sortMatch: false });
  const ours = normalise(parseDump(ourText), ourGroups, { sortMatch: false });
  return {
    scenario: c.scenario,
    tables: diffTables(theirs, ours, isLogicalTable),
    physical: diffTables(theirs, ours, isPhysicalTable),
    errors: out.errors,
  };
}

function main(verbose: boolean): void {
  for (const sc of SCENARIOS) {
    const d = diffScenario(readCorpus(sc.name));
    const same = d.tables.reduce((n, t) => n + t.same, 0);
    const total = d.tables.reduce((n, t) => n + t.theirs, 0);
    const ours = d.tables.reduce((n, t) => n + t.ours, 0);
    const psame = d.physical.reduce((n, t) => n + t.same, 0);
    const ptotal = d.physical.reduce((n, t) => n + t.theirs, 0);
    const pours = d.physical.reduce((n, t) => n + t.ours, 0);
    process.stdout.write(
      `${sc.name}: logical ${same}/${total} (we have ${ours}), physical ${psame}/${ptotal} (we have ${pours}), ${d.errors.length} errors\n`,
    );
    if (!verbose) continue;
    for (const e of d.errors) process.stdout.write(`  error ${e}\n`);
    for (const t of [...d.tables, ...d.physical]) {
      for (const l of t.missing) process.stdout.write(`  - ${t.table} ${l}\n`);
      for (const l of t.extra) process.stdout.write(`  + ${t.table} ${l}\n`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.includes("-v"));
}
