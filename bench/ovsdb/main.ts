// `npm run bench -- ovsdb [--only=ID,...] [--profile=DIR]`: the OVSDB server benchmark, ovnts against
// the real ovsdb-server in one run. Prints a Markdown table on stdout, progress on stderr, and (for a
// full run) writes bench/results/ovsdb.json.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { configureLog, logger } from "../../src/base/log.js";
import { Resources, runOk } from "../lib/procs.js";
import { type CpuProfile, renderProfile, summarizeProfile } from "../lib/profile.js";
import { type FigureResult, type RunMeta, renderJson, renderMarkdown } from "../lib/report.js";
import { FIGURES } from "./figures.js";
import { type BenchEnv, C_SERVER, DEFAULT_OVNTS_BIN } from "./server.js";

const log = logger("bench");
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const USAGE = `usage: npm run bench -- ovsdb [--only=ID[,ID...]] [--pin=C:S | --no-pin] [--profile=DIR]
                                [--ovnts-bin=PATH]
  --only=IDS        run only these figures (${FIGURES.map((f) => f.id).join(", ")}); results are not saved
  --profile=DIR     run the ovnts servers under node --cpu-prof, write profiles to DIR and summarise them
  --pin=C:S         run this process (the clients) on CPUs C and the servers on CPUs S, as taskset
                    lists (default 0:1 on a machine with 2 or more CPUs)
  --no-pin          let the scheduler place every process
  --ovnts-bin=PATH  measure another build's bin/ovnts (e.g. a patched copy); results are not saved
`;

interface Options {
  only?: Set<string>;
  profileDir?: string;
  ovntsBin?: string;
  pin: { client: string; server: string } | undefined;
}

function parseArgs(argv: readonly string[]): Options | string {
  const opts: Options = { pin: cpus().length >= 2 ? { client: "0", server: "1" } : undefined };
  for (const a of argv) {
    const [flag, value] = a.split(/=(.*)/s, 2);
    if (flag === "--only" && value !== undefined) {
      opts.only = new Set(value.split(","));
      const unknown = [...opts.only].filter((id) => !FIGURES.some((f) => f.id === id));
      if (unknown.length > 0) return `unknown figure ${unknown.join(", ")}`;
    } else if (a === "--no-pin") {
      opts.pin = undefined;
    } else if (flag === "--pin" && value !== undefined) {
      const [client, server] = value.split(":");
      if (client === undefined || server === undefined || client === "" || server === "")
        return `bad --pin ${value}`;
      opts.pin = { client, server };
    } else if (flag === "--ovnts-bin" && value !== undefined) {
      opts.ovntsBin = resolve(value);
    } else if (flag === "--profile" && value !== undefined) {
      opts.profileDir = resolve(value);
    } else {
      return `unknown argument ${a}`;
    }
  }
  return opts;
}

/** Facts that decide how far figures from different runs compare. */
async function hostFacts(opts: Options, loadAtStart: number): Promise<RunMeta["host"]> {
  const version = (await runOk(C_SERVER, ["--version"])).split("\n")[0] ?? "";
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    kernel: release(),
    node: process.version,
    "C server": version,
    placement:
      opts.pin === undefined
        ? "unpinned"
        : `clients on CPU ${opts.pin.client}, servers on CPU ${opts.pin.server}`,
    // Other work on the machine shows here: the figures of a busy machine are not comparable.
    "load average before/after": `${loadAtStart.toFixed(2)}/${(loadavg()[0] ?? 0).toFixed(2)}`,
  };
}

export async function runOvsdbBench(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const opts = parseArgs(argv);
  if (typeof opts === "string") {
    process.stderr.write(`bench ovsdb: ${opts}\n${USAGE}`);
    return 1;
  }
  configureLog({ sinks: [(line) => process.stderr.write(`${line}\n`)] });
  const res = new Resources();
  const onSignal = (): void => {
    res.releaseNow();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (opts.profileDir !== undefined) mkdirSync(opts.profileDir, { recursive: true });
    const env: BenchEnv = {
      res,
      dir: res.tempDir("ovnts-bench-"),
      log,
      ovntsBin: opts.ovntsBin ?? DEFAULT_OVNTS_BIN,
      figure: "",
      seq: { n: 0 },
    };
    if (opts.profileDir !== undefined) env.profileDir = opts.profileDir;
    if (opts.pin !== undefined) {
      // A round trip between two processes costs ~3x more when they run on different CPUs than on the
      // same one, and left alone the scheduler flips between the two from run to run. A fixed placement
      // makes the figures repeatable; client and server apart is the deployment's case.
      await runOk("taskset", ["-a", "-p", "-c", opts.pin.client, String(process.pid)]);
      env.serverCpus = opts.pin.server;
    }
    const figures = FIGURES.filter((f) => opts.only === undefined || opts.only.has(f.id));
    const results: FigureResult[] = [];
    const started = performance.now();
    const loadAtStart = loadavg()[0] ?? 0;
    for (const f of figures) {
      log.info(`figure ${f.id}: ${f.title}`);
      const t0 = performance.now();
      env.figure = f.id;
      const r = await f.run(env);
      log.info(`figure ${f.id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      results.push({
        number: FIGURES.indexOf(f) + 1,
        id: f.id,
        title: f.title,
        unit: f.unit,
        better: f.better,
        ...(f.target === undefined ? {} : { target: f.target }),
        results: r,
      });
    }
    log.info(`all figures in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const meta: RunMeta = {
      bench: "ovsdb",
      date: new Date().toISOString(),
      host: await hostFacts(opts, loadAtStart),
    };
    process.stdout.write(renderMarkdown(results, meta));
    if (opts.only === undefined && opts.ovntsBin === undefined) {
      const out = join(repoRoot, "bench/results/ovsdb.json");
      mkdirSync(join(repoRoot, "bench/results"), { recursive: true });
      writeFileSync(out, renderJson(results, meta));
      log.info(`results written to ${out}`);
    }
    if (opts.profileDir !== undefined) {
      await res.release(); // servers write their profiles as they exit
      printProfiles(opts.profileDir);
    }
    return 0;
  } finally {
    await res.release();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function printProfiles(dir: string): void {
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".cpuprofile"))
    .sort()) {
    const p = JSON.parse(readFileSync(join(dir, name), "utf8")) as CpuProfile;
    process.stderr.write(renderProfile(name, summarizeProfile(p, `file://${repoRoot}`)));
  }
}
