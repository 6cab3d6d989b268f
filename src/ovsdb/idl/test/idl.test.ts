// The IDL against the real server core over in-memory pipes, with a manual clock.
import assert from "node:assert/strict";
import { test } from "node:test";
import { configureLog } from "../../../base/log.js";
import { loadSchemaJson } from "../../../base/schemas.js";
import { ZERO_UUID } from "../../../base/uuid.js";
import type { Changes } from "../changes.js";
import { type OvnNbTables, ovnNbModel } from "../generated/ovn-nb.js";
import { Idl, type IdlOptions } from "../idl.js";
import { bumpNbCfg } from "../nb-cfg.js";
import { TxnError } from "../txn.js";
import { MemServer, settle, until } from "./mem-server.js";

const NB = "OVN_Northbound";

function newIdl(ms: MemServer, over: Partial<IdlOptions<OvnNbTables>> = {}): Idl<OvnNbTables> {
  return new Idl(ovnNbModel, { remotes: ["unix:/db.sock"], dial: ms.dial, clock: ms.clock, ...over });
}

async function started(
  ms: MemServer,
  over: Partial<IdlOptions<OvnNbTables>> = {},
): Promise<Idl<OvnNbTables>> {
  const idl = newIdl(ms, over);
  idl.start();
  await until(ms.clock, () => idl.isSynced, "the IDL to sync");
  return idl;
}

function methods(ms: MemServer, from = 0): string[] {
  return ms.requests.slice(from).map((r) => r.split(" ")[1] as string);
}

function names<R extends { name: string }>(rows: readonly R[]): string[] {
  return rows.map((r) => r.name).sort();
}

test("initial sync follows _Server first, then monitors with monitor_cond_since", async () => {
  const ms = new MemServer(["ovn-nb"]);
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "sw0" } });
  const idl = newIdl(ms);
  const seen: Changes<OvnNbTables>[] = [];
  idl.onChange((c) => seen.push(c));
  idl.start();
  await until(ms.clock, () => idl.isSynced, "sync");
  assert.deepEqual(methods(ms).slice(1), [
    "get_schema",
    "monitor_cond",
    "set_db_change_aware",
    "monitor_cond_since",
  ]);
  const serverMon = ms.received.find((r) => r.method === "monitor_cond");
  assert.deepEqual(serverMon?.params, [
    "_Server",
    ["monid", "_Server"],
    { Database: [{ columns: ["name", "model", "connected", "leader", "schema", "cid", "index"] }] },
  ]);
  const mon = ms.received.find((r) => r.method === "monitor_cond_since");
  assert.equal(mon?.params[0], NB);
  assert.deepEqual(mon?.params[1], ["monid", NB]);
  assert.equal(mon?.params[3], ZERO_UUID);
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["sw0"]);
  assert.equal(idl.monitorMethod, "monitor_cond_since");
  assert.notEqual(idl.lastTxnId, ZERO_UUID);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.resync, true);
  assert.deepEqual(names(seen[0]?.table("Logical_Switch").inserted ?? []), ["sw0"]);
  idl.stop();
  await settle();
  assert.equal(ms.connectionCount, 0);
});

test("updates from other clients arrive as changes; indexes and trackers follow", async () => {
  const ms = new MemServer(["ovn-nb"]);
  const idl = await started(ms);
  const byName = idl.index("Logical_Switch_Port", "name");
  const tracker = idl.trackChanges();
  const seen: Changes<OvnNbTables>[] = [];
  idl.onChange((c) => seen.push(c));
  await ms.transact(
    NB,
    { op: "insert", table: "Logical_Switch_Port", row: { name: "p1" }, "uuid-name": "p" },
    { op: "insert", table: "Logical_Switch", row: { name: "sw0", ports: ["named-uuid", "p"] } },
  );
  await settle();
  assert.equal(seen.length, 1);
  const p1 = byName.first("p1");
  assert.ok(p1 !== undefined);
  assert.deepEqual(idl.first("Logical_Switch")?.ports, [p1._uuid]);
  const lsUuid = idl.first("Logical_Switch")?._uuid as string;

  await ms.transact(NB, {
    op: "update",
    table: "Logical_Switch_Port",
    where: [["name", "==", "p1"]],
    row: { name: "p1b", addresses: ["set", ["router"]] },
  });
  await settle();
  const m = seen[1]?.table("Logical_Switch_Port").modified[0];
  assert.deepEqual([...(m?.columns ?? [])].sort(), ["addresses", "name"]);
  assert.equal(m?.old.name, "p1");
  assert.equal(byName.first("p1"), undefined);
  assert.equal(byName.first("p1b")?._uuid, p1._uuid);

  await ms.transact(NB, { op: "delete", table: "Logical_Switch", where: [] });
  await settle();
  // The port went with its switch (garbage collected: it is not a root table).
  assert.equal(idl.count("Logical_Switch_Port"), 0);
  assert.equal(idl.get("Logical_Switch", lsUuid), undefined);
  assert.equal(byName.size, 0);

  const all = tracker.take();
  assert.equal(all.has("Logical_Switch"), false, "inserted then deleted: nothing to report");
  assert.equal(all.has("Logical_Switch_Port"), false);
  assert.equal(tracker.pending, false);
  idl.stop();
});

