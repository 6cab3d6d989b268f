// Remotes of the database server: passive listeners (punix:, ptcp:, pssl:), active connections (unix:,
// tcp:, ssl: — the server dials out and keeps reconnecting), and `db:DB,TABLE,COLUMN` remotes whose
// targets are read from the database and followed as it changes (ovsdb-server(1)).
import { logger } from "../../base/log.js";
import type { Clock } from "../../jsonrpc/clock.js";
import type { ByteDuplex } from "../../jsonrpc/duplex.js";
import { ReconnectingClient } from "../../jsonrpc/reconnecting-client.js";
import { JsonRpcConnection } from "../../jsonrpc/session.js";
import { dial } from "../../jsonrpc/transport/dial.js";
import { type Listener, listen } from "../../jsonrpc/transport/listen.js";
import { isPassive, parseRemote } from "../../jsonrpc/transport/remote.js";
import type { Datum } from "../data/datum.js";
import type { DbTable } from "../engine/database.js";
import { attachConnection, MAX_BACKLOG_BYTES } from "./connection.js";
import type { OvsdbServer } from "./server.js";
import { resolveSsl, type SslSettings } from "./ssl-settings.js";

const log = logger("ovsdb_server");

interface Running {
  stop(): Promise<void>;
  readonly name: string;
  /** What a Connection row's is_connected and status columns say about it (ovn-nb(5) "Status"). */
  status(): RemoteStatus;
}

export interface RemoteStatus {
  connected: boolean;
  status: Record<string, string>;
}

/** Where a db: target came from: its Connection row. */
interface RowRef {
  db: string;
  table: string;
  uuid: string;
}

export interface RemoteSettings {
  /** The SSL options as given (values or db: references), resolved at each accept and dial. */
  readonly ssl?: SslSettings;
  readonly clock: Clock;
  /** Largest message accepted from a client, in bytes. */
  readonly maxMessageBytes?: number;
  /** Bytes a client may leave unread before it is disconnected. */
  readonly maxBacklogBytes?: number;
  /** listen(2) backlog of passive remotes. */
  readonly listenBacklog?: number;
}

/** What a Connection row adds to its target (ovsdb-server(1), "db:db,table,column"). */
interface TargetOptions {
  role?: string;
  /** inactivity_probe in ms (0 disables). */
  probeMs?: number;
  /** max_backoff in ms, for active targets. */
  maxBackoffMs?: number;
}

/** Probes only where a peer can vanish silently: tcp/ssl, not unix sockets (as ovsdb-server). */
function probeFor(target: string, o: TargetOptions | undefined): number {
  if (o?.probeMs !== undefined) return o.probeMs;
  return target.startsWith("unix") || target.startsWith("punix:") ? 0 : 5000;
}

export class RemoteSet {
  private readonly running = new Map<string, Running>();
  /** Targets given on the command line; db: entries are expanded on each refresh. */
  private readonly configured: string[] = [];
  /** Options of each db: target from its Connection row; read when a client connects. */
  private targetOptions = new Map<string, TargetOptions>();
  /** The Connection row of each db: target. */
  private rowOf = new Map<string, RowRef>();
  /** Targets that failed to start at the last refresh (retried by the next). */
  private failed = new Set<string>();

  constructor(
    private readonly server: OvsdbServer,
    private readonly settings: RemoteSettings,
  ) {}

  add(target: string): void {
    parseTarget(target);
    if (!this.configured.includes(target)) this.configured.push(target);
  }

  remove(target: string): boolean {
    const i = this.configured.indexOf(target);
    if (i < 0) return false;
    this.configured.splice(i, 1);
    return true;
  }

  list(): string[] {
    return [...this.configured];
  }

  /** Names of the listeners actually bound (ptcp:0 shows its port). */
  bound(): string[] {
    return [...this.running.values()].map((r) => r.name);
  }

