// The real ovs-vswitchd in a sandbox, and ovs-vsctl against the sandbox's Open_vSwitch database.
import type { Daemon } from "./daemon.js";
import { unixRemote } from "./dbserver.js";
import { requireTools, runOk } from "./exec.js";
import type { Sandbox } from "./sandbox.js";
import { waitUntil } from "./wait.js";

/**
 * How the datapath is faked:
 * - 'override': every port type becomes a netdev-dummy port (OVN's test suite; packets via
 *   netdev-dummy/receive and options:tx_pcap);
 * - 'system': only "system" ports become dummies (OVS's test suite);
 * - 'none': the real userspace (netdev) datapath, for traffic between network namespaces.
 * The kernel datapath is always disabled: a sandboxed vswitchd must never adopt or delete the host's.
 */
export type DummyMode = "override" | "system" | "none";

export interface VswitchdOptions {
  /** Socket path (or unix: remote) of the server holding the Open_vSwitch database. */
  dbSock: string;
  dummy: DummyMode;
  /** Run inside this network namespace, so its tap devices and ports never meet the host's. */
  netns?: string;
  /** Daemon name in the sandbox (default "vswitchd"). */
  name?: string;
  readyTimeoutMs?: number;
}

export interface Vswitchd {
  daemon: Daemon;
  pid: number;
  ctlPath: string;
  logPath: string;
  /** The database it serves from, as a remote. */
  db: string;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  appctl(...args: string[]): Promise<string>;
}

/** ovs-vsctl against a given database remote; returns stdout, throws with stderr on failure. */
export function vsctlAt(sb: Sandbox, db: string, ...args: string[]): Promise<string> {
  return runOk("ovs-vsctl", [`--db=${db}`, "--timeout=10", ...args], { env: sb.env, timeoutMs: 20_000 });
}

/** ovs-vsctl against the sandbox's Open_vSwitch database. */
export function vsctl(sb: Sandbox, ...args: string[]): Promise<string> {
  if (sb.dbs.ovs === undefined) throw new Error("vsctl: no Open_vSwitch database started in this sandbox");
  return vsctlAt(sb, sb.dbs.ovs, ...args);
}

/** ovs-ofctl in the sandbox (a bridge name resolves to RUNDIR/BRIDGE.mgmt); returns stdout. */
export function ofctl(sb: Sandbox, ...args: string[]): Promise<string> {
  return runOk("ovs-ofctl", args, { env: sb.env, timeoutMs: 15_000 });
}

/** `ovs-vsctl --no-wait init`: creates the Open_vSwitch root row if it is missing (idempotent). */
export async function initOvsDb(sb: Sandbox, db: string): Promise<void> {
  await vsctlAt(sb, db, "--no-wait", "init");
}

function dummyFlags(mode: DummyMode): string[] {
  switch (mode) {
    case "override":
      return ["--enable-dummy=override", "--disable-system", "--disable-system-route"];
    case "system":
      return ["--enable-dummy=system", "--disable-system", "--disable-system-route"];
    case "none":
      return ["--disable-system"];
  }
}

export async function startVswitchd(sb: Sandbox, opts: VswitchdOptions): Promise<Vswitchd> {
  requireTools("ovs-vswitchd", "ovs-vsctl", "ovs-appctl", ...(opts.netns !== undefined ? ["ip"] : []));
  const db = unixRemote(opts.dbSock);
  await initOvsDb(sb, db);
  const name = opts.name ?? "vswitchd";
  const ctlPath = sb.path(`${name}.ctl`);
  const logPath = sb.path(`${name}.log`);
  const daemon = sb.spawn({
    name,
    cmd: "ovs-vswitchd",
    args: [
      ...dummyFlags(opts.dummy),
      `--pidfile=${sb.path(`${name}.pid`)}`,
      `--log-file=${logPath}`,
      `--unixctl=${ctlPath}`,
      db,
    ],
    logPath,
    ctlPath,
    ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
  });
  // Ready when it answers on unixctl and has written what it supports into the database, i.e. it has
  // connected to the server and completed a reconfiguration.
  await waitUntil(
    async () => {
      await daemon.appctl("version");
      const types = await vsctlAt(sb, db, "--no-wait", "get", "Open_vSwitch", ".", "datapath_types");
      return types.trim() !== "[]";
    },
    opts.readyTimeoutMs ?? 15_000,
    { what: `${name} to connect to ${db}`, unless: () => daemon.assertRunning() },
  );
  return {
    daemon,
    pid: daemon.pid,
    ctlPath,
    logPath,
    db,
    stop: async () => {
      await daemon.stop();
    },
    kill: (signal) => daemon.kill(signal),
    appctl: (...args) => daemon.appctl(...args),
  };
}
