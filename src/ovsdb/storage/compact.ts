// When to compact a standalone database automatically: the policy documented in ovsdb-server(1) under
// ovsdb-server/compact, as a pure function of the log's statistics and the current time:
//   "A database is also compacted automatically when a transaction is logged if it is over 2 times as
//    large as its previous compacted size (and at least 10 MB), but not before 100 commits have been added
//    or 10 minutes have elapsed since the last compaction. It will also be compacted automatically after
//    24 hours since the last compaction if 100 commits were added regardless of its size."
// "Not before 100 commits … or 10 minutes" is read as: both must hold (at least 100 records and at least
// 10 minutes). The record count is of the whole file (schema and snapshot included), like the C server,
// which counts the records it read at start-up plus those it wrote.

/** What LogFile knows about its file; `compactedAt` is the time of opening or of the last replace. */
export interface LogStats {
  /** Current file size in bytes. */
  bytes: number;
  /** Records in the file now, the schema included. */
  records: number;
  /** File size right after opening or after the last compaction. */
  snapshotBytes: number;
  /** Milliseconds since the epoch when the file was opened or last compacted. */
  compactedAt: number;
}

export interface CompactPolicy {
  minIntervalMs: number;
  maxIntervalMs: number;
  minRecords: number;
  minBytes: number;
  growthFactor: number;
}

export const DEFAULT_COMPACT_POLICY: Readonly<CompactPolicy> = Object.freeze({
  minIntervalMs: 10 * 60 * 1000,
  maxIntervalMs: 24 * 60 * 60 * 1000,
  minRecords: 100,
  minBytes: 10 * 1024 * 1024,
  growthFactor: 2,
});

/** True when the server should compact now, by the documented policy. */
export function shouldCompact(
  stats: LogStats,
  now: number,
  policy: CompactPolicy = DEFAULT_COMPACT_POLICY,
): boolean {
  const elapsed = now - stats.compactedAt;
  if (elapsed < policy.minIntervalMs || stats.records < policy.minRecords) return false;
  const grewLots = stats.bytes >= policy.minBytes && stats.bytes > policy.growthFactor * stats.snapshotBytes;
  return grewLots || elapsed >= policy.maxIntervalMs;
}
