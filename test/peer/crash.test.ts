// Crash safety of `ovnts ovsdb-server` (project issue 3, acceptance 5): a writer commits without pause
// while the server is SIGKILLed at random moments, some kills landing during a compaction started with
// the real `ovs-appctl ovsdb-server/compact`. After every kill:
//   - the file as the crash left it opens in the real `ovsdb-tool` (show-log and query), and
//   - the restarted server serves it,
// and both views hold every transaction that got a successful reply, none half-applied.
//
// Each transaction is checkable on its own: it bumps NB_Global.nb_cfg from k to k+1 (a "wait" pins k
// first, so transactions are strictly ordered) and inserts switch "ls<k+1>" whose external_ids:nb_cfg
// records that same k+1. Atomicity then reads as: the switches' recorded values are exactly 1..nb_cfg.
// ovnts only: the C server is the reference for the file format, which ovsdb-tool checks.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { test } from "node:test";
import {
  type DbServer,
  run,
  runOk,
  type Sandbox,
  startDbServer,
  waitUntil,
  withSandbox,
} from "../support/sandbox.js";
import { type Json, RpcClient } from "./rpc-client.js";

const NB = "OVN_Northbound";
const ROUNDS = 20;

/** What the test knows for certain: the transactions the server acknowledged. */
interface Acked {
  /** Highest nb_cfg a successful reply confirmed (0 before the first). */
  last: number;
  /** How many acknowledged transactions asked for a durable commit. */
  durable: number;
  total: number;
}

/** The database contents the invariants are about. */
interface Contents {
  nbCfg: number;
  switches: { name: string; cfg: number }[];
}

// mulberry32: a seeded generator, so a failing run's kill schedule can be replayed with OVNTS_CRASH_SEED.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function switchOps(k: number, durable: boolean): Json[] {
  const next = k + 1;
  return [
    {
      op: "wait",
      table: "NB_Global",
      where: [],
      columns: ["nb_cfg"],
      until: "==",
      rows: [{ nb_cfg: k }],
      timeout: 0,
    },
    { op: "mutate", table: "NB_Global", where: [], mutations: [["nb_cfg", "+=", 1]] },
    {
      op: "insert",
      table: "Logical_Switch",
      row: { name: `ls${next}`, external_ids: ["map", [["nb_cfg", String(next)]]] },
    },
    ...(durable ? [{ op: "commit", durable: true }] : []),
  ];
}

function failedOp(results: Json[]): Json | undefined {
  return results.find((r) => r !== null && typeof r === "object" && !Array.isArray(r) && "error" in r);
}

/**
 * Commits one transaction after another from `start` until the connection dies. Only a reply with no
 * error counts as acknowledged; a reply that never came (the kill) proves nothing either way.
 */
async function writeUntilKilled(
  c: RpcClient,
  start: number,
  acked: Acked,
  seq: { n: number },
): Promise<void> {
  let k = start;
  for (;;) {
    const durable = seq.n++ % 3 === 0;
    let results: Json[];
    try {
      results = await c.transact(NB, ...switchOps(k, durable));
    } catch {
      return; // connection gone: the server was killed
    }
    const bad = failedOp(results);
    if (bad !== undefined) throw new Error(`transaction ${k}→${k + 1} failed: ${JSON.stringify(results)}`);
    k += 1;
    acked.last = k;
    acked.total += 1;
    if (durable) acked.durable += 1;
  }
}

/** Reads the contents from a select result pair (NB_Global, Logical_Switch). */
function contentsOf(results: Json[]): Contents {
  const rowsOf = (r: Json | undefined): Record<string, Json>[] =>
    (r as { rows: Record<string, Json>[] } | undefined)?.rows ?? [];
  const globals = rowsOf(results[0]);
  assert.equal(globals.length, 1, `exactly one NB_Global row: ${JSON.stringify(globals)}`);
  const switches = rowsOf(results[1]).map((row) => {
    const ids = new Map((row.external_ids as ["map", [string, string][]])[1]);
    return { name: row.name as string, cfg: Number(ids.get("nb_cfg")) };
  });
  return { nbCfg: globals[0]?.nb_cfg as number, switches };
}

