// The server core without sockets: monitor_cond_since resume from history, blocking waits, locks, and
// updates before replies.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { schemaFile } from "../../base/schemas.js";
import { parseSchema } from "../schema/parse.js";
import { OvsdbServer } from "./server.js";

const ZERO = "00000000-0000-0000-0000-000000000000";

function setup(now = () => 0) {
  const server = new OvsdbServer({ now });
  server.addDb(parseSchema(JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8"))), undefined);
  const client = () => {
    const out: Record<string, unknown>[] = [];
    const s = server.connect({ name: "t", sendText: (t) => out.push(JSON.parse(t)), close: () => undefined });
    let id = 0;
    return {
      out,
      s,
      send(method: string, params: unknown): number {
        id += 1;
        server.handle(s, method, params, id);
        return id;
      },
      call(method: string, params: unknown): Record<string, unknown> {
        const i = this.send(method, params);
        const r = out.find((m) => m.id === i);
        assert.ok(r, `reply to ${method}`);
        return r;
      },
    };
  };
  return { server, client };
}

const insertLs = (name: string) => [
  "OVN_Northbound",
  { op: "insert", table: "Logical_Switch", row: { name } },
];

test("monitor_cond_since: found with only the difference, or everything when the id is unknown", () => {
  const { client } = setup();
  const w = client();
  w.call("transact", insertLs("a"));
  const m = client();
  const first = m.call("monitor_cond_since", [
    "OVN_Northbound",
    "m",
    { Logical_Switch: [{ columns: ["name"] }] },
    ZERO,
  ]);
  const [found, last, initial] = first.result as [boolean, string, Record<string, Record<string, unknown>>];
  assert.equal(found, false);
  assert.notEqual(last, ZERO);
  assert.deepEqual(Object.values(initial.Logical_Switch ?? {}), [{ initial: { name: "a" } }]);
  w.call("transact", insertLs("b"));
  w.call("transact", [
    "OVN_Northbound",
    { op: "update", table: "Logical_Switch", where: [["name", "==", "a"]], row: { name: "a2" } },
  ]);
  const again = client().call("monitor_cond_since", [
    "OVN_Northbound",
    "m",
    { Logical_Switch: [{ columns: ["name"] }] },
    last,
  ]);
  const [found2, last2, diff] = again.result as [boolean, string, Record<string, Record<string, unknown>>];
  assert.equal(found2, true);
  assert.notEqual(last2, last);
  const rows = Object.values(diff.Logical_Switch ?? {})
    .map((x) => JSON.stringify(x))
    .sort();
  assert.deepEqual(rows, ['{"insert":{"name":"b"}}', '{"modify":{"name":"a2"}}']);
  const unknown = client().call("monitor_cond_since", [
    "OVN_Northbound",
    "m",
    { Logical_Switch: [{ columns: ["name"] }] },
    "11111111-1111-1111-1111-111111111111",
  ]);
  assert.equal((unknown.result as unknown[])[0], false);
  assert.equal(
    Object.keys(((unknown.result as unknown[])[2] as Record<string, object>).Logical_Switch ?? {}).length,
    2,
  );
});

test("updates caused by a client's own transaction reach it before the reply", () => {
  const { client } = setup();
  const c = client();
  c.call("monitor_cond", ["OVN_Northbound", "m", { Logical_Switch: [{ columns: ["name"] }] }]);
  const id = c.send("transact", insertLs("x"));
  const iUpdate = c.out.findIndex((m) => m.method === "update2");
  const iReply = c.out.findIndex((m) => m.id === id);
  assert.ok(iUpdate >= 0 && iUpdate < iReply);
});

test("a blocking wait completes when the database changes, or times out", () => {
  let now = 0;
  const { server, client } = setup(() => now);
  const c = client();
  const wait = (timeout: number) => [
    "OVN_Northbound",
    {
      op: "wait",
      table: "Logical_Switch",
      where: [["name", "==", "late"]],
      columns: ["name"],
      until: "==",
      rows: [{ name: "late" }],
      timeout,
    },
  ];
  const id1 = c.send("transact", wait(10_000));
  const id2 = c.send("transact", wait(100));
  assert.equal(c.out.length, 0, "both wait");
  now = 200;
  server.tick();
  const r2 = c.out.find((m) => m.id === id2) as Record<string, unknown>;
  assert.equal((r2.result as Record<string, unknown>[])[0]?.error, "timed out");
  client().call("transact", insertLs("late"));
  const r1 = c.out.find((m) => m.id === id1) as Record<string, unknown>;
  assert.deepEqual(r1.result, [{}]);
});

test("locks: queued, granted on unlock, stolen", () => {
  const { client } = setup();
  const a = client();
  const b = client();
  assert.deepEqual(a.call("lock", ["L"]).result, { locked: true });
  assert.deepEqual(b.call("lock", ["L"]).result, { locked: false });
  a.call("unlock", ["L"]);
  assert.ok(b.out.some((m) => m.method === "locked"));
  assert.deepEqual(a.call("steal", ["L"]).result, { locked: true });
  assert.ok(b.out.some((m) => m.method === "stolen"));
  assert.deepEqual(
    (b.call("transact", ["OVN_Northbound", { op: "assert", lock: "L" }]).result as unknown[])[0],
    {
      error: "not owner",
      details: "Asserted lock L not held.",
    },
  );
});

test("monitor_cond_since with the zero id is never found, even before any commit since start", () => {
  const { server, client } = setup();
  void server;
  const m = client().call("monitor_cond_since", [
    "OVN_Northbound",
    "m",
    { Logical_Switch: [{ columns: ["name"] }] },
    ZERO,
  ]);
  assert.equal((m.result as unknown[])[0], false);
});

test("an unmonitored commit's bookkeeping follows its reply, and is done before anything else", async () => {
  const { server, client } = setup();
  const sdb = server.dbs.get("OVN_Northbound");
  assert.ok(sdb);
  const w = client();
  // Replied to at once; the history entry and the new transaction id come in a microtask.
  const before = sdb.lastTxnId;
  w.call("transact", insertLs("a"));
  await Promise.resolve();
  assert.equal(sdb.historyLength, 1);
  const afterA = sdb.lastTxnId;
  assert.notEqual(afterA, before);
  // Without waiting, the next request sees every earlier commit: a resume from after "a" finds "b".
  w.call("transact", insertLs("b"));
  const m = client();
  const r = m.call("monitor_cond_since", [
    "OVN_Northbound",
    "m",
    { Logical_Switch: [{ columns: ["name"] }] },
    afterA,
  ]);
  const [found, last, updates] = r.result as [boolean, string, Record<string, Record<string, unknown>>];
  assert.equal(found, true);
  assert.notEqual(last, afterA);
  assert.deepEqual(Object.values(updates.Logical_Switch ?? {}), [{ insert: { name: "b" } }]);
  // Once a monitor follows the database, its update goes out before the reply, as before.
  const n = m.out.length;
  const id = w.send("transact", insertLs("c"));
  assert.equal(m.out.length, n + 1, "the monitor's update is sent within the transaction");
  assert.ok(w.out.some((x) => x.id === id));
  const update = m.out.at(-1);
  assert.equal(update?.method, "update3");
  assert.equal(sdb.lastTxnId, (update.params as unknown[])[1]);
});
