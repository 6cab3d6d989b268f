// End to end: load-balancer health checks against real TCP stacks, for IPv4 and IPv6 backends.  Network
// namespaces as VMs on the userspace datapath (as ping.test.ts): two backends on ls1 run a tiny TCP server
// on port 80 that answers with its own name; a client on ls2 behind router lr0 connects to the VIP on port
// 80 (the load balancer is on the client's switch).  Probes come from the health check's source address
// and the svc_monitor_mac, so each backend's kernel must first resolve that address (by ARP, or by Neighbor
// Discovery answered by northd's nd_na flow).  Health checks every second (timeout 1 s, failure_count 2):
// with both servers up the VIP answers from both; stopping vm1's server (its kernel then answers the
// probes with RST) turns its Service_Monitor offline within interval x failure_count + slack and every
// connection reaches vm2; restarting it brings vm1 back online.  Every daemon but ovs-vswitchd is the
// implementation under test (the C one as the reference).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { runOk } from "../support/exec.js";
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
  sbctl,
  startController,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  waitUntil,
  withSandbox,
} from "../support/sandbox.js";

const SVC_MAC = "0a:00:00:00:00:fe";

interface Vm {
  readonly lsp: string;
  readonly sw: string;
  readonly mac: string;
  readonly ip: string;
  readonly gateway: string;
}

/** What differs between the IPv4 and the IPv6 run: addresses and how they are written. */
interface Family {
  readonly name: string;
  readonly vip: string;
  readonly vms: readonly [Vm, Vm, Vm];
  /** lr0's networks on ls1 and ls2. */
  readonly networks: readonly [string, string];
  /** An address as a load balancer's VIP, backends and ip_port_mappings write it. */
  readonly lbAddr: (ip: string) => string;
  /** The health check's source address. */
  readonly src: string;
  readonly listenHost: string;
  readonly configure: (netns: string, vm: Vm) => Promise<void>;
}

/** vm1 and vm2 on ls1 (the backends), vm3 on ls2 (the client). */
const vms = (ip: readonly [string, string, string], gw: readonly [string, string]): [Vm, Vm, Vm] => [
  { lsp: "vm1", sw: "ls1", mac: "02:00:00:00:00:11", ip: ip[0], gateway: gw[0] },
  { lsp: "vm2", sw: "ls1", mac: "02:00:00:00:00:12", ip: ip[1], gateway: gw[0] },
  { lsp: "vm3", sw: "ls2", mac: "02:00:00:00:00:13", ip: ip[2], gateway: gw[1] },
];

/** The VM's interface up with its MAC and IPv6 address (no duplicate address detection) and a default route. */
async function configureVm6(netns: string, vm: Vm): Promise<void> {
  const ip = (...args: string[]) => runOk("ip", ["-n", netns, ...args]);
  await ip("link", "set", "eth0", "address", vm.mac);
  await ip("link", "set", "eth0", "up");
  await ip("-6", "addr", "add", `${vm.ip}/64`, "dev", "eth0", "nodad");
  await ip("-6", "route", "add", "default", "via", vm.gateway);
}

const FAMILIES: readonly Family[] = [
  {
    name: "",
    vip: "10.0.0.100",
    vms: vms(["10.0.0.11", "10.0.0.12", "10.0.1.13"], ["10.0.0.1", "10.0.1.1"]),
    networks: ["10.0.0.1/24", "10.0.1.1/24"],
    lbAddr: (ip) => ip,
    src: "10.0.0.2",
    listenHost: "0.0.0.0",
    configure: (netns, vm) =>
      configureVm(netns, "eth0", { mac: vm.mac, cidr: `${vm.ip}/24`, gateway: vm.gateway }),
  },
  {
    name: "IPv6 ",
    vip: "fd00::100",
    vms: vms(["fd00::11", "fd00::12", "fd00:1::13"], ["fd00::1", "fd00:1::1"]),
    networks: ["fd00::1/64", "fd00:1::1/64"],
    lbAddr: (ip) => `[${ip}]`,
    src: "fd00::2",
    listenHost: "::",
    configure: configureVm6,
  },
];
/** interval 1 s × failure_count 2, plus the slack of a loaded two-core machine. */
const OFFLINE_WITHIN_MS = 2 * 1000 + 1000 + 8000;

