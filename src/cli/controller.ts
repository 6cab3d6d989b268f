// `ovnts controller`: the per-hypervisor agent, a drop-in for ovn-controller 23.03.
//   ovnts controller [unix:OVS_DB] [--log-file[=LOG]] [--pidfile[=PID]] [--unixctl=SOCK] [-v...]
// The local Open_vSwitch database defaults to unix:$OVS_RUNDIR/db.sock, like ovn-controller.
import { hostname } from "node:os";
import { join } from "node:path";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { logger } from "../base/log.js";
import { brIntPorts } from "../controller/agent/br-int-ports.js";
import type { SbConditionTracker } from "../controller/agent/sb-monitor.js";
import { settleCollector, tuneControllerHeap } from "../controller/heap.js";
import {
  cleanUpDaemon,
  DAEMON_OPTIONS,
  notifyReady,
  onTermination,
  registerVlogCommands,
} from "../daemon/daemon.js";
import { runDir } from "../daemon/paths.js";
import type { SslOptions } from "../jsonrpc/transport/ssl.js";
import type { connectIdl as ConnectIdl } from "../ovsdb/idl/connect.js";
import type { OvnSbTables } from "../ovsdb/idl/generated/ovn-sb.js";
import type { VswitchTables } from "../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../ovsdb/idl/idl.js";
import { UnixctlServer } from "../unixctl/server.js";
import { startDaemon } from "./daemon-command.js";
import { clientSslOptions, optValue, SSL_OPTIONS, SSL_USAGE } from "./options.js";
import { VERSION } from "./version.js";

const log = logger("controller");

const mib = (n: number): string => `${(n / 1048576).toFixed(1)}`;

/** RSS, V8 heap used/total, external and array buffers, in MiB. */
function memoryText(): string {
  const m = process.memoryUsage();
  return `rss ${mib(m.rss)} heap ${mib(m.heapUsed)}/${mib(m.heapTotal)} external ${mib(m.external)} buffers ${mib(m.arrayBuffers)} MiB`;
}

/** V8's heap spaces: used / committed (physical) MiB. */
function heapSpacesText(): string {
  return getHeapSpaceStatistics()
    .map((s) => `${s.space_name}: ${mib(s.space_used_size)} / ${mib(s.physical_space_size)} MiB\n`)
    .join("");
}

const OPTIONS = { ...DAEMON_OPTIONS, ...SSL_OPTIONS } as const;

const USAGE = `ovnts controller: OVN controller
usage: ovnts controller [OPTIONS] [OVS-DATABASE]
where OVS-DATABASE is a socket on which the OVS OVSDB server is listening
(default: unix:${join(runDir(false), "db.sock")})
  --log-file[=FILE] --pidfile[=FILE] --unixctl=SOCKET -v[SPEC]
${SSL_USAGE}`;

/** A Southbound IDL opened before the agent, with the tracker that asked its first conditions. */
interface EarlySouthbound {
  readonly remote: string;
  readonly idl: Idl<OvnSbTables>;
  readonly conds: SbConditionTracker;
  /** Where the tracker's acknowledgements go (the agent's schedule, once it exists). */
  onAcked(f: () => void): void;
}

/**
 * Once the local OVS replica is synced: connects to external_ids:ovn-remote and asks the conditions the
 * agent's first pass would ask (sb-monitor.ts sbConditions: this chassis's name, the iface-ids of
 * br-int's VIFs, no chassis row or local datapath yet), so that they go out with the first monitor
 * request, as the agent requires.  Loads only the Southbound model and the two small modules that make
 * conditions.  undefined when the configuration is not there yet, or when the replica synced only after
 * `wanted()` turned false: the agent then connects itself.
 */
