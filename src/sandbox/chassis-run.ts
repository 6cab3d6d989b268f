// `ovnts chassis` at run time: a private Open_vSwitch database (ovnts ovsdb-server), the real
// ovs-vswitchd, and `ovnts controller`, each a child process, started in that order and stopped in the
// reverse one.  With --underlay, the interface that carries the tunnels is moved into an OVS bridge
// (the userspace datapath can send encapsulated packets only through a bridge port) and given back on
// stop.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { schemaFile } from "../base/schemas.js";
import {
  type ChassisConfig,
  controllerExternalIds,
  UNDERLAY_BRIDGE,
  vswitchdFlags,
} from "./chassis-config.js";
import { ipIn, ipv4Addresses, listNetns, requireHostTools, runCmd, runOk } from "./host.js";
import { Child, ovntsCommand, pollUntil } from "./procs.js";

export interface RunningChassis {
  readonly config: ChassisConfig;
  /** unix: remote of the local Open_vSwitch database. */
  readonly ovsDb: string;
  readonly children: { db: Child; readonly vswitchd: Child; controller: Child };
  /** Stops the Open_vSwitch database server and starts it again on the same file. */
  restartDatabase(): Promise<void>;
  /** Stops the controller and starts it again (same flags). */
  restartController(): Promise<void>;
  stop(): Promise<void>;
}

export type Progress = (line: string) => void;

