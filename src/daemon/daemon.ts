// The daemon edge shared by every ovnts daemon: log file, pidfile, --detach, signals, clean exit.
import { spawn } from "node:child_process";
import {
  closeSync,
  createWriteStream,
  openSync,
  readFileSync,
  unlinkSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { configureLog, type Level, logger } from "../base/log.js";
import { has, type OptionSpec, optValue, optValues, type ParsedOptions } from "../cli/options.js";
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
  logStream: WriteStream | undefined;
}

type Levels = { file: Level | "off"; console: Level | "off" };

/** Parses -v specs like "console:off", "file:dbg", "dbg", "jsonrpc:file:dbg" into the file/console levels. */
function levels(specs: string[], start: Levels = { file: "INFO", console: "WARN" }): Levels {
  const out: Levels = { ...start };
  const toLevel = (w: string): Level | "off" | undefined =>
    ({ off: "off", emer: "EMER", err: "ERR", warn: "WARN", info: "INFO", dbg: "DBG" })[w.toLowerCase()] as
      | Level
      | "off"
      | undefined;
  for (const spec of specs) {
    if (spec === "") {
      out.file = out.console = "DBG";
      continue;
    }
    const words = spec.split(/[:,]/);
    let dest: "file" | "console" | "both" = "both";
    let lvl: Level | "off" | undefined;
    for (const w of words) {
      if (w === "file" || w === "console") dest = w;
      else if (w === "syslog") dest = "both";
      else if (toLevel(w) !== undefined) lvl = toLevel(w);
    }
    if (lvl === undefined) continue;
    if (dest === "file" || dest === "both") out.file = lvl;
    if (dest === "console" || dest === "both") out.console = lvl;
  }
  return out;
}

const rank: Record<Level, number> = { EMER: 0, ERR: 1, WARN: 2, INFO: 3, DBG: 4 };

let current: Levels = { file: "INFO", console: "WARN" };

function mostVerbose(lv: Levels): Level {
  const on = [lv.file, lv.console].filter((l): l is Level => l !== "off").sort((a, b) => rank[b] - rank[a]);
  return on[0] ?? "EMER";
}

/** `vlog/set SPEC...` at run time (ovs-appctl); returns what vlog/list would show. */
export function setVerbosity(specs: string[]): void {
  current = levels(specs, current);
  configureLog({ level: mostVerbose(current) });
}

/** The log commands every daemon's unixctl socket answers. */
export function registerVlogCommands(unixctl: {
  register(n: string, u: string, min: number, max: number, h: (a: string[]) => string | undefined): void;
}): void {
  unixctl.register("vlog/set", "{spec | PATTERN:destination:pattern}", 0, Infinity, (args) => {
    setVerbosity(args);
    return undefined;
  });
  unixctl.register(
    "vlog/list",
    "",
    0,
    0,
    () =>
      `                 console    syslog    file\n                 -------    ------    ------\nANY              ${String(current.console).toLowerCase().padEnd(11)}off       ${String(current.file).toLowerCase()}\n`,
  );
  unixctl.register("vlog/reopen", "", 0, 0, () => undefined);
}

/** Sets up logging and the pidfile from the common daemon options. */
export function setUpDaemon(name: string, opts: ParsedOptions, ovn = false): DaemonFiles {
  tuneHeap(name);
  const files: DaemonFiles = { name, ovn, pidfile: undefined, logFile: undefined, logStream: undefined };
  const lv = levels(optValues(opts, "verbose"));
  current = lv;
  const sinks: ((line: string) => void)[] = [];
  if (has(opts, "log-file")) {
    files.logFile = resolveIn(logDir(ovn), optValue(opts, "log-file") ?? "", `${name}.log`);
    const stream = createWriteStream(files.logFile, { flags: "a" });
    files.logStream = stream;
    if (lv.file !== "off") {
      sinks.push((line) => {
        const level = line.split("|")[3] as Level;
        if (current.file !== "off" && rank[level] <= rank[current.file]) stream.write(`${line}\n`);
      });
    }
  }
  if (lv.console !== "off" && !has(opts, "detach")) {
    sinks.push((line) => {
      const level = line.split("|")[3] as Level;
      if (current.console !== "off" && rank[level] <= rank[current.console])
        process.stderr.write(`${line}\n`);
    });
  }
  configureLog({ sinks, level: mostVerbose(lv) });
  if (has(opts, "log-file")) logger("vlog").info(`opened log file ${files.logFile}`);
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
  files.logStream?.end();
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
