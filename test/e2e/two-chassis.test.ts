// Two hypervisors over real Geneve: namespaces hv1 and hv2 joined by a veth pair (192.168.50.1/.2, the
// underlay), each running `ovnts chassis` (its own ovnts ovsdb-server, ovs-vswitchd on the userspace
// datapath with the underlay in a bridge, ovnts controller); `ovnts central` in the root namespace.
// VMs on both: ping and a TCP transfer across the logical switch (vm1 -> vm2) and across a distributed
// logical router (vm1 -> vm3), every packet between chassis encapsulated in Geneve; and a gateway
// router pinned to hv1 answering a VM on hv2 (vm4 -> 10.0.2.1).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { addNetns, addVeth, configureStatic, deleteNetns, ipIn, runOk } from "../../src/sandbox/host.js";
import { Child, ovntsCommand } from "../../src/sandbox/procs.js";
import { chain } from "../../src/sandbox/topology.js";
import { plugArgs, routerPort, vif } from "../support/nbctl-build.js";
import { assertPings, skipReason, tcpTransfer } from "./e2e-util.js";

const skip = skipReason(["ip", "ping", "ovs-vswitchd", "ovs-vsctl", "ethtool"]);

interface Vm {
  lsp: string;
  sw: string;
  hv: 0 | 1;
  mac: string;
  ip: string;
  gw: string;
}

const VMS: Vm[] = [
  { lsp: "vm1", sw: "ls0", hv: 0, mac: "02:00:0a:00:00:0b", ip: "10.0.0.11", gw: "10.0.0.1" },
  { lsp: "vm2", sw: "ls0", hv: 1, mac: "02:00:0a:00:00:0c", ip: "10.0.0.12", gw: "10.0.0.1" },
  { lsp: "vm3", sw: "ls1", hv: 1, mac: "02:00:0a:00:01:0d", ip: "10.0.1.13", gw: "10.0.1.1" },
  { lsp: "vm4", sw: "ls2", hv: 1, mac: "02:00:0a:00:02:0e", ip: "10.0.2.14", gw: "10.0.2.1" },
];

function topology(): string[] {
  const cmds: string[][] = [
    ["ls-add", "ls0"],
    ["ls-add", "ls1"],
    ["lr-add", "lr0"],
    ["lrp-add", "lr0", "lr0-ls0", "02:00:0a:00:00:fe", "10.0.0.1/24"],
    ["lrp-add", "lr0", "lr0-ls1", "02:00:0a:00:01:fe", "10.0.1.1/24"],
  ];
  for (const sw of ["ls0", "ls1"]) cmds.push(...routerPort(sw, `${sw}-lr0`, `lr0-${sw}`));
  // A gateway router pinned to hv1, reached from vm4 on hv2 through the tunnel.
  cmds.push(
    ["ls-add", "ls2"],
    ["lr-add", "gw0"],
    ["set", "Logical_Router", "gw0", "options:chassis=hv1"],
    ["lrp-add", "gw0", "gw0-ls2", "02:00:0a:00:02:fe", "10.0.2.1/24"],
    ...routerPort("ls2", "ls2-gw0", "gw0-ls2"),
  );
  for (const vm of VMS) cmds.push(...vif(vm.sw, vm.lsp, `${vm.mac} ${vm.ip}`));
  return chain(cmds);
}

