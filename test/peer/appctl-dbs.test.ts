// The real ovs-appctl's database commands against both servers: ovsdb-server/remove-db, add-db (the
// same file back, its rows intact and writable), get-db-storage-status, sync-status, reconnect and
// memory-trim-on-compaction, with ovsdb-server 3.1's answers and error texts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { run, runOk, type Sandbox, startDbServer, withSandbox } from "../support/sandbox.js";

async function appctl(sb: Sandbox, ctl: string, file: string, ...args: string[]) {
  const r = await run("ovs-appctl", ["-t", ctl, ...args], { env: sb.env, timeoutMs: 15_000 });
  const clean = (t: string) => t.split(ctl).join("CTL").split(file).join("FILE");
  return { code: r.code, stdout: clean(r.stdout), stderr: clean(r.stderr) };
}

test("ovsdb-server/add-db, remove-db and the status commands answer as ovsdb-server 3.1's", async () => {
  await withSandbox(async (sb) => {
    const answers: Record<string, unknown[]> = {};
    for (const impl of ["c", "ovnts"] as const) {
      const db = await startDbServer(sb, { impl, name: `db-${impl}`, schemas: ["ovn-nb", "ovn-sb"] });
      const sbFile = db.dbFiles["ovn-sb"] as string;
      const client = (...args: string[]) => runOk("ovsdb-client", args, { env: sb.env, timeoutMs: 15_000 });
      await client(
        "transact",
        db.remote,
        '["OVN_Southbound",{"op":"insert","table":"Chassis","row":{"name":"hv1","hostname":"h"}}]',
      );
      const steps: string[][] = [
        ["ovsdb-server/remove-db", "_Server"],
        ["ovsdb-server/remove-db", "nosuch"],
        ["ovsdb-server/remove-db", "OVN_Southbound"],
        ["ovsdb-server/list-dbs"],
        ["ovsdb-server/add-db", sbFile],
        ["ovsdb-server/add-db", sbFile],
        ["ovsdb-server/add-db", `${sbFile}.missing`],
        ["ovsdb-server/list-dbs"],
        ["ovsdb-server/get-db-storage-status", "OVN_Southbound"],
        ["ovsdb-server/get-db-storage-status", "nosuch"],
        ["ovsdb-server/sync-status"],
        ["ovsdb-server/memory-trim-on-compaction", "on"],
        ["ovsdb-server/memory-trim-on-compaction", "maybe"],
        ["ovsdb-server/reconnect"],
      ];
      const out: unknown[] = [];
      for (const s of steps)
        out.push({
          step: s.join(" ").split(sbFile).join("FILE"),
          ...(await appctl(sb, db.ctlPath, sbFile, ...s)),
        });
      // The database came back with its rows, and takes new ones.
      await client(
        "transact",
        db.remote,
        '["OVN_Southbound",{"op":"insert","table":"Chassis","row":{"name":"hv2","hostname":"h"}}]',
      );
      const [reply] = JSON.parse(
        await client(
          "query",
          db.remote,
          '["OVN_Southbound",{"op":"select","table":"Chassis","where":[],"columns":["name"]}]',
        ),
      ) as [{ rows: { name: string }[] }];
      out.push(reply.rows.map((r) => r.name).sort());
      answers[impl] = out;
    }
    assert.deepEqual(answers.ovnts, answers.c);
  });
});
