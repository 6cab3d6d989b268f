// `npm run bench -- northd [--sizes=S,M,L] [--iterations=N] [--impls=c,ovnts] [--no-save]`: project
// issue 6's benchmark. For each topology (./topology.ts) and each northd — the real ovn-northd 23.03
// and `node bin/ovnts northd` — on fresh NB and SB databases served by the real ovsdb-server:
//   - full compute: from starting northd on a populated NB until sb_cfg reaches the nb_cfg bumped
//     right after the start (includes connecting and the initial SB writes);
//   - RSS of northd once settled after that (and its peak so far), of the SB server; Logical_Flow and
//     Logical_DP_Group rows written;
//   - latency to sb_cfg of one port add, one ACL add and one bare nb_cfg bump (each change and the
//     nb_cfg bump in one NB transaction), medians of N.
// Prints a Markdown table on stdout; writes bench/results/northd.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configureLog, logger } from "../../src/base/log.js";
import { connectIdl } from "../../src/ovsdb/idl/connect.js";
import { type OvnNbTables, ovnNbModel } from "../../src/ovsdb/idl/generated/ovn-nb.js";
import type { Idl } from "../../src/ovsdb/idl/idl.js";
import { type Proc, Resources, runOk } from "../lib/procs.js";
import { median } from "../lib/stats.js";
import { C_SERVER, DEFAULT_OVNTS_BIN, rssKiB, sleep } from "../ovsdb/server.js";
import { populate, portAddress, TOPOLOGIES, type Topology } from "./topology.js";

const log = logger("bench");
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const USAGE = `usage: npm run bench -- northd [--sizes=S,M,L] [--iterations=N] [--impls=c,ovnts] [--no-save] [--dump-dir=DIR]
  --sizes=LIST       topologies to run (default S,M; L takes minutes)
  --iterations=N     single-change latency samples per kind (default 10)
  --impls=LIST       northds to run (default c,ovnts)
  --no-save          do not write bench/results/northd.json
  --dump-dir=DIR     write each side's SB Logical_Flow and Logical_DP_Group rows after the full
                     compute to DIR/SIZE-IMPL.json (for ./flow-groups.ts)
`;

type Impl = "c" | "ovnts";

interface Options {
  sizes: string[];
  iterations: number;
  impls: Impl[];
  save: boolean;
  dumpDir: string | undefined;
}

export interface NorthdResult {
  size: string;
  impl: Impl;
  fullComputeMs: number;
  /** Once settled after the full compute (see settledRssKiB). */
  northdRssKiB: number;
  /** Peak RSS from the start until settled after the full compute (VmHWM). */
  northdPeakRssKiB: number;
  sbRssKiB: number;
  flows: number;
  /** Logical_DP_Group rows. */
  dpGroups: number;
  portAddMs: number;
  aclAddMs: number;
  nbCfgMs: number;
}

function parseArgs(argv: readonly string[]): Options | string {
  const o: Options = {
    sizes: ["S", "M"],
    iterations: 10,
    impls: ["c", "ovnts"],
    save: true,
    dumpDir: undefined,
  };
  for (const a of argv) {
    const [flag, value = ""] = a.split(/=(.*)/s, 2);
    if (flag === "--sizes") o.sizes = value.split(",");
    else if (flag === "--iterations" && Number(value) > 0) o.iterations = Number(value);
    else if (flag === "--impls") o.impls = value.split(",") as Impl[];
    else if (a === "--no-save") o.save = false;
    else if (flag === "--dump-dir" && value !== "") o.dumpDir = value;
    else return `unknown argument ${a}`;
  }
  if (o.sizes.some((s) => TOPOLOGIES[s] === undefined)) return `unknown size in ${o.sizes.join(",")}`;
  if (o.impls.some((i) => i !== "c" && i !== "ovnts")) return `unknown impl in ${o.impls.join(",")}`;
  return o;
}

async function startDb(
  res: Resources,
  dir: string,
  name: string,
  schema: string,
): Promise<{ proc: Proc; remote: string }> {
  const file = join(dir, `${name}.db`);
  await runOk("ovsdb-tool", ["create", file, join(repoRoot, `schemas/${schema}.ovsschema`)]);
  const sock = join(dir, `${name}.sock`);
  const proc = res.spawn(name, C_SERVER, [
    `--remote=punix:${sock}`,
    `--unixctl=${join(dir, `${name}.ctl`)}`,
    `--log-file=${join(dir, `${name}.log`)}`,
    file,
  ]);
  for (let i = 0; i < 200; i++) {
    try {
      await runOk("ovsdb-client", ["--timeout=2", "list-dbs", `unix:${sock}`]);
      return { proc, remote: `unix:${sock}` };
    } catch {
      await sleep(25);
    }
  }
  throw new Error(`${name} did not start: ${proc.stderrTail()}`);
}

