// `ovnts ovsdb-client` against the real ovsdb-client 3.1: both run the same command lines against the
// same real ovsdb-server, and their stdout, stderr and exit status must be identical (row UUIDs created
// by a command are numbered in order of appearance, --timestamp times replaced).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runOk } from "../../support/exec.js";
import { UuidNames } from "../../support/normalize.js";
import { waitUntil } from "../../support/wait.js";
import {
  dropLogLines,
  IMPLS,
  LiveProc,
  type Outcome,
  pool,
  runTool,
  Server,
  schemaFile,
  tempDir,
  writeTestSchema,
} from "./harness.js";

const U = (n: number): string =>
  `${String(n).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;

let tmp: ReturnType<typeof tempDir>;
let server: Server;

/** Data with fixed UUIDs, so every run prints the same. */
function seed(): string[][] {
  const t = [
    "T",
    { op: "insert", table: "B", uuid: U(1), row: { name: "b1", n: 3 } },
    { op: "insert", table: "B", uuid: U(2), row: { name: "x " } },
    { op: "insert", table: "B", uuid: U(3), row: { name: 'q\u007f/\\"\b\f\r\u001f😀é' } },
    {
      op: "insert",
      table: "A",
      uuid: U(10),
      row: {
        i: -5,
        r: 1.5,
        b: true,
        s: "hello world",
        u: ["uuid", U(1)],
        os: "true",
        ss: [
          "set",
          ["a", "b c", "", "123", "1.5", "-x", "x-y.z_1", '"q"', "é\n\t\u0001", "A", "True", "_", "a:b"],
        ],
        is: ["set", [3, 1, 2]],
        rs: ["set", [0.1, 1, 1e300, 1e-7, 123456789012345680]],
        m: [
          "map",
          [
            ["k", "v"],
            ["k 2", "v 2"],
            ["", "0"],
          ],
        ],
        mi: [
          "map",
          [
            [1, 2.5],
            [2, 3],
          ],
        ],
        ref: [
          "set",
          [
            ["uuid", U(1)],
            ["uuid", U(2)],
          ],
        ],
        e: "x",
        a_rather_long_column_name: 7,
      },
    },
    {
      op: "insert",
      table: "A",
      uuid: U(11),
      row: { r: 100, s: "see 01234567-89ab-cdef-0123-456789abcdef <&>" },
    },
    {
      op: "insert",
      table: "A",
      uuid: U(12),
      row: { s: "01234567-89ab-cdef-0123-456789abcdef", r: 0.30000000000000004, i: 2 },
    },
    ...[13, 14, 15, 16].map((n) => ({ op: "insert", table: "A", uuid: U(n), row: { i: 50 } })),
    ...[17, 18, 19].map((n, k) => ({
      op: "insert",
      table: "A",
      uuid: U(n),
      row: { i: k + 1, is: ["set", [k]] },
    })),
  ];
  const nb = [
    "OVN_Northbound",
    {
      op: "insert",
      table: "NB_Global",
      uuid: U(100),
      row: { name: "global", options: ["map", [["mac_prefix", "0a:00:00"]]] },
    },
    {
      op: "insert",
      table: "Logical_Switch_Port",
      uuid: U(101),
      row: { name: "lsp1", addresses: ["set", ["00:00:00:00:00:01 10.0.0.1"]] },
    },
    {
      op: "insert",
      table: "Logical_Switch_Port",
      uuid: U(102),
      row: { name: "lsp2", type: "router", options: ["map", [["router-port", "lrp0"]]] },
    },
    {
      op: "insert",
      table: "Logical_Switch",
      uuid: U(103),
      row: {
        name: "sw0",
        ports: [
          "set",
          [
            ["uuid", U(101)],
            ["uuid", U(102)],
          ],
        ],
      },
    },
    {
      op: "insert",
      table: "Logical_Switch",
      uuid: U(104),
      row: { name: "sw1", other_config: ["map", [["subnet", "10.1.0.0/24"]]] },
    },
    {
      op: "insert",
      table: "Logical_Router_Port",
      uuid: U(105),
      row: { name: "lrp0", mac: "00:00:00:00:ff:01", networks: ["set", ["10.0.0.254/24"]] },
    },
    { op: "insert", table: "Logical_Router", uuid: U(106), row: { name: "lr0", ports: ["uuid", U(105)] } },
  ];
  return [t, nb].map((txn) => ["transact", server.remote, JSON.stringify(txn)]);
}

before(async () => {
  tmp = tempDir();
  const t = writeTestSchema(tmp.dir);
  server = await Server.start(tmp.dir, [schemaFile("ovn-nb"), schemaFile("vswitch"), t]);
  for (const args of seed()) {
    const out = await runOk("ovsdb-client", args, { env: server.env });
    assert.doesNotMatch(out, /error/, out);
  }
});

after(async () => {
  await server?.stop();
  tmp?.remove();
});

function normalise(o: Outcome): Outcome {
  const names = new UuidNames();
  return { stdout: names.apply(o.stdout), stderr: names.apply(o.stderr), status: o.status };
}

/** Runs one command line with both tools; `fresh` marks output that holds new random UUIDs. */
async function both(args: readonly string[], fresh = false): Promise<[Outcome, Outcome]> {
  const [c, o] = await Promise.all(IMPLS.map((impl) => runTool(impl, "ovsdb-client", args, server.env)));
  return fresh ? [normalise(c as Outcome), normalise(o as Outcome)] : [c as Outcome, o as Outcome];
}

const SELECT_A = JSON.stringify(["T", { op: "select", table: "A", where: [] }]);

function corpus(): { args: string[]; fresh?: boolean; fails?: boolean }[] {
  const remote = server.remote;
  const nosock = `unix:${tmp.dir}/nonexistent.sock`;
  return [
    // list-dbs
    { args: ["list-dbs"] },
    { args: ["list-dbs", remote] },
    { args: ["list-dbs", "foo"], fails: true },
    { args: ["list-dbs", nosock], fails: true },
    { args: ["list-dbs", "x:y"], fails: true },
    // get-schema, get-schema-version, get-schema-cksum
    { args: ["get-schema", "T"] },
    { args: ["--pretty", "get-schema", remote, "OVN_Northbound"] },
    { args: ["get-schema", "_Server"] },
    { args: ["get-schema", "Nope"], fails: true },
    { args: ["get-schema-version"] },
    { args: ["get-schema-version", "T", "extra"], fails: true },
    { args: ["get-schema-cksum", "OVN_Northbound"] },
    { args: ["get-schema-cksum", "T"] },
    { args: ["get-schema-cksum", remote, "T", "x"], fails: true },
    // list-tables, list-columns
    { args: ["list-tables", "OVN_Northbound"] },
    { args: ["-f", "csv", "list-tables", "T"] },
    { args: ["list-tables", "Nope"], fails: true },
    { args: ["list-columns", "T"] },
    { args: ["list-columns", "OVN_Northbound", "Logical_Switch"] },
    { args: ["-f", "json", "list-columns", "T", "B"] },
    { args: ["list-columns", "T", "Nope"] },
    { args: ["list-columns", "T", "B", "C"], fails: true },
    // transact, query
    { args: ["transact", SELECT_A] },
    { args: ["--pretty", "transact", remote, SELECT_A] },
    {
      args: [
        "transact",
        JSON.stringify([
          "T",
          { op: "update", table: "B", where: [["name", "==", "b1"]], row: { name: "b1" } },
        ]),
      ],
    },
    {
      args: [
        "transact",
        JSON.stringify(["T", { op: "insert", table: "B", row: { name: "new" } }, { op: "abort" }]),
      ],
      fresh: true,
    },
    { args: ["transact", JSON.stringify(["T", { op: "insert", table: "A", row: { e: "z" } }])], fresh: true },
    { args: ["transact", JSON.stringify(["T", { op: "insert", table: "Z" }])] },
    { args: ["transact", '["Nope"]'], fails: true },
    { args: ["transact", "[1,]"], fails: true },
    { args: ["transact", "{}"], fails: true },
    { args: ["transact"], fails: true },
    { args: ["query", SELECT_A] },
    { args: ["query", JSON.stringify(["T", { op: "insert", table: "B", row: { name: "q" } }])], fresh: true },
    { args: ["query", JSON.stringify(["T", { op: "insert", table: "Z" }])] },
    { args: ["query", '["T"'], fails: true },
    // dump
    { args: ["dump", "T"] },
    ...["list", "csv", "json", "html"].map((f) => ({ args: ["-f", f, "dump", "T"] })),
    { args: ["-d", "bare", "dump", "T"] },
    { args: ["-d", "json", "-f", "html", "dump", "T"] },
    { args: ["--no-headings", "-d", "json", "dump", "T", "A"] },
    { args: ["--bare", "dump", "T", "B"] },
    { args: ["--pretty", "-f", "json", "dump", "T", "B"] },
    { args: ["--max-column-width=8", "dump", "T", "A", "s", "ss", "i"] },
    { args: ["dump", remote, "OVN_Northbound"] },
    { args: ["dump", "T", "A", "i", "s", "_uuid"] },
    { args: ["dump"] },
    { args: ["dump", "T", "Nope"], fails: true },
    { args: ["dump", "T", "B", "nocol"], fails: true },
    // monitor argument errors (the live monitors are below)
    { args: ["monitor", "T", "X"], fails: true },
    { args: ["monitor", "T", "B", "name,name"], fails: true },
    { args: ["monitor", "T", "B", "name", "!insert"], fails: true },
    { args: ["monitor", "T", "ALL", "name"], fails: true },
    { args: ["monitor"], fails: true },
    { args: ["monitor-cond", "T", "[]", "X"], fails: true },
    { args: ["monitor-cond", "T", "[1]", "B"], fails: true },
    { args: ["monitor-cond", "T", '[["bogus","==",1]]', "B"], fails: true },
    { args: ["monitor-cond", "T", '[["name","<","a"]]', "B"], fails: true },
    { args: ["monitor-cond", "T", "[", "B"], fails: true },
    { args: ["monitor-cond-since", "T", "[]", "X"], fails: true },
    { args: ["monitor-cond-since", "T", "nope", "[]", "B"], fails: true },
    { args: ["monitor-cond-since", "T", "[1]", "B"], fails: true },
    { args: ["monitor-cond-since", "T", "00000000-0000-0000-0000-000000000000", "[1]", "B"], fails: true },
    { args: ["lock"], fails: true },
    { args: ["steal", "a", "b"], fails: true },
    { args: ["unlock"], fails: true },
    // options and commands
    { args: ["--format=xyz", "dump"], fails: true },
    { args: ["--data=xyz", "dump"], fails: true },
    { args: ["--bogus", "list-dbs"], fails: true },
    { args: ["-t", "0", "list-dbs"], fails: true },
    {
      args: [
        "--timeout=1",
        "transact",
        JSON.stringify([
          "T",
          { op: "wait", table: "B", where: [], columns: ["name"], until: "==", rows: [] },
        ]),
      ],
      fails: true,
    },
    { args: ["--form=csv", "list-tables", "T"] },
    { args: ["frob"], fails: true },
    { args: [], fails: true },
  ];
}

test("one-shot commands print what the C tool prints", async () => {
  const cases = corpus();
  assert.ok(cases.length >= 40);
  const results = await pool(
    cases.map((c) => () => both(c.args, c.fresh)),
    6,
  );
  cases.forEach((c, i) => {
    const [real, ours] = results[i] as [Outcome, Outcome];
    const line = `ovsdb-client ${c.args.join(" ")}`;
    assert.equal(real.status !== 0, c.fails === true, `${line}: the C tool's exit status is ${real.status}`);
    assert.deepEqual(ours, real, line);
  });
});

