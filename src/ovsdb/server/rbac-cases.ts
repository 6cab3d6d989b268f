// The RBAC cases, run in order by chassis-A (certificate CN "chassis-A", role "ovn-controller") on the
// contents of sbTopologyOps(): against ovsdb-server 3.1 and ovnts (results must be identical), and
// against ovnts --rbac-strict (the `strict` column). Later cases rely on what earlier ones did.
import type { CaseCtx, RbacCase } from "./rbac-fixture.js";

const where = (col: string, v: unknown) => [[col, "==", v]];
const A = where("name", "chassis-A");
const B = where("name", "chassis-B");
const lp = (name: string) => where("logical_port", name);
const map = (o: Record<string, string>) => ["map", Object.entries(o)];
const lflow = { pipeline: "ingress", table_id: 1, priority: 1, match: "1", actions: "next;" };
const upd = (table: string, w: unknown[], row: Record<string, unknown>) => ({
  op: "update",
  table,
  where: w,
  row,
});
const macBinding = (ip: string, dp: unknown) => ({
  op: "insert",
  table: "MAC_Binding",
  row: { logical_port: "lp1", ip, mac: "00:00:00:00:00:05", datapath: dp },
});
const fdb = (mac: string, dpKey: number) => ({
  op: "insert",
  table: "FDB",
  row: { mac, dp_key: dpKey, port_key: 1 },
});
const allowedBoth = (name: string, ops: (c: CaseCtx) => Record<string, unknown>[]): RbacCase => ({
  name,
  allowed: true,
  ops,
});
const denied = (name: string, ops: (c: CaseCtx) => Record<string, unknown>[]): RbacCase => ({
  name,
  allowed: false,
  ops,
});
/** Allowed by OVN 23.03, refused by --rbac-strict. */
const strictOnly = (name: string, ops: (c: CaseCtx) => Record<string, unknown>[]): RbacCase => ({
  name,
  allowed: true,
  strict: false,
  ops,
});

