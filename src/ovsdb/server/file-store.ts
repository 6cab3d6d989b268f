// A served database backed by its ovsdb(5) standalone file: load at start, one record per commit, and
// compaction (automatic by the documented policy, or on request). The I/O edge between the server core
// and storage/.
import { logger } from "../../base/log.js";
import type { Commit } from "../engine/commit.js";
import type { Database } from "../engine/database.js";
import { applyRecord, commitToRecordText, rebuildDerived, snapshotRecord } from "../engine/records.js";
import { parseSchema } from "../schema/parse.js";
import type { DatabaseSchema } from "../schema/types.js";
import { DEFAULT_COMPACT_POLICY, shouldCompact } from "../storage/compact.js";
import { LogFile } from "../storage/file.js";
import type { DbStore, ServerDb } from "./server-db.js";

const log = logger("ovsdb_file");

export interface OpenedDb {
  readonly schema: DatabaseSchema;
  readonly records: readonly unknown[];
  readonly file: LogFile;
}

/** Opens (locks, reads, recovers) a database file. */
export async function openDbFile(path: string, createFrom?: unknown): Promise<OpenedDb> {
  const { file, records } = await LogFile.open(path, createFrom !== undefined ? { create: createFrom } : {});
  const schema = parseSchema(records[0]);
  return { schema, records: records.slice(1), file };
}

export class FileStore implements DbStore {
  private sdb: ServerDb | undefined;
  /** Set after a write failed: the file no longer matches memory, so every later commit is refused. */
  private broken: Error | undefined;
  private compacting = false;
  /** Before this time (ms) no compaction is due: see compactionDue(). */
  private quietUntil = 0;

  constructor(
    readonly file: LogFile,
    private readonly now: () => number,
  ) {}

  get path(): string {
    return this.file.path;
  }

  /** Loads the records into the served database and attaches this store to it. */
  load(sdb: ServerDb, records: readonly unknown[]): void {
    for (const r of records) applyRecord(sdb.db, r);
    rebuildDerived(sdb.db);
    this.sdb = sdb;
    sdb.store = this;
  }

  write(c: Commit): Promise<void> | undefined {
    if (this.broken !== undefined) throw this.broken;
    const sdb = this.sdb as ServerDb;
    const rec = commitToRecordText(sdb.db, c, this.now());
    if (rec === null) return undefined;
    // Usually written at once (undefined): the reply then needs no promise.
    const p = this.file.appendTextNow(rec, { durable: c.durable })?.catch((e: unknown) => {
      this.broken = e instanceof Error ? e : new Error(String(e));
      log.err(`${this.path}: write failed, refusing further commits: ${this.broken.message}`);
      throw this.broken;
    });
    if (!this.compacting && this.compactionDue()) {
      void this.compact().catch((e: unknown) => log.warn(`${this.path}: compaction failed: ${String(e)}`));
    }
    return p;
  }

  /**
   * shouldCompact() for the file now. The policy never compacts within its minimum interval of the last
   * compaction, so until then the commit path skips it (and its statistics object).
   */
  private compactionDue(): boolean {
    const now = this.now();
    if (now < this.quietUntil) return false;
    const stats = this.file.stats();
    if (now - stats.compactedAt < DEFAULT_COMPACT_POLICY.minIntervalMs) {
      this.quietUntil = stats.compactedAt + DEFAULT_COMPACT_POLICY.minIntervalMs;
      return false;
    }
    return shouldCompact(stats, now);
  }

  /** Rewrites the file with a converted database: its schema, then one snapshot of its rows. */
  async convertTo(db: Database): Promise<void> {
    if (this.broken !== undefined) throw this.broken;
    await this.file.replace([db.schema.json, snapshotRecord(db, this.now())], { now: this.now() });
    log.info(`${this.path}: converted to schema version ${db.schema.version}`);
  }

  /** Rewrites the file as the schema plus one snapshot of the current contents. */
  async compact(): Promise<void> {
    const sdb = this.sdb as ServerDb;
    if (this.compacting) return;
    this.compacting = true;
    try {
      const before = this.file.stats().bytes;
      await this.file.replace([sdb.schema.json, snapshotRecord(sdb.db, this.now())], { now: this.now() });
      log.info(`${this.path}: compacted database from ${before} to ${this.file.stats().bytes} bytes`);
    } finally {
      this.compacting = false;
    }
  }

  close(): void {
    void this.file.close();
  }

  async closeAndWait(): Promise<void> {
    await this.file.close();
  }
}
