// SSL between our transports and the real Open vSwitch tools, with certificates made by the real ovs-pki.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { JsonRpcConnection } from "../session.js";
import { connectJsonRpc, dial, listen, type SslOptions, systemClock } from "../transport/index.js";
import { run, startDaemon, stopDaemon } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "ovnts-ssl-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** ovs-pki writes NAME-cert.pem and NAME-privkey.pem into its working directory. */
async function pki(sub: string, names: string[]): Promise<(name: string) => SslOptions> {
  const home = join(dir, sub);
  mkdirSync(home);
  const init = await run("ovs-pki", [`--dir=${home}/pki`, "init"], { cwd: home, timeoutMs: 60_000 });
  assert.equal(init.code, 0, init.stderr);
  for (const n of names) {
    const r = await run("ovs-pki", [`--dir=${home}/pki`, "req+sign", n, "switch"], {
      cwd: home,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
  }
  return (name) => ({
    privateKey: join(home, `${name}-privkey.pem`),
    certificate: join(home, `${name}-cert.pem`),
    caCert: join(home, "pki/switchca/cacert.pem"),
  });
}

let certs: (name: string) => SslOptions;
let rogue: (name: string) => SslOptions;
before(async () => {
  certs = await pki("good", ["server", "client"]);
  rogue = await pki("rogue", ["intruder"]);
});

const sslArgs = (o: SslOptions): string[] => [
  `--private-key=${o.privateKey}`,
  `--certificate=${o.certificate}`,
  `--ca-cert=${o.caCert}`,
];

/** Our pssl: listener; each connection answers list_dbs and records the client's certificate CN. */
async function ourServer() {
  const cns: Array<string | undefined> = [];
  const conns: JsonRpcConnection[] = [];
  const listener = await listen("pssl:0:127.0.0.1", {
    ssl: certs("server"),
    onConnection: (d) => {
      cns.push(d.peerCommonName);
      conns.push(
        new JsonRpcConnection(d, {
          clock: systemClock,
          onRequest: (r) => (r.method === "list_dbs" ? ["Alpha", "Beta"] : r.method),
        }),
      );
    },
  });
  return {
    listener,
    cns,
    async close(): Promise<void> {
      for (const c of conns) c.close();
      await listener.close();
    },
  };
}

test("our ssl client and our pssl server verify each other and see the peer CN", async () => {
  const server = await ourServer();
  const conn = await connectJsonRpc(`ssl:127.0.0.1:${server.listener.port}`, { ssl: certs("client") });
  assert.deepEqual(await conn.request("list_dbs", []), ["Alpha", "Beta"]);
  assert.match(conn.peerCommonName ?? "", /^server id:/);
  assert.match(server.cns[0] ?? "", /^client id:/);
  assert.match(conn.peerName, /^ssl:127\.0\.0\.1:\d+$/);
  conn.close();
  await server.close();
});

test("the real ovsdb-client talks to our pssl server", async () => {
  const server = await ourServer();
  const r = await run("ovsdb-client", [
    ...sslArgs(certs("client")),
    "list-dbs",
    `ssl:127.0.0.1:${server.listener.port}`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "Alpha\nBeta\n");
  await server.close();
});

test("our ssl client talks to the real ovsdb-server's pssl remote", async () => {
  const db = join(dir, "conf.db");
  const created = await run("ovsdb-tool", ["create", db, "/usr/share/openvswitch/vswitch.ovsschema"]);
  assert.equal(created.code, 0, created.stderr);
  const ctl = join(dir, "ovsdb.ctl");
  const daemon = await startDaemon(
    "ovsdb-server",
    [
      "--remote=pssl:0:127.0.0.1",
      ...sslArgs(certs("server")),
      `--unixctl=${ctl}`,
      "--no-chdir",
      `--log-file=${join(dir, "ovsdb.log")}`,
      `--pidfile=${join(dir, "ovsdb.pid")}`,
      db,
    ],
    join(dir, "ovsdb.pid"),
  );
  try {
    // The server logs the port it bound ("0:127.0.0.1: listening on port 43127").
    let port: number | undefined;
    for (let i = 0; i < 100 && port === undefined; i++) {
      const m = /listening on port (\d+)/.exec(readFileSync(join(dir, "ovsdb.log"), "utf8"));
      if (m !== null) port = Number(m[1]);
      else await new Promise((res) => setTimeout(res, 50));
    }
    assert.ok(port !== undefined, "ovsdb-server reported its port");
    const conn = await connectJsonRpc(`ssl:127.0.0.1:${port}`, { ssl: certs("client") });
    assert.deepEqual(await conn.request("list_dbs", []), ["Open_vSwitch", "_Server"]);
    assert.deepEqual(await conn.request("echo", ["x"]), ["x"]);
    assert.match(conn.peerCommonName ?? "", /^server id:/);
    conn.close();
  } finally {
    await stopDaemon(daemon);
  }
});

test("a client whose certificate another CA signed is refused, both ways", async () => {
  const server = await ourServer();
  const port = server.listener.port;
  // Our client with the rogue certificate and the rogue CA: the server rejects it during the handshake
  // (or the client rejects the server's certificate, which the rogue CA did not sign).
  await assert.rejects(async () => {
    const conn = await connectJsonRpc(`ssl:127.0.0.1:${port}`, { ssl: rogue("intruder") });
    await conn.request("list_dbs", []);
  });
  // Our client trusts the right CA but presents the rogue certificate: the server refuses it.
  await assert.rejects(async () => {
    const conn = await connectJsonRpc(`ssl:127.0.0.1:${port}`, {
      ssl: { ...rogue("intruder"), caCert: certs("client").caCert },
    });
    await conn.request("list_dbs", []);
  });
  // The real client with the rogue certificate fails too.
  const r = await run("ovsdb-client", [...sslArgs(rogue("intruder")), "list-dbs", `ssl:127.0.0.1:${port}`]);
  assert.notEqual(r.code, 0);
  assert.deepEqual(server.cns, [], "no connection got through");
  await assert.rejects(
    dial(`ssl:127.0.0.1:${port}`, { ssl: { ...certs("client"), certificate: join(dir, "missing.pem") } }),
    /could not read certificate/,
  );
  await server.close();
});
