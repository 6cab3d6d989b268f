// Files written by ours, read by the real ovsdb-tool and ovsdb-server 3.1.

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { LogFile, readLogFile } from "../file.js";
import { applyToModel, TEST_SCHEMA, txnArb } from "../testutil.js";
import {
  applyTxnRecord,
  buildSnapshotRecord,
  buildTxnRecord,
  type DbRows,
  emptyDb,
  type RowJson,
  replayRecords,
  rowWithDefaults,
  txnRecordInfo,
} from "../txnrecord.js";
import {
  clientSelect,
  clientTransact,
  haveOvs,
  ourDump,
  run,
  startServer,
  toolQuery,
  VSWITCH_SCHEMA,
} from "./realtools.js";

const VS_TABLES = ["Open_vSwitch", "Bridge", "Port", "Interface", "Flow_Table"];
const O = "a0000000-0000-4000-8000-000000000001";
const B = "b0000000-0000-4000-8000-000000000001";
const B2 = "b0000000-0000-4000-8000-000000000002";
const P = "c0000000-0000-4000-8000-000000000001";
const I = "d0000000-0000-4000-8000-000000000001";
const F = "e0000000-0000-4000-8000-000000000001";
const uuid = (u: string): [string, string] => ["uuid", u];

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ovnts-peer-write-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tiny stand-in for the engine: current rows, and commits as (table → uuid → new row | null). */
class Writer {
  constructor(
    readonly schema: unknown,
    readonly file: LogFile,
    readonly db: DbRows = emptyDb(schema),
    private clock = 1_700_000_000_000,
  ) {}
  async commit(puts: Record<string, Record<string, RowJson | null>>, comment?: string): Promise<boolean> {
    const changes: Record<string, Record<string, { old: RowJson | null; new: RowJson | null }>> = {};
    for (const [t, rows] of Object.entries(puts)) {
      changes[t] = {};
      for (const [u, neu] of Object.entries(rows)) {
        const old = this.db.get(t)?.get(u) ?? null;
        (changes[t] as Record<string, unknown>)[u] = { old, new: neu === null ? null : { ...old, ...neu } };
      }
    }
    const rec = buildTxnRecord(
      this.schema,
      changes,
      comment === undefined ? { date: ++this.clock } : { date: ++this.clock, comment },
    );
    if (rec === null) return false;
    await this.file.append(rec, { durable: true });
    applyTxnRecord(this.schema, this.db, rec);
    return true;
  }
  async compact(): Promise<void> {
    await this.file.replace([
      this.schema,
      buildSnapshotRecord(this.schema, this.db, {
        date: ++this.clock,
        comment: "compacting database online",
      }),
    ]);
  }
}

function assertToolAgrees(db: string, w: Writer): void {
  assert.equal(run("ovsdb-tool", ["show-log", "-mmm", db]).status, 0);
  assert.deepEqual(toolQuery(db, "Open_vSwitch", VS_TABLES), ourDump(w.schema, w.db, VS_TABLES));
}

