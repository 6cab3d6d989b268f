// SSL remotes (--remote=pssl:PORT:IP with --private-key/--certificate/--ca-cert), for each implementation,
// with certificates made by the real `ovs-pki` and the real clients on the other end: ovsdb-client
// (list-dbs, transact, dump) and ovn-nbctl. A client whose certificate another CA signed is refused.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { serverCommand, unixRemote } from "../support/dbserver.js";
import { schemaPath } from "../support/paths.js";
import {
  type Daemon,
  type Impl,
  implementations,
  requireTools,
  run,
  runOk,
  type Sandbox,
  waitUntil,
  withSandbox,
} from "../support/sandbox.js";
import { freePort } from "./free-port.js";

const NB = "OVN_Northbound";

interface Pki {
  caCert: string;
  server: { key: string; cert: string };
  client: { key: string; cert: string };
  /** Signed by a second, unrelated CA. */
  stranger: { key: string; cert: string };
}

let pkiDir = "";
let pki: Pki;

/** `ovs-pki init` a CA in DIR/NAME and sign each of `certs` with it (files land in DIR). */
async function makeCa(dir: string, name: string, certs: string[]): Promise<void> {
  const base = ["-d", join(dir, name), "-l", join(dir, `${name}.log`)];
  await runOk("ovs-pki", [...base, "init", "--force"], { cwd: dir, timeoutMs: 60_000 });
  for (const c of certs)
    await runOk("ovs-pki", [...base, "req+sign", c, "switch"], { cwd: dir, timeoutMs: 60_000 });
}

before(async () => {
  requireTools("ovs-pki", "ovsdb-client", "ovsdb-tool", "ovn-nbctl");
  pkiDir = mkdtempSync(join(tmpdir(), "ovnts-pki-"));
  await Promise.all([makeCa(pkiDir, "pki", ["server", "client"]), makeCa(pkiDir, "otherpki", ["stranger"])]);
  const pair = (n: string) => ({
    key: join(pkiDir, `${n}-privkey.pem`),
    cert: join(pkiDir, `${n}-cert.pem`),
  });
  pki = {
    caCert: join(pkiDir, "pki", "switchca", "cacert.pem"),
    server: pair("server"),
    client: pair("client"),
    stranger: pair("stranger"),
  };
});

after(() => {
  if (pkiDir !== "") rmSync(pkiDir, { recursive: true, force: true });
});

interface SslServer {
  daemon: Daemon;
  /** "ssl:127.0.0.1:PORT" */
  ssl: string;
}

/** Starts an NB server with a pssl remote on a free port (and the usual punix one, to know it is up). */
async function startSslNb(sb: Sandbox, impl: Impl): Promise<SslServer> {
  const file = sb.path("nb.db");
  await runOk("ovsdb-tool", ["create", file, schemaPath("ovn-nb")], { env: sb.env });
  const port = await freePort();
  const sock = sb.path("nb.sock");
  const { cmd, pre } = serverCommand(impl);
  const daemon = sb.spawn({
    name: "nb",
    cmd,
    args: [
      ...pre,
      `--remote=punix:${sock}`,
      `--remote=pssl:${port}:127.0.0.1`,
      `--private-key=${pki.server.key}`,
      `--certificate=${pki.server.cert}`,
      `--ca-cert=${pki.caCert}`,
      `--unixctl=${sb.path("nb.ctl")}`,
      `--pidfile=${sb.path("nb.pid")}`,
      `--log-file=${sb.path("nb.log")}`,
      file,
    ],
    logPath: sb.path("nb.log"),
    ctlPath: sb.path("nb.ctl"),
  });
  await waitUntil(
    async () =>
      (await run("ovsdb-client", ["--timeout=5", "list-dbs", unixRemote(sock)], { env: sb.env })).code === 0,
    10_000,
    { what: `nb (${impl}) on ${sock}`, unless: () => daemon.assertRunning() },
  );
  return { daemon, ssl: `ssl:127.0.0.1:${port}` };
}

/** The real ovsdb-client with the given key pair and our CA. */
function sslClient(sb: Sandbox, who: { key: string; cert: string }, ...args: string[]) {
  return run(
    "ovsdb-client",
    [
      "--timeout=10",
      `--private-key=${who.key}`,
      `--certificate=${who.cert}`,
      `--ca-cert=${pki.caCert}`,
      ...args,
    ],
    { env: sb.env },
  );
}

