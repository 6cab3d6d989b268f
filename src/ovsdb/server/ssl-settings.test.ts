// SSL options read from the database, as ovn-ctl configures ovsdb-server (db:OVN_Northbound,SSL,...).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { schemaFile } from "../../base/schemas.js";
import { parseSchema } from "../schema/parse.js";
import { OvsdbServer } from "./server.js";
import { readDbString, resolveSsl, sslConfigured } from "./ssl-settings.js";

const OVN_CTL = {
  privateKey: "db:OVN_Northbound,SSL,private_key",
  certificate: "db:OVN_Northbound,SSL,certificate",
  caCert: "db:OVN_Northbound,SSL,ca_cert",
  protocols: "db:OVN_Northbound,SSL,ssl_protocols",
  ciphers: "db:OVN_Northbound,SSL,ssl_ciphers",
};

function serverWith(ops: unknown[]): OvsdbServer {
  const server = new OvsdbServer({ now: () => 0 });
  server.addDb(parseSchema(JSON.parse(readFileSync(schemaFile("ovn-nb"), "utf8"))), undefined);
  const s = server.connect({ name: "t", sendText: () => undefined, close: () => undefined });
  server.handle(s, "transact", ["OVN_Northbound", ...ops], 1);
  return server;
}

test("db: SSL options follow the SSL row; nothing until it has key, certificate and CA", () => {
  const empty = serverWith([]);
  assert.equal(resolveSsl(empty, OVN_CTL), undefined);
  assert.equal(sslConfigured(OVN_CTL), true);
  assert.equal(sslConfigured({}), false);

  const server = serverWith([
    {
      op: "insert",
      table: "SSL",
      row: { private_key: "/k.pem", certificate: "/c.pem", ca_cert: "/ca.pem", ssl_protocols: "TLSv1.3" },
      "uuid-name": "ssl",
    },
    // SSL is not a root table: NB_Global.ssl keeps the row alive, as ovn-nbctl set-ssl does.
    { op: "insert", table: "NB_Global", row: { ssl: ["named-uuid", "ssl"] } },
  ]);
  assert.deepEqual(resolveSsl(server, OVN_CTL), {
    privateKey: "/k.pem",
    certificate: "/c.pem",
    caCert: "/ca.pem",
    protocols: "TLSv1.3", // ssl_ciphers is "": not set
  });
  // Plain values pass through; a missing table or column reads as unset.
  assert.equal(readDbString(server, "/etc/ovn/key.pem"), "/etc/ovn/key.pem");
  assert.equal(readDbString(server, "db:OVN_Northbound,SSL,nonesuch"), undefined);
  assert.equal(readDbString(server, "db:Nope,SSL,private_key"), undefined);
  // Mixed: files on the command line, protocols from the database.
  assert.deepEqual(
    resolveSsl(server, { privateKey: "/a", certificate: "/b", caCert: "/c", protocols: OVN_CTL.protocols }),
    {
      privateKey: "/a",
      certificate: "/b",
      caCert: "/c",
      protocols: "TLSv1.3",
    },
  );
});