/** Waits until each pair's outputs are equal and no output has changed for a while. */
async function settled(
  pairs: readonly (readonly [LiveProc, LiveProc])[],
  norm: (s: string) => string,
): Promise<void> {
  let last = "";
  let since = Date.now();
  await waitUntil(
    () => {
      const now = pairs.map(([a, b]) => `${a.stdout}\u0000${b.stdout}`).join("\u0001");
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return pairs.every(([a, b]) => norm(a.stdout) === norm(b.stdout)) && Date.now() - since > 300;
    },
    8_000,
    { what: "both monitors of every pair to print the same", intervalMs: 25 },
  );
}

const noTimes = (s: string): string => s.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}/g, "<time>");

test("monitors print the same initial contents and updates", async () => {
  const variants = [
    ["monitor", "T", "ALL"],
    ["monitor", "T", "B"],
    ["monitor", "T", "A", "i,is,m"],
    ["monitor", "T", "A", "i,!initial", "m"],
    ["-f", "json", "monitor", "T", "B", "name"],
    ["-f", "list", "monitor", "T", "A", "is"],
    ["-f", "csv", "monitor", "T", "A", "is,i"],
    ["monitor-cond", "T", "[]", "A", "i,is,m"],
    ["monitor-cond", "T", '[["i","<",3]]', "A"],
    ["-f", "json", "monitor-cond", "T", '[["i","<",3],["i","==",50]]', "A", "i,is"],
    ["monitor-cond-since", "T", "[]", "A", "i,is,m"],
    ["monitor-cond-since", "T", "00000000-0000-0000-0000-000000000000", '[["i","<",3]]', "A"],
    ["-f", "json", "monitor-cond-since", "T", '[["name","==","new1"]]', "B", "name,n"],
    ["-d", "bare", "monitor", "T", "B"],
    ["-f", "html", "-d", "json", "monitor", "T", "B"],
    ["--timestamp", "monitor", "T", "B", "n"],
    ["monitor", "OVN_Northbound", "Logical_Switch", "name,ports"],
  ];
  const pairs = variants.map(
    (v) => IMPLS.map((impl) => LiveProc.of(impl, v, server.env)) as [LiveProc, LiveProc],
  );
  try {
    await waitUntil(() => pairs.every(([c, o]) => c.stdout !== "" && o.stdout !== ""), 8_000, {
      what: "every monitor to print the initial contents",
    });
    await settled(pairs, noTimes);
    const initial = pairs.map(([c]) => c.stdout);
    const write = async (txn: unknown[]): Promise<void> => {
      await runOk("ovsdb-client", ["transact", server.remote, JSON.stringify(txn)], { env: server.env });
    };
    await write([
      "T",
      {
        op: "update",
        table: "A",
        where: [["i", "==", 1]],
        row: {
          is: ["set", [7, 8, 9]],
          m: [
            "map",
            [
              ["a", "1"],
              ["b", "2"],
            ],
          ],
        },
      },
      { op: "insert", table: "B", uuid: U(20), row: { name: "new1" } },
    ]);
    await write([
      "T",
      {
        op: "update",
        table: "A",
        where: [["i", "==", 1]],
        row: {
          is: ["set", [2, 3, 4]],
          m: [
            "map",
            [
              ["a", "1"],
              ["b", "3"],
              ["c", "4"],
            ],
          ],
        },
      },
      { op: "delete", table: "A", where: [["i", "==", 50]] },
      { op: "update", table: "B", where: [["name", "==", "new1"]], row: { n: 4 } },
    ]);
    await write([
      "OVN_Northbound",
      { op: "insert", table: "Logical_Switch", uuid: U(107), row: { name: "sw2" } },
    ]);
    await settled(pairs, noTimes);
    for (const [i, [c]] of pairs.entries())
      assert.ok(c.stdout.length > (initial[i] as string).length, "every variant sees updates");
  } finally {
    await Promise.all(pairs.flat().map((p) => p.stop()));
  }
  variants.forEach((v, i) => {
    const [c, o] = pairs[i] as [LiveProc, LiveProc];
    assert.equal(noTimes(o.stdout), noTimes(c.stdout), `ovsdb-client ${v.join(" ")}`);
    assert.match(o.stderr, /fatal_signal\|WARN\|terminating with signal 15 \(Terminated\)/);
  });
});

