// Differential harness for `ovnts ovsdb-client` and `ovnts ovsdb-tool`: the real tool and ours run the
// same command line (against the same server, or on identical copies of the same files) and their
// stdout, stderr and exit status are compared. Everything lives in a temporary directory that is
// removed at the end, and every process started here is killed by its pid.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTools, run, runOk } from "../../support/exec.js";
import { ovntsBin, repoPath } from "../../support/paths.js";
import { waitUntil } from "../../support/wait.js";

export type Impl = "c" | "ovnts";
export const IMPLS: readonly Impl[] = ["c", "ovnts"];

/** How to run a tool of an implementation. */
export function command(impl: Impl, tool: "ovsdb-client" | "ovsdb-tool"): { cmd: string; pre: string[] } {
  return impl === "c" ? { cmd: tool, pre: [] } : { cmd: process.execPath, pre: [ovntsBin(), tool] };
}

export interface Outcome {
  stdout: string;
  stderr: string;
  /** Exit status, or the signal's name. */
  status: number | string;
}

// Log lines the C tools write on stderr ("2026-11-24T15:29:01Z|00001|lockfile|WARN|...") carry times.
const VLOG = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|\d+\|/;

export function dropLogLines(stderr: string): string {
  return stderr
    .split("\n")
    .filter((l) => !VLOG.test(l))
    .join("\n");
}

export async function runTool(
  impl: Impl,
  tool: "ovsdb-client" | "ovsdb-tool",
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<Outcome> {
  const { cmd, pre } = command(impl, tool);
  const r = await run(cmd, [...pre, ...args], {
    env,
    ...(cwd !== undefined ? { cwd } : {}),
    timeoutMs: 20_000,
  });
  return { stdout: r.stdout, stderr: dropLogLines(r.stderr), status: r.code ?? String(r.signal) };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/** A private directory under the system's temporary directory (short: it holds a unix socket). */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-cli-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A schema exercising every atomic type, optional/set/map columns, references, enums, ephemeral columns. */
export const TEST_SCHEMA = {
  name: "T",
  version: "1.2.3",
  tables: {
    A: {
      columns: {
        i: { type: "integer" },
        r: { type: "real" },
        b: { type: "boolean" },
        s: { type: "string" },
        u: { type: "uuid" },
        os: { type: { key: "string", min: 0, max: 1 } },
        ss: { type: { key: "string", min: 0, max: "unlimited" } },
        is: { type: { key: "integer", min: 0, max: "unlimited" } },
        rs: { type: { key: "real", min: 0, max: "unlimited" } },
        m: { type: { key: "string", value: "string", min: 0, max: "unlimited" } },
        mi: { type: { key: "integer", value: "real", min: 0, max: "unlimited" } },
        ref: { type: { key: { type: "uuid", refTable: "B" }, min: 0, max: "unlimited" } },
        e: { type: { key: { type: "string", enum: ["set", ["x", "y"]] }, min: 0, max: 1 } },
        a_rather_long_column_name: { type: "integer" },
      },
      isRoot: true,
    },
    B: {
      columns: { name: { type: "string" }, n: { type: "integer", ephemeral: true } },
      isRoot: true,
      indexes: [["name"]],
    },
    C: {
      columns: {
        name: { type: "string" },
        weight: { type: { key: { type: "integer", minInteger: 0, maxInteger: 100 } } },
      },
    },
  },
} as const;

export function schemaFile(name: "ovn-nb" | "ovn-sb" | "vswitch"): string {
  return repoPath(`schemas/${name}.ovsschema`);
}

export function writeTestSchema(dir: string): string {
  const path = join(dir, "t.ovsschema");
  writeFileSync(path, JSON.stringify(TEST_SCHEMA, null, 2));
  return path;
}

/** A process whose output is collected as it comes (monitors, lock holders). */
export class LiveProc {
  stdout = "";
  stderr = "";
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout?.on("data", (b: Buffer) => {
      this.stdout += b.toString("utf8");
    });
    this.child.stderr?.on("data", (b: Buffer) => {
      this.stderr += b.toString("utf8");
    });
    this.exited = new Promise((resolve) => this.child.on("close", () => resolve()));
  }

  static of(impl: Impl, args: readonly string[], env: NodeJS.ProcessEnv): LiveProc {
    const { cmd, pre } = command(impl, "ovsdb-client");
    return new LiveProc(cmd, [...pre, ...args], env);
  }

  /** SIGTERM to this process (by pid), then waits for it to go. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined)
      process.kill(this.child.pid, "SIGTERM");
    await this.exited;
  }
}

/** A real ovsdb-server in the foreground serving `dbFiles`, on DIR/db.sock. */
export class Server {
  readonly remote: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly proc: LiveProc;

  private constructor(
    readonly dir: string,
    dbFiles: readonly string[],
  ) {
    this.remote = `unix:${join(dir, "db.sock")}`;
    // The tools' default server is unix:$OVS_RUNDIR/db.sock.
    this.env = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir };
    this.proc = new LiveProc(
      "ovsdb-server",
      [
        `--remote=punix:${join(dir, "db.sock")}`,
        "--no-chdir",
        `--unixctl=${join(dir, "ctl")}`,
        `--log-file=${join(dir, "server.log")}`,
        ...dbFiles,
      ],
      this.env,
    );
  }

  static async start(dir: string, schemas: readonly string[]): Promise<Server> {
    requireTools("ovsdb-server", "ovsdb-tool", "ovsdb-client");
    const files: string[] = [];
    for (const [i, schema] of schemas.entries()) {
      const file = join(dir, `db${i}.db`);
      await runOk("ovsdb-tool", ["create", file, schema]);
      files.push(file);
    }
    const s = new Server(dir, files);
    await waitUntil(
      async () =>
        existsSync(join(dir, "db.sock")) && (await run("ovsdb-client", ["list-dbs", s.remote])).code === 0,
      10_000,
      { what: "ovsdb-server to answer" },
    );
    return s;
  }

  async stop(): Promise<void> {
    await this.proc.stop();
  }
}
