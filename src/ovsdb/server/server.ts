// The OVSDB server core (RFC 7047 §4, ovsdb-server(7)): sessions, the method table, transactions with
// blocking waits, monitors with shared serialisation, locks, and the _Server database. Pure: the edge
// hands it connections (Peer) and the clock; it hands back JSON text to send.
import { logger } from "../../base/log.js";
import { newUuid } from "../../base/uuid.js";
import type { Commit } from "../engine/commit.js";
import { convertDatabase } from "../engine/convert.js";
import { type ExecContext, type ExecResult, execute } from "../engine/execute.js";
import { OvsdbError } from "../error.js";
import { parseSchema } from "../schema/parse.js";
import type { DatabaseSchema } from "../schema/types.js";
import type { LockHolder } from "./locks.js";
import { LockTable } from "./locks.js";
import { Monitor, type MonitorVersion, mergeDeltas, parseMonitorRequests } from "./monitor.js";
import { rbacAuthorize } from "./rbac.js";
import { type DbStore, ServerDb } from "./server-db.js";
import { SERVER_SCHEMA_JSON } from "./server-schema.js";

const log = logger("ovsdb_server");

/** A client connection as the server core sees it. */
export interface Peer {
  readonly name: string;
  /** Sends one complete JSON-RPC message given as JSON text. */
  sendText(text: string): void;
  close(): void;
  /** The role of the remote the client came in through (RBAC), if it has one. */
  readonly role?: string | undefined;
  /** The client's identity for RBAC: its certificate's common name. */
  readonly clientId?: string | undefined;
}

/** A JSON-RPC error reply's "error" value. */
export class RpcError extends Error {
  constructor(readonly error: unknown) {
    super(typeof error === "string" ? error : JSON.stringify(error));
  }
}

/** A result already serialised to JSON text (shared replies are serialised once). */
class RawJson {
  constructor(readonly text: string) {}
}

type Reply = unknown | RawJson | typeof DEFERRED;
const DEFERRED = Symbol("deferred");

interface BlockedTxn {
  readonly session: ServerSession;
  readonly id: unknown;
  readonly sdb: ServerDb;
  readonly ops: unknown[];
  readonly deadline: number;
}

export class ServerSession implements LockHolder {
  readonly monitors = new Map<string, { mon: Monitor; sdb: ServerDb }>();
  readonly ownedLocks = new Set<string>();
  readonly waitingLocks = new Set<string>();
  dbChangeAware = false;
  closed = false;

  constructor(
    readonly server: OvsdbServer,
    readonly peer: Peer,
  ) {
    this.blockingCtx = { ownsLock: this.ownsLock, mayBlock: true, persist: server.persist };
    this.nonBlockingCtx = { ownsLock: this.ownsLock, mayBlock: false, persist: server.persist };
  }

  readonly ownsLock = (name: string): boolean => this.ownedLocks.has(name);
  /** The ExecContexts of this session's transactions without RBAC (made once, not per transaction). */
  readonly blockingCtx: ExecContext;
  readonly nonBlockingCtx: ExecContext;

  readonly lockNotify = (method: "locked" | "stolen", lock: string): void => {
    if (method === "locked") {
      this.waitingLocks.delete(lock);
      this.ownedLocks.add(lock);
    } else {
      this.ownedLocks.delete(lock);
      this.waitingLocks.add(lock);
    }
    this.notify(method, [lock]);
  };

  notify(method: string, params: unknown): void {
    if (this.closed) return;
    this.peer.sendText(`{"id":null,"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`);
  }
}

function unknownDb(method: string, params: unknown, name: unknown): RpcError {
  return new RpcError(
    new OvsdbError(
      "unknown database",
      `${method} request specifies unknown database ${String(name)}`,
      params,
    ).toJson(),
  );
}

function syntax(params: unknown, details: string): RpcError {
  return new RpcError(new OvsdbError("syntax error", details, params).toJson());
}

const WRITE_OPS = new Set(["insert", "update", "mutate", "delete"]);

const SETTLED = Promise.resolve();

export interface ServerOptions {
  /** Milliseconds since some epoch; used for blocking "wait" timeouts. */
  readonly now: () => number;
}

