// `ovnts ovsdb-client` backup, restore and wait against the real ovsdb-client 3.1, on a real ovsdb-server
// of their own (restore replaces a database's contents).
//   - backup: the schema record is the same byte for byte; the data record holds the same rows and
//     values (compared as JSON: "_date" differs, and the C tool orders each row's members by its hash
//     tables' internals, which only the member order shows);
//   - restore of the same snapshot by either tool leaves the same database (row uuids renumbered: a
//     restore makes new rows), and the failures print the same;
//   - wait: the same exit status and stdout for each state.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { run, runOk } from "../../support/exec.js";
import { UuidNames } from "../../support/normalize.js";
import {
  command,
  dropLogLines,
  IMPLS,
  type Impl,
  type Outcome,
  Server,
  schemaFile,
  tempDir,
} from "./harness.js";

let tmp: ReturnType<typeof tempDir>;
let server: Server;
const NB = "OVN_Northbound";

let inputs = 0;

/** Runs one tool; `input` becomes its stdin as a file (the C tool's restore seeks in it). */
async function tool(impl: Impl, args: readonly string[], input?: string): Promise<Outcome> {
  const { cmd, pre } = command(impl, "ovsdb-client");
  let argv = [cmd, ...pre, ...args];
  let file = "/dev/null";
  if (input !== undefined) {
    file = join(tmp.dir, `stdin-${inputs++}`);
    writeFileSync(file, input);
  }
  argv = ["sh", "-c", `exec "$0" "$@" < ${file}`, ...argv];
  const r = await run(argv[0] as string, argv.slice(1), { env: server.env, timeoutMs: 20_000 });
  return { stdout: r.stdout, stderr: dropLogLines(r.stderr), status: r.code ?? String(r.signal) };
}

async function transact(...ops: unknown[]): Promise<void> {
  await runOk("ovsdb-client", ["transact", server.remote, JSON.stringify([NB, ...ops])], { env: server.env });
}

/** The database as `ovsdb-client dump` prints it, uuids numbered in order of appearance. */
async function dumpNb(): Promise<string> {
  const text = await runOk("ovsdb-client", ["-f", "csv", "dump", server.remote, NB], { env: server.env });
  return new UuidNames().apply(text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "U"));
}

before(async () => {
  tmp = tempDir();
  server = await Server.start(tmp.dir, [schemaFile("ovn-nb")]);
  await transact(
    {
      op: "insert",
      table: "Logical_Switch_Port",
      row: { name: "p1", addresses: "00:00:00:00:00:01" },
      "uuid-name": "p1",
    },
    { op: "insert", table: "Logical_Switch_Port", row: { name: "p2", tag_request: 7 }, "uuid-name": "p2" },
    {
      op: "insert",
      table: "Logical_Switch",
      row: {
        name: "sw0",
        ports: [
          "set",
          [
            ["named-uuid", "p1"],
            ["named-uuid", "p2"],
          ],
        ],
        other_config: ["map", [["k", "v"]]],
      },
    },
    { op: "insert", table: "Logical_Router", row: { name: "lr0", enabled: false } },
    { op: "insert", table: "NB_Global", row: { nb_cfg: 5 } },
  );
});

after(async () => {
  await server?.stop();
  tmp?.remove();
});

interface Backup {
  readonly schemaLines: string;
  readonly dataHeader: string;
  readonly data: Record<string, unknown>;
}

function parseBackup(text: string): Backup {
  const lines = text.split("\n");
  assert.equal(lines.length, 5, "two records and a final newline");
  const data = JSON.parse(lines[3] as string) as Record<string, unknown>;
  assert.equal(typeof data._date, "number");
  delete data._date;
  return {
    schemaLines: `${lines[0]}\n${lines[1]}`,
    dataHeader: (lines[2] as string).replace(/ [0-9a-f]{40}$/, ""),
    data,
  };
}

test("backup writes the same database file", async () => {
  const [c, o] = await Promise.all(IMPLS.map((impl) => tool(impl, ["backup", server.remote, NB])));
  assert.equal(o?.status, c?.status);
  assert.equal(o?.stderr, c?.stderr);
  const [bc, bo] = [parseBackup((c as Outcome).stdout), parseBackup((o as Outcome).stdout)];
  assert.equal(bo.schemaLines, bc.schemaLines, "schema record, byte for byte");
  assert.equal(bo.dataHeader, bc.dataHeader, "data record length");
  assert.deepEqual(bo.data, bc.data);
  // The real ovsdb-tool reads our file.
  const file = join(tmp.dir, "ours.backup");
  writeFileSync(file, (o as Outcome).stdout);
  const rows = await runOk("ovsdb-tool", [
    "query",
    file,
    JSON.stringify([NB, { op: "select", table: "Logical_Switch", where: [], columns: ["name"] }]),
  ]);
  assert.equal(rows.trim(), '[{"rows":[{"name":"sw0"}]}]');
  for (const args of [
    ["backup", server.remote, "Nope"],
    ["backup", server.remote, NB, "x"],
  ]) {
    const [e1, e2] = await Promise.all(IMPLS.map((impl) => tool(impl, args)));
    assert.deepEqual(e2, e1, args.join(" "));
  }
});

