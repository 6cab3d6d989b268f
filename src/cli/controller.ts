// `ovnts controller`: the per-hypervisor agent, a drop-in for ovn-controller 23.03.
//   ovnts controller [unix:OVS_DB] [--log-file[=LOG]] [--pidfile[=PID]] [--unixctl=SOCK] [-v...]
// The local Open_vSwitch database defaults to unix:$OVS_RUNDIR/db.sock, like ovn-controller.
import { hostname } from "node:os";
import { join } from "node:path";
import { logger } from "../base/log.js";
import { ControllerAgent } from "../controller/agent/agent.js";
import {
  cleanUpDaemon,
  DAEMON_OPTIONS,
  maybeDetach,
  notifyReady,
  onTermination,
  registerVlogCommands,
  setUpDaemon,
} from "../daemon/daemon.js";
import { runDir } from "../daemon/paths.js";
import { UnixctlServer } from "../unixctl/server.js";
import { has, optValue, parseCommandLine } from "./options.js";
import { VERSION } from "./version.js";

const log = logger("controller");

const OPTIONS = { ...DAEMON_OPTIONS } as const;

const USAGE = `ovnts controller: OVN controller
usage: ovnts controller [OPTIONS] [OVS-DATABASE]
where OVS-DATABASE is a socket on which the OVS OVSDB server is listening
(default: unix:${join(runDir(false), "db.sock")})
  --log-file[=FILE] --pidfile[=FILE] --unixctl=SOCKET -v[SPEC]
`;

export async function run(argv: string[]): Promise<number | undefined> {
  const opts = parseCommandLine("ovn-controller", argv, OPTIONS);
  if (typeof opts === "number") return opts;
  if (has(opts, "help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (has(opts, "version")) {
    process.stdout.write(`ovn-controller (ovnts) ${VERSION}\n`);
    return 0;
  }
  const detached = await maybeDetach(argv);
  if (detached !== undefined) return detached;
  const files = setUpDaemon("ovn-controller", opts, true);
  const ovsRemote = opts.positional[0] ?? `unix:${join(runDir(false), "db.sock")}`;
  const agent = new ControllerAgent({
    ovsRemote,
    ovsRundir: runDir(false),
    hostname: hostname(),
    now: () => Date.now(),
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
  unixctl.register("recompute", "", 0, 0, () => {
    agent.schedule();
    return undefined;
  });
  unixctl.register("connection-status", "", 0, 0, () =>
    agent.sb?.isConnected === true ? "connected\n" : "not connected\n",
  );
  onTermination(shutdown);
  log.info(`ovnts controller ${VERSION}: OVS database ${ovsRemote}`);
  notifyReady();
  return await new Promise<number>(() => undefined);
}
