// The IDL against real database servers: the C ovsdb-server 3.1 and `ovnts ovsdb-server`, each started on a
// file made by the real `ovsdb-tool create`, with the real ovn-nbctl as the other client.
import assert from "node:assert/strict";
import { test } from "node:test";
import { schemaPath } from "../../../../test/support/paths.js";
import {
  implementations,
  nbctl,
  runOk,
  type Sandbox,
  startDbServer,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import type { Changes } from "../changes.js";
import { connectIdl } from "../connect.js";
import { type OvnNbTables, ovnNbModel } from "../generated/ovn-nb.js";
import type { Idl } from "../idl.js";

const WAIT_MS = 10_000;
const FAST = { minBackoffMs: 100, maxBackoffMs: 400 } as const;

function names(rows: readonly { name: string }[]): string[] {
  return rows.map((r) => r.name).sort();
}

function record(idl: Idl<OvnNbTables>): Changes<OvnNbTables>[] {
  const seen: Changes<OvnNbTables>[] = [];
  idl.onChange((c) => seen.push(c));
  return seen;
}

async function withIdl<R>(remote: string, fn: (idl: Idl<OvnNbTables>) => Promise<R>): Promise<R> {
  const idl = connectIdl(ovnNbModel, remote, FAST);
  try {
    await idl.waitUntil(() => idl.isSynced, WAIT_MS);
    return await fn(idl);
  } finally {
    idl.stop();
  }
}

/** Lists the switch's port names through ovn-nbctl, sorted. */
async function lspNames(sb: Sandbox, sw: string): Promise<string[]> {
  return (await nbctl(sb, "lsp-list", sw))
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (l.match(/\((.*)\)/)?.[1] ?? l).trim())
    .sort();
}

