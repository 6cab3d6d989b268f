// Records written for commits, checked against an independent reading: random transactions run through
// the engine; the records it writes are replayed (1) by storage/txnrecord.ts, a separate implementation
// of the file format validated against the real ovsdb-tool, and (2) by the engine's own loader. Both must
// give back exactly the database the engine holds.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { schemaFile } from "../../base/schemas.js";
import { type Datum, datumToJson } from "../data/datum.js";
import { parseSchema } from "../schema/parse.js";
import { replayRecords, rowWithDefaults } from "../storage/txnrecord.js";
import { Database } from "./database.js";
import { execute } from "./execute.js";
import {
  applyRecord,
  commitToRecord,
  commitToRecordText,
  rebuildDerived,
  snapshotRecord,
} from "./records.js";

const schemaJson = JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8")) as unknown;
const schema = parseSchema(schemaJson);

type Op = Record<string, unknown>;
const name = fc.constantFrom("a", "b", "c", "d", "e");
const smallMap = fc.uniqueArray(fc.tuple(name, fc.constantFrom("1", "2", "x")), {
  selector: (p) => p[0],
  maxLength: 3,
});
const mapJson = (pairs: [string, string][]) => ["map", pairs];

/** One random transaction over switches and their ports (ports are garbage collected with them). */
const txnArb: fc.Arbitrary<Op[]> = fc.oneof(
  fc
    .tuple(name, smallMap)
    .map(([n, m]) => [{ op: "insert", table: "Logical_Switch", row: { name: n, other_config: mapJson(m) } }]),
  fc
    .tuple(
      name,
      fc.integer({ min: 0, max: 1e6 }),
      fc.uniqueArray(fc.constantFrom("dynamic", "unknown", "router"), { maxLength: 3 }),
      fc.option(fc.integer({ min: 0, max: 4095 })),
    )
    .map(([sw, p, addrs, tag]) => [
      {
        op: "insert",
        table: "Logical_Switch_Port",
        "uuid-name": "p",
        row: { name: `${sw}-${p}`, addresses: ["set", addrs], tag_request: tag === null ? ["set", []] : tag },
      },
      {
        op: "mutate",
        table: "Logical_Switch",
        where: [["name", "==", sw]],
        mutations: [["ports", "insert", ["set", [["named-uuid", "p"]]]]],
      },
    ]),
  fc.tuple(name, smallMap).map(([n, m]) => [
    {
      op: "update",
      table: "Logical_Switch",
      where: [["name", "==", n]],
      row: { other_config: mapJson(m) },
    },
  ]),
  fc.tuple(name, smallMap).map(([n, m]) => [
    {
      op: "mutate",
      table: "Logical_Switch",
      where: [["name", "==", n]],
      mutations: [["other_config", "insert", mapJson(m)]],
    },
  ]),
  fc.tuple(name, fc.uniqueArray(name, { maxLength: 3 })).map(([n, ks]) => [
    {
      op: "mutate",
      table: "Logical_Switch",
      where: [["name", "==", n]],
      mutations: [["other_config", "delete", ["set", ks]]],
    },
  ]),
  fc.tuple(fc.boolean(), fc.option(fc.integer({ min: 0, max: 4095 }))).map(([en, tag]) => [
    {
      op: "update",
      table: "Logical_Switch_Port",
      where: [],
      row: { enabled: en, tag_request: tag === null ? ["set", []] : tag },
    },
  ]),
  name.map((n) => [
    { op: "update", table: "Logical_Switch", where: [["name", "==", n]], row: { ports: ["set", []] } },
  ]),
  name.map((n) => [{ op: "delete", table: "Logical_Switch", where: [["name", "==", n]] }]),
  fc.integer({ min: 0, max: 9 }).map((v) => [{ op: "insert", table: "NB_Global", row: { nb_cfg: v } }]),
  fc
    .integer({ min: 1, max: 3 })
    .map((v) => [{ op: "mutate", table: "NB_Global", where: [], mutations: [["nb_cfg", "+=", v]] }]),
);

