// The peer-test sandbox, like OVS's ovs-sandbox and OVN's test macros: a private directory that every
// child process uses as its OVS_/OVN_ run, log, db and sysconf directory, so nothing touches the host's
// /var/run/openvswitch. The sandbox owns every daemon, network namespace and host link it makes, and
// cleanup() removes them all -- also on a failed test (withSandbox) and when the test process exits
// early (a synchronous exit hook).
//
// This module is also the harness's one import: it re-exports the daemon starters and helpers.
//
//   for (const impl of implementations())
//     test(`[${impl}] ...`, () => withSandbox(async (sb) => {
//       await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
//       await startDbServer(sb, { impl, name: "sb", schemas: ["ovn-sb"] });
//       await startNorthd(sb);
//       await nbctl(sb, "--wait=sb", "ls-add", "sw0");
//     }));
//
// Environment: OVNTS_PEER_IMPLS=c,ovnts (which servers), OVNTS_PEER_KEEP=1 (keep a failed test's
// directory), OVNTS_PEER_VERBOSE=1 (log what the harness does).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configureLog, logger } from "../../src/base/log.js";
import { Daemon } from "./daemon.js";

const log = logger("sandbox");

export interface SpawnSpec {
  name: string;
  cmd: string;
  args: string[];
  logPath?: string;
  ctlPath?: string;
  /** Run inside this network namespace (through `ip netns exec`, which execs, so the pid is the daemon's). */
  netns?: string;
}

/** Remotes of the databases served in this sandbox, filled in by startDbServer. */
export interface SandboxDbs {
  nb?: string;
  sb?: string;
  ovs?: string;
}

const live = new Set<Sandbox>();
let hooksInstalled = false;

export class Sandbox {
  /** Short random tag that makes namespace names unique across parallel runs. */
  readonly tag: string;
  readonly env: NodeJS.ProcessEnv;
  readonly dbs: SandboxDbs = {};
  private readonly daemonList: Daemon[] = [];
  private readonly netnsList: string[] = [];
  private readonly hostLinks: string[] = [];
  /** Sandboxes nested in this one (simulated chassis), cleaned up before it. */
  private readonly children: Sandbox[] = [];
  private cleaned = false;

