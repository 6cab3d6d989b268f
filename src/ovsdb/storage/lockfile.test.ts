import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { acquireLock, LockError, type LockHelper, lockfileName, lockHolderPid } from "./lockfile.js";

const LOCKFILE_JS = fileURLToPath(new URL("./lockfile.js", import.meta.url));
let dir = "";
const children: ChildProcess[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ovnts-lock-"));
});
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** Another Node process that takes the lock with `helper` and prints "held", then idles (or exits). */
async function holderProcess(db: string, helper: LockHelper, thenExit = false): Promise<ChildProcess> {
  const script = `const m = await import(${JSON.stringify(LOCKFILE_JS)});
    await m.acquireLock(${JSON.stringify(db)}, { helpers: [${JSON.stringify(helper)}] });
    console.log("held");
    ${thenExit ? "" : "setInterval(() => {}, 1000);"}`;
  const c = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(c);
  await new Promise<void>((resolve, reject) => {
    c.stdout?.on("data", (d: Buffer) => (d.toString().includes("held") ? resolve() : undefined));
    c.on("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  }).catch((e: Error) => {
    if (!thenExit) throw e;
  });
  return c;
}

async function eventually(f: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(what);
}

const canLock = async (db: string, helper: LockHelper): Promise<boolean> => {
  try {
    const l = await acquireLock(db, { helpers: [helper] });
    await l.release();
    return true;
  } catch (e) {
    if (e instanceof LockError) return false;
    throw e;
  }
};

test("the lock file is .<name>.~lock~ beside the database, after following symlinks", async () => {
  assert.equal(await lockfileName(join(dir, "a.db")), join(dir, ".a.db.~lock~"));
  await writeFile(join(dir, "real.db"), "");
  await symlink(join(dir, "real.db"), join(dir, "link.db"));
  assert.equal(await lockfileName(join(dir, "link.db")), join(dir, ".real.db.~lock~"));
});

test("a second lock in the same process is refused with the C server's wording", async () => {
  const db = join(dir, "same.db");
  const l = await acquireLock(db);
  await assert.rejects(acquireLock(db), (e: unknown) => {
    return (
      e instanceof LockError &&
      e.message === `${db}: failed to lock lockfile (Resource temporarily unavailable)`
    );
  });
  await l.release();
  const again = await acquireLock(db);
  await again.release();
});

const installed = (cmd: string): boolean => spawnSync(cmd, ["--version"]).status === 0;
const haveBoth = installed("perl") && installed("python3");

for (const [holder, other] of [
  ["perl", "python3"],
  ["python3", "perl"],
  ["perl", "perl"],
] as const) {
  test(`a lock held through ${holder} in another process keeps ${other} out, and names the holder`, {
    skip: !haveBoth,
  }, async () => {
    const db = join(dir, `x-${holder}-${other}.db`);
    const c = await holderProcess(db, holder);
    await assert.rejects(acquireLock(db, { helpers: [other] }), (e: unknown) => {
      return e instanceof LockError && typeof e.holderPid === "number" && e.holderPid > 0;
    });
    assert.ok((await lockHolderPid(await lockfileName(db))) !== undefined);
    c.kill("SIGKILL");
    // The helper sees its stdin close and exits, which releases the lock.
    await eventually(() => canLock(db, other), "lock not released after the holder was killed");
  });
}

test("holding a lock does not keep a process alive; exiting releases it", {
  skip: !installed("perl"),
}, async () => {
  const db = join(dir, "exit.db");
  const c = await holderProcess(db, "perl", true);
  await new Promise<void>((r) => (c.exitCode !== null ? r() : c.on("exit", () => r())));
  await eventually(() => canLock(db, "perl"), "lock not released after the holder exited");
  assert.ok((await stat(await lockfileName(db))).isFile(), "the lock file stays, like the C tools'");
});
