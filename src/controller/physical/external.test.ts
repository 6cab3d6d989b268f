// External ports' physical flows on the chassis that binds them, as the real ovn-controller 23.03
// installs them (two chassis, ls1 with localnet `ln` plugged in, `ext1` external in an HA chassis
// group, bound here): table 41 lets a localport's packets out of the localnet to ext1's MAC, and the
// flood group loads ext1's zone (with no copy after it).

import assert from "node:assert/strict";
import { test } from "node:test";
import { formatFlow } from "../../openflow/text.js";
import { localDatapaths } from "../lflow/context.js";
import type { SbPortBinding, SbView } from "../lflow/sb.js";
import { sbPortBinding } from "../lflow/sb-fixture.js";
import { toFlowMod } from "../lflow/to-model.js";
import { portMacs } from "./external.js";
import { type PhysicalInput, physicalFlows } from "./index.js";

const LS = "00000000-0000-0000-0000-0000000000a1";

function port(uuid: string, name: string, key: number, extra: Partial<SbPortBinding>): SbPortBinding {
  return sbPortBinding({ uuid, logicalPort: name, datapath: LS, tunnelKey: key, ...extra });
}

function flowsWith(extChassis: string): string[] {
  const view: SbView = {
    flows: [],
    datapaths: [{ uuid: LS, tunnelKey: 1, name: "ls1", isRouter: false }],
    ports: [
      port("b24d5d8d-0000-0000-0000-000000000000", "ln", 1, {
        type: "localnet",
        options: { network_name: "phys" },
        mac: ["unknown"],
      }),
      port("ecbd5071-0000-0000-0000-000000000000", "ext1", 2, {
        type: "external",
        chassis: extChassis,
        mac: ["f0:00:00:00:00:03 10.0.0.6"],
      }),
    ],
    mcGroups: [
      {
        uuid: "ac7af088-0000-0000-0000-000000000000",
        datapath: LS,
        name: "_MC_flood",
        tunnelKey: 0x8000,
        ports: ["ln", "ext1"],
      },
    ],
    macBindings: [],
    chassis: [],
    addressSets: {},
    portGroups: {},
    dhcpv4Options: [],
    dhcpv6Options: [],
    loadBalancers: [],
    fdbs: [],
  };
  const zones: Record<string, number> = { ln: 3, ext1: 4 };
  const input: PhysicalInput = {
    chassis: "hv1",
    view,
    localDatapaths: new Set([...localDatapaths(view, "hv1"), LS]),
    vifPorts: new Map(),
    tunnelPorts: new Map([["hv2", 1]]),
    localnetPorts: new Map([["ln", 2]]),
    ctZone: (p) => zones[p],
    dnatZone: () => 1,
    snatZone: () => 2,
  };
  return physicalFlows(input).map((f) => formatFlow(toFlowMod(f)).trim());
}

const EXCEPTION =
  "cookie=0xb24d5d8d, table=41, priority=170,reg10=0x400/0x400,reg15=0x1,metadata=0x1,dl_dst=f0:00:00:00:00:03 actions=set_field:0->reg0,set_field:0->reg1,set_field:0->reg2,set_field:0->reg3,set_field:0->reg4,set_field:0->reg5,set_field:0->reg6,set_field:0->reg7,set_field:0->reg8,set_field:0->reg9,resubmit(,42)";

test("an external port bound here: a localport may reach its MAC through the localnet (table 41, 170)", () => {
  const lines = flowsWith("hv1");
  assert.ok(lines.includes(EXCEPTION), lines.filter((l) => l.includes("table=41")).join("\n"));
  // The 160 drop it overrides is still there for every other destination.
  assert.ok(
    lines.includes(
      "cookie=0xb24d5d8d, table=41, priority=160,reg10=0x400/0x400,reg15=0x1,metadata=0x1 actions=drop",
    ),
  );
  // Output to the external port goes out of the localnet port.
  assert.ok(
    lines.includes(
      "cookie=0xecbd5071, table=40, priority=100,reg15=0x2,metadata=0x1 actions=set_field:0x1->reg15,resubmit(,40)",
    ),
  );
});

test("the flood group loads the external port's zone after the localnet copy", () => {
  const lines = flowsWith("hv1");
  assert.ok(
    lines.includes(
      "cookie=0xac7af088, table=40, priority=100,reg15=0x8000,metadata=0x1 actions=set_field:0x3->reg13,set_field:0x1->reg15,resubmit(,41),set_field:0x4->reg13,set_field:0x8000->reg15",
    ),
    lines.filter((l) => l.includes("reg15=0x8000")).join("\n"),
  );
});

test("bound to another chassis: no exception, no zone", () => {
  const lines = flowsWith("hv2");
  assert.ok(!lines.some((l) => l.includes("priority=170")));
  assert.ok(!lines.some((l) => l.includes("set_field:0x4->reg13")));
});

test("portMacs: the first word of each mac entry, 'unknown' and 'router' skipped", () => {
  const p = port("u", "x", 9, {
    mac: ["F0:00:00:00:00:03 10.0.0.6", "unknown", "router", "f0:00:00:00:00:04"],
  });
  assert.deepEqual(portMacs(p), ["f0:00:00:00:00:03", "f0:00:00:00:00:04"]);
});
