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
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import type { Datum } from "../data/datum.js";
import type { DbTable } from "../engine/database.js";
import { attachConnection } from "./connection.js";
import type { OvsdbServer } from "./server.js";

const log = logger("ovsdb_server");

interface Running {
  stop(): Promise<void>;
  readonly name: string;
}

export interface RemoteSettings {
  readonly ssl?: SslOptions;
  readonly clock: Clock;
  /** Largest message accepted from a client, in bytes. */
  readonly maxMessageBytes?: number;
}

/** Probes only where a peer can vanish silently: tcp/ssl, not unix sockets (as ovsdb-server). */
function probeFor(target: string): number {
  return target.startsWith("unix") || target.startsWith("punix:") ? 0 : 5000;
}

export class RemoteSet {
  private readonly running = new Map<string, Running>();
  /** Targets given on the command line; db: entries are expanded on each refresh. */
  private readonly configured: string[] = [];
  /** RBAC role of each db: target, from its Connection row; read when a client connects. */
  private roles = new Map<string, string>();

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
    const roles = new Map<string, string>();
    for (const t of this.configured) {
      if (t.startsWith("db:")) for (const x of this.dbTargets(t, roles)) want.add(x);
      else want.add(t);
    }
    this.roles = roles;
    for (const [t, r] of this.running)
      if (!want.has(t)) {
        this.running.delete(t);
        await r.stop();
      }
    for (const t of want) {
      if (this.running.has(t)) continue;
      try {
        this.running.set(t, await this.start(t));
      } catch (e) {
        log.err(`${t}: ${e instanceof Error ? e.message : String(e)}`);
        if (!this.configured.includes(t) || !t.startsWith("p")) continue;
        throw e;
      }
    }
  }

  async stopAll(): Promise<void> {
    for (const r of this.running.values()) await r.stop();
    this.running.clear();
  }

  private async start(target: string): Promise<Running> {
    const remote = parseRemote(target);
    const opts = {
      clock: this.settings.clock,
      probeIntervalMs: probeFor(target),
      ...(this.settings.maxMessageBytes !== undefined
        ? { framing: { maxMessageBytes: this.settings.maxMessageBytes } }
        : {}),
    };
    if (isPassive(remote)) {
      const conns = new Set<JsonRpcConnection>();
      const listener: Listener = await listen(remote, {
        onConnection: (d: ByteDuplex) => {
          const conn = new JsonRpcConnection(d, { ...opts, probeIntervalMs: probeFor(d.peerName) });
          conns.add(conn);
          conn.observe({ onClose: () => conns.delete(conn) });
          attachConnection(this.server, conn, this.roles.get(target));
        },
        ...(this.settings.ssl !== undefined ? { ssl: this.settings.ssl } : {}),
      });
      log.info(`listening on ${listener.name}`);
      // Removing a remote ends the sessions that came in through it, as ovsdb-server does.
      return {
        name: listener.name,
        stop: async () => {
          for (const c of [...conns]) c.close();
          await listener.close();
        },
      };
    }
    const client = new ReconnectingClient({
      remotes: [target],
      clock: this.settings.clock,
      dial: (r) => dial(r, this.settings.ssl !== undefined ? { ssl: this.settings.ssl } : {}),
      probeIntervalMs: probeFor(target),
      onConnect: (conn) => attachConnection(this.server, conn, this.roles.get(target)),
    });
    client.start();
    return {
      name: target,
      stop: async () => client.stop(),
    };
  }

  /** The targets named by a db:DB,TABLE,COLUMN remote: strings, or rows with a "target" column. */
  private dbTargets(spec: string, roles: Map<string, string>): string[] {
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
        const roleCol = ref.schema.columns.get("role");
        if (targetCol === undefined) continue;
        for (const k of d.keys) {
          const row = ref.rows.get(k as string);
          const v = row?.cols[targetCol.index] as Datum | undefined;
          const role = roleCol === undefined ? undefined : (row?.cols[roleCol.index] as Datum | undefined);
          if (v !== undefined)
            for (const x of v.keys) {
              out.push(x as string);
              if (typeof role?.keys[0] === "string" && role.keys[0] !== "")
                roles.set(x as string, role.keys[0]);
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
