// The authorisation hook of the transaction engine: what one write operation is about to do, shown to
// the caller's policy (RBAC) before anything changes, once the operation itself has parsed. A refusal
// is that operation's error result, at its own position, exactly as any other failed operation.
import type { Datum } from "../data/datum.js";
import type { OvsdbError } from "../error.js";
import type { DbTable } from "./database.js";
import type { Row } from "./row.js";
import type { Txn } from "./txn.js";

export type WriteKind = "insert" | "update" | "mutate" | "delete";

/** An insert: the new row with defaults filled in (columns in userColumns order). */
export interface InsertWrite {
  readonly kind: "insert";
  readonly table: DbTable;
  readonly uuid: string;
  readonly row: readonly Datum[];
}

/**
 * An update or mutate: every row the "where" matched (possibly none), the columns named, and each row's
 * values after the operation — computed on demand, so a policy that refuses on the columns alone never
 * runs the mutations (the server reports a refusal before a mutation's own range or domain error).
 */
export interface ModifyWrite {
  readonly kind: "update" | "mutate";
  readonly table: DbTable;
  readonly rows: readonly Row[];
  readonly columns: readonly string[];
  readonly after: (row: Row) => readonly Datum[];
}

/** A delete: every row the "where" matched (possibly none). */
export interface DeleteWrite {
  readonly kind: "delete";
  readonly table: DbTable;
  readonly rows: readonly Row[];
}

export type WriteOp = InsertWrite | ModifyWrite | DeleteWrite;

/**
 * Called once per write operation, even when it matches no row; `txn` shows the database as the
 * transaction's earlier operations left it. Returns the error that refuses the operation, if any.
 */
export type Authorize = (op: WriteOp, txn: Txn) => OvsdbError | undefined;
