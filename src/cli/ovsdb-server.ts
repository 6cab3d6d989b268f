// `ovnts ovsdb-server`: a drop-in for Open vSwitch's ovsdb-server (standalone databases).
//   ovnts ovsdb-server [--remote=REMOTE]... [--log-file[=LOG]] [--pidfile[=PID]] [--unixctl=SOCK]
//                      [--private-key=KEY --certificate=CERT --ca-cert=CA] [--ssl-protocols=P]
//                      [--ssl-ciphers=C] [--max-message-bytes=N] [--max-backlog-bytes=N] [DBFILE...]
import { join, resolve } from "node:path";
import { logger } from "../base/log.js";
import {
  cleanUpDaemon,
  DAEMON_OPTIONS,
  notifyReady,
  onTermination,
  registerVlogCommands,
} from "../daemon/daemon.js";
import { dbDir, runDir } from "../daemon/paths.js";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../jsonrpc/framing.js";
import { DEFAULT_LISTEN_BACKLOG } from "../jsonrpc/transport/listen.js";
import {
  DEFAULT_SSL_CIPHERS,
  DEFAULT_SSL_PROTOCOLS,
  parseDbColumnRef,
  parseSslProtocols,
} from "../jsonrpc/transport/ssl-config.js";
import { systemClock } from "../jsonrpc/transport/system-clock.js";
import { MAX_BACKLOG_BYTES } from "../ovsdb/server/connection.js";
import { FileStore, type OpenedDb, openDbFile } from "../ovsdb/server/file-store.js";
import { setStrictRbac } from "../ovsdb/server/rbac.js";
import { StrictRbac } from "../ovsdb/server/rbac-strict.js";
import { RemoteSet } from "../ovsdb/server/remotes.js";
import { OvsdbServer } from "../ovsdb/server/server.js";
import { type SslSettings, sslConfigured } from "../ovsdb/server/ssl-settings.js";
import { UnixctlError } from "../unixctl/commands.js";
import { UnixctlServer } from "../unixctl/server.js";
import { startDaemon } from "./daemon-command.js";
import { has, optValue, optValues, type ParsedOptions } from "./options.js";
import { VERSION } from "./version.js";

const log = logger("ovsdb_server");

const OPTIONS = {
  ...DAEMON_OPTIONS,
  remote: { arg: "required", multiple: true },
  "private-key": { arg: "required" },
  certificate: { arg: "required" },
  "ca-cert": { arg: "required" },
  "bootstrap-ca-cert": { arg: "required" },
  "ssl-protocols": { arg: "required" },
  "ssl-ciphers": { arg: "required" },
  "peer-ca-cert": { arg: "required" },
  run: { arg: "required" },
  "sync-from": { arg: "required" },
  active: {},
  "disable-file-column-diff": {},
  "max-message-bytes": { arg: "required" },
  "max-backlog-bytes": { arg: "required" },
  "rbac-strict": {},
} as const;

const USAGE = `ovnts ovsdb-server: OVSDB database server (standalone databases)
usage: ovnts ovsdb-server [OPTIONS] [DATABASE...]
where each DATABASE is a database file in ovsdb format (default: ${join(dbDir(), "conf.db")}).
  --remote=REMOTE         connect or listen to REMOTE: punix:FILE, ptcp:PORT[:IP], pssl:PORT[:IP],
                          unix:FILE, tcp:IP:PORT, ssl:IP:PORT, or db:DB,TABLE,COLUMN
PKI configuration (each may be db:DB,TABLE,COLUMN to read it from a database):
  --private-key=FILE      file with private key
  --certificate=FILE      file with certificate for private key
  --ca-cert=FILE          file with peer CA certificate
  --bootstrap-ca-cert=FILE  file with peer CA certificate to read or create
  --peer-ca-cert=FILE     extra CA certificate(s) sent to peers (for their --bootstrap-ca-cert)
  --ssl-protocols=PROTOS  list of SSL protocols to enable (default: ${DEFAULT_SSL_PROTOCOLS})
  --ssl-ciphers=CIPHERS   list of SSL ciphers to enable (default: ${DEFAULT_SSL_CIPHERS})
  Certificate files are read again when they change: new connections use the new ones.
Resource limits:
  --max-message-bytes=N   largest JSON-RPC message accepted from a client (default: ${DEFAULT_MAX_MESSAGE_BYTES})
  --max-backlog-bytes=N   bytes a client may leave unread before it is disconnected
                          (default: ${MAX_BACKLOG_BYTES})
  listen(2) backlog of passive remotes: ${DEFAULT_LISTEN_BACKLOG}
Role-based access control (a Connection row's role; identity = certificate CN):
  --rbac-strict           OVN_Southbound, role ovn-controller (tighter than OVN 23.03): a chassis may
                          only claim ports bound to or requested for it, write MAC_Binding/FDB only on
                          its local datapaths, and only its own Service_Monitor/BFD/IGMP_Group rows
Daemon options:
  --log-file[=FILE] --pidfile[=FILE] --unixctl=SOCKET --detach -v[SPEC]
`;

