// Executes a "transact" request (RFC 7047 §4.1.3, §5.2): the operations run in order against a Txn; the
// first failure stops the transaction and nothing is committed. One handler per operation, in one table.
import { isUuid } from "../../base/uuid.js";
import { type SymbolTable, symbolFor } from "../data/atom.js";
import { checkDatumConstraints, type Datum, datumEquals, datumFromJson } from "../data/datum.js";
import { randomUuid } from "../data/uuid-gen.js";
import { OvsdbError, syntaxError } from "../error.js";
import type { ColumnSchema } from "../schema/types.js";
import type { Authorize, WriteOp } from "./authorize.js";
import { type Commit, commitTxn } from "./commit.js";
import { type Condition, matchesAll, parseWhere, pinnedUuid } from "./condition.js";
import type { Database, DbTable } from "./database.js";
import { applyMutation, parseMutation } from "./mutation.js";
import { type Row, rowToJson } from "./row.js";
import { Txn } from "./txn.js";

export type OpName =
  | "insert"
  | "select"
  | "update"
  | "mutate"
  | "delete"
  | "wait"
  | "commit"
  | "abort"
  | "comment"
  | "assert";

export interface ExecContext {
  /** Locks owned by the session (for "assert"). */
  readonly ownsLock: (name: string) => boolean;
  /** True when a "wait" with a timeout that has not yet expired may block instead of failing. */
  readonly mayBlock: boolean;
  /** Writes a checked commit to storage before it is applied; throwing refuses the commit. */
  readonly persist?: (c: Commit) => void;
  /** The authorisation hook (RBAC), once per write operation before it applies; see authorize.ts. */
  readonly checkWrite?: Authorize;
}

export interface ExecResult {
  readonly results: unknown[];
  readonly commit: Commit | null;
  /** A wait op is not yet satisfied: retry the whole transaction later, until this many ms pass. */
  readonly blockedFor?: number;
}

class Blocked {
  constructor(readonly timeout: number) {}
}

type Op = Record<string, unknown>;
type Handler = (env: Env, op: Op, t: DbTable) => unknown;

interface Env {
  readonly txn: Txn;
  /** The named uuids of the transaction, made when first needed (see symtabOf). */
  symtab: SymbolTable | undefined;
  readonly ctx: ExecContext;
  opIndex: number;
  readonly opCount: number;
}

/**
 * The transaction's symbol table. Made on first use: most transactions name no uuid, and a map per
 * transaction is a fifth of what a single-row insert allocates.
 */
function symtabOf(env: Env): SymbolTable {
  if (env.symtab === undefined) env.symtab = new Map();
  return env.symtab;
}

/** The symbol table for parsing a value of column `c`: only uuid atoms can name one. */
function symtabFor(env: Env, c: ColumnSchema): SymbolTable | null {
  return c.type.key.type === "uuid" || c.type.value?.type === "uuid" ? symtabOf(env) : null;
}

const OPS_WITHOUT_TABLE = new Set<OpName>(["commit", "abort", "comment", "assert"]);

type MemberKind = "object" | "array" | "string" | "boolean" | "integer" | "any";

function kindOk(v: unknown, kind: MemberKind): boolean {
  switch (kind) {
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "any":
      return true;
  }
}

/** Errors in an operation's own members carry the position prefix ovsdb-server gives them. */
function opError(env: Env, op: Op, msg: string): OvsdbError {
  return syntaxError(op, `Parsing ovsdb operation ${env.opIndex + 1} of ${env.opCount} failed: ${msg}`);
}

function member(env: Env, op: Op, name: string, kind: MemberKind, required: boolean): unknown {
  const v = op[name];
  if (v === undefined || v === null) {
    if (required) throw opError(env, op, `Required '${name}' member is missing.`);
    return undefined;
  }
  if (!kindOk(v, kind)) throw opError(env, op, `Type mismatch for member '${name}'.`);
  return v;
}