async function earlySouthbound(
  ovs: Idl<VswitchTables>,
  connectIdl: typeof ConnectIdl,
  ssl: SslOptions | undefined,
  wanted: () => boolean,
): Promise<EarlySouthbound | undefined> {
  try {
    const [{ ovnSbModel }, { SB_MONITOR, SbConditionTracker, sbConditions }, { localConfig }] =
      await Promise.all([
        import("../ovsdb/idl/generated/ovn-sb.js"),
        import("../controller/agent/sb-monitor.js"),
        import("../controller/agent/config.js"),
        ovs.synced(),
      ]);
    const row = ovs.first("Open_vSwitch");
    if (row === undefined || !wanted()) return undefined;
    const cfg = localConfig(row.externalIds, ovs.rows("Bridge"));
    if (cfg.systemId === undefined || cfg.remote === undefined) return undefined;
    log.info(`connecting to Southbound database ${cfg.remote}`);
    // The agent's monitor spec (what the agent's own connection would ask for: sb-monitor.ts).
    const idl = connectIdl(ovnSbModel, cfg.remote, {
      monitor: SB_MONITOR,
      ...(ssl !== undefined && { ssl }),
    });
    let acked = (): void => undefined;
    const conds = new SbConditionTracker(idl, () => acked());
    conds.apply(
      sbConditions({
        monitorAll: cfg.monitorAll,
        chassisName: cfg.monitorAll ? "" : cfg.systemId,
        chassisUuid: undefined,
        ifaceIds: cfg.monitorAll ? [] : [...brIntPorts(ovs, cfg.bridge).vifPorts.keys()],
        localDatapaths: [],
        dpGroups: [],
      }),
    );
    return {
      remote: cfg.remote,
      idl,
      conds,
      onAcked: (f) => {
        acked = f;
      },
    };
  } catch {
    return undefined; // the OVS IDL stopped: the agent reports what it sees
  }
}