async function sslClientOk(sb: Sandbox, ...args: string[]): Promise<string> {
  const r = await sslClient(sb, pki.client, ...args);
  assert.equal(r.code, 0, `ovsdb-client ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

for (const impl of implementations()) {
  test(`[${impl}] SSL: ovsdb-client list-dbs, transact and dump`, () =>
    withSandbox(async (sb) => {
      const srv = await startSslNb(sb, impl);
      // The pssl listener may come up a moment after the unix one.
      await waitUntil(async () => (await sslClient(sb, pki.client, "list-dbs", srv.ssl)).code === 0, 10_000, {
        what: `${srv.ssl} to accept SSL clients`,
        unless: () => srv.daemon.assertRunning(),
      });
      assert.equal(await sslClientOk(sb, "list-dbs", srv.ssl), `${NB}\n_Server\n`);

      const ins = JSON.parse(
        await sslClientOk(
          sb,
          "transact",
          srv.ssl,
          JSON.stringify([NB, { op: "insert", table: "Logical_Switch", row: { name: "over-ssl" } }]),
        ),
      ) as [{ uuid: [string, string] }];
      const uuid = ins[0].uuid[1];
      const sel = JSON.parse(
        await sslClientOk(
          sb,
          "transact",
          srv.ssl,
          JSON.stringify([
            NB,
            { op: "select", table: "Logical_Switch", where: [], columns: ["_uuid", "name"] },
          ]),
        ),
      ) as unknown;
      assert.deepEqual(sel, [{ rows: [{ _uuid: ["uuid", uuid], name: "over-ssl" }] }]);

      const dump = await sslClientOk(sb, "dump", srv.ssl, NB, "Logical_Switch", "_uuid", "name");
      assert.deepEqual(dump.trimEnd().split("\n"), [
        "Logical_Switch table",
        "_uuid                                name",
        "------------------------------------ --------",
        `${uuid} over-ssl`,
      ]);
    }));

  test(`[${impl}] SSL: ovn-nbctl ls-add and ls-list`, () =>
    withSandbox(async (sb) => {
      const srv = await startSslNb(sb, impl);
      const nbctl = (...args: string[]) =>
        runOk(
          "ovn-nbctl",
          [
            `--db=${srv.ssl}`,
            "-p",
            pki.client.key,
            "-c",
            pki.client.cert,
            "-C",
            pki.caCert,
            "--timeout=10",
            ...args,
          ],
          { env: sb.env, timeoutMs: 15_000 },
        );
      await nbctl("ls-add", "x");
      assert.match(await nbctl("ls-list"), /^[0-9a-f-]{36} \(x\)\n$/);
    }));

  test(`[${impl}] SSL: a client certificate signed by another CA is refused`, () =>
    withSandbox(async (sb) => {
      const srv = await startSslNb(sb, impl);
      await waitUntil(async () => (await sslClient(sb, pki.client, "list-dbs", srv.ssl)).code === 0, 10_000, {
        what: `${srv.ssl} to accept SSL clients`,
        unless: () => srv.daemon.assertRunning(),
      });
      const r = await sslClient(sb, pki.stranger, "list-dbs", srv.ssl);
      assert.notEqual(r.code, 0, `a stranger's certificate must not get in; stdout: ${r.stdout}`);
      assert.equal(r.stdout, "", "nothing served to the stranger");
      const w = await sslClient(
        sb,
        pki.stranger,
        "transact",
        srv.ssl,
        JSON.stringify([NB, { op: "insert", table: "Logical_Switch", row: { name: "intruder" } }]),
      );
      assert.notEqual(w.code, 0, "a stranger cannot write");
      // The server is unharmed and nothing got written.
      const sel = await sslClientOk(
        sb,
        "transact",
        srv.ssl,
        JSON.stringify([NB, { op: "select", table: "Logical_Switch", where: [], columns: ["name"] }]),
      );
      assert.deepEqual(JSON.parse(sel), [{ rows: [] }]);
      assert.equal(srv.daemon.running, true);
    }));
}