/** Asks the authorisation hook, if there is one; its refusal is the operation's error. */
function authorize(env: Env, op: WriteOp): void {
  const refusal = env.ctx.checkWrite?.(op, env.txn);
  if (refusal !== undefined) throw refusal;
}

/**
 * ovsdb-server checks a new row's every column against its type's constraints when it is inserted, so a
 * default that a constraint excludes (an integer 0 where the range starts at 1) fails the insert itself.
 * Defaults are fixed per column: which ones break their constraints is worked out once per table (and
 * kept on the table).
 */
function badDefaultsOf(t: DbTable): readonly { readonly index: number; readonly error: Error }[] {
  let bad = t.badDefaults;
  if (bad === undefined) {
    const found: { index: number; error: Error }[] = [];
    for (const c of t.schema.userColumns) {
      try {
        checkDatumConstraints(t.defaults[c.index] as Datum, c.type);
      } catch (e) {
        if (!(e instanceof OvsdbError)) throw e;
        found.push({ index: c.index, error: e });
      }
    }
    bad = found;
    t.badDefaults = bad;
  }
  return bad;
}

/**
 * Throws the error of a column left at a default that its constraints exclude. A column not given still
 * holds the shared default datum itself (DbTable.defaults); one given holds a new datum (an atom equal
 * to the bad default would have failed its own constraint check when parsed).
 */
function checkDefaults(t: DbTable, cols: readonly Datum[]): void {
  const bad = badDefaultsOf(t);
  if (bad.length === 0) return;
  const defaults = t.defaults;
  for (const b of bad) if (cols[b.index] === defaults[b.index]) throw b.error;
}

function rowsMatching(env: Env, t: DbTable, conds: readonly Condition[]): Row[] {
  const pin = pinnedUuid(conds);
  if (pin !== undefined) {
    const r = env.txn.row(t, pin);
    return r !== null && matchesAll(conds, r) ? [r] : [];
  }
  const out: Row[] = [];
  for (const r of env.txn.scan(t)) if (matchesAll(conds, r)) out.push(r);
  return out;
}

/** Parses a <row> for insert/update: column name → datum. */
function parseRow(env: Env, t: DbTable, j: unknown, forUpdate: boolean, op?: Op): Map<number, Datum> {
  if (typeof j !== "object" || j === null || Array.isArray(j))
    throw syntaxError(j, "Row must be a JSON object.");
  const out = new Map<number, Datum>();
  for (const [name, v] of Object.entries(j)) {
    const c = t.schema.columns.get(name);
    if (c === undefined) throw syntaxError(j, `No column ${name} in table ${t.name}.`, "unknown column");
    if (c.index < 0) {
      if (forUpdate)
        throw new OvsdbError(
          "constraint violation",
          `Cannot update immutable column ${name} in table ${t.name}.`,
          op,
        );
      continue; // ovsdb-server ignores _uuid/_version given to insert
    }
    out.set(c.index, datumFromJson(v, c.type, symtabFor(env, c)));
  }
  return out;
}

/**
 * Parses an insert's <row> straight into a new row's columns (defaults for those not given): parseRow()
 * without the map in between, on the path of every insert.
 */
function parseInsertRow(env: Env, t: DbTable, j: unknown): Datum[] {
  if (typeof j !== "object" || j === null || Array.isArray(j))
    throw syntaxError(j, "Row must be a JSON object.");
  const cols = t.defaults.slice();
  const row = j as Record<string, unknown>;
  for (const name in row) {
    if (!Object.hasOwn(row, name)) continue;
    const c = t.schema.columns.get(name);
    if (c === undefined) throw syntaxError(j, `No column ${name} in table ${t.name}.`, "unknown column");
    if (c.index < 0) continue; // ovsdb-server ignores _uuid/_version given to insert
    cols[c.index] = datumFromJson(row[name], c.type, symtabFor(env, c));
  }
  return cols;
}

