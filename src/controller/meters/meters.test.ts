// Desired meters and their installation plan.  The expected texts are what the real ovn-controller
// 23.03 put on br-int for the same Southbound rows and actions (`ovs-ofctl -O OpenFlow15 dump-meters`).

import assert from "node:assert/strict";
import { test } from "node:test";
import { type Action, type FlowMod, resubmit } from "../../openflow/model.js";
import {
  desiredMeters,
  formatMeter,
  InstalledMeters,
  meterIdsUsed,
  parseDumpMeters,
  type SbMeter,
  sbMetersFromJson,
} from "./index.js";

function flowWith(...actions: Action[]): FlowMod {
  return { command: "add", table: 8, priority: 100, cookie: 0n, match: [], actions };
}
const meterAction = (id: number): Action => ({ kind: "meter", id });
const controller = (meterId: number | null): Action => ({
  kind: "controller",
  maxLen: 0xffff,
  reason: "action",
  controllerId: 0,
  userdata: new Uint8Array([0, 0, 0, 7]),
  pause: false,
  meterId,
});

const ROWS: SbMeter[] = [
  { name: "acl-meter", unit: "pktps", bands: [{ action: "drop", rate: 10, burstSize: 0 }] },
  { name: "kb-meter", unit: "kbps", bands: [{ action: "drop", rate: 1000, burstSize: 200 }] },
  { name: "unused", unit: "pktps", bands: [{ action: "drop", rate: 5, burstSize: 0 }] },
];
const ALLOCATED = [
  { id: 1, name: "acl-meter" },
  { id: 2, name: "kb-meter" },
  { id: 3, name: "__string: kbps 100 50" },
  { id: 4, name: "__string: kbps 200 0" },
  { id: 5, name: "unused" },
  { id: 6, name: "no-such-row" },
];
const FLOWS = [
  flowWith(controller(1)),
  flowWith({ kind: "clone", actions: [controller(2)] }),
  flowWith(meterAction(3), resubmit(19)),
  flowWith(meterAction(4)),
  flowWith(meterAction(6)),
  flowWith(controller(null)),
];

test("meterIdsUsed: meter actions and controller meter_id, inside nested action lists too", () => {
  assert.deepEqual([...meterIdsUsed(FLOWS)].sort(), [1, 2, 3, 4, 6]);
});

test("desiredMeters: Southbound rows and set_meter descriptions, as the real ovn-controller installs them", () => {
  const d = desiredMeters(FLOWS, ALLOCATED, ROWS);
  assert.deepEqual(d.meters.map(formatMeter), [
    "meter=1 pktps stats bands=type=drop rate=10",
    "meter=2 kbps burst stats bands=type=drop rate=1000 burst_size=200",
    "meter=3 kbps burst stats bands=type=drop rate=100 burst_size=50",
    "meter=4 kbps stats bands=type=drop rate=200",
  ]);
  assert.deepEqual(d.missing, ["no-such-row"], "a name with no row is reported, not installed");
  assert.ok(d.meters.every((m) => m.command === "add"));
});

test("desiredMeters: set_meter in ovs-ofctl meter syntax is read too", () => {
  const d = desiredMeters(
    [flowWith(meterAction(7))],
    [{ id: 7, name: "__string: kbps burst stats bands=type=drop rate=300 burst_size=30" }],
    [],
  );
  assert.deepEqual(d.meters.map(formatMeter), [
    "meter=7 kbps burst stats bands=type=drop rate=300 burst_size=30",
  ]);
});

test("sbMetersFromJson reads Meter and Meter_Band rows of a select reply", () => {
  const m = sbMetersFromJson({
    Meter: {
      m1: { name: "acl-meter", unit: "pktps", bands: ["uuid", "b1"] },
      m2: {
        name: "two",
        unit: "kbps",
        bands: [
          "set",
          [
            ["uuid", "b3"],
            ["uuid", "b2"],
          ],
        ],
      },
    },
    Meter_Band: {
      b1: { action: "drop", rate: 10, burst_size: 0 },
      b2: { action: "drop", rate: 20, burst_size: 2 },
      b3: { action: "drop", rate: 30, burst_size: 3 },
    },
  });
  assert.deepEqual(m, [
    { name: "acl-meter", unit: "pktps", bands: [{ action: "drop", rate: 10, burstSize: 0 }] },
    {
      name: "two",
      unit: "kbps",
      bands: [
        { action: "drop", rate: 20, burstSize: 2 },
        { action: "drop", rate: 30, burstSize: 3 },
      ],
    },
  ]);
});

const text = (ms: readonly { meterMod: { command: string } & Parameters<typeof formatMeter>[0] }[]) =>
  ms.map((m) => `${m.meterMod.command} ${formatMeter(m.meterMod)}`);

test("InstalledMeters: delete-all then adds first; nothing when unchanged; modify before, delete after", () => {
  const inst = new InstalledMeters();
  const d1 = desiredMeters(FLOWS, ALLOCATED, ROWS).meters;
  const p1 = inst.plan(d1);
  assert.deepEqual(text(p1.before), [
    "delete meter=4294967295 bands=",
    "add meter=1 pktps stats bands=type=drop rate=10",
    "add meter=2 kbps burst stats bands=type=drop rate=1000 burst_size=200",
    "add meter=3 kbps burst stats bands=type=drop rate=100 burst_size=50",
    "add meter=4 kbps stats bands=type=drop rate=200",
  ]);
  assert.deepEqual(p1.after, []);
  inst.commit(p1);
  assert.ok(inst.inSync(d1));

  // acl-meter's band rate changes to 20; set_meter(200) is no longer used; a new meter 5 comes in.
  const rows2 = ROWS.map((r) =>
    r.name === "acl-meter" ? { ...r, bands: [{ action: "drop", rate: 20, burstSize: 0 }] } : r,
  );
  const flows2 = [
    ...FLOWS.filter((f) => f.actions[0]?.kind !== "meter" || f.actions[0].id !== 4),
    flowWith(controller(5)),
  ];
  const d2 = desiredMeters(flows2, ALLOCATED, rows2).meters;
  const p2 = inst.plan(d2);
  assert.deepEqual(text(p2.before), [
    "modify meter=1 pktps stats bands=type=drop rate=20",
    "add meter=5 pktps stats bands=type=drop rate=5",
  ]);
  assert.deepEqual(text(p2.after), ["delete meter=4 bands="]);
  inst.commit(p2);
  assert.ok(inst.inSync(d2));

  // A new connection: the switch's meters are unknown again.
  inst.reset();
  assert.equal(inst.plan(d2).before[0]?.meterMod.meterId, 0xffffffff);
});

test("parseDumpMeters joins each meter's band lines", () => {
  const dump = [
    "OFPST_METER_CONFIG reply (OF1.5) (xid=0x2):",
    "meter=4 kbps stats bands=",
    "type=drop rate=200",
    "",
    "meter=2 kbps burst stats bands=",
    "type=drop rate=1000 burst_size=200",
    "type=drop rate=2000 burst_size=300",
  ].join("\n");
  assert.deepEqual(parseDumpMeters(dump), [
    "meter=4 kbps stats bands=type=drop rate=200",
    "meter=2 kbps burst stats bands=type=drop rate=1000 burst_size=200 type=drop rate=2000 burst_size=300",
  ]);
});
