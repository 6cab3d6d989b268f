import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileStorageSchema } from "./columns.js";
import { applyToModel, ROW_UUIDS, TEST_SCHEMA, txnArb } from "./testutil.js";
import {
  applyTxnRecord,
  buildSnapshotRecord,
  buildTxnRecord,
  type DbRows,
  emptyDb,
  type RowJson,
  replayRecords,
  rowWithDefaults,
  TxnRecordError,
  txnRecordInfo,
} from "./txnrecord.js";

const S = compileStorageSchema(TEST_SCHEMA);
const A = ROW_UUIDS[0] ?? "";
const B = ROW_UUIDS[1] ?? "";
const U1 = ["uuid", "11111111-2222-3333-4444-555555555555"];

function rowsOf(db: DbRows, table = "R"): Record<string, RowJson> {
  return Object.fromEntries(db.get(table) ?? []);
}

test("replay: inserts keep only non-default columns, in canonical form", () => {
  const db = replayRecords(S, [
    {
      _date: 1,
      _is_diff: true,
      R: {
        [A.toUpperCase()]: {
          i: 0,
          s: "x",
          ss: ["set", ["b", "a"]],
          s3: ["set", [2]],
          m: ["map", [["k", "v"]]],
          o: ["set", []],
        },
      },
    },
  ]);
  assert.deepEqual(rowsOf(db), { [A]: { s: "x", ss: ["set", ["a", "b"]], s3: 2, m: ["map", [["k", "v"]]] } });
});

test('replay: a new row\'s set columns are whole values even in a diff record (default of a min-1 set is [""])', () => {
  const db = replayRecords(S, [{ _is_diff: true, R: { [A]: { s1: ["set", ["x"]] } } }, { R: { [B]: {} } }]);
  assert.deepEqual(rowsOf(db), { [A]: { s1: "x" }, [B]: {} });
  assert.equal(rowWithDefaults(S, "R", rowsOf(db)[B] ?? {}).s1, "");
});

test("replay: diff semantics of sets (symmetric difference) and maps (remove same, change, add)", () => {
  const db = replayRecords(S, [
    {
      R: {
        [A]: {
          ss: ["set", ["1", "2", "3"]],
          m: [
            "map",
            [
              ["a", "1"],
              ["b", "2"],
              ["c", "3"],
            ],
          ],
        },
      },
    },
    {
      _is_diff: true,
      R: {
        [A]: {
          ss: ["set", ["1", "7"]],
          m: [
            "map",
            [
              ["a", "1"],
              ["b", "22"],
              ["d", "4"],
            ],
          ],
        },
      },
    },
  ]);
  assert.deepEqual(rowsOf(db)[A], {
    ss: ["set", ["2", "3", "7"]],
    m: [
      "map",
      [
        ["b", "22"],
        ["c", "3"],
        ["d", "4"],
      ],
    ],
  });
});

test("replay: scalars and optional columns are replaced, not diffed; non-diff records replace sets", () => {
  const db = replayRecords(S, [
    { R: { [A]: { o: "x", i: 5, ss: ["set", ["a", "b"]] } } },
    { _is_diff: true, R: { [A]: { o: "y", i: 6 } } },
    { R: { [A]: { ss: "c" } } },
    { _is_diff: false, R: { [A]: { o: ["set", []] } } },
  ]);
  assert.deepEqual(rowsOf(db)[A], { i: 6, ss: "c" });
});

test("replay: a set or map at its (non-empty) default is replaced by a diff record's value, like the C reader", () => {
  // Observed with ovsdb-tool query 3.1 on hand-made files: for a min-1 string set at its default [""],
  // the difference ["", "b"] gives ["", "b"] (not ["b"]); "b" gives "b" (not ["", "b"]).
  const db = replayRecords(S, [
    {
      R: {
        [A]: {},
        [B]: {
          s1: ["set", ["", "a"]],
          m1: [
            "map",
            [
              ["", 0],
              ["k", 1],
            ],
          ],
        },
      },
    },
    {
      _is_diff: true,
      R: {
        [A]: {
          s1: ["set", ["", "b"]],
          m1: [
            "map",
            [
              ["", 0],
              ["x", 2],
            ],
          ],
        },
      },
    },
    { _is_diff: true, R: { [B]: { s1: "a", m1: ["map", [["k", 1]]] } } },
    { _is_diff: true, R: { [B]: { s1: "b", m1: ["map", [["y", 3]]] } } },
  ]);
  assert.deepEqual(rowsOf(db), {
    [A]: {
      s1: ["set", ["", "b"]],
      m1: [
        "map",
        [
          ["", 0],
          ["x", 2],
        ],
      ],
    },
    [B]: { s1: "b", m1: ["map", [["y", 3]]] },
  });
  // A difference that leaves a min-1 set empty is an error ("Datum crated by diff has size error" in C).
  assert.throws(
    () =>
      replayRecords(S, [
        { R: { [A]: { s1: ["set", ["a", "b"]] } } },
        { _is_diff: true, R: { [A]: { s1: ["set", ["a", "b"]] } } },
      ]),
    /s1: value must have 1 to unlimited members but 0 are present/,
  );
});

