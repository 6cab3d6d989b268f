// Child daemons of `ovnts chassis` and `ovnts sandbox`: started in their own process group (so a Ctrl-C
// on the terminal reaches only the parent, which then stops them in order), output appended to a log
// file and watched line by line, stopped with SIGTERM then SIGKILL.  A synchronous exit hook kills any
// child still running when the parent exits, so none outlives it.
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** bin/ovnts of this checkout (dist/src/sandbox/procs.js → the repository root). */
export const OVNTS_BIN = resolve(fileURLToPath(import.meta.url), "../../../../bin/ovnts");

export interface ChildSpec {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Run inside this network namespace (`ip netns exec` execs, so the pid is the daemon's). */
  readonly netns?: string;
  /** stdout and stderr are appended here. */
  readonly logPath: string;
}

/** The command line that runs an ovnts subcommand with this Node. */
export function ovntsCommand(sub: string, args: readonly string[]): { cmd: string; args: string[] } {
  return { cmd: process.execPath, args: [OVNTS_BIN, sub, ...args] };
}

const live = new Set<Child>();
let hooked = false;

export class Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly lines: string[] = [];
  private readonly waiters: { re: RegExp; resolve: (l: string) => void }[] = [];

  constructor(readonly spec: ChildSpec) {
    if (!hooked) {
      hooked = true;
      process.on("exit", () => {
        for (const c of live) c.kill("SIGKILL");
      });
    }
    const [cmd, args] =
      spec.netns === undefined
        ? [spec.cmd, [...spec.args]]
        : ["ip", ["netns", "exec", spec.netns, spec.cmd, ...spec.args]];
    this.proc = spawn(cmd, args, {
      env: spec.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    live.add(this);
    this.exited = new Promise((res) => {
      this.proc.on("exit", (code, signal) => {
        live.delete(this);
        this.exitCode = code ?? (signal !== null ? null : 0);
        res(this.exitCode);
      });
      this.proc.on("error", (e) => {
        this.record(`spawn failed: ${e.message}`);
        live.delete(this);
        this.exitCode = 127;
        res(127);
      });
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      let partial = "";
      stream?.on("data", (d: Buffer) => {
        appendFileSync(spec.logPath, d);
        const parts = (partial + d.toString()).split("\n");
        partial = parts.pop() ?? "";
        for (const l of parts) this.record(l);
      });
    }
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  private record(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 200) this.lines.shift();
    for (const w of [...this.waiters]) {
      if (w.re.test(line)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  }

  /** Why waiting for this child is pointless (it exited), or undefined while it runs. */
  exitReason(): string | undefined {
    return this.running ? undefined : `${this.spec.name} exited (${this.exitCode})\n${this.tail()}`;
  }

  /** The last lines of output, for error messages. */
  tail(n = 15): string {
    return this.lines.slice(-n).join("\n");
  }

  /** Resolves with the first output line matching `re` (seen already or to come); rejects on exit or timeout. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.spec.name}: no "${re.source}" within ${timeoutMs} ms\n${this.tail()}`));
      }, timeoutMs);
      this.waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(timer);
          resolveLine(l);
        },
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.spec.name} exited (${code}) before "${re.source}"\n${this.tail()}`));
      });
    });
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      this.proc.kill(signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.kill("SIGTERM");
    const timer = setTimeout(() => this.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Polls `check` every `everyMs` until it is true; throws `what` after `timeoutMs`, or at once when
 * `gaveUp` returns a reason (a daemon that exited will not become ready).
 */
export async function pollUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  everyMs = 100,
  gaveUp: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = gaveUp();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    let ok = false;
    try {
      ok = await check();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
