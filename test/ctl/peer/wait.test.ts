// `--wait=sb|hv` against a real ovn-northd: the command returns once northd has caught up (sb_cfg/hv_cfg
// reach the nb_cfg this run set), just as the real ovn-nbctl does on the same databases.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { runOurs, runReal, startServer, stopServer } from "./harness.js";

test("--wait=sb and --wait=hv return once ovn-northd has caught up", { timeout: 60_000 }, async () => {
  const s = await startServer();
  const db = `unix:${s.sock}`;
  const northd = spawn(
    "ovn-northd",
    [`--ovnnb-db=${db}`, `--ovnsb-db=${db}`, `--unixctl=${join(s.dir, "northd.ctl")}`, "--no-chdir"],
    { stdio: "ignore" },
  );
  try {
    const steps: [typeof runOurs, string[], string][] = [
      [runOurs, ["--wait=sb", "ls-add", "w1"], "1"],
      [runReal, ["--wait=sb", "ls-add", "w2"], "2"],
      [runOurs, ["--wait=hv", "ls-add", "w3"], "3"],
      [runOurs, ["--wait=sb", "--timeout=5", "ls-list"], "3"],
      [runReal, ["--wait=sb", "--timeout=5", "ls-list"], "3"],
      [runOurs, ["--wait=sb", "--timeout=5", "lr-add", "r1"], "4"],
    ];
    for (const [run, args, cfg] of steps) {
      const r = await run("nbctl", s.sock, args);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      const g = await runReal("nbctl", s.sock, ["get", "NB_Global", ".", "nb_cfg", "sb_cfg"]);
      assert.equal(g.stdout, `${cfg}\n${cfg}\n`, args.join(" "));
    }
    // --print-wait-time: the same report from both tools (the times themselves differ run to run).
    const report = (hv: boolean) =>
      new RegExp(
        "^([0-9a-f-]{36} \\(w\\d\\)\n)*Time spent on processing nb_cfg \\d+:\n\tovn-northd delay before processing:\t-?\\d+ms\n" +
          `\tovn-northd completion:\t\t\t-?\\d+ms\n${hv ? "\tovn-controller\\(s\\) completion:\t\t-?\\d+ms\n" : ""}$`,
      );
    for (const run of [runOurs, runReal]) {
      for (const wait of ["sb", "hv"]) {
        const r = await run("nbctl", s.sock, [
          "--print-wait-time",
          `--wait=${wait}`,
          "sync",
          "--",
          "ls-list",
        ]);
        assert.match(r.stdout, report(wait === "hv"), `${wait}: ${JSON.stringify(r)}`);
      }
      const quiet = await run("nbctl", s.sock, ["--print-wait-time", "ls-add", "quiet"]);
      assert.equal(quiet.stdout, "", "no --wait: nothing to report");
      await run("nbctl", s.sock, ["ls-del", "quiet"]);
    }
  } finally {
    northd.kill("SIGTERM");
    stopServer(s);
  }
});
