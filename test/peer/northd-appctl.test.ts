// The real `ovs-appctl -t CTL` against ovn-northd 23.03 and `ovnts northd`, side by side on the same
// databases: every command the C daemon offers exists in ours, and the commands without a visible effect
// on the databases (thread count, cluster resets, engine log timeout, chassis features) answer alike,
// errors included.
import assert from "node:assert/strict";
import { existsSync, renameSync, statSync } from "node:fs";
import { test } from "node:test";
import type { OvnDaemon } from "../support/ovn.js";
import { run, type Sandbox, startDbServer, startNorthd, withSandbox } from "../support/sandbox.js";

/** Exit status, stdout and stderr of ovs-appctl, with the daemon's socket path taken out of stderr. */
async function appctl(sb: Sandbox, d: OvnDaemon, ...args: string[]) {
  const r = await run("ovs-appctl", ["-t", d.ctlPath, ...args], { env: sb.env, timeoutMs: 15_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr.split(d.ctlPath).join("CTL") };
}

/** The command names of `list-commands` (its first line is a header). */
async function commandNames(d: OvnDaemon): Promise<Set<string>> {
  const lines = (await d.appctl("list-commands")).split("\n").slice(1);
  return new Set(lines.map((l) => l.trim().split(/\s+/)[0] ?? "").filter((n) => n !== ""));
}

test("ovn-northd's unixctl commands: the same names and answers from ovnts northd", async () => {
  await withSandbox(async (sb) => {
    // Each northd on its own pair of databases, so that both are active.
    const daemons: OvnDaemon[] = [];
    for (const impl of ["c", "ovnts"] as const) {
      const nb = await startDbServer(sb, { impl: "c", name: `nb-${impl}`, schemas: ["ovn-nb"] });
      const sbdb = await startDbServer(sb, { impl: "c", name: `sb-${impl}`, schemas: ["ovn-sb"] });
      daemons.push(await startNorthd(sb, { impl, name: `northd-${impl}`, nb: nb.sock, sb: sbdb.sock }));
    }
    const [c, o] = daemons as [OvnDaemon, OvnDaemon];

    const cNames = await commandNames(c);
    const oNames = await commandNames(o);
    // Not in ovnts: it keeps no coverage counters or stopwatches.
    const notKept = new Set(["coverage/show", "coverage/read-counter", "stopwatch/show", "stopwatch/reset"]);
    const missing = [...cNames].filter((n) => !oNames.has(n) && !notKept.has(n));
    assert.deepEqual(missing, [], `commands of ovn-northd that ovnts northd lacks: ${missing.join(", ")}`);

    const steps: string[][] = [
      ["parallel-build/get-n-threads"],
      ["parallel-build/set-n-threads", "4"],
      ["parallel-build/get-n-threads"],
      ["parallel-build/set-n-threads", "0"],
      ["parallel-build/set-n-threads", "257"],
      ["parallel-build/set-n-threads", "abc"],
      ["parallel-build/get-n-threads"],
      ["sb-cluster-state-reset"],
      ["nb-cluster-state-reset"],
      ["inc-engine/compute-log-timeout", "20"],
      ["inc-engine/compute-log-timeout", "x"],
      ["debug/chassis-features-list"],
      ["vlog/set", "foo"],
      ["vlog/set", "northd:console:warn:extra"],
      ["vlog/set", "PATTERN:bogus:%m"],
      ["vlog/set", "FACILITY:bogus"],
      ["vlog/set", "FACILITY:LOCAL0"],
      ["vlog/set", "console:info"],
      ["vlog/set", "NORTHD:FILE:WARN", "jsonrpc:syslog:err"],
      ["vlog/disable-rate-limit", "jsonrpc"],
      ["vlog/enable-rate-limit", "nosuchmodule"],
      ["vlog/set", "PATTERN:console:%c|%p|%m"],
      ["vlog/list-pattern"],
      ["vlog/set", "PATTERN:console"],
      ["vlog/list-pattern"],
    ];
    for (const args of steps) {
      assert.deepEqual(
        await appctl(sb, o, ...args),
        await appctl(sb, c, ...args),
        `ovs-appctl ${args.join(" ")}`,
      );
    }

    // The modules both have, as vlog/list shows them after the changes above.
    const rows = async (d: OvnDaemon) => {
      const lines = (await d.appctl("vlog/list")).split("\n");
      return lines.filter((l) => /^(jsonrpc|northd|reconnect|unixctl|vlog) /.test(l));
    };
    assert.deepEqual(await rows(o), await rows(c));

    // Log rotation: after the file is moved away, vlog/reopen starts a new one; vlog/close stops writing.
    for (const d of [c, o]) {
      renameSync(d.logPath, `${d.logPath}.1`);
      await d.appctl("vlog/reopen");
      await d.appctl("vlog/set", "ANY:file:dbg");
      await d.appctl("vlog/set", "PATTERN:file:%c|%p|%m");
      await d.appctl("pause");
      await d.appctl("resume");
      assert.ok(existsSync(d.logPath), `${d.logPath} reopened`);
      await d.appctl("vlog/close");
      const size = statSync(d.logPath).size;
      await d.appctl("pause");
      await d.appctl("resume");
      assert.equal(statSync(d.logPath).size, size, "nothing written after vlog/close");
    }
  });
});
