// `npm run bench -- e2e [OPTIONS]`: project issue 8, the time to create a VM's port. Two whole stacks
// in one run, each in its own sandbox on one of the northd benchmark's topologies (default M) with the
// ports of the first switches bound on one chassis (default 200 VIFs; chassis hv2, a compute node, as
// the topology's gateway ports are on hv1):
//   - C:     ovsdb-server (NB, SB), ovn-northd, ovn-controller;
//   - ovnts: `ovnts ovsdb-server` (NB, SB), `ovnts northd`, `ovnts controller`;
// both on the real ovs-vswitchd (--enable-dummy=override). Then, --vms times, alternating between the
// stacks: the CMS (this process, through its NB IDL, as Neutron or ovn-kubernetes do) adds a logical
// port with addresses in one transaction, then plugs its interface (ovs-vsctl add-port … iface-id),
// and the clock runs until the Logical_Switch_Port is up in NB. On the way, the benchmark's NB and SB
// monitors date each step: NB commit → SB Port_Binding appears → claimed (Port_Binding.chassis) →
// Port_Binding.up → NB up. Prints a Markdown table on stdout (per-port lines on stderr); writes
// bench/results/e2e.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configureLog, logger } from "../../src/base/log.js";
import type { Daemon } from "../../test/support/daemon.js";
import type { Impl } from "../../test/support/impl.js";
import { Sandbox } from "../../test/support/sandbox.js";
import { type Central, chassisUuid, startCentral } from "../lib/central.js";
import {
  type Hypervisor,
  printProfiles,
  procUsage,
  spawnController,
  startHypervisor,
} from "../lib/hypervisor.js";
import { formatJson } from "../lib/report.js";
import {
  applyStackFlag,
  checkStackOptions,
  localVifs,
  type StackOptions,
  stackDefaults,
} from "../lib/stack-options.js";
import { median, percentile } from "../lib/stats.js";
import { portAddress, swName, TOPOLOGIES, type Topology } from "../northd/topology.js";

const log = logger("bench");
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const USAGE = `usage: npm run bench -- e2e [OPTIONS]
  --size=S|M|L        topology (default M)
  --local=N           switches whose ports are all bound on the chassis (default 10: 200 VIFs at M)
  --vms=N             ports created per stack, one after the other (default 50, at most 100)
  --impls=LIST        stacks to run (default c,ovnts)
  --ovnts-bin=PATH    the ovnts controller from another build (e.g. a copy with a change)
  --system-id=NAME    the chassis (default hv2, a compute node; hv1 is every router's gateway chassis)
  --profile=DIR       run the ovnts controller under node --cpu-prof into DIR and print its top functions
  --no-save           do not write bench/results/e2e.json
`;

interface Options extends StackOptions {
  vms: number;
}

/** The steps of one port's creation, in order, as milliseconds since the NB transaction was sent. */
export const STEPS = ["nbCommit", "plugged", "sbPort", "claimed", "sbUp", "nbUp"] as const;
export type Step = (typeof STEPS)[number];
export type Marks = Record<Step, number>;

const STEP_TITLE: Record<Step, string> = {
  nbCommit: "NB commit",
  plugged: "VIF plugged",
  sbPort: "SB Port_Binding",
  claimed: "claimed (PB.chassis)",
  sbUp: "PB.up",
  nbUp: "NB LSP up",
};

export interface E2eResult {
  impl: Impl;
  startMs: number;
  medianMs: number;
  p95Ms: number;
  /** Median of each step's time since the start. */
  stepMedians: Marks;
  samples: Marks[];
  rssKiB: Record<string, number>;
}

interface Stack {
  impl: Impl;
  box: Sandbox;
  central: Central;
  hv: Hypervisor;
  controller: Daemon;
  startMs: number;
}

function parseArgs(argv: readonly string[]): Options | string {
  const o: Options = { ...stackDefaults(), vms: 50 };
  for (const a of argv) {
    if (applyStackFlag(o, a)) continue;
    const [flag, value = ""] = a.split(/=(.*)/s, 2);
    const n = Number(value);
    if (flag === "--vms" && n > 0 && n <= 100) o.vms = n;
    else return `unknown argument ${a}`;
  }
  return checkStackOptions(o) ?? o;
}

