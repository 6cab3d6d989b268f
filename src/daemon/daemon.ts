// The daemon edge shared by every ovnts daemon: log file, pidfile, --detach, signals, clean exit.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { logger } from "../base/log.js";
import { has, type OptionSpec, optValue, optValues, type ParsedOptions } from "../cli/options.js";
import { currentVlog, startVlog } from "../vlog/vlog.js";
import { tuneHeap } from "./heap.js";
import { logDir, resolveIn, runDir } from "./paths.js";
import { inheritedPidfile, lockedCommand, pidfileRequest, superviseLocked } from "./pidfile.js";

export const DAEMON_OPTIONS: Record<string, OptionSpec> = {
  "log-file": { arg: "optional" },
  pidfile: { arg: "optional" },
  "overwrite-pidfile": {},
  unixctl: { arg: "required" },
  detach: {},
  "no-chdir": {},
  monitor: {},
  user: { arg: "required" },
  verbose: { arg: "optional", multiple: true },
  help: {},
  version: {},
};

export interface DaemonFiles {
  readonly name: string;
  readonly ovn: boolean;
  pidfile: string | undefined;
  logFile: string | undefined;
}

/** The log commands every daemon's unixctl socket answers (src/vlog/commands.ts). */
export { registerVlogCommands } from "../vlog/commands.js";

/** Sets up logging and the pidfile from the common daemon options. */
export function setUpDaemon(name: string, opts: ParsedOptions, ovn = false): DaemonFiles {
  tuneHeap(name);
  const files: DaemonFiles = { name, ovn, pidfile: undefined, logFile: undefined };
  if (has(opts, "log-file"))
    files.logFile = resolveIn(logDir(ovn), optValue(opts, "log-file") ?? "", `${name}.log`);
  // -v and --verbose with no spec: every module at dbg (vlog's rule), given as an empty spec.
  startVlog({
    program: name,
    ...(files.logFile !== undefined ? { logFile: files.logFile } : {}),
    console: !has(opts, "detach"),
    specs: optValues(opts, "verbose"),
  });
  const inherited = inheritedPidfile(process.env);
  if (has(opts, "pidfile")) {
    files.pidfile = resolveIn(runDir(ovn), optValue(opts, "pidfile") ?? "", `${name}.pid`);
    // Started through the lock holder (pidfile.ts): the file names us and we hold its lock; its
    // descriptor stays open for as long as we run.
    if (inherited?.path !== files.pidfile) writePidfile(files.pidfile, has(opts, "overwrite-pidfile"));
  }
  return files;
}

function writePidfile(path: string, overwrite: boolean): void {
  if (!overwrite) {
    try {
      const pid = Number(readFileSync(path, "utf8").trim());
      if (pid > 0 && pid !== process.pid) {
        try {
          process.kill(pid, 0);
          throw new Error(`${path}: already running as pid ${pid}, aborting`);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
        }
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" && !(e instanceof SyntaxError)) {
        if (e instanceof Error && e.message.includes("already running")) throw e;
      }
    }
  }
  writeFileSync(path, `${process.pid}\n`);
}

export function cleanUpDaemon(files: DaemonFiles): void {
  if (files.pidfile !== undefined) {
    try {
      unlinkSync(files.pidfile);
    } catch {
      // already gone
    }
  }
  currentVlog()?.close();
}

/**
 * --detach: runs this same command again in the background without --detach, waits until it says it is
 * ready (it writes to fd 3) or exits, and returns the exit code the foreground should exit with.
 * Returns undefined in the process that should do the work.
 */
export async function maybeDetach(argv: readonly string[]): Promise<number | undefined> {
  if (process.env.OVNTS_DETACHED === "1" || process.env.OVNTS_PIDFILE_FD !== undefined) return undefined;
  // --pidfile: the daemon must be the process that holds the pidfile's lock (pidfile.ts).
  const pidfile = pidfileRequest(process.argv[2] ?? "", argv);
  if (!argv.includes("--detach"))
    return pidfile === undefined ? undefined : await superviseLocked(pidfile, process.argv.slice(2));
  const script = process.argv[1] as string;
  // Detached, the daemon is started through the lock holder directly (nothing stays in front of it).
  const locked =
    pidfile === undefined
      ? undefined
      : lockedCommand(pidfile, process.argv.slice(2), { killWithParent: false });
  const [cmd, args] =
    locked === undefined ? [process.execPath, [script, ...process.argv.slice(2)]] : [locked.cmd, locked.args];
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    env: { ...process.env, OVNTS_DETACHED: "1" },
  });
  return await new Promise<number>((resolve) => {
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const ready = child.stdio[3] as NodeJS.ReadableStream;
    ready.on("data", () => {
      child.unref();
      (child.stderr as NodeJS.ReadableStream & { destroy(): void }).destroy();
      (ready as NodeJS.ReadableStream & { destroy(): void }).destroy();
      resolve(0);
    });
    child.on("exit", (code) => {
      process.stderr.write(stderr);
      resolve(code ?? 1);
    });
  });
}

/** Tells a detaching parent that start-up finished (no-op when not detached). */
export function notifyReady(): void {
  if (process.env.OVNTS_DETACHED !== "1") return;
  try {
    writeFileSync(3 as unknown as string, "ready\n");
    closeSync(3);
  } catch {
    // parent gone
  }
  // Detached daemons have no terminal: stop writing to a stderr nobody reads.
  try {
    const fd = openSync("/dev/null", "w");
    void fd;
  } catch {
    // ignore
  }
}

/** Runs `stop` on SIGTERM/SIGINT/SIGHUP once, then exits with code 0. */
export function onTermination(stop: () => Promise<void> | void): void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const names: Record<string, [number, string]> = {
      SIGTERM: [15, "Terminated"],
      SIGINT: [2, "Interrupt"],
      SIGHUP: [1, "Hangup"],
    };
    const [num, text] = names[sig] ?? [0, sig];
    logger("fatal_signal").info(`terminating with signal ${num} (${text})`);
    Promise.resolve(stop()).finally(() => process.exit(0));
  };
  for (const s of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(s, handler);
}
