// Operator logs in the shape of Open vSwitch's vlog:
//   2026-11-24T14:30:00.123Z|00001|ovsdb_server|INFO|listening on punix:/run/nb.sock
// A Logger is created per module; each module has its own level per destination (console, syslog,
// file), as `ovs-appctl vlog/set MODULE:DESTINATION:LEVEL` sets them. Where lines go is set by the
// daemon's edge (src/vlog): the core never opens files itself, it only has outputs handed to it.

export type Level = "EMER" | "ERR" | "WARN" | "INFO" | "DBG";
/** A destination's threshold: a level, or OFF (nothing is written). */
export type Threshold = Level | "OFF";
export type Destination = "console" | "syslog" | "file";
export const DESTINATIONS: readonly Destination[] = ["console", "syslog", "file"];

const rank: Record<Threshold, number> = { OFF: -1, EMER: 0, ERR: 1, WARN: 2, INFO: 3, DBG: 4 };

export type Sink = (line: string) => void;

/** One log message, for outputs that format it themselves (vlog patterns). */
export interface LogRecord {
  readonly when: Date;
  readonly seq: number;
  readonly module: string;
  readonly level: Level;
  readonly msg: string;
}

export type Output = (record: LogRecord) => void;

interface ModuleState {
  readonly name: string;
  readonly levels: Record<Destination, Threshold>;
  /** The most verbose rank any output of this module can write (recomputed on every change). */
  max: number;
}

interface LogState {
  /** Plain sinks (tests, tools): every module's lines up to `level`, in the default format. */
  sinks: Sink[];
  level: Level;
  outputs: Partial<Record<Destination, Output>>;
  /** The levels a module gets when it is created. */
  defaults: Record<Destination, Threshold>;
  seq: number;
  now: () => Date;
}

const state: LogState = {
  sinks: [],
  level: "INFO",
  outputs: {},
  defaults: { console: "INFO", syslog: "INFO", file: "INFO" },
  seq: 0,
  now: () => new Date(),
};

const modules = new Map<string, ModuleState>();

function refresh(m: ModuleState): void {
  let max = state.sinks.length > 0 ? rank[state.level] : -1;
  for (const d of DESTINATIONS) if (state.outputs[d] !== undefined) max = Math.max(max, rank[m.levels[d]]);
  m.max = max;
}

function refreshAll(): void {
  for (const m of modules.values()) refresh(m);
}

/** Sets plain sinks (every module, up to `level`, default format) and the clock. */
export function configureLog(opts: { sinks?: Sink[]; level?: Level; now?: () => Date }): void {
  if (opts.sinks !== undefined) state.sinks = opts.sinks;
  if (opts.level !== undefined) state.level = opts.level;
  if (opts.now !== undefined) state.now = opts.now;
  refreshAll();
}

/** Sets (or with undefined, removes) the output of one destination. */
export function setOutput(dest: Destination, output: Output | undefined): void {
  if (output === undefined) delete state.outputs[dest];
  else state.outputs[dest] = output;
  refreshAll();
}

/**
 * Sets the threshold of `module` (every module, present and future, when undefined) for `dest` (every
 * destination when undefined).
 */
export function setLevel(module: string | undefined, dest: Destination | undefined, level: Threshold): void {
  const dests = dest === undefined ? DESTINATIONS : [dest];
  const targets = module === undefined ? [...modules.values()] : [moduleState(module)];
  for (const m of targets) for (const d of dests) m.levels[d] = level;
  if (module === undefined) for (const d of dests) state.defaults[d] = level;
  refreshAll();
}

/** Whether a module of that name has been created (a Logger made for it). */
export function isModule(name: string): boolean {
  return modules.has(name);
}

/** Every module created so far with its thresholds, sorted by name (vlog/list). */
export function moduleLevels(): { name: string; levels: Readonly<Record<Destination, Threshold>> }[] {
  return [...modules.values()]
    .map((m) => ({ name: m.name, levels: m.levels }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The most verbose level the plain sinks write. */
export function logLevel(): Level {
  return state.level;
}

export interface Logger {
  err(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  dbg(msg: string): void;
  enabled(level: Level): boolean;
}

export function formatLine(when: Date, seq: number, module: string, level: Level, msg: string): string {
  return `${when.toISOString()}|${String(seq).padStart(5, "0")}|${module}|${level}|${msg}`;
}

function moduleState(name: string): ModuleState {
  let m = modules.get(name);
  if (m === undefined) {
    m = { name, levels: { ...state.defaults }, max: -1 };
    refresh(m);
    modules.set(name, m);
  }
  return m;
}

/**
 * The logger of a module. A name like "acl_log(ovn_pinctrl0)" is module acl_log written by a
 * subprogram: its levels are the module's.
 */
export function logger(name: string): Logger {
  const paren = name.indexOf("(");
  const m = moduleState(paren > 0 ? name.slice(0, paren) : name);
  const emit = (level: Level, msg: string): void => {
    const r = rank[level];
    if (r > m.max) return;
    state.seq += 1;
    const record: LogRecord = { when: state.now(), seq: state.seq, module: name, level, msg };
    if (state.sinks.length > 0 && r <= rank[state.level]) {
      const line = formatLine(record.when, record.seq, name, level, msg);
      for (const s of state.sinks) s(line);
    }
    for (const d of DESTINATIONS) {
      const out = state.outputs[d];
      if (out !== undefined && r <= rank[m.levels[d]]) out(record);
    }
  };
  return {
    err: (msg) => emit("ERR", msg),
    warn: (msg) => emit("WARN", msg),
    info: (msg) => emit("INFO", msg),
    dbg: (msg) => emit("DBG", msg),
    enabled: (l) => rank[l] <= m.max,
  };
}
