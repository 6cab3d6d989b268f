// IDL locks against real database servers (the C ovsdb-server 3.1 and `ovnts ovsdb-server`): two IDLs
// want one lock, one gets it and the other gets it when the first disconnects; stealing; and the lock
// shared with the real ovn-northd, whose "status" shows who won.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  implementations,
  type Sandbox,
  startDbServer,
  startNorthd,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import { connectIdl } from "../connect.js";
import { type OvnSbTables, ovnSbModel } from "../generated/ovn-sb.js";
import type { Idl } from "../idl.js";
import { NotLockedError } from "../lock.js";

const WAIT_MS = 10_000;
const LOCK = "ovn_northd";

async function lockingIdl(remote: string, lock = LOCK): Promise<Idl<OvnSbTables>> {
  const idl = connectIdl(ovnSbModel, remote, { minBackoffMs: 100, maxBackoffMs: 400 });
  idl.setLock(lock);
  await idl.waitUntil(() => idl.isSynced && (idl.hasLock || idl.isLockContended), WAIT_MS);
  return idl;
}

const addSet = (idl: Idl<OvnSbTables>, name: string) =>
  idl.transact((txn) => {
    txn.insert("Address_Set", { name });
  });

async function northdStatus(northd: { appctl(...a: string[]): Promise<string> }): Promise<string> {
  return (await northd.appctl("status")).trim();
}

async function sbOnly(sb: Sandbox, impl: "c" | "ovnts"): Promise<string> {
  return (await startDbServer(sb, { impl, name: "sb", schemas: ["ovn-sb"] })).remote;
}

for (const impl of implementations()) {
  test(`[${impl}] two IDLs want one lock: the first holds it, the second gets it when the first goes`, () =>
    withSandbox(async (sb) => {
      const remote = await sbOnly(sb, impl);
      const a = await lockingIdl(remote);
      const b = await lockingIdl(remote);
      try {
        assert.equal(a.hasLock, true);
        assert.equal(b.hasLock, false);
        assert.equal(b.isLockContended, true);
        await assert.rejects(addSet(b, "from-b"), NotLockedError);
        // The server accepts A's transactions, which assert the lock.
        await addSet(a, "from-a");
        const changes: boolean[] = [];
        b.onLockChange((has) => changes.push(has));
        a.stop();
        await b.waitUntil(() => b.hasLock, WAIT_MS);
        assert.deepEqual(changes, [true]);
        await addSet(b, "from-b");
        assert.deepEqual(
          b
            .rows("Address_Set")
            .map((r) => r.name)
            .sort(),
          ["from-a", "from-b"],
        );
      } finally {
        a.stop();
        b.stop();
      }
    }));

  test(`[${impl}] steal: the owner is told "stolen", and gets the lock back when the thief lets go`, () =>
    withSandbox(async (sb) => {
      const remote = await sbOnly(sb, impl);
      const a = await lockingIdl(remote);
      const b = await lockingIdl(remote);
      try {
        b.stealLock();
        await b.waitUntil(() => b.hasLock, WAIT_MS);
        await a.waitUntil(() => !a.hasLock, WAIT_MS);
        assert.equal(a.isLockContended, true);
        await assert.rejects(addSet(a, "x"), NotLockedError);
        await addSet(b, "from-b");
        b.setLock(undefined);
        await a.waitUntil(() => a.hasLock, WAIT_MS);
        await addSet(a, "from-a");
      } finally {
        a.stop();
        b.stop();
      }
    }));

  test(`[${impl}] the IDL and the real ovn-northd share the ovn_northd lock`, () =>
    withSandbox(async (sb) => {
      await startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] });
      const remote = await sbOnly(sb, impl);
      const northd = await startNorthd(sb);
      const idl = await lockingIdl(remote);
      try {
        assert.equal(idl.isLockContended, true, "northd holds it");
        idl.stealLock();
        await idl.waitUntil(() => idl.hasLock, WAIT_MS);
        await waitUntil(async () => (await northdStatus(northd)) === "Status: standby", WAIT_MS, {
          what: "ovn-northd to go standby",
        });
        idl.stop();
        await waitUntil(async () => (await northdStatus(northd)) === "Status: active", WAIT_MS, {
          what: "ovn-northd to become active again",
        });
      } finally {
        idl.stop();
      }
    }));
}