test("lock and steal print the reply and then the notifications", async () => {
  for (const second of ["lock", "steal"] as const) {
    const seen: string[] = [];
    for (const impl of IMPLS) {
      // A lock of its own per run: the server may still be releasing the previous run's.
      const name = `L_${second}_${impl}`;
      const holder = LiveProc.of("c", ["lock", name], server.env);
      await waitUntil(() => holder.stdout.includes('{"locked":true}'), 5_000, { what: "the lock holder" });
      const other = LiveProc.of(impl, [second, name], server.env);
      try {
        await waitUntil(() => other.stdout.includes("locked"), 5_000, {
          what: `${impl} ${second} to answer`,
        });
        if (second === "lock") {
          await holder.stop();
          await waitUntil(() => other.stdout.includes(`["${name}"]`), 5_000, { what: "the lock" });
        }
      } finally {
        // The stealer first: once the old holder goes, the server tells the stealer "locked" again.
        await other.stop();
        await holder.stop();
      }
      seen.push(other.stdout.replaceAll(name, "L"));
    }
    assert.equal(seen[1], seen[0], `ovsdb-client ${second} while another client holds the lock`);
  }
  // Unlocking a lock this session does not hold: the server answers with an error, the tool says
  // nothing and waits.
  const unlockers = IMPLS.map((impl) => LiveProc.of(impl, ["unlock", "L_none"], server.env));
  await new Promise((r) => setTimeout(r, 400));
  await Promise.all(unlockers.map((p) => p.stop()));
  assert.deepEqual(
    unlockers.map((p) => [p.stdout, dropLogLines(p.stderr)]),
    [
      ["", ""],
      ["", ""],
    ],
  );
});
