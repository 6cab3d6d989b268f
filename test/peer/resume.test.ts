// monitor_cond_since (ovsdb-server(7) §4.1.15): a client that reconnects with the last transaction id it
// saw gets found=true and only what changed since; an unknown id (made up, or from before a restart)
// gets found=false and every row. Seen through a bare JSON-RPC client, so the test checks exactly what
// the server sent, and through the real `ovsdb-client monitor-cond-since`, the C client library's resume.
//
// The resume tests are ovnts only: the C server keeps no transaction history for a standalone database
// (it always answers found=false). The "unknown id" answers are checked against both servers.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type DbServer,
  type Impl,
  implementations,
  runOk,
  type Sandbox,
  startDbServer,
  waitUntil,
  withSandbox,
} from "../support/sandbox.js";
import { type Json, RpcClient, withClient } from "./rpc-client.js";

const NB = "OVN_Northbound";
const ZERO = "00000000-0000-0000-0000-000000000000";
const MADE_UP = "11111111-2222-3333-4444-555555555555";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SWITCHES = { Logical_Switch: [{ columns: ["name", "external_ids"] }] };

type Reply = [found: boolean, lastTxnId: string, updates: Record<string, Record<string, Json>>];

function startNb(sb: Sandbox, impl: Impl): Promise<DbServer> {
  return startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
}

async function since(remote: string, lastTxnId: string, monId: Json = "m"): Promise<Reply> {
  return withClient(remote, async (c) => sinceOn(c, lastTxnId, monId));
}

async function sinceOn(c: RpcClient, lastTxnId: string, monId: Json = "m"): Promise<Reply> {
  const r = await c.request("monitor_cond_since", [NB, monId, SWITCHES, lastTxnId]);
  assert.ok(
    Array.isArray(r) && r.length === 3,
    `reply is [found, last-txn-id, updates]: ${JSON.stringify(r)}`,
  );
  return r as Reply;
}

/** Runs one transaction; fails on any operation error; returns the operation results. */
async function commit(remote: string, ...ops: Json[]): Promise<Json[]> {
  return withClient(remote, async (c) => {
    const results = await c.transact(NB, ...ops);
    const bad = results.find((r) => r !== null && typeof r === "object" && !Array.isArray(r) && "error" in r);
    assert.equal(bad, undefined, `transaction failed: ${JSON.stringify(results)}`);
    return results;
  });
}

function uuidOf(result: Json | undefined): string {
  return ((result as { uuid: [string, string] }).uuid as [string, string])[1];
}

const byName = (name: string): Json => [["name", "==", name]];
const ids = (...kv: [string, string][]): Json => ["map", kv];

for (const impl of implementations()) {
  test(`[${impl}] monitor_cond_since with an unknown id, also after a restart: found=false and every row`, () =>
    withSandbox(async (sb) => {
      let db = await startNb(sb, impl);
      const [r0, r1] = await commit(
        db.remote,
        { op: "insert", table: "Logical_Switch", row: { name: "sw0" } },
        { op: "insert", table: "Logical_Switch", row: { name: "sw1", external_ids: ids(["k", "v"]) } },
      );
      const all = {
        Logical_Switch: {
          [uuidOf(r0)]: { initial: { name: "sw0" } },
          [uuidOf(r1)]: { initial: { name: "sw1", external_ids: ids(["k", "v"]) } },
        },
      };
      const first = await since(db.remote, ZERO);
      assert.equal(first[0], false, "a zero id is never found");
      assert.deepEqual(first[2], all);
      const madeUp = await since(db.remote, MADE_UP);
      assert.equal(madeUp[0], false, "a made-up id is not found");
      assert.deepEqual(madeUp[2], all);

      // A restarted server has no history: the id a client held is unknown, and a fresh client (zero
      // id, as the C IDL sends on first connect) must get the rows read back from the file.
      await db.stop();
      db = await startNb(sb, impl);
      const old = await since(db.remote, first[1]);
      assert.equal(old[0], false, `an id from before the restart (${first[1]}) is unknown`);
      assert.deepEqual(old[2], all);
      const fresh = await since(db.remote, ZERO);
      assert.deepEqual(
        fresh,
        [false, fresh[1], all],
        "after a restart, a zero id gets found=false and every row loaded from the file",
      );
    }));
}

