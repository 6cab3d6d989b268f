// northd inside `ovnts central`: the same NorthdDaemon `ovnts northd` runs, connected to the central's
// own sockets, with a unixctl socket answering the usual northd commands (status, pause, resume ...).
// Running it in-process saves a Node start and a second copy of the NB/SB replicas' code in memory.
import { logger } from "../base/log.js";
import { VERSION } from "../cli/version.js";
import { registerVlogCommands } from "../daemon/daemon.js";
import { allBuilders } from "../northd/builders.js";
import { NorthdDaemon } from "../northd/daemon.js";
import { randomDefaults } from "../northd/defaults.js";
import { sbMonitorSpec } from "../northd/sync/sb-flows.js";
import { connectIdl } from "../ovsdb/idl/connect.js";
import { ovnNbModel } from "../ovsdb/idl/generated/ovn-nb.js";
import { ovnSbModel } from "../ovsdb/idl/generated/ovn-sb.js";
import { UnixctlServer } from "../unixctl/server.js";

const log = logger("northd");

export interface EmbeddedNorthdOptions {
  readonly nbRemote: string;
  readonly sbRemote: string;
  readonly unixctlPath: string;
}

export interface EmbeddedNorthd {
  readonly daemon: NorthdDaemon;
  stop(): Promise<void>;
}

export async function startEmbeddedNorthd(o: EmbeddedNorthdOptions): Promise<EmbeddedNorthd> {
  const nb = connectIdl(ovnNbModel, o.nbRemote);
  const sb = connectIdl(ovnSbModel, o.sbRemote, { monitor: sbMonitorSpec() });
  const daemon = new NorthdDaemon(nb, sb, {
    builders: allBuilders(),
    defaults: randomDefaults(),
    check: process.env.OVNTS_NORTHD_CHECK === "1",
    now: () => Date.now(),
  });
  const unixctl = await UnixctlServer.listen(o.unixctlPath, { version: `ovn-northd (ovnts) ${VERSION}` });
  registerVlogCommands(unixctl);
  unixctl.register("status", "", 0, 0, () => `Status: ${daemon.status}\n`);
  unixctl.register("is-paused", "", 0, 0, () => `${daemon.isPaused}\n`);
  unixctl.register("pause", "", 0, 0, () => {
    daemon.pause();
    return undefined;
  });
  unixctl.register("resume", "", 0, 0, () => {
    daemon.resume();
    return undefined;
  });
  unixctl.register("inc-engine/recompute", "", 0, 0, () => {
    daemon.recompute();
    return undefined;
  });
  log.info(`embedded northd: OVNNB ${o.nbRemote}, OVNSB ${o.sbRemote}`);
  return {
    daemon,
    stop: async () => {
      daemon.stop();
      nb.stop();
      sb.stop();
      await unixctl.close();
    },
  };
}
