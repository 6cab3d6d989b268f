// `npm run bench -- cli [--switches=N] [--ports=N]`: project issue 4's benchmark. Creates N×M logical
// switch ports on one real ovsdb-server (fresh NB database per method) three ways: scripted real
// `ovn-nbctl` (one invocation per switch), scripted `node bin/ovnts nbctl` the same way, and the ovnts
// IDL library (one transaction per switch). Prints a Markdown table, writes bench/results/cli.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configureLog, logger } from "../../src/base/log.js";
import { connectIdl } from "../../src/ovsdb/idl/connect.js";
import { ovnNbModel } from "../../src/ovsdb/idl/generated/ovn-nb.js";
import { Resources, runOk } from "../lib/procs.js";
import {
  type BenchEnv,
  C_SERVER,
  connectWhenUp,
  DEFAULT_OVNTS_BIN,
  NB,
  type Server,
  startServer,
} from "../ovsdb/server.js";
import { type CliResult, renderCliMarkdown } from "./report.js";

const log = logger("bench");
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const USAGE = `usage: npm run bench -- cli [--switches=N] [--ports=N] [--no-save]
  --switches=N  logical switches to create (default 100)
  --ports=N     ports per switch, one ovn-nbctl invocation / one transaction per switch (default 100)
  --no-save     do not write bench/results/cli.json
`;

interface Options {
  switches: number;
  ports: number;
  save: boolean;
}

function parseArgs(argv: readonly string[]): Options | string {
  const opts: Options = { switches: 100, ports: 100, save: true };
  for (const a of argv) {
    const [flag, value] = a.split(/=(.*)/s, 2);
    const n = Number(value);
    if ((flag === "--switches" || flag === "--ports") && Number.isInteger(n) && n > 0) {
      if (flag === "--switches") opts.switches = n;
      else opts.ports = n;
    } else if (a === "--no-save") {
      opts.save = false;
    } else {
      return `unknown argument ${a}`;
    }
  }
  return opts;
}

const swName = (s: number): string => `sw${s}`;
const portName = (s: number, p: number): string => `sw${s}-p${p}`;

/** The argument list of one scripted invocation: `ls-add SW -- lsp-add SW P0 -- lsp-add SW P1 ...`. */
export function nbctlArgs(db: string, s: number, ports: number): string[] {
  const args = [`--db=${db}`, "ls-add", swName(s)];
  for (let p = 0; p < ports; p++) args.push("--", "lsp-add", swName(s), portName(s, p));
  return args;
}

async function scripted(cmd: string, pre: readonly string[], db: string, o: Options): Promise<void> {
  for (let s = 0; s < o.switches; s++) await runOk(cmd, [...pre, ...nbctlArgs(db, s, o.ports)]);
}

async function library(db: string, o: Options): Promise<void> {
  const idl = connectIdl(ovnNbModel, db, {
    monitor: { Logical_Switch: ["name", "ports"], Logical_Switch_Port: ["name"] },
  });
  try {
    for (let s = 0; s < o.switches; s++) {
      await idl.transact((txn) => {
        const sw = txn.insert("Logical_Switch", { name: swName(s) });
        const ports = [];
        for (let p = 0; p < o.ports; p++)
          ports.push(txn.insert("Logical_Switch_Port", { name: portName(s, p) }));
        txn.mutate("Logical_Switch", sw, "ports", "insert", ports);
      });
    }
  } finally {
    idl.stop();
  }
}

/** Row count of a table, asked of the server directly, so that every method is checked the same way. */
async function countRows(server: Server, table: string): Promise<number> {
  const client = await connectWhenUp(server);
  try {
    const reply = await client.call("transact", [NB, { op: "select", table, where: [], columns: ["_uuid"] }]);
    const first = Array.isArray(reply) ? (reply[0] as { rows?: unknown[] } | undefined) : undefined;
    if (!Array.isArray(first?.rows)) throw new Error(`select ${table}: ${JSON.stringify(reply)}`);
    return first.rows.length;
  } finally {
    client.close();
  }
}

export async function runCliBench(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseArgs(argv);
  if (typeof parsed === "string") {
    process.stderr.write(`bench cli: ${parsed}\n${USAGE}`);
    return 1;
  }
  const o = parsed;
  configureLog({ sinks: [(line) => process.stderr.write(`${line}\n`)] });
  const res = new Resources();
  const onSigint = (): void => {
    res.releaseNow();
    process.exit(130);
  };
  process.once("SIGINT", onSigint);
  const loadAtStart = loadavg()[0] ?? 0;
  const env: BenchEnv = {
    res,
    dir: res.tempDir("ovnts-bench-cli-"),
    log,
    ovntsBin: DEFAULT_OVNTS_BIN,
    figure: "cli",
    seq: { n: 0 },
  };
  const total = o.switches * o.ports;
  const methods: { id: string; label: string; run: (db: string) => Promise<void> }[] = [
    { id: "ovn-nbctl", label: "scripted ovn-nbctl (C)", run: (db) => scripted("ovn-nbctl", [], db, o) },
    {
      id: "ovnts-nbctl",
      label: "scripted ovnts nbctl",
      run: (db) => scripted(process.execPath, [env.ovntsBin, "nbctl"], db, o),
    },
    { id: "library", label: "ovnts IDL library", run: (db) => library(db, o) },
  ];
  const results: CliResult[] = [];
  try {
    for (const m of methods) {
      const server = await startServer(env, "c");
      try {
        log.info(`${m.id}: creating ${total} ports (${o.switches} × ${o.ports})`);
        const t0 = performance.now();
        await m.run(`unix:${server.sock}`);
        const ms = performance.now() - t0;
        const got = await countRows(server, "Logical_Switch_Port");
        if (got !== total) throw new Error(`${m.id}: ${got} ports in the database, expected ${total}`);
        log.info(`${m.id}: ${ms.toFixed(0)} ms`);
        results.push({ id: m.id, label: m.label, ms, batches: o.switches, ports: total });
      } finally {
        await server.stop();
      }
    }
  } finally {
    process.off("SIGINT", onSigint);
    await res.release();
  }
  process.stdout.write(renderCliMarkdown(results, "ovn-nbctl"));
  if (o.save) {
    const dir = join(repoRoot, "bench/results");
    mkdirSync(dir, { recursive: true });
    const version = (await runOk("ovn-nbctl", ["--version"])).split("\n")[0] ?? "";
    const json = {
      bench: "cli",
      date: new Date().toISOString(),
      workload: { switches: o.switches, portsPerSwitch: o.ports, server: C_SERVER },
      host: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model.trim() ?? "unknown",
        kernel: release(),
        node: process.version,
        "ovn-nbctl": version,
        "load average before/after": `${loadAtStart.toFixed(2)}/${(loadavg()[0] ?? 0).toFixed(2)}`,
      },
      target: "library path >= 5x faster than scripted ovn-nbctl",
      results: results.map((r) => ({ ...r, speedupVsOvnNbctl: speedup(results, r, "ovn-nbctl") })),
    };
    writeFileSync(join(dir, "cli.json"), `${JSON.stringify(json, null, 2)}\n`);
    process.stderr.write(`wrote ${join(dir, "cli.json")}\n`);
  }
  return 0;
}

function speedup(all: readonly CliResult[], r: CliResult, baseId: string): number | undefined {
  const base = all.find((x) => x.id === baseId);
  return base === undefined ? undefined : base.ms / r.ms;
}