test("build: a change from a non-empty default is written whole, so the C reader replaces it", () => {
  const rec = buildTxnRecord(
    S,
    {
      R: {
        [A]: {
          old: { s: "x" },
          new: {
            s: "x",
            s1: ["set", ["", "b"]],
            m1: [
              "map",
              [
                ["", 0],
                ["k", 1],
              ],
            ],
          },
        },
      },
    },
    { date: 1 },
  );
  assert.deepEqual(rec, {
    _date: 1,
    _is_diff: true,
    R: {
      [A]: {
        s1: ["set", ["", "b"]],
        m1: [
          "map",
          [
            ["", 0],
            ["k", 1],
          ],
        ],
      },
    },
  });
});

test("replay: null deletes; _uuid and _version columns are ignored; meta members are read", () => {
  const recs = [
    { _date: 5, _comment: "c", R: { [A]: { _uuid: ["uuid", A], _version: U1, s: "x" } } },
    { _date: 6, R: { [A]: null } },
  ];
  const db = emptyDb(S);
  applyTxnRecord(S, db, recs[0]);
  assert.deepEqual(rowsOf(db), { [A]: { s: "x" } });
  applyTxnRecord(S, db, recs[1]);
  assert.deepEqual(rowsOf(db), {});
  assert.deepEqual(txnRecordInfo(recs[0]), { date: 5, comment: "c", isDiff: false });
  assert.deepEqual(txnRecordInfo({ _is_diff: true }), { isDiff: true });
});

test("replay errors read like the C tools' and leave the database unchanged", () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ R: { [B]: null } }, new RegExp(`transaction deletes row ${B} that does not exist`)],
    [{ Bogus: {} }, /unknown table: No table named Bogus\./],
    [{ _date: "x" }, /No table named _date/],
    [{ R: { [A]: { bogus: 1 } } }, /unknown column: No column bogus in table R\./],
    [{ R: { "not-a-uuid": {} } }, /"not-a-uuid" is not a valid UUID/],
    [{ R: { [A]: { ss: ["set", ["a", "a"]] } } }, /set contains duplicate/],
    [{ R: { [A]: { s3: ["set", [1, 2, 3, 4]] } } }, /0 to 3 members but 4 are present/],
    [{ R: { [A]: { i: "x" } } }, /"x" is not a valid integer/],
    [{ R: { [A]: { m: ["set", []] } } }, /expected \["map"/],
    [[1], /must be a JSON object/],
  ];
  for (const [rec, re] of cases) {
    const db = replayRecords(S, [{ R: { [A]: { s: "keep" } } }]);
    // A valid change to another row comes first, to show that nothing is applied when a later one fails.
    const r = rec as { R?: object };
    const full = Array.isArray(rec) ? rec : { ...r, R: { [ROW_UUIDS[2] ?? ""]: { s: "new" }, ...r.R } };
    assert.throws(() => applyTxnRecord(S, db, full), re);
    assert.deepEqual(rowsOf(db), { [A]: { s: "keep" } });
  }
  assert.throws(
    () => replayRecords(S, [{}, { R: { [B]: null } }]),
    /^TxnRecordError: transaction record 2: /,
  );
});

test("build: an insert omits defaults and ephemeral columns and canonicalises values", () => {
  const rec = buildTxnRecord(
    S,
    {
      R: {
        [A]: {
          old: null,
          new: { i: 0, s: "x", e: "eph", ss: ["set", ["b", "a"]], s3: ["set", [1]], o: ["set", []] },
        },
      },
    },
    { date: 7, comment: "hi" },
  );
  assert.deepEqual(rec, {
    _date: 7,
    _is_diff: true,
    _comment: "hi",
    R: { [A]: { s: "x", ss: ["set", ["a", "b"]], s3: 1 } },
  });
});

test("build: a modification writes only changed columns, sets and maps as differences", () => {
  const old = {
    i: 1,
    o: "x",
    ss: ["set", ["1", "2", "3"]],
    m: [
      "map",
      [
        ["a", "1"],
        ["b", "2"],
      ],
    ],
    e: "1",
  };
  const neu = {
    i: 1,
    o: "y",
    ss: ["set", ["2", "3", "7"]],
    m: [
      "map",
      [
        ["b", "22"],
        ["c", "3"],
      ],
    ],
    e: "2",
  };
  const rec = buildTxnRecord(S, new Map([["R", new Map([[A, { old, new: neu }]])]]), {
    date: 8,
    comment: "",
  });
  assert.deepEqual(rec, {
    _date: 8,
    _is_diff: true,
    R: {
      [A]: {
        o: "y",
        ss: ["set", ["1", "7"]],
        m: [
          "map",
          [
            ["a", "1"],
            ["b", "22"],
            ["c", "3"],
          ],
        ],
      },
    },
  });
});