test("transactions: inserted uuids come back, and the replica has the rows when commit resolves", async () => {
  const ms = new MemServer(["ovn-nb"]);
  const idl = await started(ms);
  const { value, result } = await idl.transact((txn) => {
    const p = txn.insert("Logical_Switch_Port", { name: "lp", externalIds: new Map([["k", "v"]]) });
    const ls = txn.insert("Logical_Switch", { name: "ls", ports: [p] });
    return { p, ls };
  });
  const ls = idl.get("Logical_Switch", result.uuid(value.ls));
  assert.equal(ls?.name, "ls");
  assert.deepEqual(ls?.ports, [result.uuid(value.p)]);
  assert.deepEqual(idl.get("Logical_Switch_Port", result.uuid(value.p))?.externalIds, new Map([["k", "v"]]));

  await idl.transact((txn) => {
    const row = idl.first("Logical_Switch");
    assert.ok(row !== undefined);
    txn.mutate("Logical_Switch", row._uuid, "otherConfig", "insert", new Map([["a", "1"]]));
    txn.update("Logical_Switch", row._uuid, { name: "renamed" });
  });
  assert.equal(idl.first("Logical_Switch")?.name, "renamed");
  assert.deepEqual(idl.first("Logical_Switch")?.otherConfig, new Map([["a", "1"]]));

  // A refused transaction is an error, not a retry, logged as the C IDL does (JSON, keys sorted).
  const lines: string[] = [];
  configureLog({ sinks: [(l) => lines.push(l)], level: "WARN" });
  await assert.rejects(
    idl.transact((txn) => {
      txn.insert("Logical_Switch_Port", { name: "orphan" }); // not referenced from a root row: fine
      txn.insert("Logical_Switch", {
        name: "x",
        ports: [ls?.ports[0] as never, "00000000-0000-0000-0000-0000000000aa" as never],
      });
    }),
    (e: unknown) => e instanceof TxnError && e.tag === "referential integrity violation",
  );
  configureLog({ sinks: [] });
  const logged = lines.find((l) => l.includes("transaction error: "));
  assert.ok(logged?.includes("|ovsdb_idl|WARN|"), logged);
  assert.match(
    logged ?? "",
    /transaction error: \{"details":".*","error":"referential integrity violation"\}$/,
  );
  idl.stop();
});

test("conflicting transactions: a failed verify re-runs the function on the new replica", async () => {
  const ms = new MemServer(["ovn-nb"]);
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "sw0" } });
  const a = await started(ms);
  const b = await started(ms);
  let attempts = 0;
  const addPort = (idl: Idl<OvnNbTables>, name: string, race?: () => Promise<unknown>) =>
    idl.transact(async (txn) => {
      attempts += 1;
      const sw = idl.first("Logical_Switch");
      assert.ok(sw !== undefined);
      txn.verify("Logical_Switch", sw, ["ports"]);
      const p = txn.insert("Logical_Switch_Port", { name });
      txn.update("Logical_Switch", sw._uuid, { ports: [...sw.ports, p] });
      if (race !== undefined && attempts === 1) await race();
    });
  // While A builds its transaction, B adds a port to the same switch: A's verify of "ports" fails.
  await addPort(a, "from-a", () => addPort(b, "from-b"));
  assert.equal(attempts, 3, "A, B, then A again");
  await until(ms.clock, () => b.first("Logical_Switch")?.ports.length === 2, "B to see both ports");
  const ports = a.first("Logical_Switch")?.ports ?? [];
  assert.deepEqual(names(ports.map((p) => a.get("Logical_Switch_Port", p) ?? assert.fail())), [
    "from-a",
    "from-b",
  ]);
  a.stop();
  b.stop();
});

