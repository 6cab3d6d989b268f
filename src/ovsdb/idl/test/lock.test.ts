// IDL locks against the real server core over in-memory pipes: who gets the lock, hand-over when the owner
// goes, stealing, re-locking after a reconnect, and transactions refused locally or by "not owner".
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Json } from "../../../jsonrpc/json.js";
import { type OvnSbTables, ovnSbModel } from "../generated/ovn-sb.js";
import { Idl } from "../idl.js";
import { LockState, NotLockedError } from "../lock.js";
import { MemServer, settle, until } from "./mem-server.js";

const SB = "OVN_Southbound";
const LOCK = "ovn_northd";

function newIdl(ms: MemServer, remote: string): Idl<OvnSbTables> {
  ms.up.add(remote);
  return new Idl(ovnSbModel, { remotes: [remote], dial: ms.dial, clock: ms.clock });
}

async function lockedIdl(ms: MemServer, remote: string): Promise<Idl<OvnSbTables>> {
  const idl = newIdl(ms, remote);
  idl.setLock(LOCK);
  idl.start();
  await until(ms.clock, () => idl.isSynced && (idl.hasLock || idl.isLockContended), `${remote} to sync`);
  return idl;
}

function sent(ms: MemServer, remote: string): string[] {
  return ms.requests.filter((r) => r.startsWith(`${remote} `)).map((r) => r.split(" ")[1] as string);
}

function transacts(ms: MemServer, remote: string): Json[][] {
  return ms.received
    .filter((r, i) => r.method === "transact" && ms.requests[i]?.startsWith(`${remote} `))
    .map((r) => r.params);
}

const addSet = (idl: Idl<OvnSbTables>, name: string) =>
  idl.transact((txn) => {
    txn.insert("Address_Set", { name });
  });

test("lock is asked for right behind the first get_schema, as the C IDL does", async () => {
  const ms = new MemServer(["ovn-sb"]);
  const a = await lockedIdl(ms, "unix:/a.sock");
  assert.deepEqual(sent(ms, "unix:/a.sock").slice(0, 2), ["get_schema", "lock"]);
  assert.deepEqual(ms.received[1]?.params, [LOCK]);
  assert.equal(a.hasLock, true);
  assert.equal(a.isLockContended, false);
  assert.equal(a.lockName, LOCK);
  a.stop();
});

test("two clients want one lock: the first gets it, the second after the first disconnects", async () => {
  const ms = new MemServer(["ovn-sb"]);
  const a = await lockedIdl(ms, "unix:/a.sock");
  const b = newIdl(ms, "unix:/b.sock");
  const bEvents: boolean[] = [];
  b.onLockChange((has) => bEvents.push(has));
  b.setLock(LOCK);
  b.start();
  await until(ms.clock, () => b.isSynced && b.isLockContended, "B to find the lock taken");
  assert.equal(a.hasLock, true);
  assert.equal(b.hasLock, false);

  // B's transaction is refused without being sent; A's goes out with the assert last.
  await assert.rejects(addSet(b, "hv-b"), (e: unknown) => {
    assert.ok(e instanceof NotLockedError);
    assert.equal(e.message, `not locked: lock "${LOCK}" is held by another client`);
    return true;
  });
  assert.equal(transacts(ms, "unix:/b.sock").length, 0);
  await addSet(a, "hv-a");
  const [params] = transacts(ms, "unix:/a.sock");
  assert.equal(params?.[0], SB);
  assert.deepEqual(params?.at(-1), { op: "assert", lock: LOCK });

  a.stop();
  await until(ms.clock, () => b.hasLock, "B to get the lock");
  assert.deepEqual(bEvents, [true]);
  assert.equal(b.isLockContended, false);
  await addSet(b, "hv-b");
  await until(ms.clock, () => b.count("Address_Set") === 2, "B to see both address sets");
  b.stop();
});

