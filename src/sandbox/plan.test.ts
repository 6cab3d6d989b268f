// The pure parts of `ovnts chassis` / `ovnts sandbox`: flag resolution, the external_ids the controller
// reads, the sandbox's names and logical network, and the install hints.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chassisConfig, controllerExternalIds, vswitchdFlags } from "./chassis-config.js";
import { isSandboxNetns, sandboxNames } from "./names.js";
import { missingToolsMessage } from "./tools.js";
import { chain, sandboxTopology } from "./topology.js";

const defaults = { hostname: "host-a", ovnRemote: "unix:/var/run/ovn/ovnsb_db.sock" };

test("chassis: defaults come from the host name and the OVN run dir", () => {
  const c = chassisConfig({}, defaults);
  assert.deepEqual(c, {
    systemId: "host-a",
    ovnRemote: "unix:/var/run/ovn/ovnsb_db.sock",
    encapType: "geneve",
    encapIp: "127.0.0.1",
    bridgeMappings: undefined,
    runDir: "/var/run/ovnts/chassis-host-a",
    dataDir: "/var/lib/ovnts/chassis-host-a",
    netns: undefined,
    datapath: "netdev",
    underlay: undefined,
  });
  assert.deepEqual(vswitchdFlags(c), ["--disable-system"]);
});

test("chassis: flags become the Open_vSwitch external_ids ovn-controller reads", () => {
  const c = chassisConfig(
    {
      "system-id": "hv2",
      "ovn-remote": "tcp:10.0.0.1:6642",
      "encap-ip": "192.168.50.2",
      "encap-type": "geneve,vxlan",
      "bridge-mappings": "physnet1:br-phys",
      "run-dir": "/tmp/hv2",
    },
    defaults,
  );
  assert.equal(c.dataDir, "/tmp/hv2", "the data dir follows --run-dir");
  assert.deepEqual(controllerExternalIds(c), [
    ["system-id", "hv2"],
    ["ovn-remote", "tcp:10.0.0.1:6642"],
    ["ovn-encap-type", "geneve,vxlan"],
    ["ovn-encap-ip", "192.168.50.2"],
    ["ovn-bridge-mappings", "physnet1:br-phys"],
    ["ovn-bridge-datapath-type", "netdev"],
  ]);
  assert.deepEqual(vswitchdFlags(chassisConfig({ datapath: "system" }, defaults)), []);
});

test("chassis: bad flags are refused with the flag's name", () => {
  assert.throws(() => chassisConfig({ datapath: "dpdk" }, defaults), /--datapath: 'netdev' or 'system'/);
  assert.throws(
    () => chassisConfig({ "encap-type": "gre" }, defaults),
    /--encap-type: unknown encapsulation 'gre'/,
  );
  assert.throws(() => chassisConfig({ "system-id": "a b" }, defaults), /--system-id: bad chassis name/);
  assert.throws(
    () => chassisConfig({ datapath: "system", underlay: "eth1" }, defaults),
    /--underlay is for the netdev/,
  );
});

test("sandbox names: everything carries the run's prefix", () => {
  const n = sandboxNames("4242");
  assert.deepEqual(
    [n.hv, n.outside, n.vm(1), n.vm(12)],
    ["ovnts-4242-hv1", "ovnts-4242-outside", "ovnts-4242-vm1", "ovnts-4242-vm12"],
  );
  assert.equal(isSandboxNetns("ovnts-4242-vm1", n.prefix), true);
  assert.equal(isSandboxNetns("ovnts-4243-vm1", n.prefix), false);
});

test("sandbox topology: VMs, router, SNAT and DHCP in one nbctl transaction", () => {
  const t = sandboxTopology(2, "hv1");
  assert.deepEqual(
    t.vms.map((v) => `${v.lsp} ${v.mac} ${v.ip}/${v.prefixLen} via ${v.gateway}`),
    ["vm1 02:00:0a:00:00:01 10.0.0.11/24 via 10.0.0.1", "vm2 02:00:0a:00:00:02 10.0.0.12/24 via 10.0.0.1"],
  );
  const cmds = t.nbctlArgs
    .join(" ")
    .split(" -- ")
    .map((c) => c.replace(/^-- /, ""));
  assert.deepEqual(cmds, [
    "ls-add ls0",
    "ls-add public",
    "lr-add lr0",
    "lrp-add lr0 lr0-ls0 02:00:0a:00:00:fe 10.0.0.1/24",
    "lrp-add lr0 lr0-public 02:00:ac:10:00:01 172.16.0.1/24",
    "set Logical_Router lr0 options:chassis=hv1",
    "lr-nat-add lr0 snat 172.16.0.1 10.0.0.0/24",
    "--id=@dhcp create DHCP_Options cidr=10.0.0.0/24 options:server_id=10.0.0.1 options:server_mac=02:00:0a:00:00:fe options:lease_time=3600 options:router=10.0.0.1",
    "lsp-add ls0 ls0-lr0",
    "lsp-set-type ls0-lr0 router",
    "lsp-set-addresses ls0-lr0 router",
    "lsp-set-options ls0-lr0 router-port=lr0-ls0",
    "lsp-add public public-lr0",
    "lsp-set-type public-lr0 router",
    "lsp-set-addresses public-lr0 router",
    "lsp-set-options public-lr0 router-port=lr0-public",
    "lsp-add ls0 vm1",
    "lsp-set-addresses vm1 02:00:0a:00:00:01 10.0.0.11",
    "set Logical_Switch_Port vm1 dhcpv4_options=@dhcp",
    "lsp-add ls0 vm2",
    "lsp-set-addresses vm2 02:00:0a:00:00:02 10.0.0.12",
    "set Logical_Switch_Port vm2 dhcpv4_options=@dhcp",
    "lsp-add public outside",
    "lsp-set-addresses outside 02:00:ac:10:00:0a 172.16.0.10",
  ]);
  // No VM's MAC or address collides with the router's or another VM's, at the largest size.
  const big = sandboxTopology(200, "hv1");
  const macs = [...big.vms.map((v) => v.mac), big.routerMac, big.outside.mac];
  assert.equal(new Set(macs).size, macs.length);
  assert.equal(new Set(big.vms.map((v) => v.ip)).size, 200);
  assert.throws(() => sandboxTopology(0, "hv1"), /--vms: 1\.\.200/);
  assert.throws(() => sandboxTopology(201, "hv1"), /--vms: 1\.\.200/);
  assert.deepEqual(chain([["a", "b"], ["c"]]), ["--", "a", "b", "--", "c"]);
});

test("install hints: one apt-get line naming each package once", () => {
  assert.equal(missingToolsMessage([]), undefined);
  assert.equal(
    missingToolsMessage(["ovs-vswitchd", "ovs-vsctl", "udhcpc"]),
    "missing ovs-vswitchd, ovs-vsctl, udhcpc: install with\n  apt-get install openvswitch-switch udhcpc",
  );
});
