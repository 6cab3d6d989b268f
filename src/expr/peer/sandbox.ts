// Test support: a throw-away OVN control plane made of the real binaries (ovsdb-server holding the
// Northbound and Southbound databases, optionally ovn-northd), in a temporary directory, with helpers
// to run ovn-nbctl / ovn-sbctl against it.  Everything it starts is stopped by close().

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCHEMAS = fileURLToPath(new URL("../../../../schemas/", import.meta.url));

export class OvnSandbox {
  readonly dir: string;
  readonly db: string;
  private readonly procs: ChildProcess[] = [];

  private constructor(dir: string) {
    this.dir = dir;
    this.db = `unix:${join(dir, "db.sock")}`;
  }

  /** Starts ovsdb-server with fresh NB and SB databases (and ovn-northd if asked). */
  static async start(opts: { northd: boolean }): Promise<OvnSandbox> {
    const sb = new OvnSandbox(mkdtempSync(join(tmpdir(), "ovnts-expr-peer-")));
    try {
      for (const [db, schema] of [
        ["nb.db", "ovn-nb.ovsschema"],
        ["sb.db", "ovn-sb.ovsschema"],
      ] as const) {
        execFileSync("ovsdb-tool", ["create", join(sb.dir, db), join(SCHEMAS, schema)]);
      }
      sb.spawn("ovsdb-server", [
        `--remote=punix:${join(sb.dir, "db.sock")}`,
        `--unixctl=${join(sb.dir, "db.ctl")}`,
        `--pidfile=${join(sb.dir, "db.pid")}`,
        `--log-file=${join(sb.dir, "db.log")}`,
        join(sb.dir, "nb.db"),
        join(sb.dir, "sb.db"),
      ]);
      await waitFor(() => existsSync(join(sb.dir, "db.sock")), "ovsdb-server socket");
      if (opts.northd) {
        sb.spawn("ovn-northd", [
          `--ovnnb-db=${sb.db}`,
          `--ovnsb-db=${sb.db}`,
          `--unixctl=${join(sb.dir, "northd.ctl")}`,
          `--pidfile=${join(sb.dir, "northd.pid")}`,
          `--log-file=${join(sb.dir, "northd.log")}`,
        ]);
      }
      return sb;
    } catch (e) {
      await sb.close();
      throw e;
    }
  }

  private spawn(cmd: string, args: string[]): void {
    const env = {
      ...process.env,
      OVS_RUNDIR: this.dir,
      OVS_LOGDIR: this.dir,
      OVS_DBDIR: this.dir,
      OVN_RUNDIR: this.dir,
    };
    const p = spawn(cmd, args, { cwd: this.dir, env, stdio: "ignore" });
    this.procs.push(p);
  }

  /** Runs ovn-nbctl with these arguments; returns its standard output. */
  nbctl(...args: string[]): string {
    return execFileSync("ovn-nbctl", [`--db=${this.db}`, ...args], { encoding: "utf8", env: this.env() });
  }

  sbctl(...args: string[]): string {
    return execFileSync("ovn-sbctl", [`--db=${this.db}`, ...args], { encoding: "utf8", env: this.env() });
  }

  /** Rows of a Southbound table as JSON (`ovn-sbctl --format=json list`). */
  sbList(table: string, columns: string[]): unknown[][] {
    const out = this.sbctl("--format=json", `--columns=${columns.join(",")}`, "list", table);
    return (JSON.parse(out) as { data: unknown[][] }).data;
  }

  env(): NodeJS.ProcessEnv {
    return { ...process.env, OVS_RUNDIR: this.dir, OVN_RUNDIR: this.dir };
  }

  /** Stops everything started (SIGTERM, then SIGKILL) and removes the directory. */
  async close(): Promise<void> {
    for (const p of [...this.procs].reverse()) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => p.once("exit", () => resolve()));
      p.kill("SIGTERM");
      const timer = setTimeout(() => p.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether the real OVN tools are installed (peer tests are skipped otherwise). */
export function haveOvn(): boolean {
  try {
    execFileSync("ovn-northd", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
