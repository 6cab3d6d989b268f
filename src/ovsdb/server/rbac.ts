// Role-based access control (ovsdb-server(7) §3.2 and §4.1.3): a session that came in through a remote
// with a role may only write what the RBAC_Role row of that role allows, table by table, through the
// permission rows it references. The client's identity is the common name of its certificate.
//
// Behaviour observed on ovsdb-server 3.1 (same error strings, same positions):
// - the check runs once per write operation, after the operation has parsed (a syntax or constraint
//   error in it wins) and before it changes anything (it wins over a mutation's range error);
// - no identity (no certificate), a role without an RBAC_Role row, or a table without a permission row:
//   every insert/update/mutate/delete on that table fails, even one that matches no row;
// - insert needs insert_delete and an authorized new row; delete needs insert_delete and an authorized
//   row; update/mutate need an authorized row and every named column listed in "update" (a "column:key"
//   entry does not allow writing the column); these are per matched row, so an update or delete that
//   matches nothing succeeds;
// - a row is authorized when any "authorization" entry matches: "" matches every row, "column" a
//   string column equal to the identity, "column:key" a map column whose value at key is the identity.
//   An empty authorization set matches nothing (not observed; the safe reading).
// On top of that, a database registered with setStrictRbac() also applies rbac-strict.ts.
import { logger } from "../../base/log.js";
import type { Datum } from "../data/datum.js";
import type { Authorize, WriteKind, WriteOp } from "../engine/authorize.js";
import type { Database, DbTable } from "../engine/database.js";
import { OvsdbError } from "../error.js";
import { type StrictRbac, strictRefusal } from "./rbac-strict.js";

const log = logger("ovsdb_rbac");

export type { WriteKind } from "../engine/authorize.js";

/** Who is writing: the remote's role and the client's certificate CN (undefined: no certificate). */
export interface RbacIdentity {
  readonly role: string | undefined;
  readonly id: string | undefined;
}

/** One table's permissions for a role (an RBAC_Permission row). */
export interface TablePermission {
  readonly authorization: readonly string[];
  readonly insertDelete: boolean;
  readonly update: ReadonlySet<string>;
}

const VERBS: Record<WriteKind, string> = {
  insert: "prohibit row insertion into table",
  update: "prohibit modification of table",
  mutate: "prohibit mutate operation on table",
  delete: "prohibit row deletion from table",
};

/** The error ovsdb-server 3.1 returns for a denied write. */
export function permissionError(who: RbacIdentity, kind: WriteKind, table: string): OvsdbError {
  return new OvsdbError(
    "permission error",
    `RBAC rules for client "${who.id ?? "(null)"}" role "${who.role ?? ""}" ${VERBS[kind]} "${table}".`,
  );
}

/** True when writes of this session to this database are subject to RBAC. */
export function rbacApplies(db: Database, who: RbacIdentity): boolean {
  return who.role !== undefined && who.role !== "" && db.table("RBAC_Role") !== undefined;
}

function column(t: DbTable, cols: readonly Datum[], name: string): Datum | undefined {
  const c = t.schema.columns.get(name);
  return c === undefined || c.index < 0 ? undefined : cols[c.index];
}

/** The permission row of `role` for `table`, read from the committed database. */
export function lookupPermission(db: Database, role: string, table: string): TablePermission | undefined {
  const roles = db.table("RBAC_Role");
  if (roles === undefined) return undefined;
  for (const r of roles.rows.values()) {
    const name = column(roles, r.cols, "name");
    if (name?.keys[0] !== role) continue;
    const perms = column(roles, r.cols, "permissions");
    const i = perms?.keys.indexOf(table) ?? -1;
    const ref = i < 0 ? undefined : perms?.values?.[i];
    const ptName = roles.schema.columns.get("permissions")?.type.value?.refTable;
    const pt = ptName === undefined ? undefined : db.table(ptName);
    const prow = typeof ref === "string" ? pt?.rows.get(ref) : undefined;
    if (pt === undefined || prow === undefined) return undefined;
    const strings = (n: string) => (column(pt, prow.cols, n)?.keys ?? []).map(String);
    return {
      authorization: strings("authorization"),
      insertDelete: column(pt, prow.cols, "insert_delete")?.keys[0] === true,
      update: new Set(strings("update")),
    };
  }
  return undefined;
}

/** Whether a row (its columns in userColumns order) belongs to the client `id`. */
export function authorized(t: DbTable, cols: readonly Datum[], perm: TablePermission, id: string): boolean {
  for (const entry of perm.authorization) {
    if (entry === "") return true;
    const colon = entry.indexOf(":");
    if (colon < 0) {
      const d = column(t, cols, entry);
      if (d !== undefined && d.values === undefined && d.keys.length === 1 && d.keys[0] === id) return true;
      continue;
    }
    const d = column(t, cols, entry.slice(0, colon));
    const k = d?.keys.indexOf(entry.slice(colon + 1)) ?? -1;
    if (k >= 0 && d?.values?.[k] === id) return true;
  }
  return false;
}

/** Whether the role's permission row allows the operation (the ovsdb-server 3.1 rules above). */
export function roleAllows(perm: TablePermission | undefined, id: string | undefined, op: WriteOp): boolean {
  if (perm === undefined || id === undefined) return false;
  const t = op.table;
  switch (op.kind) {
    case "insert":
      return perm.insertDelete && authorized(t, op.row, perm, id);
    case "delete":
      return (
        op.rows.length === 0 || (perm.insertDelete && op.rows.every((r) => authorized(t, r.cols, perm, id)))
      );
    case "update":
    case "mutate":
      return (
        op.rows.length === 0 ||
        (op.columns.every((c) => perm.update.has(c)) && op.rows.every((r) => authorized(t, r.cols, perm, id)))
      );
  }
}

// A strict policy per database, registered by the server's edge (which owns the clock for its log
// rate limit). Keyed by the Database object, so separate servers in one process stay separate.
const strictDbs = new WeakMap<Database, StrictRbac>();

/** Turns the stricter per-chassis rules of rbac-strict.ts on (a policy) or off (undefined) for `db`. */
export function setStrictRbac(db: Database, policy: StrictRbac | undefined): void {
  if (policy === undefined) strictDbs.delete(db);
  else strictDbs.set(db, policy);
}

/** The authorisation hook for one transaction of this session, or undefined when RBAC does not apply. */
export function rbacAuthorize(db: Database, who: RbacIdentity): Authorize | undefined {
  if (!rbacApplies(db, who)) return undefined;
  const perms = new Map<string, TablePermission | undefined>();
  const permFor = (table: string) => {
    if (!perms.has(table)) perms.set(table, lookupPermission(db, who.role ?? "", table));
    return perms.get(table);
  };
  const policy = strictDbs.get(db);
  const strict = policy?.forTransaction(db, who.role, who.id);
  return (op, txn) => {
    const table = op.table.name;
    if (!roleAllows(permFor(table), who.id, op)) {
      // A strict server reports every refusal (rate-limited); otherwise only when debugging.
      const msg = `client "${who.id ?? "(null)"}" role "${who.role ?? ""}": refused ${op.kind} on ${table} by the role's permissions`;
      if (policy !== undefined) policy.warn(msg);
      else log.dbg(msg);
      return permissionError(who, op.kind, table);
    }
    if (strict !== undefined && strictRefusal(strict, op, txn)) return permissionError(who, op.kind, table);
    return undefined;
  };
}
