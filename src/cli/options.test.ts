import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCommandLine as parseCtl } from "./ctl/command.js";
import { GENERIC_COMMANDS } from "./ctl/generic.js";
import { clientSslOptions, optValue, parseOptions, SSL_OPTIONS } from "./options.js";

test("daemon SSL options: long, short, and short glued to the value", () => {
  const p = parseOptions(
    ["-p", "/k.pem", "-c/c.pem", "--ca-cert=/ca.pem", "--ssl-protocols", "TLSv1.3", "x"],
    {
      ...SSL_OPTIONS,
    },
  );
  assert.equal(optValue(p, "private-key"), "/k.pem");
  assert.equal(optValue(p, "certificate"), "/c.pem");
  assert.deepEqual(p.positional, ["x"]);
  assert.deepEqual(clientSslOptions(p), {
    privateKey: "/k.pem",
    certificate: "/c.pem",
    caCert: "/ca.pem",
    protocols: "TLSv1.3",
  });
  // --bootstrap-ca-cert names the CA file, which the first connection may create.
  const b = parseOptions(["-p", "k", "-c", "c", "--bootstrap-ca-cert=/ca.pem"], { ...SSL_OPTIONS });
  assert.deepEqual(clientSslOptions(b), {
    privateKey: "k",
    certificate: "c",
    caCert: "/ca.pem",
    bootstrapCaCert: true,
  });
  // Without all three files there is no SSL configuration.
  assert.equal(clientSslOptions(parseOptions(["-p", "k"], { ...SSL_OPTIONS })), undefined);
  assert.throws(() => parseOptions(["-p"], { ...SSL_OPTIONS }), /option requires an argument -- 'p'/);
});

test("nbctl/sbctl take the SSL options before the command", () => {
  const table = new Map(GENERIC_COMMANDS.map((c) => [c.name, c]));
  const { global } = parseCtl(
    [
      "-p",
      "k.pem",
      "-cc.pem",
      "--ca-cert=ca.pem",
      "--ssl-ciphers=HIGH",
      "--db=ssl:1.2.3.4:6641",
      "list",
      "X",
    ],
    table,
  );
  assert.deepEqual(global.ssl, {
    privateKey: "k.pem",
    certificate: "c.pem",
    caCert: "ca.pem",
    ciphers: "HIGH",
  });
  assert.equal(global.db, "ssl:1.2.3.4:6641");
});