async function startStack(impl: Impl, t: Topology, o: Options): Promise<Stack> {
  const box = Sandbox.create();
  try {
    log.info(`${impl} stack: NB, SB, northd; populating ${t.name}`);
    const central = await startCentral(box, { name: "central", dbImpl: impl, northdImpl: impl, topology: t });
    const vifs = localVifs(t, o.local);
    const hv = await startHypervisor(box, {
      name: "hv",
      sbRemote: central.sb.remote,
      systemId: o.systemId,
      vifs,
    });
    log.info(`${impl} stack: controller with ${vifs.length} VIFs`);
    const t0 = performance.now();
    const controller = spawnController(box, {
      impl,
      name: "controller",
      ovsRemote: hv.ovs.remote,
      ...(o.ovntsBin !== undefined && { ovntsBin: o.ovntsBin }),
      ...(impl === "ovnts" && o.profileDir !== undefined && { profileDir: join(o.profileDir, "controller") }),
    });
    const names = new Set(vifs.map((v) => v.ifaceId));
    await central.sbIdl.waitUntil(() => {
      const ch = chassisUuid(central.sbIdl, o.systemId);
      let n = 0;
      for (const p of central.sbIdl.rows("Port_Binding"))
        if (ch !== undefined && p.chassis === ch && p.up === true && names.has(p.logicalPort)) n++;
      return n === names.size;
    }, 600_000);
    const startMs = performance.now() - t0;
    log.info(`${impl} stack: ${names.size} ports up after ${startMs.toFixed(0)} ms`);
    return { impl, box, central, hv, controller, startMs };
  } catch (e) {
    process.stderr.write(`${box.logTails(15)}\n`);
    await box.cleanup();
    throw e;
  }
}

/** Creates and plugs port `vm<i>` on the stack; the steps' times since its NB transaction was sent. */
async function createVm(s: Stack, i: number, local: number): Promise<Marks> {
  const { nbIdl, sbIdl } = s.central;
  const name = `vm${i}`;
  const sw = i % local;
  const marks: Partial<Marks> = {};
  let t0 = 0;
  const mark = (step: Step): void => {
    if (marks[step] === undefined) marks[step] = performance.now() - t0;
  };
  const onSb = (): void => {
    const pb = sbIdl.rows("Port_Binding").find((p) => p.logicalPort === name);
    if (pb === undefined) return;
    mark("sbPort");
    if (pb.chassis !== undefined) mark("claimed");
    if (pb.up === true) mark("sbUp");
  };
  const offSb = sbIdl.onChange(onSb);
  const offNb = nbIdl.onChange(() => {
    if (nbIdl.rows("Logical_Switch_Port").some((p) => p.name === name && p.up === true)) mark("nbUp");
  });
  try {
    const lswitch = nbIdl.rows("Logical_Switch").find((x) => x.name === swName(sw));
    if (lswitch === undefined) throw new Error(`no switch ${swName(sw)}`);
    t0 = performance.now();
    await nbIdl.transact((txn) => {
      const lsp = txn.insert("Logical_Switch_Port", { name, addresses: [portAddress(sw, 120 + i)] });
      txn.mutate("Logical_Switch", lswitch._uuid, "ports", "insert", lsp);
    });
    mark("nbCommit");
    await s.hv.plug([{ name, ifaceId: name }]);
    mark("plugged");
    await nbIdl.waitUntil(() => marks.nbUp !== undefined, 120_000);
  } finally {
    offSb();
    offNb();
  }
  // A step no monitor saw happen on its own (two changes in one update) took no longer than the next.
  let next = marks.nbUp as number;
  for (const step of [...STEPS].reverse()) {
    const v = marks[step];
    if (v === undefined) marks[step] = next;
    else next = Math.min(next, v);
  }
  return marks as Marks;
}

function formatMarks(m: Marks): string {
  return STEPS.map((s) => `${STEP_TITLE[s]} ${m[s].toFixed(0)}`).join(" → ");
}

