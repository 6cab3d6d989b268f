// Recovery from a crash mid-append on files made by the real tools: ours cuts the torn record off and
// the real tools then read the file cleanly; damage in the middle is refused by both.

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LogFile, readLogFile } from "../file.js";
import { LogCorruptError } from "../log.js";
import { replayRecords } from "../txnrecord.js";
import { haveOvs, ourDump, run, startServer, toolQuery, VSWITCH_SCHEMA } from "./realtools.js";

const TABLES = ["Open_vSwitch", "Bridge"];
let dir = "";
let whole = Buffer.alloc(0);
let lastStart = 0;
let midStart = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ovnts-peer-recover-"));
  if (!haveOvs) return;
  const db = join(dir, "base.db");
  run("ovsdb-tool", ["create", db, VSWITCH_SCHEMA]);
  const tx = (ops: unknown[]): void =>
    void run("ovsdb-tool", ["transact", db, JSON.stringify(["Open_vSwitch", ...ops])]);
  tx([
    { op: "insert", table: "Open_vSwitch", row: { bridges: ["named-uuid", "b"] } },
    { op: "insert", table: "Bridge", "uuid-name": "b", row: { name: "br0" } },
  ]);
  midStart = (await readFile(db)).length;
  tx([{ op: "update", table: "Bridge", where: [], row: { external_ids: ["map", [["a", "b"]]] } }]);
  lastStart = (await readFile(db)).length;
  tx([{ op: "update", table: "Bridge", where: [], row: { flood_vlans: ["set", [1, 2]] } }]);
  whole = await readFile(db);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("a torn last record of a real file is cut off; ovsdb-tool and ovsdb-server then read the file", {
  skip: !haveOvs,
}, async () => {
  const cuts = [lastStart + 1, lastStart + 30, lastStart + 60, whole.length - 1];
  for (const [i, cut] of cuts.entries()) {
    const db = join(dir, `torn${i}.db`);
    await writeFile(db, whole.subarray(0, cut));
    const { file, records, truncated } = await LogFile.open(db);
    await file.close();
    assert.equal(records.length, 3);
    assert.equal(truncated?.offset, lastStart);
    assert.deepEqual(await readFile(db), whole.subarray(0, lastStart));
    assert.equal(run("ovsdb-tool", ["show-log", db]).status, 0);
    const [schema, ...txns] = records;
    assert.deepEqual(
      toolQuery(db, "Open_vSwitch", TABLES),
      ourDump(schema, replayRecords(schema, txns), TABLES),
    );
  }
  const server = await startServer(dir, join(dir, "torn0.db"), "torn");
  await server.stop();
});

test("damage in the middle of a real file: ours refuses to open it, and so do the real tools", {
  skip: !haveOvs,
}, async () => {
  const db = join(dir, "mid.db");
  const bad = Buffer.from(whole);
  bad[midStart + 80] = (bad[midStart + 80] ?? 0) ^ 0x20;
  await writeFile(db, bad);
  await assert.rejects(
    LogFile.open(db),
    (e: unknown) => e instanceof LogCorruptError && e.offset === midStart,
  );
  await assert.rejects(readLogFile(db), LogCorruptError);
  const r = run("ovsdb-tool", ["show-log", db], true);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /have SHA-1 hash [0-9a-f]{40} but should have hash/);
});