test("a log written by ours (diffs of sets and maps, deletes, a snapshot) is read by ovsdb-tool and served by ovsdb-server", {
  skip: !haveOvs,
}, async () => {
  const db = join(dir, "ours.db");
  const schema = JSON.parse(await readFile(VSWITCH_SCHEMA, "utf8")) as unknown;
  const { file } = await LogFile.open(db, { create: schema });
  const w = new Writer(schema, file);
  try {
    assertToolAgrees(db, w);
    await w.commit(
      {
        Open_vSwitch: {
          [O]: {
            ovs_version: "3.1",
            bridges: uuid(B),
            external_ids: [
              "map",
              [
                ["a", "1"],
                ["b", "2"],
              ],
            ],
          },
        },
        Bridge: { [B]: { name: "br0", ports: uuid(P), flood_vlans: ["set", [1, 2, 3]] } },
        Port: { [P]: { name: "p0", interfaces: uuid(I) } },
        Interface: { [I]: { name: "p0", type: "internal", options: ["map", [["k", "v"]]] } },
      },
      'créé 😀 "quoted"\nline',
    );
    assertToolAgrees(db, w);
    await w.commit({
      Bridge: { [B]: { flood_vlans: ["set", [2, 3, 7]] } },
      Open_vSwitch: {
        [O]: {
          external_ids: [
            "map",
            [
              ["b", "22"],
              ["c", "3"],
            ],
          ],
          next_cfg: 1,
        },
      },
      Interface: {
        [I]: {
          options: [
            "map",
            [
              ["k", "v"],
              ["ü", "日本"],
            ],
          ],
        },
      },
    });
    assertToolAgrees(db, w);
    for (const v of ["7.0", "8.0", ["set", []]]) {
      await w.commit({ Open_vSwitch: { [O]: { db_version: v } } });
      assertToolAgrees(db, w);
    }
    // All three members of a max-3 set replaced: written whole, since the C reader bounds differences.
    await w.commit({
      Flow_Table: { [F]: { prefixes: ["set", ["ip_dst", "ip_src", "ipv6_dst"]] } },
      Bridge: { [B]: { flow_tables: ["map", [[1, uuid(F)]]] } },
    });
    await w.commit({ Flow_Table: { [F]: { prefixes: ["set", ["ipv6_src", "nw_dst", "nw_src"]] } } });
    const last = (await readLogFile(db)).records.at(-1);
    assert.equal(txnRecordInfo(last).isDiff, false);
    assertToolAgrees(db, w);
    await w.commit({
      Open_vSwitch: { [O]: { bridges: ["set", [uuid(B), uuid(B2)]] } },
      Bridge: { [B2]: { name: "br1" } },
    });
    await w.commit({ Open_vSwitch: { [O]: { bridges: uuid(B) } }, Bridge: { [B2]: null } });
    assertToolAgrees(db, w);
    assert.equal(
      await w.commit({ Bridge: { [B]: { datapath_id: "0000000000000001" } } }),
      false,
      "ephemeral only: no record",
    );

    await w.compact();
    assert.equal((await readLogFile(db)).records.length, 2);
    assertToolAgrees(db, w);
    await w.commit({ Bridge: { [B]: { flood_vlans: ["set", [7]], other_config: ["map", [["x", "y"]]] } } });
    assertToolAgrees(db, w);
  } finally {
    await file.close();
  }

  const server = await startServer(dir, db, "ours");
  try {
    assert.deepEqual(
      clientSelect(server.sock, "Open_vSwitch", VS_TABLES),
      ourDump(w.schema, w.db, VS_TABLES),
    );
    clientTransact(server.sock, [
      "Open_vSwitch",
      { op: "mutate", table: "Bridge", where: [], mutations: [["flood_vlans", "insert", ["set", [8, 9]]]] },
    ]);
    const served = clientSelect(server.sock, "Open_vSwitch", VS_TABLES);
    await server.stop();
    // The real server appended to our file; ours reads the mixed log.
    const r = await readLogFile(db);
    const [sch, ...txns] = r.records;
    assert.deepEqual(ourDump(sch, replayRecords(sch, txns), VS_TABLES), served);
  } finally {
    await server.stop();
  }
});

function expectedRows(model: Map<string, RowJson>): Record<string, RowJson> {
  const out: Record<string, RowJson> = {};
  for (const [u, row] of model) {
    const { e: _ephemeral, ...persistent } = row;
    out[u] = rowWithDefaults(TEST_SCHEMA, "R", persistent);
  }
  return out;
}

test("differential: random transactions written by ours read back identically by ovsdb-tool query", {
  skip: !haveOvs,
}, async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(txnArb, fc.boolean()), { minLength: 1, maxLength: 8 }),
      async (steps) => {
        const db = join(dir, `rand${++n}.db`);
        const { file } = await LogFile.open(db, { create: TEST_SCHEMA });
        const model = new Map<string, RowJson>();
        const ours = emptyDb(TEST_SCHEMA);
        try {
          let date = 0;
          for (const [txn, compact] of steps) {
            const rec = buildTxnRecord(TEST_SCHEMA, applyToModel(model, txn), { date: ++date });
            if (rec !== null) {
              await file.append(rec, { durable: false });
              applyTxnRecord(TEST_SCHEMA, ours, rec);
            }
            if (compact)
              await file.replace([TEST_SCHEMA, buildSnapshotRecord(TEST_SCHEMA, ours, { date: ++date })]);
          }
        } finally {
          await file.close();
        }
        assert.deepEqual(toolQuery(db, "T", ["R"]).R, expectedRows(model));
        await rm(db);
      },
    ),
    { numRuns: 25 },
  );
});
