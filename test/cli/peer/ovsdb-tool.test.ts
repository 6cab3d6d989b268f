// `ovnts ovsdb-tool` against the real ovsdb-tool 3.1: each step runs the same command line in two
// directories that start identical, one per implementation; stdout, stderr and exit status must be the
// same (times in show-log and fresh row UUIDs normalised), and so must the database files written
// (apart from record dates, and so the checksums in record headers).
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { UuidNames } from "../../support/normalize.js";
import { waitUntil } from "../../support/wait.js";
import {
  IMPLS,
  type Impl,
  LiveProc,
  type Outcome,
  runTool,
  schemaFile,
  TEST_SCHEMA,
  tempDir,
} from "./harness.js";

let tmp: ReturnType<typeof tempDir>;
const dirOf = (impl: Impl): string => join(tmp.dir, impl);
const U = (n: number): string =>
  `${String(n).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;

before(() => {
  tmp = tempDir();
  for (const impl of IMPLS) {
    const d = dirOf(impl);
    mkdirSync(d);
    writeFileSync(join(d, "t.ovsschema"), JSON.stringify(TEST_SCHEMA));
    // t2: a new version with one more column; t3: a column whose values no longer fit; t4: fewer tables.
    const t2 = structuredClone(TEST_SCHEMA) as {
      version: string;
      tables: { B: { columns: Record<string, unknown> } };
    };
    t2.version = "1.3.0";
    t2.tables.B.columns.extra = { type: { key: "integer", min: 0, max: 3 } };
    writeFileSync(join(d, "t2.ovsschema"), JSON.stringify(t2));
    writeFileSync(
      join(d, "t3.ovsschema"),
      '{"name":"T","tables":{"B":{"columns":{"name":{"type":"integer"}}}}}',
    );
    writeFileSync(
      join(d, "t4.ovsschema"),
      '{"name":"T","tables":{"A":{"columns":{"i":{"type":"integer"},"m":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}}}}}}',
    );
    writeFileSync(join(d, "badjson.ovsschema"), '{"name":\n');
    writeFileSync(join(d, "noname.ovsschema"), '{"tables":{}}');
    writeFileSync(join(d, "junk.db"), "hello\n");
    writeFileSync(join(d, "empty.db"), "");
    copyFileSync(schemaFile("ovn-nb"), join(d, "nb.ovsschema"));
  }
});

after(() => tmp?.remove());

const TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}/g;

function normalise(o: Outcome): Outcome {
  const names = new UuidNames();
  const n = (s: string): string => names.apply(s.replace(TIME, "<time>"));
  return { stdout: n(o.stdout), stderr: n(o.stderr), status: o.status };
}

/** A database file without what legitimately differs: record dates and the header checksums. */
function fileContents(impl: Impl, name: string): string {
  const path = join(dirOf(impl), name);
  if (!existsSync(path)) return "<missing>";
  return readFileSync(path, "utf8")
    .split("\n")
    .map((l) =>
      l.startsWith("OVSDB JSON ") ? l.replace(/ [0-9a-f]{40}$/, "") : l.replace(/"_date":\d+/, '"_date":0'),
    )
    .join("\n");
}

interface Step {
  args: string[];
  fails?: boolean;
  /** Files written by the step, compared afterwards. */
  writes?: string[];
}

let steps = 0;

async function step(s: Step): Promise<void> {
  const [c, o] = (
    await Promise.all(IMPLS.map((impl) => runTool(impl, "ovsdb-tool", s.args, process.env, dirOf(impl))))
  ).map(normalise) as [Outcome, Outcome];
  const line = `ovsdb-tool ${s.args.join(" ")}`;
  assert.equal(
    c.status !== 0,
    s.fails === true,
    `${line}: the C tool's exit status is ${c.status}: ${c.stderr}`,
  );
  assert.deepEqual(o, c, line);
  for (const f of s.writes ?? [])
    assert.equal(fileContents("ovnts", f), fileContents("c", f), `${line}: ${f}`);
  steps++;
}

const txn = (...ops: unknown[]): string => JSON.stringify(["T", ...ops]);