  private constructor(
    readonly dir: string,
    tag?: string,
  ) {
    this.tag = tag ?? randomBytes(3).toString("hex");
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const prefix of ["OVS", "OVN"]) {
      for (const what of ["RUNDIR", "LOGDIR", "DBDIR", "SYSCONFDIR"]) env[`${prefix}_${what}`] = dir;
    }
    // A stray OVN_NB_DB/OVN_SB_DB from the caller's shell must not point our CLIs at another database.
    delete env.OVN_NB_DB;
    delete env.OVN_SB_DB;
    this.env = env;
  }

  /** Makes a fresh sandbox directory under os.tmpdir() (short, to stay within unix socket path limits). */
  static create(): Sandbox {
    installExitHooks();
    const sb = new Sandbox(mkdtempSync(join(tmpdir(), "ovnts-")));
    live.add(sb);
    log.info(`sandbox ${sb.dir} (tag ${sb.tag})`);
    return sb;
  }

  /**
   * A sandbox in the subdirectory LABEL with its own OVS_/OVN_ directories, like OVN's test suite's
   * `sim_add`: each simulated chassis needs its own RUNDIR because ovs-vswitchd puts br-int.mgmt there.
   * It shares this sandbox's tag and database remotes, and this sandbox's cleanup() cleans it first.
   */
  child(label: string): Sandbox {
    if (this.cleaned) throw new Error("sandbox already cleaned up");
    const dir = join(this.dir, label);
    mkdirSync(dir);
    const sub = new Sandbox(dir, this.tag);
    Object.assign(sub.dbs, this.dbs);
    this.children.push(sub);
    return sub;
  }

  /** A path inside the sandbox directory. */
  path(name: string): string {
    return join(this.dir, name);
  }

  /** The daemons started so far, in start order. */
  get daemons(): readonly Daemon[] {
    return this.daemonList;
  }

  /** Starts a daemon owned by the sandbox; its stdout/stderr go to NAME.out in the sandbox. */
  spawn(spec: SpawnSpec): Daemon {
    if (this.cleaned) throw new Error("sandbox already cleaned up");
    // A name may be reused once its previous holder has exited (a restarted server appends to the same files).
    if (this.daemonList.some((d) => d.name === spec.name && d.running)) {
      throw new Error(`daemon name '${spec.name}' in use`);
    }
    const [cmd, args] =
      spec.netns === undefined
        ? [spec.cmd, spec.args]
        : ["ip", ["netns", "exec", spec.netns, spec.cmd, ...spec.args]];
    const d = new Daemon({
      name: spec.name,
      cmd,
      args,
      env: this.env,
      cwd: this.dir,
      outPath: this.path(`${spec.name}.out`),
      ...(spec.logPath !== undefined ? { logPath: spec.logPath } : {}),
      ...(spec.ctlPath !== undefined ? { ctlPath: spec.ctlPath } : {}),
    });
    this.daemonList.push(d);
    log.info(`started ${spec.name} pid ${d.pid}: ${d.command}`);
    return d;
  }

  /** A namespace name unique to this sandbox ("ovnts-1a2b3c-vm1"). */
  netnsName(label: string): string {
    return `ovnts-${this.tag}-${label}`;
  }

  /** Records a network namespace the sandbox must delete on cleanup. */
  ownNetns(name: string): void {
    this.netnsList.push(name);
  }

  /** Records a link in the host namespace the sandbox must delete on cleanup. */
  ownHostLink(name: string): void {
    this.hostLinks.push(name);
  }

  /** Tails of every daemon's log, for the report of a failed test. */
  logTails(lines = 25): string {
    return [...this.daemonList.map((d) => d.tail(lines)), ...this.children.map((c) => c.logTails(lines))]
      .filter((t) => t !== "")
      .join("\n\n");
  }

  /**
   * Kills every daemon (SIGTERM, then SIGKILL), deletes namespaces and host links, and removes the
   * directory unless `keepDir`. Safe to call twice.
   */
  async cleanup(opts: { keepDir?: boolean; quiet?: boolean } = {}): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    live.delete(this);
    // The parent removes (or keeps) the whole tree.
    await Promise.all(this.children.map((c) => c.cleanup({ keepDir: true, quiet: true })));
    // Newest first: clients go before the servers they talk to, which keeps their logs free of noise.
    await Promise.all([...this.daemonList].reverse().map((d) => d.stop()));
    for (const l of this.hostLinks) quietly(["link", "del", l]);
    for (const ns of this.netnsList) quietly(["netns", "del", ns]);
    if (opts.keepDir !== true) rmSync(this.dir, { recursive: true, force: true });
    else if (opts.quiet !== true) process.stderr.write(`[harness] kept sandbox ${this.dir}\n`);
  }

  /** Last-resort synchronous teardown for the process exit hook. */
  cleanupSync(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const c of this.children) c.cleanupSync();
    for (const d of this.daemonList) d.kill("SIGKILL");
    for (const l of this.hostLinks) quietly(["link", "del", l]);
    for (const ns of this.netnsList) quietly(["netns", "del", ns]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function quietly(ipArgs: string[]): void {
  try {
    execFileSync("ip", ipArgs, { stdio: "ignore", timeout: 10_000 });
  } catch {
    // Already gone (a namespace's links vanish with it).
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // OVNTS_PEER_VERBOSE=1 narrates what the harness starts, on stderr.
  if (process.env.OVNTS_PEER_VERBOSE === "1")
    configureLog({ sinks: [(l) => process.stderr.write(`${l}\n`)] });
  process.on("exit", () => {
    for (const sb of live) sb.cleanupSync();
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      for (const sb of live) sb.cleanupSync();
      process.exit(sig === "SIGINT" ? 130 : 143);
    });
  }
}

/**
 * Runs `fn` in a fresh sandbox and always cleans up. When `fn` fails, the tail of every daemon's log
 * is printed to stderr first (set OVNTS_PEER_KEEP=1 to keep the directory for a post-mortem).
 */
export async function withSandbox<T>(fn: (sb: Sandbox) => Promise<T>): Promise<T> {
  const sb = Sandbox.create();
  let failed = false;
  try {
    return await fn(sb);
  } catch (e) {
    failed = true;
    const tails = sb.logTails();
    if (tails !== "")
      process.stderr.write(`\n[harness] test failed; daemon logs from ${sb.dir}:\n${tails}\n\n`);
    throw e;
  } finally {
    await sb.cleanup({ keepDir: failed && process.env.OVNTS_PEER_KEEP === "1" });
  }
}

export { Daemon } from "./daemon.js";
export { type DbServer, startDbServer } from "./dbserver.js";
export { CommandError, requireRoot, requireTools, run, runOk } from "./exec.js";
export { type Impl, implementations } from "./impl.js";
export { addNetns, addVeth, configureVm, nsRun } from "./netns.js";
export { nbctl, sbctl, startController, startNorthd } from "./ovn.js";
export { injectPacket, ofprotoTrace, readPcapFile, waitForPackets } from "./packets.js";
export { ofctl, startVswitchd, type Vswitchd, vsctl } from "./vswitchd.js";
export { waitUntil } from "./wait.js";
