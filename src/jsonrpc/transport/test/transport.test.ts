import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { ByteDuplex } from "../../duplex.js";
import { JsonRpcConnection } from "../../session.js";
import { ConnectError, dial } from "../dial.js";
import { connectJsonRpc, reconnectingClient } from "../index.js";
import { ListenError, type Listener, listen } from "../listen.js";
import { systemClock } from "../system-clock.js";

const dir = mkdtempSync(join(tmpdir(), "ovnts-transport-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Leaves a socket file behind, as a server killed with SIGKILL does. */
async function leaveStaleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, [
    "-e",
    `require("net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`,
  ]);
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
}

/** A listener whose connections answer every request with [peerName, method]. */
async function echoServer(
  remote: string,
): Promise<{ listener: Listener; peers: string[]; conns: JsonRpcConnection[] }> {
  const peers: string[] = [];
  const conns: JsonRpcConnection[] = [];
  const listener = await listen(remote, {
    onConnection: (d: ByteDuplex) => {
      peers.push(d.peerName);
      conns.push(
        new JsonRpcConnection(d, { clock: systemClock, onRequest: (r, c) => [c.peerName, r.method] }),
      );
    },
  });
  return { listener, peers, conns };
}

test("punix: listen, connect, talk; stale socket removed; socket file unlinked on close", async () => {
  const path = join(dir, "db.sock");
  await leaveStaleSocket(path);
  assert.ok(statSync(path).isSocket());

  const { listener, peers, conns } = await echoServer(`punix:${path}`);
  assert.equal(listener.name, `punix:${path}`);
  assert.equal(listener.port, undefined);
  const c1 = await connectJsonRpc(`unix:${path}`);
  const c2 = await connectJsonRpc(`unix:${path}`);
  assert.equal(c1.name, `unix:${path}`);
  const [p1] = (await c1.request("hello", [])) as string[];
  const [p2] = (await c2.request("hello", [])) as string[];
  assert.match(p1 ?? "", /^unix#\d+$/);
  assert.match(p2 ?? "", /^unix#\d+$/);
  assert.notEqual(p1, p2);
  assert.deepEqual(peers, [p1, p2]);
  c1.close();
  c2.close();
  await listener.close();
  for (const c of conns) c.close();
  assert.throws(() => statSync(path), /ENOENT/);
});

test("punix: refuses to replace a file that is not a socket", async () => {
  const path = join(dir, "regular");
  writeFileSync(path, "x");
  await assert.rejects(listen(`punix:${path}`, { onConnection: () => undefined }), (e: unknown) => {
    return e instanceof ListenError && e.message === `punix:${path}: listen failed (File exists)`;
  });
});

test("ptcp:0 binds an ephemeral port and names peers tcp:IP:PORT", async () => {
  const { listener, peers, conns } = await echoServer("ptcp:0:127.0.0.1");
  assert.ok(listener.port !== undefined && listener.port > 0);
  assert.equal(listener.name, `ptcp:${listener.port}:127.0.0.1`);
  const c = await connectJsonRpc(`tcp:127.0.0.1:${listener.port}`);
  const [peer, method] = (await c.request("m", [])) as string[];
  assert.equal(method, "m");
  assert.match(peer ?? "", /^tcp:127\.0\.0\.1:\d+$/);
  assert.deepEqual(peers, [peer]);
  c.close();
  for (const s of conns) s.close();
  await listener.close();
});

test("IPv6 loopback: ptcp:0:[::1] and tcp:[::1]:PORT", async (t) => {
  let server: Awaited<ReturnType<typeof echoServer>>;
  try {
    server = await echoServer("ptcp:0:[::1]");
  } catch (e) {
    t.skip(`no IPv6 loopback here (${e})`);
    return;
  }
  const c = await connectJsonRpc(`tcp:[::1]:${server.listener.port}`);
  const [peer] = (await c.request("m", [])) as string[];
  assert.match(peer ?? "", /^tcp:\[::1\]:\d+$/);
  c.close();
  for (const s of server.conns) s.close();
  await server.listener.close();
});

test("the listen backlog is at least 512 (as ss reports it)", async (t) => {
  const { listener, conns } = await echoServer("ptcp:0:127.0.0.1");
  const unix = await echoServer(`punix:${join(dir, "backlog.sock")}`);
  try {
    const tcp = await ssBacklog(["-ltnH", `sport = :${listener.port}`]);
    const ux = await ssBacklog(["-lxH", `src ${join(dir, "backlog.sock")}`]);
    if (tcp === undefined || ux === undefined) {
      t.skip("ss not available");
      return;
    }
    assert.ok(tcp >= 512, `tcp backlog ${tcp}`);
    assert.ok(ux >= 512, `unix backlog ${ux}`);
    // And a burst of clients is served.
    const clients = await Promise.all(
      Array.from({ length: 300 }, () => connectJsonRpc(`tcp:127.0.0.1:${listener.port}`)),
    );
    assert.equal((await Promise.all(clients.map((c) => c.request("x", [])))).length, 300);
    for (const c of clients) c.close();
  } finally {
    for (const s of [...conns, ...unix.conns]) s.close();
    await listener.close();
    await unix.listener.close();
  }
});

/** The Send-Q column of `ss` for a listening socket, which is its accept backlog. */
function ssBacklog(args: string[]): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile("ss", args, (err, stdout) => {
      if (err !== null) return resolve(undefined);
      const fields = stdout.trim().split(/\s+/);
      // tcp: "LISTEN Recv-Q Send-Q ..."; unix: "u_str LISTEN Recv-Q Send-Q ...".
      const i = fields[0] === "LISTEN" ? 2 : 3;
      const n = Number(fields[i]);
      resolve(Number.isFinite(n) ? n : undefined);
    });
  });
}

