// The database file on disk: open (lock, read, recover), append, compact. The I/O edge of storage/.
//
// Durability contract:
// - append() is one positioned write at the end of the file, plus one fsync when durable. Appends run
//   strictly in call order and each resolves only when its bytes are written (and synced if durable).
//   A failed write is cut back off the file so a later append does not land after half a record.
// - replace() writes "<path>.tmp", fsyncs it, renames it over the database and fsyncs the directory, then
//   appends go to the new file. A crash at any point leaves either the old or the new complete file; a
//   stale "<path>.tmp" is removed at the next open.
// - open() truncates a torn last record (a crash mid-append) and logs a warning; damage before the end
//   of the log is a LogCorruptError, so the server refuses to start rather than drop later commits.
// - A ".<name>.~lock~" fcntl lock (lockfile.ts) keeps a second writer out, ours or the C tools'.

import { dirname } from "node:path";
import { logger } from "../../base/log.js";
import type { LogStats } from "./compact.js";
import { type IoHandle, type LogIo, nodeIo } from "./io.js";
import { acquireLock, type FileLock, type LockHelper } from "./lockfile.js";
import {
  encodeRecord,
  encodeRecords,
  type LogCodec,
  LogCorruptError,
  type LogRecord,
  RecordEncoder,
  readLog,
} from "./log.js";

const log = logger("ovsdb_log");

/** Permissions of a database file created here (what ovsdb-tool create gives). */
const DB_PERM = 0o640;

export interface OpenOptions {
  /** Schema JSON: create the database with it if the file is missing or holds no complete record. */
  create?: unknown;
  /** Milliseconds since the epoch, for LogStats.compactedAt; the clock is read if omitted. */
  now?: number;
  /** Take the write lock (default true). */
  lock?: boolean;
  /** JSON codec, e.g. one that keeps 64-bit integers exact; sha1 comes from `io`. */
  codec?: Pick<LogCodec, "parse" | "stringify">;
  /** File-system primitives (tests substitute these). */
  io?: LogIo;
  /** Which lock helper programs to try, in order (tests pin one). */
  lockHelpers?: readonly LockHelper[];
}

export interface OpenedLog {
  file: LogFile;
  /** Every record, the schema first. */
  records: LogRecord[];
  /** Present when a torn last record was cut off. */
  truncated?: { offset: number; droppedBytes: number; reason: string };
}

/** Open failures other than corruption and locking: code "ENOENT" (no file) or "EMPTY" (no schema). */
export class LogOpenError extends Error {
  override readonly name = "LogOpenError";
  constructor(
    message: string,
    readonly code: "ENOENT" | "EMPTY",
  ) {
    super(message);
  }
}

interface Batch {
  chunks: Uint8Array[];
  bytes: number;
  durable: boolean;
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

export class LogFile {
  private queue: Promise<unknown> = Promise.resolve();
  /** Queued operations not yet finished; the synchronous fast path is taken only when there are none. */
  private inFlight = 0;
  /** Appends not yet handed to a write: the next group commit. */
  private openBatch: Batch | undefined;
  /** Set when the file can no longer be trusted (failed fsync, failed rollback); every later call fails. */
  private broken: Error | undefined;
  private closed = false;
  private readonly encoder: RecordEncoder;

  private constructor(
    readonly path: string,
    private fh: IoHandle,
    private readonly io: LogIo,
    private readonly codec: LogCodec,
    private readonly lock: FileLock | undefined,
    private size: number,
    private records: number,
    private snapshotBytes: number,
    private compactedAt: number,
  ) {
    this.encoder = new RecordEncoder(codec);
  }

  /** Locks, reads and recovers the database file; see OpenOptions. Throws LogCorruptError, LockError, LogOpenError. */
  static async open(path: string, opts: OpenOptions = {}): Promise<OpenedLog> {
    const io = opts.io ?? nodeIo;
    const codec: LogCodec = { ...opts.codec, sha1: io.sha1 };
    const now = opts.now ?? Date.now();
    const lock = opts.lock === false ? undefined : await acquireLock(path, helperOpts(opts));
    try {
      // Only the lock holder may judge a temp file stale: without the lock it may be another writer's.
      if (lock !== undefined && (await io.stat(tmpPath(path))) !== null) {
        log.warn(`${path}: removing ${tmpPath(path)} left by an interrupted compaction`);
        await io.unlink(tmpPath(path));
      }
      const bytes = await io.readFile(path);
      let records: LogRecord[] = [];
      let size = 0;
      let truncated: OpenedLog["truncated"];
      if (bytes !== null) {
        const r = readLogOrThrow(path, bytes, codec);
        records = r.records;
        size = r.goodLength;
        if (r.tail === "torn") {
          truncated = {
            offset: r.goodLength,
            droppedBytes: bytes.length - r.goodLength,
            reason: r.tornReason ?? "",
          };
          log.warn(
            `${path}: ${truncated.reason}; truncating ${truncated.droppedBytes} bytes of incomplete record at offset ${truncated.offset}`,
          );
          if (records.length > 0) await truncateFile(io, path, r.goodLength);
        }
      }
      if (records.length === 0) {
        if (opts.create === undefined) {
          throw bytes === null
            ? new LogOpenError(`${path}: open failed (No such file or directory)`, "ENOENT")
            : new LogOpenError(`${path}: cannot identify file type (no complete schema record)`, "EMPTY");
        }
        const data = encodeRecord(opts.create, codec);
        await writeWhole(io, path, data, DB_PERM);
        records = [opts.create as LogRecord];
        size = data.length;
      }
      const fh = await io.open(path, "existing");
      const file = new LogFile(path, fh, io, codec, lock, size, records.length, size, now);
      return truncated === undefined ? { file, records } : { file, records, truncated };
    } catch (e) {
      await lock?.release();
      throw e;
    }
  }