export class OvsdbServer {
  readonly serverId = newUuid();
  readonly dbs = new Map<string, ServerDb>();
  readonly serverDb: ServerDb;
  readonly sessions = new Set<ServerSession>();
  readonly locks = new LockTable();
  private blocked: BlockedTxn[] = [];
  /** Called after every commit to any served database (the edge refreshes db: remotes). */
  onCommit: ((db: string) => void) | undefined;
  /** Called when the earliest deadline of blocked "wait" transactions changes (Infinity: none). */
  onBlocked: ((deadline: number) => void) | undefined;
  /** Composed monitor updates for the commit being published, keyed by monitor shape. */
  private initialCache = new Map<string, { generation: number; text: string }>();

  constructor(private readonly opts: ServerOptions) {
    this.serverDb = new ServerDb(parseSchema(SERVER_SCHEMA_JSON), undefined);
    this.dbs.set("_Server", this.serverDb);
  }

  // ---- databases -------------------------------------------------------------------------------

  /** Serves a database; its rows are loaded by the caller through `load` before clients see it. */
  addDb(schema: DatabaseSchema, store: DbStore | undefined): ServerDb {
    this.settle();
    if (this.dbs.has(schema.name)) throw new Error(`${schema.name}: database is already being served`);
    const sdb = new ServerDb(schema, store);
    this.dbs.set(schema.name, sdb);
    this.updateServerRow(sdb);
    return sdb;
  }

  removeDb(name: string): void {
    this.settle();
    const sdb = this.dbs.get(name);
    if (sdb === undefined || sdb === this.serverDb) return;
    this.dbs.delete(name);
    sdb.store?.close();
    for (const s of this.sessions) {
      for (const [key, m] of s.monitors)
        if (m.sdb === sdb) {
          s.monitors.delete(key);
          if (s.dbChangeAware) s.notify("monitor_canceled", [m.mon.id]);
        }
    }
    this.internalTransact([{ op: "delete", table: "Database", where: [["name", "==", name]] }]);
  }

  /** Keeps the _Server.Database row of a database current. */
  updateServerRow(sdb: ServerDb): void {
    const row = {
      name: sdb.name,
      model: sdb.model,
      connected: true,
      leader: true,
      schema: JSON.stringify(sdb.schema.json),
    };
    this.internalTransact([
      { op: "delete", table: "Database", where: [["name", "==", sdb.name]] },
      { op: "insert", table: "Database", row },
    ]);
  }

  private internalTransact(ops: unknown[]): void {
    const r = execute(this.serverDb.db, ops, { ownsLock: () => false, mayBlock: false });
    const err = r.results.find((x) => x !== null && typeof x === "object" && "error" in (x as object));
    if (err !== undefined) throw new Error(`_Server update failed: ${JSON.stringify(err)}`);
    if (r.commit !== null) this.published(this.serverDb, r.commit);
  }

  // ---- sessions --------------------------------------------------------------------------------

  connect(peer: Peer): ServerSession {
    const s = new ServerSession(this, peer);
    this.sessions.add(s);
    return s;
  }

  disconnect(s: ServerSession): void {
    if (s.closed) return;
    s.closed = true;
    this.sessions.delete(s);
    for (const l of [...s.ownedLocks, ...s.waitingLocks]) this.locks.unlock(l, s);
    s.monitors.clear();
    this.blocked = this.blocked.filter((b) => b.session !== s);
  }

  /** Handles one request (id non-null) or notification (id null) from a session. */
  handle(s: ServerSession, method: string, params: unknown, id: unknown): void {
    // What earlier commits left for after their replies is done before anything else is looked at.
    if (this.unsettledLength > 0) this.settle();
    const isNotification = id === null || id === undefined;
    if (isNotification) {
      if (method === "cancel") this.cancel(s, params);
      return;
    }
    let reply: Reply;
    try {
      const fn = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
      if (fn === undefined) throw new RpcError("unknown method");
      reply = fn(s, params, id);
    } catch (e) {
      if (e instanceof RpcError) {
        this.sendError(s, id, e.error);
        return;
      }
      if (e instanceof OvsdbError) {
        this.sendError(s, id, e.toJson());
        return;
      }
      throw e;
    }
    if (reply === DEFERRED) return;
    if (reply instanceof Promise) {
      reply.then(
        (r) => this.sendResult(s, id, r),
        (e: unknown) => this.sendError(s, id, e instanceof OvsdbError ? e.toJson() : String(e)),
      );
      return;
    }
    this.sendResult(s, id, reply);
  }

  private deliver(s: ServerSession, id: unknown, result: unknown): void {
    if (result instanceof Promise) result.then((r) => this.sendResult(s, id, r));
    else this.sendResult(s, id, result);
  }

