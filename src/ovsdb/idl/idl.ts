// The IDL: a client's replica of one database, kept current over a reconnecting JSON-RPC session, with
// typed rows, change tracking, indexes and transactions. What it does on each connection, as the C IDL
// (ovsdb-cs) does it in OVS 3.1:
//   1. get_schema _Server, monitor _Server.Database (monitor_cond, else monitor), and accept the server
//      only if it serves the database and, when clustered, is connected, the leader (unless leaderOnly is
//      off) and not behind what we already saw; otherwise close and try the next remote after the backoff.
//      A server without _Server (get_schema fails) is accepted as it is. set_db_change_aware follows
//      (its reply not waited for).
//   2. Take the schema from the Database row (else get_schema) and monitor the database with
//      monitor_cond_since and the last transaction id seen, so that after a reconnect the server sends
//      only what changed; on "unknown method" fall back to monitor_cond, then to monitor.
//   Alongside step 1, a client that wants a lock (setLock) asks for it on every new connection; see
//   ./lock.ts for how ownership is tracked and how transactions assert it.
//   3. Keep following: update/update2/update3 notifications change the replica; a change of the Database
//      row that makes the server unsuitable drops the connection; monitor_canceled starts over.
// Time, dialing and logging are passed in, so all of it runs in tests on an in-memory pipe.
import { logger } from "../../base/log.js";
import { ZERO_UUID } from "../../base/uuid.js";
import type { Clock, Timer } from "../../jsonrpc/clock.js";
import type { ByteDuplex } from "../../jsonrpc/duplex.js";
import { ConnectionClosedError, JsonRpcError } from "../../jsonrpc/errors.js";
import { isJsonObject, type Json } from "../../jsonrpc/json.js";
import type { NotificationMessage } from "../../jsonrpc/message.js";
import { ReconnectingClient } from "../../jsonrpc/reconnecting-client.js";
import type { JsonRpcConnection } from "../../jsonrpc/session.js";
import { parseSchema } from "../schema/parse.js";
import type { DatabaseSchema } from "../schema/types.js";
import { ChangeAccumulator, Changes } from "./changes.js";
import { type LockRequest, LockState, NotLockedError } from "./lock.js";
import {
  type ColumnOf,
  type DbModel,
  type IndexKeyOf,
  type MonitorCondition,
  type TableName,
  type Tables,
  tableModel,
} from "./model.js";
import {
  MONITOR_METHODS,
  type MonitorMethod,
  type MonitorPlan,
  type MonitorSpec,
  monitorRequests,
  planMonitor,
} from "./monitor-request.js";
import { type Batch, Replica, type UpdateFormat } from "./replica.js";
import { columnKeys, MaintainedIndex, type RowIndex } from "./row-index.js";
import { judgeServer, type ServerVerdict } from "./server-db.js";
import { SERVER_MONITOR_COLUMNS, type ServerDatabase, serverModel } from "./server-model.js";
import { conditionJson, TryAgainError, Txn, TxnError, type TxnResult } from "./txn.js";

const log = logger("ovsdb_idl");

const SERVER_MONITOR_ID: Json = ["monid", "_Server"];

/** How long a transaction that lost a race waits for the update that beat it before running again. */
const CONFLICT_WAIT_MS = 1000;
const DEFAULT_MAX_ATTEMPTS = 20;

