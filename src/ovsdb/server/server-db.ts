// One database served by the server: the engine's Database, its storage hook, the recent transaction
// history for monitor_cond_since, and the monitors attached to it.
import { newUuid, ZERO_UUID } from "../../base/uuid.js";
import type { Commit, RowDelta } from "../engine/commit.js";
import { Database } from "../engine/database.js";
import type { DatabaseSchema } from "../schema/types.js";

export interface HistoryEntry {
  readonly id: string;
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, RowDelta>>;
  readonly rows: number;
}

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

/** ovsdb-server keeps up to 100 transactions of history; we also bound the rows they hold. */
const HISTORY_MAX_TXNS = 100;
const HISTORY_MAX_ROWS = 100_000;

export class ServerDb {
  db: Database;
  history: HistoryEntry[] = [];
  private historyRows = 0;
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
    let rows = 0;
    for (const m of c.tables.values()) rows += m.size;
    this.history.push({ id: c.id, tables: c.tables, rows });
    this.historyRows += rows;
    while (
      this.history.length > HISTORY_MAX_TXNS ||
      (this.historyRows > HISTORY_MAX_ROWS && this.history.length > 1)
    ) {
      const dropped = this.history.shift() as HistoryEntry;
      this.historyRows -= dropped.rows;
    }
    this.lastTxnId = c.id;
    this.generation += 1;
  }

  /** The commits after `txnId`, or undefined when the id is not in the history. */
  since(txnId: string): HistoryEntry[] | undefined {
    // The zero id means "I have nothing": never found, even before the first commit (when it is also
    // our lastTxnId), or a fresh client after a restart would be told it is up to date.
    if (txnId === ZERO_UUID) return undefined;
    if (txnId === this.lastTxnId) return [];
    const i = this.history.findIndex((h) => h.id === txnId);
    return i < 0 ? undefined : this.history.slice(i + 1);
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
    this.history = [];
    this.historyRows = 0;
  }
}
