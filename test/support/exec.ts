// Runs a short-lived command (a CLI such as ovs-vsctl) and collects its output. Every call has a
// deadline so that a hung client fails the test instead of hanging the run.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** Killed with SIGKILL after this long (default 30 s). */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status, or null when the child died from a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Shell-like rendering of a command line, for error messages a human can paste into a terminal. */
export function formatCommand(cmd: string, args: readonly string[]): string {
  const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  return [cmd, ...args].map(quote).join(" ");
}

/** Runs a command to completion; never rejects for a non-zero exit (see runOk). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      err.push(Buffer.from(`\n[harness: killed after ${opts.timeoutMs ?? 30_000} ms]\n`));
      child.kill("SIGKILL");
    }, opts.timeoutMs ?? 30_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${formatCommand(cmd, args)}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        code,
        signal,
      });
    });
    child.stdin.on("error", () => {}); // the child may exit without reading its input
    child.stdin.end(opts.input ?? "");
  });
}

/** Error thrown by runOk: carries the full result so tests can assert on stderr of expected failures. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
  ) {
    const status = result.code !== null ? `exit status ${result.code}` : `signal ${result.signal}`;
    super(`${command} failed (${status}):\n${result.stderr.trimEnd()}`);
    this.name = "CommandError";
  }
}

/** Runs a command and returns its stdout; throws a CommandError (with stderr) unless it exits 0. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new CommandError(formatCommand(cmd, args), r);
  return r.stdout;
}

/** Whether an executable of this name is on PATH. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? "").split(":")) {
    if (dir === "") continue;
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * Fails with one clear message naming every missing prerequisite. Peer tests never skip: CI installs
 * everything (scripts/install-deps.sh), so a missing tool is an error to fix, not a reason to pass.
 */
export function requireTools(...names: string[]): void {
  const missing = names.filter((n) => !onPath(n));
  if (missing.length > 0) {
    throw new Error(
      `prerequisite missing: ${missing.join(", ")} not found on PATH (${process.env.PATH ?? ""}); ` +
        "install Open vSwitch/OVN and iproute2 with scripts/install-deps.sh",
    );
  }
}

/** Fails clearly unless the test runs as root (network namespaces and veths need it). */
export function requireRoot(): void {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new Error("prerequisite missing: this test creates network namespaces and must run as root");
  }
}