/** Runs lflow/warm-up.ts's parts, one per turn of the event loop. */
async function warmUpCompiler(): Promise<void> {
  const { warmUpSteps } = await import("../controller/lflow/warm-up.js");
  const started = performance.now();
  let flows = 0;
  for (const step of warmUpSteps()) {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      flows += step();
    } catch (e) {
      log.warn(`compiler warm-up failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
  }
  log.dbg(`compiler warmed up: ${flows} flows in ${Math.round(performance.now() - started)} ms`);
}

export async function run(argv: string[]): Promise<number | undefined> {
  const started = await startDaemon("ovn-controller", argv, OPTIONS, USAGE, true);
  if (typeof started === "number") return started;
  const { opts, files } = started;
  tuneControllerHeap(process.env);
  const ovsRemote = opts.positional[0] ?? `unix:${join(runDir(false), "db.sock")}`;
  const ssl = clientSslOptions(opts);
  const collect = settleCollector(process.env);
  const afterStartup = (): void => {
    const before = memoryText();
    collect?.();
    log.info(
      `start-up settled: memory ${before}${collect !== undefined ? `; after a full collection ${memoryText()}` : ""}`,
    );
  };
  // The local OVS database's handshake (four round trips) goes on while the agent's modules -- most of
  // the ~200 the controller loads: the flow compiler, pinctrl, OpenFlow -- are loaded and compiled.
  const [{ connectIdl }, { vswitchModel }, { OVS_MONITOR }] = await Promise.all([
    import("../ovsdb/idl/connect.js"),
    import("../ovsdb/idl/generated/vswitch.js"),
    import("../controller/agent/ovs-monitor.js"),
  ]);
  const ovs = connectIdl(vswitchModel, ovsRemote, { monitor: OVS_MONITOR });
  // The Southbound connection and its first monitor request go out as soon as the local database says
  // where it is, so that the server builds its first reply while the agent's modules load.
  let wanted = true;
  const early = earlySouthbound(ovs, connectIdl, ssl, () => wanted);
  const [{ ControllerAgent }, { controllerCommands }] = await Promise.all([
    import("../controller/agent/agent.js"),
    import("../controller/agent/appctl.js"),
  ]);
  // A replica synced by now has its connection made or about to be (its modules are the agent's
  // too); one still syncing (the database is slow or down) is not waited for: the agent connects.
  wanted = ovs.isSynced;
  const sb = wanted ? await early : undefined;
  const agent = new ControllerAgent({
    ovsRemote,
    ovs,
    ovsRundir: runDir(false),
    hostname: hostname(),
    now: () => Date.now(),
    ...(ssl !== undefined && { ssl }),
    ...(sb !== undefined && { sb }),
    afterStartup,
  });
  // The early tracker's condition acknowledgements schedule the agent's passes from now on (one that
  // came before is seen by the agent's first pass, which reads the replica as it is).
  sb?.onAcked(() => agent.schedule());
  // The flow compiler's first run, on a small corpus, while the Southbound server prepares its first
  // answers (lflow/warm-up.ts); a part per event-loop turn, so that replies are read between them.
  if (process.env.OVNTS_WARM_UP !== "off") void warmUpCompiler();
  const unixctlPath = optValue(opts, "unixctl") ?? join(runDir(true), `ovn-controller.${process.pid}.ctl`);
  const unixctl = await UnixctlServer.listen(unixctlPath, { version: `ovn-controller (ovnts) ${VERSION}` });
  const shutdown = async (): Promise<void> => {
    agent.stop();
    await unixctl.close();
    cleanUpDaemon(files);
  };
  registerVlogCommands(unixctl);
  // ovn-controller 23.03: `exit` unregisters the chassis first (Chassis, Chassis_Private, its Encaps,
  // the ports bound here released, tunnels removed: agent/southbound.ts unregisterChassis); `exit
  // --restart` leaves everything for the next run.  (SIGTERM does no clean-up, as in C.)
  // (Listed with an empty usage, as ovn-controller lists it.)
  unixctl.register("exit", "", 0, 1, (args) => {
    const restart = args[0] === "--restart";
    setImmediate(async () => {
      try {
        await agent.halt();
        const sbIdl = agent.sb;
        if (!restart && sbIdl !== undefined) {
          const [{ localConfig }, { unregisterChassis }] = await Promise.all([
            import("../controller/agent/config.js"),
            import("../controller/agent/southbound.js"),
          ]);
          const cfg = localConfig(ovs.first("Open_vSwitch")?.externalIds ?? new Map(), ovs.rows("Bridge"));
          if (cfg.systemId !== undefined) await unregisterChassis(sbIdl, ovs, cfg.systemId, cfg.bridge);
        }
      } catch (e) {
        log.warn(`exit: ${e instanceof Error ? e.message : String(e)}`);
      }
      void shutdown().finally(() => process.exit(0));
    });
    return undefined;
  });
  // ovn-controller(8)'s runtime commands (ct-zone-list, recompute, debug/delay-nb-cfg-report, …).
  for (const c of controllerCommands(agent.introspection()))
    unixctl.register(c.name, c.usage, c.min, c.max, c.handler);
  unixctl.register("inject-pkt", "MICROFLOW", 1, 1, async ([microflow]) => {
    await agent.inject(microflow ?? "");
    return undefined;
  });
  // ovnts's own: what became of every packet-in (handled by kind, dropped by reason, rate-limited).
  // IGMP/MLD snooping's own counters (what became of each report or query) merged in; the keys differ.
  unixctl.register("debug/dump-pinctrl-counters", "", 0, 0, () =>
    [...new Map([...agent.pinctrl.counters(), ...agent.igmp.counters()])]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}: ${v}\n`)
      .join(""),
  );
  // ovnts's own: how many rows of each Southbound table this chassis replicates (or of TABLE), which
  // shows what conditional monitoring (external_ids:ovn-monitor-all) leaves out.
  unixctl.register("debug/sb-rows", "[TABLE]", 0, 1, (args) => {
    const sb = agent.sb;
    if (sb === undefined) return "not connected\n";
    const tables = [...sb.model.tables.keys()].filter((t) => args[0] === undefined || t === args[0]);
    if (tables.length === 0) throw new Error(`unknown table ${args[0]}`);
    return tables.map((t) => `${t}: ${sb.count(t as never)}\n`).join("");
  });
  // ovnts's own: the process's memory by kind and V8's heap spaces.
  unixctl.register("debug/memory", "", 0, 0, () => `${memoryText()}\n${heapSpacesText()}`);
  // ovnts's own: a V8 heap snapshot of this process into FILE (what the memory is made of).
  unixctl.register("debug/heap-snapshot", "FILE", 1, 1, ([file]) => `${writeHeapSnapshot(file)}\n`);
  onTermination(shutdown);
  // performance.now() counts from the process's start: how long loading the modules took.
  log.info(
    `ovnts controller ${VERSION}: OVS database ${ovsRemote} (${Math.round(performance.now())} ms after start)`,
  );
  notifyReady();
  return await new Promise<number>(() => undefined);
}