test("create and the schema and name queries", async () => {
  await step({ args: ["create", "a.db", "t.ovsschema"], writes: ["a.db"] });
  await step({ args: ["create", "nb.db", "nb.ovsschema"], writes: ["nb.db"] });
  await step({ args: ["create", "a.db", "t.ovsschema"], fails: true });
  await step({ args: ["create", "b.db", "nonexist.ovsschema"], fails: true });
  await step({ args: ["create", "b.db", "badjson.ovsschema"], fails: true });
  await step({ args: ["create", "b.db", "noname.ovsschema"], fails: true });
  await step({ args: ["create", "a", "b", "c"], fails: true });
  await step({ args: ["db-version", "a.db"] });
  await step({ args: ["db-version", "nonexist.db"], fails: true });
  await step({ args: ["db-version", "junk.db"], fails: true });
  await step({ args: ["db-cksum", "nb.db"] });
  await step({ args: ["db-cksum", "a.db"] });
  await step({ args: ["db-name", "a.db"] });
  await step({ args: ["db-name", "empty.db"], fails: true });
  await step({ args: ["schema-version", "t.ovsschema"] });
  await step({ args: ["schema-version", "nonexist.ovsschema"], fails: true });
  await step({ args: ["schema-cksum", "nb.ovsschema"] });
  await step({ args: ["schema-cksum", "badjson.ovsschema"], fails: true });
  await step({ args: ["schema-name", "t.ovsschema"] });
  await step({ args: ["schema-name", "t.ovsschema", "x"], fails: true });
  await step({ args: ["needs-conversion", "a.db", "t.ovsschema"] });
  await step({ args: ["needs-conversion", "a.db", "t2.ovsschema"] });
  await step({ args: ["needs-conversion", "a.db", "nonexist.ovsschema"], fails: true });
  await step({ args: ["db-is-standalone", "a.db"] });
  await step({ args: ["db-is-clustered", "a.db"], fails: true });
  await step({ args: ["compare-versions", "1.2.3", "<", "1.10.0"] });
  await step({ args: ["compare-versions", "1.2.3", ">", "1.10.0"], fails: true });
  await step({ args: ["compare-versions", "1.2", "<", "1.10.0"], fails: true });
  await step({ args: ["frob"], fails: true });
  await step({ args: [], fails: true });
  await step({ args: ["--bogus"], fails: true });
});

test("transact and query run the transaction on the file", async () => {
  await step({
    args: [
      "transact",
      "a.db",
      txn(
        { op: "insert", table: "B", uuid: U(1), row: { name: "b1", n: 4 } },
        { op: "insert", table: "B", uuid: U(2), row: { name: 'q"\u00e9' } },
        {
          op: "insert",
          table: "A",
          uuid: U(3),
          row: {
            i: 5,
            s: "hello",
            r: 0.1,
            rs: ["set", [1e-7, 1e17, 2.5]],
            ref: ["uuid", U(1)],
            m: [
              "map",
              [
                ["k", "v"],
                ["x", "1"],
              ],
            ],
            ss: ["set", ["a", "b c"]],
          },
        },
        { op: "insert", table: "A", uuid: U(4), row: { i: 6, mi: ["map", [[1, 1e20]]] } },
        { op: "comment", comment: "first" },
        { op: "comment", comment: "second" },
      ),
    ],
    writes: ["a.db"],
  });
  await step({
    args: [
      "transact",
      "a.db",
      txn(
        {
          op: "update",
          table: "A",
          where: [["i", "==", 5]],
          row: { m: ["map", [["k", "w"]]], ss: ["set", ["a", "z"]], e: "y" },
        },
        { op: "delete", table: "A", where: [["i", "==", 6]] },
        { op: "update", table: "B", where: [["name", "==", "b1"]], row: { name: "b2" } },
        { op: "commit", durable: true },
      ),
    ],
    writes: ["a.db"],
  });
  await step({
    args: ["transact", "a.db", txn({ op: "update", table: "B", where: [], row: { n: 9 } })],
    writes: ["a.db"],
  });
  await step({
    args: ["transact", "a.db", txn({ op: "insert", table: "A", uuid: U(9), row: { ref: ["uuid", U(8)] } })],
    writes: ["a.db"],
  });
  await step({
    args: ["transact", "a.db", txn({ op: "insert", table: "A", row: { e: "z" } })],
    writes: ["a.db"],
  });
  await step({ args: ["transact", "a.db", txn({ op: "assert", lock: "x" })] });
  await step({
    args: [
      "transact",
      "a.db",
      txn({ op: "wait", table: "B", where: [], columns: ["name"], until: "==", rows: [], timeout: 1000 }),
    ],
  });
  await step({
    args: [
      "transact",
      "a.db",
      txn({ op: "wait", table: "B", where: [], columns: ["name"], until: "==", rows: [], timeout: 0 }),
    ],
  });
  await step({ args: ["transact", "a.db", "{}"] });
  await step({ args: ["transact", "a.db", '["Nope"]'] });
  await step({ args: ["transact", "a.db", "[1,]"], fails: true });
  await step({ args: ["transact", "nonexist.db", txn()], fails: true });
  await step({ args: ["query", "a.db", txn({ op: "select", table: "A", where: [] })] });
  await step({
    args: ["query", "a.db", txn({ op: "select", table: "B", where: [], columns: ["name", "n"] })],
  });
  await step({
    args: ["query", "a.db", txn({ op: "insert", table: "B", row: { name: "q" } })],
    writes: ["a.db"],
  });
  await step({ args: ["query", "a.db", txn({ op: "update", table: "B", where: [], row: { n: 7 } })] });
  await step({ args: ["query", "junk.db", txn()], fails: true });
  await step({ args: ["query"], fails: true });
});

