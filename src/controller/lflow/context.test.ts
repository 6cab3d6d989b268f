// Which datapaths a chassis compiles flows for (localDatapaths), and the port keys its lookups give.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chassisContext, localDatapaths } from "./context.js";
import type { SbPortBinding, SbView } from "./sb.js";
import { sbPortBinding } from "./sb-fixture.js";

const port = (
  name: string,
  datapath: string,
  key: number,
  more: Partial<SbPortBinding> = {},
): SbPortBinding => sbPortBinding({ logicalPort: name, datapath, tunnelKey: key, ...more });

// ls1: a VIF on hv1 and an external port whose HA group is hv1 (active, bound) and hv2 (standby);
// ls2: a VIF on hv3, joined to lr through patch ports; ls3: nothing local anywhere.
const view: SbView = {
  flows: [],
  datapaths: [
    { uuid: "ls1", tunnelKey: 1, name: "ls1", isRouter: false },
    { uuid: "ls2", tunnelKey: 2, name: "ls2", isRouter: false },
    { uuid: "lr", tunnelKey: 3, name: "lr", isRouter: true },
    { uuid: "ls3", tunnelKey: 4, name: "ls3", isRouter: false },
  ],
  ports: [
    port("vif1", "ls1", 1, { chassis: "hv1" }),
    port("ext1", "ls1", 2, {
      type: "external",
      chassis: "hv1",
      haChassis: [
        { chassis: "hv1", priority: 30 },
        { chassis: "hv2", priority: 20 },
      ],
    }),
    port("vif2", "ls2", 1, { chassis: "hv3" }),
    port("ls2-lr", "ls2", 2, { type: "patch", options: { peer: "lr-ls2" } }),
    port("lr-ls2", "lr", 1, { type: "patch", options: { peer: "ls2-lr" } }),
    port("vif3", "ls3", 1),
  ],
  mcGroups: [{ uuid: "m1", name: "_MC_flood", datapath: "ls1", tunnelKey: 32768, ports: ["vif1"] }],
  macBindings: [],
  chassis: [],
  addressSets: {},
  portGroups: {},
  dhcpv4Options: [],
  dhcpv6Options: [],
  loadBalancers: [],
  fdbs: [],
};

const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();

test("localDatapaths: bound ports, HA chassis group members, and what patch ports reach", () => {
  assert.deepEqual(sorted(localDatapaths(view, "hv1")), ["ls1"]);
  // hv2 is only a standby member of ext1's group: it has ls1 ready for a failover.
  assert.deepEqual(sorted(localDatapaths(view, "hv2")), ["ls1"]);
  assert.deepEqual(sorted(localDatapaths(view, "hv3")), ["lr", "ls2"]);
  assert.deepEqual(sorted(localDatapaths(view, "hv4")), []);
});

test("chassisContext: port keys of the datapath's own ports and multicast groups only", () => {
  const ctx = chassisContext(view, "hv1");
  const ls1 = ctx.datapathLookups("ls1");
  const ls2 = ctx.datapathLookups("ls2");
  assert.equal(ls1?.portKey("ext1"), 2);
  assert.equal(ls1?.portKey("_MC_flood"), 32768);
  assert.equal(ls1?.portKey("vif2"), undefined);
  assert.equal(ls1?.portKey("none"), 0);
  assert.equal(ls2?.portKey("ls2-lr"), 2);
  assert.equal(ls1?.isChassisResident("ext1"), true);
  assert.equal(chassisContext(view, "hv2").datapathLookups("ls1")?.isChassisResident("ext1"), false);
});

// ls2 - lr as above, and lr's distributed gateway port to a provider switch "ext" whose redirect port
// cr-lr-ext has hv1 (active) and hv2 in its HA group.
function gatewayView(alwaysRedirect: boolean): SbView {
  return {
    ...view,
    datapaths: [...view.datapaths, { uuid: "ext", tunnelKey: 5, name: "ext", isRouter: false }],
    ports: [
      ...view.ports,
      port("lr-ext", "lr", 2, {
        type: "patch",
        options: { peer: "ext-lr", "chassis-redirect-port": "cr-lr-ext" },
      }),
      port("ext-lr", "ext", 1, { type: "patch", options: { peer: "lr-ext" } }),
      port("cr-lr-ext", "lr", 3, {
        type: "chassisredirect",
        chassis: "hv1",
        options: { "distributed-port": "lr-ext", ...(alwaysRedirect && { "always-redirect": "true" }) },
        haChassis: [
          { chassis: "hv1", priority: 20 },
          { chassis: "hv2", priority: 10 },
        ],
      }),
    ],
  };
}

test("localDatapaths: the switch behind an always-redirect gateway port is local only on its HA chassis", () => {
  // Centralized NAT (always-redirect): hv3 (a VIF on ls2) reaches lr but not the provider switch; a
  // chassis of the HA group with a VIF on ls2 too (hv2, standby) has it ready.
  const central = gatewayView(true);
  assert.deepEqual(sorted(localDatapaths(central, "hv3")), ["lr", "ls2"]);
  const withHv2 = { ...central, ports: [...central.ports, port("vif4", "ls2", 9, { chassis: "hv2" })] };
  // (ls1 through ext1's HA group, as in the first test.)
  assert.deepEqual(sorted(localDatapaths(withHv2, "hv2")), ["ext", "lr", "ls1", "ls2"]);
  // Distributed processing (no always-redirect): the provider switch follows the router everywhere.
  assert.deepEqual(sorted(localDatapaths(gatewayView(false), "hv3")), ["ext", "lr", "ls2"]);
});