  /** Brings the running remotes in line with the configuration and the db: columns. */
  async refresh(): Promise<void> {
    const want = new Set<string>();
    const options = new Map<string, TargetOptions>();
    const rows = new Map<string, RowRef>();
    for (const t of this.configured) {
      if (t.startsWith("db:")) for (const x of this.dbTargets(t, options, rows)) want.add(x);
      else want.add(t);
    }
    this.rowOf = rows;
    // A changed inactivity probe or backoff restarts the remote, as a changed target would.
    for (const [t, r] of this.running) {
      const changed = JSON.stringify(options.get(t)) !== JSON.stringify(this.targetOptions.get(t));
      if (!want.has(t) || changed) {
        this.running.delete(t);
        await r.stop();
      }
    }
    this.targetOptions = options;
    const failed = new Set<string>();
    // SSL listeners first: they take longest to start (key, certificate and CA files read, the TLS
    // context built), and the C server opens every remote before it serves any, so a client that finds
    // the unix socket answering may rely on the SSL port being up too (test/peer/ssl.test.ts does).
    const order = [...want].sort((a, b) => Number(b.startsWith("pssl:")) - Number(a.startsWith("pssl:")));
    for (const t of order) {
      if (this.running.has(t)) continue;
      try {
        this.running.set(t, await this.start(t));
      } catch (e) {
        // Logged once per failure, not on every retry.
        if (!this.failed.has(t)) log.err(`${t}: ${e instanceof Error ? e.message : String(e)}`);
        failed.add(t);
        // A listener named on the command line that cannot bind stops the server at start-up; one that
        // lacks its SSL configuration waits for it (ovn-ctl sets the SSL row after starting the server).
        if (!this.configured.includes(t) || !t.startsWith("p") || isSslNotReady(e)) continue;
        throw e;
      }
    }
    this.failed = failed;
  }

  /**
   * Updates that bring the is_connected and status columns of the Connection rows in line with their
   * remotes, per database; empty when nothing changed (so an idle server does not commit).
   */
  statusUpdates(): Map<string, unknown[]> {
    const out = new Map<string, unknown[]>();
    for (const [target, ref] of this.rowOf) {
      const running = this.running.get(target);
      const table = this.server.dbs.get(ref.db)?.db.table(ref.table);
      const row = table?.rows.get(ref.uuid);
      const connCol = table?.schema.columns.get("is_connected");
      const statusCol = table?.schema.columns.get("status");
      if (running === undefined || row === undefined || connCol === undefined || statusCol === undefined)
        continue;
      const want = running.status();
      const pairs = Object.entries(want.status).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const haveConn = (row.cols[connCol.index] as Datum).keys[0];
      const haveStatus = row.cols[statusCol.index] as Datum;
      const same =
        haveConn === want.connected &&
        haveStatus.keys.length === pairs.length &&
        pairs.every(([k, v]) => {
          const i = haveStatus.keys.indexOf(k);
          return i >= 0 && haveStatus.values?.[i] === v;
        });
      if (same) continue;
      const ops = out.get(ref.db) ?? [];
      ops.push({
        op: "update",
        table: ref.table,
        where: [["_uuid", "==", ["uuid", ref.uuid]]],
        row: { is_connected: want.connected, status: ["map", pairs] },
      });
      out.set(ref.db, ops);
    }
    return out;
  }

  /** Whether a db: remote reads its targets from the database (commits may change them). */
  get followsDatabase(): boolean {
    return this.configured.some((t) => t.startsWith("db:"));
  }

  /** Whether some remote could not be started and should be retried later. */
  get hasFailed(): boolean {
    return this.failed.size > 0;
  }

  async stopAll(): Promise<void> {
    for (const r of this.running.values()) await r.stop();
    this.running.clear();
  }

  /** The SSL options in force now, read from the database where the command line says so. */
  private ssl = () =>
    this.settings.ssl === undefined ? undefined : resolveSsl(this.server, this.settings.ssl);

