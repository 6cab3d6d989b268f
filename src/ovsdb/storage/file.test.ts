import assert from "node:assert/strict";
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { configureLog } from "../../base/log.js";
import { LogFile, LogOpenError, readLogFile, tmpPath } from "./file.js";
import { type IoHandle, type LogIo, nodeIo } from "./io.js";
import { LockError } from "./lockfile.js";
import { encodeRecord, encodeRecords, LogCorruptError } from "./log.js";

const SCHEMA = { name: "S", version: "1.0.0", tables: { T: { columns: { x: { type: "integer" } } } } };
const txn = (n: number): Record<string, unknown> => ({
  _date: n,
  T: { "00000000-0000-0000-0000-000000000001": { x: n } },
});

let dir = "";
let n = 0;
const lines: string[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ovnts-storage-"));
  configureLog({ sinks: [(l) => lines.push(l)], level: "DBG" });
});
after(async () => {
  configureLog({ sinks: [] });
  await rm(dir, { recursive: true, force: true });
});
const fresh = (): string => join(dir, `db${++n}.db`);

/** nodeIo with counters and optional failures injected per primitive. */
type HandleHooks = {
  write?: (h: IoHandle, b: Uint8Array, pos: number) => Promise<void>;
  sync?: (h: IoHandle) => Promise<void>;
};
function testIo(over: Partial<LogIo> & HandleHooks = {}) {
  const counts = { sync: 0, write: 0, syncDir: 0 };
  const io: LogIo = {
    ...nodeIo,
    ...over,
    async open(path, how, perm) {
      const h = await nodeIo.open(path, how, perm);
      return {
        write: async (b, pos) => {
          counts.write++;
          return over.write === undefined ? h.write(b, pos) : over.write(h, b, pos);
        },
        sync: async () => {
          counts.sync++;
          return over.sync === undefined ? h.sync() : over.sync(h);
        },
        truncate: (len) => h.truncate(len),
        close: () => h.close(),
      };
    },
    async syncDir(d) {
      counts.syncDir++;
      return (over.syncDir ?? nodeIo.syncDir)(d);
    },
  };
  return { io, counts };
}

test("create writes the schema record with the C tools' permissions and a lock file beside it", async () => {
  const path = fresh();
  const { file, records } = await LogFile.open(path, { create: SCHEMA, now: 1000 });
  assert.deepEqual(records, [SCHEMA]);
  assert.deepEqual(await readFile(path), Buffer.from(encodeRecord(SCHEMA)));
  assert.equal((await stat(path)).mode & 0o777, 0o640);
  assert.ok((await stat(join(dir, `.db${n}.db.~lock~`))).isFile());
  assert.deepEqual(file.stats(), {
    bytes: encodeRecord(SCHEMA).length,
    records: 1,
    snapshotBytes: encodeRecord(SCHEMA).length,
    compactedAt: 1000,
  });
  await file.close();
});

test("appends are written in order and read back after reopening; stats follow the file", async () => {
  const path = fresh();
  const { file } = await LogFile.open(path, { create: SCHEMA });
  await file.append(txn(1), { durable: true });
  await file.append(txn(2), { durable: false });
  const size = (await stat(path)).size;
  assert.equal(file.stats().bytes, size);
  assert.equal(file.stats().records, 3);
  await file.close();
  const again = await LogFile.open(path, { now: 5 });
  assert.deepEqual(again.records, [SCHEMA, txn(1), txn(2)]);
  assert.deepEqual(again.file.stats(), { bytes: size, records: 3, snapshotBytes: size, compactedAt: 5 });
  await again.file.close();
});

test("a durable append costs exactly one write and one fsync; a non-durable one no fsync", async () => {
  const path = fresh();
  const { io, counts } = testIo();
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  const before = { ...counts };
  await file.append(txn(1), { durable: true });
  assert.deepEqual([counts.write - before.write, counts.sync - before.sync], [1, 1]);
  await file.append(txn(2), { durable: false });
  assert.deepEqual([counts.write - before.write, counts.sync - before.sync], [2, 1]);
  await file.close();
});

