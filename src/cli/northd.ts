// `ovnts northd`: a drop-in for ovn-northd 23.03.
//   ovnts northd [--ovnnb-db=REMOTE] [--ovnsb-db=REMOTE] [--log-file[=LOG]] [--pidfile[=PID]]
//                [--unixctl=SOCK] [-v...] [--recompute-check]
// Defaults like C: unix:$OVN_RUNDIR/ovnnb_db.sock and ovnsb_db.sock (or $OVN_NB_DB / $OVN_SB_DB).
import { join } from "node:path";
import { logger } from "../base/log.js";
import {
  cleanUpDaemon,
  DAEMON_OPTIONS,
  notifyReady,
  onTermination,
  registerVlogCommands,
} from "../daemon/daemon.js";
import { runDir } from "../daemon/paths.js";
import { allBuilders } from "../northd/builders.js";
import { NorthdDaemon } from "../northd/daemon.js";
import { randomDefaults } from "../northd/defaults.js";
import { sbMonitorSpec } from "../northd/sync/sb-flows.js";
import { connectIdl } from "../ovsdb/idl/connect.js";
import { ovnNbModel } from "../ovsdb/idl/generated/ovn-nb.js";
import { ovnSbModel } from "../ovsdb/idl/generated/ovn-sb.js";
import { UnixctlError } from "../unixctl/commands.js";
import { UnixctlServer } from "../unixctl/server.js";
import { startDaemon } from "./daemon-command.js";
import { clientSslOptions, has, optValue, SSL_OPTIONS, SSL_USAGE } from "./options.js";
import { VERSION } from "./version.js";

const log = logger("northd");

const OPTIONS = {
  ...DAEMON_OPTIONS,
  "ovnnb-db": { arg: "required" },
  "ovnsb-db": { arg: "required" },
  "recompute-check": {},
  "n-threads": { arg: "required" },
  "dry-run": {},
  ...SSL_OPTIONS,
} as const;

const USAGE = `ovnts northd: OVN northbound management daemon
usage: ovnts northd [OPTIONS]
  --ovnnb-db=DATABASE   connect to ovn-nb database at DATABASE (default: unix:${join(runDir(true), "ovnnb_db.sock")})
  --ovnsb-db=DATABASE   connect to ovn-sb database at DATABASE (default: unix:${join(runDir(true), "ovnsb_db.sock")})
  --recompute-check     after every incremental run, recompute fully and abort on any difference
  --log-file[=FILE] --pidfile[=FILE] --unixctl=SOCKET -v[SPEC]
${SSL_USAGE}`;

export async function run(argv: string[]): Promise<number | undefined> {
  const started = await startDaemon("ovn-northd", argv, OPTIONS, USAGE, true);
  if (typeof started === "number") return started;
  const { opts, files } = started;

  const nbRemote =
    optValue(opts, "ovnnb-db") ?? process.env.OVN_NB_DB ?? `unix:${join(runDir(true), "ovnnb_db.sock")}`;
  const sbRemote =
    optValue(opts, "ovnsb-db") ?? process.env.OVN_SB_DB ?? `unix:${join(runDir(true), "ovnsb_db.sock")}`;
  const ssl = clientSslOptions(opts);
  const idlOpts = ssl !== undefined ? { ssl } : {};
  const nb = connectIdl(ovnNbModel, nbRemote, idlOpts);
  // Logical_Flow is not replicated: northd writes it and reads it once (sync/sb-flows.ts).
  const sb = connectIdl(ovnSbModel, sbRemote, { ...idlOpts, monitor: sbMonitorSpec() });
  const daemon = new NorthdDaemon(nb, sb, {
    builders: allBuilders(),
    defaults: randomDefaults(),
    check: has(opts, "recompute-check") || process.env.OVNTS_NORTHD_CHECK === "1",
    now: () => Date.now(),
  });

  const unixctlPath = optValue(opts, "unixctl") ?? join(runDir(true), `ovn-northd.${process.pid}.ctl`);
  const unixctl = await UnixctlServer.listen(unixctlPath, { version: `ovn-northd (ovnts) ${VERSION}` });
  const shutdown = async (): Promise<void> => {
    daemon.stop();
    nb.stop();
    sb.stop();
    await unixctl.close();
    cleanUpDaemon(files);
  };
  registerVlogCommands(unixctl);
  registerNorthdCommands(unixctl, daemon, threadCount(optValue(opts, "n-threads")), () => {
    void shutdown().finally(() => process.exit(0));
  });
  onTermination(shutdown);
  log.info(`ovnts northd ${VERSION}: OVNNB ${nbRemote}, OVNSB ${sbRemote}`);
  notifyReady();
  return await new Promise<number>(() => undefined);
}

