// `ovnts controller`: the per-hypervisor agent, a drop-in for ovn-controller 23.03.
//   ovnts controller [unix:OVS_DB] [--log-file[=LOG]] [--pidfile[=PID]] [--unixctl=SOCK] [-v...]
// The local Open_vSwitch database defaults to unix:$OVS_RUNDIR/db.sock, like ovn-controller.
import { hostname } from "node:os";
import { join } from "node:path";
import { logger } from "../base/log.js";
import { ControllerAgent } from "../controller/agent/agent.js";
import { controllerCommands } from "../controller/agent/appctl.js";
import { tuneControllerHeap } from "../controller/heap.js";
import {
  cleanUpDaemon,
  DAEMON_OPTIONS,
  notifyReady,
  onTermination,
  registerVlogCommands,
} from "../daemon/daemon.js";
import { runDir } from "../daemon/paths.js";
import { UnixctlServer } from "../unixctl/server.js";
import { startDaemon } from "./daemon-command.js";
import { clientSslOptions, optValue, SSL_OPTIONS, SSL_USAGE } from "./options.js";
import { VERSION } from "./version.js";

const log = logger("controller");

const OPTIONS = { ...DAEMON_OPTIONS, ...SSL_OPTIONS } as const;

const USAGE = `ovnts controller: OVN controller
usage: ovnts controller [OPTIONS] [OVS-DATABASE]
where OVS-DATABASE is a socket on which the OVS OVSDB server is listening
(default: unix:${join(runDir(false), "db.sock")})
  --log-file[=FILE] --pidfile[=FILE] --unixctl=SOCKET -v[SPEC]
${SSL_USAGE}`;

export async function run(argv: string[]): Promise<number | undefined> {
  const started = await startDaemon("ovn-controller", argv, OPTIONS, USAGE, true);
  if (typeof started === "number") return started;
  const { opts, files } = started;
  tuneControllerHeap(process.env);
  const ovsRemote = opts.positional[0] ?? `unix:${join(runDir(false), "db.sock")}`;
  const ssl = clientSslOptions(opts);
  const agent = new ControllerAgent({
    ovsRemote,
    ovsRundir: runDir(false),
    hostname: hostname(),
    now: () => Date.now(),
    ...(ssl !== undefined && { ssl }),
  });
  const unixctlPath = optValue(opts, "unixctl") ?? join(runDir(true), `ovn-controller.${process.pid}.ctl`);
  const unixctl = await UnixctlServer.listen(unixctlPath, { version: `ovn-controller (ovnts) ${VERSION}` });
  const shutdown = async (): Promise<void> => {
    agent.stop();
    await unixctl.close();
    cleanUpDaemon(files);
  };
  registerVlogCommands(unixctl);
  unixctl.register("exit", "", 0, 0, () => {
    setImmediate(() => void shutdown().finally(() => process.exit(0)));
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
  unixctl.register("debug/dump-pinctrl-counters", "", 0, 0, () =>
    [...agent.pinctrl.counters()].map(([k, v]) => `${k}: ${v}\n`).join(""),
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
  onTermination(shutdown);
  log.info(`ovnts controller ${VERSION}: OVS database ${ovsRemote}`);
  notifyReady();
  return await new Promise<number>(() => undefined);
}