export async function startChassis(c: ChassisConfig, progress: Progress): Promise<RunningChassis> {
  requireHostTools([
    "ovs-vswitchd",
    "ovs-vsctl",
    ...(c.netns !== undefined || c.underlay !== undefined ? ["ip"] : []),
  ]);
  if (c.netns !== undefined && !(await listNetns()).includes(c.netns))
    throw new Error(`network namespace '${c.netns}' does not exist (ip netns add ${c.netns})`);
  mkdirSync(c.runDir, { recursive: true });
  mkdirSync(c.dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OVS_RUNDIR: c.runDir,
    OVN_RUNDIR: c.runDir,
    OVS_LOGDIR: c.dataDir,
    OVN_LOGDIR: c.dataDir,
    OVS_DBDIR: c.dataDir,
    OVN_DBDIR: c.dataDir,
  };
  const sock = join(c.runDir, "db.sock");
  const ovsDb = `unix:${sock}`;
  const vsctl = (...args: string[]): Promise<string> =>
    runOk("ovs-vsctl", [`--db=${ovsDb}`, "--timeout=10", ...args], { env });
  const started: Child[] = [];
  const stopStarted = async (): Promise<void> => {
    for (const ch of [...started].reverse()) await ch.stop();
  };
  const spawnOvnts = (name: string, sub: string, args: string[], netns?: string): Child => {
    const cmd = ovntsCommand(sub, args);
    const ch = new Child({
      name,
      ...cmd,
      env,
      logPath: join(c.dataDir, `${name}.out`),
      ...(netns !== undefined ? { netns } : {}),
    });
    started.push(ch);
    return ch;
  };
  let underlayAddrs: string[] = [];
  let stopping = false;
  try {
    const dbFile = join(c.dataDir, "conf.db");
    if (!existsSync(dbFile)) {
      const mk = ovntsCommand("ovsdb-tool", ["create", dbFile, schemaFile("vswitch")]);
      await runOk(mk.cmd, mk.args, { env });
    }
    const startDb = async (): Promise<Child> => {
      const db = spawnOvnts("ovsdb-server", "ovsdb-server", [
        `--remote=punix:${sock}`,
        `--unixctl=${join(c.runDir, "ovsdb-server.ctl")}`,
        `--log-file=${join(c.dataDir, "ovsdb-server.log")}`,
        dbFile,
      ]);
      await pollUntil(
        async () =>
          (await runCmd("ovs-vsctl", [`--db=${ovsDb}`, "--no-wait", "--timeout=2", "init"], { env })).code ===
          0,
        15_000,
        "the Open_vSwitch database",
        100,
        () => db.exitReason(),
      );
      return db;
    };
    const db = await startDb();
    progress(`  database        ${ovsDb} (ovnts ovsdb-server, pid ${db.pid})`);
    await vsctl(
      "--no-wait",
      "set",
      "Open_vSwitch",
      ".",
      ...controllerExternalIds(c).map(([k, v]) => `external_ids:${k}=${JSON.stringify(v)}`),
    );

    const vswitchd = new Child({
      name: "ovs-vswitchd",
      cmd: "ovs-vswitchd",
      args: [
        ...vswitchdFlags(c),
        `--unixctl=${join(c.runDir, "ovs-vswitchd.ctl")}`,
        `--log-file=${join(c.dataDir, "ovs-vswitchd.log")}`,
        ovsDb,
      ],
      env,
      logPath: join(c.dataDir, "ovs-vswitchd.out"),
      ...(c.netns !== undefined ? { netns: c.netns } : {}),
    });
    started.push(vswitchd);
    // Up once it has written what it supports into the database, i.e. completed a reconfiguration.
    await pollUntil(
      async () => (await vsctl("--no-wait", "get", "Open_vSwitch", ".", "datapath_types")).trim() !== "[]",
      15_000,
      "ovs-vswitchd to connect",
      100,
      () => vswitchd.exitReason(),
    );
    progress(
      `  ovs-vswitchd    ${c.datapath} datapath${c.netns !== undefined ? ` in netns ${c.netns}` : ""} (pid ${vswitchd.pid})`,
    );

    if (c.underlay !== undefined) {
      underlayAddrs = await ipv4Addresses(c.netns, c.underlay);
      await vsctl(
        "--may-exist",
        "add-br",
        UNDERLAY_BRIDGE,
        "--",
        "set",
        "Bridge",
        UNDERLAY_BRIDGE,
        "datapath_type=netdev",
        "--",
        "--may-exist",
        "add-port",
        UNDERLAY_BRIDGE,
        c.underlay,
      );
      await ipIn(c.netns, "addr", "flush", "dev", c.underlay);
      for (const a of underlayAddrs) await ipIn(c.netns, "addr", "add", a, "dev", UNDERLAY_BRIDGE);
      await ipIn(c.netns, "link", "set", UNDERLAY_BRIDGE, "up");
      progress(
        `  underlay        ${c.underlay} in bridge ${UNDERLAY_BRIDGE} (${underlayAddrs.join(", ") || "no address"})`,
      );
    }

    const controllerArgs = [
      `--unixctl=${join(c.runDir, "ovn-controller.ctl")}`,
      `--log-file=${join(c.dataDir, "ovn-controller.log")}`,
      ovsDb,
    ];
    // A controller that dies is started again, like ovn-ctl's --monitor: the chassis stays usable and
    // the crash is in the log (ovn-controller.out keeps the stack).
    const startController = (): Child => {
      const ch = spawnOvnts("ovn-controller", "controller", controllerArgs, c.netns);
      void ch.exited.then((code) => {
        if (stopping || replaced.has(ch)) return;
        progress(`  controller exited (${code}); restarting it\n${ch.tail(5)}`);
        started.splice(started.indexOf(ch), 1);
        setTimeout(() => {
          if (!stopping) children.controller = startController();
        }, 500);
      });
      return ch;
    };
    const replaced = new WeakSet<Child>();
    const children: RunningChassis["children"] = { db, vswitchd, controller: startController() };
    // The controller makes br-int once it has read its configuration.
    await pollUntil(
      async () => (await runCmd("ovs-vsctl", [`--db=${ovsDb}`, "br-exists", "br-int"], { env })).code === 0,
      20_000,
      "ovnts controller to create br-int",
    );
    progress(
      `  controller      chassis ${c.systemId} → ${c.ovnRemote}, ${c.encapType} ${c.encapIp} (pid ${children.controller.pid})`,
    );
    return {
      config: c,
      ovsDb,
      children,
      restartDatabase: async () => {
        const old = children.db;
        const at = started.indexOf(old);
        await old.stop();
        children.db = await startDb();
        // Keep the stop order: the database goes last.
        started.splice(started.indexOf(children.db), 1);
        started.splice(at, 1, children.db);
      },
      restartController: async () => {
        const old = children.controller;
        replaced.add(old);
        await old.stop();
        started.splice(started.indexOf(old), 1);
        children.controller = startController();
      },
      stop: async () => {
        stopping = true;
        await stopStarted();
        await restoreUnderlay(c, underlayAddrs);
      },
    };
  } catch (e) {
    stopping = true;
    await stopStarted();
    await restoreUnderlay(c, underlayAddrs);
    throw e;
  }
}

/** Gives the underlay interface its addresses back (the bridge's tap vanished with ovs-vswitchd). */
async function restoreUnderlay(c: ChassisConfig, addrs: readonly string[]): Promise<void> {
  if (c.underlay === undefined) return;
  for (const a of addrs)
    await runCmd("ip", [
      ...(c.netns !== undefined ? ["-n", c.netns] : []),
      "addr",
      "replace",
      a,
      "dev",
      c.underlay,
    ]);
}
