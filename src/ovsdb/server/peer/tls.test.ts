// TLS between the ovnts database server and the real OVN tools, and between our clients and the real
// ovsdb-server, with certificates made by the real ovs-pki.
//   - ovnts ovsdb-server started as ovn-ctl starts the OVN databases (SSL files and remotes read from the
//     SSL and Connection tables), configured with the real ovn-nbctl/ovn-sbctl set-ssl/set-connection;
//     the real ovn-nbctl, ovn-sbctl and ovn-controller then connect over ssl:.
//   - our nbctl, sbctl, ovsdb-client, northd and controller over ssl: to the real ovsdb-server.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { test } from "node:test";
import { connect as tlsConnect } from "node:tls";
import { ovntsBin } from "../../../../test/support/paths.js";
import {
  nbctl,
  runOk,
  type Sandbox,
  sbctl,
  startController,
  startDbServer,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import { makePki, type Pki } from "../../../jsonrpc/peer/pki.js";
import type { SslOptions } from "../../../jsonrpc/transport/ssl.js";

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The certificate a TLS server presents (SHA-256 fingerprint), seen by a client with `ssl`. */
function serverFingerprint(port: number, ssl: SslOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({
      host: "127.0.0.1",
      port,
      key: readFileSync(ssl.privateKey),
      cert: readFileSync(ssl.certificate),
      ca: readFileSync(ssl.caCert),
      checkServerIdentity: () => undefined,
    });
    s.once("secureConnect", () => {
      resolve(s.getPeerCertificate().fingerprint256);
      s.destroy();
    });
    s.once("error", reject);
  });
}

const sslFlags = (o: SslOptions): string[] => ["-p", o.privateKey, "-c", o.certificate, "-C", o.caCert];

/** An ovnts ovsdb-server for one OVN database with ovn-ctl's flags; returns its unix remote. */
async function ovnCtlStyleServer(sb: Sandbox, db: "OVN_Northbound" | "OVN_Southbound"): Promise<string> {
  const [short, schema, global] =
    db === "OVN_Northbound" ? ["nb", "ovn-nb", "NB_Global"] : ["sb", "ovn-sb", "SB_Global"];
  const file = sb.path(`${short}.db`);
  await runOk("ovsdb-tool", ["create", file, `/usr/share/ovn/${schema}.ovsschema`]);
  const sock = sb.path(`${short}.sock`);
  const daemon = sb.spawn({
    name: `${short}-server`,
    cmd: process.execPath,
    args: [
      ovntsBin(),
      "ovsdb-server",
      `--remote=punix:${sock}`,
      `--remote=db:${db},${global},connections`,
      `--private-key=db:${db},SSL,private_key`,
      `--certificate=db:${db},SSL,certificate`,
      `--ca-cert=db:${db},SSL,ca_cert`,
      `--ssl-protocols=db:${db},SSL,ssl_protocols`,
      `--ssl-ciphers=db:${db},SSL,ssl_ciphers`,
      `--unixctl=${sb.path(`${short}.ctl`)}`,
      `--log-file=${sb.path(`${short}.log`)}`,
      file,
    ],
    logPath: sb.path(`${short}.log`),
  });
  const remote = `unix:${sock}`;
  await waitUntil(() => runOk("ovsdb-client", ["list-dbs", remote]), 30_000, {
    what: `${short} server`,
    unless: () => daemon.assertRunning(),
  });
  return remote;
}

