// One simulated hypervisor for the controller and end-to-end benchmarks: its own Open_vSwitch database
// (the real ovsdb-server), the real ovs-vswitchd with every port a netdev-dummy (--enable-dummy=override,
// as OVN's own test suite runs it), br-int made up front, and the ovn-controller of either
// implementation started on demand. Built on the peer-test Sandbox (test/support), which owns the
// processes and the directory (OVS_RUNDIR, where br-int.mgmt appears).
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Daemon } from "../../test/support/daemon.js";
import { type DbServer, startDbServer } from "../../test/support/dbserver.js";
import type { Impl } from "../../test/support/impl.js";
import { ovntsBin } from "../../test/support/paths.js";
import type { Sandbox } from "../../test/support/sandbox.js";
import { ofctl, startVswitchd, type Vswitchd, vsctlAt } from "../../test/support/vswitchd.js";
import { parseStatCpuMs, parseVmRssKiB } from "./procfs.js";
import { type CpuProfile, renderProfile, summarizeProfile } from "./profile.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface Vif {
  /** Interface (and port) name on br-int. */
  readonly name: string;
  /** external_ids:iface-id: the logical port it plugs. */
  readonly ifaceId: string;
}

export interface Hypervisor {
  readonly ovs: DbServer;
  readonly vswitchd: Vswitchd;
  /** Adds VIFs to br-int in one ovs-vsctl transaction (which waits for vswitchd to apply it). */
  plug(vifs: readonly Vif[]): Promise<void>;
  stop(): Promise<void>;
}

/** ovs-vsctl arguments that add each VIF to br-int with its iface-id. */
export function plugArgs(vifs: readonly Vif[]): string[] {
  return vifs.flatMap((v) => [
    "--",
    "add-port",
    "br-int",
    v.name,
    "--",
    "set",
    "Interface",
    v.name,
    `external_ids:iface-id=${v.ifaceId}`,
  ]);
}

export interface HypervisorOptions {
  /** Prefix of the daemons' names in the sandbox. */
  readonly name: string;
  readonly sbRemote: string;
  readonly systemId: string;
  /** Plugged before any controller runs. */
  readonly vifs: readonly Vif[];
  /** More Open_vSwitch external_ids (e.g. ovn-monitor-all). */
  readonly externalIds?: Readonly<Record<string, string>>;
}

export async function startHypervisor(box: Sandbox, o: HypervisorOptions): Promise<Hypervisor> {
  const ovs = await startDbServer(box, { impl: "c", name: `${o.name}-ovs`, schemas: ["vswitch"] });
  const vswitchd = await startVswitchd(box, { dbSock: ovs.sock, dummy: "override", name: `${o.name}-vsd` });
  // br-int as ovn-controller would make it, so that the VIFs exist (with OpenFlow ports) at the start.
  await vsctlAt(
    box,
    ovs.remote,
    "--",
    "add-br",
    "br-int",
    "--",
    "set",
    "Bridge",
    "br-int",
    "fail-mode=secure",
    "other-config:disable-in-band=true",
  );
  const ids: Record<string, string> = {
    "system-id": o.systemId,
    "ovn-remote": o.sbRemote,
    "ovn-encap-type": "geneve",
    "ovn-encap-ip": "127.0.0.1",
    ...o.externalIds,
  };
  await vsctlAt(
    box,
    ovs.remote,
    "set",
    "Open_vSwitch",
    ".",
    ...Object.entries(ids).map(([k, v]) => `external_ids:${k}=${JSON.stringify(v)}`),
  );
  const plug = async (vifs: readonly Vif[]): Promise<void> => {
    // vsctl's command line and the server's transaction stay small in chunks.
    for (let i = 0; i < vifs.length; i += 50)
      await vsctlAt(box, ovs.remote, ...plugArgs(vifs.slice(i, i + 50)));
  };
  await plug(o.vifs);
  return {
    ovs,
    vswitchd,
    plug,
    stop: async () => {
      await vswitchd.stop();
      await ovs.stop();
    },
  };
}

