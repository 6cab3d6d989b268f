// The real ovsdb-client and ovsdb-tool against a database server started by the harness, for each
// implementation in OVNTS_PEER_IMPLS. Expected outputs are those of the C ovsdb-server 3.1 (uuids and
// times normalised); where the C tools order things by hash, the lines are compared as sets.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { lines, normalizeTimes, UuidNames } from "../support/normalize.js";
import { canonicalSchema } from "../support/ovsschema.js";
import { schemaPath } from "../support/paths.js";
import {
  type DbServer,
  type Impl,
  implementations,
  run,
  runOk,
  type Sandbox,
  startDbServer,
  waitUntil,
  withSandbox,
} from "../support/sandbox.js";

const NB = "OVN_Northbound";
const nbSchema = JSON.parse(readFileSync(schemaPath("ovn-nb"), "utf8")) as {
  version: string;
  cksum: string;
  tables: Record<string, unknown>;
};

function client(sb: Sandbox, ...args: string[]): Promise<string> {
  return runOk("ovsdb-client", ["--timeout=10", ...args], { env: sb.env });
}

function tool(sb: Sandbox, ...args: string[]): Promise<string> {
  return runOk("ovsdb-tool", args, { env: sb.env });
}

/** `ovsdb-client transact` of the operations given; the reply parsed, uuids named through `names`. */
async function transact(sb: Sandbox, db: DbServer, names: UuidNames, ...ops: object[]): Promise<unknown> {
  const out = await client(sb, "transact", db.remote, JSON.stringify([NB, ...ops]));
  return JSON.parse(names.apply(out));
}

function startNb(sb: Sandbox, impl: Impl): Promise<DbServer> {
  return startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
}