/** Every row as RFC 7047 JSON with defaults filled in: table → uuid → row. */
function contents(db: Database): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const t of db.tables.values()) {
    if (t.rows.size === 0) continue;
    const rows: Record<string, unknown> = {};
    for (const r of t.rows.values()) {
      const row: Record<string, unknown> = {};
      for (const c of t.schema.userColumns)
        if (!c.ephemeral) row[c.name] = datumToJson(r.cols[c.index] as Datum, c.type);
      rows[r.uuid] = rowWithDefaults(schemaJson, t.name, row);
    }
    out[t.name] = rows;
  }
  return out;
}

function fromReplay(rows: ReturnType<typeof replayRecords>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [t, m] of rows) {
    if (m.size === 0) continue;
    out[t] = Object.fromEntries([...m].map(([u, r]) => [u, rowWithDefaults(schemaJson, t, r)]));
  }
  return out;
}

test("records of random transactions replay to the engine's database, by both readers", () => {
  fc.assert(
    fc.property(fc.array(txnArb, { minLength: 1, maxLength: 40 }), fc.boolean(), (txns, compactMidway) => {
      const db = new Database(schema);
      let records: unknown[] = [];
      txns.forEach((ops, i) => {
        execute(db, ops, {
          ownsLock: () => false,
          mayBlock: false,
          persist: (c) => {
            const r = commitToRecord(db, c, 1000 + i);
            // The text the server writes is the serialisation of the record, byte for byte.
            assert.equal(commitToRecordText(db, c, 1000 + i), r === null ? null : JSON.stringify(r));
            if (r !== null) records.push(r);
          },
        });
        if (compactMidway && i === Math.floor(txns.length / 2)) records = [snapshotRecord(db, 5000)];
      });
      const want = contents(db);
      assert.deepEqual(fromReplay(replayRecords(schemaJson, records)), want);
      const loaded = new Database(schema);
      for (const r of records) applyRecord(loaded, r);
      rebuildDerived(loaded);
      assert.deepEqual(contents(loaded), want);
      for (const [name, t] of db.tables) {
        const lt = loaded.tables.get(name)!;
        assert.deepEqual(
          new Map([...lt.strongRefs].sort()),
          new Map([...t.strongRefs].sort()),
          `${name} reference counts`,
        );
        assert.deepEqual(
          lt.indexes.map((m) => new Map([...m].sort())),
          t.indexes.map((m) => new Map([...m].sort())),
          `${name} indexes`,
        );
      }
    }),
    { numRuns: 150 },
  );
});

test("record text: comments, escapes, numbers, uuids and every column type serialise as JSON.stringify does", () => {
  const text = fc.string({ unit: "binary", maxLength: 8 });
  fc.assert(
    fc.property(text, text, fc.integer({ min: -5, max: 5 }), fc.option(text), (nm, val, n, comment) => {
      const db = new Database(schema);
      const ops: Op[] = [
        {
          op: "insert",
          table: "Logical_Switch",
          "uuid-name": "s",
          row: { name: nm, external_ids: ["map", [[val, nm]]] },
        },
        {
          op: "insert",
          table: "Logical_Router",
          row: { name: val, options: ["map", [["k", `${n}`]]], enabled: n > 0 },
        },
        { op: "insert", table: "NB_Global", row: { nb_cfg: n, external_ids: ["map", [["sw", nm]]] } },
        {
          op: "insert",
          table: "Logical_Switch_Port",
          "uuid-name": "p",
          row: { name: `${nm}p`, tag_request: Math.abs(n) },
        },
        {
          op: "mutate",
          table: "Logical_Switch",
          where: [["name", "==", nm]],
          mutations: [["ports", "insert", ["set", [["named-uuid", "p"]]]]],
        },
      ];
      if (comment !== null) ops.push({ op: "comment", comment });
      let checked = 0;
      const r = execute(db, ops, {
        ownsLock: () => false,
        mayBlock: false,
        persist: (c) => {
          assert.equal(commitToRecordText(db, c, 7), JSON.stringify(commitToRecord(db, c, 7)));
          checked++;
        },
      });
      assert.equal(r.commit === null ? 0 : 1, checked);
    }),
    { numRuns: 200 },
  );
});