export interface ControllerSpawn {
  readonly impl: Impl;
  /** Sandbox daemon name (log file NAME.log). */
  readonly name: string;
  readonly ovsRemote: string;
  /** ovnts only: run under `node --cpu-prof`, writing the profile into this directory on exit. */
  readonly profileDir?: string;
  /** ovnts only: another build's bin/ovnts (default this checkout's). */
  readonly ovntsBin?: string;
  /** More command-line arguments (e.g. -vfile:dbg, or -vjsonrpc:file:dbg for the C controller). */
  readonly extraArgs?: readonly string[];
}

/** Starts a controller without waiting for anything: the caller times what follows. */
export function spawnController(box: Sandbox, s: ControllerSpawn): Daemon {
  const common = [`--pidfile=${box.path(`${s.name}.pid`)}`, `--log-file=${box.path(`${s.name}.log`)}`];
  if (s.impl === "c")
    return box.spawn({
      name: s.name,
      cmd: "ovn-controller",
      args: [...common, ...(s.extraArgs ?? []), s.ovsRemote],
    });
  if (s.profileDir !== undefined) mkdirSync(s.profileDir, { recursive: true });
  const prof = s.profileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${s.profileDir}`];
  return box.spawn({
    name: s.name,
    cmd: process.execPath,
    args: [
      ...prof,
      s.ovntsBin ?? ovntsBin(),
      "controller",
      ...common,
      `--unixctl=${box.path(`${s.name}.ctl`)}`,
      ...(s.extraArgs ?? []),
      s.ovsRemote,
    ],
  });
}

/** Number of flows in br-int (`ovs-ofctl dump-aggregate`). */
export async function flowCount(box: Sandbox, bridge = "br-int"): Promise<number> {
  const out = await ofctl(box, "dump-aggregate", bridge);
  const m = /flow_count=(\d+)/.exec(out);
  if (m === null) throw new Error(`no flow_count in: ${out}`);
  return Number(m[1]);
}

/** A process and its descendants (an ovnts daemon given --pidfile runs under a lock-holding parent). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, "utf8").split(" "))
          if (c.trim() !== "") out.push(Number(c));
      } catch {
        // The task ended meanwhile.
      }
    }
  }
  return out;
}

/** CPU time (user + system) and RSS of a live process and its descendants, from /proc. */
export function procUsage(pid: number): { cpuMs: number; rssKiB: number } {
  let cpuMs = 0;
  let rssKiB = 0;
  for (const p of processTree(pid)) {
    try {
      cpuMs += parseStatCpuMs(readFileSync(`/proc/${p}/stat`, "utf8"));
      rssKiB += parseVmRssKiB(readFileSync(`/proc/${p}/status`, "utf8"));
    } catch {
      // Gone meanwhile (or a zombie without VmRSS).
    }
  }
  return { cpuMs, rssKiB };
}

/**
 * Polls br-int's flow count from now on, so that "the flows are installed" can be dated: the time of
 * the last change, once the count has not moved for a while.
 */
export class FlowCountWatch {
  private last = -1;
  private lastChange: number;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly box: Sandbox,
    private readonly t0: number,
    intervalMs = 100,
  ) {
    this.lastChange = t0;
    this.done = this.loop(intervalMs);
  }

  private async loop(intervalMs: number): Promise<void> {
    while (!this.stopped) {
      const at = performance.now();
      try {
        const n = await flowCount(this.box);
        if (n !== this.last) {
          this.last = n;
          this.lastChange = at;
        }
      } catch {
        // br-int's management socket not there yet, or busy: try again.
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  get count(): number {
    return this.last;
  }

  /** Milliseconds from t0 to the last change of the count. */
  get settledMs(): number {
    return this.lastChange - this.t0;
  }

  /** Resolves once the count has been unchanged (and non-zero) for `quietMs`. */
  async waitStable(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.last <= 0 || performance.now() - this.lastChange < quietMs) {
      if (performance.now() > deadline) throw new Error(`br-int flow count still changing (${this.last})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** Prints (stderr) the top functions of every CPU profile in `dir`; our functions are the repository's. */
export function printProfiles(dir: string, title: string, ovntsBin?: string): void {
  const root = ovntsBin === undefined ? repoRoot : join(ovntsBin, "../../");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".cpuprofile"))) {
    const p = JSON.parse(readFileSync(join(dir, f), "utf8")) as CpuProfile;
    process.stderr.write(
      renderProfile(`${title} (${join(dir, f)})`, summarizeProfile(p, `file://${root}`), 25),
    );
  }
}