const READ_OPS: Json[] = [
  { op: "select", table: "NB_Global", where: [], columns: ["nb_cfg"] },
  { op: "select", table: "Logical_Switch", where: [], columns: ["name", "external_ids"] },
];

/** Every acknowledged transaction is there, and every transaction there is whole. */
function checkInvariants(where: string, got: Contents, acked: Acked): void {
  assert.ok(
    got.nbCfg >= acked.last,
    `${where}: nb_cfg ${got.nbCfg} is below the last acknowledged value ${acked.last}`,
  );
  // Each bump has its switch and each switch its bump: the recorded values are exactly 1..nb_cfg.
  const cfgs = got.switches.map((s) => s.cfg).sort((a, b) => a - b);
  const expected = Array.from({ length: got.nbCfg }, (_, i) => i + 1);
  if (cfgs.length !== expected.length || cfgs.some((v, i) => v !== expected[i])) {
    const have = new Set(cfgs);
    const missing = expected.filter((v) => !have.has(v)).slice(0, 10);
    const extra = cfgs.filter((v) => v < 1 || v > got.nbCfg).slice(0, 10);
    assert.fail(
      `${where}: half-applied or lost transactions: nb_cfg=${got.nbCfg}, ${cfgs.length} switches; ` +
        `switches missing for bumps ${JSON.stringify(missing)}; switches without a bump ${JSON.stringify(extra)}`,
    );
  }
  for (const s of got.switches)
    assert.equal(s.name, `ls${s.cfg}`, `${where}: switch name matches its nb_cfg`);
}

/** The file as it is on disk, read by the real tools. */
async function checkWithRealTools(sb: Sandbox, file: string, acked: Acked, round: number): Promise<void> {
  const log = await run("ovsdb-tool", ["show-log", file], { env: sb.env });
  assert.equal(log.code, 0, `round ${round}: ovsdb-tool show-log failed:\n${log.stderr}`);
  assert.match(log.stdout, /^record 0:/, `round ${round}: show-log prints the schema record`);
  const out = await runOk("ovsdb-tool", ["query", file, JSON.stringify([NB, ...READ_OPS])], { env: sb.env });
  checkInvariants(`round ${round}, ovsdb-tool query`, contentsOf(JSON.parse(out) as Json[]), acked);
}

/** Spins (without sleeping, to react within microseconds) until "<file>.tmp" exists or time is up. */
async function tempFileAppears(file: string, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (existsSync(`${file}.tmp`)) return true;
    await new Promise((r) => setImmediate(r));
  }
  return false;
}

async function readThroughServer(db: DbServer): Promise<Contents> {
  const c = await RpcClient.open(db.remote);
  try {
    return contentsOf(await c.transact(NB, ...READ_OPS));
  } finally {
    c.close();
  }
}

// The checker must be able to fail: lost, half-applied and duplicated transactions are each caught.
test("crash invariants reject lost and half-applied transactions", () => {
  const sw = (...cfgs: number[]) => cfgs.map((cfg) => ({ name: `ls${cfg}`, cfg }));
  const acked: Acked = { last: 3, durable: 0, total: 3 };
  checkInvariants("whole", { nbCfg: 4, switches: sw(1, 2, 3, 4) }, acked);
  assert.throws(() => checkInvariants("acked lost", { nbCfg: 2, switches: sw(1, 2) }, acked), /below/);
  assert.throws(
    () => checkInvariants("bump alone", { nbCfg: 4, switches: sw(1, 2, 3) }, acked),
    /missing for bumps \[4\]/,
  );
  assert.throws(
    () => checkInvariants("switch alone", { nbCfg: 3, switches: sw(1, 2, 3, 4) }, acked),
    /without a bump \[4\]/,
  );
  assert.throws(
    () => checkInvariants("twice", { nbCfg: 3, switches: sw(1, 2, 2) }, acked),
    /missing for bumps \[3\]/,
  );
  assert.throws(
    () => checkInvariants("renamed", { nbCfg: 3, switches: [...sw(1, 2), { name: "x", cfg: 3 }] }, acked),
    /name matches/,
  );
});