test("e2e: two chassis over Geneve (userspace datapath): ping and TCP across a switch and a router, a gateway router on the other chassis", {
  skip: skip ?? false,
  timeout: 90_000,
}, async () => {
  const tag = `ovnts-t${randomBytes(2).toString("hex")}-`;
  const dir = mkdtempSync(join(tmpdir(), "ovnts-2hv-"));
  const namespaces: string[] = [];
  const chassis: Child[] = [];
  let central: Child | undefined;
  const ns = async (label: string): Promise<string> => {
    const name = `${tag}${label}`;
    await addNetns(name);
    namespaces.push(name);
    return name;
  };
  try {
    const cdir = join(dir, "central");
    central = new Child({
      name: "central",
      ...ovntsCommand("central", [`--data-dir=${cdir}`, `--run-dir=${cdir}`, "--no-tcp"]),
      logPath: join(dir, "central.out"),
    });
    await central.waitForLine(/OVN central is up/, 20_000);
    const sbRemote = `unix:${join(cdir, "ovnsb_db.sock")}`;
    const nbRemote = `unix:${join(cdir, "ovnnb_db.sock")}`;

    const hvs = [await ns("hv1"), await ns("hv2")];
    await addVeth({ name: "ul0", netns: hvs[0] as string }, { name: "ul0", netns: hvs[1] as string });
    for (const [i, h] of hvs.entries()) {
      await ipIn(h, "addr", "add", `192.168.50.${i + 1}/24`, "dev", "ul0");
      await runOk("ip", ["netns", "exec", h, "ethtool", "-K", "ul0", "tx", "off"]);
    }
    // Both chassis come up at once: they are independent until the Southbound introduces them.
    for (const [i, h] of hvs.entries()) {
      chassis.push(
        new Child({
          name: `hv${i + 1}`,
          ...ovntsCommand("chassis", [
            `--system-id=hv${i + 1}`,
            `--ovn-remote=${sbRemote}`,
            `--encap-ip=192.168.50.${i + 1}`,
            `--run-dir=${join(dir, `hv${i + 1}`)}`,
            `--netns=${h}`,
            "--underlay=ul0",
          ]),
          logPath: join(dir, `hv${i + 1}.out`),
        }),
      );
    }
    for (const [i, c] of chassis.entries())
      await c.waitForLine(new RegExp(`^chassis hv${i + 1} ready`), 40_000);
    const ovsDbs = [1, 2].map((i) => `unix:${join(dir, `hv${i}`, "db.sock")}`);
    const nbctl = (...args: string[]): Promise<string> => {
      const c = ovntsCommand("nbctl", [`--db=${nbRemote}`, "--timeout=30", ...args]);
      return runOk(c.cmd, c.args, { timeoutMs: 40_000 });
    };
    await nbctl(...topology());

    for (const vm of VMS) {
      const vns = await ns(vm.lsp);
      await addVeth({ name: "eth0", netns: vns }, { name: vm.lsp, netns: hvs[vm.hv] as string });
      await runOk("ip", ["netns", "exec", vns, "ethtool", "-K", "eth0", "tx", "off"]);
      // Room for the Geneve header inside the underlay's 1500-byte MTU.
      await ipIn(vns, "link", "set", "eth0", "mtu", "1400");
      await configureStatic(vns, "eth0", { mac: vm.mac, cidr: `${vm.ip}/24`, gateway: vm.gw });
      await runOk("ovs-vsctl", [`--db=${ovsDbs[vm.hv]}`, ...plugArgs(vm.lsp, vm.lsp)]);
    }
    for (const vm of VMS) await nbctl("wait-until", "Logical_Switch_Port", vm.lsp, "up=true");
    await nbctl("--wait=hv", "sync");

    // Each chassis has a Geneve tunnel to the other.
    for (const [i, db] of ovsDbs.entries()) {
      const ports = await runOk("ovs-vsctl", [
        `--db=${db}`,
        "--bare",
        "--columns=options",
        "find",
        "Interface",
        "type=geneve",
      ]);
      assert.match(ports, new RegExp(`remote_ip="?192\\.168\\.50\\.${2 - i}`), `hv${i + 1} tunnel`);
    }
    const [vm1, vm2, vm3, vm4] = VMS.map((v) => `${tag}${v.lsp}`) as [string, string, string, string];
    await assertPings(vm1, "10.0.0.12");
    await assertPings(vm2, "10.0.0.11");
    await assertPings(vm1, "10.0.1.13");
    await assertPings(vm3, "10.0.0.11");
    await assertPings(vm4, "10.0.2.1");
    assert.deepEqual(await tcpTransfer(vm2, vm1, "10.0.0.12", 2_000_000), {
      peer: "10.0.0.11",
      bytes: 2_000_000,
    });
    assert.deepEqual(await tcpTransfer(vm3, vm1, "10.0.1.13", 2_000_000, 7071), {
      peer: "10.0.0.11",
      bytes: 2_000_000,
    });
    // The packets really crossed the underlay: the veth between the chassis carried them.
    const stats = JSON.parse(await ipIn(hvs[0], "-j", "-s", "link", "show", "ul0")) as {
      stats64: { tx: { bytes: number } };
    }[];
    assert.ok((stats[0]?.stats64.tx.bytes ?? 0) > 4_000_000, "hv1's underlay sent the transfers");
    // Stopped, a chassis gives the underlay interface its address back.
    await Promise.all(chassis.map((c) => c.stop(10_000)));
    for (const c of chassis) assert.equal(c.running, false);
    assert.match(await ipIn(hvs[0], "-4", "-o", "addr", "show", "dev", "ul0"), /192\.168\.50\.1\/24/);
  } catch (e) {
    for (const c of [central, ...chassis]) process.stderr.write(`--- ${c?.spec.name}\n${c?.tail() ?? ""}\n`);
    throw e;
  } finally {
    // SIGTERM: each chassis stops its controller, ovs-vswitchd and database, and gives ul0 its address back.
    await Promise.all(chassis.map((c) => c.stop(10_000)));
    await central?.stop();
    for (const n of namespaces.reverse()) await deleteNetns(n);
    rmSync(dir, { recursive: true, force: true });
  }
});