for (const impl of implementations()) {
  // The C IDL opens with monitor_cond_since and a zero id: this is what a wrong "found" does to it.
  test(`[${impl}] ovn-nbctl reads the rows of a restarted server`, () =>
    withSandbox(async (sb) => {
      let db = await startNb(sb, impl);
      await runOk("ovn-nbctl", [`--db=${db.remote}`, "ls-add", "sw0"], { env: sb.env, timeoutMs: 10_000 });
      await db.stop();
      db = await startNb(sb, impl);
      const out = await runOk("ovn-nbctl", [`--db=${db.remote}`, "--timeout=5", "ls-list"], {
        env: sb.env,
        timeoutMs: 10_000,
      });
      assert.match(out, /^[0-9a-f-]{36} \(sw0\)\n$/);
    }));
}

test("[ovnts] monitor_cond_since resumes from a last-txn-id with only the difference", () =>
  withSandbox(async (sb) => {
    const db = await startNb(sb, "ovnts");
    const [r0, r1, r2] = await commit(
      db.remote,
      { op: "insert", table: "Logical_Switch", row: { name: "sw0" } },
      { op: "insert", table: "Logical_Switch", row: { name: "sw1" } },
      { op: "insert", table: "Logical_Switch", row: { name: "sw2" } },
    );
    const [sw0, sw1, sw2] = [uuidOf(r0), uuidOf(r1), uuidOf(r2)];

    // A monitor that stays connected throughout: its update3 notifications carry the id of each commit.
    const live = await RpcClient.open(db.remote);
    try {
      const initial = await sinceOn(live, ZERO, ["live"]);
      assert.equal(initial[0], false);
      const L = initial[1];
      assert.match(L, UUID);
      assert.notEqual(L, ZERO, "a database with commits has a last transaction id");
      assert.deepEqual(initial[2], {
        Logical_Switch: {
          [sw0]: { initial: { name: "sw0" } },
          [sw1]: { initial: { name: "sw1" } },
          [sw2]: { initial: { name: "sw2" } },
        },
      });

      // Three commits while "the client" is away. sw3 is inserted then changed (one insert, final
      // values); sw4 is inserted then deleted (never seen at all); sw1 changes twice (one modify, net
      // difference); sw2 is deleted.
      const [r3, r4] = await commit(
        db.remote,
        { op: "insert", table: "Logical_Switch", row: { name: "sw3" } },
        { op: "insert", table: "Logical_Switch", row: { name: "sw4" } },
        {
          op: "update",
          table: "Logical_Switch",
          where: byName("sw1"),
          row: { external_ids: ids(["k", "v"]) },
        },
      );
      await commit(
        db.remote,
        {
          op: "update",
          table: "Logical_Switch",
          where: byName("sw3"),
          row: { external_ids: ids(["a", "b"]) },
        },
        {
          op: "update",
          table: "Logical_Switch",
          where: byName("sw1"),
          row: { external_ids: ids(["k", "v2"]) },
        },
      );
      await commit(
        db.remote,
        { op: "delete", table: "Logical_Switch", where: byName("sw2") },
        { op: "delete", table: "Logical_Switch", where: byName("sw4") },
      );
      const sw3 = uuidOf(r3);

      const updates = await waitUntil(
        () =>
          live.notifications.filter((n) => n.method === "update3").length >= 3 ? live.notifications : false,
        5000,
        { what: "three update3 notifications on the live monitor" },
      );
      const chain = updates.filter((n) => n.method === "update3").map((n) => n.params[1] as string);
      assert.equal(new Set([L, ...chain]).size, 4, `each commit has its own id: ${L} ${chain.join(" ")}`);
      for (const n of updates) assert.deepEqual(n.params[0], ["live"], "update3 carries the monitor id");
      const L3 = chain[2] as string;

      const resumed = await since(db.remote, L);
      assert.deepEqual(resumed, [
        true,
        L3,
        {
          Logical_Switch: {
            [sw3]: { insert: { name: "sw3", external_ids: ids(["a", "b"]) } },
            [sw1]: { modify: { external_ids: ids(["k", "v2"]) } },
            [sw2]: { delete: null },
          },
        },
      ]);

      // From the middle of the history: only the last commit, in which sw4 (known by then) goes too.
      assert.deepEqual(await since(db.remote, chain[1] as string), [
        true,
        L3,
        { Logical_Switch: { [sw2]: { delete: null }, [uuidOf(r4)]: { delete: null } } },
      ]);

      // Up to date: found, nothing to send, the same id back.
      assert.deepEqual(await since(db.remote, L3), [true, L3, {}]);

      // A resumed monitor goes on with update3 from there.
      const again = await RpcClient.open(db.remote);
      try {
        assert.equal((await sinceOn(again, L3, "again"))[0], true);
        const [r5] = await commit(db.remote, { op: "insert", table: "Logical_Switch", row: { name: "sw5" } });
        const n = await again.waitForNotification((x) => x.method === "update3");
        assert.equal(n.params[0], "again");
        assert.match(n.params[1] as string, UUID);
        assert.notEqual(n.params[1], L3);
        assert.deepEqual(n.params[2], { Logical_Switch: { [uuidOf(r5)]: { insert: { name: "sw5" } } } });
      } finally {
        again.close();
      }

      // A made-up id: everything, as initial rows.
      const unknown = await since(db.remote, MADE_UP);
      assert.equal(unknown[0], false);
      assert.deepEqual(Object.keys(unknown[2].Logical_Switch ?? {}).length, 4);
      for (const row of Object.values(unknown[2].Logical_Switch ?? {}))
        assert.ok(typeof row === "object" && row !== null && "initial" in row, JSON.stringify(row));
    } finally {
      live.close();
    }
  }));

