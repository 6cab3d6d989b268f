// IGMP_Group rows planned from the snooping table: inserted, updated when the ports change, deleted
// when forgotten, other chassis's rows left alone; IP_Multicast settings with ovn-northd's defaults.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import { planIgmpGroups, snoopConfigs } from "./igmp-sb.js";

type Row = OvnSbTables["IGMP_Group"];
const row = (uuid: string, address: string, datapath: string, chassis: string, ports: string[]): Row =>
  ({ _uuid: uuid, address, datapath, chassis, ports }) as unknown as Row;

test("IGMP_Group plan: insert, update, delete this chassis's rows only", () => {
  const ctx = {
    chassis: "ch-me",
    datapathByKey: new Map([
      [1, "dp-1"],
      [2, "dp-2"],
    ]),
    portByKeys: new Map([
      ["1:1", "pb-a"],
      ["1:2", "pb-b"],
      ["2:1", "pb-c"],
    ]),
    existing: [
      row("r1", "239.1.1.1", "dp-1", "ch-me", ["pb-a"]),
      row("r2", "239.9.9.9", "dp-1", "ch-me", ["pb-a"]),
      row("r3", "239.9.9.9", "dp-1", "ch-other", ["pb-x"]),
      row("r4", "ff0e::1", "dp-2", "ch-me", ["pb-c"]),
      row("r5", "mrouters", "dp-2", "ch-me", []),
    ],
    snooping: [1, 2],
    // Router ports: on dp-2 the port with key 1 (pb-c); an unknown port key is left out.
    mrouters: (dp: number) => (dp === 2 ? [1, 9] : []),
  };
  const ops = planIgmpGroups(
    [
      { datapath: 1, group: "239.1.1.1", ports: [1, 2] },
      { datapath: 1, group: "239.2.2.2", ports: [2] },
      { datapath: 2, group: "ff0e::1", ports: [1] },
      { datapath: 3, group: "239.3.3.3", ports: [1] }, // unknown datapath: skipped
      { datapath: 1, group: "239.4.4.4", ports: [9] }, // unknown port: no row
    ],
    ctx,
  );
  assert.deepEqual(ops, [
    { op: "insert", address: "mrouters", datapath: "dp-1", chassis: "ch-me", ports: [] },
    { op: "update", uuid: "r5", ports: ["pb-c"] },
    { op: "update", uuid: "r1", ports: ["pb-a", "pb-b"] },
    { op: "insert", address: "239.2.2.2", datapath: "dp-1", chassis: "ch-me", ports: ["pb-b"] },
    { op: "delete", uuid: "r2" },
  ]);
});

test("IP_Multicast → snooping settings, with defaults for unset columns", () => {
  const rows = [
    {
      datapath: "dp-1",
      enabled: true,
      querier: undefined,
      ethSrc: "0a:00:00:00:05:00",
      ip4Src: "10.0.0.254",
      ip6Src: "",
      tableSize: undefined,
      idleTimeout: 60,
      queryInterval: undefined,
      queryMaxResp: undefined,
    },
    { datapath: "dp-unknown", enabled: true },
  ] as unknown as OvnSbTables["IP_Multicast"][];
  const m = snoopConfigs(rows, (u) => (u === "dp-1" ? 7 : undefined));
  assert.deepEqual([...m.keys()], [7]);
  assert.deepEqual(m.get(7), {
    enabled: true,
    querier: true,
    ethSrc: "0a:00:00:00:05:00",
    ip4Src: "10.0.0.254",
    ip6Src: "",
    tableSize: 2048,
    idleTimeout: 60,
    queryInterval: 30,
    queryMaxResp: 1,
  });
});
