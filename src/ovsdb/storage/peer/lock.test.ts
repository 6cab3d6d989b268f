// The ".<name>.~lock~" lock is shared with the real tools: each side refuses a database the other holds.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LogFile } from "../file.js";
import { LockError } from "../lockfile.js";
import { haveOvs, run, serverFails, startServer, VSWITCH_SCHEMA } from "./realtools.js";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ovnts-peer-lock-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const helper of ["perl", "python3"] as const) {
  test(`ours (via ${helper}) refuses a database held by the real ovsdb-server`, {
    skip: !haveOvs,
  }, async () => {
    const db = join(dir, `held-by-c-${helper}.db`);
    run("ovsdb-tool", ["create", db, VSWITCH_SCHEMA]);
    const server = await startServer(dir, db, `c-${helper}`);
    try {
      await assert.rejects(LogFile.open(db, { lockHelpers: [helper] }), (e: unknown) => {
        assert.ok(e instanceof LockError);
        assert.equal(e.message, `${db}: failed to lock lockfile (Resource temporarily unavailable)`);
        assert.equal(e.holderPid, server.proc.pid);
        return true;
      });
    } finally {
      await server.stop();
    }
    const { file } = await LogFile.open(db, { lockHelpers: [helper] });
    await file.close();
  });

  test(`the real ovsdb-server and ovsdb-tool refuse a database held by ours (via ${helper})`, {
    skip: !haveOvs,
  }, async () => {
    const db = join(dir, `held-by-us-${helper}.db`);
    run("ovsdb-tool", ["create", db, VSWITCH_SCHEMA]);
    const { file } = await LogFile.open(db, { lockHelpers: [helper] });
    try {
      const r = serverFails(dir, db);
      assert.notEqual(r.status, 0);
      assert.match(
        r.stderr,
        /\.held-by-us-\w+\.db\.~lock~: cannot lock file because it is already locked by pid \d+/,
      );
      assert.match(
        r.stderr,
        /ovsdb-server: I\/O error: .*: failed to lock lockfile \(Resource temporarily unavailable\)/,
      );
      const t = run("ovsdb-tool", ["transact", db, '["Open_vSwitch"]'], true);
      assert.notEqual(t.status, 0);
      assert.match(t.stderr, /failed to lock lockfile/);
    } finally {
      await file.close();
    }
    const server = await startServer(dir, db, `after-${helper}`);
    await server.stop();
  });
}