test("restore by either tool leaves the same database; failures print the same", async () => {
  const snapshot = (await tool("c", ["backup", server.remote, NB])).stdout;
  const before = await dumpNb();
  const dumps: string[] = [];
  for (const impl of IMPLS) {
    await transact(
      { op: "delete", table: "Logical_Switch", where: [] },
      { op: "insert", table: "Logical_Router", row: { name: "extra" } },
    );
    assert.notEqual(await dumpNb(), before);
    const r = await tool(impl, ["restore", server.remote, NB], snapshot);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, "", ""], impl);
    dumps.push(await dumpNb());
  }
  assert.equal(dumps[0], before, "the C tool restores what was backed up");
  assert.equal(dumps[1], dumps[0]);

  const vswitch = `${tmp.dir}/vs.db`;
  await runOk("ovsdb-tool", ["create", vswitch, schemaFile("vswitch")]);
  const otherSchema = (await runOk("cat", [vswitch])).toString();
  const cases: [string[], string][] = [
    [["restore", server.remote, NB], otherSchema],
    [["--force", "restore", server.remote, NB], otherSchema],
    [["restore", server.remote, NB], "garbage\n"],
    [["restore", server.remote, NB], ""],
    [["restore", server.remote, "Nope"], snapshot],
  ];
  for (const [args, input] of cases) {
    const [c, o] = await Promise.all(IMPLS.map((impl) => tool(impl, args, input)));
    assert.deepEqual(o, c, `${args.join(" ")} < ${input.slice(0, 20)}`);
  }
  assert.equal(await dumpNb(), before, "the failed restores changed nothing");
});

test("wait: the same outcome for each state", async () => {
  const cases = [[NB, "connected"], [NB, "added"], ["Nope", "removed"], [NB, "foo"], [NB]];
  for (const args of cases) {
    const [c, o] = await Promise.all(IMPLS.map((impl) => tool(impl, ["wait", server.remote, ...args])));
    assert.deepEqual(o, c, `wait ${args.join(" ")}`);
  }
  // A state not reached: both still waiting after a while.
  const { cmd, pre } = command("ovnts", "ovsdb-client");
  const r = await run(cmd, [...pre, "wait", server.remote, "Nope", "added"], {
    env: server.env,
    timeoutMs: 1_000,
  });
  assert.match(r.stderr, /killed after 1000 ms/);
});

test("needs-conversion and convert, online", async () => {
  const nb = schemaFile("ovn-nb");
  const changed = JSON.parse(readFileSync(nb, "utf8")) as {
    version: string;
    tables: Record<string, { columns: Record<string, unknown> }>;
  };
  changed.version = "99.0.0";
  (changed.tables.Logical_Switch as { columns: Record<string, unknown> }).columns.extra = { type: "string" };
  const next = join(tmp.dir, "next.ovsschema");
  writeFileSync(next, JSON.stringify(changed));
  const cases = [
    ["needs-conversion", server.remote, nb],
    ["needs-conversion", server.remote, next],
    ["needs-conversion", server.remote, join(tmp.dir, "nonexistent")],
    ["convert", server.remote, join(tmp.dir, "nonexistent")],
  ];
  for (const args of cases) {
    const [c, o] = await Promise.all(IMPLS.map((impl) => tool(impl, args)));
    assert.deepEqual(o, c, args.join(" "));
  }
  const switches = () =>
    runOk("ovsdb-client", ["-f", "csv", "dump", server.remote, NB, "Logical_Switch", "name", "ports"], {
      env: server.env,
    });
  const before = await switches();
  const r = await tool("ovnts", ["convert", server.remote, next]);
  assert.deepEqual([r.status, r.stdout, r.stderr], [0, "", ""]);
  assert.equal((await tool("c", ["needs-conversion", server.remote, next])).stdout, "no\n");
  assert.equal((await tool("c", ["get-schema-version", server.remote, NB])).stdout, "99.0.0\n");
  assert.equal(await switches(), before, "the rows survive the conversion");
});
