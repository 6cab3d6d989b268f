// Every SB table but Logical_Flow written by ovnts northd equals the real ovn-northd's, on
// configurations covering every port type, before and after a series of incremental changes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LB_HC_REMOTE } from "../switch/peer/scenarios.js";
import { compareDumps, formatComparison, withBothNorthds } from "./harness.js";
import { BASIC, BASIC_STEPS, PORT_TYPES, PORT_TYPES_STEPS } from "./scenarios.js";

export const SB_TABLES = [
  "SB_Global",
  "Datapath_Binding",
  "Port_Binding",
  "Multicast_Group",
  "Address_Set",
  "Port_Group",
  "Meter",
  "Meter_Band",
  "DHCP_Options",
  "DHCPv6_Options",
  "DNS",
  "Load_Balancer",
  "HA_Chassis_Group",
  "HA_Chassis",
  "Gateway_Chassis",
  "IP_Multicast",
  "Static_MAC_Binding",
  "MAC_Binding",
  "RBAC_Role",
  "RBAC_Permission",
  "Service_Monitor",
];

for (const [sc, steps] of [
  [BASIC, BASIC_STEPS],
  [PORT_TYPES, PORT_TYPES_STEPS],
] as const) {
  test(`SB tables identical to ovn-northd's: ${sc.name ?? ""}, then after ${steps.length} changes`, async () => {
    await withBothNorthds(sc, { check: true }, async (both) => {
      const first = await both.dump();
      const cmp = compareDumps(first.c, first.ts, { tables: SB_TABLES });
      assert.ok(cmp.equal, formatComparison(cmp));
      assert.ok((cmp.tables.get("Port_Binding")?.same ?? 0) >= 9);
      for (const s of steps) await both.step(s);
      const after = await both.dump();
      const cmp2 = compareDumps(after.c, after.ts, { tables: SB_TABLES });
      assert.ok(cmp2.equal, formatComparison(cmp2));
    });
  });
}

test("SB Service_Monitor rows identical to ovn-northd's: health-checked backends on another switch, IPv6", async () => {
  await withBothNorthds({ ...LB_HC_REMOTE, steps: [] }, { check: true }, async (both) => {
    const first = await both.dump();
    const cmp = compareDumps(first.c, first.ts, { tables: SB_TABLES });
    assert.ok(cmp.equal, formatComparison(cmp));
    assert.ok((cmp.tables.get("Service_Monitor")?.same ?? 0) >= 4, "Service_Monitor rows compared");
    for (const s of LB_HC_REMOTE.steps ?? []) await both.step(s);
    const after = await both.dump();
    const cmp2 = compareDumps(after.c, after.ts, { tables: SB_TABLES });
    assert.ok(cmp2.equal, formatComparison(cmp2));
  });
});