test("[ovnts] the real ovsdb-client monitor-cond-since resumes from a last id", () =>
  withSandbox(async (sb) => {
    const db = await startNb(sb, "ovnts");
    const [r0, r1] = await commit(
      db.remote,
      { op: "insert", table: "Logical_Switch", row: { name: "sw0" } },
      { op: "insert", table: "Logical_Switch", row: { name: "sw1" } },
    );
    const L = (await since(db.remote, ZERO))[1];
    const [r2] = await commit(
      db.remote,
      { op: "insert", table: "Logical_Switch", row: { name: "sw2" } },
      { op: "update", table: "Logical_Switch", where: byName("sw1"), row: { name: "sw1b" } },
      { op: "delete", table: "Logical_Switch", where: byName("sw0") },
    );
    const last = (await since(db.remote, ZERO))[1];

    const mon = sb.spawn({
      name: "monitor",
      cmd: "ovsdb-client",
      args: ["monitor-cond-since", db.remote, NB, L, "[true]", "Logical_Switch", "name"],
    });
    // The C client prints whether the id was found, then one line per changed row in hash order.
    const expected = [
      `found: true, last_id: ${last}`,
      "row                                  action name",
      "------------------------------------ ------ ----",
    ];
    const rows = [`${uuidOf(r0)} delete`, `${uuidOf(r1)} modify sw1b`, `${uuidOf(r2)} insert sw2`];
    const got = await waitUntil(
      () => {
        const out = mon
          .output()
          .split("\n")
          .map((l) => l.trimEnd())
          .filter((l) => l !== "");
        return out.length >= expected.length + rows.length ? out : false;
      },
      5000,
      { what: "ovsdb-client monitor-cond-since output", unless: () => mon.assertRunning() },
    );
    assert.deepEqual(got.slice(0, 3), expected, got.join("\n"));
    assert.deepEqual(got.slice(3).sort(), rows.sort(), got.join("\n"));
    await mon.stop();
  }));