test("concurrent appends land in call order and each resolves only after its own bytes are written", async () => {
  const path = fresh();
  let end = 0;
  let writes = 0;
  let seq = 0;
  const { io } = testIo({
    write: async (h, b, pos) => {
      await new Promise((r) => setTimeout(r, (seq++ * 7) % 5));
      await h.write(b, pos);
      end = Math.max(end, pos + b.length);
      writes++;
    },
  });
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  const base = file.stats().bytes;
  writes = 0;
  const resolved: number[] = [];
  // Where each record ends in the file, from the sizes of the records before it.
  const ends: number[] = [];
  let off = base;
  for (let i = 0; i < 30; i++) {
    off += encodeRecord(txn(i)).length;
    ends.push(off);
  }
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      file.append(txn(i), { durable: i % 3 === 0 }).then(() => {
        assert.ok(end >= (ends[i] as number), `append ${i} resolved before its bytes were written`);
        resolved.push(i);
      }),
    ),
  );
  assert.deepEqual(
    resolved,
    Array.from({ length: 30 }, (_, i) => i),
  );
  // Group commit: the appends made while the first write was in flight went out together.
  assert.ok(writes < 30, `${writes} writes for 30 concurrent appends`);
  await file.close();
  const { records } = await readLogFile(path);
  assert.deepEqual(records, [SCHEMA, ...Array.from({ length: 30 }, (_, i) => txn(i))]);
});

test("a torn last record is cut off the file with a warning, and appending continues cleanly", async () => {
  const path = fresh();
  const good = encodeRecords([SCHEMA, txn(1)]);
  const torn = encodeRecord(txn(2)).subarray(0, 40);
  await writeFile(path, Buffer.concat([good, torn]));
  lines.length = 0;
  const { file, records, truncated } = await LogFile.open(path);
  assert.deepEqual(records, [SCHEMA, txn(1)]);
  assert.deepEqual(truncated, { offset: good.length, droppedBytes: 40, reason: truncated?.reason });
  assert.equal((await stat(path)).size, good.length);
  assert.ok(
    lines.some((l) => /\|ovsdb_log\|WARN\|.*truncating 40 bytes of incomplete record at offset/.test(l)),
    lines.join("\n"),
  );
  await file.append(txn(3), { durable: true });
  await file.close();
  assert.deepEqual((await readLogFile(path)).records, [SCHEMA, txn(1), txn(3)]);
});

test("damage in the middle refuses to open, names file and offset, and leaves the file alone", async () => {
  const path = fresh();
  const bytes = encodeRecords([SCHEMA, txn(1), txn(2)]);
  const at = encodeRecords([SCHEMA]).length;
  const bad = Buffer.from(bytes);
  bad[at + 70] = (bad[at + 70] ?? 0) ^ 1;
  await writeFile(path, bad);
  await assert.rejects(LogFile.open(path), (e: unknown) => {
    return e instanceof LogCorruptError && e.offset === at && e.message.startsWith(`${path}: `);
  });
  assert.deepEqual(await readFile(path), bad);
  // The lock was released: a later open (after repair) works.
  await writeFile(path, bytes);
  const { file } = await LogFile.open(path);
  await file.close();
});

test("missing or empty files: an error without create, a new database with it", async () => {
  const path = fresh();
  await assert.rejects(LogFile.open(path), (e: unknown) => e instanceof LogOpenError && e.code === "ENOENT");
  await writeFile(path, "");
  await assert.rejects(LogFile.open(path), (e: unknown) => e instanceof LogOpenError && e.code === "EMPTY");
  await writeFile(path, encodeRecord(SCHEMA).subarray(0, 30));
  const { file, records } = await LogFile.open(path, { create: SCHEMA });
  assert.deepEqual(records, [SCHEMA]);
  await file.close();
  assert.deepEqual((await readLogFile(path)).records, [SCHEMA]);
});

test("replace compacts atomically, then appends go to the new file; stats restart", async () => {
  const path = fresh();
  const { io, counts } = testIo();
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  for (let i = 0; i < 5; i++) await file.append(txn(i), { durable: false });
  const syncs = counts.sync;
  await file.replace([SCHEMA, txn(100)], { now: 42 });
  assert.equal(counts.sync - syncs, 1, "the temp file is synced");
  assert.equal(counts.syncDir >= 1, true);
  const size = encodeRecords([SCHEMA, txn(100)]).length;
  assert.deepEqual(file.stats(), { bytes: size, records: 2, snapshotBytes: size, compactedAt: 42 });
  await file.append(txn(101), { durable: true });
  assert.equal(file.stats().records, 3);
  await file.close();
  assert.deepEqual((await readLogFile(path)).records, [SCHEMA, txn(100), txn(101)]);
  await assert.rejects(stat(tmpPath(path)));
});

test("crash simulation: a temp file left by an interrupted compaction is removed; the old file is intact", async () => {
  const path = fresh();
  await writeFile(path, encodeRecords([SCHEMA, txn(1)]));
  await writeFile(tmpPath(path), encodeRecords([SCHEMA, txn(9)]).subarray(0, 100));
  lines.length = 0;
  const { file, records } = await LogFile.open(path);
  assert.deepEqual(records, [SCHEMA, txn(1)]);
  await assert.rejects(stat(tmpPath(path)));
  assert.ok(lines.some((l) => l.includes("interrupted compaction")));
  await file.close();
});

