import assert from "node:assert/strict";
import { test } from "node:test";
import { vswitchModel } from "../../ovsdb/idl/generated/vswitch.js";
import { Idl } from "../../ovsdb/idl/idl.js";
import { MemServer, until } from "../../ovsdb/idl/test/mem-server.js";
import { brIntPorts, tunnelChassis } from "./br-int-ports.js";

test("tunnelChassis: the chassis of ovn-controller's <chassis>@<ip> tag, or of a bare name", () => {
  assert.equal(tunnelChassis(new Map([["ovn-chassis-id", "hv2@192.168.0.2"]])), "hv2");
  assert.equal(tunnelChassis(new Map([["ovn-chassis-id", "hv2"]])), "hv2");
  assert.equal(tunnelChassis(new Map([["iface-id", "p1"]])), undefined);
});

test("brIntPorts: the newest interface (highest ofport) of an iface-id has it; tunnels by the Port's tag", async () => {
  const ms = new MemServer(["vswitch"]);
  const port = (
    name: string,
    ifaceIds: [string, string][],
    ofport: number,
    portIds: [string, string][] = [],
  ) => [
    {
      op: "insert",
      table: "Interface",
      "uuid-name": `i_${name.replaceAll("-", "_")}`,
      row: { name, ofport, external_ids: ["map", ifaceIds] },
    },
    {
      op: "insert",
      table: "Port",
      "uuid-name": `p_${name.replaceAll("-", "_")}`,
      row: {
        name,
        interfaces: ["named-uuid", `i_${name.replaceAll("-", "_")}`],
        external_ids: ["map", portIds],
      },
    },
  ];
  await ms.transact(
    "Open_vSwitch",
    ...port("lpold", [["iface-id", "q1"]], 7),
    ...port("lpnew", [["iface-id", "q1"]], 9),
    ...port("lpmid", [["iface-id", "q1"]], 8),
    ...port("ovn-hv2-0", [], 3, [["ovn-chassis-id", "hv2@192.168.0.2"]]),
    {
      op: "insert",
      table: "Bridge",
      "uuid-name": "br",
      row: {
        name: "br-int",
        ports: [
          "set",
          ["lpold", "lpnew", "lpmid", "ovn-hv2-0"].map((n) => ["named-uuid", `p_${n.replaceAll("-", "_")}`]),
        ],
      },
    },
    { op: "insert", table: "Open_vSwitch", row: { bridges: ["named-uuid", "br"] } },
  );
  const idl = new Idl(vswitchModel, { remotes: ["unix:/db.sock"], dial: ms.dial, clock: ms.clock });
  idl.start();
  try {
    await until(ms.clock, () => idl.isSynced, "the IDL to sync");
    const b = brIntPorts(idl, "br-int");
    assert.deepEqual([...b.vifPorts], [["q1", 9]]);
    const lpnew = idl.rows("Interface").find((i) => i.name === "lpnew");
    assert.equal(b.ifaceByLport.get("q1")?.uuid, lpnew?._uuid);
    assert.deepEqual([...b.tunnelPorts], [["hv2", 3]]);
  } finally {
    idl.stop();
  }
});