/** Peak resident set size of a process so far, in KiB (VmHWM of /proc/PID/status). */
function peakRssKiB(pid: number): number {
  const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m === null ? 0 : Number(m[1]);
}

/**
 * RSS once it stops moving: sampled every 500 ms until two samples agree within 2 % (at most 10 s).
 * Called when the daemon is idle: ovnts northd compacts its heap right after a large run, and V8
 * returns the emptied pages a moment later; both northds are measured the same way.
 */
async function settledRssKiB(pid: number): Promise<number> {
  let last = rssKiB(pid);
  for (let i = 0; i < 20; i++) {
    await sleep(500);
    const now = rssKiB(pid);
    if (Math.abs(now - last) <= last * 0.02) return now;
    last = now;
  }
  return last;
}

/** Commits `build` and an nb_cfg bump in one transaction; resolves when sb_cfg has caught up (ms). */
async function timedChange(
  idl: Idl<OvnNbTables>,
  build: (txn: ReturnType<Idl<OvnNbTables>["txn"]>) => void,
): Promise<number> {
  const t0 = performance.now();
  const { value: ref, result } = await idl.transact((txn) => {
    build(txn);
    const g = idl.first("NB_Global");
    const u = g === undefined ? txn.insert("NB_Global") : g._uuid;
    txn.mutate("NB_Global", u, "nbCfg", "+=", 1);
    return txn.select("NB_Global", [["_uuid", "==", u]], ["nbCfg"]);
  });
  const row = result.rows(ref)[0] as { nb_cfg?: number } | undefined;
  const want = row?.nb_cfg ?? 0;
  await idl.waitUntil(() => (idl.first("NB_Global")?.sbCfg ?? -1) >= want, 600_000);
  return performance.now() - t0;
}

/** Logical_Flow and Logical_DP_Group row counts; with `dumpTo`, both tables' rows are written there. */
async function countFlows(sbRemote: string, dumpTo?: string): Promise<{ flows: number; dpGroups: number }> {
  const flowCols =
    dumpTo === undefined
      ? ["_uuid"]
      : [
          "pipeline",
          "priority",
          "match",
          "actions",
          "external_ids",
          "logical_datapath",
          "logical_dp_group",
          "tags",
        ];
  const out = await runOk("ovsdb-client", [
    "transact",
    sbRemote,
    JSON.stringify([
      "OVN_Southbound",
      { op: "select", table: "Logical_Flow", where: [], columns: flowCols },
      { op: "select", table: "Logical_DP_Group", where: [], columns: ["_uuid", "datapaths"] },
      { op: "select", table: "Datapath_Binding", where: [], columns: ["_uuid", "external_ids"] },
    ]),
  ]);
  if (dumpTo !== undefined) writeFileSync(dumpTo, out);
  const r = JSON.parse(out) as { rows: unknown[] }[];
  return { flows: r[0]?.rows.length ?? 0, dpGroups: r[1]?.rows.length ?? 0 };
}

async function runOne(
  res: Resources,
  t: Topology,
  impl: Impl,
  iterations: number,
  dumpDir: string | undefined,
): Promise<NorthdResult> {
  const dir = res.tempDir(`ovnts-bench-northd-${t.name}-${impl}-`);
  const nb = await startDb(res, dir, "nb", "ovn-nb");
  const sb = await startDb(res, dir, "sb", "ovn-sb");
  const idl = connectIdl(ovnNbModel, nb.remote);
  try {
    await idl.synced();
    log.info(`${t.name}/${impl}: populating NB`);
    await populate(idl, t);
    const args = [
      `--ovnnb-db=${nb.remote}`,
      `--ovnsb-db=${sb.remote}`,
      `--log-file=${join(dir, "northd.log")}`,
      `--unixctl=${join(dir, "northd.ctl")}`,
    ];
    log.info(`${t.name}/${impl}: starting northd`);
    const t0 = performance.now();
    const northd =
      impl === "c"
        ? res.spawn("ovn-northd", "ovn-northd", args)
        : res.spawn("ovnts-northd", process.execPath, [DEFAULT_OVNTS_BIN, "northd", ...args]);
    await timedChange(idl, () => undefined);
    const fullComputeMs = performance.now() - t0;
    // Once northd answers, it is idle (ovnts has compacted its heap after the large run by then).
    await runOk("ovs-appctl", ["-t", join(dir, "northd.ctl"), "status"]);
    const northdRssKiB = await settledRssKiB(northd.pid);
    const northdPeakRssKiB = peakRssKiB(northd.pid);
    if (impl === "ovnts")
      log.info(
        `${t.name}/${impl}: memory/show ${(await runOk("ovs-appctl", ["-t", join(dir, "northd.ctl"), "memory/show"])).trim()}`,
      );
    const sbRssKiB = rssKiB(sb.proc.pid);
    const { flows, dpGroups } = await countFlows(
      sb.remote,
      dumpDir === undefined ? undefined : join(dumpDir, `${t.name}-${impl}.json`),
    );
    log.info(
      `${t.name}/${impl}: full compute ${fullComputeMs.toFixed(0)} ms, ${flows} flows; measuring changes`,
    );
    const portAdd: number[] = [];
    const aclAdd: number[] = [];
    const bump: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const s = i % t.switches;
      const sw = idl.rows("Logical_Switch").find((x) => x.name === `sw${s}`);
      const pg = idl.rows("Port_Group").find((x) => x.name === `pg${s}`);
      portAdd.push(
        await timedChange(idl, (txn) => {
          const p = txn.insert("Logical_Switch_Port", {
            name: `extra-${s}-${i}`,
            addresses: [portAddress(s, 200 + i)],
          });
          if (sw !== undefined) txn.mutate("Logical_Switch", sw._uuid, "ports", "insert", p);
        }),
      );
      aclAdd.push(
        await timedChange(idl, (txn) => {
          const a = txn.insert("ACL", {
            priority: 2000 + i,
            direction: "from-lport",
            match: `ip4.dst == 10.99.${i}.0/24`,
            action: "drop",
          });
          if (pg !== undefined) txn.mutate("Port_Group", pg._uuid, "acls", "insert", a);
        }),
      );
      bump.push(await timedChange(idl, () => undefined));
    }
    await northd.stop();
    return {
      size: t.name,
      impl,
      fullComputeMs,
      northdRssKiB,
      northdPeakRssKiB,
      sbRssKiB,
      flows,
      dpGroups,
      portAddMs: median(portAdd),
      aclAddMs: median(aclAdd),
      nbCfgMs: median(bump),
    };
  } finally {
    idl.stop();
    await nb.proc.stop();
    await sb.proc.stop();
  }
}