function topology(f: Family): string[] {
  const cmds: string[][] = [
    ["set", "NB_Global", ".", `options:svc_monitor_mac="${SVC_MAC}"`],
    ["ls-add", "ls1"],
    ["ls-add", "ls2"],
    ["lr-add", "lr0"],
    ["lrp-add", "lr0", "lr0-ls1", "02:00:00:00:01:01", f.networks[0]],
    ["lrp-add", "lr0", "lr0-ls2", "02:00:00:00:02:01", f.networks[1]],
  ];
  for (const sw of ["ls1", "ls2"]) cmds.push(...routerPort(sw, `${sw}-lr0`, `lr0-${sw}`));
  for (const vm of f.vms) cmds.push(...vif(vm.sw, vm.lsp, `${vm.mac} ${vm.ip}`));
  cmds.push(
    [
      "lb-add",
      "lb0",
      `${f.lbAddr(f.vip)}:80`,
      `${f.lbAddr(f.vms[0].ip)}:80,${f.lbAddr(f.vms[1].ip)}:80`,
      "tcp",
    ],
    [
      "set",
      "Load_Balancer",
      "lb0",
      ...f.vms
        .slice(0, 2)
        .map((vm) => `ip_port_mappings:"${f.lbAddr(vm.ip)}"="${vm.lsp}:${f.lbAddr(f.src)}"`),
    ],
    [
      "--id=@hc",
      "create",
      "Load_Balancer_Health_Check",
      `vip="${f.lbAddr(f.vip)}:80"`,
      "options:interval=1",
      "options:timeout=1",
      "options:success_count=1",
      "options:failure_count=2",
    ],
    ["add", "Load_Balancer", "lb0", "health_check", "@hc"],
    ["ls-lb-add", "ls2", "lb0"],
  );
  return cmds.flatMap((c) => ["--", ...c]);
}

/** A TCP server on port 80 that writes `name` to every connection and closes it. */
const SERVER = `
const s = require("node:net").createServer((c) => c.end(process.argv[1]));
s.listen(80, process.argv[2], () => process.stdout.write("listening\\n"));
`;

/** N connections to HOST:80, one after the other; prints who answered each ("-" for a failure). */
const CLIENT = `
const net = require("node:net");
const n = Number(process.argv[2]);
const out = [];
const one = () => new Promise((res) => {
  let d = "";
  const c = net.connect({ host: process.argv[1], port: 80, timeout: 3000 });
  c.on("data", (b) => { d += b; });
  c.on("end", () => res(d));
  c.on("timeout", () => { c.destroy(); res("-"); });
  c.on("error", () => res("-"));
});
(async () => { for (let i = 0; i < n; i++) out.push(await one()); process.stdout.write(out.join(" ") + "\\n"); })();
`;