test(
  "[ovnts] ovsdb-server: SIGKILL at random moments, also during compaction, loses no acknowledged transaction",
  {
    timeout: 90_000,
  },
  (t) =>
    withSandbox(async (sb) => {
      const seed = Number(process.env.OVNTS_CRASH_SEED ?? "20230303");
      const rand = rng(seed);
      t.diagnostic(`kill schedule seed ${seed} (replay with OVNTS_CRASH_SEED=${seed})`);
      const acked: Acked = { last: 0, durable: 0, total: 0 };
      const seq = { n: 0 };
      let midCompaction = 0;

      let db = await startDbServer(sb, { impl: "ovnts", name: "nb", schemas: ["ovn-nb"] });
      const file = db.dbFiles["ovn-nb"] as string;
      {
        const c = await RpcClient.open(db.remote);
        const r = await c.transact(NB, { op: "insert", table: "NB_Global", row: { nb_cfg: 0 } });
        c.close();
        assert.equal(failedOp(r), undefined, JSON.stringify(r));
      }

      for (let round = 0; round < ROUNDS; round++) {
        const before = await readThroughServer(db);
        checkInvariants(`round ${round}, restarted server`, before, acked);

        const writer = await RpcClient.open(db.remote);
        const ackedBefore = acked.total;
        const writing = writeUntilKilled(writer, before.nbCfg, acked, seq);
        // Some progress first, so every round has acknowledged transactions at stake; then a random moment.
        await waitUntil(() => acked.total >= ackedBefore + 3, 10_000, {
          what: `round ${round}: first acknowledged transactions`,
        });
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 60)));
        if (round % 2 === 1) {
          // Not awaited: the kill is meant to land while the server is rewriting the file. Every other such
          // round kills the moment the compaction's temp file appears (its write and fsync are under way);
          // the others a few milliseconds after asking, wherever that falls.
          void run("ovs-appctl", ["-t", db.ctlPath, "ovsdb-server/compact"], {
            env: sb.env,
            timeoutMs: 5000,
          });
          // The limit is generous: on a loaded machine ovs-appctl itself can take hundreds of milliseconds to start.
          if (round % 4 === 1) await tempFileAppears(file, 3000);
          else await new Promise((r) => setTimeout(r, 2 + Math.floor(rand() * 20)));
        }
        db.kill("SIGKILL");
        const exit = await db.daemon.exited;
        assert.equal(exit.signal, "SIGKILL", `round ${round}: the server died of the kill, not before it`);
        await writing;
        writer.close();
        if (existsSync(`${file}.tmp`)) midCompaction += 1;

        await checkWithRealTools(sb, file, acked, round);
        db = await startDbServer(sb, { impl: "ovnts", name: "nb", schemas: ["ovn-nb"] });
      }

      const final = await readThroughServer(db);
      checkInvariants("after the last restart", final, acked);
      assert.ok(acked.durable > 0, "some acknowledged transactions were durable commits");
      assert.ok(midCompaction > 0, "at least one kill landed while a compaction was writing its file");
      const compactions = (readFileSync(db.logPath, "utf8").match(/compacted database/g) ?? []).length;
      t.diagnostic(
        `${acked.total} acknowledged transactions (${acked.durable} durable), final nb_cfg ${final.nbCfg}, ` +
          `${compactions} compactions completed, ${midCompaction} kills left a compaction temp file, ` +
          `db file ${statSync(file).size} bytes`,
      );
      await db.stop();
    }),
);
