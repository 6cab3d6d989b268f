// The real OVN daemons in a sandbox (ovn-northd, ovn-controller) and the real OVN CLIs against the
// sandbox's databases.
import type { Daemon } from "./daemon.js";
import { serverCommand, unixRemote } from "./dbserver.js";
import { requireTools, runOk } from "./exec.js";
import type { Impl } from "./impl.js";
import type { Sandbox } from "./sandbox.js";
import { initOvsDb, vsctlAt } from "./vswitchd.js";
import { waitUntil } from "./wait.js";

export interface OvnDaemon {
  daemon: Daemon;
  pid: number;
  ctlPath: string;
  logPath: string;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  appctl(...args: string[]): Promise<string>;
}

function handle(daemon: Daemon, ctlPath: string, logPath: string): OvnDaemon {
  return {
    daemon,
    pid: daemon.pid,
    ctlPath,
    logPath,
    stop: async () => {
      await daemon.stop();
    },
    kill: (signal) => daemon.kill(signal),
    appctl: (...args) => daemon.appctl(...args),
  };
}

/** ovn-nbctl against the sandbox's Northbound database; returns stdout, throws with stderr on failure. */
export function nbctl(sb: Sandbox, ...args: string[]): Promise<string> {
  if (sb.dbs.nb === undefined) throw new Error("nbctl: no OVN_Northbound database started in this sandbox");
  return runOk("ovn-nbctl", [`--db=${sb.dbs.nb}`, "--timeout=20", ...args], {
    env: sb.env,
    timeoutMs: 30_000,
  });
}

/** ovn-sbctl against the sandbox's Southbound database. */
export function sbctl(sb: Sandbox, ...args: string[]): Promise<string> {
  if (sb.dbs.sb === undefined) throw new Error("sbctl: no OVN_Southbound database started in this sandbox");
  return runOk("ovn-sbctl", [`--db=${sb.dbs.sb}`, "--timeout=20", ...args], {
    env: sb.env,
    timeoutMs: 30_000,
  });
}

export interface NorthdOptions {
  /** Northbound and Southbound socket paths (or remotes); default: the sandbox's. */
  nb?: string;
  sb?: string;
  name?: string;
  readyTimeoutMs?: number;
  /** Which northd: the real ovn-northd ("c", default) or `bin/ovnts northd`. */
  impl?: Impl;
}

/** The program and leading arguments that run an implementation's OVN daemon ("northd", "controller"). */
export function ovnDaemonCommand(impl: Impl, which: "northd" | "controller"): { cmd: string; pre: string[] } {
  if (impl === "c") return { cmd: `ovn-${which}`, pre: [] };
  const { cmd, pre } = serverCommand("ovnts");
  return { cmd, pre: [...pre.slice(0, -1), which] };
}

export async function startNorthd(box: Sandbox, opts: NorthdOptions = {}): Promise<OvnDaemon> {
  const impl = opts.impl ?? "c";
  requireTools("ovs-appctl", ...(impl === "c" ? ["ovn-northd"] : []));
  const prog = ovnDaemonCommand(impl, "northd");
  const nb = opts.nb !== undefined ? unixRemote(opts.nb) : box.dbs.nb;
  const sb = opts.sb !== undefined ? unixRemote(opts.sb) : box.dbs.sb;
  if (nb === undefined || sb === undefined) throw new Error("startNorthd: NB and SB databases needed");
  const name = opts.name ?? "northd";
  const ctlPath = box.path(`${name}.ctl`);
  const logPath = box.path(`${name}.log`);
  const daemon = box.spawn({
    name,
    cmd: prog.cmd,
    args: [
      ...prog.pre,
      `--ovnnb-db=${nb}`,
      `--ovnsb-db=${sb}`,
      `--pidfile=${box.path(`${name}.pid`)}`,
      `--log-file=${logPath}`,
      `--unixctl=${ctlPath}`,
    ],
    logPath,
    ctlPath,
  });
  // "active" means it holds the ovn_northd lock on the SB and will translate.
  await waitUntil(
    async () => (await daemon.appctl("status")).includes("Status: active"),
    opts.readyTimeoutMs ?? 10_000,
    {
      what: `${name} to become active`,
      unless: () => daemon.assertRunning(),
    },
  );
  return handle(daemon, ctlPath, logPath);
}

export interface ControllerOptions {
  /** Socket path (or remote) of the local Open_vSwitch database. */
  ovsDb: string;
  /** Southbound remote for external_ids:ovn-remote; default the sandbox's. */
  sbDb?: string;
  /** Chassis name (external_ids:system-id), default "hv1". */
  systemId?: string;
  /** More Open_vSwitch external_ids, e.g. { "ovn-bridge-datapath-type": "netdev" }. */
  externalIds?: Record<string, string>;
  name?: string;
  readyTimeoutMs?: number;
  /** Which controller: the real ovn-controller ("c", default) or `bin/ovnts controller`. */
  impl?: Impl;
}

export interface Controller extends OvnDaemon {
  systemId: string;
}

export async function startController(box: Sandbox, opts: ControllerOptions): Promise<Controller> {
  const impl = opts.impl ?? "c";
  requireTools("ovn-sbctl", "ovs-vsctl", "ovs-appctl", ...(impl === "c" ? ["ovn-controller"] : []));
  const prog = ovnDaemonCommand(impl, "controller");
  const ovsDb = unixRemote(opts.ovsDb);
  const sbDb = opts.sbDb !== undefined ? unixRemote(opts.sbDb) : box.dbs.sb;
  if (sbDb === undefined) throw new Error("startController: no Southbound database");
  const systemId = opts.systemId ?? "hv1";
  const ids: Record<string, string> = {
    "system-id": systemId,
    "ovn-remote": sbDb,
    "ovn-encap-type": "geneve",
    "ovn-encap-ip": "127.0.0.1",
    ...opts.externalIds,
  };
  await initOvsDb(box, ovsDb);
  await vsctlAt(
    box,
    ovsDb,
    "--no-wait",
    "set",
    "Open_vSwitch",
    ".",
    ...Object.entries(ids).map(([k, v]) => `external_ids:${k}=${JSON.stringify(v)}`),
  );
  const name = opts.name ?? "controller";
  const logPath = box.path(`${name}.log`);
  // ovn-controller 23.03 advertises --unixctl but rejects it; its socket is RUNDIR/ovn-controller.PID.ctl.
  const daemon = box.spawn({
    name,
    cmd: prog.cmd,
    args: [
      ...prog.pre,
      `--pidfile=${box.path(`${name}.pid`)}`,
      `--log-file=${logPath}`,
      ...(impl === "ovnts" ? [`--unixctl=${box.path(`${name}.ctl`)}`] : []),
      ovsDb,
    ],
    logPath,
  });
  const ctlPath = impl === "ovnts" ? box.path(`${name}.ctl`) : box.path(`ovn-controller.${daemon.pid}.ctl`);
  daemon.ctlPath = ctlPath;
  // Registered: its Chassis row is in the Southbound database.
  await waitUntil(
    async () => {
      const out = await runOk(
        "ovn-sbctl",
        [`--db=${sbDb}`, "--bare", "--columns=name", "find", "Chassis", `name=${systemId}`],
        {
          env: box.env,
          timeoutMs: 10_000,
        },
      );
      return out.trim() === systemId;
    },
    opts.readyTimeoutMs ?? 15_000,
    { what: `${name} to register chassis ${systemId}`, unless: () => daemon.assertRunning() },
  );
  return { ...handle(daemon, ctlPath, logPath), systemId };
}
