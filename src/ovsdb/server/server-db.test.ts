// The transaction history behind monitor_cond_since: the last 100 commits, at most 10,000 row changes
// (a single larger commit is kept alone), oldest dropped first, and the changes handed back as maps.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { schemaFile } from "../../base/schemas.js";
import type { Commit, RowDelta } from "../engine/commit.js";
import { StoredRow } from "../engine/row.js";
import { parseSchema } from "../schema/parse.js";
import { ServerDb } from "./server-db.js";

const schema = parseSchema(JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8")));

/** A commit inserting `rows` Logical_Switch rows (uuids made up from the commit's number). */
function commit(n: number, rows = 1): Commit {
  const m = new Map<string, RowDelta>();
  for (let r = 0; r < rows; r++) {
    const uuid = `u${n}-${r}`;
    m.set(uuid, { old: null, new: new StoredRow(uuid, []) });
  }
  return { id: `txn${n}`, tables: new Map([["Logical_Switch", m]]), comment: undefined, durable: false };
}

test("history: the last 100 commits, oldest dropped first, each given back as its row changes", () => {
  const sdb = new ServerDb(schema, undefined);
  for (let n = 1; n <= 350; n++) sdb.recordCommit(commit(n));
  assert.equal(sdb.historyLength, 100);
  assert.equal(sdb.lastTxnId, "txn350");
  assert.equal(sdb.since("txn250"), undefined, "dropped: the client must start over");
  assert.deepEqual(sdb.since("txn350"), []);
  const after = sdb.since("txn340") ?? [];
  assert.deepEqual(
    after.map((h) => h.id),
    Array.from({ length: 10 }, (_, i) => `txn${341 + i}`),
  );
  const last = after[9]?.tables.get("Logical_Switch");
  assert.deepEqual([...(last?.keys() ?? [])], ["u350-0"]);
  assert.equal(last?.get("u350-0")?.new?.uuid, "u350-0");
  assert.equal(last?.get("u350-0")?.old, null);
});

test("history: at most 10,000 row changes, but the latest commit is kept however large", () => {
  const sdb = new ServerDb(schema, undefined);
  for (let n = 1; n <= 5; n++) sdb.recordCommit(commit(n, 3000));
  assert.equal(sdb.historyLength, 3, "9,000 rows in the last three");
  assert.equal(sdb.since("txn2"), undefined);
  assert.equal(sdb.since("txn3")?.length, 2);
  sdb.recordCommit(commit(6, 12_000));
  assert.equal(sdb.historyLength, 1);
  // A client that saw txn5 would need txn6, but resuming needs its own last id in the history.
  assert.equal(sdb.since("txn5"), undefined);
  assert.deepEqual(sdb.since("txn6"), []);
  sdb.recordCommit(commit(7));
  assert.equal(sdb.historyLength, 1, "the large one goes as soon as another commit comes");
  assert.equal(sdb.since("txn6"), undefined);
  sdb.resetHistory();
  assert.equal(sdb.historyLength, 0);
  assert.equal(sdb.since("txn5"), undefined);
});

test("history: a slot reused after a larger commit holds only the new commit's changes", () => {
  // 50 rows: the slot's array is kept (its old entries were cleared); 500: it is replaced.
  for (const first of [50, 500]) {
    const sdb = new ServerDb(schema, undefined);
    sdb.recordCommit(commit(1, first));
    for (let n = 2; n <= 101; n++) sdb.recordCommit(commit(n, 2)); // commit 101 reuses commit 1's slot
    assert.equal(sdb.historyLength, 100);
    const got = sdb.since("txn100") ?? [];
    assert.deepEqual(
      got.map((h) => [h.id, h.rows, [...(h.tables.get("Logical_Switch")?.keys() ?? [])]]),
      [["txn101", 2, ["u101-0", "u101-1"]]],
    );
  }
});