function parseColumns(t: DbTable, j: unknown): string[] {
  if (!Array.isArray(j)) throw syntaxError(j, "array of column names expected");
  const seen = new Set<string>();
  return j.map((c) => {
    if (typeof c !== "string" || seen.has(c)) throw syntaxError(j, "array of distinct column names expected");
    if (!t.schema.columns.has(c)) throw syntaxError(j, `${c} is not a valid column name`);
    seen.add(c);
    return c;
  });
}

const handlers: Record<OpName, Handler> = {
  insert(env, op, t) {
    const cols = parseInsertRow(env, t, member(env, op, "row", "object", true));
    const uuidName = member(env, op, "uuid-name", "string", false);
    const uuidGiven = member(env, op, "uuid", "string", false);
    let uuid: string;
    if (uuidGiven !== undefined) {
      if (typeof uuidGiven !== "string" || !isUuid(uuidGiven)) throw syntaxError(uuidGiven, "bad uuid");
      uuid = uuidGiven.toLowerCase();
      if (env.txn.exists(t, uuid) || env.txn.deleted.has(uuid) || anyTableHas(env.txn, uuid))
        throw syntaxError(
          uuidGiven,
          "This UUID would duplicate a UUID already present within the table or deleted within the same transaction.",
          "duplicate uuid",
        );
    }
    if (uuidName !== undefined) {
      if (typeof uuidName !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(uuidName))
        throw syntaxError(uuidName, `"uuid-name" must be a valid identifier`);
      const sym = symbolFor(symtabOf(env), uuidName);
      if (sym.created)
        throw syntaxError(
          uuidName,
          `This "uuid-name" appeared on an earlier "insert" operation.`,
          "duplicate uuid-name",
        );
      sym.created = true;
      if (uuidGiven !== undefined) sym.uuid = uuid!;
      else uuid = sym.uuid;
    } else if (uuidGiven === undefined) {
      uuid = randomUuid();
    }
    checkDefaults(t, cols);
    authorize(env, { kind: "insert", table: t, uuid: uuid!, row: cols });
    env.txn.insert(t, uuid!, cols);
    return { uuid: ["uuid", uuid!] };
  },

  select(env, op, t) {
    const conds = parseWhere(t.schema, member(env, op, "where", "array", true), symtabOf(env), true);
    const cj = member(env, op, "columns", "array", false);
    const columns = cj === undefined ? undefined : parseColumns(t, cj);
    const rows = rowsMatching(env, t, conds).map((r) => rowToJson(t.schema, r, columns));
    if (columns === undefined) return { rows };
    // With explicit columns ovsdb-server returns distinct rows (its query is "distinct" over them).
    const seen = new Set<string>();
    return {
      rows: rows.filter((r) => {
        const key = JSON.stringify(r);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    };
  },

  update(env, op, t) {
    const conds = parseWhere(t.schema, member(env, op, "where", "array", true), symtabOf(env), true);
    const row = parseRow(env, t, member(env, op, "row", "object", true), true, op);
    for (const i of row.keys()) {
      const c = t.schema.userColumns[i];
      if (c !== undefined && !c.mutable)
        throw new OvsdbError(
          "constraint violation",
          `Cannot update immutable column ${c.name} in table ${t.name}.`,
          op,
        );
    }
    const rows = rowsMatching(env, t, conds);
    if (env.ctx.checkWrite !== undefined) {
      const columns = [...row.keys()].map((i) => t.schema.userColumns[i]?.name ?? "");
      const after = (r: Row): readonly Datum[] => {
        const cols = r.cols.slice();
        for (const [i, d] of row) cols[i] = d;
        return cols;
      };
      authorize(env, { kind: "update", table: t, rows, columns, after });
    }
    for (const r of rows) {
      const cols = env.txn.modify(t, r.uuid);
      for (const [i, d] of row) cols[i] = d;
    }
    return { count: rows.length };
  },

  mutate(env, op, t) {
    const conds = parseWhere(t.schema, member(env, op, "where", "array", true), symtabOf(env), true);
    const mj = member(env, op, "mutations", "array", true);
    if (!Array.isArray(mj)) throw syntaxError(mj, "array of mutations expected");
    const muts = mj.map((m) => parseMutation(t.schema, m, symtabOf(env)));
    const rows = rowsMatching(env, t, conds);
    // Values the hook had computed are reused, so each row's mutations run once.
    const computed = new Map<string, Datum[]>();
    if (env.ctx.checkWrite !== undefined) {
      const after = (r: Row): readonly Datum[] => {
        let cols = computed.get(r.uuid);
        if (cols === undefined) {
          cols = r.cols.slice();
          for (const m of muts)
            cols[m.column.index] = applyMutation(m, cols[m.column.index] as Datum, t.name);
          computed.set(r.uuid, cols);
        }
        return cols;
      };
      const columns = muts.map((m) => m.column.name);
      authorize(env, { kind: "mutate", table: t, rows, columns, after });
    }
    for (const r of rows) {
      const done = computed.get(r.uuid);
      const cols = env.txn.modify(t, r.uuid);
      for (const m of muts)
        cols[m.column.index] =
          done !== undefined
            ? (done[m.column.index] as Datum)
            : applyMutation(m, cols[m.column.index] as Datum, t.name);
    }
    return { count: rows.length };
  },

  delete(env, op, t) {
    const conds = parseWhere(t.schema, member(env, op, "where", "array", true), symtabOf(env), true);
    const rows = rowsMatching(env, t, conds);
    authorize(env, { kind: "delete", table: t, rows });
    for (const r of rows) env.txn.delete(t, r.uuid);
    return { count: rows.length };
  },

  wait(env, op, t) {
    const conds = parseWhere(t.schema, member(env, op, "where", "array", true), symtabOf(env), true);
    // ovsdb-server (and the C IDL, which omits it) take a missing "columns" as every column.
    const cj = member(env, op, "columns", "array", false);
    const columns = cj === undefined ? t.schema.userColumns.map((c) => c.name) : parseColumns(t, cj);
    const until = member(env, op, "until", "string", true);
    if (until !== "==" && until !== "!=") throw syntaxError(until, `"until" must be "==" or "!="`);
    const rj = member(env, op, "rows", "array", true);
    if (!Array.isArray(rj)) throw syntaxError(rj, "array of rows expected");
    const timeoutJ = member(env, op, "timeout", "integer", false);
    if (timeoutJ !== undefined && (typeof timeoutJ !== "number" || timeoutJ < 0))
      throw syntaxError(timeoutJ, "timeout must be a nonnegative integer");
    const cols = columns.map((n) => t.schema.columns.get(n)!);
    const wanted = rj.map((r) => {
      if (typeof r !== "object" || r === null || Array.isArray(r))
        throw syntaxError(r, "Row must be a JSON object.");
      const out = new Map<string, Datum>();
      for (const [name, v] of Object.entries(r)) {
        const c = t.schema.columns.get(name);
        if (c === undefined) throw syntaxError(r, `No column ${name} in table ${t.name}.`, "unknown column");
        out.set(name, datumFromJson(v, c.type, symtabFor(env, c)));
      }
      return out;
    });
    const actual = rowsMatching(env, t, conds);
    // The rows must be equal as multisets over the named columns.
    const project = (get: (n: string) => Datum | undefined) => cols.map((c) => get(c.name));
    const remaining = actual.map((r) =>
      project((n) => {
        const c = t.schema.columns.get(n)!;
        return c.index >= 0 ? (r.cols[c.index] as Datum) : { keys: [c.index === -1 ? r.uuid : r.version] };
      }),
    );
    let equal = remaining.length === wanted.length;
    if (equal) {
      const used = new Array<boolean>(remaining.length).fill(false);
      for (const w of wanted) {
        const wv = project((n) => w.get(n));
        const k = remaining.findIndex(
          (rv, i) =>
            !used[i] && rv.every((d, ci) => wv[ci] === undefined || datumEquals(d as Datum, wv[ci] as Datum)),
        );
        if (k < 0) {
          equal = false;
          break;
        }
        used[k] = true;
      }
    }
    if (equal === (until === "==")) return {};
    const timeout = timeoutJ === undefined ? Infinity : (timeoutJ as number);
    if (timeout > 0 && env.ctx.mayBlock) throw new Blocked(timeout);
    throw new OvsdbError("timed out", `"where" clause test failed`);
  },

  commit(env, op) {
    const d = member(env, op, "durable", "boolean", true);
    if (d) env.txn.durable = true;
    return {};
  },

  abort() {
    throw new OvsdbError("aborted", "aborted by request");
  },

  comment(env, op) {
    const c = member(env, op, "comment", "string", true) as string;
    env.txn.comment.push(c);
    return {};
  },

  assert(env, op) {
    const lock = member(env, op, "lock", "string", true) as string;
    if (!env.ctx.ownsLock(lock)) throw new OvsdbError("not owner", `Asserted lock ${lock} not held.`);
    return {};
  },
};

function anyTableHas(txn: Txn, uuid: string): boolean {
  for (const t of txn.db.tables.values()) if (txn.exists(t, uuid)) return true;
  return false;
}

function errorJson(e: unknown): Record<string, unknown> {
  if (e instanceof OvsdbError) return e.toJson();
  throw e;
}

/** Runs a transaction's operations (params without the database name) and commits them. */
export function execute(db: Database, ops: readonly unknown[], ctx: ExecContext): ExecResult {
  const txn = new Txn(db);
  const env: Env = { txn, symtab: undefined, ctx, opIndex: 0, opCount: ops.length };
  // Filled in a loop: Array.prototype.fill is a call into the runtime, costlier than a few stores.
  const results: unknown[] = [];
  for (let i = 0; i < ops.length; i++) results.push(null);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    env.opIndex = i;
    try {
      if (typeof op !== "object" || op === null || Array.isArray(op))
        throw new OvsdbError(
          "syntax error",
          `Parsing ovsdb operation ${i + 1} of ${ops.length} failed: Object expected.`,
        );
      const o = op as Op;
      const name = o.op;
      if (typeof name !== "string")
        throw syntaxError(
          op,
          `Parsing ovsdb operation ${i + 1} of ${ops.length} failed: ${name === undefined || name === null ? "Required 'op' member is missing." : "Type mismatch for member 'op'."}`,
        );
      if (!Object.hasOwn(handlers, name))
        throw syntaxError(
          op,
          `Parsing ovsdb operation ${i + 1} of ${ops.length} failed: No operation "${name}"`,
        );
      const opName = name as OpName;
      let table: DbTable | undefined;
      if (!OPS_WITHOUT_TABLE.has(opName)) {
        const tn = o.table;
        if (typeof tn !== "string")
          throw syntaxError(
            op,
            `Parsing ovsdb operation ${i + 1} of ${ops.length} failed: ${tn === undefined || tn === null ? "Required 'table' member is missing." : "Type mismatch for member 'table'."}`,
          );
        table = db.table(tn);
        if (table === undefined)
          throw syntaxError(
            op,
            `Parsing ovsdb operation ${i + 1} of ${ops.length} failed: No table named ${tn}.`,
          );
      }
      results[i] = handlers[opName](env, o, table as DbTable);
    } catch (e) {
      if (e instanceof Blocked) return { results: [], commit: null, blockedFor: e.timeout };
      results[i] = errorJson(e);
      return { results, commit: null };
    }
  }
  // A named uuid referenced but never inserted surfaces at commit as a reference to a nonexistent row.
  try {
    const commit = commitTxn(txn, ctx.persist);
    return { results, commit };
  } catch (e) {
    results.push(errorJson(e));
    return { results, commit: null };
  }
}
