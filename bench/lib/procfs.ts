// Parsers for the two /proc files the benchmark reads about a server process. Pure: the caller reads.

/**
 * CPU time (user + system, all threads) from the text of /proc/PID/stat, in ms. The kernel counts in
 * clock ticks, taken to be the usual 100 per second (USER_HZ).
 */
export function parseStatCpuMs(stat: string): number {
  // Fields after the parenthesised command name (which may itself contain spaces and parentheses).
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the line; `rest` starts at field 3.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error("cannot parse /proc/PID/stat");
  return (utime + stime) * 10;
}

/** Resident set size in KiB from the text of /proc/PID/status (its VmRSS line). */
export function parseVmRssKiB(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (m === null) throw new Error("no VmRSS line in /proc/PID/status");
  return Number(m[1]);
}