test("the lock is asked for again on every reconnect", async () => {
  const ms = new MemServer(["ovn-sb"]);
  const a = await lockedIdl(ms, "unix:/a.sock");
  const events: boolean[] = [];
  a.onLockChange((has) => events.push(has));
  ms.dropAll();
  await until(ms.clock, () => !a.isConnected, "A to notice");
  assert.equal(a.hasLock, false);
  const txn = a.txn();
  txn.insert("Address_Set", { name: "x" });
  await assert.rejects(a.commit(txn), /not connected/);
  await until(ms.clock, () => a.isSynced && a.hasLock, "A to reconnect and re-lock");
  assert.deepEqual(events, [false, true]);
  assert.equal(sent(ms, "unix:/a.sock").filter((m) => m === "lock").length, 2);
  a.stop();
});

test("steal takes the lock; the old owner is told and its transactions are refused", async () => {
  const ms = new MemServer(["ovn-sb"]);
  const a = await lockedIdl(ms, "unix:/a.sock");
  const b = await lockedIdl(ms, "unix:/b.sock");
  assert.equal(b.isLockContended, true);
  b.stealLock();
  await until(ms.clock, () => b.hasLock && !a.hasLock, "B to steal the lock");
  assert.equal(a.isLockContended, true);
  await assert.rejects(addSet(a, "x"), NotLockedError);
  // Stolen from, A stays queued: when B lets go, A has it again.
  b.setLock(undefined);
  assert.equal(b.hasLock, false);
  await settle();
  assert.deepEqual(sent(ms, "unix:/b.sock").slice(-3), ["unlock", "steal", "unlock"]);
  await until(ms.clock, () => a.hasLock, "A to get the lock back");
  await addSet(b, "from-b-without-lock");
  assert.equal(transacts(ms, "unix:/b.sock").at(-1)?.length, 2, "no assert once no lock is wanted");
  a.stop();
  b.stop();
});

test("changing the wanted lock releases the old one", async () => {
  const ms = new MemServer(["ovn-sb"]);
  const a = await lockedIdl(ms, "unix:/a.sock");
  const b = await lockedIdl(ms, "unix:/b.sock");
  a.setLock("other");
  await until(ms.clock, () => a.hasLock && b.hasLock, "both to hold a lock");
  assert.equal(a.lockName, "other");
  a.stop();
  b.stop();
});

test('a transaction answered "not owner" fails with NotLockedError', async () => {
  const ms = new MemServer(["ovn-sb"]);
  const a = await lockedIdl(ms, "unix:/a.sock");
  ms.intercept = (req) =>
    req.method === "transact"
      ? { result: [{ uuid: ["uuid", "0"] }, { error: "not owner", details: "Asserted lock not held." }] }
      : undefined;
  await assert.rejects(addSet(a, "x"), (e: unknown) => e instanceof NotLockedError && /lost/.test(e.message));
  a.stop();
  await settle();
});

test("LockState: replies and notifications about another lock are ignored", () => {
  const s = new LockState();
  assert.deepEqual(s.set("a", false), []);
  assert.deepEqual(s.connected(), [{ method: "lock", lock: "a" }]);
  s.replied("b", { locked: true });
  assert.equal(s.hasLock, false);
  assert.equal(s.notified("locked", ["b"]), false);
  s.replied("a", { locked: false });
  assert.equal(s.isContended, true);
  assert.equal(s.notified("locked", ["a"]), true);
  assert.equal(s.hasLock, true);
  assert.equal(s.refusal(), undefined);
  assert.deepEqual(s.set("c", true), [
    { method: "unlock", lock: "a" },
    { method: "lock", lock: "c" },
  ]);
  assert.equal(s.hasLock, false);
  assert.ok(s.refusal() instanceof NotLockedError);
  assert.deepEqual(s.set(undefined, true), [{ method: "unlock", lock: "c" }]);
  assert.equal(s.refusal(), undefined);
  assert.equal(s.assertOp(), undefined);
});