test("the real ovn-nbctl, ovn-sbctl and ovn-controller reach ovnts ovsdb-server over SSL (ovn-ctl set-up)", async () => {
  await withSandbox(async (sb) => {
    const pki: Pki = await makePki(sb.path("pki"), ["server", "server2", "admin", "hv1"]);
    const server = pki("server");
    sb.dbs.nb = await ovnCtlStyleServer(sb, "OVN_Northbound");
    sb.dbs.sb = await ovnCtlStyleServer(sb, "OVN_Southbound");
    const [nbPort, sbPort] = [await freePort(), await freePort()];
    await nbctl(sb, "set-ssl", server.privateKey, server.certificate, server.caCert);
    await nbctl(sb, "set-connection", `pssl:${nbPort}:127.0.0.1`);
    await sbctl(sb, "set-ssl", server.privateKey, server.certificate, server.caCert);
    await sbctl(sb, "set-connection", `pssl:${sbPort}:127.0.0.1`);

    const nbSsl = [...sslFlags(pki("admin")), `--db=ssl:127.0.0.1:${nbPort}`, "--timeout=10"];
    // The listener opens once the server has read its Connection and SSL rows.
    await waitUntil(() => runOk("ovn-nbctl", [...nbSsl, "ls-add", "sw0"], { env: sb.env }), 30_000, {
      what: "ovn-nbctl over SSL",
    });
    assert.match(await runOk("ovn-nbctl", [...nbSsl, "show"], { env: sb.env }), /switch .* \(sw0\)/);
    // Without a certificate: refused.
    const anon = await runOk("ovn-nbctl", [`--db=ssl:127.0.0.1:${nbPort}`, "--timeout=3", "show"], {
      env: sb.env,
    }).then(
      () => "connected",
      (e: unknown) => String(e),
    );
    assert.notEqual(anon, "connected");

    // Certificate files replaced in place: the next connection gets the new certificate, no restart.
    const fingerprint = (f: string): string => new X509Certificate(readFileSync(f)).fingerprint256;
    assert.equal(await serverFingerprint(nbPort, pki("admin")), fingerprint(server.certificate));
    const oldCert = fingerprint(server.certificate);
    copyFileSync(pki("server2").privateKey, server.privateKey);
    copyFileSync(pki("server2").certificate, server.certificate);
    assert.equal(await serverFingerprint(nbPort, pki("admin")), fingerprint(pki("server2").certificate));
    assert.notEqual(fingerprint(server.certificate), oldCert);
    assert.match(await runOk("ovn-nbctl", [...nbSsl, "ls-list"], { env: sb.env }), /\(sw0\)/);

    const sbSsl = [...sslFlags(pki("admin")), `--db=ssl:127.0.0.1:${sbPort}`, "--timeout=10"];
    await waitUntil(() => runOk("ovn-sbctl", [...sbSsl, "show"], { env: sb.env }), 30_000, {
      what: "ovn-sbctl over SSL",
    });

    // ovn-controller takes its SSL files from the local Open_vSwitch database's SSL row.
    const ovs = await startDbServer(sb, { impl: "c", name: "ovs", schemas: ["vswitch"] });
    const hv1 = pki("hv1");
    await runOk("ovs-vsctl", [`--db=${ovs.remote}`, "--no-wait", "init"], { env: sb.env });
    await runOk(
      "ovs-vsctl",
      [`--db=${ovs.remote}`, "--no-wait", "set-ssl", hv1.privateKey, hv1.certificate, hv1.caCert],
      {
        env: sb.env,
      },
    );
    // Registered (its Chassis row appears) through the ssl: remote only.
    await startController(sb, {
      ovsDb: ovs.sock,
      systemId: "hv1",
      externalIds: { "ovn-remote": `ssl:127.0.0.1:${sbPort}` },
      readyTimeoutMs: 60_000,
    });
    const chassis = await runOk("ovn-sbctl", [...sbSsl, "--bare", "--columns=name", "list", "Chassis"], {
      env: sb.env,
    });
    assert.equal(chassis.trim(), "hv1");
  });
});

