// The C tools' console log lines on stderr ("2026-01-02T03:04:05Z|00001|module|LEVEL|message"): one
// sequence number for the whole process, so that lines from different modules number on.
let seq = 0;

/** Writes one console log line, stamped with `nowMs` (wall-clock milliseconds). */
export function consoleLog(nowMs: number, module: string, level: string, msg: string): void {
  seq += 1;
  const when = `${new Date(nowMs).toISOString().slice(0, 19)}Z`;
  process.stderr.write(`${when}|${String(seq).padStart(5, "0")}|${module}|${level}|${msg}\n`);
}
