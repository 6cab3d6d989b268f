// `ovnts ovsdb-server`: a drop-in for Open vSwitch's ovsdb-server (standalone databases).
//   ovnts ovsdb-server [--remote=REMOTE]... [--log-file[=LOG]] [--pidfile[=PID]] [--unixctl=SOCK]
//                      [--private-key=KEY --certificate=CERT --ca-cert=CA] [DBFILE...]
import { join } from "node:path";
import { logger } from "../base/log.js";
import {
  cleanUpDaemon,
  DAEMON_OPTIONS,
  notifyReady,
  onTermination,
  registerVlogCommands,
} from "../daemon/daemon.js";
import { dbDir, runDir } from "../daemon/paths.js";
import { systemClock } from "../jsonrpc/transport/system-clock.js";
import { FileStore, openDbFile } from "../ovsdb/server/file-store.js";
import { RemoteSet } from "../ovsdb/server/remotes.js";
import { OvsdbServer } from "../ovsdb/server/server.js";
import { UnixctlServer } from "../unixctl/server.js";
import { startDaemon } from "./daemon-command.js";
import { optValue, optValues } from "./options.js";
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
} as const;

const USAGE = `ovnts ovsdb-server: OVSDB database server (standalone databases)
usage: ovnts ovsdb-server [OPTIONS] [DATABASE...]
where each DATABASE is a database file in ovsdb format (default: ${join(dbDir(), "conf.db")}).
  --remote=REMOTE         connect or listen to REMOTE: punix:FILE, ptcp:PORT[:IP], pssl:PORT[:IP],
                          unix:FILE, tcp:IP:PORT, ssl:IP:PORT, or db:DB,TABLE,COLUMN
  --private-key=FILE --certificate=FILE --ca-cert=FILE   SSL configuration
  --log-file[=FILE] --pidfile[=FILE] --unixctl=SOCKET --detach -v[SPEC]
  --max-message-bytes=N   largest JSON-RPC message accepted (default 64 MiB)
`;

export async function run(argv: string[]): Promise<number | undefined> {
  const started = await startDaemon("ovsdb-server", argv, OPTIONS, USAGE);
  if (typeof started === "number") return started;
  const { opts, files } = started;
  const ssl =
    optValue(opts, "private-key") !== undefined
      ? {
          privateKey: optValue(opts, "private-key") as string,
          certificate: optValue(opts, "certificate") as string,
          caCert: optValue(opts, "ca-cert") as string,
        }
      : undefined;
  const maxBytes = optValue(opts, "max-message-bytes");
  let served: ServedDatabases;
  try {
    served = await serveDatabases({
      dbFiles: opts.positional.length > 0 ? opts.positional : [join(dbDir(), "conf.db")],
      remotes: optValues(opts, "remote"),
      unixctlPath: optValue(opts, "unixctl") ?? join(runDir(), `ovsdb-server.${process.pid}.ctl`),
      ...(ssl !== undefined ? { ssl } : {}),
      ...(maxBytes !== undefined ? { maxMessageBytes: Number(maxBytes) } : {}),
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
  readonly ssl?: { privateKey: string; certificate: string; caCert: string };
  readonly maxMessageBytes?: number;
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
  try {
    for (const path of cfg.dbFiles) {
      const { schema, records, file } = await openDbFile(path, cfg.createFrom?.get(path));
      const store = new FileStore(file, () => Date.now());
      const sdb = server.addDb(schema, store);
      store.load(sdb, records);
      stores.push(store);
    }
  } catch (e) {
    for (const s of stores) await s.closeAndWait();
    throw e;
  }
  const remotes = new RemoteSet(server, {
    clock: systemClock,
    ...(cfg.ssl !== undefined ? { ssl: cfg.ssl } : {}),
    ...(cfg.maxMessageBytes !== undefined ? { maxMessageBytes: cfg.maxMessageBytes } : {}),
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
    if (refreshQueued) return;
    refreshQueued = true;
    setImmediate(() => {
      refreshQueued = false;
      remotes.refresh().catch((e: unknown) => log.warn(String(e)));
    });
  };
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
