// A client that monitors a table and then never reads its socket must not make the server hold an
// ever-growing send backlog: `ovnts ovsdb-server --max-backlog-bytes=N` drops it (logging its name) once
// N bytes wait for it, while a client that reads sees every update, and the server's memory stays put.
// A message over --max-message-bytes drops its sender the same way.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Json } from "../../jsonrpc/json.js";
import { connectJsonRpc } from "../../jsonrpc/transport/index.js";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(repo, "bin/ovnts");
const dir = mkdtempSync(join(tmpdir(), "ovnts-backlog-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const CAP = 1_000_000;
const VALUE = "x".repeat(100_000);
const UPDATES = 600; // 60 MB of notifications for each monitoring client

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1]);
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const monitorRequest = (id: number | string): string =>
  JSON.stringify({
    id,
    method: "monitor_cond",
    params: ["OVN_Northbound", "m", { Logical_Switch: [{ columns: ["name", "external_ids"] }] }],
  });

test("a client that never reads is disconnected at --max-backlog-bytes; readers get every update; RSS bounded", async () => {
  const db = join(dir, "nb.db");
  const made = spawnSync(process.execPath, [
    bin,
    "ovsdb-tool",
    "create",
    db,
    join(repo, "schemas/ovn-nb.ovsschema"),
  ]);
  assert.equal(made.status, 0, made.stderr.toString());
  const sock = join(dir, "nb.sock");
  const log = join(dir, "nb.log");
  const server = spawn(
    process.execPath,
    [
      bin,
      "ovsdb-server",
      `--remote=punix:${sock}`,
      `--unixctl=${join(dir, "nb.ctl")}`,
      `--log-file=${log}`,
      `--max-backlog-bytes=${CAP}`,
      "--max-message-bytes=2000000",
      db,
    ],
    { stdio: "ignore" },
  );
  // Closed whatever happens: an open socket would keep this test file's process alive.
  const open: Array<{ close(): void }> = [];
  try {
    await until("the server socket", () => existsSync(sock));
    const writer = await connectJsonRpc(`unix:${sock}`);
    open.push(writer);
    const insert = (await writer.request("transact", [
      "OVN_Northbound",
      { op: "insert", table: "Logical_Switch", row: { name: "sw0" }, "uuid-name": "s" },
    ])) as Array<{ uuid: [string, string] }>;
    const uuid = insert[0]?.uuid[1] as string;

    // The reader counts the updates it sees.
    const reader = await connectJsonRpc(`unix:${sock}`);
    open.push(reader);
    let seen = 0;
    reader.setHandlers({
      onNotification: (m) => {
        if (m.method === "update2") seen++;
      },
    });
    await reader.request("monitor_cond", JSON.parse(monitorRequest(0)).params as Json[]);

    // The sluggard asks for the same updates and never reads a byte.
    const sluggard = connect(sock);
    open.push({ close: () => sluggard.destroy() });
    await new Promise<void>((r) => sluggard.once("connect", () => r()));
    sluggard.pause();
    sluggard.write(monitorRequest(1));

    const before = rssKiB(server.pid as number);
    for (let i = 0; i < UPDATES; i++) {
      await writer.request("transact", [
        "OVN_Northbound",
        {
          op: "update",
          table: "Logical_Switch",
          where: [["_uuid", "==", ["uuid", uuid]]],
          row: { external_ids: ["map", [["blob", `${i}${VALUE}`]]] },
        },
      ]);
    }
    await until("the reader to see every update", () => seen === UPDATES, 60_000);
    // 60 MB went to each client; the server kept at most the cap (plus its heap's slack) for the sluggard.
    // (Without the cap it grows by about 80 MB here.)
    const grown = rssKiB(server.pid as number) - before;
    assert.ok(grown < 40_000, `server RSS grew by ${grown} KiB`);
    const backlogLine =
      /unix#\d+: excessive sending backlog \(\d+ bytes unread, limit 1000000\), disconnecting/;
    await until("the backlog disconnection in the log", () => backlogLine.test(readFileSync(log, "utf8")));
    // A message over --max-message-bytes ends its sender's connection, and only that one.
    const big = connect(sock);
    open.push({ close: () => big.destroy() });
    big.on("error", () => {});
    const bigClosed = new Promise<void>((r) => big.once("close", () => r()));
    big.on("data", () => {});
    big.write(`{"id":1,"method":"echo","params":["${"x".repeat(3_000_000)}"]}`);
    await bigClosed;
    // The log file is written through a stream: the line may land a moment after the close.
    const parseError = /unix#\d+: error parsing stream: .*2000000/;
    await until("the parse error in the log", () => parseError.test(readFileSync(log, "utf8")));
    // And it still serves.
    const dbs = (await writer.request("list_dbs", [])) as string[];
    assert.deepEqual([...dbs].sort(), ["OVN_Northbound", "_Server"]);
  } finally {
    for (const o of open) o.close();
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
});
