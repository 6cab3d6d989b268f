// Who may connect over SSL, and with what: clients without a certificate and old protocol versions are
// refused, --ssl-protocols restricts, replaced certificate files are used by the next connection without
// a restart, and --bootstrap-ca-cert fetches the CA from the server. Certificates from the real ovs-pki.

import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from "node:tls";
import { JsonRpcConnection } from "../session.js";
import { connectJsonRpc, dial, listen, type SslOptions, systemClock } from "../transport/index.js";
import { run } from "./helpers.js";
import { makePki, type Pki } from "./pki.js";

const dir = mkdtempSync(join(tmpdir(), "ovnts-sslpol-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let pki: Pki;
before(async () => {
  pki = await makePki(join(dir, "pki"), ["server", "server2", "client", "client2"]);
});

/** A pssl: listener answering list_dbs; records each accepted client's CN. */
async function server(ssl: SslOptions | (() => SslOptions)) {
  const cns: Array<string | undefined> = [];
  const conns: JsonRpcConnection[] = [];
  const listener = await listen("pssl:0:127.0.0.1", {
    ssl,
    onConnection: (d) => {
      cns.push(d.peerCommonName);
      conns.push(new JsonRpcConnection(d, { clock: systemClock, onRequest: () => ["Alpha"] }));
    },
  });
  return {
    port: listener.port as number,
    cns,
    async close(): Promise<void> {
      for (const c of conns) c.close();
      await listener.close();
    },
  };
}

interface RawResult {
  /** The handshake completed and the server answered a request. */
  answered: boolean;
  protocol: string | null;
  fingerprint: string | undefined;
  error: string | undefined;
}

/** A bare node:tls client: handshake, one list_dbs request, and what came of it. */
function rawClient(port: number, opts: ConnectionOptions): Promise<RawResult> {
  return new Promise((resolve) => {
    const s: TLSSocket = tlsConnect({
      host: "127.0.0.1",
      port,
      checkServerIdentity: () => undefined,
      ...opts,
    });
    let answered = false;
    let error: string | undefined;
    let protocol: string | null = null;
    let fingerprint: string | undefined;
    s.on("secureConnect", () => {
      protocol = s.getProtocol();
      fingerprint = s.getPeerCertificate().fingerprint256;
      s.write('{"id":1,"method":"list_dbs","params":[]}');
    });
    s.on("data", () => {
      answered = true;
      s.end();
    });
    s.on("error", (e: Error & { code?: string }) => {
      error = e.code ?? e.message;
    });
    s.on("close", () => resolve({ answered, protocol, fingerprint, error }));
    s.setTimeout(5000, () => s.destroy());
  });
}

const withCert = (o: SslOptions): ConnectionOptions => ({
  key: readFileSync(o.privateKey),
  cert: readFileSync(o.certificate),
  ca: readFileSync(o.caCert),
});

test("a client without a certificate, or on TLS 1.0/1.1, is refused; TLS 1.2 and 1.3 are accepted", async () => {
  const s = await server(pki("server"));
  const noCert = await rawClient(s.port, { ca: readFileSync(pki.caCert) });
  assert.equal(noCert.answered, false);
  for (const v of ["TLSv1", "TLSv1.1"] as const) {
    const old = await rawClient(s.port, {
      ...withCert(pki("client")),
      minVersion: v,
      maxVersion: v,
      ciphers: "DEFAULT@SECLEVEL=0",
    });
    assert.equal(old.answered, false, v);
    // The server said no (a protocol_version alert), not our own client.
    assert.equal(old.error, "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION", v);
  }
  for (const v of ["TLSv1.2", "TLSv1.3"] as const) {
    const ok = await rawClient(s.port, { ...withCert(pki("client")), minVersion: v, maxVersion: v });
    assert.deepEqual([ok.answered, ok.protocol], [true, v]);
  }
  // openssl's own client, as an operator would check it.
  const r = await run("openssl", [
    "s_client",
    "-connect",
    `127.0.0.1:${s.port}`,
    "-tls1_1",
    "-cipher",
    "DEFAULT@SECLEVEL=0",
    "-cert",
    pki("client").certificate,
    "-key",
    pki("client").privateKey,
  ]);
  assert.notEqual(r.code, 0);
  assert.match(r.stdout + r.stderr, /alert protocol version/);
  assert.equal(s.cns.length, 2, "only the TLS 1.2 and 1.3 connections got through");
  await s.close();
});

test("--ssl-protocols restricts both sides", async () => {
  const only13 = await server({ ...pki("server"), protocols: "TLSv1.3" });
  const on12 = await rawClient(only13.port, { ...withCert(pki("client")), maxVersion: "TLSv1.2" });
  assert.equal(on12.answered, false);
  const any = await rawClient(only13.port, withCert(pki("client")));
  assert.deepEqual([any.answered, any.protocol], [true, "TLSv1.3"]);
  // Our own client told to speak TLS 1.2 only cannot reach it either.
  await assert.rejects(
    dial(`ssl:127.0.0.1:${only13.port}`, { ssl: { ...pki("client"), protocols: "TLSv1.2" } }),
  );
  await only13.close();

  const only12 = await server({ ...pki("server"), protocols: "TLSv1.2" });
  const r = await rawClient(only12.port, withCert(pki("client")));
  assert.deepEqual([r.answered, r.protocol], [true, "TLSv1.2"]);
  await only12.close();
  // Settings asked again per connection (ovsdb-server's db: options): a change applies to the next one.
  let protocols = "TLSv1.2,TLSv1.3";
  const live = await server(() => ({ ...pki("server"), protocols }));
  assert.equal(
    (await rawClient(live.port, { ...withCert(pki("client")), maxVersion: "TLSv1.2" })).answered,
    true,
  );
  protocols = "TLSv1.3";
  assert.equal(
    (await rawClient(live.port, { ...withCert(pki("client")), maxVersion: "TLSv1.2" })).answered,
    false,
  );
  assert.equal((await rawClient(live.port, withCert(pki("client")))).protocol, "TLSv1.3");
  await live.close();
  // A bad list is an error up front, with the C tools' wording.
  await assert.rejects(
    listen("pssl:0:127.0.0.1", { ssl: { ...pki("server"), protocols: "TLSv9" }, onConnection: () => {} }),
    /TLSv9: SSL protocol not recognized/,
  );
});

test("replaced certificate files: the next connection uses them, without a restart", async () => {
  const live: SslOptions = {
    privateKey: join(dir, "live-privkey.pem"),
    certificate: join(dir, "live-cert.pem"),
    caCert: pki.caCert,
  };
  const install = (from: SslOptions): void => {
    copyFileSync(from.privateKey, live.privateKey);
    copyFileSync(from.certificate, live.certificate);
  };
  const fp = (o: SslOptions): string => new X509Certificate(readFileSync(o.certificate)).fingerprint256;
  install(pki("server"));
  const s = await server(live);
  const first = await connectJsonRpc(`ssl:127.0.0.1:${s.port}`, { ssl: pki("client") });
  const before1 = await rawClient(s.port, withCert(pki("client")));
  assert.equal(before1.fingerprint, fp(pki("server")));

  install(pki("server2"));
  const after1 = await rawClient(s.port, withCert(pki("client")));
  assert.equal(after1.fingerprint, fp(pki("server2")));
  // The connection made before the change is still up.
  assert.deepEqual(await first.request("list_dbs", []), ["Alpha"]);
  first.close();

  // Clients read their files on every connection too.
  const clientLive: SslOptions = {
    ...live,
    privateKey: join(dir, "c-key.pem"),
    certificate: join(dir, "c.pem"),
  };
  copyFileSync(pki("client").privateKey, clientLive.privateKey);
  copyFileSync(pki("client").certificate, clientLive.certificate);
  // (A request first: on TLS 1.3 the client is connected before the server has checked its certificate.)
  const once = async (): Promise<void> => {
    const c = await connectJsonRpc(`ssl:127.0.0.1:${s.port}`, { ssl: clientLive });
    await c.request("list_dbs", []);
    c.close();
  };
  await once();
  copyFileSync(pki("client2").privateKey, clientLive.privateKey);
  copyFileSync(pki("client2").certificate, clientLive.certificate);
  await once();
  const cns = s.cns.slice(-2).map((cn) => cn?.split(" ")[0]);
  assert.deepEqual(cns, ["client", "client2"]);
  await s.close();
});

// (OpenSSL completes a server's chain from its CA store, so a server sends its CA even without
// --peer-ca-cert; the option matters for a CA the server does not itself trust.)
test("--bootstrap-ca-cert takes the CA from the server's chain, then verifies against it", async () => {
  const s = await server({ ...pki("server"), peerCaCert: pki.caCert });
  const caFile = join(dir, "bootstrapped-ca.pem");
  const ssl: SslOptions = { ...pki("client"), caCert: caFile, bootstrapCaCert: true };
  await assert.rejects(dial(`ssl:127.0.0.1:${s.port}`, { ssl }), /bootstrapped CA certificate/);
  assert.ok(existsSync(caFile));
  const fp = (f: string): string => new X509Certificate(readFileSync(f)).fingerprint256;
  assert.equal(fp(caFile), fp(pki.caCert));
  const conn = await connectJsonRpc(`ssl:127.0.0.1:${s.port}`, { ssl });
  assert.deepEqual(await conn.request("list_dbs", []), ["Alpha"]);
  conn.close();
  await s.close();
});
