// Restarting each daemon of a running deployment, with traffic flowing (ping -i 0.2 from vm1 to vm2
// across a logical router): the OVN databases (`ovnts central --no-northd`), `ovnts northd`, the
// chassis's `ovnts controller` and its Open_vSwitch database (ovnts ovsdb-server), one at a time.  After each: replies keep or start coming within a few
// seconds, `nbctl --wait=hv sync` completes again, and the Northbound configuration is unchanged.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chassisConfig } from "../../src/sandbox/chassis-config.js";
import { type RunningChassis, startChassis } from "../../src/sandbox/chassis-run.js";
import { addNetns, addVeth, configureStatic, deleteNetns, runCmd, runOk } from "../../src/sandbox/host.js";
import { Child, ovntsCommand, pollUntil } from "../../src/sandbox/procs.js";
import { chain } from "../../src/sandbox/topology.js";
import { plugArgs, routerPort, vif } from "../support/nbctl-build.js";
import { assertPings, skipReason } from "./e2e-util.js";

const skip = skipReason(["ip", "ping", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl", "ethtool"]);

const VMS = [
  { lsp: "vm1", sw: "ls0", mac: "02:00:0a:00:00:0b", ip: "10.0.0.11", gw: "10.0.0.1" },
  { lsp: "vm2", sw: "ls1", mac: "02:00:0a:00:01:0c", ip: "10.0.1.12", gw: "10.0.1.1" },
];

function topology(): string[] {
  const cmds: string[][] = [["lr-add", "lr0"]];
  for (const [i, sw] of ["ls0", "ls1"].entries()) {
    const p = `${sw}-lr0`;
    cmds.push(
      ["ls-add", sw],
      ["lrp-add", "lr0", `lr0-${sw}`, `02:00:0a:00:0${i}:fe`, `10.0.${i}.1/24`],
      ...routerPort(sw, p, `lr0-${sw}`),
    );
  }
  for (const vm of VMS) cmds.push(...vif(vm.sw, vm.lsp, `${vm.mac} ${vm.ip}`));
  return chain(cmds);
}

/** A ping that runs in the background and remembers when each reply came. */
class Pinger {
  readonly replies: number[] = [];
  private readonly proc: ChildProcess;
  constructor(netns: string, ip: string) {
    this.proc = spawn("ip", ["netns", "exec", netns, "ping", "-i", "0.2", "-W", "1", ip], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    this.proc.stdout?.on("data", (d: Buffer) => {
      for (const l of d.toString().split("\n")) if (l.includes("bytes from")) this.replies.push(Date.now());
    });
  }
  /** Milliseconds from `since` to the first reply after it; throws if none within `timeoutMs`. */
  async resumedAfter(since: number, timeoutMs: number): Promise<number> {
    await pollUntil(() => this.replies.some((t) => t > since), timeoutMs, "ping replies to resume", 50);
    return (this.replies.find((t) => t > since) as number) - since;
  }
  /** The longest wait between two replies (or from `since` to the first one) after `since`. */
  maxGapSince(since: number): number {
    let prev = since;
    let gap = 0;
    for (const t of this.replies) {
      if (t <= since) continue;
      gap = Math.max(gap, t - prev);
      prev = t;
    }
    return gap;
  }
  stop(): void {
    this.proc.kill("SIGKILL");
  }
}

test("e2e: restart the OVN databases, northd, the controller and the local OVS database under traffic: it resumes, nothing is lost", {
  skip: skip ?? false,
  timeout: 120_000,
}, async () => {
  const tag = `ovnts-t${randomBytes(2).toString("hex")}-`;
  const dir = mkdtempSync(join(tmpdir(), "ovnts-rst-"));
  const cdir = join(dir, "central");
  const nbRemote = `unix:${join(cdir, "ovnnb_db.sock")}`;
  const sbRemote = `unix:${join(cdir, "ovnsb_db.sock")}`;
  const namespaces: string[] = [];
  const children: { central?: Child; northd?: Child } = {};
  let chassis: RunningChassis | undefined;
  let pinger: Pinger | undefined;
  const ns = async (label: string): Promise<string> => {
    const name = `${tag}${label}`;
    await addNetns(name);
    namespaces.push(name);
    return name;
  };
  const startCentral = async (): Promise<void> => {
    const c = new Child({
      name: "central",
      ...ovntsCommand("central", [`--data-dir=${cdir}`, `--run-dir=${cdir}`, "--no-tcp", "--no-northd"]),
      logPath: join(dir, "central.out"),
    });
    children.central = c;
    await c.waitForLine(/OVN central is up/, 20_000);
  };
  const northdCtl = join(dir, "northd.ctl");
  const startNorthd = async (): Promise<void> => {
    const c = new Child({
      name: "northd",
      ...ovntsCommand("northd", [
        `--ovnnb-db=${nbRemote}`,
        `--ovnsb-db=${sbRemote}`,
        `--unixctl=${northdCtl}`,
      ]),
      logPath: join(dir, "northd.out"),
    });
    children.northd = c;
    await pollUntil(
      async () => (await runCmd("ovs-appctl", ["-t", northdCtl, "status"])).stdout.includes("active"),
      15_000,
      "northd to become active",
    );
  };
  const nbctl = (...args: string[]): Promise<string> => {
    const c = ovntsCommand("nbctl", [`--db=${nbRemote}`, "--timeout=20", ...args]);
    return runOk(c.cmd, c.args, { timeoutMs: 30_000 });
  };
  try {
    await startCentral();
    await startNorthd();
    const hv = await ns("hv1");
    chassis = await startChassis(
      chassisConfig(
        { "system-id": "hv1", "ovn-remote": sbRemote, "run-dir": join(dir, "hv1"), netns: hv },
        { hostname: "unused", ovnRemote: sbRemote },
      ),
      () => undefined,
    );
    await nbctl(...topology());
    for (const vm of VMS) {
      const vns = await ns(vm.lsp);
      await addVeth({ name: "eth0", netns: vns }, { name: vm.lsp, netns: hv });
      await configureStatic(vns, "eth0", { mac: vm.mac, cidr: `${vm.ip}/24`, gateway: vm.gw });
      await runOk("ovs-vsctl", [`--db=${chassis.ovsDb}`, ...plugArgs(vm.lsp, vm.lsp)]);
    }
    for (const vm of VMS) await nbctl("wait-until", "Logical_Switch_Port", vm.lsp, "up=true");
    await nbctl("--wait=hv", "sync");
    const vm1 = `${tag}vm1`;
    await assertPings(vm1, "10.0.1.12");
    const before = await nbctl("show");
    pinger = new Pinger(vm1, "10.0.1.12");
    await pinger.resumedAfter(Date.now(), 5000);

    const running = chassis;
    const restarts: [string, () => Promise<void>][] = [
      [
        "databases",
        async () => {
          await children.central?.stop();
          await startCentral();
        },
      ],
      [
        "northd",
        async () => {
          await children.northd?.stop();
          await startNorthd();
        },
      ],
      ["controller", () => running.restartController()],
      ["local Open_vSwitch database", () => running.restartDatabase()],
    ];
    for (const [what, restart] of restarts) {
      const t0 = Date.now();
      await restart();
      // The whole chain works again: northd saw the change, the controller acknowledged it.
      await nbctl("--wait=hv", "sync");
      const resumedMs = await pinger.resumedAfter(Date.now(), 5000);
      const gap = pinger.maxGapSince(t0);
      assert.ok(gap < 5000, `traffic stopped for ${gap} ms around the ${what} restart`);
      assert.equal(await nbctl("show"), before, `configuration after restarting ${what}`);
      process.stdout.write(
        `# restarted ${what} in ${Date.now() - t0} ms; longest reply gap ${gap} ms, next reply ${resumedMs} ms after sync\n`,
      );
    }
    // A change made after all the restarts reaches the data plane: a new port on ls1 goes up.
    await nbctl(
      "--wait=hv",
      "lsp-add",
      "ls1",
      "vm9",
      "--",
      "lsp-set-addresses",
      "vm9",
      "02:00:0a:00:01:09 10.0.1.9",
    );
    await runOk("ovs-vsctl", [`--db=${chassis.ovsDb}`, ...plugArgs("vm9", "vm9", "br-int", "type=internal")]);
    await nbctl("--timeout=15", "wait-until", "Logical_Switch_Port", "vm9", "up=true");
  } finally {
    pinger?.stop();
    await chassis?.stop();
    await children.northd?.stop();
    await children.central?.stop();
    for (const n of namespaces.reverse()) await deleteNetns(n);
    rmSync(dir, { recursive: true, force: true });
  }
});
