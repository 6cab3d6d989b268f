// The Chassis row's contents as ovn-controller 23.03 writes them (values observed on a real chassis of
// the peer sandbox, and ovn-controller.at's "Chassis other_config" expectations).
import assert from "node:assert/strict";
import { test } from "node:test";
import { localConfig } from "./config.js";
import { chassisHostname, chassisOtherConfig, encapIpList } from "./southbound-chassis.js";

const cfg = (ids: Record<string, string>, brIntType = "") =>
  localConfig(new Map(Object.entries({ "system-id": "hv1", ...ids })), [
    { name: "br-int", datapathType: brIntType },
  ]);

test("chassisOtherConfig: the keys, defaults and features of a real chassis", () => {
  const ovs = { externalIds: new Map([["system-id", "hv1"]]), ifaceTypes: ["vxlan", "geneve", "afxdp"] };
  assert.deepEqual([...chassisOtherConfig(cfg({}), ovs)].sort(), [
    ["ct-no-masked-label", "true"],
    ["datapath-type", "system"],
    ["iface-types", "afxdp,geneve,vxlan"],
    ["is-interconn", "false"],
    ["mac-binding-timestamp", "true"],
    ["ovn-bridge-mappings", ""],
    ["ovn-chassis-mac-mappings", ""],
    ["ovn-cms-options", ""],
    ["ovn-ct-lb-related", "true"],
    ["ovn-enable-lflow-cache", "true"],
    ["ovn-limit-lflow-cache", ""],
    ["ovn-memlimit-lflow-cache-kb", ""],
    ["ovn-monitor-all", "false"],
    ["ovn-trim-limit-lflow-cache", ""],
    ["ovn-trim-timeout-ms", ""],
    ["ovn-trim-wmark-perc-lflow-cache", ""],
    ["port-up-notif", "true"],
  ]);
  // Local settings, the per-chassis form winning; br-int's own datapath type.
  const ids = new Map([
    ["ovn-cms-options", "enable-chassis-as-gw"],
    ["ovn-cms-options-hv1", "localport"],
    ["ovn-is-interconn", "TRUE"],
    ["ovn-monitor-all", "true"],
  ]);
  const c = chassisOtherConfig(cfg(Object.fromEntries(ids), "netdev"), { externalIds: ids, ifaceTypes: [] });
  assert.equal(c.get("ovn-cms-options"), "localport");
  assert.equal(c.get("is-interconn"), "true");
  assert.equal(c.get("ovn-monitor-all"), "true");
  assert.equal(c.get("datapath-type"), "netdev");
  // Without the Open_vSwitch row: only what LocalConfig has (and the features).
  const bare = chassisOtherConfig(cfg({ "ovn-bridge-mappings": "phys:br-phys" }));
  assert.equal(bare.get("ovn-bridge-mappings"), "phys:br-phys");
  assert.equal(bare.get("iface-types"), undefined);
  assert.equal(bare.get("port-up-notif"), "true");
});

test("chassisHostname: external_ids:hostname(-SYSTEMID) over the host's name", () => {
  const ovs = (ids: Record<string, string>) => ({
    externalIds: new Map(Object.entries(ids)),
    ifaceTypes: [],
  });
  assert.equal(chassisHostname(cfg({}), "vm"), "vm");
  assert.equal(chassisHostname(cfg({}), "vm", ovs({ hostname: "hv1" })), "hv1");
  assert.equal(chassisHostname(cfg({}), "vm", ovs({ hostname: "hv1", "hostname-hv1": "own" })), "own");
});

test("encapIpList: ovn-encap-ip as a comma list, one Encap per address", () => {
  assert.deepEqual(encapIpList(undefined), []);
  assert.deepEqual(encapIpList("192.168.0.1"), ["192.168.0.1"]);
  assert.deepEqual(encapIpList("192.168.0.1, 192.168.0.21,,192.168.0.1"), ["192.168.0.1", "192.168.0.21"]);
});