test("our nbctl, sbctl, ovsdb-client, northd and controller reach the real ovsdb-server over SSL", async () => {
  await withSandbox(async (sb) => {
    const pki: Pki = await makePki(sb.path("pki"), ["server", "client"]);
    const port = await freePort();
    const files: string[] = [];
    for (const schema of ["ovn-nb", "ovn-sb"]) {
      files.push(sb.path(`${schema}.db`));
      await runOk("ovsdb-tool", ["create", sb.path(`${schema}.db`), `/usr/share/ovn/${schema}.ovsschema`]);
    }
    const server = pki("server");
    const central = sb.spawn({
      name: "central",
      cmd: "ovsdb-server",
      args: [
        `--remote=punix:${sb.path("central.sock")}`,
        `--remote=pssl:${port}:127.0.0.1`,
        `--private-key=${server.privateKey}`,
        `--certificate=${server.certificate}`,
        `--ca-cert=${server.caCert}`,
        `--unixctl=${sb.path("central.ctl")}`,
        `--log-file=${sb.path("central.log")}`,
        "--no-chdir",
        ...files,
      ],
      logPath: sb.path("central.log"),
    });
    await waitUntil(() => runOk("ovsdb-client", ["list-dbs", `unix:${sb.path("central.sock")}`]), 30_000, {
      what: "the real ovsdb-server",
      unless: () => central.assertRunning(),
    });
    const ssl = `ssl:127.0.0.1:${port}`;
    const client = sslFlags(pki("client"));
    const ovnts = (...args: string[]): Promise<string> =>
      runOk(process.execPath, [ovntsBin(), ...args], { env: sb.env, timeoutMs: 60_000 });

    assert.equal(
      await ovnts("ovsdb-client", ...client, "list-dbs", ssl),
      "OVN_Northbound\nOVN_Southbound\n_Server\n",
    );
    await ovnts("nbctl", ...client, `--db=${ssl}`, "ls-add", "sw0");
    assert.match(await ovnts("nbctl", ...client, `--db=${ssl}`, "ls-list"), /\(sw0\)/);
    // Without SSL files, or with --ssl-protocols the server does not speak, nothing gets through.
    await assert.rejects(ovnts("nbctl", `--db=${ssl}`, "--timeout=3", "ls-list"));

    sb.spawn({
      name: "northd",
      cmd: process.execPath,
      args: [
        ovntsBin(),
        "northd",
        `--ovnnb-db=${ssl}`,
        `--ovnsb-db=${ssl}`,
        ...client,
        `--log-file=${sb.path("northd.log")}`,
        `--unixctl=${sb.path("northd.ctl")}`,
      ],
      logPath: sb.path("northd.log"),
    });
    // Our controller registers its chassis through the ssl: Southbound remote.
    const ovs = await startDbServer(sb, { impl: "c", name: "ovs", schemas: ["vswitch"] });
    const vsctl = (...args: string[]) =>
      runOk("ovs-vsctl", [`--db=${ovs.remote}`, "--no-wait", ...args], { env: sb.env });
    await vsctl("init");
    await vsctl(
      "set",
      "Open_vSwitch",
      ".",
      "external_ids:system-id=hv1",
      `external_ids:ovn-remote="${ssl}"`,
      "external_ids:ovn-encap-type=geneve",
      "external_ids:ovn-encap-ip=127.0.0.1",
    );
    sb.spawn({
      name: "controller",
      cmd: process.execPath,
      args: [
        ovntsBin(),
        "controller",
        ...client,
        `--log-file=${sb.path("controller.log")}`,
        `--unixctl=${sb.path("controller.ctl")}`,
        ovs.remote,
      ],
      logPath: sb.path("controller.log"),
    });
    await waitUntil(
      async () =>
        (
          await runOk("ovn-sbctl", [
            `--db=unix:${sb.path("central.sock")}`,
            "--bare",
            "--columns=name",
            "list",
            "Chassis",
          ])
        ).trim() === "hv1",
      60_000,
      { what: "ovnts controller to register hv1 over SSL" },
    );
    // northd translated sw0 into a Southbound datapath, read back by our sbctl over SSL.
    await waitUntil(
      async () =>
        (
          await ovnts(
            "sbctl",
            ...client,
            `--db=${ssl}`,
            "--bare",
            "--columns=external_ids",
            "list",
            "Datapath_Binding",
          )
        ).includes("name=sw0"),
      60_000,
      { what: "northd over SSL to create sw0's datapath" },
    );
  });
});
