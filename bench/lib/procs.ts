// Child processes and temporary directories of one benchmark run, tracked so that every one of them is
// gone when the run ends, whether it ends normally, by an exception, or by Ctrl-C.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last few KiB the process wrote to stderr, for error messages. */
  stderrTail(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

const STDERR_KEEP = 4096;

export class Resources {
  private readonly procs = new Set<Proc>();
  private readonly dirs = new Set<string>();

  /** A fresh directory under the system temp dir, removed by `release`. */
  tempDir(prefix: string): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.add(d);
    return d;
  }

  spawn(name: string, cmd: string, args: readonly string[]): Proc {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let tail = "";
    child.stderr?.on("data", (b: Buffer) => {
      tail = (tail + b.toString("utf8")).slice(-STDERR_KEEP);
    });
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    });
    if (child.pid === undefined) throw new Error(`cannot run ${cmd}`);
    const proc: Proc = {
      name,
      child,
      pid: child.pid,
      stderrTail: () => tail,
      exited,
      stop: async (graceMs = 5000) => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          await exited;
          clearTimeout(timer);
        }
        this.procs.delete(proc);
      },
    };
    this.procs.add(proc);
    exited.then(() => this.procs.delete(proc));
    return proc;
  }

  /** Stops every process still running and removes every temp dir. */
  async release(): Promise<void> {
    await Promise.all([...this.procs].map((p) => p.stop(2000)));
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    this.dirs.clear();
  }

  /** Synchronous last resort for process exit: SIGKILL whatever is left, remove the dirs. */
  releaseNow(): void {
    for (const p of this.procs) p.child.kill("SIGKILL");
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Runs a command to completion; rejects with its stderr if it fails. */
export function runOk(cmd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString("utf8");
    });
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString("utf8");
    });
    child.on("error", (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}: ${err.trim()}`));
    });
  });
}
