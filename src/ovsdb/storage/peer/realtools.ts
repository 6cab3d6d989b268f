// Test-only helpers that run the real Open vSwitch 3.1 database tools (ovsdb-tool, ovsdb-server,
// ovsdb-client, ovs-appctl) on files in a temporary directory.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type DbRows, type RowJson, rowWithDefaults } from "../txnrecord.js";

export const VSWITCH_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
export const NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema";

export const haveOvs = spawnSync("ovsdb-tool", ["--version"]).status === 0;

/** Runs a tool to completion; throws with its stderr unless `allowFail`. */
export function run(
  cmd: string,
  args: string[],
  allowFail = false,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 20_000 });
  const out = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (!allowFail && out.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (${out.status}): ${out.stderr}`);
  return out;
}

export type TableRows = Record<string, RowJson>;
export type DbDump = Record<string, TableRows>;

/** Turns select results into table → uuid → row, without _uuid and _version. */
function toDump(tables: readonly string[], results: unknown): DbDump {
  const out: DbDump = {};
  tables.forEach((t, i) => {
    const res = (results as Array<{ rows?: RowJson[]; error?: string }>)[i];
    if (res?.rows === undefined) throw new Error(`select ${t} failed: ${JSON.stringify(res)}`);
    const rows: TableRows = {};
    for (const r of res.rows) {
      const { _uuid, _version, ...cols } = r as { _uuid: [string, string]; _version: unknown } & RowJson;
      rows[_uuid[1]] = cols;
    }
    out[t] = rows;
  });
  return out;
}

function selectAll(dbName: string, tables: readonly string[]): string {
  return JSON.stringify([dbName, ...tables.map((table) => ({ op: "select", table, where: [] }))]);
}

/** Every row of `tables`, as `ovsdb-tool query` reads them from the file. */
export function toolQuery(db: string, dbName: string, tables: readonly string[]): DbDump {
  return toDump(tables, JSON.parse(run("ovsdb-tool", ["query", db, selectAll(dbName, tables)]).stdout));
}

/** Every row of `tables`, as a running ovsdb-server serves them. */
export function clientSelect(sock: string, dbName: string, tables: readonly string[]): DbDump {
  return toDump(
    tables,
    JSON.parse(run("ovsdb-client", ["transact", `unix:${sock}`, selectAll(dbName, tables)]).stdout),
  );
}

export function clientTransact(sock: string, ops: unknown): unknown {
  const res = JSON.parse(
    run("ovsdb-client", ["transact", `unix:${sock}`, JSON.stringify(ops)]).stdout,
  ) as unknown[];
  for (const r of res) {
    if (r !== null && typeof r === "object" && "error" in r)
      throw new Error(`transaction failed: ${JSON.stringify(res)}`);
  }
  return res;
}

/** Our replayed rows with defaults filled in, in the same shape as toolQuery's. */
export function ourDump(schema: unknown, db: DbRows, tables: readonly string[]): DbDump {
  const out: DbDump = {};
  for (const t of tables) {
    const rows: TableRows = {};
    for (const [uuid, row] of db.get(t) ?? []) rows[uuid] = rowWithDefaults(schema, t, row);
    out[t] = rows;
  }
  return out;
}

export interface RealServer {
  sock: string;
  ctl: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the real ovsdb-server in the foreground on `db`, waiting until its socket is there. */
export async function startServer(dir: string, db: string, name = "s"): Promise<RealServer> {
  const sock = join(dir, `${name}.sock`);
  const ctl = join(dir, `${name}.ctl`);
  const proc = spawn(
    "ovsdb-server",
    [`--remote=punix:${sock}`, `--unixctl=${ctl}`, `--log-file=${join(dir, `${name}.log`)}`, db],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir },
    },
  );
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  for (let i = 0; i < 200 && !(existsSync(sock) && existsSync(ctl)); i++) {
    if (proc.exitCode !== null) throw new Error(`ovsdb-server exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!existsSync(sock)) {
    proc.kill("SIGKILL");
    throw new Error(`ovsdb-server did not start: ${stderr}`);
  }
  return {
    sock,
    ctl,
    proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs ovsdb-server expecting it to fail; returns its exit status and stderr. */
export function serverFails(dir: string, db: string): { status: number; stderr: string } {
  const r = run(
    "ovsdb-server",
    [`--remote=punix:${join(dir, "fail.sock")}`, `--unixctl=${join(dir, "fail.ctl")}`, db],
    true,
  );
  return { status: r.status, stderr: r.stderr };
}