test("crash simulation: rename fails, so the old file stays the database and appends continue there", async () => {
  const path = fresh();
  let fail = false;
  const { io } = testIo({
    rename: async (a, b) => {
      if (fail) throw new Error("EIO: simulated");
      return nodeIo.rename(a, b);
    },
  });
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  await file.append(txn(1), { durable: true });
  fail = true;
  await assert.rejects(file.replace([SCHEMA, txn(100)]), /simulated/);
  await assert.rejects(stat(tmpPath(path)));
  await file.append(txn(2), { durable: true });
  await file.close();
  assert.deepEqual((await readLogFile(path)).records, [SCHEMA, txn(1), txn(2)]);
});

test("crash simulation: writing the temp file fails, the old file is untouched", async () => {
  const path = fresh();
  let failing = false;
  const { io } = testIo({
    write: async (h, b, pos) => {
      if (failing) throw new Error("ENOSPC: simulated");
      await h.write(b, pos);
    },
  });
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  const before = await readFile(path);
  failing = true;
  await assert.rejects(file.replace([SCHEMA, txn(100)]), /ENOSPC/);
  failing = false;
  assert.deepEqual(await readFile(path), before);
  await assert.rejects(stat(tmpPath(path)));
  await file.close();
});

test("crash simulation: the directory fsync fails after the rename; the new file is in use", async () => {
  const path = fresh();
  let fail = false;
  const { io } = testIo({
    syncDir: async (d) => {
      if (fail) throw new Error("EIO: simulated dir sync");
      return nodeIo.syncDir(d);
    },
  });
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  await file.append(txn(1), { durable: false });
  fail = true;
  await assert.rejects(file.replace([SCHEMA, txn(100)]), /dir sync/);
  await file.append(txn(2), { durable: true });
  await file.close();
  assert.deepEqual((await readLogFile(path)).records, [SCHEMA, txn(100), txn(2)]);
});

test("a failed append is cut back off the file; the next append is clean", async () => {
  const path = fresh();
  let failNext = false;
  const { io } = testIo({
    write: async (h, b, pos) => {
      if (failNext) {
        failNext = false;
        await h.write(b.subarray(0, 20), pos); // part of the record reached the disk
        throw new Error("EIO: simulated");
      }
      await h.write(b, pos);
    },
  });
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  failNext = true;
  await assert.rejects(file.append(txn(1), { durable: true }), /simulated/);
  await file.append(txn(2), { durable: true });
  await file.close();
  const r = await readLogFile(path);
  assert.equal(r.tail, "clean");
  assert.deepEqual(r.records, [SCHEMA, txn(2)]);
});

test("after a failed fsync the file refuses further writes", async () => {
  const path = fresh();
  let fail = false;
  const { io } = testIo({
    sync: async (h) => {
      if (fail) throw new Error("EIO: simulated fsync");
      await h.sync();
    },
  });
  const { file } = await LogFile.open(path, { create: SCHEMA, io });
  fail = true;
  await assert.rejects(file.append(txn(1), { durable: true }), /simulated fsync/);
  fail = false;
  await assert.rejects(file.append(txn(2), { durable: false }), /fsync failed/);
  await file.close();
});

test("a record that cannot be encoded is refused without touching the file", async () => {
  const path = fresh();
  const { file } = await LogFile.open(path, { create: SCHEMA });
  await assert.rejects(file.append({ s: "\ud800" }, { durable: true }), /not valid Unicode/);
  await file.append(txn(1), { durable: true });
  await file.close();
  assert.deepEqual((await readLogFile(path)).records, [SCHEMA, txn(1)]);
});

test("the lock keeps a second writer out until the first closes; lock:false skips it", async () => {
  const path = fresh();
  const { file } = await LogFile.open(path, { create: SCHEMA });
  await assert.rejects(LogFile.open(path), (e: unknown) => {
    return (
      e instanceof LockError &&
      e.message === `${path}: failed to lock lockfile (Resource temporarily unavailable)`
    );
  });
  const reader = await LogFile.open(path, { lock: false });
  await reader.file.close();
  await file.close();
  const again = await LogFile.open(path);
  await again.file.close();
});

test("closing waits for queued appends; a closed file refuses writes", async () => {
  const path = fresh();
  const { file } = await LogFile.open(path, { create: SCHEMA });
  const p = file.append(txn(1), { durable: false });
  await file.close();
  await p;
  await assert.rejects(file.append(txn(2), { durable: false }), /closed/);
  assert.deepEqual((await readLogFile(path)).records, [SCHEMA, txn(1)]);
  await appendFile(path, "x");
  assert.equal((await readLogFile(path)).tail, "torn");
});
