// Starts the two ovsdb-servers under test with the same flags: the real /usr/sbin/ovsdb-server and
// `node bin/ovnts ovsdb-server`, each in the foreground on its own fresh database file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../../src/base/log.js";
import { parseStatCpuMs, parseVmRssKiB } from "../lib/procfs.js";
import { type Proc, type Resources, runOk } from "../lib/procs.js";
import type { Impl } from "../lib/report.js";
import { RpcClient } from "./rpc-client.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const NB = "OVN_Northbound";
export const C_SERVER = "/usr/sbin/ovsdb-server";

/** What every figure gets: where to put files, how to start servers, where to log progress. */
export interface BenchEnv {
  res: Resources;
  /** This run's temp dir; every server gets its own sub-name in it. */
  dir: string;
  log: Logger;
  /** When set, ovnts servers run under `node --cpu-prof` writing here. */
  profileDir?: string;
  /** The ovnts executable (default: this checkout's bin/ovnts); another build can be compared. */
  ovntsBin: string;
  /** The figure being measured, the first part of every file name (and profile name). */
  figure: string;
  /** CPUs the servers may run on (a taskset list, "1" or "0-1"), or undefined: as this process. */
  serverCpus?: string;
  /** Counter behind unique file names. */
  seq: { n: number };
}

export interface Server {
  impl: Impl;
  /** Unique name of this instance (file names, profile name). */
  name: string;
  sock: string;
  dbFile: string;
  proc: Proc;
  /** performance.now() just before the spawn. */
  spawnedAt: number;
  stop(): Promise<void>;
}

export const DEFAULT_OVNTS_BIN = join(repoRoot, "bin/ovnts");

export function uniqueName(env: BenchEnv, stem: string): string {
  env.seq.n += 1;
  return `${env.figure}-${stem}-${env.seq.n}`;
}

/** A new, empty OVN_Northbound database file made by the real `ovsdb-tool create`. */
export async function createNbDb(env: BenchEnv, name: string): Promise<string> {
  const file = join(env.dir, `${name}.db`);
  await runOk("ovsdb-tool", ["create", file, join(repoRoot, "schemas/ovn-nb.ovsschema")]);
  return file;
}

/** The columns of an OVN_Northbound table, as the schema file lists them. */
export function nbColumns(table: string): string[] {
  const schema = JSON.parse(readFileSync(join(repoRoot, "schemas/ovn-nb.ovsschema"), "utf8")) as {
    tables: Record<string, { columns: Record<string, unknown> }>;
  };
  const t = schema.tables[table];
  if (t === undefined) throw new Error(`no table ${table} in the OVN_Northbound schema`);
  return Object.keys(t.columns);
}

/** Spawns a server on `dbFile` and returns at once, without waiting for it to listen. */
export function spawnServer(env: BenchEnv, impl: Impl, dbFile: string, name: string): Server {
  const sock = join(env.dir, `${name}.sock`);
  const common = [
    `--remote=punix:${sock}`,
    `--unixctl=${join(env.dir, `${name}.ctl`)}`,
    `--log-file=${join(env.dir, `${name}.log`)}`,
  ];
  let cmd: string;
  let args: string[];
  if (impl === "c") {
    cmd = C_SERVER;
    args = [...common, "--no-chdir", dbFile];
  } else {
    const prof =
      env.profileDir === undefined
        ? []
        : ["--cpu-prof", `--cpu-prof-dir=${env.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`];
    cmd = process.execPath;
    args = [...prof, env.ovntsBin, "ovsdb-server", ...common, dbFile];
  }
  if (env.serverCpus !== undefined) {
    // taskset execs the server, so the pid stays the server's own (RSS is read from it).
    args = ["-c", env.serverCpus, cmd, ...args];
    cmd = "taskset";
  }
  const spawnedAt = performance.now();
  const proc = env.res.spawn(name, cmd, args);
  return { impl, name, sock, dbFile, proc, spawnedAt, stop: () => proc.stop() };
}

/**
 * Connects to the server's socket, retrying every `pollMs` until it accepts (or the process dies or
 * `timeoutMs` passes).
 */
export async function connectWhenUp(
  server: Server,
  opts: { pollMs?: number; timeoutMs?: number; lazyAbove?: number } = {},
): Promise<RpcClient> {
  const deadline = performance.now() + (opts.timeoutMs ?? 30_000);
  let exited = false;
  server.proc.exited.then(() => {
    exited = true;
  });
  for (;;) {
    try {
      return await RpcClient.connect(
        server.sock,
        opts.lazyAbove === undefined ? {} : { lazyAbove: opts.lazyAbove },
      );
    } catch (e) {
      if (exited) throw new Error(`${server.name} exited: ${server.proc.stderrTail().trim()}`);
      if (performance.now() > deadline) throw new Error(`${server.name} not listening: ${String(e)}`);
      await sleep(opts.pollMs ?? 10);
    }
  }
}

/** Spawns a server and waits until it lists OVN_Northbound; `dbFile` defaults to a fresh empty one. */
export async function startServer(env: BenchEnv, impl: Impl, dbFile?: string): Promise<Server> {
  const name = uniqueName(env, impl);
  const file = dbFile ?? (await createNbDb(env, name));
  const server = spawnServer(env, impl, file, name);
  const client = await connectWhenUp(server);
  try {
    const dbs = await client.call("list_dbs", []);
    if (!Array.isArray(dbs) || !dbs.includes(NB))
      throw new Error(`${name}: list_dbs gave ${JSON.stringify(dbs)}`);
  } finally {
    client.close();
  }
  return server;
}

/** Resident set size of a process in KiB, from /proc/PID/status (VmRSS). */
export function rssKiB(pid: number): number {
  return parseVmRssKiB(readFileSync(`/proc/${pid}/status`, "utf8"));
}

/** CPU time (user + system, all threads) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  return parseStatCpuMs(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
