// The daemon's logging edge: the console (stderr) and the --log-file outputs with their patterns, the
// levels set by -v/--verbose and `ovs-appctl vlog/set`, and the log file's close and reopen (for log
// rotation). One per process, as in Open vSwitch.
import { closeSync, openSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import {
  DESTINATIONS,
  type Destination,
  isModule,
  type LogRecord,
  logger,
  setLevel,
  setOutput,
} from "../base/log.js";
import { DEFAULT_PATTERNS, formatRecord, type PatternContext } from "./pattern.js";
import { FACILITIES, parseVlogSpec } from "./spec.js";

export interface VlogOptions {
  /** The program name (%A), e.g. "ovn-northd". */
  readonly program: string;
  /** The log file, when --log-file was given. */
  readonly logFile?: string;
  /** Whether the console (stderr) is written at all (not when detached). */
  readonly console: boolean;
  /** The -v/--verbose specs, in order. */
  readonly specs: readonly string[];
}

/** The levels a daemon starts with before its -v specs: the console quieter than the file. */
const START_LEVELS: Readonly<Record<Destination, "WARN" | "INFO">> = {
  console: "WARN",
  syslog: "INFO",
  file: "INFO",
};

export class Vlog {
  readonly patterns: Record<Destination, string> = { ...DEFAULT_PATTERNS };
  facility = "daemon";
  /** Modules whose rate limiting was disabled (vlog/disable-rate-limit); ovnts logs no rate-limited lines. */
  readonly unlimited = new Set<string>();
  private fd: number | undefined;
  private readonly ctx: { -readonly [K in keyof PatternContext]: PatternContext[K] };

  constructor(readonly options: VlogOptions) {
    this.ctx = {
      program: options.program,
      hostname: hostname(),
      pid: process.pid,
      startMs: Date.now() - Math.round(process.uptime() * 1000),
      facility: FACILITIES.indexOf("daemon"),
    };
  }

  /** Sets the start levels, applies the specs (throws on a bad one) and opens the outputs. */
  start(): void {
    for (const d of DESTINATIONS) setLevel(undefined, d, START_LEVELS[d]);
    for (const spec of this.options.specs) {
      // At start-up a module may not have loaded yet: any word that is not a level or destination is
      // taken as a module name, as the modules of a lazily loaded part would be.
      const err = this.apply(spec, () => true);
      if (err !== undefined) throw new Error(err);
    }
    if (this.options.console) setOutput("console", (r) => this.write("console", r));
    this.reopen();
  }

  /** Applies one vlog/set spec; returns the error text, or undefined. */
  apply(spec: string, known: (m: string) => boolean = isModule): string | undefined {
    const p = parseVlogSpec(spec, known);
    if (!p.ok) return p.error;
    const s = p.spec;
    if (s.kind === "levels") setLevel(s.module, s.dest, s.level);
    else if (s.kind === "facility") {
      this.facility = s.facility;
      this.ctx.facility = FACILITIES.indexOf(s.facility);
    } else {
      for (const d of s.dest === undefined ? DESTINATIONS : [s.dest]) this.patterns[d] = s.pattern ?? "";
    }
    return undefined;
  }

  /** Closes the log file if it is open and opens it again (appending); nothing without --log-file. */
  reopen(): void {
    const path = this.options.logFile;
    if (path === undefined) return;
    this.close();
    this.fd = openSync(path, "a");
    setOutput("file", (r) => this.write("file", r));
    logger("vlog").info(`opened log file ${path}`);
  }

  /** Closes the log file, if it is open: file lines are dropped until reopen. */
  close(): void {
    if (this.fd === undefined) return;
    setOutput("file", undefined);
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Whether a log file is open. */
  get fileOpen(): boolean {
    return this.fd !== undefined;
  }

  private write(dest: Destination, r: LogRecord): void {
    const line = `${formatRecord(this.patterns[dest], r, this.ctx)}\n`;
    if (dest === "console") process.stderr.write(line);
    else if (this.fd !== undefined) {
      // Synchronous, as vlog writes: a line logged just before a crash or exit is in the file.
      try {
        writeSync(this.fd, line);
      } catch {
        // A full disk must not take the daemon down; the line is lost, as C's would be.
      }
    }
  }
}

let current: Vlog | undefined;

/** Starts the process's logging (once; a second call replaces the first). */
export function startVlog(options: VlogOptions): Vlog {
  current?.close();
  current = new Vlog(options);
  current.start();
  return current;
}

/** The process's logging, when a daemon started it. */
export function currentVlog(): Vlog | undefined {
  return current;
}
