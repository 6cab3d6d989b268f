// Commit bookkeeping, incremental against recomputed: after every random transaction the reference counts
// the commit path maintains (it skips columns a transaction left untouched) must equal the counts
// rebuildDerived() computes from the rows alone; and transaction ids must be distinct uuids.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { schemaFile } from "../../base/schemas.js";
import { isUuid } from "../../base/uuid.js";
import { parseSchema } from "../schema/parse.js";
import { Database } from "./database.js";
import { execute } from "./execute.js";
import { rebuildDerived } from "./records.js";

const schema = parseSchema(JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8")) as unknown);
const ctx = { ownsLock: () => false, mayBlock: false };

type Op = Record<string, unknown>;
const sw = fc.constantFrom("s1", "s2", "s3");
const port = fc.constantFrom("p1", "p2", "p3", "p4");

/** Switches and their ports: ports are non-root rows held by strong references from switches. */
const txnArb: fc.Arbitrary<Op[]> = fc.oneof(
  fc.tuple(sw, fc.uniqueArray(port, { maxLength: 3 })).map(([s, ps]) => [
    ...ps.map((p, i) => ({
      op: "insert",
      table: "Logical_Switch_Port",
      "uuid-name": `n${i}`,
      row: { name: `${s}-${p}` },
    })),
    {
      op: "insert",
      table: "Logical_Switch",
      row: { name: s, ports: ["set", ps.map((_, i) => ["named-uuid", `n${i}`])] },
    },
  ]),
  // Touches a column other than ports: the port references are carried over unchanged.
  fc.tuple(sw, fc.constantFrom("a", "b")).map(([s, v]) => [
    {
      op: "update",
      table: "Logical_Switch",
      where: [["name", "==", s]],
      row: { other_config: ["map", [["k", v]]] },
    },
  ]),
  // Drops every port of a switch: they are garbage collected.
  sw.map((s) => [
    { op: "update", table: "Logical_Switch", where: [["name", "==", s]], row: { ports: ["set", []] } },
  ]),
  // Adds a port to an existing switch.
  fc.tuple(sw, port).map(([s, p]) => [
    { op: "insert", table: "Logical_Switch_Port", "uuid-name": "np", row: { name: `${s}-${p}-x` } },
    {
      op: "mutate",
      table: "Logical_Switch",
      where: [["name", "==", s]],
      mutations: [["ports", "insert", ["set", [["named-uuid", "np"]]]]],
    },
  ]),
  sw.map((s) => [{ op: "delete", table: "Logical_Switch", where: [["name", "==", s]] }]),
);

function refCounts(db: Database): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const t of db.tables.values())
    if (t.strongRefs.size > 0) out[t.name] = Object.fromEntries(t.strongRefs);
  return out;
}

test("reference counts kept by commits equal those recomputed from the rows", () => {
  fc.assert(
    fc.property(fc.array(txnArb, { minLength: 1, maxLength: 25 }), (txns) => {
      const db = new Database(schema);
      for (const ops of txns) {
        execute(db, ops, ctx);
        const kept = refCounts(db);
        rebuildDerived(db);
        assert.deepEqual(kept, refCounts(db));
        // Every port left is referenced by some switch (garbage collection ran).
        for (const uuid of db.table("Logical_Switch_Port")?.rows.keys() ?? [])
          assert.ok((db.table("Logical_Switch_Port")?.strongRefs.get(uuid) ?? 0) > 0, `orphan port ${uuid}`);
      }
    }),
    { numRuns: 150 },
  );
});

test("each commit gets a distinct uuid as its transaction id", () => {
  const db = new Database(schema);
  const ids = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const r = execute(db, [{ op: "insert", table: "Logical_Switch", row: { name: `s${i}` } }], ctx);
    assert.ok(r.commit !== null);
    assert.ok(isUuid(r.commit.id), r.commit.id);
    ids.add(r.commit.id);
  }
  assert.equal(ids.size, 200);
  // A transaction that changes nothing commits nothing (and uses no id).
  const none = execute(db, [{ op: "select", table: "Logical_Switch", where: [] }], ctx);
  assert.equal(none.commit, null);
});
