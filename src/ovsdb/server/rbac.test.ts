// RBAC in the server core, without sockets: sessions carry a fake role and certificate CN; the
// expected errors are the strings ovsdb-server 3.1 returns (observed with ovs-pki certificates).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { schemaFile } from "../../base/schemas.js";
import { parseSchema } from "../schema/parse.js";
import { controllerRoleOps } from "./rbac-fixture.js";
import { OvsdbServer } from "./server.js";

const SB = "OVN_Southbound";

function setup() {
  const server = new OvsdbServer({ now: () => 0 });
  server.addDb(parseSchema(JSON.parse(readFileSync(schemaFile("ovn-sb"), "utf8"))), undefined);
  const client = (role?: string, clientId?: string) => {
    const out: Record<string, unknown>[] = [];
    const s = server.connect({
      name: "t",
      sendText: (t) => out.push(JSON.parse(t)),
      close: () => undefined,
      role,
      clientId,
    });
    let id = 0;
    return (...ops: unknown[]): unknown[] => {
      id += 1;
      server.handle(s, "transact", [SB, ...ops], id);
      const r = out.find((m) => m.id === id);
      assert.ok(r, "reply");
      return r.result as unknown[];
    };
  };
  const admin = client();
  const r = admin(
    ...controllerRoleOps(),
    {
      op: "insert",
      table: "Encap",
      "uuid-name": "eb",
      row: { chassis_name: "chassis-B", type: "geneve", ip: "2.2.2.2" },
    },
    { op: "insert", table: "Chassis", row: { name: "chassis-B", encaps: ["named-uuid", "eb"] } },
    { op: "insert", table: "Datapath_Binding", "uuid-name": "dp", row: { tunnel_key: 1 } },
    {
      op: "insert",
      table: "Port_Binding",
      row: { logical_port: "lp1", tunnel_key: 1, datapath: ["named-uuid", "dp"] },
    },
  );
  assert.ok(
    r.every((x) => x !== null && !("error" in (x as object))),
    JSON.stringify(r),
  );
  return { admin, client };
}

const denied = (who: string, role: string, verb: string, table: string) => ({
  error: "permission error",
  details: `RBAC rules for client "${who}" role "${role}" ${verb} "${table}".`,
});
const INSERT = "prohibit row insertion into table";
const MODIFY = "prohibit modification of table";
const MUTATE = "prohibit mutate operation on table";
const DELETE = "prohibit row deletion from table";

const ownChassis = [
  {
    op: "insert",
    table: "Encap",
    "uuid-name": "ea",
    row: { chassis_name: "chassis-A", type: "geneve", ip: "1.1.1.1" },
  },
  {
    op: "insert",
    table: "Chassis",
    "uuid-name": "ca",
    row: { name: "chassis-A", encaps: ["named-uuid", "ea"] },
  },
];
const isError = (x: unknown) => x !== null && typeof x === "object" && "error" in x;

test("a chassis may insert and change its own Chassis and Encap rows, only in the allowed columns", () => {
  const { client } = setup();
  const a = client("ovn-controller", "chassis-A");
  assert.ok(!a(...ownChassis).some(isError));
  const own = { op: "update", table: "Chassis", where: [["name", "==", "chassis-A"]] };
  assert.deepEqual(a({ ...own, row: { nb_cfg: 3 } }), [{ count: 1 }]);
  assert.deepEqual(
    a({
      op: "mutate",
      table: "Chassis",
      where: [["name", "==", "chassis-A"]],
      mutations: [["external_ids", "insert", ["map", [["k", "v"]]]]],
    }),
    [{ count: 1 }],
  );
  assert.deepEqual(a({ ...own, row: { hostname: "x" } }), [
    denied("chassis-A", "ovn-controller", MODIFY, "Chassis"),
  ]);
  assert.deepEqual(a({ ...own, row: { nb_cfg: 4, name: "chassis-A" } }), [
    denied("chassis-A", "ovn-controller", MODIFY, "Chassis"),
  ]);
  assert.deepEqual(
    a({ op: "update", table: "Encap", where: [["chassis_name", "==", "chassis-A"]], row: { ip: "3.3.3.3" } }),
    [{ count: 1 }],
  );
  // An empty update still matches (and is allowed), as on the C server.
  assert.deepEqual(a({ ...own, row: {} }), [{ count: 1 }]);
});

