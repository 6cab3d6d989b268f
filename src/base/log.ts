// Operator logs in the shape of Open vSwitch's vlog:
//   2026-11-24T14:30:00.123Z|00001|ovsdb_server|INFO|listening on punix:/run/nb.sock
// A Logger is created per module; where lines go (file, stderr) is set once by the daemon's edge.
// The core never opens files itself: it receives a sink.

export type Level = "EMER" | "ERR" | "WARN" | "INFO" | "DBG";
const rank: Record<Level, number> = { EMER: 0, ERR: 1, WARN: 2, INFO: 3, DBG: 4 };

export type Sink = (line: string) => void;

interface LogState {
  sinks: Sink[];
  level: Level;
  seq: number;
  now: () => Date;
}

const state: LogState = { sinks: [], level: "INFO", seq: 0, now: () => new Date() };

/** Sets where log lines go and the most verbose level written. */
export function configureLog(opts: { sinks?: Sink[]; level?: Level; now?: () => Date }): void {
  if (opts.sinks !== undefined) state.sinks = opts.sinks;
  if (opts.level !== undefined) state.level = opts.level;
  if (opts.now !== undefined) state.now = opts.now;
}

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

export function logger(module: string): Logger {
  const emit = (level: Level, msg: string): void => {
    if (rank[level] > rank[state.level] || state.sinks.length === 0) return;
    state.seq += 1;
    const line = formatLine(state.now(), state.seq, module, level, msg);
    for (const s of state.sinks) s(line);
  };
  return {
    err: (m) => emit("ERR", m),
    warn: (m) => emit("WARN", m),
    info: (m) => emit("INFO", m),
    dbg: (m) => emit("DBG", m),
    enabled: (l) => rank[l] <= rank[state.level] && state.sinks.length > 0,
  };
}
