import assert from "node:assert/strict";
import { test } from "node:test";
import { ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import { readCorpus } from "../lflow/peer/diff-corpus.js";
import { type SbPortBinding, sbViewFromTables } from "../lflow/sb.js";
import { toFlowMod } from "../lflow/to-model.js";
import { DELETE_ALL_FLOWS, fullReplaceMessages } from "../ofctrl/replace.js";
import { planBindings } from "./bindings.js";
import { localConfig } from "./config.js";
import { desiredState } from "./desired.js";
import { tablesAsJson } from "./sb-json.js";
import { requireSnatZones, ZoneAllocator } from "./zones.js";

function pb(logicalPort: string, type: string, chassis: string | null): SbPortBinding {
  return {
    uuid: logicalPort,
    logicalPort,
    datapath: "dp",
    type,
    tunnelKey: 1,
    options: {},
    chassis,
    mac: [],
    portSecurity: [],
    tag: null,
    parentPort: null,
    haChassis: [],
  };
}

test("planBindings claims local VIFs, releases ours that left, ignores other port types", () => {
  const ports = [
    pb("a", "", null),
    pb("b", "", "hv2"),
    pb("c", "", "hv1"),
    pb("d", "", "hv1"),
    pb("r", "patch", null),
    pb("x", "external", "hv1"),
  ];
  const plan = planBindings(ports, new Set(["a", "b", "c", "r"]), "hv1");
  assert.deepEqual(plan, { claim: ["a", "b"], release: ["d", "x"], bound: ["c"] });
});

test("localConfig reads external_ids with ovn-controller's defaults", () => {
  const c = localConfig(
    new Map([
      ["system-id", "hv1"],
      ["ovn-remote", "unix:/sb"],
      ["ovn-encap-type", "geneve,vxlan"],
    ]),
    [{ name: "br-phys", datapathType: "netdev" }],
  );
  assert.equal(c.bridge, "br-int");
  assert.deepEqual(c.encapTypes, ["geneve", "vxlan"]);
  assert.equal(c.datapathType, "netdev", "datapath type of the existing bridges");
  assert.equal(c.encapIp, undefined);
  const d = localConfig(new Map([["ovn-bridge-datapath-type", "system"]]), [
    { name: "x", datapathType: "netdev" },
  ]);
  assert.equal(d.datapathType, "system");
  assert.equal(d.datapathTypeOption, "system");
  assert.equal(c.datapathTypeOption, undefined, "no ovn-bridge-datapath-type given");
  assert.deepEqual(d.encapTypes, ["geneve"]);
  assert.equal(localConfig(new Map(), []).datapathType, "");
});

test("ZoneAllocator: stable, distinct, never 0, skips zones restored from before", () => {
  const z = new ZoneAllocator([["old", 1]]);
  const a = z.ctZone("p1");
  assert.equal(a, 2);
  assert.equal(z.ctZone("p1"), a);
  const dn = z.dnatZone("dp");
  const sn = z.snatZone("dp");
  assert.equal(new Set([1, a, dn, sn]).size, 4);
  assert.equal(z.ctZone("old"), 1);
  assert.deepEqual(new Map(z.entries()).get("p1"), a);
});

test("tablesAsJson gives rows that sbViewFromTables reads back", () => {
  const rows: Record<string, { _uuid: string }[]> = {
    Chassis: [
      {
        _uuid: "c1",
        name: "hv1",
        hostname: "h",
        encaps: [],
        vtepLogicalSwitches: [],
        nbCfg: 0,
        externalIds: new Map(),
        otherConfig: new Map(),
        transportZones: [],
      } as { _uuid: string },
    ],
  };
  const json = tablesAsJson(ovnSbModel, { rows: (t) => rows[t] ?? [] }, ["Chassis", "Port_Binding"]);
  assert.deepEqual(Object.keys(json.Port_Binding ?? {}), []);
  assert.equal(json.Chassis?.c1?.name, "hv1");
  const view = sbViewFromTables(json);
  assert.deepEqual(view.chassis, [{ uuid: "c1", name: "hv1", encaps: [] }]);
});

test("desiredState on the captured l2 scenario: same number of flows as the real controller installed", () => {
  const c = readCorpus("l2");
  const view = sbViewFromTables(c.sb);
  const vifPorts = new Map<string, number>();
  for (const i of c.interfaces) {
    const id = i.externalIds["iface-id"];
    if (id !== undefined) vifPorts.set(id, i.ofport);
  }
  const d = desiredState({
    view,
    chassis: "hv1",
    vifPorts,
    tunnelPorts: new Map(),
    zones: new ZoneAllocator(),
  });
  assert.deepEqual(d.errors, []);
  // dump-flows prints one line per flow (first line is the reply header).
  const theirs = c.flows.split("\n").filter((l) => l.includes("priority=") || l.includes("actions=")).length;
  assert.equal(d.flows.length, theirs);
  for (const port of [1, 2])
    assert.ok(
      d.flows.some(
        (f) => f.table === 0 && f.match.some((m) => m.field === "in_port" && m.value === BigInt(port)),
      ),
      `table 0 flow for in_port=${port}`,
    );
  const again = desiredState({
    view,
    chassis: "hv1",
    vifPorts,
    tunnelPorts: new Map(),
    zones: new ZoneAllocator(),
  });
  assert.equal(again.key, d.key, "the key is deterministic");
  const msgs = fullReplaceMessages(d.groups, d.flows.map(toFlowMod));
  assert.deepEqual(msgs[0], { kind: "flow_mod", flowMod: DELETE_ALL_FLOWS });
  assert.equal(msgs.length, 2 + d.groups.length + d.flows.length);
});

test("ZoneAllocator.require: the requested zone, taken from the owner holding it, which gets another", () => {
  const z = new ZoneAllocator();
  const p1 = z.ctZone("p1");
  const p2 = z.ctZone("p2");
  z.takeFresh();
  requireSnatZones(
    z,
    {
      datapaths: [
        { uuid: "r1", snatCtZone: p1 },
        { uuid: "r2", snatCtZone: 9 },
      ],
    },
    new Set(["r1"]),
  );
  assert.equal(z.snatZone("r1"), p1);
  assert.deepEqual(z.takeFresh(), [p1], "the requested zone is flushed");
  const moved = z.ctZone("p1");
  assert.ok(moved !== p1 && moved !== p2 && moved !== 0, `p1 got ${moved}`);
  assert.equal(z.ctZone("p2"), p2);
  assert.ok(!z.entries().some(([k]) => k === "r2_snat"), "not local: nothing requested");
  // Asked again: nothing moves; a sweep keeps the requested zone.
  requireSnatZones(z, { datapaths: [{ uuid: "r1", snatCtZone: p1 }] }, new Set(["r1"]));
  z.sweep();
  assert.equal(z.snatZone("r1"), p1);
  assert.equal(z.ctZone("p1"), moved);
});