test("another chassis' rows may be neither made, changed nor deleted", () => {
  const { client } = setup();
  const a = client("ovn-controller", "chassis-A");
  const other = { table: "Chassis", where: [["name", "==", "chassis-B"]] };
  assert.deepEqual(a({ op: "update", ...other, row: { nb_cfg: 1 } }), [
    denied("chassis-A", "ovn-controller", MODIFY, "Chassis"),
  ]);
  assert.deepEqual(a({ op: "mutate", ...other, mutations: [["nb_cfg", "+=", 1]] }), [
    denied("chassis-A", "ovn-controller", MUTATE, "Chassis"),
  ]);
  assert.deepEqual(a({ op: "delete", ...other }), [denied("chassis-A", "ovn-controller", DELETE, "Chassis")]);
  const r = a(
    {
      op: "insert",
      table: "Encap",
      "uuid-name": "ea",
      row: { chassis_name: "chassis-A", type: "geneve", ip: "1.1.1.1" },
    },
    { op: "insert", table: "Chassis", row: { name: "chassis-C", encaps: ["named-uuid", "ea"] } },
  );
  assert.ok(!isError(r[0]));
  assert.deepEqual(r[1], denied("chassis-A", "ovn-controller", INSERT, "Chassis"));
  assert.deepEqual(
    a({ op: "insert", table: "Encap", row: { chassis_name: "chassis-B", type: "geneve", ip: "1.1.1.1" } }),
    [denied("chassis-A", "ovn-controller", INSERT, "Encap")],
  );
  // Nothing of the refused transaction was committed.
  const admin = client();
  const sel = admin({ op: "select", table: "Chassis", where: [], columns: ["name"] }) as [
    { rows: unknown[] },
  ];
  assert.deepEqual(sel[0].rows, [{ name: "chassis-B" }]);
});

test("Port_Binding: only the binding columns; no insert or delete; per-table denial even on no rows", () => {
  const { client } = setup();
  const a = client("ovn-controller", "chassis-A");
  const ids = a(...ownChassis) as [unknown, { uuid: [string, string] }];
  const pb = { op: "update", table: "Port_Binding", where: [["logical_port", "==", "lp1"]] };
  assert.deepEqual(a({ ...pb, row: { chassis: ids[1].uuid, up: true } }), [{ count: 1 }]);
  assert.deepEqual(a({ ...pb, row: { tunnel_key: 5 } }), [
    denied("chassis-A", "ovn-controller", MODIFY, "Port_Binding"),
  ]);
  assert.deepEqual(a({ op: "delete", table: "Port_Binding", where: [] }), [
    denied("chassis-A", "ovn-controller", DELETE, "Port_Binding"),
  ]);
  // A forbidden column on a table with permissions: refused only if a row matches.
  assert.deepEqual(a({ ...pb, where: [["logical_port", "==", "none"]], row: { tunnel_key: 5 } }), [
    { count: 0 },
  ]);
  // A table without permissions: refused even when nothing matches.
  const none = [["tunnel_key", "==", 99]];
  assert.deepEqual(a({ op: "update", table: "Datapath_Binding", where: none, row: { tunnel_key: 5 } }), [
    denied("chassis-A", "ovn-controller", MODIFY, "Datapath_Binding"),
  ]);
  assert.deepEqual(a({ op: "delete", table: "Datapath_Binding", where: none }), [
    denied("chassis-A", "ovn-controller", DELETE, "Datapath_Binding"),
  ]);
  assert.deepEqual(
    a(
      { op: "comment", comment: "x" },
      {
        op: "insert",
        table: "Logical_Flow",
        row: { pipeline: "ingress", table_id: 1, priority: 1, match: "1", actions: "next;" },
      },
      { op: "insert", table: "Datapath_Binding", row: { tunnel_key: 2 } },
    ),
    [{}, denied("chassis-A", "ovn-controller", INSERT, "Logical_Flow"), null],
  );
});

test("MAC_Binding rows may be written by any chassis", () => {
  const { client, admin } = setup();
  const a = client("ovn-controller", "chassis-A");
  const dp = (
    admin({ op: "select", table: "Datapath_Binding", where: [] }) as [{ rows: [{ _uuid: unknown }] }]
  )[0].rows[0]._uuid;
  const mb = { table: "MAC_Binding", where: [["ip", "==", "10.0.0.1"]] };
  assert.ok(
    !isError(
      a({
        op: "insert",
        table: "MAC_Binding",
        row: { logical_port: "lp1", ip: "10.0.0.1", mac: "00:00:00:00:00:01", datapath: dp },
      })[0],
    ),
  );
  assert.deepEqual(a({ op: "update", ...mb, row: { mac: "00:00:00:00:00:02" } }), [{ count: 1 }]);
  assert.deepEqual(a({ op: "delete", ...mb }), [{ count: 1 }]);
});

