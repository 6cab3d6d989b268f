// db:DB,TABLE,COLUMN remotes: targets and their Connection-row options follow the database.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { test } from "node:test";
import { schemaFile } from "../../base/schemas.js";
import { systemClock } from "../../jsonrpc/transport/system-clock.js";
import { parseSchema } from "../schema/parse.js";
import { RemoteSet } from "./remotes.js";
import { OvsdbServer } from "./server.js";

test("a Connection row's target is listened on, with its inactivity_probe and status; removing the row stops it", async () => {
  const server = new OvsdbServer({ now: () => Date.now() });
  server.addDb(parseSchema(JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8"))), undefined);
  const admin = server.connect({ name: "admin", sendText: () => undefined, close: () => undefined });
  server.handle(
    admin,
    "transact",
    [
      "OVN_Northbound",
      {
        op: "insert",
        table: "Connection",
        row: { target: "ptcp:0:127.0.0.1", inactivity_probe: 150 },
        "uuid-name": "c",
      },
      { op: "insert", table: "NB_Global", row: { connections: ["named-uuid", "c"] } },
    ],
    1,
  );
  const remotes = new RemoteSet(server, { clock: systemClock });
  remotes.add("db:OVN_Northbound,NB_Global,connections");
  await remotes.refresh();
  try {
    const bound = remotes.bound();
    assert.equal(bound.length, 1);
    const port = Number(/^ptcp:(\d+):127\.0\.0\.1$/.exec(bound[0] as string)?.[1]);
    // The row's status columns say what the remote is doing; written only when that changes.
    const statusOf = () =>
      remotes.statusUpdates().get("OVN_Northbound") as Array<{ row: unknown }> | undefined;
    assert.deepEqual(statusOf()?.[0]?.row, {
      is_connected: false,
      status: ["map", [["bound_port", String(port)]]],
    });
    server.handle(admin, "transact", ["OVN_Northbound", ...(statusOf() ?? [])], 3);
    assert.equal(statusOf(), undefined);

    // A client that never answers gets the probe after 150 ms of silence, and is dropped 150 ms later.
    const t0 = Date.now();
    const sock = connect(port, "127.0.0.1");
    let data = "";
    const firstData = new Promise<void>((r) => sock.once("data", () => r()));
    sock.on("data", (b) => {
      data += b.toString();
    });
    await firstData;
    assert.deepEqual(statusOf()?.[0]?.row, {
      is_connected: true,
      status: ["map", [["bound_port", String(port)]]],
    });
    await new Promise<void>((r) => sock.once("close", () => r()));
    const took = Date.now() - t0;
    assert.match(data, /"method":"echo"/);
    assert.ok(took >= 250 && took < 20_000, `dropped after ${took} ms`);

    // As ovn-nbctl del-connection: drop the reference; the row goes with it.
    server.handle(
      admin,
      "transact",
      ["OVN_Northbound", { op: "update", table: "NB_Global", where: [], row: { connections: ["set", []] } }],
      2,
    );
    await remotes.refresh();
    assert.deepEqual(remotes.bound(), []);
  } finally {
    await remotes.stopAll();
  }
});
