// The real ovs-appctl finds our daemon by name: `ovs-appctl -t ovsdb-server` reads RUNDIR/ovsdb-server.pid
// and requires the process named there to hold an fcntl lock on it (pidfile.ts).
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(repo, "bin/ovnts");

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env });
    let out = "";
    let err = "";
    c.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    c.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    c.on("close", (code) => resolve({ code, out, err }));
  });
}

async function waitFor(what: string, ok: () => boolean, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ok()) return;
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once("exit", (code) => r(code)));
}

test("ovs-appctl -t ovsdb-server reaches our server through its locked pidfile; a second server is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-pidfile-"));
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir };
  const db = join(dir, "nb.db");
  execFileSync("ovsdb-tool", ["create", db, join(repo, "schemas/ovn-nb.ovsschema")]);
  const pidfile = join(dir, "ovsdb-server.pid");
  const server = spawn(
    process.execPath,
    [bin, "ovsdb-server", "--pidfile", `--remote=punix:${join(dir, "db.sock")}`, db],
    {
      env,
      stdio: "ignore",
    },
  );
  try {
    await waitFor(
      "the pidfile and control socket",
      () => {
        if (!existsSync(pidfile)) return false;
        const pid = readFileSync(pidfile, "utf8").trim();
        return existsSync(join(dir, `ovsdb-server.${pid}.ctl`));
      },
      server,
    );
    const version = await run("ovs-appctl", ["-t", "ovsdb-server", "version"], env);
    assert.deepEqual([version.code, version.err], [0, ""]);
    assert.match(version.out, /^ovsdb-server \(ovnts\)/);
    const dbs = await run("ovs-appctl", ["-t", "ovsdb-server", "ovsdb-server/list-dbs"], env);
    assert.equal(dbs.out, "OVN_Northbound\n_Server\n");

    const pid = readFileSync(pidfile, "utf8").trim();
    const second = await run(
      process.execPath,
      [bin, "ovsdb-server", "--pidfile", `--remote=punix:${join(dir, "db2.sock")}`, db],
      env,
    );
    assert.equal(second.code, 1);
    assert.match(second.err, new RegExp(`${pidfile}: already running as pid ${pid}, aborting`));
    assert.equal(readFileSync(pidfile, "utf8").trim(), pid, "the running server's pidfile is left alone");

    // The process we started stands for the daemon: SIGTERM to it stops the daemon cleanly.
    server.kill("SIGTERM");
    assert.equal(await exited(server), 0);
    assert.equal(existsSync(pidfile), false, "pidfile removed on exit");
    assert.equal(existsSync(join(dir, `ovsdb-server.${pid}.ctl`)), false, "control socket removed on exit");
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
    await exited(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
