// Role-based access control (ovsdb-server(7) §3.2 and §4.1.3): a session that came in through a remote
// with a role may only write what the RBAC_Role row of that role allows, table by table, through the
// permission rows it references. The client's identity is the common name of its certificate.
//
// Behaviour observed on ovsdb-server 3.1 (same error strings):
// - no identity (no certificate), a role without an RBAC_Role row, or a table without a permission row:
//   every insert/update/mutate/delete on that table fails, even one that matches no row;
// - insert needs insert_delete and an authorized new row; delete needs insert_delete and an authorized
//   row; update/mutate need an authorized row and every touched column listed in "update" (a
//   "column:key" entry does not allow writing the column); all of it checked row by row, so an update
//   or delete that matches nothing succeeds;
// - a row is authorized when any "authorization" entry matches: "" matches every row, "column" a
//   string column equal to the identity, "column:key" a map column whose value at key is the identity.
//   An empty authorization set matches nothing (not observed; the safe reading).
import { logger } from "../../base/log.js";
import type { Datum } from "../data/datum.js";
import type { Database, DbTable } from "../engine/database.js";
import type { ExecContext, ExecResult } from "../engine/execute.js";
import type { Txn } from "../engine/txn.js";
import { OvsdbError } from "../error.js";
import type { TableSchema } from "../schema/types.js";

const log = logger("ovsdb_rbac");

export type WriteKind = "insert" | "update" | "mutate" | "delete";

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

/**
 * The first write operation in `ops` that is denied whatever rows it touches (no identity, or no
 * permission row for its table), with its index; undefined when every write depends on its rows.
 */
export function deniedOutright(
  db: Database,
  who: RbacIdentity,
  ops: readonly unknown[],
): { index: number; error: OvsdbError } | undefined {
  if (!rbacApplies(db, who)) return undefined;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op === null || typeof op !== "object") continue;
    const { op: kind, table } = op as Record<string, unknown>;
    if (typeof kind !== "string" || !(kind in VERBS) || typeof table !== "string") continue;
    if (db.table(table) === undefined) continue;
    if (who.id === undefined || lookupPermission(db, who.role ?? "", table) === undefined) {
      log.info(`denied ${kind} on ${table} for client "${who.id ?? "(null)"}" role "${who.role ?? ""}"`);
      return { index: i, error: permissionError(who, kind as WriteKind, table) };
    }
  }
  return undefined;
}

/** The per-row check for the engine's checkWrite hook, or undefined when RBAC does not apply. */
export function rbacCheckWrite(db: Database, who: RbacIdentity): ExecContext["checkWrite"] {
  if (!rbacApplies(db, who)) return undefined;
  const perms = new Map<string, TablePermission | undefined>();
  const permFor = (table: string) => {
    if (!perms.has(table)) perms.set(table, lookupPermission(db, who.role ?? "", table));
    return perms.get(table);
  };
  const deny = (kind: WriteKind, table: string): OvsdbError => {
    log.info(`denied ${kind} on ${table} for client "${who.id ?? "(null)"}" role "${who.role ?? ""}"`);
    return permissionError(who, kind, table);
  };
  return (schema: TableSchema, kind: WriteKind, txn: Txn, uuid: string, columns: readonly string[]) => {
    const perm = permFor(schema.name);
    const t = txn.db.table(schema.name);
    const id = who.id;
    if (perm === undefined || t === undefined || id === undefined) throw deny(kind, schema.name);
    if (kind === "insert") {
      if (!perm.insertDelete) throw deny(kind, schema.name);
      // The engine asks before it has built the row; the row's values are checked as it is inserted.
      interceptInsert(txn, uuid, (cols) => {
        if (!authorized(t, cols, perm, id)) throw deny(kind, schema.name);
      });
      return;
    }
    const cols = txn.get(t, uuid);
    if (cols === null || !authorized(t, cols, perm, id)) throw deny(kind, schema.name);
    if (kind === "delete") {
      if (!perm.insertDelete) throw deny(kind, schema.name);
      return;
    }
    for (const c of columns) if (!perm.update.has(c)) throw deny(kind, schema.name);
  };
}

/** Runs `check` on the columns of the next insert of `uuid` into `txn`, before the insert happens. */
function interceptInsert(txn: Txn, uuid: string, check: (cols: readonly Datum[]) => void): void {
  const original = txn.insert;
  Object.defineProperty(txn, "insert", {
    configurable: true,
    writable: true,
    value: function (this: Txn, t: DbTable, u: string, cols: Datum[]): void {
      if (u === uuid) {
        delete (txn as { insert?: unknown }).insert;
        check(cols);
      }
      original.call(this, t, u, cols);
    },
  });
}

/** How the server runs one transaction under RBAC: the ops to execute, the hook, and the fix-up. */
export interface RbacPlan {
  readonly ops: readonly unknown[];
  readonly checkWrite: ExecContext["checkWrite"];
  /** Puts the permission error in place of the "aborted" result that stood in for it. */
  finish(r: ExecResult): ExecResult;
}

/**
 * A write denied outright is reported at its own position, after the results of the operations before
 * it: those still run (so their own errors win), with an "abort" standing in for the denied one.
 */
export function rbacPlan(db: Database, who: RbacIdentity, ops: readonly unknown[]): RbacPlan {
  const checkWrite = rbacCheckWrite(db, who);
  const outright = deniedOutright(db, who, ops);
  if (outright === undefined) return { ops, checkWrite, finish: (r) => r };
  return {
    ops: ops.map((op, i) => (i === outright.index ? { op: "abort" } : op)),
    checkWrite,
    finish: (r) => {
      const at = r.results[outright.index] as { error?: unknown } | null | undefined;
      if (r.blockedFor !== undefined || at?.error !== "aborted") return r;
      return { ...r, results: r.results.map((x, i) => (i === outright.index ? outright.error.toJson() : x)) };
    },
  };
}
