// The engine's authorisation hook: called once per write operation (also when it matches nothing) with
// what the operation is about to do; its refusal is that operation's result and nothing commits.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { schemaFile } from "../../base/schemas.js";
import { OvsdbError } from "../error.js";
import { parseSchema } from "../schema/parse.js";
import type { WriteOp } from "./authorize.js";
import { Database } from "./database.js";
import { type ExecContext, execute } from "./execute.js";

const schema = parseSchema(JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8")));

/** What the hook saw, as text: kind, table, rows matched, columns, and values after the write. */
function seen(op: WriteOp): string {
  const col = (cols: readonly unknown[], name: string) =>
    JSON.stringify(cols[op.table.schema.columns.get(name)?.index ?? -1]);
  switch (op.kind) {
    case "insert":
      return `insert ${op.table.name} name=${col(op.row, "name")}`;
    case "delete":
      return `delete ${op.table.name} rows=${op.rows.length}`;
    default:
      return `${op.kind} ${op.table.name} rows=${op.rows.length} columns=${op.columns.join(",")} after=${op.rows
        .map((r) => col(op.after(r), "other_config"))
        .join(";")}`;
  }
}

function run(db: Database, ops: unknown[], refuse?: (op: WriteOp) => boolean) {
  const log: string[] = [];
  const ctx: ExecContext = {
    ownsLock: () => false,
    mayBlock: false,
    checkWrite: (op) => {
      // A refusing hook looks at nothing but the kind (so it never runs a mutation through after()).
      log.push(refuse === undefined ? seen(op) : `${op.kind} ${op.table.name}`);
      return refuse?.(op) ? new OvsdbError("permission error", `no ${op.kind}`) : undefined;
    },
  };
  return { r: execute(db, ops, ctx), log };
}

const ls = (name: string) => [["name", "==", name]];

test("the hook sees each write once, with rows, columns and values after it", () => {
  const db = new Database(schema);
  const { r, log } = run(db, [
    { op: "insert", table: "Logical_Switch", row: { name: "a" } },
    { op: "update", table: "Logical_Switch", where: ls("a"), row: { other_config: ["map", [["k", "1"]]] } },
    {
      op: "mutate",
      table: "Logical_Switch",
      where: ls("a"),
      mutations: [["other_config", "insert", ["map", [["m", "2"]]]]],
    },
    { op: "update", table: "Logical_Switch", where: ls("none"), row: { name: "x" } },
    { op: "delete", table: "Logical_Switch", where: ls("none") },
    { op: "select", table: "Logical_Switch", where: [] },
  ]);
  assert.ok(r.commit !== null, JSON.stringify(r.results));
  assert.deepEqual(log, [
    'insert Logical_Switch name={"keys":["a"]}',
    'update Logical_Switch rows=1 columns=other_config after={"keys":["k"],"values":["1"]}',
    'mutate Logical_Switch rows=1 columns=other_config after={"keys":["k","m"],"values":["1","2"]}',
    "update Logical_Switch rows=0 columns=name after=",
    "delete Logical_Switch rows=0",
  ]);
  // The mutation the hook computed is the one applied.
  const [row] = [...(db.table("Logical_Switch")?.rows.values() ?? [])];
  const oc = row?.cols[schema.tables.get("Logical_Switch")?.columns.get("other_config")?.index ?? -1];
  assert.deepEqual(oc, { keys: ["k", "m"], values: ["1", "2"] });
});

test("a refusal is the operation's result, in place; later operations do not run; nothing commits", () => {
  const db = new Database(schema);
  const { r, log } = run(
    db,
    [
      { op: "insert", table: "Logical_Switch", row: { name: "a" } },
      { op: "delete", table: "Logical_Switch", where: [] },
      { op: "insert", table: "Logical_Switch", row: { name: "b" } },
    ],
    (op) => op.kind === "delete",
  );
  assert.equal(r.commit, null);
  assert.deepEqual(r.results.slice(1), [{ error: "permission error", details: "no delete" }, null]);
  assert.equal(log.length, 2);
  assert.equal(db.table("Logical_Switch")?.rows.size, 0);
});

test("a refused mutate never runs its mutations; a parse error comes before the hook", () => {
  const db = new Database(schema);
  run(db, [{ op: "insert", table: "NB_Global", row: {} }]);
  const divide = { op: "mutate", table: "NB_Global", where: [], mutations: [["nb_cfg", "/=", 0]] };
  assert.equal((run(db, [divide]).r.results[0] as { error?: string }).error, "domain error");
  assert.deepEqual(run(db, [divide], () => true).r.results, [
    { error: "permission error", details: "no mutate" },
  ]);
  const bad = run(db, [{ op: "update", table: "Logical_Switch", where: [], row: { nosuch: 1 } }], () => true);
  assert.equal((bad.r.results[0] as { error?: string }).error, "unknown column");
  assert.deepEqual(bad.log, []);
});
