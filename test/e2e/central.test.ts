// `ovnts central` runs northd by default (a logical switch added to the Northbound reaches the
// Southbound) and not with --no-northd; SIGINT stops it with exit status 0.  No root needed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { onPath, runOk } from "../../src/sandbox/host.js";
import { Child, ovntsCommand } from "../../src/sandbox/procs.js";

async function withCentral(flags: string[], fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-central-"));
  const c = new Child({
    name: "central",
    ...ovntsCommand("central", [`--data-dir=${dir}`, `--run-dir=${dir}`, "--no-tcp", ...flags]),
    logPath: join(dir, "central.out"),
  });
  try {
    await c.waitForLine(/OVN central is up/, 20_000);
    await fn(dir);
    c.kill("SIGINT");
    assert.equal(await c.exited, 0);
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ctl = async (which: "nbctl" | "sbctl", dir: string, ...args: string[]): Promise<string> => {
  const c = ovntsCommand(which, [
    `--db=unix:${join(dir, `ovn${which[0]}b_db.sock`)}`,
    "--timeout=10",
    ...args,
  ]);
  return await runOk(c.cmd, c.args);
};

test("central: northd runs inside it by default", { timeout: 30_000 }, () =>
  withCentral([], async (dir) => {
    await ctl("nbctl", dir, "--wait=sb", "ls-add", "sw0");
    const dps = await ctl("sbctl", dir, "--bare", "--columns=external_ids", "list", "Datapath_Binding");
    assert.match(dps, /name=sw0/);
    // Its unixctl socket answers like ovn-northd's (when ovs-appctl is there to ask).
    if (onPath("ovs-appctl"))
      assert.equal(
        await runOk("ovs-appctl", ["-t", join(dir, "ovn-northd.ctl"), "status"]),
        "Status: active\n",
      );
  }),
);

test("central --no-northd: the databases only", { timeout: 30_000 }, () =>
  withCentral(["--no-northd"], async (dir) => {
    await ctl("nbctl", dir, "ls-add", "sw0");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await ctl("sbctl", dir, "--bare", "--columns=_uuid", "list", "Datapath_Binding"), "");
  }),
);