function startServer(netns: string, name: string, host: string): Promise<ChildProcess> {
  const p = spawn("ip", ["netns", "exec", netns, process.execPath, "-e", SERVER, name, host], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${name}: server did not start`)), 10_000);
    p.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("listening")) {
        clearTimeout(t);
        resolve(p);
      }
    });
    p.on("exit", (code) => reject(new Error(`${name}: server exited (${code})`)));
  });
}

async function connections(sb: Sandbox, netns: string, vip: string, n: number): Promise<string[]> {
  const r = await nsRun(sb, netns, process.execPath, ["-e", CLIENT, vip, String(n)], { timeoutMs: 60_000 });
  return r.stdout.trim().split(/\s+/);
}

async function status(sb: Sandbox, lsp: string): Promise<string> {
  return (
    await sbctl(sb, "--bare", "--columns=status", "find", "Service_Monitor", `logical_port=${lsp}`)
  ).trim();
}

for (const f of FAMILIES)
  for (const impl of implementations()) {
    test(
      `[${impl}] e2e: ${f.name}LB health checks take a stopped TCP server out of the VIP and bring it back`,
      { timeout: 150_000 },
      () =>
        withSandbox(async (sb) => {
          requireRoot();
          requireTools("ip", "ethtool", "ovs-vswitchd", "ovn-northd", "ovn-controller");
          if (!existsSync("/dev/net/tun"))
            throw new Error("prerequisite missing: /dev/net/tun (the netdev datapath needs tap devices)");
          const servers: ChildProcess[] = [];
          try {
            await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
            await startDbServer(sb, { impl, name: "sb", schemas: ["ovn-sb"] });
            const ovs = await startDbServer(sb, { impl, name: "ovs", schemas: ["vswitch"] });
            const hv = await addNetns(sb, "hv");
            await startVswitchd(sb, { dbSock: ovs.sock, dummy: "none", netns: hv });
            await nbctl(sb, "init");
            await startNorthd(sb, { impl });
            await startController(sb, {
              impl,
              ovsDb: ovs.sock,
              externalIds: { "ovn-bridge-datapath-type": "netdev" },
            });
            await nbctl(sb, ...topology(f));
            await vsctl(sb, "wait-until", "Bridge", "br-int");
            const ns: string[] = [];
            for (const [i, vm] of f.vms.entries()) {
              const netns = await addNetns(sb, vm.lsp);
              await addVeth(sb, { name: "eth0", netns }, { name: `vif${i + 1}`, netns: hv });
              await f.configure(netns, vm);
              // The userspace datapath does not complete offloaded TCP checksums of veth traffic.
              await nsRun(sb, netns, "ethtool", ["-K", "eth0", "tx", "off"]);
              await vsctl(sb, ...plugArgs(`vif${i + 1}`, vm.lsp));
              ns.push(netns);
            }
            const [ns1, ns2, client] = ns as [string, string, string];
            for (const vm of f.vms) await nbctl(sb, "wait-until", "Logical_Switch_Port", vm.lsp, "up=true");
            await nbctl(sb, "--wait=hv", "sync");
            const vm1Server = await startServer(ns1, "vm1", f.listenHost);
            servers.push(vm1Server, await startServer(ns2, "vm2", f.listenHost));

            const both = async (want: string) =>
              (await status(sb, "vm1")) === want && (await status(sb, "vm2")) === want;
            await waitUntil(() => both("online"), 20_000, { what: "vm1 and vm2 online" });
            const first = await waitUntil(
              async () => {
                const got = await connections(sb, client, f.vip, 12);
                return got.every((g) => g === "vm1" || g === "vm2") && new Set(got).size === 2 ? got : false;
              },
              30_000,
              { what: "the VIP answered by both backends" },
            );
            assert.equal(first.length, 12);

            vm1Server.kill("SIGKILL");
            const t0 = Date.now();
            await waitUntil(async () => (await status(sb, "vm1")) === "offline", OFFLINE_WITHIN_MS, {
              what: "vm1 offline after its server stopped",
            });
            assert.ok(Date.now() - t0 <= OFFLINE_WITHIN_MS);
            assert.equal(await status(sb, "vm2"), "online");
            await nbctl(sb, "--wait=hv", "sync");
            assert.deepEqual(
              await connections(sb, client, f.vip, 12),
              Array(12).fill("vm2"),
              "every connection reaches vm2",
            );

            servers.push(await startServer(ns1, "vm1", f.listenHost));
            await waitUntil(async () => (await status(sb, "vm1")) === "online", OFFLINE_WITHIN_MS, {
              what: "vm1 online again",
            });
            await nbctl(sb, "--wait=hv", "sync");
            await waitUntil(async () => (await connections(sb, client, f.vip, 12)).includes("vm1"), 20_000, {
              what: "the VIP reaching vm1 again",
            });
          } finally {
            for (const s of servers) s.kill("SIGKILL");
          }
        }),
    );
  }
