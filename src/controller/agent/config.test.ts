// The local configuration: chassis-specific overrides (ovn-controller(8): "external_ids:option-[chassis]
// ... Name specific configuration options always override any global options") and the tunnel options.

import assert from "node:assert/strict";
import { test } from "node:test";
import { localConfig } from "./config.js";

test("OPTION-SYSTEMID overrides OPTION for this chassis only", () => {
  const ids = new Map([
    ["system-id", "hv1"],
    ["ovn-encap-ip", "10.0.0.9"],
    ["ovn-encap-ip-hv1", "10.0.0.1"],
    ["ovn-encap-ip-hv2", "10.0.0.2"],
    ["ovn-encap-type-hv1", "vxlan"],
    ["ovn-bridge-mappings", "phys:br-phys"],
    ["ovn-remote-hv2", "unix:/other"],
    ["ovn-remote", "unix:/sb"],
    ["ovn-transport-zones-hv1", "tz1, tz2"],
  ]);
  const c = localConfig(ids, []);
  assert.equal(c.encapIp, "10.0.0.1");
  assert.deepEqual(c.encapTypes, ["vxlan"]);
  assert.equal(c.bridgeMappings, "phys:br-phys", "no override: the global value");
  assert.equal(c.remote, "unix:/sb", "another chassis's override does not apply");
  assert.deepEqual(c.transportZones, ["tz1", "tz2"]);
});

test("tunnel options: csum defaults to true; tos and df_default only when set", () => {
  const d = localConfig(new Map([["system-id", "hv1"]]), []);
  assert.equal(d.encapCsum, true);
  assert.equal(d.encapTos, undefined);
  assert.equal(d.encapDfDefault, undefined);
  assert.deepEqual(d.transportZones, []);
  const c = localConfig(
    new Map([
      ["system-id", "hv1"],
      ["ovn-encap-csum", "false"],
      ["ovn-encap-tos", "inherit"],
      ["ovn-encap-df_default", "true"],
    ]),
    [],
  );
  assert.equal(c.encapCsum, false);
  assert.equal(c.encapTos, "inherit");
  assert.equal(c.encapDfDefault, "true");
});
