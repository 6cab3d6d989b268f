// End to end: network namespaces as VMs on the real userspace (netdev) datapath, every database served
// by the implementation under test, real ovn-northd, ovn-controller and ovs-vswitchd. Two VMs share a
// logical switch, the third sits on another switch behind a logical router; all ping each other, and
// deleting a logical port cuts its VM off.
//
// ovs-vswitchd runs in a namespace of its own ("hv"), so the tap device of br-int and the host ends of
// the veths never meet the host's interfaces or a parallel run's.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { plugArgs, routerPort, vif } from "../support/nbctl-build.js";
import {
  addNetns,
  addVeth,
  configureVm,
  implementations,
  nbctl,
  nsRun,
  requireRoot,
  requireTools,
  type Sandbox,
  startController,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  waitUntil,
  withSandbox,
} from "../support/sandbox.js";

interface Vm {
  lsp: string;
  sw: string;
  mac: string;
  ip: string;
  gateway: string;
  netns: string;
}

const VMS: Omit<Vm, "netns">[] = [
  { lsp: "lsp1", sw: "ls1", mac: "02:00:00:00:00:11", ip: "10.0.0.11", gateway: "10.0.0.1" },
  { lsp: "lsp2", sw: "ls1", mac: "02:00:00:00:00:12", ip: "10.0.0.12", gateway: "10.0.0.1" },
  { lsp: "lsp3", sw: "ls2", mac: "02:00:00:00:00:13", ip: "10.0.1.13", gateway: "10.0.1.1" },
];

/** Router lr0 joins ls1 (10.0.0.0/24) and ls2 (10.0.1.0/24); VMs' ports carry "MAC IP" addresses. One transaction. */
function topology(): string[] {
  const cmds: string[][] = [
    ["ls-add", "ls1"],
    ["ls-add", "ls2"],
    ["lr-add", "lr0"],
    ["lrp-add", "lr0", "lr0-ls1", "02:00:00:00:01:01", "10.0.0.1/24"],
    ["lrp-add", "lr0", "lr0-ls2", "02:00:00:00:02:01", "10.0.1.1/24"],
  ];
  for (const sw of ["ls1", "ls2"]) cmds.push(...routerPort(sw, `${sw}-lr0`, `lr0-${sw}`));
  for (const vm of VMS) cmds.push(...vif(vm.sw, vm.lsp, `${vm.mac} ${vm.ip}`));
  return cmds.flatMap((c) => ["--", ...c]);
}

async function ping(sb: Sandbox, from: Vm, to: string, waitSec = 2): Promise<boolean> {
  const r = await nsRun(sb, from.netns, "ping", ["-c", "1", "-W", String(waitSec), to], {
    timeoutMs: 10_000,
  });
  return r.code === 0;
}

/** Ping until it answers: the first packets can race ARP and flow installation. */
async function assertPings(sb: Sandbox, from: Vm, to: Vm): Promise<void> {
  await waitUntil(() => ping(sb, from, to.ip), 15_000, {
    what: `${from.lsp} (${from.ip}) to ping ${to.lsp} (${to.ip})`,
  });
}

for (const impl of implementations()) {
  test(
    `[${impl}] e2e: VMs ping across a logical switch and a logical router; lsp-del cuts a VM off`,
    { timeout: 90_000 },
    () =>
      withSandbox(async (sb) => {
        requireRoot();
        requireTools("ip", "ping", "ovs-vswitchd", "ovn-northd", "ovn-controller");
        if (!existsSync("/dev/net/tun"))
          throw new Error("prerequisite missing: /dev/net/tun (the netdev datapath needs tap devices)");

        await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
        await startDbServer(sb, { impl, name: "sb", schemas: ["ovn-sb"] });
        const ovs = await startDbServer(sb, { impl, name: "ovs", schemas: ["vswitch"] });
        const hv = await addNetns(sb, "hv");
        await startVswitchd(sb, { dbSock: ovs.sock, dummy: "none", netns: hv });
        await startNorthd(sb);
        await startController(sb, { ovsDb: ovs.sock, externalIds: { "ovn-bridge-datapath-type": "netdev" } });
        await nbctl(sb, ...topology());

        // ovn-controller creates br-int with the datapath type it was given.
        await vsctl(sb, "wait-until", "Bridge", "br-int");
        assert.equal(await vsctl(sb, "get", "Bridge", "br-int", "datapath_type"), "netdev\n");

        const vms: Vm[] = [];
        for (const [i, spec] of VMS.entries()) {
          const vm: Vm = { ...spec, netns: await addNetns(sb, `vm${i + 1}`) };
          const vif = `vif${i + 1}`;
          await addVeth(sb, { name: "eth0", netns: vm.netns }, { name: vif, netns: hv });
          await configureVm(vm.netns, "eth0", { mac: vm.mac, cidr: `${vm.ip}/24`, gateway: vm.gateway });
          await vsctl(sb, ...plugArgs(vif, vm.lsp));
          vms.push(vm);
        }
        for (const vm of vms) await nbctl(sb, "wait-until", "Logical_Switch_Port", vm.lsp, "up=true");
        await nbctl(sb, "--wait=hv", "sync");

        const [vm1, vm2, vm3] = vms as [Vm, Vm, Vm];
        for (const [a, b] of [
          [vm1, vm2],
          [vm2, vm1],
          [vm1, vm3],
          [vm3, vm1],
          [vm2, vm3],
          [vm3, vm2],
        ] as const) {
          await assertPings(sb, a, b);
        }

        // The VM behind the router loses its logical port: nothing reaches it any more.
        await nbctl(sb, "--wait=hv", "lsp-del", vm3.lsp);
        assert.equal(await ping(sb, vm1, vm3.ip, 1), false, "ping to a deleted port must fail");
        assert.equal(await ping(sb, vm2, vm3.ip, 1), false, "ping to a deleted port must fail");
        assert.equal(await ping(sb, vm1, vm2.ip), true, "the rest of the network still works");
      }),
  );
}
