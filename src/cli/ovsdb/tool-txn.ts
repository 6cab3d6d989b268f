// ovsdb-tool query and transact: run a transaction with the engine directly on a database file, like
// the C tool. Observed from ovsdb-tool 3.1:
//   - the parameters must be an array starting with the database's name, otherwise the one result is
//     {"error": "syntax error", "details": "array expected" | "database name expected as first parameter"};
//   - a "wait" that would have to block fails with "not supported: triggers not supported", and
//     "assert" fails ("not owner"): the tool holds no locks;
//   - transact appends the commit to the file; query opens the file read-only, so a transaction that
//     changes anything persistent gets the I/O error the C tool's failed write produces;
//   - results are printed as JSON with sorted members.
import type { Commit } from "../../ovsdb/engine/commit.js";
import { execute } from "../../ovsdb/engine/execute.js";
import { commitToRecord } from "../../ovsdb/engine/records.js";
import { OvsdbError } from "../../ovsdb/error.js";
import { isObject, type OJson, type OJsonObject, serializeOvsJson } from "./ovs-json.js";
import type { ToolSchema } from "./schema-json.js";
import { typedRow } from "./typed-json.js";

/** An OvsdbError with the "io-error" member of the C tool's I/O errors. */
export class IoError extends OvsdbError {
  constructor(
    details: string,
    readonly ioError: string,
  ) {
    super("I/O error", details);
  }

  override toJson(): Record<string, unknown> {
    return { ...super.toJson(), "io-error": this.ioError };
  }
}

export interface TxnOutcome {
  /** What to print (one JSON value). */
  readonly output: OJson;
  /** The record to append (transact only), or null. */
  readonly record: Record<string, unknown> | null;
}

function syntaxResult(details: string, params: OJson): OJson {
  return { details, error: "syntax error", syntax: serializeOvsJson(params, { sort: true }) };
}

/**
 * Runs `params` (the transact parameters, database name first). With `readOnly`, a commit that would
 * write a record fails with `readOnlyError`.
 */
export function runToolTxn(
  schema: ToolSchema,
  db: Parameters<typeof execute>[0],
  params: OJson,
  plainParams: unknown,
  opts: { readOnly: boolean; readOnlyError: () => OvsdbError; now: number },
): TxnOutcome {
  if (!Array.isArray(params)) return { output: syntaxResult("array expected", params), record: null };
  if (params.length === 0 || params[0] !== schema.model.name)
    return { output: syntaxResult("database name expected as first parameter", params), record: null };
  const ops = (plainParams as unknown[]).slice(1);
  let record: Record<string, unknown> | null = null;
  const persist = (c: Commit): void => {
    const rec = commitToRecord(db, c, opts.now);
    if (rec === null) return;
    if (opts.readOnly) throw opts.readOnlyError();
    record = rec;
  };
  const r = execute(db, ops, { ownsLock: () => false, mayBlock: false, persist });
  const results = r.results.map((res, i) => typedResult(schema, ops[i], res));
  notSupportedWait(ops, results);
  return { output: results, record };
}

/** A "wait" that failed only because it may not block is reported as the C tool does. */
function notSupportedWait(ops: readonly unknown[], results: OJson[]): void {
  const i = results.findIndex((r) => isObject(r) && r.error === "timed out");
  const op = ops[i] as Record<string, unknown> | undefined;
  if (i < 0 || op === undefined || op.op !== "wait" || op.timeout === 0) return;
  results[i] = { details: "triggers not supported", error: "not supported" };
}

/** Engine JSON to OVS JSON, with the values of real columns marked as reals. */
function typedResult(schema: ToolSchema, op: unknown, res: unknown): OJson {
  const json = res as OJson;
  if (!isObject(json) || !Array.isArray(json.rows)) return json;
  const tname = isObject(op as OJson) ? (op as OJsonObject).table : undefined;
  const table = typeof tname === "string" ? schema.model.tables.get(tname) : undefined;
  if (table === undefined) return json;
  return { ...json, rows: json.rows.map((row) => typedRow(table, row)) };
}
