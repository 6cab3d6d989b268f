// One database served by the server: the engine's Database, its storage hook, the recent transaction
// history for monitor_cond_since, and the monitors attached to it.
import { newUuid, ZERO_UUID } from "../../base/uuid.js";
import type { Commit } from "../engine/commit.js";
import { Database } from "../engine/database.js";
import type { DatabaseSchema } from "../schema/types.js";
import { type HistoryEntry, TxnHistory } from "./txn-history.js";

/** Where a database's commits go: the I/O edge implements it (ovsdb(5) log file), or nothing (in-memory). */
export interface DbStore {
  /**
   * Writes the commit; throws to refuse it (the transaction then fails with "I/O error"). May return a
   * promise that settles when the record is on disk: the client's reply waits for it.
   */
  write(commit: Commit): Promise<void> | undefined | void;
  /** Rewrites the whole file for a converted database (its new schema and all its rows). */
  convertTo?(db: Database): Promise<void>;
  close(): void;
}

/**
 * Up to 100 transactions of history, holding at most 10,000 row changes: a client that reconnects
 * after more than that gets the whole contents again, as every client of the C server does for a
 * standalone database (it keeps no history for one). The row bound keeps a bulk load's history from
 * holding all of its rows twice over (live heap with 26k rows loaded in 20 transactions: 36.7 MiB
 * with 100,000, 28.4 MiB with 10,000).
 */
const HISTORY_MAX_TXNS = 100;
const HISTORY_MAX_ROWS = 10_000;

export class ServerDb {
  db: Database;
  private readonly history = new TxnHistory(HISTORY_MAX_TXNS, HISTORY_MAX_ROWS);
  lastTxnId: string = ZERO_UUID;
  /** Incremented on every commit; caches of composed monitor replies are keyed by it. */
  generation = 0;

  constructor(
    schema: DatabaseSchema,
    public store: DbStore | undefined,
    readonly model: "standalone" = "standalone",
  ) {
    this.db = new Database(schema);
  }

  get name(): string {
    return this.db.schema.name;
  }

  get schema(): DatabaseSchema {
    return this.db.schema;
  }

  recordCommit(c: Commit): void {
    this.history.record(c);
    this.lastTxnId = c.id;
    this.generation += 1;
  }

  /** Transactions in the history. */
  get historyLength(): number {
    return this.history.length;
  }

  /** The commits after `txnId`, or undefined when the id is not in the history. */
  since(txnId: string): HistoryEntry[] | undefined {
    // The zero id means "I have nothing": never found, even before the first commit (when it is also
    // our lastTxnId), or a fresh client after a restart would be told it is up to date.
    if (txnId === ZERO_UUID) return undefined;
    if (txnId === this.lastTxnId) return [];
    return this.history.since(txnId);
  }

  /** Switches to a converted database: its history no longer applies. */
  replaceDb(db: Database): void {
    this.db = db;
    this.resetHistory();
    this.lastTxnId = newUuid();
    this.generation += 1;
  }

  /** Forgets the history (after a conversion or compaction-triggered reload nothing older is valid). */
  resetHistory(): void {
    this.history.clear();
  }
}