function sortByName<T extends { name: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Waits until a process's whole output, normalised, is exactly `expected` (lines, trailing blanks cut). */
async function outputBecomes(
  output: () => string,
  expected: string[],
  normalize: (s: string) => string,
): Promise<void> {
  await waitUntil(
    () => {
      const got = lines(normalize(output()));
      assert.deepEqual(got, expected);
      return true;
    },
    5000,
    { what: "monitor output" },
  );
}

for (const impl of implementations()) {
  test(`[${impl}] ovsdb-client list-dbs, list-tables, list-columns, get-schema`, () =>
    withSandbox(async (sb) => {
      const db = await startNb(sb, impl);
      assert.equal(await client(sb, "list-dbs", db.remote), `${NB}\n_Server\n`);

      // The C client lists tables in hash order: compare the header exactly and the names as a set.
      const tables = lines(await client(sb, "list-tables", db.remote, NB));
      assert.deepEqual(tables.slice(0, 2), ["Table", "-".repeat(27)]);
      assert.deepEqual(tables.slice(2).sort(), Object.keys(nbSchema.tables).sort());

      const columns = lines(await client(sb, "list-columns", db.remote, NB, "Address_Set"));
      assert.deepEqual(columns.slice(0, 2), ["Column       Type", `${"-".repeat(12)} ${"-".repeat(59)}`]);
      assert.deepEqual(columns.slice(2).sort(), [
        '_uuid        "uuid"',
        '_version     "uuid"',
        'addresses    {"key":"string","max":"unlimited","min":0}',
        'external_ids {"key":"string","max":"unlimited","min":0,"value":"string"}',
        'name         "string"',
      ]);

      const served = JSON.parse(await client(sb, "get-schema", db.remote, NB)) as never;
      assert.deepEqual(canonicalSchema(served), canonicalSchema(nbSchema as never));
      assert.equal(await client(sb, "get-schema-version", db.remote, NB), `${nbSchema.version}\n`);
      assert.equal(await client(sb, "get-schema-cksum", db.remote, NB), `${nbSchema.cksum}\n`);
    }));

  test(`[${impl}] ovsdb-client transact: insert, select, update, mutate, wait, delete, garbage collection`, () =>
    withSandbox(async (sb) => {
      const db = await startNb(sb, impl);
      const u = new UuidNames();
      const sw0 = [["name", "==", "sw0"]];
      const sw1 = [["name", "==", "sw1"]];

      assert.deepEqual(
        await transact(
          sb,
          db,
          u,
          {
            op: "insert",
            table: "Logical_Switch",
            row: { name: "sw0", external_ids: ["map", [["k", "v"]]] },
          },
          { op: "insert", table: "Logical_Switch", row: { name: "sw1" } },
        ),
        [{ uuid: ["uuid", "<0>"] }, { uuid: ["uuid", "<1>"] }],
      );
      assert.deepEqual(
        await transact(sb, db, u, {
          op: "select",
          table: "Logical_Switch",
          where: sw0,
          columns: ["_uuid", "name", "external_ids"],
        }),
        [{ rows: [{ _uuid: ["uuid", "<0>"], name: "sw0", external_ids: ["map", [["k", "v"]]] }] }],
      );

      assert.deepEqual(
        await transact(
          sb,
          db,
          u,
          { op: "update", table: "Logical_Switch", where: sw1, row: { other_config: ["map", [["a", "b"]]] } },
          {
            op: "mutate",
            table: "Logical_Switch",
            where: sw0,
            mutations: [["external_ids", "insert", ["map", [["k2", "v2"]]]]],
          },
          // An ACL is not a root table: it survives only because sw0 references it.
          {
            op: "insert",
            table: "ACL",
            "uuid-name": "acl",
            row: { action: "drop", direction: "to-lport", match: "ip4", priority: 100 },
          },
          {
            op: "mutate",
            table: "Logical_Switch",
            where: sw0,
            mutations: [["acls", "insert", ["named-uuid", "acl"]]],
          },
          // ... and this one, referenced by nothing, is garbage collected at commit.
          {
            op: "insert",
            table: "ACL",
            row: { action: "allow", direction: "from-lport", match: "ip6", priority: 1 },
          },
        ),
        [{ count: 1 }, { count: 1 }, { uuid: ["uuid", "<2>"] }, { count: 1 }, { uuid: ["uuid", "<3>"] }],
      );
      const [mutated, acls, switches] = (await transact(
        sb,
        db,
        u,
        { op: "mutate", table: "ACL", where: [], mutations: [["priority", "+=", 5]] },
        { op: "select", table: "ACL", where: [], columns: ["_uuid", "match", "priority"] },
        {
          op: "select",
          table: "Logical_Switch",
          where: [],
          columns: ["name", "external_ids", "other_config", "acls"],
        },
      )) as [unknown, unknown, { rows: { name: string }[] }];
      assert.deepEqual(mutated, { count: 1 });
      assert.deepEqual(acls, { rows: [{ _uuid: ["uuid", "<2>"], match: "ip4", priority: 105 }] });
      // Rows come back in no particular order.
      assert.deepEqual(sortByName(switches.rows), [
        {
          name: "sw0",
          external_ids: [
            "map",
            [
              ["k", "v"],
              ["k2", "v2"],
            ],
          ],
          other_config: ["map", []],
          acls: ["uuid", "<2>"],
        },
        { name: "sw1", external_ids: ["map", []], other_config: ["map", [["a", "b"]]], acls: ["set", []] },
      ]);

      // wait with timeout 0 is how the IDL checks what it read: here it matches.
      assert.deepEqual(
        await transact(sb, db, u, {
          op: "wait",
          timeout: 0,
          table: "Logical_Switch",
          where: sw0,
          columns: ["name"],
          until: "==",
          rows: [{ name: "sw0" }],
        }),
        [{}],
      );

      // Deleting sw0 takes its ACL with it (garbage collection runs at commit, so look afterwards).
      assert.deepEqual(await transact(sb, db, u, { op: "delete", table: "Logical_Switch", where: sw0 }), [
        { count: 1 },
      ]);
      assert.deepEqual(
        await transact(
          sb,
          db,
          u,
          { op: "select", table: "ACL", where: [], columns: ["match"] },
          { op: "select", table: "Logical_Switch", where: [], columns: ["name"] },
        ),
        [{ rows: [] }, { rows: [{ name: "sw1" }] }],
      );
    }));

  test(`[${impl}] ovsdb-client transact errors: RFC 7047 error strings, nothing committed`, () =>
    withSandbox(async (sb) => {
      const db = await startNb(sb, impl);
      const u = new UuidNames();
      const insertA = { op: "insert", table: "Logical_Switch", row: { name: "a" } };
      type Reply = { error?: string; details?: string }[];

      let r = (await transact(sb, db, u, {
        op: "insert",
        table: "Logical_Switch",
        row: { nosuch: 1 },
      })) as Reply;
      assert.equal(r.length, 1);
      assert.equal(r[0]?.error, "unknown column");
      assert.match(r[0]?.details ?? "", /nosuch/);

      r = (await transact(sb, db, u, { op: "select", table: "NoTable", where: [] })) as Reply;
      assert.equal(r[0]?.error, "syntax error");
      assert.match(r[0]?.details ?? "", /NoTable/);

      r = (await transact(sb, db, u, {
        op: "insert",
        table: "ACL",
        row: { action: "bogus", direction: "to-lport", match: "1", priority: 1 },
      })) as Reply;
      assert.equal(r[0]?.error, "constraint violation");
      assert.match(r[0]?.details ?? "", /bogus/);

      // A failure at commit (a dangling strong reference) is reported after the operations' results,
      // and the insert before it is rolled back.
      const ghost = "11111111-2222-3333-4444-555555555555";
      r = (await transact(sb, db, u, insertA, {
        op: "insert",
        table: "Logical_Switch",
        row: { ports: ["set", [["uuid", ghost]]] },
      })) as Reply;
      assert.equal(r.length, 3);
      assert.deepEqual(r.slice(0, 2), [{ uuid: ["uuid", "<0>"] }, { uuid: ["uuid", "<1>"] }]);
      assert.equal(r[2]?.error, "referential integrity violation");
      assert.match(r[2]?.details ?? "", /<2>/); // the ghost uuid, named by normalisation

      r = (await transact(sb, db, u, insertA, { op: "abort" })) as Reply;
      assert.deepEqual(r, [{ uuid: ["uuid", "<3>"] }, { error: "aborted", details: "aborted by request" }]);

      r = (await transact(sb, db, u, {
        op: "wait",
        timeout: 0,
        table: "Logical_Switch",
        where: [],
        columns: ["name"],
        until: "==",
        rows: [{ name: "a" }],
      })) as Reply;
      assert.equal(r[0]?.error, "timed out");

      assert.deepEqual(await transact(sb, db, u, { op: "select", table: "Logical_Switch", where: [] }), [
        { rows: [] },
      ]);

      // A request-level error: the client reports it and fails.
      const bad = await run(
        "ovsdb-client",
        ["--timeout=10", "transact", db.remote, JSON.stringify(["Nope", insertA])],
        {
          env: sb.env,
        },
      );
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /transaction returned error: .*"error":"unknown database"/);
    }));

  test(`[${impl}] ovsdb-client dump: tables, columns, csv`, () =>
    withSandbox(async (sb) => {
      const db = await startNb(sb, impl);
      const u = new UuidNames();
      await transact(
        sb,
        db,
        u,
        {
          op: "insert",
          table: "Address_Set",
          row: { name: "as1", addresses: ["set", ["10.0.0.2", "10.0.0.1"]] },
        },
        {
          op: "insert",
          table: "Logical_Switch",
          row: {
            name: "sw0",
            external_ids: [
              "map",
              [
                ["k", "v"],
                ["k2", "v 2"],
              ],
            ],
          },
        },
        { op: "insert", table: "Logical_Switch", row: { name: "sw1" } },
      );
      assert.deepEqual(
        lines(u.apply(await client(sb, "dump", db.remote, NB, "Address_Set"), { keepWidth: true })),
        [
          "Address_Set table",
          "_uuid                                addresses                external_ids name",
          "------------------------------------ ------------------------ ------------ ----",
          '<0>                                  ["10.0.0.1", "10.0.0.2"] {}           as1',
        ],
      );
      // Rows are sorted by the columns shown, so two rows print in a fixed order.
      assert.deepEqual(
        lines(await client(sb, "dump", db.remote, NB, "Logical_Switch", "name", "external_ids")),
        [
          "Logical_Switch table",
          "external_ids    name",
          "--------------- ----",
          "{}              sw1",
          '{k=v, k2="v 2"} sw0',
        ],
      );
      assert.deepEqual(
        lines(
          await client(sb, "--format=csv", "dump", db.remote, NB, "Logical_Switch", "name", "external_ids"),
        ),
        ["Logical_Switch table", "external_ids,name", "{},sw1", '"{k=v, k2=""v 2""}",sw0'],
      );
      // A dump of the whole database has one section per table, in name order.
      const sections = lines(await client(sb, "dump", db.remote, NB)).filter((l) => l.endsWith(" table"));
      assert.deepEqual(
        sections,
        Object.keys(nbSchema.tables)
          .sort()
          .map((t) => `${t} table`),
      );
    }));

  test(`[${impl}] ovsdb-client monitor prints the initial rows, then every change`, () =>
    withSandbox(async (sb) => {
      const db = await startNb(sb, impl);
      const u = new UuidNames();
      const T = (...ops: object[]): Promise<unknown> => transact(sb, db, u, ...ops);
      await T({
        op: "insert",
        table: "Logical_Switch",
        row: { name: "sw0", external_ids: ["map", [["k", "v"]]] },
      });

      const mon = sb.spawn({
        name: "monitor",
        cmd: "ovsdb-client",
        args: ["monitor", db.remote, NB, "Logical_Switch", "name,external_ids"],
      });
      const seen = (): string => mon.output();
      const norm = (s: string): string => u.apply(s, { keepWidth: true });
      const header = [
        "row                                  action name external_ids",
        `${"-".repeat(36)} ------ ---- ------------`,
      ];
      const expected = [
        "row                                  action  name external_ids",
        `${"-".repeat(36)} ------- ---- ------------`,
        "<0>                                  initial sw0  {k=v}",
      ];
      await outputBecomes(seen, expected, norm);

      await T({ op: "insert", table: "Logical_Switch", row: { name: "sw1" } });
      expected.push("", ...header, "<1>                                  insert sw1  {}");
      await outputBecomes(seen, expected, norm);

      await T({
        op: "update",
        table: "Logical_Switch",
        where: [["name", "==", "sw1"]],
        row: { external_ids: ["map", [["x", "y"]]] },
      });
      expected.push(
        "",
        ...header,
        "<1>                                  old         {}",
        "                                     new    sw1  {x=y}",
      );
      await outputBecomes(seen, expected, norm);

      await T({ op: "delete", table: "Logical_Switch", where: [["name", "==", "sw0"]] });
      expected.push("", ...header, "<0>                                  delete sw0  {k=v}");
      await outputBecomes(seen, expected, norm);
      mon.kill();
    }));

  test(`[${impl}] ovsdb-client monitor-cond follows rows into and out of its condition`, () =>
    withSandbox(async (sb) => {
      const db = await startNb(sb, impl);
      const u = new UuidNames();
      const T = (...ops: object[]): Promise<unknown> => transact(sb, db, u, ...ops);
      const rename = (from: string, to: string): Promise<unknown> =>
        T({ op: "update", table: "Logical_Switch", where: [["name", "==", from]], row: { name: to } });
      await T({ op: "insert", table: "Logical_Switch", row: { name: "sw9" } });

      const mon = sb.spawn({
        name: "monitor-cond",
        cmd: "ovsdb-client",
        args: [
          "monitor-cond",
          db.remote,
          NB,
          JSON.stringify([["name", "==", "sw9"]]),
          "Logical_Switch",
          "name,other_config",
        ],
      });
      const seen = (): string => mon.output();
      const norm = (s: string): string => u.apply(s, { keepWidth: true });
      const header = [
        "row                                  action name other_config",
        `${"-".repeat(36)} ------ ---- ------------`,
      ];
      const expected = [
        "row                                  action  name other_config",
        `${"-".repeat(36)} ------- ---- ------------`,
        "<0>                                  initial sw9",
      ];
      await outputBecomes(seen, expected, norm);

      // Outside the condition: nothing is printed for sw8 (checked by the exact output after the next step).
      await T({ op: "insert", table: "Logical_Switch", row: { name: "sw8" } });
      await T({
        op: "update",
        table: "Logical_Switch",
        where: [["name", "==", "sw9"]],
        row: { other_config: ["map", [["a", "1"]]] },
      });
      expected.push("", ...header, '<0>                                  modify      {a="1"}');
      await outputBecomes(seen, expected, norm);

      // Leaving the condition reads as a delete, entering it as an insert.
      await rename("sw9", "sw10");
      expected.push("", ...header, "<0>                                  delete");
      await outputBecomes(seen, expected, norm);
      await rename("sw8", "sw9"); // sw8 is <1>: named when its insert replied
      expected.push("", ...header, "<1>                                  insert sw9");
      await outputBecomes(seen, expected, norm);
      mon.kill();
    }));

  test(`[${impl}] ovsdb-tool reads, queries and compacts the file the server wrote`, () =>
    withSandbox(async (sb) => {
      let db = await startNb(sb, impl);
      const u = new UuidNames();
      const T = (...ops: object[]): Promise<unknown> => transact(sb, db, u, ...ops);
      await T({
        op: "insert",
        table: "Logical_Switch",
        row: { name: "sw0", external_ids: ["map", [["k", "v"]]] },
      });
      await T({ op: "insert", table: "Logical_Switch", row: { name: "sw1" } });
      await T({
        op: "mutate",
        table: "Logical_Switch",
        where: [["name", "==", "sw0"]],
        mutations: [["external_ids", "insert", ["map", [["k2", "v2"]]]]],
      });
      await T({ op: "delete", table: "Logical_Switch", where: [["name", "==", "sw1"]] });
      // Reads that change nothing must not be logged.
      await T({ op: "select", table: "Logical_Switch", where: [] });
      await db.stop();
      const file = db.dbFiles["ovn-nb"] as string;

      assert.equal(await tool(sb, "db-name", file), `${NB}\n`);
      assert.equal(await tool(sb, "db-version", file), `${nbSchema.version}\n`);
      assert.equal(await tool(sb, "schema-version", schemaPath("ovn-nb")), `${nbSchema.version}\n`);
      assert.equal(await tool(sb, "db-cksum", file), `${nbSchema.cksum}\n`);

      const schemaRecord = `record 0: "${NB}" schema, version="${nbSchema.version}", cksum="${nbSchema.cksum}"`;
      const showLog = async (...flags: string[]): Promise<string[]> =>
        lines(u.apply(normalizeTimes(await tool(sb, "show-log", ...flags, file)), { short: true }));
      assert.deepEqual(await showLog(), [
        schemaRecord,
        "",
        "record 1: <time>",
        "record 2: <time>",
        "record 3: <time>",
        "record 4: <time>",
      ]);
      assert.deepEqual(await showLog("-m"), [
        schemaRecord,
        "",
        "record 1: <time>",
        '  table Logical_Switch insert row "sw0" (<0>):',
        "",
        "record 2: <time>",
        '  table Logical_Switch insert row "sw1" (<1>):',
        "",
        "record 3: <time>",
        '  table Logical_Switch row "sw0" (<0>) diff:',
        "",
        "record 4: <time>",
        '  table Logical_Switch row "sw1" (<1>) diff:',
        "    delete row",
      ]);

      const select = JSON.stringify([
        NB,
        { op: "select", table: "Logical_Switch", where: [], columns: ["_uuid", "name", "external_ids"] },
      ]);
      const rows = [
        {
          rows: [
            {
              _uuid: ["uuid", "<0>"],
              name: "sw0",
              external_ids: [
                "map",
                [
                  ["k", "v"],
                  ["k2", "v2"],
                ],
              ],
            },
          ],
        },
      ];
      assert.deepEqual(JSON.parse(u.apply(await tool(sb, "query", file, select))), rows);

      await tool(sb, "compact", file);
      assert.deepEqual(await showLog("-m"), [
        schemaRecord,
        "",
        'record 1: <time> "compacted by ovsdb-tool 3.1.0"',
        '  table Logical_Switch insert row "sw0" (<0>):',
      ]);

      // The server takes the compacted file back as it is.
      db = await startNb(sb, impl);
      assert.deepEqual(JSON.parse(u.apply(await client(sb, "transact", db.remote, select))), rows);
    }));
}
