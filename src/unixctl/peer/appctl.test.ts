// The real ovs-appctl drives our UnixctlServer; where the real ovsdb-server has the same situation
// (unknown command, wrong argument count, an error reply) its output is the reference.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { run, startDaemon, stopDaemon } from "../../jsonrpc/peer/helpers.js";
import { UnixctlError } from "../commands.js";
import { UnixctlServer } from "../server.js";

const dir = mkdtempSync(join(tmpdir(), "ovnts-appctl-"));
const ours = join(dir, "ours.ctl");
const theirs = join(dir, "theirs.ctl");
let server: UnixctlServer | undefined;
let real: ChildProcess | undefined;

before(async () => {
  server = await UnixctlServer.listen(ours, { version: "ovsdb-server (ovnts) 0.1.0" });
  server.register("exit", "", 0, 0, () => undefined);
  server.register("ovsdb-server/add-db", "DB", 1, 1, () => undefined);
  server.register("ovsdb-server/remove-db", "DB", 1, 1, () => {
    throw new UnixctlError("Failed to find the database.");
  });
  server.register("coverage/read-counter", "COUNTER", 1, 1, () => "0");
  server.register(
    "greet",
    "NAME [GREETING]",
    1,
    2,
    async ([name, greeting]) => `${greeting ?? "hello"}, ${name}`,
  );

  const db = join(dir, "conf.db");
  const created = await run("ovsdb-tool", ["create", db, "/usr/share/openvswitch/vswitch.ovsschema"]);
  assert.equal(created.code, 0, created.stderr);
  real = await startDaemon(
    "ovsdb-server",
    [
      `--unixctl=${theirs}`,
      "--no-chdir",
      `--log-file=${join(dir, "log")}`,
      `--remote=punix:${join(dir, "db.sock")}`,
      db,
    ],
    theirs,
  );
});

after(async () => {
  await server?.close();
  if (real !== undefined) await stopDaemon(real);
  rmSync(dir, { recursive: true, force: true });
});

const appctl = (target: string, ...args: string[]) => run("ovs-appctl", ["-t", target, ...args]);

/** ovs-appctl's output for `args` against our server, with the socket path made generic. */
async function both(...args: string[]) {
  const a = await appctl(ours, ...args);
  const b = await appctl(theirs, ...args);
  const norm = (s: string, path: string): string => s.split(path).join("SOCK");
  return {
    ours: { code: a.code, stdout: norm(a.stdout, ours), stderr: norm(a.stderr, ours) },
    theirs: { code: b.code, stdout: norm(b.stdout, theirs), stderr: norm(b.stderr, theirs) },
  };
}

test("ovs-appctl list-commands and version", async () => {
  const l = await appctl(ours, "list-commands");
  assert.equal(l.code, 0, l.stderr);
  assert.equal(
    l.stdout,
    [
      "The available commands are:",
      "  coverage/read-counter   COUNTER",
      "  exit                    ",
      "  greet                   NAME [GREETING]",
      "  list-commands           ",
      "  ovsdb-server/add-db     DB",
      "  ovsdb-server/remove-db  DB",
      "  version                 ",
      "",
    ].join("\n"),
  );
  // The same lines appear, byte for byte, in the real server's list.
  const theirsList = (await appctl(theirs, "list-commands")).stdout.split("\n");
  for (const line of [
    "  coverage/read-counter   COUNTER",
    "  exit                    ",
    "  ovsdb-server/add-db     DB",
    "  version                 ",
  ]) {
    assert.ok(theirsList.includes(line), line);
  }
  const v = await appctl(ours, "version");
  assert.deepEqual([v.code, v.stdout, v.stderr], [0, "ovsdb-server (ovnts) 0.1.0\n", ""]);
});

test("a custom command with arguments, sync and async", async () => {
  const r = await appctl(ours, "greet", "world");
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, "hello, world\n", ""]);
  const r2 = await appctl(ours, "greet", "world", "bonjour");
  assert.deepEqual([r2.code, r2.stdout], [0, "bonjour, world\n"]);
  const r3 = await appctl(ours, "coverage/read-counter", "x");
  assert.deepEqual([r3.code, r3.stdout], [0, "0\n"]);
  const r4 = await appctl(ours, "exit");
  assert.deepEqual([r4.code, r4.stdout, r4.stderr], [0, "", ""]);
});

test("errors look exactly like the real ovsdb-server's: unknown command, argument counts, error reply", async () => {
  const cases: string[][] = [
    ["nosuchcmd"],
    ["nosuchcmd", "a"],
    ["exit", "a"],
    ["ovsdb-server/add-db"],
    ["coverage/read-counter", "a", "b"],
    ["ovsdb-server/remove-db", "nosuch"],
  ];
  for (const args of cases) {
    const r = await both(...args);
    assert.deepEqual(r.ours, r.theirs, args.join(" "));
    assert.equal(r.ours.code, 2, args.join(" "));
    assert.match(r.ours.stderr, /\novs-appctl: SOCK: server returned an error\n$/);
  }
  const unknown = await appctl(ours, "nosuchcmd");
  assert.equal(
    unknown.stderr,
    `"nosuchcmd" is not a valid command (use "list-commands" to see a list of valid commands)\novs-appctl: ${ours}: server returned an error\n`,
  );
});

// `ovs-appctl -t NAME` reads RUNDIR/NAME.pid and accepts it only if the process named in it holds a POSIX
// (fcntl) lock on it: an unlocked pidfile reads as "No such process". Node cannot take fcntl locks, so
// here a python3 helper writes its own pid and holds the lock, and our server uses that pid's socket name.
test("ovs-appctl -t NAME: socket named after the pidfile's pid, which must hold an fcntl lock", async (t) => {
  const rundir = mkdtempSync(join(dir, "run-"));
  const env = { ...process.env, OVS_RUNDIR: rundir };
  const pidfile = join(rundir, "mydaemon.pid");

  writeFileSync(pidfile, `${process.pid}\n`);
  const unlocked = await runEnv(["-t", "mydaemon", "version"], env);
  assert.equal(unlocked.code, 1);
  assert.equal(unlocked.stderr, `ovs-appctl: cannot read pidfile "${pidfile}" (No such process)\n`);

  const holder = spawn("python3", [
    "-c",
    `import fcntl, os, sys, time
f = open(${JSON.stringify(pidfile)}, "w"); f.write("%d\\n" % os.getpid()); f.flush()
fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print(os.getpid(), flush=True); sys.stdin.read()`,
  ]);
  const pid = await new Promise<string | undefined>((resolve) => {
    holder.on("error", () => resolve(undefined));
    holder.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
  });
  if (pid === undefined) {
    t.skip("python3 not available to hold an fcntl lock");
    return;
  }
  const s = await UnixctlServer.listen(join(rundir, `mydaemon.${pid}.ctl`), {
    version: "mydaemon (ovnts) 0.1.0",
  });
  try {
    const r = await runEnv(["-t", "mydaemon", "version"], env);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, "mydaemon (ovnts) 0.1.0\n", ""]);
  } finally {
    holder.kill();
    await s.close();
  }
});

function runEnv(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("ovs-appctl", args, { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