  /**
   * Appends one record (a transaction) at the end of the file. Resolves when the bytes are written,
   * and synced to disk if `durable` (at most one fsync). Appends complete in call order.
   *
   * Group commit: appends made while an earlier write is in flight are gathered and written together in
   * one write (and one fsync if any of them is durable), so a busy server does not pay one system call
   * per transaction. Each record is still whole on disk before its promise resolves.
   */
  append(record: unknown, opts: { durable: boolean }): Promise<void> {
    let bytes: Uint8Array;
    try {
      // Encoded now, so later changes to `record` by the caller do not leak into the file.
      bytes = encodeRecord(record, this.codec);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.appendBytes(bytes, opts);
  }

  /**
   * append() for a record already serialised: `text` must be the JSON text of one object holding no
   * escaped lone surrogate (see encodeRecordText).
   */
  appendText(text: string, opts: { durable: boolean }): Promise<void> {
    return this.appendTextNow(text, opts) ?? Promise.resolve();
  }

  /**
   * appendText() that returns undefined, instead of a promise, when the record is already written on
   * return (no write in flight and no fsync wanted: the usual case, which then costs no promise).
   */
  appendTextNow(text: string, opts: { durable: boolean }): Promise<void> | undefined {
    let bytes: Uint8Array;
    try {
      bytes = this.encoder.encode(text);
    } catch (e) {
      return Promise.reject(e);
    }
    // The encoder's buffer is reused by the next record: written now, or copied into the queue.
    if (this.canWriteNow(opts)) return this.appendBytesNow(bytes, opts);
    return this.appendBytesNow(bytes.slice(), opts);
  }

  private canWriteNow(opts: { durable: boolean }): boolean {
    return this.inFlight === 0 && !opts.durable && this.fh.writeNow !== undefined && !this.closed;
  }

  private appendBytes(bytes: Uint8Array, opts: { durable: boolean }): Promise<void> {
    return this.appendBytesNow(bytes, opts) ?? Promise.resolve();
  }

  private appendBytesNow(bytes: Uint8Array, opts: { durable: boolean }): Promise<void> | undefined {
    // Fast path: nothing queued and no fsync wanted — write now, in order, without a thread-pool trip.
    const writeNow = this.fh.writeNow;
    if (this.canWriteNow(opts) && writeNow !== undefined) {
      if (this.broken !== undefined) return Promise.reject(this.broken);
      const at = this.size;
      try {
        writeNow.call(this.fh, bytes, at);
      } catch (e) {
        // Rare: let the queued path cut the partial record back and report the failure.
        return this.enqueue(async () => {
          await this.cutBack(at, e as Error);
          throw e;
        });
      }
      this.size = at + bytes.length;
      this.records++;
      return undefined;
    }
    let batch = this.openBatch;
    if (batch === undefined) {
      const b: Batch = { chunks: [], bytes: 0, durable: false, waiters: [] };
      batch = b;
      this.openBatch = b;
      // Queued behind whatever is in flight; when it runs, later appends start a new batch.
      this.enqueue(async () => {
        if (this.openBatch === b) this.openBatch = undefined;
        await this.writeBatch(b);
      }).then(
        () => {
          for (const w of b.waiters) w.resolve();
        },
        (e: unknown) => {
          for (const w of b.waiters) w.reject(e);
        },
      );
    }
    batch.chunks.push(bytes);
    batch.bytes += bytes.length;
    if (opts.durable) batch.durable = true;
    return new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }

  private async writeBatch(b: Batch): Promise<void> {
    const at = this.size;
    const data = b.chunks.length === 1 ? (b.chunks[0] as Uint8Array) : concat(b.chunks, b.bytes);
    try {
      await this.fh.write(data, at);
    } catch (e) {
      await this.cutBack(at, e as Error);
      throw e;
    }
    this.size = at + data.length;
    this.records += b.chunks.length;
    if (b.durable) await this.syncOrBreak();
  }

  /**
   * Replaces the whole file with `records` (schema first, then typically one snapshot record), atomically:
   * temp file, fsync, rename, directory fsync. Later appends go to the new file.
   */
  replace(records: readonly unknown[], opts: { now?: number } = {}): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = encodeRecords(records, this.codec);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.enqueue(async () => {
      const mode = (await this.io.stat(this.path))?.mode ?? DB_PERM;
      const fresh = await writeTemp(this.io, this.path, bytes, mode);
      try {
        await this.io.rename(tmpPath(this.path), this.path);
      } catch (e) {
        await fresh.close().catch(() => undefined);
        await this.io.unlink(tmpPath(this.path)).catch(() => undefined);
        throw e;
      }
      // The new file is now the database, whatever happens next.
      const old = this.fh;
      this.fh = fresh;
      this.size = this.snapshotBytes = bytes.length;
      this.records = records.length;
      this.compactedAt = opts.now ?? Date.now();
      await old
        .close()
        .catch((e: Error) => log.warn(`${this.path}: closing the replaced file: ${e.message}`));
      await this.io.syncDir(dirname(this.path));
    });
  }

