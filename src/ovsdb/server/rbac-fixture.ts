// Test support for the RBAC tests: the "ovn-controller" role as transact operations, built from northd's
// own CONTROLLER_PERMISSIONS (the one list of what a chassis may write), so tests never restate it.
import { CONTROLLER_PERMISSIONS, ROLE_NAME } from "../../northd/sync/rbac.js";

/** Inserts of the RBAC_Permission rows and the RBAC_Role row that northd writes. */
export function controllerRoleOps(): Record<string, unknown>[] {
  return [
    ...CONTROLLER_PERMISSIONS.map((p, i) => ({
      op: "insert",
      table: "RBAC_Permission",
      "uuid-name": `perm${i}`,
      row: {
        table: p.table,
        authorization: ["set", [...p.authorization]],
        insert_delete: p.insertDelete,
        update: ["set", [...p.update]],
      },
    })),
    {
      op: "insert",
      table: "RBAC_Role",
      row: {
        name: ROLE_NAME,
        permissions: ["map", CONTROLLER_PERMISSIONS.map((p, i) => [p.table, ["named-uuid", `perm${i}`]])],
      },
    },
  ];
}

const named = (n: string) => ["named-uuid", n];
const map = (o: Record<string, string>) => ["map", Object.entries(o)];

/**
 * The Southbound contents the RBAC cases run on (as northd and two chassis would leave them, chassis-A not
 * yet registered): switches sw0 (tunnel key 1) and sw1 (2), routers lr0 (3, patched to sw0) and lr1 (4);
 * lp1 requested for chassis-A, lp2 requested for nobody, lpB bound to and requested for chassis-B, a
 * container port on lp1, a virtual port with parents lp1/lp2, an l3gateway port of chassis-A on lr1,
 * lr0's gateway port resident on chassis-B (HA group), and chassis-B's MAC/FDB/IGMP/monitor/BFD rows.
 */
export function sbTopologyOps(): Record<string, unknown>[] {
  const pb = (row: Record<string, unknown>) => ({ op: "insert", table: "Port_Binding", row });
  const dp = (name: string, key: number) => ({
    op: "insert",
    table: "Datapath_Binding",
    "uuid-name": name,
    row: { tunnel_key: key, external_ids: map({ name }) },
  });
  return [
    {
      op: "insert",
      table: "Encap",
      "uuid-name": "eb",
      row: { chassis_name: "chassis-B", type: "geneve", ip: "2.2.2.2" },
    },
    {
      op: "insert",
      table: "Chassis",
      "uuid-name": "cb",
      row: { name: "chassis-B", hostname: "b", encaps: named("eb") },
    },
    dp("sw0", 1),
    dp("sw1", 2),
    dp("lr0", 3),
    dp("lr1", 4),
    pb({
      logical_port: "lp1",
      tunnel_key: 1,
      datapath: named("sw0"),
      options: map({ "requested-chassis": "chassis-A" }),
    }),
    pb({ logical_port: "lp2", tunnel_key: 2, datapath: named("sw0") }),
    pb({
      logical_port: "lpB",
      tunnel_key: 1,
      datapath: named("sw1"),
      chassis: named("cb"),
      options: map({ "requested-chassis": "chassis-B" }),
    }),
    pb({
      logical_port: "sw0-lr0",
      type: "patch",
      tunnel_key: 3,
      datapath: named("sw0"),
      options: map({ peer: "lr0-sw0" }),
    }),
    pb({
      logical_port: "lr0-sw0",
      type: "patch",
      tunnel_key: 1,
      datapath: named("lr0"),
      options: map({ peer: "sw0-lr0" }),
    }),
    pb({ logical_port: "cont1", tunnel_key: 4, datapath: named("sw0"), parent_port: "lp1", tag: 10 }),
    pb({
      logical_port: "vip",
      type: "virtual",
      tunnel_key: 5,
      datapath: named("sw0"),
      options: map({ "virtual-parents": "lp1,lp2", "virtual-ip": "10.0.0.100" }),
    }),
    pb({
      logical_port: "lr1-gw",
      type: "l3gateway",
      tunnel_key: 1,
      datapath: named("lr1"),
      options: map({ "l3gateway-chassis": "chassis-A" }),
    }),
    pb({ logical_port: "lr0-pub", type: "patch", tunnel_key: 2, datapath: named("lr0") }),
    { op: "insert", table: "HA_Chassis", "uuid-name": "hb", row: { chassis: named("cb"), priority: 10 } },
    {
      op: "insert",
      table: "HA_Chassis_Group",
      "uuid-name": "hg",
      row: { name: "gw", ha_chassis: named("hb") },
    },
    pb({
      logical_port: "cr-lr0-pub",
      type: "chassisredirect",
      tunnel_key: 3,
      datapath: named("lr0"),
      ha_chassis_group: named("hg"),
      chassis: named("cb"),
    }),
    {
      op: "insert",
      table: "MAC_Binding",
      row: { logical_port: "lpB", ip: "10.1.0.9", mac: "00:00:00:00:01:09", datapath: named("sw1") },
    },
    { op: "insert", table: "FDB", row: { mac: "00:00:00:00:01:0b", dp_key: 2, port_key: 1 } },
    {
      op: "insert",
      table: "IGMP_Group",
      row: { address: "239.0.0.1", datapath: named("sw1"), chassis: named("cb") },
    },
    ...["lp1", "lpB"].map((lp) => ({
      op: "insert",
      table: "Service_Monitor",
      row: {
        logical_port: lp,
        ip: "10.0.0.9",
        port: 80,
        protocol: "tcp",
        src_mac: "00:00:00:00:00:fe",
        src_ip: "10.0.0.254",
      },
    })),
    ...["lp1", "lr0-pub"].map((lp, i) => ({
      op: "insert",
      table: "BFD",
      row: {
        logical_port: lp,
        dst_ip: "10.0.0.9",
        src_port: 49152 + i,
        disc: 1,
        min_tx: 1000,
        min_rx: 1000,
        detect_mult: 3,
        status: "down",
      },
    })),
  ];
}

/** uuids the cases refer to, read back from the database (["uuid", "..."]). */
export interface CaseCtx {
  readonly sw0: unknown;
  readonly sw1: unknown;
  readonly lr0: unknown;
  readonly lr1: unknown;
  readonly chassisB: unknown;
  readonly encapB: unknown;
  /** chassis-A's Chassis row, once the first case has inserted it. */
  ownChassis?: unknown;
}

export interface RbacCase {
  readonly name: string;
  /** Whether OVN 23.03 / ovsdb-server 3.1 lets chassis-A do it. */
  readonly allowed: boolean;
  /** Whether --rbac-strict lets it (default: as `allowed`). */
  readonly strict?: boolean;
  /** When not allowed: the error expected instead of a permission error (the operation's own). */
  readonly error?: string;
  /** "anon": a client without a certificate, on a remote with the same role. */
  readonly as?: "anon";
  readonly ops: (ctx: CaseCtx) => Record<string, unknown>[];
  /** Reads what later cases need from this case's results. */
  readonly capture?: (results: unknown[], ctx: CaseCtx) => void;
}