test("falls back to monitor_cond, then monitor, when the server does not know the newer methods", async () => {
  for (const unknown of [["monitor_cond_since"], ["monitor_cond_since", "monitor_cond"]]) {
    const ms = new MemServer(["ovn-nb"]);
    ms.intercept = (req) => (unknown.includes(req.method) ? { error: "unknown method" } : undefined);
    await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "sw0" } });
    const idl = await started(ms);
    const expected = unknown.length === 1 ? "monitor_cond" : "monitor";
    assert.equal(idl.monitorMethod, expected);
    assert.deepEqual(names(idl.rows("Logical_Switch")), ["sw0"]);
    await ms.transact(NB, { op: "update", table: "Logical_Switch", where: [], row: { name: "sw1" } });
    await settle();
    assert.deepEqual(names(idl.rows("Logical_Switch")), ["sw1"]);
    // Conditions need monitor_cond: with plain monitor every row stays.
    await idl.setCondition("Logical_Switch", [["name", "==", "nope"]]);
    await settle();
    assert.equal(idl.count("Logical_Switch"), expected === "monitor" ? 1 : 0);
    idl.stop();
  }
});

test("conditional monitoring: initial condition, changes, rows entering and leaving", async () => {
  const ms = new MemServer(["ovn-nb"]);
  for (const name of ["a", "b", "c"])
    await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name } });
  const idl = newIdl(ms, { monitor: { Logical_Switch: ["name"], NB_Global: true } });
  const before = idl.setCondition("Logical_Switch", [["name", "==", "a"]]);
  idl.start();
  await until(ms.clock, () => idl.isSynced, "sync");
  await before;
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["a"]);
  const mon = ms.received.find((r) => r.method === "monitor_cond_since");
  assert.deepEqual(mon?.params[2], {
    NB_Global: [{ columns: ovnNbModel.tables.get("NB_Global")?.columns.map((c) => c.name) ?? [] }],
    Logical_Switch: [{ columns: ["name"], where: [["name", "==", "a"]] }],
  });

  const seen: Changes<OvnNbTables>[] = [];
  idl.onChange((c) => seen.push(c));
  await idl.setCondition("Logical_Switch", [
    ["name", "==", "b"],
    ["name", "==", "c"],
  ]);
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["b", "c"]);
  assert.equal(seen.length, 1, "the update arrived before the reply");
  assert.deepEqual(names(seen[0]?.table("Logical_Switch").inserted ?? []), ["b", "c"]);
  assert.deepEqual(names(seen[0]?.table("Logical_Switch").deleted ?? []), ["a"]);
  const change = ms.received.find((r) => r.method === "monitor_cond_change");
  assert.deepEqual(change?.params, [
    ["monid", NB],
    ["monid", NB],
    {
      Logical_Switch: [
        {
          where: [
            ["name", "==", "b"],
            ["name", "==", "c"],
          ],
        },
      ],
    },
  ]);

  // Several changes in a row: the last one wins, each resolves.
  const p1 = idl.setCondition("Logical_Switch", []);
  const p2 = idl.setCondition("Logical_Switch", undefined);
  await Promise.all([p1, p2]);
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["a", "b", "c"]);
  await idl.setCondition("Logical_Switch", []);
  assert.equal(idl.count("Logical_Switch"), 0);

  // A new row matching nothing stays out; columns not monitored keep their defaults.
  await ms.transact(NB, {
    op: "insert",
    table: "Logical_Switch",
    row: { name: "d", other_config: ["map", [["x", "y"]]] },
  });
  await idl.setCondition("Logical_Switch", [["name", "==", "d"]]);
  assert.deepEqual(idl.first("Logical_Switch")?.otherConfig, new Map());
  idl.stop();
});

test("reconnect resumes with monitor_cond_since and the last transaction id", async () => {
  const ms = new MemServer(["ovn-nb"]);
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "a" } });
  const idl = await started(ms);
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "b" } });
  await settle();
  const lastId = idl.lastTxnId;
  const keep = idl.rows("Logical_Switch").find((r) => r.name === "a");
  const seen: Changes<OvnNbTables>[] = [];
  idl.onChange((c) => seen.push(c));

  const from = ms.requests.length;
  ms.dropAll();
  await settle();
  assert.equal(idl.isSynced, false);
  // Changed while we are away.
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "c" } });
  await ms.transact(NB, { op: "delete", table: "Logical_Switch", where: [["name", "==", "b"]] });
  await until(ms.clock, () => idl.isSynced, "resync");
  const resume = ms.received.filter((r) => r.method === "monitor_cond_since").at(-1);
  assert.equal(resume?.params[3], lastId);
  assert.ok(methods(ms, from).includes("monitor_cond_since"));
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["a", "c"]);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.resync, false, "resumed, not reloaded");
  assert.deepEqual(names(seen[0]?.table("Logical_Switch").inserted ?? []), ["c"]);
  assert.deepEqual(names(seen[0]?.table("Logical_Switch").deleted ?? []), ["b"]);
  assert.equal(
    idl.rows("Logical_Switch").find((r) => r.name === "a"),
    keep,
    "untouched rows keep their objects",
  );

  // A server that lost its history (restarted): found=false, full reload, still exact changes.
  ms.server.dbs.get(NB)?.resetHistory();
  await ms.transact(NB, {
    op: "update",
    table: "Logical_Switch",
    where: [["name", "==", "c"]],
    row: { name: "c2" },
  });
  await settle();
  ms.dropAll();
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "e" } });
  ms.server.dbs.get(NB)?.resetHistory();
  await until(ms.clock, () => idl.isSynced, "second resync");
  const last = seen.at(-1);
  assert.equal(last?.resync, true);
  assert.deepEqual(names(last?.table("Logical_Switch").inserted ?? []), ["e"]);
  assert.equal(last?.table("Logical_Switch").deleted.length, 0);
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["a", "c2", "e"]);
  idl.stop();
});