  private sendResult(s: ServerSession, id: unknown, result: unknown): void {
    if (s.closed) return;
    const text = result instanceof RawJson ? result.text : JSON.stringify(result);
    // Clients number their requests: a number's JSON is its string.
    const idText = typeof id === "number" ? String(id) : JSON.stringify(id);
    s.peer.sendText(`{"id":${idText},"result":${text},"error":null}`);
  }

  private sendError(s: ServerSession, id: unknown, error: unknown): void {
    if (s.closed) return;
    s.peer.sendText(`{"id":${JSON.stringify(id)},"error":${JSON.stringify(error)}}`);
  }

  private readonly methods: Record<string, (s: ServerSession, params: unknown, id: unknown) => Reply> = {
    list_dbs: () => [...this.dbs.keys()],
    get_schema: (_s, params) => {
      const name = Array.isArray(params) ? params[0] : undefined;
      if (typeof name !== "string")
        throw syntax(params, "get_schema request params must begin with <db-name>");
      const sdb = this.dbs.get(name);
      if (sdb === undefined) throw unknownDb("get_schema", params, name);
      return sdb.schema.json;
    },
    echo: (_s, params) => params,
    get_server_id: () => this.serverId,
    set_db_change_aware: (s, params) => {
      s.dbChangeAware = Array.isArray(params) && params[0] === true;
      return {};
    },
    transact: (s, params, id) => this.transact(s, params, id),
    monitor: (s, params) => this.monitor(s, params, 1),
    monitor_cond: (s, params) => this.monitor(s, params, 2),
    monitor_cond_since: (s, params) => this.monitor(s, params, 3),
    monitor_cond_change: (s, params) => this.monitorCondChange(s, params),
    monitor_cancel: (s, params) => {
      const key = JSON.stringify(Array.isArray(params) ? params[0] : params);
      if (!s.monitors.delete(key)) throw new RpcError("unknown monitor");
      return {};
    },
    lock: (s, params) => this.lockOp(s, params, "lock"),
    steal: (s, params) => this.lockOp(s, params, "steal"),
    unlock: (s, params) => this.lockOp(s, params, "unlock"),
    convert: (s, params) => this.convert(s, params),
  };

  // ---- transactions ----------------------------------------------------------------------------

  private transact(s: ServerSession, params: unknown, id: unknown): Reply {
    if (!Array.isArray(params) || typeof params[0] !== "string")
      throw syntax(params, "transact request params must begin with <db-name>");
    const sdb = this.dbs.get(params[0]);
    if (sdb === undefined) throw unknownDb("transact", params, params[0]);
    const ops = params.slice(1);
    const r = this.run(s, sdb, ops, true);
    if (r.blockedFor !== undefined) {
      const deadline = r.blockedFor === Infinity ? Infinity : this.opts.now() + r.blockedFor;
      this.blocked.push({ session: s, id, sdb, ops, deadline });
      this.onBlocked?.(this.nextDeadline());
      return DEFERRED;
    }
    return this.afterWrite(r);
  }

  /** The results once the commit is on disk; an I/O failure turns them into an "I/O error". */
  private afterWrite(r: ExecResult & { written?: Promise<void> }): unknown {
    if (r.written === undefined) return r.results;
    return r.written.then(
      () => r.results,
      (e: unknown) => [
        ...r.results,
        new OvsdbError("I/O error", e instanceof Error ? e.message : String(e)).toJson(),
      ],
    );
  }

  private run(
    s: ServerSession,
    sdb: ServerDb,
    ops: unknown[],
    mayBlock: boolean,
  ): ExecResult & { written?: Promise<void> } {
    if (sdb === this.serverDb) {
      const write = ops.find(
        (o) =>
          o !== null && typeof o === "object" && WRITE_OPS.has(String((o as Record<string, unknown>).op)),
      );
      if (write !== undefined)
        return {
          results: [new OvsdbError("not allowed", "the _Server database is read-only", write).toJson()],
          commit: null,
        };
    }
    // RBAC only on remotes with a role; the usual session gets one context object, made once.
    const role = s.peer.role;
    const checkWrite =
      role === undefined || role === "" ? undefined : rbacAuthorize(sdb.db, { role, id: s.peer.clientId });
    const ctx: ExecContext =
      checkWrite === undefined
        ? mayBlock
          ? s.blockingCtx
          : s.nonBlockingCtx
        : { ownsLock: s.ownsLock, mayBlock, persist: this.persist, checkWrite };
    this.persistTo = sdb;
    this.written = undefined;
    const r = execute(sdb.db, ops, ctx);
    const written = this.written;
    this.persistTo = undefined;
    this.written = undefined;
    if (r.commit !== null) {
      if (this.mayPublishLater(sdb)) this.publishLater(sdb, r.commit);
      else this.published(sdb, r.commit);
    }
    return written === undefined ? r : { ...r, written };
  }

