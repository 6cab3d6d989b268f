// The automatic compaction of a served database file (ovsdb-server(1), compact.ts's policy) as the commit
// path applies it, with the clock passed in: not within 10 minutes of the last compaction whatever the
// size, then once 24 hours have passed with 100 records written.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { schemaFile } from "../../base/schemas.js";
import { FileStore, openDbFile } from "./file-store.js";
import { OvsdbServer } from "./server.js";

const MIN = 60 * 1000;
const HOUR = 60 * MIN;

test("automatic compaction: never within 10 minutes of the last, then after 24 hours and 100 records", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-filestore-"));
  try {
    // The file records its opening time from the real clock: start the fake one there.
    let now = Date.now();
    const schema = JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8"));
    const { schema: s, records, file } = await openDbFile(join(dir, "nb.db"), schema);
    const store = new FileStore(file, () => now);
    const server = new OvsdbServer({ now: () => now });
    store.load(server.addDb(s, store), records);
    const session = server.connect({ name: "t", sendText: () => undefined, close: () => undefined });
    let n = 0;
    const insert = () =>
      server.handle(
        session,
        "transact",
        ["OVN_Northbound", { op: "insert", table: "Logical_Switch", row: { name: `ls${n}` } }],
        ++n,
      );
    const settle = () => new Promise((r) => setTimeout(r, 50));

    for (let i = 0; i < 150; i++) insert();
    assert.equal(file.stats().records, 151, "schema and 150 transactions, nothing compacted");
    // Within 10 minutes of opening (which counts as a compaction): none, however many records.
    now += 5 * MIN;
    insert();
    await settle();
    assert.equal(file.stats().records, 152);
    now += 24 * HOUR;
    insert();
    await settle();
    assert.equal(file.stats().records, 2, "compacted to the schema and one snapshot");
    assert.equal(file.stats().compactedAt, now);
    // And not again right after.
    for (let i = 0; i < 150; i++) insert();
    now += 5 * MIN;
    insert();
    await settle();
    assert.equal(file.stats().records, 153);
    await store.closeAndWait();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