test("a condition changed while disconnected makes the next monitor start afresh", async () => {
  const ms = new MemServer(["ovn-nb"]);
  for (const name of ["a", "b"])
    await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name } });
  const idl = await started(ms);
  ms.up.clear();
  ms.dropAll();
  await settle();
  const cond = idl.setCondition("Logical_Switch", [["name", "==", "b"]]);
  ms.up.add("unix:/db.sock");
  await until(ms.clock, () => idl.isSynced, "resync");
  await cond;
  const last = ms.received.filter((r) => r.method === "monitor_cond_since").at(-1);
  assert.equal(last?.params[3], ZERO_UUID);
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["b"]);
  idl.stop();
});

test("only a leader is accepted; a server that stops leading is left", async () => {
  const ms = new MemServer(["ovn-nb"]);
  ms.up.add("unix:/a.sock");
  ms.up.add("unix:/b.sock");
  const rowUuid = "5e4e4e4e-0000-0000-0000-000000000001";
  const schema = JSON.stringify(loadSchemaJson("ovn-nb"));
  ms.intercept = (req, remote) => {
    if (req.method !== "monitor_cond" || req.params[0] !== "_Server") return undefined;
    const leader = remote === "unix:/b.sock";
    const row = { name: NB, model: "clustered", connected: true, leader, schema, index: 5 };
    return { result: { Database: { [rowUuid]: { initial: row } } } };
  };
  const idl = newIdl(ms, { remotes: ["unix:/a.sock", "unix:/b.sock"] });
  idl.start();
  await until(ms.clock, () => idl.isSynced, "sync with the leader");
  assert.equal(idl.remote, "unix:/b.sock");
  assert.deepEqual(
    ms.requests.filter((r) => r.startsWith("unix:/a.sock")).map((r) => r.split(" ")[1]),
    ["get_schema", "monitor_cond"],
  );
  // The schema came from the Database row: no get_schema for the database itself.
  assert.equal(ms.received.filter((r) => r.method === "get_schema" && r.params[0] === NB).length, 0);

  const conn = ms.connectionsFrom("unix:/b.sock")[0];
  conn?.notify("update2", [["monid", "_Server"], { Database: { [rowUuid]: { modify: { leader: false } } } }]);
  await settle();
  assert.equal(conn?.closed, true, "left the server that stopped leading");
  // It tries the other server (not the leader either), then b again, which (here) leads again.
  await until(ms.clock, () => idl.isSynced, "resync");
  assert.equal(idl.remote, "unix:/b.sock");
  assert.equal(ms.requests.filter((r) => r === "unix:/a.sock monitor_cond").length, 2);

  // Without leaderOnly a follower will do.
  const relaxed = newIdl(ms, { remotes: ["unix:/a.sock"], leaderOnly: false });
  relaxed.start();
  await until(ms.clock, () => relaxed.isSynced, "sync with a follower");
  relaxed.stop();
  idl.stop();
});

test("a database that goes away is waited for; its return is a resync", async () => {
  const ms = new MemServer(["ovn-nb"]);
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "a" } });
  const idl = await started(ms);
  const seen: Changes<OvnNbTables>[] = [];
  idl.onChange((c) => seen.push(c));
  const sdb = ms.server.dbs.get(NB);
  ms.server.removeDb(NB);
  await until(ms.clock, () => !idl.isSynced, "the IDL to drop the server");
  ms.clock.advance(3000);
  await settle();
  assert.equal(idl.isSynced, false);
  ms.server.addDb(sdb?.schema ?? assert.fail(), undefined);
  await until(ms.clock, () => idl.isSynced, "resync");
  assert.equal(idl.count("Logical_Switch"), 0);
  assert.deepEqual(names(seen.at(-1)?.table("Logical_Switch").deleted ?? []), ["a"]);
  idl.stop();
});

