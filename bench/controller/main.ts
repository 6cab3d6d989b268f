// `npm run bench -- controller [OPTIONS]`: project issue 7. ovn-controller 23.03 and `ovnts controller`
// side by side on one of the northd benchmark's topologies (default M: 200 switches × 20 ports, 20
// routers, ACLs via port groups, LBs, NAT), with the ports of the first switches local to one chassis
// (default 10 switches: 200 VIFs). One real NB/SB (ovsdb-server) and one real ovn-northd serve both
// controllers, which run one after the other, each on a fresh ovs-vswitchd (--enable-dummy=override)
// whose br-int already holds the VIFs:
//   - start: from spawning the controller until every local port is up (Port_Binding.up) and until
//     br-int's flow count last changed (it then stays put for --quiet ms);
//   - RSS and CPU seconds of the controller at that point;
//   - plug: one more VIF added (ovs-vsctl add-port … iface-id) until its Port_Binding is up, --plugs
//     times (median and p95). Each controller plugs its own pre-made logical ports.
// Between the two, the chassis's SB records are removed and every port marked down.
// Prints a Markdown table on stdout; writes bench/results/controller.json.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configureLog, logger } from "../../src/base/log.js";
import type { Impl } from "../../test/support/impl.js";
import { Sandbox } from "../../test/support/sandbox.js";
import { ofctl } from "../../test/support/vswitchd.js";
import { type Central, chassisUuid, forgetChassis, startCentral } from "../lib/central.js";
import {
  FlowCountWatch,
  flowCount,
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

export const USAGE = `usage: npm run bench -- controller [OPTIONS]
  --size=S|M|L        topology (default M)
  --local=N           switches whose ports are all local to the chassis (default 10: 200 VIFs at M)
  --plugs=N           single-port plug samples per controller (default 20)
  --impls=LIST        controllers to run, in order (default c,ovnts)
  --quiet=MS          the flow count must stay put this long to count as installed (default 5000)
  --system-id=NAME    the chassis (default hv2, a compute node; hv1 is every router's gateway chassis)
  --profile=DIR       run the ovnts controller under node --cpu-prof into DIR and print its top functions
  --ovnts-bin=PATH    the ovnts controller from another build (e.g. a copy with a change)
  --no-save           do not write bench/results/controller.json
  --log-dir=DIR       copy each controller's log and stdout/stderr into DIR; ovnts logs at debug level
  --heap-snapshot=F   once the ovnts controller has settled, write its V8 heap snapshot to F
  --c-log=SPEC,...    with --log-dir: ovn-controller's log levels (-v each SPEC, e.g.
                      jsonrpc:file:dbg,ofctrl:file:dbg) for a timeline to compare; its own run slows
  --monitor-all       external_ids:ovn-monitor-all=true (every Southbound row from the first reply)
`;

interface Options extends StackOptions {
  plugs: number;
  quietMs: number;
  logDir: string | undefined;
  heapSnapshot: string | undefined;
  /** -v specs for ovn-controller (its timeline in --log-dir). */
  cLog: string[];
  monitorAll: boolean;
}

export interface ControllerResult {
  impl: Impl;
  localPorts: number;
  /** Spawn → every local Port_Binding up. */
  upMs: number;
  /** Spawn → last change of br-int's flow count. */
  flowsMs: number;
  flows: number;
  /** br-int's flow count just after every local port was seen up. */
  flowsAtUp: number;
  rssKiB: number;
  /** CPU time from spawn to the settled start. */
  startCpuMs: number;
  plugMedianMs: number;
  plugP95Ms: number;
  plugSamples: number[];
  /** CPU time used over all the plugs. */
  plugCpuMs: number;
}

function parseArgs(argv: readonly string[]): Options | string {
  const o: Options = {
    ...stackDefaults(),
    plugs: 20,
    quietMs: 5000,
    logDir: undefined,
    heapSnapshot: undefined,
    cLog: [],
    monitorAll: false,
  };
  for (const a of argv) {
    if (applyStackFlag(o, a)) continue;
    if (a === "--monitor-all") {
      o.monitorAll = true;
      continue;
    }
    const [flag, value = ""] = a.split(/=(.*)/s, 2);
    const n = Number(value);
    if (flag === "--plugs" && n > 0 && n <= 40) o.plugs = n;
    else if (flag === "--quiet" && n > 0) o.quietMs = n;
    else if (flag === "--log-dir" && value !== "") o.logDir = value;
    else if (flag === "--heap-snapshot" && value !== "") o.heapSnapshot = value;
    else if (flag === "--c-log" && value !== "") o.cLog = value.split(",").map((v) => `-v${v}`);
    else return `unknown argument ${a}`;
  }
  return checkStackOptions(o) ?? o;
}

/** The logical port the i-th plug of `impl` uses (made in NB up front, on the local switches). */
function plugPort(impl: Impl, i: number, local: number): { sw: number; name: string; address: string } {
  const sw = i % local;
  // Ports 40.. and 80.. of a switch: clear of the topology's 0..19 and of each other (plugs ≤ 40).
  return { sw, name: `${swName(sw)}-x${impl}${i}`, address: portAddress(sw, (impl === "c" ? 40 : 80) + i) };
}

function allUp(c: Central, systemId: string, names: ReadonlySet<string>): boolean {
  const ch = chassisUuid(c.sbIdl, systemId);
  if (ch === undefined) return false;
  let n = 0;
  for (const p of c.sbIdl.rows("Port_Binding"))
    if (names.has(p.logicalPort) && p.up === true && p.chassis === ch) n++;
  return n === names.size;
}

async function runOne(
  box: Sandbox,
  c: Central,
  t: Topology,
  impl: Impl,
  o: Options,
): Promise<ControllerResult> {
  const vifs = localVifs(t, o.local);
  const names = new Set(vifs.map((v) => v.ifaceId));
  log.info(`${impl}: starting ovs-vswitchd with ${vifs.length} VIFs`);
  const hv = await startHypervisor(box, {
    name: `hv-${impl}`,
    sbRemote: c.sb.remote,
    systemId: o.systemId,
    vifs,
    ...(o.monitorAll && { externalIds: { "ovn-monitor-all": "true" } }),
  });
  const profileDir =
    impl === "ovnts" && o.profileDir !== undefined ? join(o.profileDir, "controller") : undefined;
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  try {
    log.info(`${impl}: starting the controller`);
    const t0 = performance.now();
    const watch = new FlowCountWatch(box, t0);
    const d = spawnController(box, {
      impl,
      name: `ctl-${impl}`,
      ovsRemote: hv.ovs.remote,
      ...(profileDir !== undefined && { profileDir }),
      ...(o.ovntsBin !== undefined && { ovntsBin: o.ovntsBin }),
      ...(o.logDir !== undefined && { extraArgs: impl === "c" ? o.cLog : ["-vfile:dbg"] }),
    });
    // A controller that dies on the way (e.g. a V8 flag it cannot take) fails the run at once.
    const died = d.exited.then((e) => {
      throw new Error(`${impl} controller exited during the start: ${JSON.stringify(e)}`);
    });
    await Promise.race([c.sbIdl.waitUntil(() => allUp(c, o.systemId, names), 600_000), died]);
    died.catch(() => undefined);
    const upMs = performance.now() - t0;
    // br-int's flow count when up was seen (one dump-aggregate later, ~5-20 ms): how much of the table
    // "up" covered (ovn-controller marks a port up once the flows desired at its claim are installed).
    const flowsAtUp = await flowCount(box).catch(() => -1);
    log.info(
      `${impl}: ${names.size} ports up after ${upMs.toFixed(0)} ms (${flowsAtUp} flows then); waiting for the flow count to settle`,
    );
    await watch.waitStable(o.quietMs, 600_000);
    await watch.stop();
    const settled = procUsage(d.pid);
    // With --log-dir, the settled table too: the two controllers' tables can then be compared line by line.
    if (o.logDir !== undefined) {
      mkdirSync(o.logDir, { recursive: true });
      writeFileSync(
        join(o.logDir, `flows-${impl}.txt`),
        await ofctl(box, "--no-stats", "dump-flows", "br-int"),
      );
    }
    if (impl === "ovnts" && o.heapSnapshot !== undefined)
      execFileSync("ovs-appctl", ["-t", box.path(`ctl-${impl}.ctl`), "debug/heap-snapshot", o.heapSnapshot]);
    log.info(
      `${impl}: ${watch.count} flows after ${watch.settledMs.toFixed(0)} ms; plugging ${o.plugs} ports`,
    );
    const samples: number[] = [];
    for (let i = 0; i < o.plugs; i++) {
      const p = plugPort(impl, i, o.local);
      const t1 = performance.now();
      await hv.plug([{ name: `plug${i}`, ifaceId: p.name }]);
      await c.sbIdl.waitUntil(() => allUp(c, o.systemId, new Set([p.name])), 60_000);
      samples.push(performance.now() - t1);
      // Let the controller finish the pass that reported the port before the next plug.
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = procUsage(d.pid);
    await d.stop(30_000);
    if (o.logDir !== undefined) {
      mkdirSync(o.logDir, { recursive: true });
      for (const ext of ["log", "out"])
        copyFileSync(box.path(`ctl-${impl}.${ext}`), join(o.logDir, `ctl-${impl}.${ext}`));
    }
    if (profileDir !== undefined) printProfiles(profileDir, `ovnts controller (${t.name})`, o.ovntsBin);
    return {
      impl,
      localPorts: names.size,
      upMs,
      flowsMs: watch.settledMs,
      flows: watch.count,
      flowsAtUp,
      rssKiB: settled.rssKiB,
      startCpuMs: settled.cpuMs,
      plugMedianMs: median(samples),
      plugP95Ms: percentile(samples, 95),
      plugSamples: samples,
      plugCpuMs: after.cpuMs - settled.cpuMs,
    };
  } finally {
    await hv.stop();
    await forgetChassis(c.sbIdl, o.systemId);
  }
}

const IMPL_NAME: Record<Impl, string> = { c: "ovn-controller 23.03", ovnts: "ovnts" };

export function renderControllerMarkdown(size: string, results: readonly ControllerResult[]): string {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = [
    `| ${size}: controller | local ports | start → ports up (ms) | start → flows installed (ms) | br-int flows (at up) | RSS (MiB) | CPU to settle (s) | plug → up median (ms) | p95 (ms) | CPU per plug (ms) |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results)
    lines.push(
      `| ${IMPL_NAME[r.impl]} | ${r.localPorts} | ${f(r.upMs)} | ${f(r.flowsMs)} | ${r.flows} (${r.flowsAtUp}) | ${f(r.rssKiB / 1024)} | ${(r.startCpuMs / 1000).toFixed(2)} | ${f(r.plugMedianMs)} | ${f(r.plugP95Ms)} | ${f(r.plugCpuMs / r.plugSamples.length)} |`,
    );
  const c = results.find((r) => r.impl === "c");
  const t = results.find((r) => r.impl === "ovnts");
  if (c !== undefined && t !== undefined) {
    const start = (r: ControllerResult): number => Math.max(r.upMs, r.flowsMs);
    const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
    lines.push(
      "",
      `- start → up and installed: ${x(start(t), start(c))} C (target ≤ 1.0×); plug → up median ${x(t.plugMedianMs, c.plugMedianMs)} (target ≤ 1.0×), p95 ${x(t.plugP95Ms, c.plugP95Ms)}; RSS ${x(t.rssKiB, c.rssKiB)} (target ≤ 2×); CPU to settle ${x(t.startCpuMs, c.startCpuMs)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export async function runControllerBench(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = parseArgs(argv);
  if (typeof o === "string") {
    process.stderr.write(`bench controller: ${o}\n${USAGE}`);
    return 1;
  }
  const t = TOPOLOGIES[o.size] as Topology;
  configureLog({ sinks: [(line) => process.stderr.write(`${line}\n`)] });
  const loadAtStart = loadavg()[0] ?? 0;
  const box = Sandbox.create();
  const results: ControllerResult[] = [];
  try {
    log.info(`${t.name}: NB, SB, ovn-northd; populating`);
    const c = await startCentral(box, {
      name: "central",
      dbImpl: "c",
      northdImpl: "c",
      topology: t,
      extra: (txn, idl) => {
        for (const impl of o.impls)
          for (let i = 0; i < o.plugs; i++) {
            const p = plugPort(impl, i, o.local);
            const sw = idl.rows("Logical_Switch").find((x) => x.name === swName(p.sw));
            const lsp = txn.insert("Logical_Switch_Port", { name: p.name, addresses: [p.address] });
            if (sw !== undefined) txn.mutate("Logical_Switch", sw._uuid, "ports", "insert", lsp);
          }
      },
    });
    try {
      for (const impl of o.impls) results.push(await runOne(box, c, t, impl, o));
    } finally {
      await c.stop();
    }
  } catch (e) {
    process.stderr.write(`${box.logTails(15)}\n`);
    throw e;
  } finally {
    await box.cleanup();
  }
  const md = renderControllerMarkdown(t.name, results);
  process.stdout.write(md);
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
      plugs: o.plugs,
    };
    writeFileSync(join(dir, "controller.json"), `${formatJson({ meta, results })}\n`);
  }
  return 0;
}