for (const impl of implementations()) {
  test(`[${impl}] initial sync, then updates both ways with ovn-nbctl`, () =>
    withSandbox(async (sb) => {
      const db = await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
      await nbctl(sb, "ls-add", "sw0", "--", "lsp-add", "sw0", "p0");
      await withIdl(db.remote, async (idl) => {
        assert.equal(idl.monitorMethod, "monitor_cond_since");
        assert.deepEqual(names(idl.rows("Logical_Switch")), ["sw0"]);
        const p0 = idl.index("Logical_Switch_Port", "name").first("p0");
        assert.deepEqual(idl.first("Logical_Switch")?.ports, [p0?._uuid]);
        const seen = record(idl);

        await nbctl(
          sb,
          "lsp-add",
          "sw0",
          "p1",
          "--",
          "lsp-set-addresses",
          "p1",
          "00:00:00:00:00:01 10.0.0.1",
        );
        await idl.waitUntil(() => idl.count("Logical_Switch_Port") === 2, WAIT_MS);
        const all = seen.flatMap((c) => c.table("Logical_Switch_Port").inserted);
        assert.deepEqual(
          all.map((r) => [r.name, r.addresses]),
          [["p1", ["00:00:00:00:00:01 10.0.0.1"]]],
        );
        const mod = seen.flatMap((c) => c.table("Logical_Switch").modified);
        assert.deepEqual([...(mod[0]?.columns ?? [])], ["ports"]);

        const { value, result } = await idl.transact((txn) => {
          const sw = idl.first("Logical_Switch") ?? assert.fail("no switch");
          const p = txn.insert("Logical_Switch_Port", {
            name: "from-idl",
            options: new Map([["requested-chassis", "hv1"]]),
            tag: 42,
          });
          txn.mutate("Logical_Switch", sw._uuid, "ports", "insert", p);
          return p;
        });
        const lsp = idl.get("Logical_Switch_Port", result.uuid(value));
        assert.equal(lsp?.tag, 42);
        assert.deepEqual(await lspNames(sb, "sw0"), ["from-idl", "p0", "p1"]);
        assert.equal(
          (await nbctl(sb, "get", "Logical_Switch_Port", "from-idl", "options:requested-chassis")).trim(),
          "hv1",
        );

        await nbctl(sb, "ls-del", "sw0");
        await idl.waitUntil(() => idl.count("Logical_Switch") === 0, WAIT_MS);
        assert.equal(idl.count("Logical_Switch_Port"), 0, "garbage collected with their switch");
      });
    }));

  test(`[${impl}] server restarted mid-stream: the IDL reconnects and reports exactly what changed`, () =>
    withSandbox(async (sb) => {
      let db = await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
      await nbctl(sb, "ls-add", "a", "--", "ls-add", "b");
      await withIdl(db.remote, async (idl) => {
        const seen = record(idl);
        const keep = idl.rows("Logical_Switch").find((r) => r.name === "a");
        // Killed, as in a crash (ovnts also takes a while to exit on SIGTERM with clients connected).
        db.kill("SIGKILL");
        await db.daemon.exited;
        await idl.waitUntil(() => !idl.isSynced, WAIT_MS);
        // While the server is down, change its file with the real ovsdb-tool.
        const file = db.dbFiles["ovn-nb"] as string;
        const ops = [
          "OVN_Northbound",
          { op: "insert", table: "Logical_Switch", row: { name: "c" } },
          { op: "delete", table: "Logical_Switch", where: [["name", "==", "b"]] },
        ];
        // (ovnts holds its file lock through a helper process, which takes a moment to notice the kill.)
        await waitUntil(
          () => runOk("ovsdb-tool", ["transact", file, JSON.stringify(ops)], { env: sb.env }),
          WAIT_MS,
          {
            what: "ovsdb-tool to get the database file",
          },
        );
        db = await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
        await idl.waitUntil(() => idl.isSynced, WAIT_MS);
        assert.deepEqual(names(idl.rows("Logical_Switch")), ["a", "c"]);
        assert.equal(seen.length, 1);
        const ch = seen[0]?.table("Logical_Switch");
        assert.deepEqual(names(ch?.inserted ?? []), ["c"]);
        assert.deepEqual(names(ch?.deleted ?? []), ["b"]);
        assert.equal(ch?.modified.length, 0);
        assert.equal(
          idl.rows("Logical_Switch").find((r) => r.name === "a"),
          keep,
        );
        // And the stream goes on, both ways.
        const { value, result } = await idl.transact((txn) => txn.insert("Logical_Switch", { name: "d" }));
        assert.equal(idl.get("Logical_Switch", result.uuid(value))?.name, "d");
        assert.deepEqual(
          (await nbctl(sb, "--columns=name", "--bare", "list", "Logical_Switch"))
            .split(/\s+/)
            .filter((x) => x)
            .sort(),
          ["a", "c", "d"],
        );
        await nbctl(sb, "ls-add", "e");
        await idl.waitUntil(() => idl.count("Logical_Switch") === 4, WAIT_MS);
      });
    }));

  test(`[${impl}] conditional monitoring: rows enter and leave as the condition changes`, () =>
    withSandbox(async (sb) => {
      const db = await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
      await nbctl(sb, "ls-add", "a", "--", "ls-add", "b", "--", "ls-add", "c");
      const idl = connectIdl(ovnNbModel, db.remote, {
        ...FAST,
        monitor: { Logical_Switch: ["name", "ports"] },
      });
      try {
        await idl.setCondition("Logical_Switch", [["name", "==", "a"]]);
        assert.deepEqual(names(idl.rows("Logical_Switch")), ["a"]);
        const seen = record(idl);
        await idl.setCondition("Logical_Switch", [
          ["name", "==", "b"],
          ["name", "==", "c"],
        ]);
        assert.deepEqual(names(idl.rows("Logical_Switch")), ["b", "c"]);
        assert.deepEqual(names(seen.flatMap((c) => c.table("Logical_Switch").deleted)), ["a"]);
        assert.deepEqual(names(seen.flatMap((c) => c.table("Logical_Switch").inserted)), ["b", "c"]);
        // New rows follow the condition too.
        await nbctl(sb, "ls-add", "c2");
        await nbctl(sb, "lsp-add", "b", "pb");
        await idl.waitUntil(() => idl.rows("Logical_Switch").some((r) => r.ports.length === 1), WAIT_MS);
        assert.deepEqual(names(idl.rows("Logical_Switch")), ["b", "c"]);
        await idl.setCondition("Logical_Switch", []);
        assert.equal(idl.count("Logical_Switch"), 0);
        await idl.setCondition("Logical_Switch", undefined);
        assert.deepEqual(names(idl.rows("Logical_Switch")), ["a", "b", "c", "c2"]);
      } finally {
        idl.stop();
      }
    }));

  test(`[${impl}] two clients racing on one row with verify: the loser re-runs and both changes stay`, () =>
    withSandbox(async (sb) => {
      const db = await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
      await nbctl(sb, "ls-add", "sw0");
      await withIdl(db.remote, (a) =>
        withIdl(db.remote, async (b) => {
          const runs: string[] = [];
          const addPort = (idl: Idl<OvnNbTables>, who: string, race?: () => Promise<unknown>) =>
            idl.transact(async (txn) => {
              runs.push(who);
              const sw = idl.first("Logical_Switch") ?? assert.fail("no switch");
              txn.verify("Logical_Switch", sw, ["ports"]);
              const p = txn.insert("Logical_Switch_Port", { name: `from-${who}` });
              txn.update("Logical_Switch", sw._uuid, { ports: [...sw.ports, p] });
              if (race !== undefined && runs.length === 1) await race();
            });
          await addPort(a, "a", () => addPort(b, "b"));
          assert.deepEqual(runs, ["a", "b", "a"]);
          assert.deepEqual(await lspNames(sb, "sw0"), ["from-a", "from-b"]);
          await b.waitUntil(() => b.first("Logical_Switch")?.ports.length === 2, WAIT_MS);
        }),
      );
    }));
}

test("[c] clustered database: after a restart the IDL resumes from its last transaction id", () =>
  withSandbox(async (sb) => {
    if (!implementations().includes("c")) return;
    // A one-server cluster: its transaction ids survive a restart, so monitor_cond_since can resume.
    const file = sb.path("nb-ovn-nb.db");
    await runOk(
      "ovsdb-tool",
      ["create-cluster", file, schemaPath("ovn-nb"), `unix:${sb.path("raft.sock")}`],
      {
        env: sb.env,
      },
    );
    let db = await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    await nbctl(sb, "ls-add", "a");
    await withIdl(db.remote, async (idl) => {
      assert.notEqual(idl.lastTxnId, "00000000-0000-0000-0000-000000000000");
      const seen = record(idl);
      await db.stop();
      await idl.waitUntil(() => !idl.isSynced, WAIT_MS);
      db = await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
      await idl.waitUntil(() => idl.isSynced, WAIT_MS);
      await nbctl(sb, "ls-add", "b");
      await idl.waitUntil(() => idl.count("Logical_Switch") === 2, WAIT_MS);
      assert.equal(
        seen.some((c) => c.resync),
        false,
        "resumed: no full reload",
      );
    });
  }));
