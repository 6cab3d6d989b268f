// Transactions as data: a Txn collects typed operations and turns them into the RFC 7047 "transact"
// operations only when asked; the Idl sends them (commit) and hands the reply back to result(). Nothing
// here does I/O. Conventions taken from the C IDL's transactions:
//   - a row inserted by the transaction gets a placeholder uuid at once, usable in references from any
//     other operation of the same transaction; on the wire it is a named-uuid ("row" + the placeholder);
//   - verify(row, columns) is a "wait" with until "==" and timeout 0 on the values the caller read: when
//     another client changed them first, the server fails the transaction with "timed out" and the caller
//     re-runs against the refreshed replica (TryAgainError);
//   - an update, mutate or delete of one row that finds no row means someone deleted it: also try again.
import type { Json } from "../../jsonrpc/json.js";
import { isJsonObject } from "../../jsonrpc/json.js";
import {
  type ColumnOf,
  columnModel,
  type DbModel,
  type MutationValue,
  type Mutator,
  type RowInput,
  type TableModel,
  type TableName,
  type Tables,
  tableModel,
  type Uuid,
  type Where,
} from "./model.js";
import { plainUuidJson, type UuidJson, valueJson } from "./values.js";

/** The transaction lost a race (a verify failed, a row vanished) or the connection went: run it again. */
export class TryAgainError extends Error {
  override readonly name = "TryAgainError";

  constructor(
    readonly reason: "conflict" | "disconnected",
    message: string,
  ) {
    super(message);
  }
}

/** The server refused the transaction: `error` is its error object ({"error": tag, "details": text}). */
export class TxnError extends Error {
  override readonly name = "TxnError";

  constructor(
    readonly error: Json,
    /** Index of the failing operation; undefined for a failure of the commit as a whole. */
    readonly opIndex: number | undefined,
  ) {
    super(describeError(error));
  }

  /** The RFC 7047 error tag ("constraint violation", "referential integrity violation" ...). */
  get tag(): string | undefined {
    return isJsonObject(this.error) && typeof this.error.error === "string" ? this.error.error : undefined;
  }
}

function describeError(e: Json): string {
  if (isJsonObject(e)) {
    const tag = typeof e.error === "string" ? e.error : JSON.stringify(e.error);
    return typeof e.details === "string" ? `${tag}: ${e.details}` : tag;
  }
  return typeof e === "string" ? e : JSON.stringify(e);
}

/** Refers to a select operation's result in a TxnResult. */
export interface SelectRef {
  readonly opIndex: number;
}

export interface TxnResult {
  /** Real uuid of each row the transaction inserted, by placeholder. */
  readonly inserted: ReadonlyMap<string, string>;
  /** The raw per-operation results. */
  readonly results: readonly Json[];
  /** The real uuid of an inserted row; throws for a placeholder this transaction did not make. */
  uuid<K extends string>(placeholder: Uuid<K>): Uuid<K>;
  /** The rows a select operation returned, as wire JSON. */
  rows(ref: SelectRef): readonly Json[];
}

type Op =
  | { kind: "insert"; table: TableModel; uuid: string; row: Record<string, unknown> }
  | { kind: "update"; table: TableModel; uuid: string; row: Record<string, unknown> }
  | { kind: "mutate"; table: TableModel; uuid: string; mutations: [string, Mutator, unknown][] }
  | { kind: "delete"; table: TableModel; uuid: string }
  | { kind: "wait"; table: TableModel; uuid: string; row: Record<string, unknown> }
  | { kind: "wait-empty"; table: TableModel }
  | { kind: "select"; table: TableModel; where: readonly unknown[]; columns: readonly string[] | undefined }
  | { kind: "raw"; json: Json };

/** The where-clause JSON of typed clauses (and, for monitor conditions, booleans). */
export function whereJson(t: TableModel, where: readonly unknown[], uuid: UuidJson = plainUuidJson): Json[] {
  return where.map((clause): Json => {
    if (typeof clause === "boolean") return clause;
    const [prop, fn, value] = clause as readonly [string, string, unknown];
    if (prop === "_uuid") {
      if (typeof value !== "string") throw new TypeError(`_uuid: expected a uuid string`);
      return ["_uuid", fn, uuid(value)];
    }
    const c = columnModel(t, prop);
    return [c.name, fn, valueJson(c, value, uuid)];
  });
}

/** The monitor condition JSON for a table; undefined (all rows) passes through, [] becomes [false]. */
export function conditionJson(t: TableModel, cond: readonly unknown[] | undefined): Json[] | undefined {
  if (cond === undefined) return undefined;
  if (cond.length === 0) return [false];
  return whereJson(t, cond);
}

function rowJson(t: TableModel, row: Record<string, unknown>, uuid: UuidJson): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [prop, v] of Object.entries(row)) {
    const c = columnModel(t, prop);
    out[c.name] = valueJson(c, v, uuid);
  }
  return out;
}

