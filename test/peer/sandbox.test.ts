// The harness itself: everything a sandbox starts or makes is gone after cleanup, a failed test shows
// the daemons' logs, and a server that dies during start-up is reported at once with its last words.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import {
  addNetns,
  addVeth,
  implementations,
  run,
  Sandbox,
  startDbServer,
  withSandbox,
} from "../support/sandbox.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("cleanup kills daemons, deletes namespaces and host veths, removes the directory", async () => {
  const sb = Sandbox.create();
  let pid = 0;
  let ns = "";
  try {
    assert.equal(sb.env.OVS_RUNDIR, sb.dir);
    assert.equal(sb.env.OVN_DBDIR, sb.dir);
    const db = await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    pid = db.pid;
    ns = await addNetns(sb, "t");
    await addVeth(sb, { name: `ovt${sb.tag}` }, { name: "eth0", netns: ns });
    assert.ok(alive(pid));
    assert.equal((await run("ip", ["link", "show", `ovt${sb.tag}`])).code, 0);
  } finally {
    await sb.cleanup();
  }
  assert.equal(alive(pid), false, "server process is gone");
  assert.equal(existsSync(sb.dir), false, "sandbox directory is gone");
  assert.doesNotMatch((await run("ip", ["netns", "list"])).stdout, new RegExp(ns));
  assert.notEqual((await run("ip", ["link", "show", `ovt${sb.tag}`])).code, 0, "host veth end is gone");
});

test("a failing test prints the tail of every daemon's log, then cleans up", async () => {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  let dir = "";
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await assert.rejects(
      withSandbox(async (sb) => {
        dir = sb.dir;
        await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
        throw new Error("boom");
      }),
      /boom/,
    );
  } finally {
    process.stderr.write = original;
  }
  const report = written.join("");
  assert.match(report, /test failed; daemon logs from /);
  assert.match(report, /=== nb: pid \d+ running: ovsdb-server /);
  assert.match(report, /--- nb log \(.*nb\.log, last \d+ of \d+ lines\) ---/);
  assert.equal(existsSync(dir), false);
});

for (const impl of implementations()) {
  test(`[${impl}] a server that cannot open its database exits, and start-up fails at once saying why`, () =>
    withSandbox(async (sb) => {
      writeFileSync(sb.path("nb-ovn-nb.db"), "this is not an ovsdb file\n");
      const started = Date.now();
      await assert.rejects(startDbServer(sb, { impl, name: "nb", schemas: ["ovn-nb"] }), (e: Error) => {
        assert.match(e.message, /^nb exited \(exit status [1-9]\d*\)/);
        assert.match(e.message, /nb-ovn-nb\.db/, "the message names the file it could not read");
        return true;
      });
      assert.ok(Date.now() - started < 5000, "no waiting out the readiness timeout");
    }));
}
