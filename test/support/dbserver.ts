// Starts a database server in a sandbox: the real ovsdb-server ('c') or `bin/ovnts ovsdb-server`
// ('ovnts') with exactly the same flags. Database files are made by the real `ovsdb-tool create` from the
// repository's schemas, so both implementations start from the same bytes on disk.
import { existsSync } from "node:fs";
import type { Daemon } from "./daemon.js";
import { requireTools, runOk } from "./exec.js";
import type { Impl } from "./impl.js";
import { dbNameOf, ovntsBin, type SchemaName, schemaPath } from "./paths.js";
import type { Sandbox } from "./sandbox.js";
import { waitUntil } from "./wait.js";

export interface DbServerOptions {
  impl: Impl;
  /** Names the files in the sandbox: NAME.sock, NAME.ctl, NAME.log, NAME-SCHEMA.db ... */
  name: string;
  schemas: SchemaName[];
  /** Extra --remote values ("ptcp:0:127.0.0.1", "db:..."); punix:NAME.sock is always there. */
  remotes?: string[];
  /** How long to wait for the server to answer (default 10 s). */
  readyTimeoutMs?: number;
}

export interface DbServer {
  impl: Impl;
  name: string;
  /** Path of the unix socket ... */
  sock: string;
  /** ... and the same as an OVSDB remote ("unix:/tmp/ovnts-x/nb.sock"). */
  remote: string;
  ctlPath: string;
  logPath: string;
  pidPath: string;
  /** Database file per schema served. */
  dbFiles: Partial<Record<SchemaName, string>>;
  /** Database names served (without _Server), in the order given. */
  dbNames: string[];
  daemon: Daemon;
  pid: number;
  /** SIGTERM (then SIGKILL); resolves once the process has gone. */
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  /** ovs-appctl against the server's unixctl socket. */
  appctl(...args: string[]): Promise<string>;
}

/** The program and leading arguments that run an implementation's ovsdb-server. */
export function serverCommand(impl: Impl): { cmd: string; pre: string[] } {
  if (impl === "c") return { cmd: "ovsdb-server", pre: [] };
  // Through the running node rather than the shebang: no dependence on PATH or the file's mode bits.
  return { cmd: process.execPath, pre: [ovntsBin(), "ovsdb-server"] };
}

/** The remote a client would use for a server's socket path ("unix:..."); remotes pass through. */
export function unixRemote(sockOrRemote: string): string {
  return /^(unix|tcp|ssl):/.test(sockOrRemote) ? sockOrRemote : `unix:${sockOrRemote}`;
}

export async function startDbServer(sb: Sandbox, opts: DbServerOptions): Promise<DbServer> {
  requireTools("ovsdb-tool", "ovsdb-client", ...(opts.impl === "c" ? ["ovsdb-server"] : []));
  if (opts.schemas.length === 0) throw new Error("startDbServer: no schema given");
  if (opts.impl === "ovnts" && !existsSync(ovntsBin()))
    throw new Error(`ovnts executable missing: ${ovntsBin()}`);

  const dbFiles: Partial<Record<SchemaName, string>> = {};
  for (const schema of opts.schemas) {
    const file = sb.path(`${opts.name}-${schema}.db`);
    // An existing file is served as it is: that is how a test restarts a server on what it wrote.
    if (!existsSync(file)) await runOk("ovsdb-tool", ["create", file, schemaPath(schema)], { env: sb.env });
    dbFiles[schema] = file;
  }

  const sock = sb.path(`${opts.name}.sock`);
  const ctlPath = sb.path(`${opts.name}.ctl`);
  const logPath = sb.path(`${opts.name}.log`);
  const pidPath = sb.path(`${opts.name}.pid`);
  const remotes = [`punix:${sock}`, ...(opts.remotes ?? [])];
  // As OVS's own start-up script does, so that a manager set in the database is honoured.
  if (opts.schemas.includes("vswitch")) remotes.push("db:Open_vSwitch,Open_vSwitch,manager_options");

  const { cmd, pre } = serverCommand(opts.impl);
  const args = [
    ...pre,
    ...remotes.map((r) => `--remote=${r}`),
    `--unixctl=${ctlPath}`,
    `--pidfile=${pidPath}`,
    `--log-file=${logPath}`,
    // Debugging knob: extra server flags, e.g. OVNTS_PEER_SERVER_ARGS=-vfile:dbg
    ...(process.env.OVNTS_PEER_SERVER_ARGS ?? "").split(" ").filter((a) => a !== ""),
    ...opts.schemas.map((s) => dbFiles[s] as string),
  ];
  const daemon = sb.spawn({ name: opts.name, cmd, args, logPath, ctlPath });

  const remote = unixRemote(sock);
  const dbNames = opts.schemas.map((s) => dbNameOf[s]);
  await waitUntil(
    async () => {
      if (!existsSync(sock)) return false;
      const listed = (
        await runOk("ovsdb-client", ["--timeout=5", "list-dbs", remote], { env: sb.env })
      ).split("\n");
      return dbNames.every((n) => listed.includes(n));
    },
    opts.readyTimeoutMs ?? 10_000,
    {
      what: `${opts.name} (${opts.impl}) to serve ${dbNames.join(", ")} on ${remote}`,
      unless: () => daemon.assertRunning(),
    },
  );

  if (opts.schemas.includes("ovn-nb")) sb.dbs.nb = remote;
  if (opts.schemas.includes("ovn-sb")) sb.dbs.sb = remote;
  if (opts.schemas.includes("vswitch")) sb.dbs.ovs = remote;

  return {
    impl: opts.impl,
    name: opts.name,
    sock,
    remote,
    ctlPath,
    logPath,
    pidPath,
    dbFiles,
    dbNames,
    daemon,
    pid: daemon.pid,
    stop: async () => {
      await daemon.stop();
    },
    kill: (signal) => daemon.kill(signal),
    appctl: (...args) => daemon.appctl(...args),
  };
}