  /** Size and record counts for the compaction policy (compact.ts). */
  stats(): LogStats {
    return {
      bytes: this.size,
      records: this.records,
      snapshotBytes: this.snapshotBytes,
      compactedAt: this.compactedAt,
    };
  }

  /** Waits for queued writes, closes the file and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    try {
      await this.fh.close();
    } finally {
      await this.lock?.release();
    }
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    // Checked at call time: work queued before close() still completes.
    if (this.closed) return Promise.reject(new Error(`${this.path}: database file is closed`));
    const run = async (): Promise<T> => {
      if (this.broken !== undefined) throw this.broken;
      return op();
    };
    this.inFlight++;
    const p = this.queue.then(run, run).finally(() => {
      this.inFlight--;
    });
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Removes the partial record a failed write may have left, or gives up on the file. */
  private async cutBack(at: number, cause: Error): Promise<void> {
    log.err(`${this.path}: write failed (${cause.message}); truncating back to ${at} bytes`);
    try {
      await this.fh.truncate(at);
    } catch (e) {
      this.broken = new Error(`${this.path}: cannot truncate after failed write: ${(e as Error).message}`);
      log.err(this.broken.message);
    }
  }

  // After a failed fsync the kernel may have dropped the dirty pages, so whether earlier "written"
  // records are on disk is unknown: stop writing rather than build on an unknown state.
  private async syncOrBreak(): Promise<void> {
    try {
      await this.fh.sync();
    } catch (e) {
      this.broken = new Error(`${this.path}: fsync failed: ${(e as Error).message}`);
      log.err(this.broken.message);
      throw e;
    }
  }
}

/** Reads a database file without locking or repairing it (for read-only tools). */
export async function readLogFile(
  path: string,
  opts: { codec?: Pick<LogCodec, "parse" | "stringify">; io?: LogIo } = {},
): Promise<ReturnType<typeof readLog>> {
  const io = opts.io ?? nodeIo;
  const bytes = await io.readFile(path);
  if (bytes === null) throw new LogOpenError(`${path}: open failed (No such file or directory)`, "ENOENT");
  return readLogOrThrow(path, bytes, { ...opts.codec, sha1: io.sha1 });
}

export function tmpPath(path: string): string {
  return `${path}.tmp`;
}

function helperOpts(opts: OpenOptions): { helpers?: readonly LockHelper[] } {
  return opts.lockHelpers === undefined ? {} : { helpers: opts.lockHelpers };
}

function readLogOrThrow(path: string, bytes: Uint8Array, codec: LogCodec): ReturnType<typeof readLog> {
  try {
    return readLog(bytes, codec);
  } catch (e) {
    if (e instanceof LogCorruptError) throw new LogCorruptError(e.offset, e.reason, path);
    throw e;
  }
}

async function truncateFile(io: LogIo, path: string, length: number): Promise<void> {
  const h = await io.open(path, "existing");
  try {
    await h.truncate(length);
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Writes and syncs "<path>.tmp", returning it still open. */
async function writeTemp(io: LogIo, path: string, bytes: Uint8Array, mode: number): Promise<IoHandle> {
  await io.unlink(tmpPath(path));
  const h = await io.open(tmpPath(path), "fresh", mode);
  try {
    await h.write(bytes, 0);
    await h.sync();
    return h;
  } catch (e) {
    await h.close().catch(() => undefined);
    await io.unlink(tmpPath(path)).catch(() => undefined);
    throw e;
  }
}

/** Creates or replaces `path` with `bytes` through a temp file, so it is never seen half-written. */
async function writeWhole(io: LogIo, path: string, bytes: Uint8Array, mode: number): Promise<void> {
  const h = await writeTemp(io, path, bytes, mode);
  await h.close();
  await io.rename(tmpPath(path), path);
  await io.syncDir(dirname(path));
}