// Placeholder uuids need only be unique in this process: the server never sees them (they go out as
// named-uuids), and a server-made uuid equal to one is as unlikely as two random ones meeting. A
// random prefix and a counter, not crypto.randomUUID(): the web crypto module that loads costs a
// controller ~0.5 MiB of its RSS for the handful of rows it inserts.
const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, "0").slice(-digits);
const PLACEHOLDER_PREFIX = `${hex(Math.floor(Math.random() * 2 ** 32), 8)}-${hex(Math.floor(Math.random() * 2 ** 16), 4)}-4${hex(Math.floor(Math.random() * 2 ** 12), 3)}-8`;
let placeholders = 0;

/** A uuid for a row a transaction inserts: distinct from every other one this process made. */
export function placeholderUuid(): string {
  const n = placeholders++;
  return `${PLACEHOLDER_PREFIX}${hex(Math.floor(n / 2 ** 48), 3)}-${hex(n % 2 ** 48, 12)}`;
}

export class Txn<T extends Tables> {
  private readonly ops: Op[] = [];
  /** Placeholder uuid → named-uuid, for rows this transaction inserts. */
  private readonly named = new Map<string, string>();
  private readonly inserts = new Map<string, Extract<Op, { kind: "insert" }>>();

  constructor(readonly model: DbModel<T>) {}

  get isEmpty(): boolean {
    return this.ops.length === 0;
  }

  /** Whether `uuid` is the placeholder of a row this transaction inserts. */
  isNew(uuid: string): boolean {
    return this.named.has(uuid);
  }

  /** Inserts a row; returns its placeholder uuid, which references in this transaction may use. */
  insert<K extends TableName<T>>(table: K, row: RowInput<T[K]> = {}): Uuid<K> {
    const uuid = placeholderUuid();
    this.named.set(uuid, `row${uuid.replaceAll("-", "_")}`);
    const op = { kind: "insert" as const, table: this.table(table), uuid, row: { ...row } };
    this.checkColumns(op.table, row);
    this.inserts.set(uuid, op);
    this.ops.push(op);
    return uuid as Uuid<K>;
  }

  /** Sets columns of a row (one inserted by this transaction: folded into its insert). */
  update<K extends TableName<T>>(table: K, uuid: T[K]["_uuid"], row: RowInput<T[K]>): void {
    const t = this.table(table);
    this.checkColumns(t, row);
    const ins = this.inserts.get(uuid);
    if (ins !== undefined && ins.table === t) {
      Object.assign(ins.row, row);
      return;
    }
    this.ops.push({ kind: "update", table: t, uuid, row: { ...row } });
  }

  /** Mutates one column of a row (RFC 7047 §5.1 <mutation>): `nb_cfg += 1`, insert into a set ... */
  mutate<K extends TableName<T>, C extends ColumnOf<T[K]>>(
    table: K,
    uuid: T[K]["_uuid"],
    column: C,
    mutator: Mutator,
    value: MutationValue<T[K][C]>,
  ): void {
    const t = this.table(table);
    columnModel(t, column);
    const last = this.ops.at(-1);
    // Consecutive mutations of one row go in one operation, as the C IDL sends them.
    if (last?.kind === "mutate" && last.table === t && last.uuid === uuid)
      last.mutations.push([column, mutator, value]);
    else this.ops.push({ kind: "mutate", table: t, uuid, mutations: [[column, mutator, value]] });
  }

  delete<K extends TableName<T>>(table: K, uuid: T[K]["_uuid"]): void {
    this.ops.push({ kind: "delete", table: this.table(table), uuid });
  }

  /**
   * Makes the transaction fail (and be retried) unless `columns` of the row still hold the values in `row`,
   * which is what the caller read from the replica. Rows inserted by this transaction need no check.
   */
  verify<K extends TableName<T>>(table: K, row: T[K], columns: readonly ColumnOf<T[K]>[]): void {
    if (this.named.has(row._uuid) || columns.length === 0) return;
    const t = this.table(table);
    const values: Record<string, unknown> = {};
    for (const prop of columns) values[prop] = (row as unknown as Record<string, unknown>)[prop];
    this.ops.push({ kind: "wait", table: t, uuid: row._uuid, row: values });
  }

  /**
   * Makes the transaction fail (and be retried) unless the table is still empty: for a caller that saw no
   * row and inserts the first one (as ovn-nbctl does for NB_Global).
   */
  verifyEmpty<K extends TableName<T>>(table: K): void {
    this.ops.push({ kind: "wait-empty", table: this.table(table) });
  }

  /** Reads rows inside the transaction (e.g. nb_cfg after incrementing it); see TxnResult.rows. */
  select<K extends TableName<T>>(
    table: K,
    where: Where<T[K]>,
    columns?: readonly (ColumnOf<T[K]> | "_uuid")[],
  ): SelectRef {
    const t = this.table(table);
    for (const c of columns ?? []) if (c !== "_uuid") columnModel(t, c);
    this.ops.push({ kind: "select", table: t, where, columns });
    return { opIndex: this.ops.length - 1 };
  }

