// RBAC_Role "ovn-controller" and its RBAC_Permission rows: what a chassis may write in the SB when
// the server enforces role-based access (ovn-sb(5) "RBAC_Role"). The fixed list C northd 23.03
// writes, read back from its SB.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { valueEquals } from "./rows.js";

interface Perm {
  readonly table: string;
  readonly authorization: readonly string[];
  readonly insertDelete: boolean;
  readonly update: readonly string[];
}

export const ROLE_NAME = "ovn-controller";

export const CONTROLLER_PERMISSIONS: readonly Perm[] = [
  { table: "BFD", authorization: [""], insertDelete: false, update: ["status"] },
  {
    table: "Chassis",
    authorization: ["name"],
    insertDelete: true,
    update: ["encaps", "external_ids", "nb_cfg", "other_config", "transport_zones", "vtep_logical_switches"],
  },
  {
    table: "Chassis_Private",
    authorization: ["name"],
    insertDelete: true,
    update: ["chassis", "external_ids", "nb_cfg", "nb_cfg_timestamp"],
  },
  {
    table: "Controller_Event",
    authorization: [""],
    insertDelete: true,
    update: ["chassis", "event_info", "event_type", "seq_num"],
  },
  { table: "Encap", authorization: ["chassis_name"], insertDelete: true, update: ["ip", "options", "type"] },
  { table: "FDB", authorization: [""], insertDelete: true, update: ["dp_key", "mac", "port_key"] },
  {
    table: "IGMP_Group",
    authorization: [""],
    insertDelete: true,
    update: ["address", "chassis", "datapath", "ports"],
  },
  {
    table: "MAC_Binding",
    authorization: [""],
    insertDelete: true,
    update: ["datapath", "ip", "logical_port", "mac", "timestamp"],
  },
  {
    table: "Port_Binding",
    authorization: [""],
    insertDelete: false,
    update: ["additional_chassis", "additional_encap", "chassis", "encap", "options", "up", "virtual_parent"],
  },
  { table: "Service_Monitor", authorization: [""], insertDelete: false, update: ["status"] },
];

/** Writes the role and permissions when they are missing or differ (normally once, at first start). */
export function syncRbac(txn: Txn<OvnSbTables>, model: NorthdModel): void {
  const sb = model.sb;
  const roles = sb.rows("RBAC_Role").filter((r) => r.name === ROLE_NAME);
  const role = roles[0];
  let ok =
    roles.length === 1 && role !== undefined && role.permissions.size === CONTROLLER_PERMISSIONS.length;
  if (ok && role !== undefined) {
    for (const p of CONTROLLER_PERMISSIONS) {
      const u = role.permissions.get(p.table);
      const row = u === undefined ? undefined : sb.get("RBAC_Permission", u);
      if (
        row === undefined ||
        row.table !== p.table ||
        row.insertDelete !== p.insertDelete ||
        !valueEquals(row.authorization, p.authorization) ||
        !valueEquals(row.update, p.update)
      ) {
        ok = false;
        break;
      }
    }
  }
  if (ok) return;
  for (const r of roles) txn.delete("RBAC_Role", r._uuid);
  for (const p of sb.rows("RBAC_Permission")) txn.delete("RBAC_Permission", p._uuid);
  const perms = new Map<string, Uuid<"RBAC_Permission">>();
  for (const p of CONTROLLER_PERMISSIONS) {
    perms.set(
      p.table,
      txn.insert("RBAC_Permission", {
        table: p.table,
        authorization: [...p.authorization],
        insertDelete: p.insertDelete,
        update: [...p.update],
      }),
    );
  }
  txn.insert("RBAC_Role", { name: ROLE_NAME, permissions: perms });
}