test("listening twice on one port fails clearly", async () => {
  const { listener } = await echoServer("ptcp:0:127.0.0.1");
  await assert.rejects(
    listen(`ptcp:${listener.port}:127.0.0.1`, { onConnection: () => undefined }),
    (e: unknown) => e instanceof ListenError && /listen failed \(Address already in use\)$/.test(e.message),
  );
  await listener.close();
});

test("dial failures read like the C tools", async () => {
  await assert.rejects(dial(`unix:${join(dir, "nothing.sock")}`), (e: unknown) => {
    return (
      e instanceof ConnectError &&
      e.reason === "No such file or directory" &&
      e.message === `unix:${join(dir, "nothing.sock")}: connection attempt failed (No such file or directory)`
    );
  });
  // A path through a regular file: ENOTDIR, "Not a directory" as ovn-nbctl prints it.
  const file = join(dir, "plain-file");
  writeFileSync(file, "");
  await assert.rejects(
    dial(`unix:${join(file, "db.sock")}`),
    (e: unknown) => e instanceof ConnectError && e.reason === "Not a directory",
  );
  // A port that was just freed refuses connections.
  const { listener } = await echoServer("ptcp:0:127.0.0.1");
  const port = listener.port;
  await listener.close();
  await assert.rejects(
    dial(`tcp:127.0.0.1:${port}`),
    (e: unknown) => e instanceof ConnectError && e.reason === "Connection refused",
  );
  await assert.rejects(
    dial("ssl:127.0.0.1:1"),
    (e: unknown) => e instanceof ConnectError && /requires --private-key/.test(e.message),
  );
  await assert.rejects(listen("pssl:0", { onConnection: () => undefined }), /requires --private-key/);
});

test("a peer that disconnects is seen as eof; a big message crosses in many chunks", async () => {
  const closes: string[] = [];
  let server: JsonRpcConnection | undefined;
  const listener = await listen("ptcp:0:127.0.0.1", {
    onConnection: (d) => {
      server = new JsonRpcConnection(d, {
        clock: systemClock,
        onRequest: (r) => r.params,
        onClose: (r) => closes.push(r.kind),
      });
    },
  });
  const c = await connectJsonRpc(`tcp:127.0.0.1:${listener.port}`);
  const big = "x".repeat(8 * 1024 * 1024);
  assert.deepEqual(await c.request("echo-back", [big, { u: "é€😀" }]), [big, { u: "é€😀" }]);
  c.close();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(closes, ["eof"]);
  assert.equal(server?.closed, true);
  await listener.close();
});

test("reconnectingClient finds a server that starts late", async () => {
  const path = join(dir, "late.sock");
  const client = reconnectingClient(`unix:${path}`, { minBackoffMs: 50, maxBackoffMs: 100 });
  client.start();
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(client.connection, undefined);
  const { listener, conns } = await echoServer(`punix:${path}`);
  const conn = await client.connected();
  assert.deepEqual(((await conn.request("hi", [])) as string[])[1], "hi");
  client.stop();
  for (const s of conns) s.close();
  await listener.close();
});