export const RBAC_CASES: readonly RbacCase[] = [
  // Registration and the chassis' own rows.
  {
    name: "insert own Encap and Chassis",
    allowed: true,
    ops: () => [
      {
        op: "insert",
        table: "Encap",
        "uuid-name": "ea",
        row: { chassis_name: "chassis-A", type: "geneve", ip: "1.1.1.1" },
      },
      {
        op: "insert",
        table: "Chassis",
        row: { name: "chassis-A", hostname: "a", encaps: ["named-uuid", "ea"] },
      },
    ],
    capture: (r, c) => {
      c.ownChassis = (r[1] as { uuid?: unknown } | undefined)?.uuid;
    },
  },
  allowedBoth("update own Chassis nb_cfg", () => [upd("Chassis", A, { nb_cfg: 3 })]),
  allowedBoth("mutate own Chassis external_ids", () => [
    { op: "mutate", table: "Chassis", where: A, mutations: [["external_ids", "insert", map({ k: "v" })]] },
  ]),
  allowedBoth("update own Chassis other_config", () => [
    upd("Chassis", A, { other_config: map({ x: "y" }) }),
  ]),
  allowedBoth("insert own Chassis_Private pointing at own Chassis", (c) => [
    { op: "insert", table: "Chassis_Private", row: { name: "chassis-A", chassis: c.ownChassis } },
  ]),
  allowedBoth("update own Chassis_Private nb_cfg", () => [upd("Chassis_Private", A, { nb_cfg: 3 })]),
  allowedBoth("update own Encap ip", () => [
    upd("Encap", where("chassis_name", "chassis-A"), { ip: "1.1.1.2" }),
  ]),
  allowedBoth("claim lp1, requested for chassis-A (chassis, up)", (c) => [
    upd("Port_Binding", lp("lp1"), { chassis: c.ownChassis, up: true }),
  ]),
  allowedBoth("claim container port cont1 of lp1", (c) => [
    upd("Port_Binding", lp("cont1"), { chassis: c.ownChassis }),
  ]),
  allowedBoth("bind virtual port vip with parent lp1", (c) => [
    upd("Port_Binding", lp("vip"), { virtual_parent: "lp1", chassis: c.ownChassis }),
  ]),
  allowedBoth("claim own l3gateway port lr1-gw", (c) => [
    upd("Port_Binding", lp("lr1-gw"), { chassis: c.ownChassis }),
  ]),
  allowedBoth("insert MAC_Binding on sw0", (c) => [macBinding("10.0.0.5", c.sw0)]),
  allowedBoth("update MAC_Binding mac", () => [
    upd("MAC_Binding", where("ip", "10.0.0.5"), { mac: "00:00:00:00:00:06" }),
  ]),
  allowedBoth("delete MAC_Binding", () => [
    { op: "delete", table: "MAC_Binding", where: where("ip", "10.0.0.5") },
  ]),
  allowedBoth("insert MAC_Binding on router lr0, patched to sw0", (c) => [macBinding("10.0.0.6", c.lr0)]),
  allowedBoth("insert MAC_Binding on gateway router lr1", (c) => [macBinding("10.0.0.7", c.lr1)]),
  allowedBoth("insert FDB on sw0", () => [fdb("00:00:00:00:00:0a", 1)]),
  allowedBoth("update Service_Monitor of lp1", () => [
    upd("Service_Monitor", lp("lp1"), { status: "online" }),
  ]),
  allowedBoth("update BFD of lp1", () => [upd("BFD", lp("lp1"), { status: "up" })]),
  allowedBoth("insert IGMP_Group of own chassis", (c) => [
    {
      op: "insert",
      table: "IGMP_Group",
      row: { address: "239.0.0.2", datapath: c.sw0, chassis: c.ownChassis },
    },
  ]),
  allowedBoth("insert Controller_Event of own chassis", (c) => [
    {
      op: "insert",
      table: "Controller_Event",
      row: {
        event_type: "empty_lb_backends",
        event_info: map({ vip: "10.0.0.1" }),
        chassis: c.ownChassis,
        seq_num: 1,
      },
    },
  ]),
  allowedBoth("release container port cont1", () => [
    upd("Port_Binding", lp("cont1"), { chassis: ["set", []] }),
  ]),
  allowedBoth("forbidden column on no matching row", () => [
    upd("Chassis", where("name", "zz"), { hostname: "q" }),
  ]),
  allowedBoth("empty update of own Chassis", () => [upd("Chassis", A, {})]),
  allowedBoth("delete Port_Binding matching nothing", () => [
    { op: "delete", table: "Port_Binding", where: lp("nosuch") },
  ]),
  allowedBoth("reads are free", () => [
    { op: "select", table: "Chassis", where: A, columns: ["name", "nb_cfg"] },
  ]),

  // Refused by the role (OVN 23.03), so by --rbac-strict too.
  denied("insert another chassis' Chassis row", () => [
    {
      op: "insert",
      table: "Encap",
      "uuid-name": "ec",
      row: { chassis_name: "chassis-A", type: "geneve", ip: "1.1.1.3" },
    },
    { op: "insert", table: "Chassis", row: { name: "chassis-C", encaps: ["named-uuid", "ec"] } },
  ]),
  denied("update chassis-B nb_cfg", () => [upd("Chassis", B, { nb_cfg: 7 })]),
  denied("mutate chassis-B nb_cfg", () => [
    { op: "mutate", table: "Chassis", where: B, mutations: [["nb_cfg", "+=", 1]] },
  ]),
  denied("delete chassis-B", () => [{ op: "delete", table: "Chassis", where: B }]),
  denied("update own Chassis hostname", () => [upd("Chassis", A, { hostname: "evil" })]),
  denied("update own Chassis name", () => [upd("Chassis", A, { name: "chassis-A", nb_cfg: 4 })]),
  denied("insert Encap for chassis-B", () => [
    { op: "insert", table: "Encap", row: { chassis_name: "chassis-B", type: "geneve", ip: "6.6.6.6" } },
  ]),
  denied("update chassis-B's Encap", () => [
    upd("Encap", where("chassis_name", "chassis-B"), { ip: "6.6.6.6" }),
  ]),
  denied("delete chassis-B's Encap", () => [
    { op: "delete", table: "Encap", where: where("chassis_name", "chassis-B") },
  ]),
  denied("insert chassis-B's Chassis_Private", () => [
    { op: "insert", table: "Chassis_Private", row: { name: "chassis-B" } },
  ]),
  denied("insert Logical_Flow", (c) => [
    { op: "insert", table: "Logical_Flow", row: { ...lflow, logical_datapath: c.sw0 } },
  ]),
  denied("update Logical_Flow", () => [upd("Logical_Flow", [], { priority: 1 })]),
  denied("delete Logical_Flow", () => [{ op: "delete", table: "Logical_Flow", where: [] }]),
  denied("insert Datapath_Binding", () => [
    { op: "insert", table: "Datapath_Binding", row: { tunnel_key: 9 } },
  ]),
  denied("update Datapath_Binding", () => [upd("Datapath_Binding", [], { tunnel_key: 5 })]),
  denied("mutate Datapath_Binding", () => [
    {
      op: "mutate",
      table: "Datapath_Binding",
      where: [],
      mutations: [["external_ids", "insert", map({ k: "v" })]],
    },
  ]),
  denied("delete Datapath_Binding matching nothing", () => [
    { op: "delete", table: "Datapath_Binding", where: where("tunnel_key", 99) },
  ]),
  denied("insert Port_Binding", (c) => [
    { op: "insert", table: "Port_Binding", row: { logical_port: "lp9", tunnel_key: 9, datapath: c.sw0 } },
  ]),
  denied("delete Port_Binding", () => [{ op: "delete", table: "Port_Binding", where: lp("lp2") }]),
  denied("update Port_Binding tunnel_key", () => [upd("Port_Binding", lp("lp2"), { tunnel_key: 7 })]),
  denied("mutate Port_Binding, refused before its division by zero", () => [
    { op: "mutate", table: "Port_Binding", where: lp("lp2"), mutations: [["tunnel_key", "/=", 0]] },
  ]),
  denied("update SB_Global", () => [upd("SB_Global", [], { nb_cfg: 9 })]),
  denied("insert RBAC_Role", () => [{ op: "insert", table: "RBAC_Role", row: { name: "root" } }]),
  denied("widen own RBAC_Permission", () => [
    {
      op: "mutate",
      table: "RBAC_Permission",
      where: where("table", "Chassis"),
      mutations: [["update", "insert", "hostname"]],
    },
  ]),
  denied("delete Connection", () => [{ op: "delete", table: "Connection", where: [] }]),
  denied("allowed write then forbidden write: nothing commits", () => [
    { op: "comment", comment: "x" },
    upd("Chassis", A, { nb_cfg: 42 }),
    upd("Chassis", B, { nb_cfg: 42 }),
    { op: "select", table: "Chassis", where: B },
  ]),
  allowedBoth("nb_cfg 42 did not stick", () => [
    { op: "select", table: "Chassis", where: A, columns: ["nb_cfg"] },
  ]),
  denied("update own and chassis-B's Chassis in one operation", () => [upd("Chassis", [], { nb_cfg: 8 })]),
  {
    name: "allowed mutate of own Chassis, then its own division by zero",
    allowed: false,
    error: "domain error",
    ops: () => [{ op: "mutate", table: "Chassis", where: A, mutations: [["nb_cfg", "/=", 0]] }],
  },
  {
    name: "allowed delete of own Encap, still referenced by own Chassis",
    allowed: false,
    error: "referential integrity violation",
    ops: () => [{ op: "delete", table: "Encap", where: where("chassis_name", "chassis-A") }],
  },
  {
    name: "refused table, but the operation does not parse: the parse error",
    allowed: false,
    error: "unknown column",
    ops: () => [upd("Datapath_Binding", [], { nosuch: 1 })],
  },
  {
    name: "refused table, insert with a default out of range: the constraint violation",
    allowed: false,
    error: "constraint violation",
    ops: () => [{ op: "insert", table: "Datapath_Binding", row: {} }],
  },
  { ...denied("no certificate: MAC_Binding insert", (c) => [macBinding("10.0.0.8", c.sw0)]), as: "anon" },
  {
    ...denied("no certificate: update matching nothing", () => [
      upd("Port_Binding", lp("none"), { up: true }),
    ]),
    as: "anon",
  },
  {
    ...allowedBoth("no certificate: reads", () => [
      { op: "select", table: "Port_Binding", where: lp("lp2"), columns: ["logical_port"] },
    ]),
    as: "anon",
  },

  // Allowed by OVN 23.03, refused by --rbac-strict: other chassis' ports and rows, non-local datapaths.
  strictOnly("set up=true on every port", () => [upd("Port_Binding", [], { up: true })]),
  strictOnly("claim lp2, requested for nobody", (c) => [
    upd("Port_Binding", lp("lp2"), { chassis: c.ownChassis }),
  ]),
  strictOnly("set up=false on chassis-B's port lpB", () => [upd("Port_Binding", lp("lpB"), { up: false })]),
  strictOnly("take chassis-B's port lpB", (c) => [upd("Port_Binding", lp("lpB"), { chassis: c.ownChassis })]),
  strictOnly("release chassis-B's port lpB", () => [
    upd("Port_Binding", lp("lpB"), { chassis: ["set", []] }),
  ]),
  strictOnly("claim cr-lr0-pub of chassis-B's HA group", (c) => [
    upd("Port_Binding", lp("cr-lr0-pub"), { chassis: c.ownChassis }),
  ]),
  strictOnly("move vip to parent lp2, not bound here", () => [
    upd("Port_Binding", lp("vip"), { virtual_parent: "lp2" }),
  ]),
  strictOnly("insert MAC_Binding on sw1 (not local)", (c) => [macBinding("10.1.0.5", c.sw1)]),
  strictOnly("update chassis-B's MAC_Binding on sw1", () => [
    upd("MAC_Binding", where("ip", "10.1.0.9"), { mac: "00:00:00:00:0b:0b" }),
  ]),
  strictOnly("insert FDB on sw1 (not local)", () => [fdb("00:00:00:00:01:0c", 2)]),
  strictOnly("delete chassis-B's FDB on sw1", () => [
    { op: "delete", table: "FDB", where: where("dp_key", 2) },
  ]),
  strictOnly("update Service_Monitor of chassis-B's lpB", () => [
    upd("Service_Monitor", lp("lpB"), { status: "offline" }),
  ]),
  strictOnly("update BFD of lr0-pub, resident on chassis-B", () => [
    upd("BFD", lp("lr0-pub"), { status: "up" }),
  ]),
  strictOnly("update chassis-B's IGMP_Group", (c) => [
    upd("IGMP_Group", where("address", "239.0.0.1"), { ports: ["set", []], chassis: c.ownChassis }),
  ]),
  strictOnly("delete chassis-B's IGMP_Group", () => [
    { op: "delete", table: "IGMP_Group", where: where("address", "239.0.0.1") },
  ]),
  strictOnly("insert Controller_Event for chassis-B", (c) => [
    {
      op: "insert",
      table: "Controller_Event",
      row: {
        event_type: "empty_lb_backends",
        event_info: map({ vip: "10.0.0.2" }),
        chassis: c.chassisB,
        seq_num: 2,
      },
    },
  ]),
  strictOnly("point own Chassis_Private at chassis-B", (c) => [
    upd("Chassis_Private", A, { chassis: c.chassisB }),
  ]),
  strictOnly("give own Chassis chassis-B's Encap", (c) => [upd("Chassis", A, { encaps: c.encapB })]),
  strictOnly("put chassis-B's Encap on own port lp1", (c) => [
    upd("Port_Binding", lp("lp1"), { encap: c.encapB }),
  ]),
  strictOnly("add chassis-B to additional_chassis of lp1", (c) => [
    {
      op: "mutate",
      table: "Port_Binding",
      where: lp("lp1"),
      mutations: [["additional_chassis", "insert", c.chassisB]],
    },
  ]),
  strictOnly("bind own port lp1 to chassis-B", (c) => [
    upd("Port_Binding", lp("lp1"), { chassis: c.chassisB }),
  ]),
  allowedBoth("delete own Chassis_Private", () => [{ op: "delete", table: "Chassis_Private", where: A }]),
];
