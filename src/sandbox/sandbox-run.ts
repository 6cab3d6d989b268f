// `ovnts sandbox` at run time: central (NB, SB, northd) and one chassis as child processes, the chassis
// in a namespace of its own, VMs and an "outside" host as namespaces cabled to br-int by veth pairs,
// the logical network of topology.ts, and DHCP in the VMs.  teardown() undoes all of it in reverse:
// the children stop, every namespace goes (with whatever still runs in it and its links), the work
// directory is removed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { UDHCPC_SCRIPT } from "./dhcp-script.js";
import {
  addNetns,
  addVeth,
  configureStatic,
  deleteNetns,
  ipIn,
  isRoot,
  listNetns,
  requireHostTools,
  runCmd,
  runOk,
} from "./host.js";
import { type SandboxNames, sandboxNames } from "./names.js";
import { Child, OVNTS_BIN, ovntsCommand } from "./procs.js";
import { type SandboxTopology, sandboxTopology, type VmPlan } from "./topology.js";

export interface SandboxOptions {
  readonly vms: number;
  /** Unique part of every name (default: the pid). */
  readonly tag: string;
  /** Work directory (default: a fresh one under the temp dir, removed on teardown). */
  readonly dir: string | undefined;
  /** Static addresses instead of DHCP. */
  readonly staticAddresses: boolean;
  readonly keep: boolean;
}

export interface RunningSandbox {
  readonly names: SandboxNames;
  readonly topology: SandboxTopology;
  readonly dir: string;
  readonly nbRemote: string;
  readonly sbRemote: string;
  teardown(): Promise<void>;
}

type Progress = (line: string) => void;

const CHASSIS = "hv1";

/** Everything the sandbox needs from the host, checked before anything is created. */
export function checkHost(staticAddresses: boolean): void {
  if (!isRoot())
    throw new Error("needs root (network namespaces, veth pairs, tap devices); run it with sudo");
  requireHostTools(["ip", "ovs-vswitchd", "ovs-vsctl", "ethtool", ...(staticAddresses ? [] : ["udhcpc"])]);
  if (!existsSync("/dev/net/tun"))
    throw new Error("missing /dev/net/tun (the userspace datapath needs tap devices): modprobe tun");
}

