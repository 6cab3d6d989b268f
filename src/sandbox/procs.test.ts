// Child: output lines are watched (seen already or to come), an exit ends the wait with the output's
// tail, and stop() escalates to SIGKILL for a child that ignores SIGTERM.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Child, pollUntil } from "./procs.js";

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-procs-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const node = (name: string, dir: string, script: string): Child =>
  new Child({ name, cmd: process.execPath, args: ["-e", script], logPath: join(dir, `${name}.out`) });

test("waitForLine: a line already printed or printed later; the log file gets everything", () =>
  withDir(async (dir) => {
    const c = node(
      "p",
      dir,
      `console.log("one"); setTimeout(() => { console.error("two"); setTimeout(() => {}, 5000); }, 100);`,
    );
    assert.equal(await c.waitForLine(/^two$/, 5000), "two");
    assert.equal(await c.waitForLine(/^one$/, 10), "one");
    assert.equal(c.exitReason(), undefined);
    await c.stop();
    assert.equal(c.running, false);
    assert.match(readFileSync(join(dir, "p.out"), "utf8"), /one\n(.|\n)*two\n/);
  }));

test("waitForLine rejects when the child exits first, with its last output", () =>
  withDir(async (dir) => {
    const c = node("q", dir, `console.log("boom"); process.exit(3);`);
    await assert.rejects(c.waitForLine(/never/, 5000), /q exited \(3\) before "never"\nboom/);
    assert.match(c.exitReason() ?? "", /^q exited \(3\)/);
    await assert.rejects(
      pollUntil(
        () => false,
        5000,
        "something",
        10,
        () => c.exitReason(),
      ),
      /gave up waiting for something: q exited \(3\)/,
    );
  }));

test("stop: SIGTERM first, SIGKILL after the grace period", () =>
  withDir(async (dir) => {
    const c = node(
      "r",
      dir,
      `process.on("SIGTERM", () => console.log("ignored")); console.log("up"); setInterval(() => {}, 1000);`,
    );
    await c.waitForLine(/^up$/, 5000);
    const t0 = Date.now();
    await c.stop(200);
    assert.equal(c.running, false);
    assert.ok(Date.now() - t0 >= 150, "waited for the grace period");
    assert.match(c.tail(), /ignored/);
  }));

test("pollUntil times out with what it waited for", async () => {
  await assert.rejects(
    pollUntil(() => false, 50, "the moon", 10),
    /timed out after 50 ms waiting for the moon/,
  );
});
