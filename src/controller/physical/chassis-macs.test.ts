import assert from "node:assert/strict";
import { test } from "node:test";
import { remoteChassisMacs } from "./chassis-macs.js";

test("ovn-chassis-mac-mappings of other chassis: parsed, bad entries warned about as ovn-controller does", () => {
  const r = remoteChassisMacs("hv1", [
    { name: "hv1", macMappings: "nonsense" },
    { name: "foo", macMappings: "invalid1,invalid2,br1:00:00:00:00:00:00" },
    { name: "bar", macMappings: "br-phys:0a:00:00:00:00:01,,br2:" },
    { name: "baz", macMappings: undefined },
  ]);
  assert.deepEqual(r.macs, [
    { chassis: "foo", bridge: "br1", mac: "00:00:00:00:00:00" },
    { chassis: "bar", bridge: "br-phys", mac: "0a:00:00:00:00:01" },
  ]);
  assert.deepEqual(r.warnings, [
    'Parsing of ovn-chassis-mac-mappings failed for: "invalid1", the correct format is "br-name1:MAC1".',
    'Parsing of ovn-chassis-mac-mappings failed for: "invalid2", the correct format is "br-name1:MAC1".',
    'Parsing of ovn-chassis-mac-mappings failed for: "br2", the correct format is "br-name1:MAC1".',
  ]);
});