test("a malformed update makes the IDL reconnect and reload everything", async () => {
  const ms = new MemServer(["ovn-nb"]);
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "a" } });
  const idl = await started(ms);
  const uuid = idl.first("Logical_Switch")?._uuid as string;
  ms.connectionsFrom("unix:/db.sock")[0]?.notify("update3", [
    ["monid", NB],
    ZERO_UUID,
    { Logical_Switch: { [uuid]: { modify: { name: ["set", [1, 2]] } } } },
  ]);
  await settle();
  assert.equal(idl.isSynced, false);
  assert.equal(idl.first("Logical_Switch")?.name, "a");
  await until(ms.clock, () => idl.isSynced, "resync");
  const last = ms.received.filter((r) => r.method === "monitor_cond_since").at(-1);
  assert.equal(last?.params[3], ZERO_UUID);
  idl.stop();
});

test("echo requests are answered and idle tcp connections are probed", async () => {
  const ms = new MemServer(["ovn-nb"]);
  const remote = "tcp:127.0.0.1:6641";
  ms.up.add(remote);
  const idl = await started(ms, { remotes: [remote] });
  const conn = ms.connectionsFrom(remote)[0] ?? assert.fail("no connection");
  assert.deepEqual(await conn.request("echo", ["ping", 1]), ["ping", 1]);
  const before = ms.requests.filter((r) => r === `${remote} echo`).length;
  ms.clock.advance(5000);
  await settle();
  assert.equal(ms.requests.filter((r) => r === `${remote} echo`).length, before + 1);
  assert.equal(idl.isSynced, true);
  idl.stop();
});

test("bumpNbCfg increments nb_cfg and waits for sb_cfg", async () => {
  const ms = new MemServer(["ovn-nb"]);
  const idl = await started(ms);
  assert.equal(await bumpNbCfg(idl, "none"), 1, "NB_Global is created when missing");
  let done: number | undefined;
  const p = bumpNbCfg(idl, "sb").then((n) => {
    done = n;
  });
  await until(ms.clock, () => idl.first("NB_Global")?.nbCfg === 2, "nb_cfg 2");
  assert.equal(done, undefined);
  await ms.transact(NB, { op: "update", table: "NB_Global", where: [], row: { sb_cfg: 2 } });
  await p;
  assert.equal(done, 2);
  // A timeout on the IDL's clock.
  const late = bumpNbCfg(idl, "hv", { timeoutMs: 1000 });
  await until(ms.clock, () => idl.first("NB_Global")?.nbCfg === 3, "nb_cfg 3");
  ms.clock.advance(1000);
  await assert.rejects(late, /not reached within 1000 ms/);
  idl.stop();
});

test("stop rejects waiters; a stopped IDL does not reconnect", async () => {
  const ms = new MemServer(["ovn-nb"]);
  const idl = await started(ms);
  const w = idl.waitUntil(() => false);
  idl.stop();
  await assert.rejects(w, /stopped/);
  await assert.rejects(idl.synced(), /stopped/);
  const n = ms.requests.length;
  ms.clock.advance(10_000);
  await settle();
  assert.equal(ms.requests.length, n);
});

test("updates right behind a monitor reply are applied after it, not lost", async () => {
  const ms = new MemServer(["ovn-nb"]);
  await ms.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "a" } });
  let n = 0;
  ms.after = (req) => {
    // A commit lands between the reply and the client's processing of it, for both monitors.
    if (req.method === "monitor_cond" || req.method === "monitor_cond_since")
      ms.transactNow(NB, { op: "insert", table: "Logical_Switch", row: { name: `late${n++}` } });
  };
  const idl = await started(ms);
  assert.deepEqual(names(idl.rows("Logical_Switch")), ["a", "late0", "late1"]);
  idl.stop();
});

test("conditions of several tables set in one go are sent in one monitor_cond_change", async () => {
  const ms = new MemServer(["ovn-nb"]);
  const idl = await started(ms);
  const from = ms.received.length;
  await Promise.all([
    idl.setCondition("Logical_Switch", [["name", "==", "a"]]),
    idl.setCondition("Logical_Router", [["name", "==", "r"]]),
  ]);
  const changes = ms.received.slice(from).filter((r) => r.method === "monitor_cond_change");
  assert.equal(changes.length, 1);
  assert.deepEqual(Object.keys(changes[0]?.params[2] as object).sort(), ["Logical_Router", "Logical_Switch"]);
  idl.stop();
});