  private async start(target: string): Promise<Running> {
    const remote = parseRemote(target);
    const tOpts = this.targetOptions.get(target);
    const opts = {
      clock: this.settings.clock,
      probeIntervalMs: probeFor(target, tOpts),
      maxBacklogBytes: this.settings.maxBacklogBytes ?? MAX_BACKLOG_BYTES,
      ...(this.settings.maxMessageBytes !== undefined
        ? { framing: { maxMessageBytes: this.settings.maxMessageBytes } }
        : {}),
    };
    const role = tOpts?.role;
    if (isPassive(remote)) {
      const conns = new Set<JsonRpcConnection>();
      const listener: Listener = await listen(remote, {
        onConnection: (d: ByteDuplex) => {
          const conn = new JsonRpcConnection(d, { ...opts, probeIntervalMs: probeFor(d.peerName, tOpts) });
          conns.add(conn);
          conn.observe({ onClose: () => conns.delete(conn) });
          attachConnection(this.server, conn, role);
        },
        ssl: this.ssl,
        ...(this.settings.listenBacklog !== undefined && { backlog: this.settings.listenBacklog }),
      });
      log.info(`listening on ${listener.name}`);
      // Removing a remote ends the sessions that came in through it, as ovsdb-server does.
      return {
        name: listener.name,
        stop: async () => {
          for (const c of [...conns]) c.close();
          await listener.close();
        },
        status: () => ({
          connected: conns.size > 0,
          status: {
            ...(listener.port !== undefined && { bound_port: String(listener.port) }),
            ...(conns.size > 1 && { n_connections: String(conns.size) }),
          },
        }),
      };
    }
    const client = new ReconnectingClient({
      remotes: [target],
      clock: this.settings.clock,
      dial: (r) => {
        const ssl = this.ssl();
        return dial(r, ssl !== undefined ? { ssl } : {});
      },
      probeIntervalMs: opts.probeIntervalMs,
      maxBacklogBytes: opts.maxBacklogBytes,
      ...(opts.framing !== undefined && { framing: opts.framing }),
      ...(tOpts?.maxBackoffMs !== undefined && { maxBackoffMs: tOpts.maxBackoffMs }),
      onConnect: (conn) => attachConnection(this.server, conn, role),
    });
    client.start();
    return {
      name: target,
      stop: async () => client.stop(),
      status: () => ({
        connected: client.connection !== undefined && !client.connection.closed,
        status: { state: client.state.toUpperCase() },
      }),
    };
  }

  /** The targets named by a db:DB,TABLE,COLUMN remote: strings, or rows with a "target" column. */
  private dbTargets(spec: string, options: Map<string, TargetOptions>, rows: Map<string, RowRef>): string[] {
    const [dbName, tableName, columnName] = spec.slice(3).split(",");
    const sdb = dbName === undefined ? undefined : this.server.dbs.get(dbName);
    const t = tableName === undefined ? undefined : sdb?.db.table(tableName);
    const col = columnName === undefined ? undefined : t?.schema.columns.get(columnName);
    if (sdb === undefined || t === undefined || col === undefined || col.index < 0) {
      log.warn(`${spec}: no such database, table or column`);
      return [];
    }
    const out: string[] = [];
    for (const r of t.rows.values()) {
      const d = r.cols[col.index] as Datum;
      if (col.type.key.type === "string") for (const k of d.keys) out.push(k as string);
      else if (col.type.key.refTable !== undefined) {
        const ref = sdb.db.table(col.type.key.refTable) as DbTable;
        const targetCol = ref.schema.columns.get("target");
        if (targetCol === undefined) continue;
        for (const k of d.keys) {
          const row = ref.rows.get(k as string);
          if (row === undefined) continue;
          const v = row.cols[targetCol.index] as Datum;
          const o = connectionOptions(ref, row.cols);
          for (const x of v.keys) {
            out.push(x as string);
            options.set(x as string, o);
            rows.set(x as string, { db: sdb.name, table: ref.schema.name, uuid: k as string });
          }
        }
      }
    }
    return out.filter((x) => {
      try {
        parseRemote(x);
        return true;
      } catch {
        log.warn(`${spec}: ignoring invalid remote "${x}"`);
        return false;
      }
    });
  }
}

function parseTarget(target: string): void {
  if (target.startsWith("db:")) {
    if (target.slice(3).split(",").length !== 3)
      throw new Error(`"${target}": db: remote must be db:DB,TABLE,COLUMN`);
    return;
  }
  parseRemote(target);
}

function isSslNotReady(e: unknown): boolean {
  return e instanceof Error && /SSL remote requires|could not read/.test(e.message);
}

/** role, inactivity_probe and max_backoff of a Connection row, where its table has them. */
function connectionOptions(table: DbTable, cols: readonly unknown[]): TargetOptions {
  const first = (name: string): unknown => {
    const c = table.schema.columns.get(name);
    return c === undefined ? undefined : (cols[c.index] as Datum | undefined)?.keys[0];
  };
  const o: TargetOptions = {};
  const role = first("role");
  if (typeof role === "string" && role !== "") o.role = role;
  const probe = first("inactivity_probe");
  if (typeof probe === "number") o.probeMs = probe;
  const backoff = first("max_backoff");
  if (typeof backoff === "number") o.maxBackoffMs = backoff;
  return o;
}