/** The SSL options given on the command line (values or db: references). */
function sslSettingsOf(opts: ParsedOptions): SslSettings {
  const names: Array<[keyof SslSettings, string]> = [
    ["privateKey", "private-key"],
    ["certificate", "certificate"],
    ["caCert", "ca-cert"],
    ["bootstrapCaCert", "bootstrap-ca-cert"],
    ["peerCaCert", "peer-ca-cert"],
    ["protocols", "ssl-protocols"],
    ["ciphers", "ssl-ciphers"],
  ];
  const out: Record<string, string> = {};
  for (const [key, opt] of names) {
    const v = optValue(opts, opt);
    if (v !== undefined) out[key] = v;
  }
  return out as SslSettings;
}

/** A positive integer option, or a usage error. */
function sizeOption(opts: ParsedOptions, name: string): number | undefined {
  const v = optValue(opts, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new Error(`--${name}: "${v}" is not a positive integer`);
  return Number(v);
}

export async function run(argv: string[]): Promise<number | undefined> {
  const started = await startDaemon("ovsdb-server", argv, OPTIONS, USAGE);
  if (typeof started === "number") return started;
  const { opts, files } = started;
  const ssl = sslSettingsOf(opts);
  let maxBytes: number | undefined;
  let maxBacklog: number | undefined;
  try {
    maxBytes = sizeOption(opts, "max-message-bytes");
    maxBacklog = sizeOption(opts, "max-backlog-bytes");
    if (ssl.protocols !== undefined && parseDbColumnRef(ssl.protocols) === undefined)
      parseSslProtocols(ssl.protocols);
  } catch (e) {
    process.stderr.write(`ovsdb-server: ${e instanceof Error ? e.message : String(e)}\n`);
    cleanUpDaemon(files);
    return 1;
  }
  let served: ServedDatabases;
  try {
    served = await serveDatabases({
      dbFiles: opts.positional.length > 0 ? opts.positional : [join(dbDir(), "conf.db")],
      remotes: optValues(opts, "remote"),
      unixctlPath: optValue(opts, "unixctl") ?? join(runDir(), `ovsdb-server.${process.pid}.ctl`),
      ...(sslConfigured(ssl) && { ssl }),
      ...(maxBytes !== undefined && { maxMessageBytes: maxBytes }),
      ...(maxBacklog !== undefined && { maxBacklogBytes: maxBacklog }),
      ...(has(opts, "rbac-strict") && { rbacStrict: true }),
      onExit: () =>
        void served.stop().finally(() => {
          cleanUpDaemon(files);
          process.exit(0);
        }),
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log.err(msg);
    process.stderr.write(`ovsdb-server: ${msg}\n`);
    cleanUpDaemon(files);
    return 1;
  }
  onTermination(async () => {
    await served.stop();
    cleanUpDaemon(files);
  });
  log.info(
    `ovnts ovsdb-server ${VERSION} serving ${[...served.server.dbs.keys()].filter((n) => n !== "_Server").join(", ")}`,
  );
  notifyReady();
  return await new Promise<number>(() => undefined);
}

export interface ServeConfig {
  readonly dbFiles: readonly string[];
  /** Create a missing database file from this schema (JSON), by file path. */
  readonly createFrom?: ReadonlyMap<string, unknown>;
  readonly remotes: readonly string[];
  readonly unixctlPath: string;
  /** SSL options: file names or db:DB,TABLE,COLUMN references. */
  readonly ssl?: SslSettings;
  readonly maxMessageBytes?: number;
  readonly maxBacklogBytes?: number;
  /** --rbac-strict: the per-chassis rules of src/ovsdb/server/rbac-strict.ts on every database. */
  readonly rbacStrict?: boolean;
  /** The unixctl "exit" command was given. */
  readonly onExit: () => void;
}

export interface ServedDatabases {
  readonly server: OvsdbServer;
  readonly remotes: RemoteSet;
  stop(): Promise<void>;
}

/** Opens the database files and serves them on the remotes, with a unixctl socket. */
export async function serveDatabases(cfg: ServeConfig): Promise<ServedDatabases> {
  const server = new OvsdbServer({ now: () => Date.now() });
  const stores: FileStore[] = [];
  /** Serves an opened database file (at start-up and by ovsdb-server/add-db): its rows loaded, RBAC as set. */
  const serve = (opened: OpenedDb): void => {
    const store = new FileStore(opened.file, () => Date.now());
    const sdb = server.addDb(opened.schema, store);
    if (cfg.rbacStrict === true) setStrictRbac(sdb.db, new StrictRbac({ now: () => Date.now() }));
    store.load(sdb, opened.records);
    stores.push(store);
  };
  try {
    for (const path of cfg.dbFiles) serve(await openDbFile(path, cfg.createFrom?.get(path)));
  } catch (e) {
    for (const s of stores) await s.closeAndWait();
    throw e;
  }
  const remotes = new RemoteSet(server, {
    clock: systemClock,
    ...(cfg.ssl !== undefined ? { ssl: cfg.ssl } : {}),
    ...(cfg.maxMessageBytes !== undefined ? { maxMessageBytes: cfg.maxMessageBytes } : {}),
    ...(cfg.maxBacklogBytes !== undefined && { maxBacklogBytes: cfg.maxBacklogBytes }),
  });
  try {
    for (const r of cfg.remotes) remotes.add(r);
    await remotes.refresh();
  } catch (e) {
    await remotes.stopAll();
    for (const s of stores) await s.closeAndWait();
    throw e;
  }
  // db: remotes follow the database: re-read them after commits (coalesced).
  let refreshQueued = false;
  server.onCommit = () => {
    // Most servers have no db: remote: a commit then costs no extra pass of the event loop. A remote
    // waiting for its SSL row is retried on commit too (and by the timer below).
    if (refreshQueued || !(remotes.followsDatabase || remotes.hasFailed)) return;
    refreshQueued = true;
    setImmediate(() => {
      refreshQueued = false;
      remotes.refresh().catch((e: unknown) => log.warn(String(e)));
    });
  };
  // A remote that could not start (an SSL listener whose files are not there yet, an active remote's
  // SSL settings) is retried, as ovsdb-server retries on every pass of its main loop.
  const retryTimer = setInterval(() => {
    if (remotes.hasFailed) remotes.refresh().catch((e: unknown) => log.warn(String(e)));
  }, 2000);
  retryTimer.unref();
  // Connection rows show whether their remote is connected (is_connected, status), written when that
  // changes, checked as often as ovsdb-server does (every 2.5 s).
  // (Through a session of its own, closed again at once: it is nobody's connection.)
  let statusTxn = 0;
  const statusTimer = setInterval(() => {
    for (const [db, ops] of remotes.statusUpdates()) {
      const session = server.connect({ name: "status", sendText: () => undefined, close: () => undefined });
      server.handle(session, "transact", [db, ...ops], `status${statusTxn++}`);
      server.disconnect(session);
    }
  }, 2500);
  statusTimer.unref();
  // Blocking "wait" operations time out on the clock.
  let waitTimer: NodeJS.Timeout | undefined;
  server.onBlocked = (deadline) => {
    if (waitTimer !== undefined) clearTimeout(waitTimer);
    waitTimer = undefined;
    if (deadline === Infinity) return;
    waitTimer = setTimeout(() => server.onBlocked?.(server.tick()), Math.max(0, deadline - Date.now()));
  };
  let unixctl: UnixctlServer;
  try {
    unixctl = await UnixctlServer.listen(cfg.unixctlPath, { version: `ovsdb-server (ovnts) ${VERSION}` });
  } catch (e) {
    if (waitTimer !== undefined) clearTimeout(waitTimer);
    clearInterval(retryTimer);
    clearInterval(statusTimer);
    await remotes.stopAll();
    for (const s of stores) await s.closeAndWait();
    throw e;
  }
  registerVlogCommands(unixctl);
  unixctl.register("exit", "", 0, 0, () => {
    setImmediate(cfg.onExit);
    return undefined;
  });
  unixctl.register("ovsdb-server/compact", "[DB]...", 0, Infinity, async (args) => {
    for (const name of args)
      if (server.dbs.get(name)?.store === undefined) throw new Error("no database by that name");
    const targets = stores.filter(
      (s) => args.length === 0 || args.some((n) => server.dbs.get(n)?.store === s),
    );
    for (const s of targets) await s.compact();
    return undefined;
  });
  unixctl.register("ovsdb-server/list-dbs", "", 0, 0, () =>
    [...server.dbs.keys()]
      .sort()
      .map((n) => `${n}\n`)
      .join(""),
  );
  const dbByName = (name: string) => {
    const sdb = server.dbs.get(name);
    if (sdb === undefined) throw new UnixctlError("Failed to find the database.");
    return sdb;
  };
  unixctl.register("ovsdb-server/add-db", "DB", 1, 1, async (args) => {
    const path = args[0] as string;
    if (stores.some((st) => resolve(st.path) === resolve(path)))
      throw new UnixctlError(`ovsdb error: ${path}: already open`);
    let opened: OpenedDb;
    try {
      opened = await openDbFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UnixctlError(
        code === "ENOENT"
          ? `I/O error: ${path}: open failed (No such file or directory)`
          : e instanceof Error
            ? e.message
            : String(e),
      );
    }
    if (server.dbs.has(opened.schema.name)) {
      await opened.file.close();
      throw new UnixctlError(`${opened.schema.name}: already open`);
    }
    serve(opened);
    log.info(`added database ${opened.schema.name} from ${path}`);
    return undefined;
  });
  unixctl.register("ovsdb-server/remove-db", "DB", 1, 1, async (args) => {
    const name = args[0] as string;
    const sdb = dbByName(name);
    const store = sdb.store;
    if (store === undefined) throw new UnixctlError("Cannot remove reserved database.");
    const i = stores.indexOf(store as FileStore);
    if (i >= 0) stores.splice(i, 1);
    // Taken off the database first, so that the file is closed (and its lock let go) before the reply:
    // an add-db of the same file right after must find it free.
    sdb.store = undefined;
    server.removeDb(name);
    await (store as FileStore).closeAndWait();
    log.info(`removed database ${name}`);
    return undefined;
  });
  // A standalone database file has no cluster to be out of touch with.
  unixctl.register("ovsdb-server/get-db-storage-status", "DB", 1, 1, (args) => {
    dbByName(args[0] as string);
    return "status: ok\n";
  });
  // Drops every client connection; active remotes reconnect by themselves, clients reconnect to us.
  unixctl.register("ovsdb-server/reconnect", "", 0, 0, () => {
    for (const session of [...server.sessions]) session.peer.close();
    return undefined;
  });
  // ovnts serves as an active server only (no backup replication): the answers of a server that is one.
  unixctl.register("ovsdb-server/sync-status", "", 0, 0, () => "state: active\n");
  unixctl.register("ovsdb-server/get-active-ovsdb-server", "", 0, 0, () => undefined);
  // Compaction gives memory back through V8's own collection; there is no malloc arena to trim.
  unixctl.register("ovsdb-server/memory-trim-on-compaction", "on|off", 1, 1, (args) => {
    if (args[0] !== "on" && args[0] !== "off") throw new UnixctlError("invalid argument");
    return undefined;
  });
  unixctl.register("ovsdb-server/add-remote", "REMOTE", 1, 1, async (args) => {
    remotes.add(args[0] as string);
    await remotes.refresh();
    return undefined;
  });
  unixctl.register("ovsdb-server/remove-remote", "REMOTE", 1, 1, async (args) => {
    if (!remotes.remove(args[0] as string)) throw new Error("no such remote");
    await remotes.refresh();
    return undefined;
  });
  unixctl.register("ovsdb-server/list-remotes", "", 0, 0, () =>
    remotes
      .list()
      .sort()
      .map((r) => `${r}\n`)
      .join(""),
  );
  unixctl.register("memory/show", "", 0, 0, () => {
    const stats = server.memoryStats();
    const parts = Object.entries(stats).map(([k, v]) => `${k}:${v}`);
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    return `${parts.join(" ")} heap-used-bytes:${mem.heapUsed} rss-bytes:${mem.rss}\n`;
  });
  let stopping: Promise<void> | undefined;
  return {
    server,
    remotes,
    stop: () => {
      stopping ??= (async () => {
        if (waitTimer !== undefined) clearTimeout(waitTimer);
        clearInterval(retryTimer);
        clearInterval(statusTimer);
        // Listeners only finish closing once their connections are gone: drop the clients first.
        for (const session of [...server.sessions]) session.peer.close();
        await remotes.stopAll();
        await unixctl.close();
        for (const s of stores) await s.closeAndWait();
      })();
      return stopping;
    },
  };
}