  /** Adds a "comment" operation (shown in the server's log), like ovn-nbctl does. */
  comment(text: string): void {
    this.ops.push({ kind: "raw", json: { op: "comment", comment: text } });
  }

  /** The operations as RFC 7047 JSON. */
  operations(): Json[] {
    const uj: UuidJson = (u) => {
      const n = this.named.get(u);
      return n === undefined ? ["uuid", u] : ["named-uuid", n];
    };
    return this.ops.map((op) => opJson(op, uj, this.named));
  }

  /** The params of the "transact" request. */
  params(): Json[] {
    return [this.model.name, ...this.operations()];
  }

  /** Interprets the transact reply: the result, or TxnError / TryAgainError. */
  result(reply: Json): TxnResult {
    if (!Array.isArray(reply))
      throw new TxnError({ error: "bad reply", details: JSON.stringify(reply) }, undefined);
    for (let i = 0; i < reply.length; i++) {
      const r = reply[i];
      if (!isJsonObject(r) || r.error === undefined || r.error === null) continue;
      const op = this.ops[i];
      if (op?.kind === "wait" && r.error === "timed out")
        throw new TryAgainError("conflict", `${op.table.name} row ${op.uuid} changed since it was read`);
      if (op?.kind === "wait-empty" && r.error === "timed out")
        throw new TryAgainError("conflict", `table ${op.table.name} is no longer empty`);
      throw new TxnError(r, i < this.ops.length ? i : undefined);
    }
    const inserted = new Map<string, string>();
    this.ops.forEach((op, i) => {
      const r = reply[i];
      if (op.kind === "insert") {
        const u = isJsonObject(r) && Array.isArray(r.uuid) ? r.uuid[1] : undefined;
        if (typeof u !== "string") throw new TxnError({ error: "bad reply", details: `insert ${i}` }, i);
        inserted.set(op.uuid, u);
      } else if (op.kind === "update" || op.kind === "mutate" || op.kind === "delete") {
        const count = isJsonObject(r) ? r.count : undefined;
        if (count === 0 && !this.named.has(op.uuid))
          throw new TryAgainError("conflict", `${op.table.name} row ${op.uuid} no longer exists`);
      }
    });
    return {
      inserted,
      results: reply,
      uuid: <K extends string>(placeholder: Uuid<K>): Uuid<K> => {
        const u = inserted.get(placeholder);
        if (u === undefined) throw new Error(`${placeholder} is not a row inserted by this transaction`);
        return u as Uuid<K>;
      },
      rows: (ref) => {
        const r = reply[ref.opIndex];
        return isJsonObject(r) && Array.isArray(r.rows) ? r.rows : [];
      },
    };
  }

  private table(name: string): TableModel {
    return tableModel(this.model, name);
  }

  private checkColumns(t: TableModel, row: object): void {
    for (const prop of Object.keys(row)) columnModel(t, prop);
  }
}

function byUuid(uuid: string, uj: UuidJson): Json[] {
  return [["_uuid", "==", uj(uuid)]];
}

function opJson(op: Op, uj: UuidJson, named: ReadonlyMap<string, string>): Json {
  const table = op.kind === "raw" ? "" : op.table.name;
  switch (op.kind) {
    case "insert":
      return {
        op: "insert",
        table,
        row: rowJson(op.table, op.row, uj),
        "uuid-name": named.get(op.uuid) ?? "",
      };
    case "update":
      return { op: "update", table, where: byUuid(op.uuid, uj), row: rowJson(op.table, op.row, uj) };
    case "mutate":
      return {
        op: "mutate",
        table,
        where: byUuid(op.uuid, uj),
        mutations: op.mutations.map(([prop, mutator, v]): Json => {
          const c = columnModel(op.table, prop);
          return [c.name, mutator, valueJson(c, v, uj)];
        }),
      };
    case "delete":
      return { op: "delete", table, where: byUuid(op.uuid, uj) };
    case "wait": {
      const row = rowJson(op.table, op.row, uj);
      return {
        op: "wait",
        table,
        timeout: 0,
        where: byUuid(op.uuid, uj),
        columns: Object.keys(row),
        until: "==",
        rows: [row],
      };
    }
    case "wait-empty":
      return { op: "wait", table, timeout: 0, where: [], columns: [], until: "==", rows: [] };
    case "select": {
      const out: Record<string, Json> = { op: "select", table, where: whereJson(op.table, op.where, uj) };
      if (op.columns !== undefined)
        out.columns = op.columns.map((p) => (p === "_uuid" ? p : columnModel(op.table, p).name));
      return out;
    }
    case "raw":
      return op.json;
  }
}