export function renderNorthdMarkdown(results: readonly NorthdResult[]): string {
  const lines = [
    "| size | northd | full compute (ms) | northd RSS (MiB) | peak RSS (MiB) | SB RSS (MiB) | flows | DP groups | port add (ms) | ACL add (ms) | nb_cfg (ms) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  for (const r of results)
    lines.push(
      `| ${r.size} | ${r.impl === "c" ? "ovn-northd 23.03" : "ovnts"} | ${f(r.fullComputeMs)} | ${f(r.northdRssKiB / 1024)} | ${f(r.northdPeakRssKiB / 1024)} | ${f(r.sbRssKiB / 1024)} | ${r.flows} | ${r.dpGroups} | ${f(r.portAddMs)} | ${f(r.aclAddMs)} | ${f(r.nbCfgMs)} |`,
    );
  const ratios: string[] = [];
  for (const size of [...new Set(results.map((r) => r.size))]) {
    const c = results.find((r) => r.size === size && r.impl === "c");
    const t = results.find((r) => r.size === size && r.impl === "ovnts");
    if (c === undefined || t === undefined) continue;
    ratios.push(
      `- ${size}: full compute ${(t.fullComputeMs / c.fullComputeMs).toFixed(2)}× C (target ≤ 1.0 at M, L), northd RSS ${(t.northdRssKiB / c.northdRssKiB).toFixed(2)}× (target ≤ 1.0 at L), peak ${(t.northdPeakRssKiB / c.northdPeakRssKiB).toFixed(2)}×, port add ${f(t.portAddMs)} ms vs ${f(c.portAddMs)} ms (target ≤ 50 ms at L), flows ${t.flows} vs ${c.flows}, DP groups ${t.dpGroups} vs ${c.dpGroups}`,
    );
  }
  return `${lines.join("\n")}\n\n${ratios.join("\n")}\n`;
}

export async function runNorthdBench(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const o = parseArgs(argv);
  if (typeof o === "string") {
    process.stderr.write(`bench northd: ${o}\n${USAGE}`);
    return 1;
  }
  configureLog({ sinks: [(line) => process.stderr.write(`${line}\n`)] });
  const res = new Resources();
  const onSigint = (): void => {
    res.releaseNow();
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  const results: NorthdResult[] = [];
  const loadAtStart = loadavg()[0] ?? 0;
  try {
    for (const size of o.sizes) {
      const t = TOPOLOGIES[size];
      if (t === undefined) continue;
      for (const impl of o.impls) results.push(await runOne(res, t, impl, o.iterations, o.dumpDir));
    }
  } finally {
    await res.release();
    process.off("SIGINT", onSigint);
  }
  const md = renderNorthdMarkdown(results);
  process.stdout.write(md);
  if (o.save) {
    const dir = join(repoRoot, "bench/results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "northd.json"),
      `${JSON.stringify(
        {
          meta: {
            date: new Date().toISOString(),
            cpus: cpus().length,
            kernel: release(),
            loadAtStart,
            loadAtEnd: loadavg()[0] ?? 0,
            iterations: o.iterations,
          },
          results,
        },
        null,
        2,
      )}\n`,
    );
  }
  return 0;
}