  // ---- after the reply -------------------------------------------------------------------------
  //
  // A client that waits for each reply (ovn-nbctl, a CMS) waits for whatever the server does between
  // its request and the reply. When no monitor follows the database and no blocked transaction waits
  // on it, nobody else needs a commit's bookkeeping (its history entry for monitor_cond_since, the new
  // transaction id and generation, the edge's onCommit) before the next request: it is done right after
  // the reply has been handed to the socket (afterReply, set by the edge; a microtask when no read is
  // being handled), and at the latest before the next request or timer is handled (settle()), so every
  // request sees the commits before it in full.

  /**
   * Commits whose bookkeeping waits for their replies to be on their way, as database, commit, ...
   * pairs in unsettled[0, unsettledLength). The array is kept and reused: emptying an array by
   * setting its length frees its storage, and the next push allocates it again.
   */
  private readonly unsettled: (ServerDb | Commit | undefined)[] = [];
  private unsettledLength = 0;

  /**
   * Set by the edge: arranges for `fn` to run once right after the replies of the read being handled
   * have been written, and returns true; false when no read is being handled (a microtask does then).
   */
  afterReply: ((fn: () => void) => boolean) | undefined;

  private mayPublishLater(sdb: ServerDb): boolean {
    if (sdb === this.serverDb || this.blocked.length > 0) return false;
    for (const s of this.sessions) {
      if (s.monitors.size === 0) continue;
      for (const m of s.monitors.values()) if (m.sdb === sdb) return false;
    }
    return true;
  }

  private publishLater(sdb: ServerDb, c: Commit): void {
    // Outside a read, a reaction on a settled promise, not queueMicrotask: node wraps each of those in
    // an async resource (~200 bytes and a bind per transaction).
    if (this.unsettledLength === 0 && this.afterReply?.(this.settleNow) !== true)
      void SETTLED.then(this.settleNow);
    this.unsettled[this.unsettledLength++] = sdb;
    this.unsettled[this.unsettledLength++] = c;
  }

  /** settle() from a microtask, where nothing above would catch what it throws. */
  private readonly settleNow = (): void => {
    try {
      this.settle();
    } catch (e) {
      log.err(`publishing a commit failed: ${e instanceof Error ? e.stack : String(e)}`);
    }
  };

  /** Finishes the bookkeeping of commits whose replies went out first (see publishLater). */
  settle(): void {
    const list = this.unsettled;
    try {
      // A commit published here may add more (a retried blocked transaction): the loop takes them too.
      for (let i = 0; i < this.unsettledLength; i += 2) {
        const sdb = list[i] as ServerDb;
        const c = list[i + 1] as Commit;
        list[i] = undefined;
        list[i + 1] = undefined;
        this.published(sdb, c);
      }
    } finally {
      this.unsettledLength = 0;
    }
  }

  /** The database whose transaction execute() is running (for persist), and what its write returned. */
  private persistTo: ServerDb | undefined;
  private written: Promise<void> | undefined;

