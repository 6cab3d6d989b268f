import assert from "node:assert/strict";
import { test } from "node:test";
import { vswitchModel } from "../../ovsdb/idl/generated/vswitch.js";
import { OVS_MONITOR } from "./ovs-monitor.js";

test("OVS_MONITOR: every table, every column the agent reads, no statistics", () => {
  assert.deepEqual(Object.keys(OVS_MONITOR).sort(), [...vswitchModel.tables.keys()].sort());
  const iface = OVS_MONITOR.Interface;
  assert.ok(Array.isArray(iface));
  for (const c of ["name", "type", "ofport", "externalIds", "options"] as const)
    assert.ok(iface.includes(c), c);
  assert.ok(!(iface as readonly string[]).includes("statistics"));
  for (const [name, cols] of Object.entries(OVS_MONITOR) as [string, readonly string[]][]) {
    assert.ok(!cols.includes("statistics") && !cols.includes("rstpStatistics"), name);
    const all = vswitchModel.tables.get(name as never)?.columns.length ?? 0;
    assert.ok(cols.length >= all - 2 && cols.length > 0, name);
  }
});
