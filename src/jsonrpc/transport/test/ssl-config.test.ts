import assert from "node:assert/strict";
import { test } from "node:test";
import { tlsSettings } from "../ssl.js";
import { parseDbColumnRef, parseSslProtocols } from "../ssl-config.js";

test("--ssl-protocols lists become node:tls version ranges", () => {
  const cases: Array<[string, string, string, boolean]> = [
    ["TLSv1.2", "TLSv1.2", "TLSv1.2", false],
    ["TLSv1.2,TLSv1.3", "TLSv1.2", "TLSv1.3", false],
    ["TLSv1.3 TLSv1.2", "TLSv1.2", "TLSv1.3", false],
    ["TLSv1,TLSv1.1,TLSv1.2", "TLSv1", "TLSv1.2", false],
    ["TLSv1, TLSv1.2", "TLSv1", "TLSv1.2", true],
  ];
  for (const [text, min, max, gap] of cases)
    assert.deepEqual(parseSslProtocols(text), { minVersion: min, maxVersion: max, gap }, text);
  assert.throws(
    () => parseSslProtocols("TLSv1.2,SSLv3"),
    /^SslConfigError: SSLv3: SSL protocol not recognized$/,
  );
  assert.throws(() => parseSslProtocols(" , "), /at least one valid SSL protocol must be enabled/);
});

test("defaults: TLS 1.2 and 1.3, OVS's cipher list; old protocols lower OpenSSL's security level", () => {
  const files = { privateKey: "k", certificate: "c", caCert: "ca" };
  assert.deepEqual(tlsSettings(files), {
    minVersion: "TLSv1.2",
    maxVersion: "TLSv1.3",
    ciphers: "HIGH:!aNULL:!MD5",
  });
  assert.deepEqual(tlsSettings({ ...files, protocols: "TLSv1.1,TLSv1.2", ciphers: "AES256-SHA" }), {
    minVersion: "TLSv1.1",
    maxVersion: "TLSv1.2",
    ciphers: "AES256-SHA:@SECLEVEL=0",
  });
});

test("db:DB,TABLE,COLUMN references", () => {
  assert.deepEqual(parseDbColumnRef("db:OVN_Northbound,SSL,private_key"), {
    db: "OVN_Northbound",
    table: "SSL",
    column: "private_key",
  });
  for (const t of ["/etc/key.pem", "db:OVN_Northbound,SSL", "db:a,,c", "db:a,b,c,d"])
    assert.equal(parseDbColumnRef(t), undefined, t);
});