  /** ExecContext.persist for every transaction: writes the commit to persistTo's store. */
  readonly persist = (c: Commit): void => {
    const sdb = this.persistTo as ServerDb;
    try {
      this.written = sdb.store?.write(c) ?? undefined;
    } catch (e) {
      log.err(`${sdb.name}: writing transaction failed: ${e instanceof Error ? e.message : String(e)}`);
      throw new OvsdbError("I/O error", `${sdb.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  /** After a commit: history, monitor updates to every session (before the committer's reply), retries. */
  private published(sdb: ServerDb, c: Commit): void {
    sdb.recordCommit(c);
    if (sdb !== this.serverDb) this.onCommit?.(sdb.name);
    let cache: Map<string, string | null> | undefined;
    for (const s of this.sessions) {
      if (s.monitors.size === 0) continue;
      for (const { mon, sdb: msdb } of s.monitors.values()) {
        if (msdb !== sdb) continue;
        cache ??= new Map();
        let text = cache.get(mon.shapeKey);
        if (text === undefined) {
          const u = mon.compose(c.tables);
          text = u === undefined ? null : JSON.stringify(u);
          cache.set(mon.shapeKey, text);
        }
        if (text === null) continue;
        s.peer.sendText(this.updateText(mon, sdb, text));
      }
    }
    if (this.blocked.length > 0) this.retryBlocked(sdb);
  }

  private updateText(mon: Monitor, sdb: ServerDb, updates: string): string {
    const id = mon.idJson;
    if (mon.version === 1) return `{"id":null,"method":"update","params":[${id},${updates}]}`;
    if (mon.version === 2) return `{"id":null,"method":"update2","params":[${id},${updates}]}`;
    return `{"id":null,"method":"update3","params":[${id},${JSON.stringify(sdb.lastTxnId)},${updates}]}`;
  }

  private retryBlocked(sdb: ServerDb): void {
    const now = this.opts.now();
    const waiting = this.blocked.filter((b) => b.sdb === sdb);
    this.blocked = this.blocked.filter((b) => b.sdb !== sdb);
    for (const b of waiting) {
      if (b.session.closed) continue;
      const r = this.run(b.session, sdb, b.ops, now < b.deadline);
      if (r.blockedFor !== undefined) this.blocked.push(b);
      else this.deliver(b.session, b.id, this.afterWrite(r));
    }
  }

  /** Times out blocked transactions whose deadline passed; returns the next deadline (or Infinity). */
  tick(): number {
    this.settle();
    const now = this.opts.now();
    let next = Infinity;
    const due = this.blocked.filter((b) => b.deadline <= now);
    if (due.length > 0) {
      this.blocked = this.blocked.filter((b) => b.deadline > now);
      for (const b of due) {
        const r = this.run(b.session, b.sdb, b.ops, false);
        this.deliver(b.session, b.id, this.afterWrite(r));
      }
    }
    for (const b of this.blocked) next = Math.min(next, b.deadline);
    return next;
  }

  private nextDeadline(): number {
    let next = Infinity;
    for (const b of this.blocked) next = Math.min(next, b.deadline);
    return next;
  }

  private cancel(s: ServerSession, params: unknown): void {
    const id = Array.isArray(params) ? params[0] : params;
    const key = JSON.stringify(id);
    const hit = this.blocked.find((b) => b.session === s && JSON.stringify(b.id) === key);
    if (hit === undefined) return;
    this.blocked = this.blocked.filter((b) => b !== hit);
    this.sendError(s, hit.id, "canceled");
  }

  // ---- schema conversion ----------------------------------------------------------------------

  private convert(s: ServerSession, params: unknown): Reply {
    if (!Array.isArray(params) || params.length !== 2 || typeof params[0] !== "string")
      throw syntax(params, "convert request params must be <db-name> <schema>");
    const sdb = this.dbs.get(params[0]);
    if (sdb === undefined || sdb === this.serverDb) throw unknownDb("convert", params, params[0]);
    const schema = parseSchema(params[1]);
    if (schema.name !== sdb.name)
      throw syntax(params, `new schema name (${schema.name}) does not match database name (${sdb.name})`);
    const db = convertDatabase(sdb.db, schema);
    const apply = () => {
      sdb.replaceDb(db);
      this.updateServerRow(sdb);
      this.blocked = this.blocked.filter((b) => {
        if (b.sdb !== sdb) return true;
        this.sendError(b.session, b.id, "canceled");
        return false;
      });
      // Clients that follow _Server see their monitors cancelled; the others are disconnected so that
      // they notice the new schema when they reconnect (ovsdb-server(7) §4.1.19).
      for (const other of [...this.sessions]) {
        if (other.dbChangeAware) {
          for (const [key, m] of other.monitors)
            if (m.sdb === sdb) {
              other.monitors.delete(key);
              other.notify("monitor_canceled", [m.mon.id]);
            }
        } else if (other !== s) {
          other.peer.close();
          this.disconnect(other);
        }
      }
      return {};
    };
    const written = sdb.store?.convertTo?.(db);
    return written === undefined ? apply() : written.then(apply);
  }

  // ---- monitors --------------------------------------------------------------------------------

  private monitor(s: ServerSession, params: unknown, version: MonitorVersion): Reply {
    const method = version === 1 ? "monitor" : version === 2 ? "monitor_cond" : "monitor_cond_since";
    if (!Array.isArray(params) || params.length < 3 || (version === 3 && params.length < 4))
      throw syntax(params, `${method} request has wrong number of parameters`);
    const [dbName, monId, reqs, lastTxnId] = params as [unknown, unknown, unknown, unknown];
    const sdb = typeof dbName === "string" ? this.dbs.get(dbName) : undefined;
    if (sdb === undefined) throw unknownDb(method, params, dbName);
    const key = JSON.stringify(monId);
    if (s.monitors.has(key)) throw syntax(monId, "duplicate monitor ID");
    const mon = new Monitor(monId, version, sdb.name, parseMonitorRequests(sdb.db, reqs, version));
    s.monitors.set(key, { mon, sdb });
    if (version === 3) {
      const since = typeof lastTxnId === "string" ? sdb.since(lastTxnId) : undefined;
      if (since !== undefined) {
        const u = mon.compose(mergeDeltas(since.map((h) => h.tables))) ?? {};
        return new RawJson(`[true,${JSON.stringify(sdb.lastTxnId)},${JSON.stringify(u)}]`);
      }
      return new RawJson(`[false,${JSON.stringify(sdb.lastTxnId)},${this.initialText(mon, sdb)}]`);
    }
    return new RawJson(this.initialText(mon, sdb));
  }

  /** Initial contents, serialised once per monitor shape and database generation. */
  private initialText(mon: Monitor, sdb: ServerDb): string {
    const key = mon.shapeKey;
    const hit = this.initialCache.get(key);
    if (hit !== undefined && hit.generation === sdb.generation) return hit.text;
    const text = JSON.stringify(mon.initial());
    if (this.initialCache.size > 256) this.initialCache.clear();
    this.initialCache.set(key, { generation: sdb.generation, text });
    return text;
  }

  private monitorCondChange(s: ServerSession, params: unknown): Reply {
    if (!Array.isArray(params) || params.length !== 3)
      throw syntax(params, "monitor_cond_change request has wrong number of parameters");
    const [oldId, newId, reqs] = params as [unknown, unknown, unknown];
    const oldKey = JSON.stringify(oldId);
    const entry = s.monitors.get(oldKey);
    if (entry === undefined || entry.mon.version === 1) throw syntax(oldId, "unknown monitor session");
    const newKey = JSON.stringify(newId);
    if (newKey !== oldKey && s.monitors.has(newKey)) throw syntax(newId, "duplicate monitor ID");
    const updates = entry.mon.changeConditions(entry.sdb.db, reqs);
    if (newKey !== oldKey) {
      s.monitors.delete(oldKey);
      entry.mon.id = newId;
      s.monitors.set(newKey, entry);
    }
    if (updates !== undefined)
      s.peer.sendText(this.updateText(entry.mon, entry.sdb, JSON.stringify(updates)));
    return {};
  }

  // ---- locks -----------------------------------------------------------------------------------

  private lockOp(s: ServerSession, params: unknown, op: "lock" | "steal" | "unlock"): Reply {
    const name = Array.isArray(params) ? params[0] : undefined;
    if (
      !Array.isArray(params) ||
      params.length !== 1 ||
      typeof name !== "string" ||
      !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)
    )
      throw syntax(params, `${op} request params must be <id>`);
    const held = s.ownedLocks.has(name) || s.waitingLocks.has(name);
    if (op === "unlock") {
      if (!held) throw syntax(params, `unlock: "unlock" without "lock" or "steal"`);
      s.ownedLocks.delete(name);
      s.waitingLocks.delete(name);
      this.locks.unlock(name, s);
      return {};
    }
    if (held) throw syntax(params, `must issue "unlock" before new "${op}"`);
    if (op === "steal") {
      this.locks.steal(name, s);
      s.ownedLocks.add(name);
      return { locked: true };
    }
    const got = this.locks.lock(name, s);
    (got ? s.ownedLocks : s.waitingLocks).add(name);
    return { locked: got };
  }

  // ---- introspection ---------------------------------------------------------------------------

  memoryStats(): Record<string, number> {
    this.settle();
    let monitors = 0;
    for (const s of this.sessions) monitors += s.monitors.size;
    let cells = 0;
    for (const sdb of this.dbs.values())
      for (const t of sdb.db.tables.values()) cells += t.rows.size * t.schema.userColumns.length;
    return {
      cells,
      monitors,
      sessions: this.sessions.size,
      "txn-history": [...this.dbs.values()].reduce((n, d) => n + d.historyLength, 0),
    };
  }
}
