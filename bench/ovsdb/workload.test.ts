import assert from "node:assert/strict";
import { test } from "node:test";
import type { Json, JsonObject } from "../../src/jsonrpc/json.js";
import { countInserts, switchesWithPorts, switchWithPorts } from "./workload.js";

const obj = (o: Json): JsonObject => o as JsonObject;

test("a switch with ports: ports first, then the switch referencing each by named-uuid", () => {
  const ops = switchWithPorts("ls", 3, 256);
  assert.equal(ops.length, 4);
  assert.equal(countInserts(ops), 4);
  const sw = obj(ops[3] ?? null);
  assert.equal(sw.table, "Logical_Switch");
  assert.deepEqual(obj(sw.row ?? null).ports, [
    "set",
    [
      ["named-uuid", "p0"],
      ["named-uuid", "p1"],
      ["named-uuid", "p2"],
    ],
  ]);
  const p1 = obj(ops[1] ?? null);
  assert.equal(p1["uuid-name"], "p1");
  assert.deepEqual(p1.row, {
    name: "ls-p1",
    addresses: "0a:00:00:01:01:01 10.0.1.1",
    external_ids: ["map", [["neutron:port_name", "ls-p1"]]],
  });
});

test("many switches in one transaction: named-uuids and port names are all distinct and all referenced", () => {
  const ops = switchesWithPorts("s", 4, 5).map(obj);
  assert.equal(ops.length, 4 * 6);
  const defined = ops.filter((o) => o.table === "Logical_Switch_Port").map((o) => o["uuid-name"]);
  assert.equal(new Set(defined).size, 20);
  const names = ops.map((o) => obj(o.row ?? null).name);
  assert.equal(new Set(names).size, 24);
  const addresses = ops
    .filter((o) => o.table === "Logical_Switch_Port")
    .map((o) => obj(o.row ?? null).addresses);
  assert.equal(new Set(addresses).size, 20);
  const referenced = ops
    .filter((o) => o.table === "Logical_Switch")
    .flatMap((o) => (obj(o.row ?? null).ports as [string, [string, string][]])[1].map(([, n]) => n));
  assert.deepEqual([...referenced].sort(), [...defined].sort());
});
