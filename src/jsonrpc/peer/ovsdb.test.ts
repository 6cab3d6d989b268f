// Our JSON-RPC layer against the real ovsdb-server and ovsdb-client, over unix sockets.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { JsonRpcError } from "../errors.js";
import { isJsonObject } from "../json.js";
import { JsonRpcConnection } from "../session.js";
import { connectJsonRpc, listen, systemClock } from "../transport/index.js";
import { run, startDaemon, stopDaemon } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "ovnts-jsonrpc-peer-"));
const sock = join(dir, "db.sock");
let daemon: ChildProcess | undefined;

before(async () => {
  const db = join(dir, "conf.db");
  const created = await run("ovsdb-tool", ["create", db, "/usr/share/openvswitch/vswitch.ovsschema"]);
  assert.equal(created.code, 0, created.stderr);
  daemon = await startDaemon(
    "ovsdb-server",
    [
      `--remote=punix:${sock}`,
      `--unixctl=${join(dir, "ctl")}`,
      "--no-chdir",
      `--log-file=${join(dir, "log")}`,
      db,
    ],
    sock,
  );
});

after(async () => {
  if (daemon !== undefined) await stopDaemon(daemon);
  rmSync(dir, { recursive: true, force: true });
});

test("our client: requests, errors and a large reply from the real ovsdb-server", async () => {
  const conn = await connectJsonRpc(`unix:${sock}`);
  assert.deepEqual(await conn.request("list_dbs", []), ["Open_vSwitch", "_Server"]);
  assert.deepEqual(await conn.request("echo", [1, "two"]), [1, "two"]);
  const schema = await conn.request("get_schema", ["Open_vSwitch"]);
  assert.ok(isJsonObject(schema) && schema.name === "Open_vSwitch");
  await assert.rejects(
    conn.request("no_such_method", []),
    (e: unknown) => e instanceof JsonRpcError && e.error === "unknown method",
  );
  await assert.rejects(
    conn.request("get_schema", ["Nope"]),
    (e: unknown) =>
      e instanceof JsonRpcError && isJsonObject(e.error) && e.error.error === "unknown database",
  );
  // Many requests in flight at once.
  const many = await Promise.all(Array.from({ length: 200 }, (_, i) => conn.request("echo", [i])));
  assert.deepEqual(
    many,
    Array.from({ length: 200 }, (_, i) => [i]),
  );
  conn.close();
});

test("our client: notifications from a real monitor arrive before the transaction's reply", async () => {
  const events: string[] = [];
  const conn = await connectJsonRpc(`unix:${sock}`, {
    onNotification: (n) => events.push(`notification ${n.method}`),
  });
  await conn.request("monitor", ["Open_vSwitch", "m", { Open_vSwitch: { columns: ["next_cfg"] } }]);
  await conn
    .request("transact", ["Open_vSwitch", { op: "insert", table: "Open_vSwitch", row: {} }])
    .then(() => events.push("reply transact"));
  assert.deepEqual(events, ["notification update", "reply transact"]);
  conn.close();
});

test("the real ovsdb-client talks to our server over unix", async () => {
  const path = join(dir, "ours.sock");
  const methods: string[] = [];
  const conns: JsonRpcConnection[] = [];
  const listener = await listen(`punix:${path}`, {
    onConnection: (d) =>
      conns.push(
        new JsonRpcConnection(d, {
          clock: systemClock,
          onRequest: (r) => {
            methods.push(r.method);
            if (r.method === "list_dbs") return ["Mine"];
            throw new JsonRpcError("unknown method");
          },
        }),
      ),
  });
  const r = await run("ovsdb-client", ["list-dbs", `unix:${path}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "Mine\n");
  assert.deepEqual(methods, ["list_dbs"]);
  for (const c of conns) c.close();
  await listener.close();
});

test("our server's inactivity probes are answered by the real ovsdb-client", async () => {
  const path = join(dir, "probed.sock");
  const probesAnswered: number[] = [];
  let conn: JsonRpcConnection | undefined;
  const listener = await listen(`punix:${path}`, {
    onConnection: (d) => {
      conn = new JsonRpcConnection(d, {
        clock: systemClock,
        probeIntervalMs: 100,
        onActivity: () => probesAnswered.push(Date.now()),
        // `ovsdb-client lock` then waits for a "locked" notification, keeping the connection open.
        onRequest: (r) => (r.method === "lock" ? { locked: false } : null),
      });
    },
  });
  const client = spawn("ovsdb-client", ["lock", `unix:${path}`, "mylock"], { stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 800));
    assert.ok(conn !== undefined);
    assert.equal(conn.closed, false, "still connected after several probe intervals");
    // The lock request, then at least 4 echo replies.
    assert.ok(probesAnswered.length >= 5, `activity ${probesAnswered.length}`);
  } finally {
    client.kill();
    conn?.close();
    await listener.close();
  }
});