test("no certificate, or a role with no RBAC_Role row: no writes; no role: no restrictions", () => {
  const { client } = setup();
  const anon = client("ovn-controller", undefined);
  assert.deepEqual(anon({ op: "update", table: "Port_Binding", where: [], row: { up: true } }), [
    denied("(null)", "ovn-controller", MODIFY, "Port_Binding"),
  ]);
  const stranger = client("nosuch", "chassis-A");
  assert.deepEqual(
    stranger({
      op: "update",
      table: "Port_Binding",
      where: [["logical_port", "==", "x"]],
      row: { up: true },
    }),
    [denied("chassis-A", "nosuch", MODIFY, "Port_Binding")],
  );
  // Reads stay allowed.
  assert.ok(!isError(anon({ op: "select", table: "Chassis", where: [] })[0]));
  const free = client(undefined, "chassis-A");
  assert.deepEqual(free({ op: "update", table: "Datapath_Binding", where: [], row: { tunnel_key: 9 } }), [
    { count: 1 },
  ]);
});

test("authorization entries: any one matching authorizes; column:key looks in a map", () => {
  const { client, admin } = setup();
  admin(
    {
      op: "insert",
      table: "RBAC_Permission",
      "uuid-name": "p",
      row: {
        table: "Logical_Flow",
        authorization: ["set", ["external_ids:chassis", "pipeline"]],
        insert_delete: true,
        update: ["set", ["priority"]],
      },
    },
    {
      op: "mutate",
      table: "RBAC_Role",
      where: [],
      mutations: [["permissions", "insert", ["map", [["Logical_Flow", ["named-uuid", "p"]]]]]],
    },
  );
  const a = client("ovn-controller", "chassis-A");
  const flow = (chassis: string) => ({
    op: "insert",
    table: "Logical_Flow",
    row: {
      pipeline: "ingress",
      external_ids: ["map", [["chassis", chassis]]],
      table_id: 1,
      priority: 1,
      match: "1",
      actions: "next;",
    },
  });
  assert.deepEqual(a(flow("zzz")), [denied("chassis-A", "ovn-controller", INSERT, "Logical_Flow")]);
  assert.ok(!isError(a(flow("chassis-A"))[0]));
  assert.deepEqual(a({ op: "update", table: "Logical_Flow", where: [], row: { priority: 5 } }), [
    { count: 1 },
  ]);
  assert.deepEqual(
    a({
      op: "mutate",
      table: "Logical_Flow",
      where: [],
      mutations: [["external_ids", "insert", ["map", [["f", "1"]]]]],
    }),
    [denied("chassis-A", "ovn-controller", MUTATE, "Logical_Flow")],
  );
  assert.deepEqual(a({ op: "delete", table: "Logical_Flow", where: [] }), [{ count: 1 }]);
});

test("the check runs per operation: its own parse and constraint errors first, before any mutation", () => {
  const { client } = setup();
  const a = client("ovn-controller", "chassis-A");
  const anon = client("ovn-controller", undefined);
  // A refused table, but the operation does not parse: ovsdb-server 3.1 reports the parse error.
  assert.deepEqual(anon({ op: "update", table: "Datapath_Binding", where: [], row: { nosuch: 1 } }), [
    {
      error: "unknown column",
      details: "No column nosuch in table Datapath_Binding.",
      syntax: '{"nosuch":1}',
    },
  ]);
  // An insert whose default (tunnel_key 0) breaks the column's range fails as a constraint violation.
  assert.deepEqual(a({ op: "insert", table: "Datapath_Binding", row: {} }), [
    { error: "constraint violation", details: "0 is not in the valid range 1 to 16777215 (inclusive)" },
  ]);
  assert.deepEqual(a({ op: "insert", table: "Datapath_Binding", row: { tunnel_key: 3 } }), [
    denied("chassis-A", "ovn-controller", INSERT, "Datapath_Binding"),
  ]);
  // The refusal comes before the mutation would divide by zero.
  assert.deepEqual(
    a({ op: "mutate", table: "Port_Binding", where: [], mutations: [["tunnel_key", "/=", 0]] }),
    [denied("chassis-A", "ovn-controller", MUTATE, "Port_Binding")],
  );
  // Earlier operations keep their results; the refused one is in place; later ones are null.
  assert.deepEqual(
    a(
      { op: "select", table: "Chassis", where: [["name", "==", "chassis-B"]], columns: ["name"] },
      { op: "delete", table: "Chassis", where: [["name", "==", "chassis-B"]] },
      { op: "comment", comment: "never" },
    ),
    [{ rows: [{ name: "chassis-B" }] }, denied("chassis-A", "ovn-controller", DELETE, "Chassis"), null],
  );
});
