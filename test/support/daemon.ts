// A long-running process started by a sandbox (ovsdb-server, ovs-vswitchd, ovn-northd ...). Its stdout
// and stderr go straight to a file through an inherited descriptor, so the output survives even if the
// test process dies, and nothing has to drain a pipe.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { formatCommand, runOk } from "./exec.js";

const VLOG_LINE = /^\d{4}-\d\d-\d\dT[\d:.]+Z\|\d+\|/;

export interface DaemonSpec {
  /** Short name, unique in the sandbox ("nb", "vswitchd"): names the output file and log tails. */
  name: string;
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where stdout+stderr go. */
  outPath: string;
  /** The daemon's own --log-file, if it has one. */
  logPath?: string;
  /** Its unixctl socket, for appctl(). */
  ctlPath?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Daemon {
  readonly name: string;
  readonly pid: number;
  readonly command: string;
  readonly outPath: string;
  readonly logPath: string | undefined;
  ctlPath: string | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly child: ChildProcess;
  private exitInfo: Exit | undefined;
  /** Resolves when the process has exited (for whatever reason). */
  readonly exited: Promise<Exit>;

  constructor(spec: DaemonSpec) {
    this.name = spec.name;
    this.command = formatCommand(spec.cmd, spec.args);
    this.outPath = spec.outPath;
    this.logPath = spec.logPath;
    this.ctlPath = spec.ctlPath;
    this.env = spec.env;
    const fd = openSync(spec.outPath, "a");
    try {
      this.child = spawn(spec.cmd, spec.args, { env: spec.env, cwd: spec.cwd, stdio: ["ignore", fd, fd] });
    } finally {
      closeSync(fd);
    }
    if (this.child.pid === undefined) throw new Error(`cannot start ${this.command}`);
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      // spawn() failures (ENOENT) arrive as 'error' without 'exit'.
      this.child.on("error", (e) => {
        this.exitInfo = { code: 127, signal: null };
        process.stderr.write(`[harness] ${this.command}: ${e.message}\n`);
        resolve(this.exitInfo);
      });
    });
  }

  /** How the process ended, or undefined while it runs. */
  get exit(): Exit | undefined {
    return this.exitInfo;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Everything the process has written to stdout/stderr so far. */
  output(): string {
    return existsSync(this.outPath) ? readFileSync(this.outPath, "utf8") : "";
  }

  /** Sends a signal (no-op once the process has exited). */
  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if the process is still there after `graceMs`; resolves once it is gone. */
  async stop(graceMs = 3000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((r) => {
      timer = setTimeout(() => r("late"), graceMs);
    });
    const first = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (first === "late") this.kill("SIGKILL");
    return this.exited;
  }

  /** Runs `ovs-appctl -t CTL args...` against this daemon and returns stdout. */
  appctl(...args: string[]): Promise<string> {
    if (this.ctlPath === undefined) throw new Error(`${this.name}: no unixctl socket known`);
    return runOk("ovs-appctl", ["-t", this.ctlPath, ...args], { env: this.env, timeoutMs: 15_000 });
  }

  /** Throws a readable error if the process has already exited (used while waiting for readiness). */
  assertRunning(): void {
    const e = this.exitInfo;
    if (e === undefined) return;
    const how = e.code !== null ? `exit status ${e.code}` : `signal ${e.signal}`;
    throw new Error(`${this.name} exited (${how}): ${this.command}\n${this.tail(15)}`);
  }

  /**
   * The last lines of the daemon's log file and of its stdout/stderr (the latter holds the messages
   * of a daemon that died before it could open its log).
   */
  tail(lines = 25): string {
    const parts: string[] = [];
    const hasLog = this.logPath !== undefined && existsSync(this.logPath);
    const sources: [string, string | undefined, (l: string) => boolean][] = [
      ["log", this.logPath, () => true],
      // The C daemons echo their log to the console too; with a log file present only the console lines
      // that are not log lines (crash messages, Node stack traces) are news.
      ["stdout/stderr", this.outPath, (l) => !hasLog || !VLOG_LINE.test(l)],
    ];
    for (const [label, path, keep] of sources) {
      if (path === undefined || !existsSync(path)) continue;
      const all = readFileSync(path, "utf8")
        .trimEnd()
        .split("\n")
        .filter((l) => l !== "" && keep(l));
      if (all.length === 0) continue;
      const shown = all.slice(-lines);
      parts.push(`--- ${this.name} ${label} (${path}, last ${shown.length} of ${all.length} lines) ---`);
      parts.push(...shown);
    }
    const state =
      this.exitInfo === undefined ? `pid ${this.pid} running` : `exited ${JSON.stringify(this.exitInfo)}`;
    return [`=== ${this.name}: ${state}: ${this.command}`, ...parts].join("\n");
  }
}