/** ovn-northd's limit for parallel-build/set-n-threads. */
const MAX_THREADS = 256;

/** --n-threads as ovn-northd reads it: a number, below 1 taken as 1, above the limit as the limit. */
function threadCount(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number.parseInt(text, 10);
  return Number.isNaN(n) || n < 1 ? 1 : Math.min(n, MAX_THREADS);
}

function registerNorthdCommands(
  unixctl: UnixctlServer,
  d: NorthdDaemon,
  nThreads: number,
  exit: () => void,
): void {
  const threads = { n: nThreads };
  unixctl.register("exit", "", 0, 0, () => {
    setImmediate(exit);
    return undefined;
  });
  unixctl.register("pause", "", 0, 0, () => {
    d.pause();
    return undefined;
  });
  unixctl.register("resume", "", 0, 0, () => {
    d.resume();
    return undefined;
  });
  unixctl.register("memory/show", "", 0, 0, () => {
    const m = process.memoryUsage();
    const flows = d.core.flowCount;
    return `flows:${flows} heap-used-kB:${Math.round(m.heapUsed / 1024)} heap-total-kB:${Math.round(m.heapTotal / 1024)} rss-kB:${Math.round(m.rss / 1024)}\n`;
  });
  unixctl.register("is-paused", "", 0, 0, () => `${d.isPaused}\n`);
  unixctl.register("debug/chassis-features-list", "", 0, 0, () => d.featuresList());
  // ovnts northd is one standalone thread and its IDLs keep no cluster index: the cluster resets have
  // nothing to reset, and the thread count is only remembered (ovn-northd's range and error text).
  unixctl.register("sb-cluster-state-reset", "", 0, 0, () => undefined);
  unixctl.register("nb-cluster-state-reset", "", 0, 0, () => undefined);
  unixctl.register("parallel-build/set-n-threads", "N_THREADS", 1, 1, (args) => {
    const n = Number.parseInt(args[0] ?? "", 10) || 0;
    if (n < 1 || n > MAX_THREADS) throw new UnixctlError(`invalid n_threads: ${n}\n`);
    threads.n = n;
    return undefined;
  });
  unixctl.register("parallel-build/get-n-threads", "", 0, 0, () => `${threads.n}\n`);
  unixctl.register("inc-engine/compute-log-timeout", "", 1, 1, (args) => {
    if (!/^\d+$/.test(args[0] ?? "")) throw new UnixctlError("unsigned integer required");
    return undefined;
  });
  unixctl.register("status", "", 0, 0, () => `Status: ${d.status}\n`);
  unixctl.register("inc-engine/recompute", "", 0, 0, () => {
    d.recompute();
    return undefined;
  });
  unixctl.register("inc-engine/show-stats", "[NODE [STAT]]", 0, 2, (args) => d.showStats(args[0], args[1]));
  unixctl.register("inc-engine/clear-stats", "", 0, 0, () => {
    d.clearStats();
    return undefined;
  });
  unixctl.register("sb-connection-status", "", 0, 0, () =>
    d.sb.isConnected ? "connected\n" : "not connected\n",
  );
  unixctl.register("nb-connection-status", "", 0, 0, () =>
    d.nb.isConnected ? "connected\n" : "not connected\n",
  );
}