export async function startSandbox(o: SandboxOptions, progress: Progress): Promise<RunningSandbox> {
  checkHost(o.staticAddresses);
  const names = sandboxNames(o.tag);
  const clash = (await listNetns()).filter((n) => n.startsWith(names.prefix));
  if (clash.length > 0)
    throw new Error(`namespaces ${clash.join(", ")} exist already: another sandbox with tag '${o.tag}'?`);
  const topology = sandboxTopology(o.vms, CHASSIS);
  const ownDir = o.dir === undefined;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), "ovnts-sandbox-"));
  const centralDir = join(dir, "central");
  const nbRemote = `unix:${join(centralDir, "ovnnb_db.sock")}`;
  const sbRemote = `unix:${join(centralDir, "ovnsb_db.sock")}`;
  const children: Child[] = [];
  const namespaces: string[] = [];
  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    for (const c of [...children].reverse()) await c.stop(8000);
    for (const ns of [...namespaces].reverse()) await deleteNetns(ns);
    if (ownDir && !o.keep) rmSync(dir, { recursive: true, force: true });
  };
  const spawnOvnts = (name: string, sub: string, args: string[]): Child => {
    const c = new Child({ name, ...ovntsCommand(sub, args), logPath: join(dir, `${name}.out`) });
    children.push(c);
    return c;
  };
  const newNetns = async (name: string): Promise<string> => {
    await addNetns(name);
    namespaces.push(name);
    return name;
  };
  try {
    progress(`work directory ${dir}`);
    const central = spawnOvnts("central", "central", [
      `--data-dir=${centralDir}`,
      `--run-dir=${centralDir}`,
      "--no-tcp",
      `--log-file=${join(centralDir, "central.log")}`,
    ]);
    await central.waitForLine(/OVN central is up/, 20_000);
    progress(`central up: NB ${nbRemote}, SB ${sbRemote}, northd (pid ${central.pid})`);

    await newNetns(names.hv);
    const hvDir = join(dir, CHASSIS);
    const chassis = spawnOvnts("chassis", "chassis", [
      `--system-id=${CHASSIS}`,
      `--ovn-remote=${sbRemote}`,
      `--run-dir=${hvDir}`,
      `--netns=${names.hv}`,
      "--encap-ip=127.0.0.1",
    ]);
    await chassis.waitForLine(new RegExp(`^chassis ${CHASSIS} ready`), 40_000);
    progress(`chassis ${CHASSIS} up in namespace ${names.hv} (pid ${chassis.pid})`);

    const nbctl = async (...args: string[]): Promise<string> => {
      const c = ovntsCommand("nbctl", [`--db=${nbRemote}`, "--timeout=30", ...args]);
      return await runOk(c.cmd, c.args, { timeoutMs: 40_000 });
    };
    await nbctl(...topology.nbctlArgs);
    progress(
      `logical network: ls0 ${topology.subnet} — gateway router lr0 (SNAT ${topology.snatIp}) — public ${topology.publicSubnet}`,
    );

    const ovsDb = `unix:${join(hvDir, "db.sock")}`;
    const plug = async (vm: VmPlan, netns: string): Promise<void> => {
      await addVeth({ name: "eth0", netns }, { name: vm.lsp, netns: names.hv });
      // The userspace datapath forwards frames with the checksum the sender's kernel left to offload.
      await runOk("ip", ["netns", "exec", netns, "ethtool", "-K", "eth0", "tx", "off"]);
      await ipIn(netns, "link", "set", "eth0", "address", vm.mac);
      await runOk("ovs-vsctl", [
        `--db=${ovsDb}`,
        "--timeout=10",
        "add-port",
        "br-int",
        vm.lsp,
        "--",
        "set",
        "Interface",
        vm.lsp,
        `external_ids:iface-id=${vm.lsp}`,
      ]);
    };
    for (const vm of topology.vms) await plug(vm, await newNetns(names.vm(vm.index)));
    await plug(topology.outside, await newNetns(names.outside));
    await configureStatic(names.outside, "eth0", {
      cidr: `${topology.outside.ip}/${topology.outside.prefixLen}`,
    });
    for (const vm of [...topology.vms, topology.outside])
      await nbctl("--timeout=30", "wait-until", "Logical_Switch_Port", vm.lsp, "up=true");
    await nbctl("--wait=hv", "sync");
    progress(
      `${topology.vms.length} VM${topology.vms.length > 1 ? "s" : ""} and the outside host plugged into br-int`,
    );

    if (o.staticAddresses) {
      for (const vm of topology.vms)
        await configureStatic(names.vm(vm.index), "eth0", {
          cidr: `${vm.ip}/${vm.prefixLen}`,
          gateway: vm.gateway,
        });
      progress("static addresses set (--static)");
    } else {
      const script = join(dir, "udhcpc.sh");
      writeFileSync(script, UDHCPC_SCRIPT, { mode: 0o755 });
      for (const vm of topology.vms) {
        const ns = names.vm(vm.index);
        await ipIn(ns, "link", "set", "eth0", "up");
        const r = await runCmd(
          "ip",
          [
            "netns",
            "exec",
            ns,
            "udhcpc",
            "-i",
            "eth0",
            "-f",
            "-q",
            "-n",
            "-t",
            "10",
            "-T",
            "1",
            "-s",
            script,
          ],
          { timeoutMs: 30_000 },
        );
        if (r.code !== 0) throw new Error(`DHCP failed in ${ns}: ${r.stderr.trim()}`);
        const lease = /lease of (\S+) obtained/.exec(r.stderr + r.stdout)?.[1] ?? "?";
        progress(`  ${vm.lsp}: DHCP lease ${lease}`);
      }
    }
    return { names, topology, dir, nbRemote, sbRemote, teardown };
  } catch (e) {
    const tails = children.map((c) => `--- ${c.spec.name}\n${c.tail(10)}`).join("\n");
    await teardown();
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${tails}`);
  }
}

/** What the user can type once the sandbox is up. */
export function readyText(s: RunningSandbox): string {
  const t = s.topology;
  const vm1 = t.vms[0] as VmPlan;
  const other = t.vms[1];
  const ns1 = s.names.vm(1);
  // How the user names bin/ovnts from where they started the sandbox.
  const rel = relative(process.cwd(), OVNTS_BIN);
  const bin = rel.startsWith("..") ? OVNTS_BIN : rel;
  const lines = [
    "",
    `VMs (namespaces; all on logical switch ls0, ${t.subnet}, router ${t.routerIp}):`,
    ...t.vms.map(
      (v) => `  ${v.lsp.padEnd(8)} ${v.ip.padEnd(12)} ${v.mac}  ip netns exec ${s.names.vm(v.index)} bash`,
    ),
    `outside host on logical switch public (${t.publicSubnet}): ${t.outside.ip}  ip netns exec ${s.names.outside} bash`,
    "",
    "try:",
    ...(other !== undefined ? [`  ip netns exec ${ns1} ping -c3 ${other.ip}              # VM to VM`] : []),
    `  ip netns exec ${ns1} ping -c3 ${t.routerIp}               # the router`,
    `  ip netns exec ${ns1} ping -c3 ${t.outside.ip}            # outside, SNATed to ${t.snatIp}`,
    `  ip netns exec ${s.names.outside} tcpdump -lni eth0 icmp   # shows source ${t.snatIp} (apt-get install tcpdump)`,
    `  export OVN_NB_DB=${s.nbRemote} OVN_SB_DB=${s.sbRemote}`,
    `  ${bin} nbctl show`,
    `  ${bin} sbctl show`,
    `  ${bin} trace ls0 'inport == "${vm1.lsp}" && eth.src == ${vm1.mac} && eth.dst == ${t.routerMac} && ip4.src == ${vm1.ip} && ip4.dst == ${t.outside.ip} && ip.ttl == 64 && icmp4.type == 8'`,
    `logs: ${s.dir}`,
    "Ctrl-C stops the sandbox and removes its namespaces, links and processes.",
  ];
  return `${lines.join("\n")}\n`;
}
