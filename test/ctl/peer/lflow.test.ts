// `ovn-sbctl lflow-list` / `dump-flows` / `count-flows` against flows a real ovn-northd computed, and the
// connection and SSL commands: the real ovn-sbctl and `ovnts sbctl` run on the SAME server, so stdout,
// stderr and exit code must match byte for byte.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { runOurs, runReal, startServer, stopServer } from "./harness.js";

test("lflow-list matches the real ovn-sbctl", { timeout: 60_000 }, async () => {
  const s = await startServer();
  const db = `unix:${s.sock}`;
  const northd = spawn(
    "ovn-northd",
    [`--ovnnb-db=${db}`, `--ovnsb-db=${db}`, `--unixctl=${join(s.dir, "northd.ctl")}`, "--no-chdir"],
    { stdio: "ignore" },
  );
  try {
    const topo = [
      "--wait=sb",
      "ls-add",
      "sw0",
      "--",
      "ls-add",
      "sw1",
      "--",
      "lsp-add",
      "sw0",
      "p1",
      "--",
      "lsp-set-addresses",
      "p1",
      "00:00:00:00:00:01 10.0.0.2",
      "--",
      "acl-add",
      "sw0",
      "from-lport",
      "1001",
      "ip4",
      "allow",
      "--",
      "lb-add",
      "lb0",
      "10.0.0.10:80",
      "10.0.0.2:80",
      "tcp",
      "--",
      "ls-lb-add",
      "sw0",
      "lb0",
      "--",
      "lr-add",
      "a0",
      "--",
      "lrp-add",
      "a0",
      "rp1",
      "00:00:00:00:01:02",
      "10.0.0.1/24",
      "--",
      "lsp-add",
      "sw0",
      "sp",
      "--",
      "lsp-set-type",
      "sp",
      "router",
      "--",
      "lsp-set-options",
      "sp",
      "router-port=rp1",
      "--",
      "lsp-set-addresses",
      "sp",
      "router",
    ];
    const t = await runReal("nbctl", s.sock, topo);
    assert.equal(t.code, 0, t.stderr);
    const dp = await runReal("sbctl", s.sock, [
      "--bare",
      "--columns=_uuid",
      "find",
      "Datapath_Binding",
      "external_ids:name=sw0",
    ]);
    const dpUuid = dp.stdout.trim();
    const lf = await runReal("sbctl", s.sock, [
      "--bare",
      "--columns=_uuid",
      "find",
      "Logical_Flow",
      "priority=2001",
    ]);
    const flow = (lf.stdout.trim().split("\n")[0] ?? "").slice(0, 8);
    assert.match(dpUuid, /^[0-9a-f-]{36}$/);
    assert.match(flow, /^[0-9a-f]{8}$/);
    const lines: string[][] = [
      ["lflow-list"],
      ["lflow-list", "sw0"],
      ["lflow-list", dpUuid],
      ["dump-flows", "a0"],
      ["--uuid", "lflow-list", "sw1"],
      ["lflow-list", "sw0", flow],
      ["lflow-list", `0x${flow}`],
      ["lflow-list", "nope"],
      ["lflow-list", "sw0", "sw1"],
      ["lflow-list", "sw0", "ffff"],
      ["count-flows"],
      ["count-flows", "sw0"],
      ["count-flows", dpUuid],
      ["count-flows", "nope"],
    ];
    for (const args of lines) {
      const real = await runReal("sbctl", s.sock, args);
      const ours = await runOurs("sbctl", s.sock, args);
      assert.deepEqual(ours, real, args.join(" "));
    }

    // Connections and SSL: each tool writes, both read back the same; warnings alike (time stamp aside).
    const stamp = (t: string) => t.replace(/^\S+\|\d+\|/gm, "");
    const writes: [string, string[]][] = [
      ["real", ["set-connection", "role=ovn-controller", "pssl:6642", "read-only", "ptcp:6643", "bogus"]],
      ["ours", ["set-connection", "read-only", "role=ovn-controller", "pssl:6642", "read-write", "bogus"]],
      ["ours", ["--inactivity-probe=30", "set-connection", "ptcp:6641"]],
      ["real", ["set-ssl", "k", "c", "ca"]],
      ["ours", ["--bootstrap", "set-ssl", "k2", "c2", "ca2", "TLSv1.2", "HIGH"]],
      ["ours", ["del-ssl"]],
      ["ours", ["del-connection"]],
    ];
    for (const [who, args] of writes) {
      const w = who === "real" ? await runReal("sbctl", s.sock, args) : await runOurs("sbctl", s.sock, args);
      assert.equal(w.code, 0, w.stderr);
      if (args.includes("bogus"))
        assert.equal(stamp(w.stderr), 'sbctl|WARN|target type "bogus" is possibly erroneous\n');
      for (const read of [
        ["get-connection"],
        ["get-ssl"],
        ["--columns=target,role,read_only,inactivity_probe", "list", "Connection"],
        [
          "--columns=private_key,certificate,ca_cert,bootstrap_ca_cert,ssl_protocols,ssl_ciphers",
          "list",
          "SSL",
        ],
      ]) {
        // `list` prints rows in the order of the client's hash table: compared as a set of records.
        const records = (r: { code: number; stdout: string; stderr: string }) => ({
          ...r,
          stdout: r.stdout.trim().split("\n\n").sort().join("\n\n"),
        });
        const real = records(await runReal("sbctl", s.sock, read));
        const ours = records(await runOurs("sbctl", s.sock, read));
        assert.deepEqual(ours, real, `${read.join(" ")} after ${who}: ${args.join(" ")}`);
      }
    }

    const all = await runReal("sbctl", s.sock, ["lflow-list"]);
    assert.ok(all.stdout.split("\n").length > 100, "northd produced flows");
  } finally {
    northd.kill("SIGTERM");
    stopServer(s);
  }
});