export interface IdlOptions<T extends Tables> {
  /** Active remotes ("unix:/run/ovn/ovnnb_db.sock", "tcp:10.0.0.1:6641" ...), tried in turn. */
  readonly remotes: readonly string[];
  readonly dial: (remote: string) => Promise<ByteDuplex>;
  readonly clock: Clock;
  /** Tables and columns to replicate (default: all of the model). */
  readonly monitor?: MonitorSpec<T>;
  /** Accept only the leader of a clustered database (default true, like the C IDL). */
  readonly leaderOnly?: boolean;
  /** Inactivity probe; default 5 s for tcp:/ssl:, none for unix:. 0 disables. */
  readonly probeIntervalMs?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export interface TransactOptions {
  /** How many times to run the function before giving up on conflicts and disconnections (default 20). */
  readonly maxAttempts?: number;
}

export interface TransactOutcome<R> {
  /** What the caller's function returned on the attempt that committed. */
  readonly value: R;
  readonly result: TxnResult;
}

/** A change feed for a consumer that looks at changes at its own pace. */
export interface ChangeTracker<T extends Tables> {
  /** Whether take() would return something. */
  readonly pending: boolean;
  /** Everything that changed since the previous take(), merged. */
  take(): Changes<T>;
  /** Stops collecting. */
  stop(): void;
}

type Phase = "idle" | "handshake" | "monitoring";

interface Waiter {
  check(): boolean;
  resolve(): void;
  reject(e: Error): void;
  timer: Timer | undefined;
}

function isUnknownMethod(e: unknown): boolean {
  if (!(e instanceof JsonRpcError)) return false;
  const err = e.error;
  return err === "unknown method" || (isJsonObject(err) && err.error === "unknown method");
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Idl<T extends Tables> {
  private readonly client: ReconnectingClient;
  private readonly replica: Replica;
  private readonly serverReplica = new Replica(serverModel);
  private readonly monitorId: Json;
  private readonly leaderOnly: boolean;

  private conn: JsonRpcConnection | undefined;
  /**
   * Updates that arrived before the reply to their monitor request had been processed (a reply and the
   * notifications after it may be delivered in one go): applied, in order, right after that reply.
   */
  private early: NotificationMessage[] = [];
  private remoteName = "";
  private phase: Phase = "idle";
  private method: MonitorMethod = MONITOR_METHODS[0];
  private serverFormat: UpdateFormat = "update2";
  private plan: MonitorPlan = { columns: new Map(), missing: [] };
  private stopped = false;

  /** Resuming: the last transaction id seen, and what the replica's contents were asked for with. */
  private lastId = ZERO_UUID;
  private syncedShape: string | undefined;
  private minIndex = 0;

  /** Monitor conditions: wanted (generation condGen) and what the server's monitor has (ackedGen). */
  private readonly conds = new Map<string, Json[] | undefined>();
  private condGen = 0;
  private ackedGen = 0;
  private serverConds = new Map<string, string>();
  private condBusy: JsonRpcConnection | undefined;
  private warnedNoConditions = false;

  private seq = 0;
  private readonly listeners = new Set<(changes: Changes<T>) => void>();
  private readonly trackers = new Set<ChangeAccumulator<T>>();
  private readonly indexes = new Map<string, MaintainedIndex<unknown, unknown>[]>();
  private waiters: Waiter[] = [];
  private readonly lock = new LockState();

  constructor(
    readonly model: DbModel<T>,
    private readonly opts: IdlOptions<T>,
  ) {
    this.replica = new Replica(model);
    this.monitorId = ["monid", model.name];
    this.leaderOnly = opts.leaderOnly ?? true;
    this.client = new ReconnectingClient({
      remotes: opts.remotes,
      dial: opts.dial,
      clock: opts.clock,
      ...(opts.probeIntervalMs !== undefined && { probeIntervalMs: opts.probeIntervalMs }),
      ...(opts.minBackoffMs !== undefined && { minBackoffMs: opts.minBackoffMs }),
      ...(opts.maxBackoffMs !== undefined && { maxBackoffMs: opts.maxBackoffMs }),
      onConnect: (conn, remote) => this.onConnect(conn, remote),
      onDisconnect: () => this.onDisconnect(),
      onNotification: (msg, conn) => this.onNotification(msg, conn),
    });
  }

  // ---- life ------------------------------------------------------------------------------------

  start(): void {
    this.stopped = false;
    this.client.start();
  }

  /** Disconnects for good; pending waits reject. */
  stop(): void {
    this.stopped = true;
    this.client.stop();
    this.conn = undefined;
    this.phase = "idle";
    this.lock.disconnected();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      w.timer?.cancel();
      w.reject(new ConnectionClosedError("IDL stopped"));
    }
  }

  /** Connected and the replica follows the server. */
  get isSynced(): boolean {
    return this.phase === "monitoring";
  }

  get isConnected(): boolean {
    return this.conn !== undefined;
  }

  /** The remote of the current connection (or the last one). */
  get remote(): string {
    return this.remoteName;
  }

  /** The monitor method the server accepted on the current connection. */
  get monitorMethod(): MonitorMethod {
    return this.method;
  }

  /** The last transaction id the server reported (monitor_cond_since); the zero uuid when none. */
  get lastTxnId(): string {
    return this.lastId;
  }

  /** Increases with every change of the replica. */
  get sequence(): number {
    return this.seq;
  }

  /** Tables and columns the server is asked for, and what the model has that the server lacks. */
  get monitorPlan(): MonitorPlan {
    return this.plan;
  }

  // ---- reading ---------------------------------------------------------------------------------

  get<K extends TableName<T>>(table: K, uuid: string): T[K] | undefined {
    return this.replica.get(table, uuid)?.typed(tableModel(this.model, table)) as T[K] | undefined;
  }

  rows<K extends TableName<T>>(table: K): T[K][] {
    const t = tableModel(this.model, table);
    const out: T[K][] = [];
    for (const r of this.replica.rows(table).values()) out.push(r.typed(t) as T[K]);
    return out;
  }

  /** Some row of the table (for tables with one row, like NB_Global). */
  first<K extends TableName<T>>(table: K): T[K] | undefined {
    for (const r of this.replica.rows(table).values()) return r.typed(tableModel(this.model, table)) as T[K];
    return undefined;
  }

  count(table: TableName<T>): number {
    return this.replica.rows(table).size;
  }

  /** An index on a column (each element of a set, each key of a map), kept up to date from now on. */
  index<K extends TableName<T>, C extends ColumnOf<T[K]>>(
    table: K,
    column: C,
  ): RowIndex<T[K], IndexKeyOf<T[K][C]>> {
    return this.indexBy(table, (row) => columnKeys(row[column]) as Iterable<IndexKeyOf<T[K][C]>>);
  }

  /** An index on any function of the row (a row may have any number of keys). */
  indexBy<K extends TableName<T>, Key>(table: K, keysOf: (row: T[K]) => Iterable<Key>): RowIndex<T[K], Key> {
    const ix = new MaintainedIndex<T[K], Key>(tableModel(this.model, table), keysOf);
    ix.fill(this.replica.rows(table).values());
    let list = this.indexes.get(table);
    if (list === undefined) {
      list = [];
      this.indexes.set(table, list);
    }
    list.push(ix as MaintainedIndex<unknown, unknown>);
    return ix;
  }

  // ---- changes ---------------------------------------------------------------------------------

  /** Calls `listener` after each batch of updates is applied; returns a function that unsubscribes. */
  onChange(listener: (changes: Changes<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Collects changes from now on, to be taken when the consumer is ready. */
  trackChanges(): ChangeTracker<T> {
    const acc = new ChangeAccumulator(this.model);
    this.trackers.add(acc);
    return {
      get pending() {
        return acc.pending;
      },
      take: () => acc.take(),
      stop: () => {
        this.trackers.delete(acc);
      },
    };
  }

  /** Resolves once the replica is in sync (now, or after the next successful monitor). */
  synced(): Promise<void> {
    return this.wait(() => this.phase === "monitoring", undefined, "reject");
  }

  /**
   * Resolves when `predicate` holds, checking now and after every change; rejects after `timeoutMs` of
   * the clock (if given) or when the IDL stops.
   */
  waitUntil(predicate: () => boolean, timeoutMs?: number): Promise<void> {
    return this.wait(predicate, timeoutMs, "reject");
  }

  // ---- conditions ------------------------------------------------------------------------------

  /**
   * Replicates only the rows of `table` that match any clause of `condition` (undefined: every row, []:
   * none). Resolves when the server has applied it; rows entering and leaving arrive as changes first.
   * With a server that only knows "monitor", conditions cannot be applied and every row is replicated.
   */
  setCondition<K extends TableName<T>>(
    table: K,
    condition: MonitorCondition<T[K]> | undefined,
  ): Promise<void> {
    const json = conditionJson(tableModel(this.model, table), condition);
    if (JSON.stringify(json) === JSON.stringify(this.conds.get(table))) return this.condAcked(this.condGen);
    this.conds.set(table, json);
    this.condGen += 1;
    const done = this.condAcked(this.condGen);
    const conn = this.conn;
    if (conn !== undefined && this.phase === "monitoring" && this.condBusy !== conn)
      void this.sendCondChange(conn);
    return done;
  }

  // ---- locks ---------------------------------------------------------------------------------------

  /**
   * Wants the lock `name` (undefined: none) from now on, on this and every later connection, releasing the
   * one wanted before. While a lock is wanted, commit() refuses to send a transaction unless the lock is
   * held (NotLockedError) and every transaction sent asserts it.
   */
  setLock(name: string | undefined): void {
    const conn = this.conn;
    const reqs = this.lock.set(name, conn !== undefined);
    if (conn !== undefined) this.sendLockRequests(conn, reqs);
    this.checkWaiters();
  }

  /** Takes the wanted lock now even if another client holds it (that client is told "stolen"). */
  stealLock(): void {
    const conn = this.conn;
    if (conn !== undefined) this.sendLockRequests(conn, this.lock.steal());
  }

  /** The lock this client wants, if any. */
  get lockName(): string | undefined {
    return this.lock.name;
  }

  /** The server has granted the wanted lock on the current connection. */
  get hasLock(): boolean {
    return this.lock.hasLock;
  }

  /** Another client holds the lock this client asked for. */
  get isLockContended(): boolean {
    return this.lock.isContended;
  }

  /** Calls `listener` with the new state whenever this client gains or loses its lock. */
  onLockChange(listener: (hasLock: boolean) => void): () => void {
    return this.lock.onChange(listener);
  }

  // ---- transactions ----------------------------------------------------------------------------

  /** A new, empty transaction on this database. */
  txn(): Txn<T> {
    return new Txn(this.model);
  }

  /**
   * Sends a transaction. Rejects with TryAgainError when it lost a race (verify, vanished row) or the
   * connection went, and with TxnError when the server refused it.
   */
  async commit(txn: Txn<T>): Promise<TxnResult> {
    if (txn.isEmpty) return txn.result([]);
    const conn = this.conn;
    if (conn === undefined || this.phase !== "monitoring")
      throw new TryAgainError("disconnected", "not connected");
    const refusal = this.lock.refusal();
    if (refusal !== undefined) throw refusal;
    const params = txn.params();
    const assertOp = this.lock.assertOp();
    if (assertOp !== undefined) params.push(assertOp);
    let reply: Json;
    try {
      reply = await conn.request("transact", params);
    } catch (e) {
      if (e instanceof ConnectionClosedError) throw new TryAgainError("disconnected", e.message);
      if (e instanceof JsonRpcError) throw new TxnError(e.error, undefined);
      throw e;
    }
    // The assert is last: "not owner" there means the lock went while the transaction was on its way.
    const lockResult = assertOp !== undefined && Array.isArray(reply) ? reply[params.length - 2] : undefined;
    if (isJsonObject(lockResult) && lockResult.error === "not owner")
      throw new NotLockedError(this.lock.name ?? "", `lock "${this.lock.name}" was lost`);
    try {
      return txn.result(reply);
    } catch (e) {
      // The C IDL's line for a refused transaction: the server's error as JSON with sorted keys (OVN's
      // tests grep the log for it, quotes escaped as JSON writes them).
      if (e instanceof TxnError && isJsonObject(e.error))
        log.warn(`transaction error: ${JSON.stringify(e.error, Object.keys(e.error).sort())}`);
      throw e;
    }
  }

  /**
   * Runs `build` against the replica and commits what it put in the transaction; when that loses a race
   * or the connection drops, waits for the replica to catch up and runs `build` again (at most
   * maxAttempts times). `build` must read what it needs afresh each time.
   */
  async transact<R>(
    build: (txn: Txn<T>) => R | Promise<R>,
    opts: TransactOptions = {},
  ): Promise<TransactOutcome<R>> {
    const max = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    let last: TryAgainError | undefined;
    for (let attempt = 1; attempt <= max; attempt++) {
      await this.synced();
      const seq = this.seq;
      const txn = this.txn();
      const value = await build(txn);
      try {
        return { value, result: await this.commit(txn) };
      } catch (e) {
        if (!(e instanceof TryAgainError)) throw e;
        last = e;
        log.dbg(`${this.model.name}: transaction attempt ${attempt} must be tried again: ${e.message}`);
        if (e.reason === "conflict") await this.wait(() => this.seq !== seq, CONFLICT_WAIT_MS, "resolve");
      }
    }
    throw last ?? new TryAgainError("conflict", "no attempt made");
  }

  // ---- connection handling -----------------------------------------------------------------------

  private live(conn: JsonRpcConnection): boolean {
    return !this.stopped && this.conn === conn && !conn.closed;
  }

  private onConnect(conn: JsonRpcConnection, remote: string): void {
    this.conn = conn;
    this.remoteName = remote;
    this.phase = "handshake";
    this.method = MONITOR_METHODS[0];
    this.serverConds = new Map();
    this.early = [];
    void this.handshake(conn);
    this.sendLockRequests(conn, this.lock.connected());
  }

  private onDisconnect(): void {
    if (this.conn === undefined) return;
    this.conn = undefined;
    this.phase = "idle";
    this.lock.disconnected();
    this.checkWaiters();
  }

  private sendLockRequests(conn: JsonRpcConnection, reqs: readonly LockRequest[]): void {
    for (const { method, lock } of reqs) {
      conn.request(method, [lock]).then(
        (result) => {
          if (!this.live(conn) || method === "unlock") return;
          this.lock.replied(lock, result);
          this.checkWaiters();
        },
        (e: unknown) => {
          if (this.live(conn)) log.warn(`${this.remoteName}: ${method} ${lock} failed: ${describe(e)}`);
        },
      );
    }
  }

  private async handshake(conn: JsonRpcConnection): Promise<void> {
    try {
      const verdict = await this.followServer(conn);
      if (!verdict.ok || !this.live(conn)) return;
      const schemaJson: unknown =
        verdict.schema !== undefined
          ? JSON.parse(verdict.schema)
          : await conn.request("get_schema", [this.model.name]);
      if (!this.live(conn)) return;
      await this.startMonitor(conn, parseSchema(schemaJson));
    } catch (e) {
      if (!this.live(conn) || e instanceof ConnectionClosedError) return;
      log.warn(`${this.remoteName}: ${this.model.name}: ${describe(e)}; reconnecting`);
      conn.close();
    }
  }

  /** Step 1: monitors _Server.Database and judges the server; closes the connection if unsuitable. */
  private async followServer(conn: JsonRpcConnection): Promise<ServerVerdict> {
    try {
      await conn.request("get_schema", ["_Server"]);
    } catch (e) {
      if (!(e instanceof JsonRpcError)) throw e;
      // An ovsdb-server older than 2.9 has no _Server database: nothing to check.
      return { ok: true, schema: undefined, index: undefined };
    }
    const reqs = { Database: [{ columns: SERVER_MONITOR_COLUMNS }] };
    let reply: Json;
    try {
      reply = await conn.request("monitor_cond", ["_Server", SERVER_MONITOR_ID, reqs]);
      this.serverFormat = "update2";
    } catch (e) {
      if (!isUnknownMethod(e)) throw e;
      reply = await conn.request("monitor", ["_Server", SERVER_MONITOR_ID, reqs]);
      this.serverFormat = "update";
    }
    if (!this.live(conn)) return { ok: false, reason: "connection closed" };
    this.serverReplica.reset(reply, this.serverFormat);
    for (const msg of this.takeEarly(SERVER_MONITOR_ID)) this.onServerUpdate(conn, msg.params[1]);
    if (!this.live(conn)) return { ok: false, reason: "connection closed" };
    const verdict = this.judge();
    if (!verdict.ok) {
      log.info(`${this.remoteName}: ${verdict.reason}`);
      conn.close();
      return verdict;
    }
    // Not waited for, as the C IDL does not wait: the monitor request follows at once (a round trip less
    // at start).  A server that does not know the method answers with an error, which changes nothing;
    // a connection that closes fails the monitor request too.
    conn.request("set_db_change_aware", [true]).catch(() => undefined);
    return verdict;
  }

  private judge(): ServerVerdict {
    const t = tableModel(serverModel, "Database");
    const rows = [...this.serverReplica.rows("Database").values()].map((r) => r.typed(t) as ServerDatabase);
    const verdict = judgeServer(rows, this.model.name, {
      leaderOnly: this.leaderOnly,
      minIndex: this.minIndex,
    });
    if (verdict.ok && verdict.index !== undefined) this.minIndex = Math.max(this.minIndex, verdict.index);
    return verdict;
  }

  /** Step 2: monitors the database, falling back through the older methods. */
  private async startMonitor(conn: JsonRpcConnection, schema: DatabaseSchema): Promise<void> {
    this.plan = planMonitor(this.model, this.opts.monitor, schema);
    if (this.plan.missing.length > 0)
      log.dbg(`${this.remoteName}: server schema lacks ${this.plan.missing.join(", ")}; not monitoring them`);
    const shape = JSON.stringify([...this.plan.columns]);
    for (;;) {
      const method = this.method;
      const gen = this.condGen;
      const reqs = monitorRequests(this.plan, method, this.conds);
      // Resuming is sound only if the replica holds what this very request would have given.
      const resumable = this.syncedShape === shape && this.ackedGen === gen;
      const params: Json[] = [this.model.name, this.monitorId, reqs];
      const since = resumable ? this.lastId : ZERO_UUID;
      if (method === "monitor_cond_since") params.push(since);
      let reply: Json;
      try {
        reply = await conn.request(method, params);
      } catch (e) {
        const next = MONITOR_METHODS[MONITOR_METHODS.indexOf(method) + 1];
        if (isUnknownMethod(e) && next !== undefined && this.live(conn)) {
          log.dbg(`${this.remoteName}: server does not know ${method}, trying ${next}`);
          this.method = next;
          continue;
        }
        throw e;
      }
      if (!this.live(conn)) return;
      const [batch, resync] = this.loadMonitorReply(method, reply, since);
      this.syncedShape = shape;
      this.ackedGen = gen;
      this.serverConds = new Map();
      if (method !== "monitor")
        for (const table of this.plan.columns.keys())
          this.serverConds.set(table, JSON.stringify(this.conds.get(table) ?? [true]));
      this.phase = "monitoring";
      log.dbg(
        `${this.remoteName}: ${this.model.name}: monitoring with ${method}${resync ? "" : " (resumed)"}`,
      );
      this.emit(batch, resync);
      for (const msg of this.takeEarly(undefined)) this.onNotification(msg, conn);
      if (this.condGen !== this.ackedGen) void this.sendCondChange(conn);
      return;
    }
  }

  private loadMonitorReply(method: MonitorMethod, reply: Json, since: string): [Batch, boolean] {
    if (method !== "monitor_cond_since") {
      this.lastId = ZERO_UUID;
      return [this.replica.reset(reply, method === "monitor" ? "update" : "update2"), true];
    }
    if (!Array.isArray(reply) || reply.length !== 3 || typeof reply[1] !== "string")
      throw new Error(`bad monitor_cond_since reply ${JSON.stringify(reply).slice(0, 200)}`);
    const [found, lastId, updates] = reply;
    // Asked from the zero uuid, the reply is everything there is, whatever "found" says.
    const resumed = found === true && since !== ZERO_UUID;
    const batch = resumed ? this.replica.apply(updates, "update2") : this.replica.reset(updates, "update2");
    this.lastId = lastId as string;
    return [batch, !resumed];
  }

  private onNotification(msg: NotificationMessage, conn: JsonRpcConnection): void {
    if (!this.live(conn)) return;
    const p = msg.params;
    switch (msg.method) {
      case "update":
      case "update2":
      case "update3": {
        if (this.phase !== "monitoring") {
          this.early.push(msg);
          return;
        }
        const id = JSON.stringify(p[0]);
        if (id === JSON.stringify(SERVER_MONITOR_ID)) this.onServerUpdate(conn, p[1]);
        else if (id === JSON.stringify(this.monitorId)) this.onUpdate(conn, msg);
        return;
      }
      case "locked":
      case "stolen":
        if (this.lock.notified(msg.method, p)) {
          log.info(
            `${this.remoteName}: lock ${this.lock.name} ${msg.method === "locked" ? "acquired" : "lost to another client"}`,
          );
          this.checkWaiters();
        }
        return;
      case "monitor_canceled":
        // The server dropped a monitor (its database went away or changed schema): start over.
        log.info(`${this.remoteName}: ${this.model.name}: monitor canceled by server; reconnecting`);
        this.client.forceReconnect();
        return;
    }
  }

  /** Removes and returns the early updates of one monitor (undefined: all of them). */
  private takeEarly(monitorId: Json | undefined): NotificationMessage[] {
    const id = JSON.stringify(monitorId);
    const taken = this.early.filter((m) => monitorId === undefined || JSON.stringify(m.params[0]) === id);
    this.early = this.early.filter((m) => !taken.includes(m));
    return taken;
  }

  private onUpdate(conn: JsonRpcConnection, msg: NotificationMessage): void {
    const p = msg.params;
    let batch: Batch;
    try {
      batch = this.replica.apply(
        msg.method === "update3" ? p[2] : p[1],
        msg.method === "update" ? "update" : "update2",
      );
    } catch (e) {
      // The replica no longer matches the server: get everything again on a new connection.
      log.err(`${this.remoteName}: ${this.model.name}: bad ${msg.method}: ${describe(e)}; reconnecting`);
      this.syncedShape = undefined;
      conn.close();
      return;
    }
    if (msg.method === "update3" && typeof p[1] === "string") this.lastId = p[1];
    this.emit(batch, false);
  }

  private onServerUpdate(conn: JsonRpcConnection, updates: Json | undefined): void {
    try {
      this.serverReplica.apply(updates, this.serverFormat);
    } catch (e) {
      log.err(`${this.remoteName}: bad _Server update: ${describe(e)}; reconnecting`);
      conn.close();
      return;
    }
    const verdict = this.judge();
    if (!verdict.ok) {
      log.info(`${this.remoteName}: ${verdict.reason}`);
      conn.close();
    }
  }

  // ---- condition changes -----------------------------------------------------------------------

  private condAcked(gen: number): Promise<void> {
    return this.wait(() => this.ackedGen >= gen, undefined, "reject");
  }

  /** Sends monitor_cond_change until the server's conditions are the wanted ones (one request at a time). */
  private async sendCondChange(conn: JsonRpcConnection): Promise<void> {
    if (this.method === "monitor") {
      if (!this.warnedNoConditions)
        log.warn(`${this.remoteName}: server does not support monitor conditions; replicating every row`);
      this.warnedNoConditions = true;
      this.ackedGen = this.condGen;
      this.checkWaiters();
      return;
    }
    this.condBusy = conn;
    try {
      // Sent after the caller's synchronous code: a client changes the conditions of several tables one
      // setCondition() at a time, and they go out together in one monitor_cond_change (one round trip).
      await Promise.resolve();
      while (this.live(conn) && this.ackedGen !== this.condGen) {
        const gen = this.condGen;
        const sent = new Map(this.serverConds);
        const changes: Record<string, Json> = {};
        for (const table of this.plan.columns.keys()) {
          const where = this.conds.get(table) ?? [true];
          const text = JSON.stringify(where);
          if (sent.get(table) === text) continue;
          changes[table] = [{ where }];
          sent.set(table, text);
        }
        if (Object.keys(changes).length > 0)
          await conn.request("monitor_cond_change", [this.monitorId, this.monitorId, changes]);
        if (!this.live(conn)) return;
        this.serverConds = sent;
        this.ackedGen = gen;
        this.checkWaiters();
      }
    } catch (e) {
      if (!this.live(conn) || e instanceof ConnectionClosedError) return;
      log.warn(`${this.remoteName}: monitor_cond_change failed: ${describe(e)}; reconnecting`);
      conn.close();
    } finally {
      if (this.condBusy === conn) this.condBusy = undefined;
    }
  }

  // ---- notifying -------------------------------------------------------------------------------

  private emit(batch: Batch, resync: boolean): void {
    if (batch.size > 0 || resync) {
      this.seq += 1;
      for (const [table, rows] of batch) {
        const list = this.indexes.get(table);
        if (list !== undefined) for (const ix of list) for (const d of rows.values()) ix.update(d);
      }
      for (const acc of this.trackers) acc.add(batch, resync);
      if (this.listeners.size > 0) {
        const changes = new Changes(this.model, batch, resync);
        for (const l of this.listeners) {
          try {
            l(changes);
          } catch (e) {
            log.err(`${this.model.name}: change listener failed: ${e instanceof Error ? e.stack : e}`);
          }
        }
      }
    }
    this.checkWaiters();
  }

  private wait(
    check: () => boolean,
    timeoutMs: number | undefined,
    onTimeout: "resolve" | "reject",
  ): Promise<void> {
    if (check()) return Promise.resolve();
    if (this.stopped) return Promise.reject(new ConnectionClosedError("IDL stopped"));
    return new Promise((resolve, reject) => {
      const w: Waiter = { check, resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        w.timer = this.opts.clock.setTimer(timeoutMs, () => {
          this.waiters = this.waiters.filter((x) => x !== w);
          if (onTimeout === "resolve") resolve();
          else reject(new Error(`${this.model.name}: condition not reached within ${timeoutMs} ms`));
        });
      }
      this.waiters.push(w);
    });
  }

  private checkWaiters(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.check());
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) {
      w.timer?.cancel();
      w.resolve();
    }
  }
}
