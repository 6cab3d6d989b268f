// The real `ovs-appctl -t CTL` against the database server's unixctl socket, for each implementation.
// Expected outputs, exit statuses and error texts are those of the C ovsdb-server 3.1 (observed), so the
// C run shows the expectations are right and the ovnts run shows we match them.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { test } from "node:test";
import type { RunResult } from "../support/exec.js";
import {
  type DbServer,
  type Impl,
  implementations,
  run,
  type Sandbox,
  startDbServer,
  waitUntil,
  withSandbox,
} from "../support/sandbox.js";
import { freePort } from "./free-port.js";
import { type Json, RpcClient, withClient } from "./rpc-client.js";

const NB = "OVN_Northbound";

function startDb(sb: Sandbox, impl: Impl): Promise<DbServer> {
  return startDbServer(sb, { impl, name: "db", schemas: ["ovn-nb", "ovn-sb"] });
}

/** ovs-appctl against the server, whatever its exit status. */
function appctl(sb: Sandbox, db: DbServer, ...args: string[]): Promise<RunResult> {
  return run("ovs-appctl", ["-t", db.ctlPath, ...args], { env: sb.env, timeoutMs: 15_000 });
}

/** Asserts a command succeeded and returns its stdout. */
async function appctlOk(sb: Sandbox, db: DbServer, ...args: string[]): Promise<string> {
  const r = await appctl(sb, db, ...args);
  assert.equal(r.code, 0, `ovs-appctl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** What ovs-appctl does when the server answers a command with an error: status 2, message on stderr. */
function serverError(db: DbServer, message: string): Pick<RunResult, "code" | "stdout" | "stderr"> {
  return { code: 2, stdout: "", stderr: `${message}\novs-appctl: ${db.ctlPath}: server returned an error\n` };
}

async function appctlResult(sb: Sandbox, db: DbServer, ...args: string[]) {
  const r = await appctl(sb, db, ...args);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Resolves with the exit, or fails if the process is still there after `ms`. */
async function exitsWithin(db: DbServer, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((r) => {
    timer = setTimeout(() => r("late"), ms);
  });
  const first = await Promise.race([db.daemon.exited, late]);
  clearTimeout(timer);
  if (first === "late") assert.fail(`${what}: the server (pid ${db.pid}) is still running after ${ms} ms`);
  return first;
}

function assertGone(db: DbServer): void {
  for (const [what, path] of [
    ["pidfile", db.pidPath],
    ["unixctl socket", db.ctlPath],
    ["database socket", db.sock],
  ] as const)
    assert.equal(existsSync(path), false, `${what} ${path} removed on exit`);
}

for (const impl of implementations()) {
  test(`[${impl}] ovs-appctl list-commands, ovsdb-server/list-dbs, memory/show, version`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      const commands = (await appctlOk(sb, db, "list-commands")).split("\n");
      assert.equal(commands[0], "The available commands are:");
      const names = new Set(commands.slice(1).map((l) => l.trim().split(/\s+/)[0]));
      for (const c of [
        "exit",
        "list-commands",
        "memory/show",
        "version",
        "ovsdb-server/compact",
        "ovsdb-server/list-dbs",
        "ovsdb-server/add-remote",
        "ovsdb-server/list-remotes",
        "ovsdb-server/remove-remote",
        "vlog/set",
        "vlog/list",
        "vlog/reopen",
      ])
        assert.ok(names.has(c), `list-commands lists ${c}:\n${commands.join("\n")}`);

      assert.deepEqual(await appctlResult(sb, db, "ovsdb-server/list-dbs"), {
        code: 0,
        stdout: "OVN_Northbound\nOVN_Southbound\n_Server\n",
        stderr: "",
      });
      // "Prints something": the C server's counters ("atoms:14 cells:20 monitors:0 …") are its own.
      assert.match(await appctlOk(sb, db, "memory/show"), /^(\S+:\d+ ?)+\n$/);
      assert.match(await appctlOk(sb, db, "version"), /^ovsdb-server \(.+\) \S+\n$/);
    }));

  test(`[${impl}] ovs-appctl errors: unknown command, wrong argument counts`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      assert.deepEqual(
        await appctlResult(sb, db, "foo/bar"),
        serverError(
          db,
          '"foo/bar" is not a valid command (use "list-commands" to see a list of valid commands)',
        ),
      );
      assert.deepEqual(
        await appctlResult(sb, db, "ovsdb-server/list-dbs", "x"),
        serverError(db, '"ovsdb-server/list-dbs" command takes at most 0 arguments'),
      );
      assert.deepEqual(
        await appctlResult(sb, db, "ovsdb-server/add-remote"),
        serverError(db, '"ovsdb-server/add-remote" command requires at least 1 arguments'),
      );
      assert.deepEqual(
        await appctlResult(sb, db, "ovsdb-server/remove-remote", "a", "b"),
        serverError(db, '"ovsdb-server/remove-remote" command takes at most 1 arguments'),
      );
      assert.deepEqual(
        await appctlResult(sb, db, "memory/show", "x"),
        serverError(db, '"memory/show" command takes at most 0 arguments'),
      );
      // The server is still fine after all that.
      assert.equal(
        await appctlOk(sb, db, "ovsdb-server/list-dbs"),
        "OVN_Northbound\nOVN_Southbound\n_Server\n",
      );
    }));

  test(`[${impl}] ovs-appctl error texts: missing remote, unknown database, exit with an argument`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      // Compared all at once, so one run reports every difference.
      assert.deepEqual(
        [
          await appctlResult(sb, db, "ovsdb-server/remove-remote", "ptcp:0:127.0.0.1"),
          await appctlResult(sb, db, "ovsdb-server/compact", "Nope"),
          await appctlResult(sb, db, "exit", "--cleanup"),
        ],
        [
          serverError(db, "no such remote"),
          serverError(db, "no database by that name"),
          serverError(db, '"exit" command takes at most 0 arguments'),
        ],
      );
      assert.equal(db.daemon.running, true, "a rejected exit leaves the server running");
    }));

  test(`[${impl}] ovsdb-server/compact shrinks the file; the data survives a restart`, () =>
    withSandbox(async (sb) => {
      let db = await startDb(sb, impl);
      const file = db.dbFiles["ovn-nb"] as string;
      await withClient(db.remote, async (c) => {
        const ins = await c.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "sw0" } });
        assert.ok(ins[0] !== null && typeof ins[0] === "object" && "uuid" in ins[0], JSON.stringify(ins));
        // Many versions of one row: the log grows with each, a compacted file holds only the last.
        for (let i = 1; i <= 300; i++) {
          const r = await c.transact(NB, {
            op: "update",
            table: "Logical_Switch",
            where: [["name", "==", "sw0"]],
            row: { external_ids: ["map", [["n", String(i)]]] },
          });
          assert.deepEqual(r, [{ count: 1 }]);
        }
      });
      const before = statSync(file).size;
      assert.equal(await appctlOk(sb, db, "ovsdb-server/compact"), "");
      const after = statSync(file).size;
      // The schema alone is about 14 kB; 300 versions of the row add some 58 kB more.
      assert.ok(after * 3 < before, `compaction shrinks the file: ${before} → ${after} bytes`);
      // Schema and one snapshot, readable by the real tool.
      const log = await run("ovsdb-tool", ["show-log", file], { env: sb.env });
      assert.equal(log.code, 0, log.stderr);
      assert.deepEqual(
        log.stdout
          .split("\n")
          .filter((l) => /^record \d+:/.test(l))
          .map((l) => l.split(":")[0]),
        ["record 0", "record 1"],
      );

      await db.stop();
      db = await startDb(sb, impl);
      const rows = await withClient(db.remote, (c) =>
        c.transact(NB, {
          op: "select",
          table: "Logical_Switch",
          where: [],
          columns: ["name", "external_ids"],
        }),
      );
      assert.deepEqual(rows, [{ rows: [{ name: "sw0", external_ids: ["map", [["n", "300"]]] }] }]);
      // And a commit after compaction lands in the new file.
      await withClient(db.remote, (c) =>
        c.transact(NB, { op: "insert", table: "Logical_Switch", row: { name: "sw1" } }),
      );
      await db.stop();
      const q = await run(
        "ovsdb-tool",
        [
          "query",
          file,
          JSON.stringify([NB, { op: "select", table: "Logical_Switch", where: [], columns: ["name"] }]),
        ],
        { env: sb.env },
      );
      assert.equal(q.code, 0, q.stderr);
      const names = (JSON.parse(q.stdout) as [{ rows: { name: string }[] }])[0].rows
        .map((r) => r.name)
        .sort();
      assert.deepEqual(names, ["sw0", "sw1"]);
    }));

  test(`[${impl}] ovsdb-server/add-remote, list-remotes, remove-remote`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      const unixRemote = `punix:${db.sock}`;
      assert.equal(await appctlOk(sb, db, "ovsdb-server/list-remotes"), `${unixRemote}\n`);

      assert.equal(await appctlOk(sb, db, "ovsdb-server/add-remote", "ptcp:0:127.0.0.1"), "");
      assert.equal(await appctlOk(sb, db, "ovsdb-server/list-remotes"), `ptcp:0:127.0.0.1\n${unixRemote}\n`);
      assert.equal(await appctlOk(sb, db, "ovsdb-server/remove-remote", "ptcp:0:127.0.0.1"), "");
      assert.equal(await appctlOk(sb, db, "ovsdb-server/list-remotes"), `${unixRemote}\n`);

      // A remote added at run time really listens, and stops listening once removed.
      const port = await freePort();
      const tcp = `ptcp:${port}:127.0.0.1`;
      await appctlOk(sb, db, "ovsdb-server/add-remote", tcp);
      const listDbs = () =>
        run("ovsdb-client", ["--timeout=5", "list-dbs", `tcp:127.0.0.1:${port}`], { env: sb.env });
      await waitUntil(async () => (await listDbs()).code === 0, 5000, {
        what: `a server listening on ${tcp}`,
      });
      assert.equal((await listDbs()).stdout, "OVN_Northbound\nOVN_Southbound\n_Server\n");
      await appctlOk(sb, db, "ovsdb-server/remove-remote", tcp);
      await waitUntil(async () => (await listDbs()).code !== 0, 5000, { what: `${tcp} to stop listening` });
      assert.equal(await appctlOk(sb, db, "ovsdb-server/list-remotes"), `${unixRemote}\n`);
    }));

  test(`[${impl}] ovsdb-server/remove-remote drops the sessions that came in through it`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      const port = await freePort();
      const tcp = `ptcp:${port}:127.0.0.1`;
      await appctlOk(sb, db, "ovsdb-server/add-remote", tcp);
      const client = await waitUntil(() => RpcClient.open(`tcp:127.0.0.1:${port}`), 5000, {
        what: `a connection through ${tcp}`,
      });
      try {
        await client.request("monitor_cond", [NB, "m", { Logical_Switch: [{ columns: ["name"] }] }]);
        const r = await run("ovs-appctl", ["-t", db.ctlPath, "ovsdb-server/remove-remote", tcp], {
          env: sb.env,
          timeoutMs: 5000,
        });
        assert.equal(r.code, 0, `remove-remote with a session on it: ${r.stderr}`);
        await waitUntil(() => client.closed, 5000, {
          what: "the session of the removed remote to be closed",
        });
        assert.equal(await appctlOk(sb, db, "ovsdb-server/list-remotes"), `punix:${db.sock}\n`);
      } finally {
        client.close();
      }
    }));

  test(`[${impl}] vlog/set file:dbg turns on debug logging`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      const dbgLines = () =>
        readFileSync(db.logPath, "utf8")
          .split("\n")
          .filter((l) => l.includes("|DBG|")).length;
      await run("ovsdb-client", ["--timeout=5", "list-dbs", db.remote], { env: sb.env });
      assert.equal(dbgLines(), 0, "no debug lines at the default level");
      assert.equal(await appctlOk(sb, db, "vlog/set", "file:dbg"), "");
      await run("ovsdb-client", ["--timeout=5", "list-dbs", db.remote], { env: sb.env });
      await waitUntil(() => dbgLines() > 0, 5000, { what: "debug lines in the log file" });
    }));

  test(`[${impl}] ovs-appctl exit: status 0, pidfile and sockets removed`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      assert.equal(await appctlOk(sb, db, "exit"), "");
      assert.deepEqual(await exitsWithin(db, 5000, "exit"), { code: 0, signal: null });
      assertGone(db);
    }));

  test(`[${impl}] ovs-appctl exit while a client is connected and monitoring`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      const client = await RpcClient.open(db.remote);
      try {
        const reqs: Json = { Logical_Switch: [{ columns: ["name"] }] };
        await client.request("monitor_cond", [NB, "m", reqs]);
        assert.equal(await appctlOk(sb, db, "exit"), "");
        assert.deepEqual(await exitsWithin(db, 5000, "exit with a client connected"), {
          code: 0,
          signal: null,
        });
        assertGone(db);
      } finally {
        client.close();
      }
    }));

  test(`[${impl}] SIGTERM while a client is connected and monitoring: the server exits at once`, () =>
    withSandbox(async (sb) => {
      const db = await startDb(sb, impl);
      const client = await RpcClient.open(db.remote);
      try {
        await client.request("monitor_cond", [NB, "m", { Logical_Switch: [{ columns: ["name"] }] }]);
        db.kill("SIGTERM");
        const exit = await exitsWithin(db, 5000, "SIGTERM with a client connected");
        // The C daemons re-raise the signal after cleaning up; either way the process must be gone.
        assert.ok(exit.signal === "SIGTERM" || exit.code === 0, JSON.stringify(exit));
        assertGone(db);
      } finally {
        client.close();
      }
    }));
}