test("build: deletes are null; a transaction that changes nothing persistent has no record", () => {
  assert.deepEqual(buildTxnRecord(S, { R: { [A]: { old: { s: "x" }, new: null } } }, { date: 1 }), {
    _date: 1,
    _is_diff: true,
    R: { [A]: null },
  });
  assert.equal(
    buildTxnRecord(S, { R: { [A]: { old: { s: "x", e: "1" }, new: { s: "x", e: "2" } } } }, { date: 1 }),
    null,
  );
  assert.equal(
    buildTxnRecord(S, { R: { [A]: { old: { ss: "a" }, new: { ss: ["set", ["a"]] } } } }, { date: 1 }),
    null,
  );
  assert.equal(buildTxnRecord(S, { R: { [A]: { old: null, new: null } } }, { date: 1 }), null);
  assert.equal(buildTxnRecord(S, {}, { date: 1, comment: "only a comment" }), null);
});

test("build: a difference larger than the column's max falls back to a whole-value record", () => {
  // The C reader parses a difference with the column's bounds, so {1,2,3} -> {4,5} as a diff (5 members)
  // in a max-3 column would make ovsdb-tool refuse the file.
  const rec = buildTxnRecord(
    S,
    {
      R: {
        [A]: { old: { s3: ["set", [1, 2, 3]], ss: "a" }, new: { s3: ["set", [4, 5]], ss: "b" } },
        [B]: { old: null, new: { s: "new" } },
      },
    },
    { date: 1 },
  );
  assert.deepEqual(rec, { _date: 1, R: { [A]: { s3: ["set", [4, 5]], ss: "b" }, [B]: { s: "new" } } });
});

test("build rejects unknown tables and columns", () => {
  assert.throws(() => buildTxnRecord(S, { X: {} }, { date: 1 }), TxnRecordError);
  assert.throws(
    () => buildTxnRecord(S, { R: { [A]: { old: null, new: { zz: 1 } } } }, { date: 1 }),
    /No column zz/,
  );
});

test("snapshot: one record of all rows that replays to the same database", () => {
  const db = replayRecords(S, [{ R: { [A]: { s: "x", e: "eph" }, [B]: {} }, Q: { [A]: { name: "q" } } }]);
  const snap = buildSnapshotRecord(S, db, { date: 9, comment: "compacting database online" });
  assert.deepEqual(snap, {
    _date: 9,
    _is_diff: true,
    _comment: "compacting database online",
    R: { [A]: { s: "x" }, [B]: {} },
    Q: { [A]: { name: "q" } },
  });
  const again = replayRecords(S, [snap]);
  assert.deepEqual(rowsOf(again), { [A]: { s: "x" }, [B]: {} });
  assert.deepEqual(buildSnapshotRecord(S, emptyDb(S), { date: 1, isDiff: false }), { _date: 1 });
});

test("rowWithDefaults fills every column with its RFC 7047 default", () => {
  assert.deepEqual(rowWithDefaults(S, "R", { s: "x" }), {
    i: 0,
    r: 0,
    b: false,
    s: "x",
    u: ["uuid", "00000000-0000-0000-0000-000000000000"],
    o: ["set", []],
    ss: ["set", []],
    s3: ["set", []],
    s1: "",
    m: ["map", []],
    mi: ["map", []],
    m1: ["map", [["", 0]]],
    e: "",
  });
});

function withoutEphemeral(row: RowJson): RowJson {
  const { e: _e, ...rest } = rowWithDefaults(S, "R", row);
  return rest;
}

test("property: random transactions, built then replayed, give the model's rows; so does a snapshot", () => {
  fc.assert(
    fc.property(fc.array(txnArb, { maxLength: 8 }), (txns) => {
      const model = new Map<string, RowJson>();
      const db = emptyDb(S);
      for (const txn of txns) {
        const rec = buildTxnRecord(S, applyToModel(model, txn), { date: 1 });
        if (rec !== null) applyTxnRecord(S, db, JSON.parse(JSON.stringify(rec)));
      }
      const expect = Object.fromEntries([...model].map(([k, r]) => [k, withoutEphemeral(r)]));
      const got = Object.fromEntries([...(db.get("R") ?? [])].map(([k, r]) => [k, withoutEphemeral(r)]));
      assert.deepEqual(got, expect);
      const snap = replayRecords(S, [buildSnapshotRecord(S, db, { date: 2 })]);
      assert.deepEqual(snap, db);
    }),
    { numRuns: 300 },
  );
});