function summarize(s: Stack, samples: Marks[]): E2eResult {
  const total = samples.map((m) => m.nbUp);
  const stepMedians = Object.fromEntries(STEPS.map((st) => [st, median(samples.map((m) => m[st]))])) as Marks;
  const rss = (pid: number): number => {
    try {
      return procUsage(pid).rssKiB;
    } catch {
      return Number.NaN;
    }
  };
  return {
    impl: s.impl,
    startMs: s.startMs,
    medianMs: median(total),
    p95Ms: percentile(total, 95),
    stepMedians,
    samples,
    rssKiB: {
      nb: rss(s.central.nb.pid),
      sb: rss(s.central.sb.pid),
      northd: rss(s.central.northd.pid),
      controller: rss(s.controller.pid),
    },
  };
}

const STACK_NAME: Record<Impl, string> = {
  c: "C (ovsdb-server, ovn-northd, ovn-controller)",
  ovnts: "ovnts",
};

export function renderE2eMarkdown(size: string, results: readonly E2eResult[]): string {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = [
    `| ${size}: stack | VM port → NB up median (ms) | p95 (ms) | ${STEPS.map((s) => STEP_TITLE[s]).join(" | ")} | RSS NB/SB/northd/controller (MiB) |`,
    `|---|---:|---:|${STEPS.map(() => "---:").join("|")}|---|`,
  ];
  for (const r of results) {
    const rss = ["nb", "sb", "northd", "controller"]
      .map((k) => f((r.rssKiB[k] ?? Number.NaN) / 1024))
      .join(" / ");
    lines.push(
      `| ${STACK_NAME[r.impl]} | ${f(r.medianMs)} | ${f(r.p95Ms)} | ${STEPS.map((s) => f(r.stepMedians[s])).join(" | ")} | ${rss} |`,
    );
  }
  lines.push("", "Step columns: median time from sending the NB transaction until the step was seen.");
  const c = results.find((r) => r.impl === "c");
  const t = results.find((r) => r.impl === "ovnts");
  if (c !== undefined && t !== undefined)
    lines.push(
      `- ovnts/C median ${(t.medianMs / c.medianMs).toFixed(2)}× (target ≤ 0.25×), p95 ${(t.p95Ms / c.p95Ms).toFixed(2)}×`,
    );
  return `${lines.join("\n")}\n`;
}

export async function runE2eBench(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = parseArgs(argv);
  if (typeof o === "string") {
    process.stderr.write(`bench e2e: ${o}\n${USAGE}`);
    return 1;
  }
  const t = TOPOLOGIES[o.size] as Topology;
  configureLog({ sinks: [(line) => process.stderr.write(`${line}\n`)] });
  const loadAtStart = loadavg()[0] ?? 0;
  const stacks: Stack[] = [];
  const samples = new Map<Impl, Marks[]>();
  const results: E2eResult[] = [];
  try {
    for (const impl of o.impls) stacks.push(await startStack(impl, t, o));
    for (let i = 0; i < o.vms; i++)
      for (const s of stacks) {
        const m = await createVm(s, i, o.local);
        log.info(`${s.impl} vm${i}: ${formatMarks(m)}`);
        samples.set(s.impl, [...(samples.get(s.impl) ?? []), m]);
        await new Promise((r) => setTimeout(r, 100));
      }
    for (const s of stacks) results.push(summarize(s, samples.get(s.impl) ?? []));
  } finally {
    for (const s of stacks) {
      await s.controller.stop(30_000);
      await s.hv.stop();
      await s.central.stop();
      await s.box.cleanup();
    }
  }
  if (o.profileDir !== undefined)
    printProfiles(join(o.profileDir, "controller"), `ovnts controller (e2e ${t.name})`, o.ovntsBin);
  process.stdout.write(renderE2eMarkdown(t.name, results));
  if (o.save) {
    const dir = join(repoRoot, "bench/results");
    mkdirSync(dir, { recursive: true });
    const meta = {
      date: new Date().toISOString(),
      cpus: cpus().length,
      kernel: release(),
      loadAtStart,
      loadAtEnd: loadavg()[0] ?? 0,
      size: t.name,
      systemId: o.systemId,
      vms: o.vms,
    };
    writeFileSync(join(dir, "e2e.json"), `${formatJson({ meta, results })}\n`);
  }
  return 0;
}