test("show-log at every verbosity", async () => {
  await step({ args: ["show-log", "a.db"] });
  await step({ args: ["show-log", "-m", "a.db"] });
  await step({ args: ["-mm", "show-log", "a.db"] });
  await step({ args: ["--more", "--more", "--more", "show-log", "nb.db"] });
  await step({ args: ["show-log", "junk.db"], fails: true });
});

test("compact and convert rewrite the file", async () => {
  await step({ args: ["compact", "a.db", "x.db"], writes: ["x.db"] });
  await step({ args: ["-mm", "show-log", "x.db"] });
  await step({ args: ["compact", "nonexist.db"], fails: true });
  await step({ args: ["convert", "a.db", "t2.ovsschema", "b.db"], writes: ["b.db"] });
  await step({ args: ["-mm", "show-log", "b.db"] });
  await step({ args: ["convert", "a.db", "t3.ovsschema", "c.db"], fails: true });
  await step({ args: ["convert", "a.db", "t4.ovsschema", "d.db"], writes: ["d.db"] });
  await step({ args: ["compact", "a.db"], writes: ["a.db"] });
  await step({ args: ["convert", "a.db", "t2.ovsschema"], writes: ["a.db"] });
  await step({ args: ["db-version", "a.db"] });
});

test("a database another process holds is refused", async () => {
  for (const impl of IMPLS) {
    copyFileSync(join(dirOf(impl), "a.db"), join(dirOf(impl), "locked.db"));
  }
  // The C tools' lock: fcntl on ".NAME.~lock~" beside the file, held here by a helper process.
  const script =
    "import fcntl,os,sys\nfds=[os.open(p,os.O_RDWR|os.O_CREAT,0o600) for p in sys.argv[1:]]\n" +
    "[fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB) for f in fds]\nprint('locked',flush=True)\nimport signal\nsignal.pause()";
  const holder = new LiveProc(
    "python3",
    ["-c", script, ...IMPLS.map((i) => join(dirOf(i), ".locked.db.~lock~"))],
    process.env,
  );
  try {
    await waitUntil(() => holder.stdout.includes("locked"), 5_000, { what: "the lock holder" });
    await step({ args: ["transact", "locked.db", txn()], fails: true });
    await step({ args: ["compact", "locked.db"], fails: true });
    await step({
      args: ["query", "locked.db", txn({ op: "select", table: "B", where: [], columns: ["name"] })],
    });
  } finally {
    await holder.stop();
  }
  assert.ok(steps >= 40, `only ${steps} command lines`);
});
