// Active/standby through the SB "ovn_northd" lock, and the pause/resume/is-paused/status commands.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { nbctl, sbctl, startDbServer, waitUntil, withSandbox } from "../../../test/support/sandbox.js";
import { startOvntsNorthd } from "./harness.js";

test("two northds: one active, one standby; the standby takes over; pause and resume", async () => {
  await withSandbox(async (sb) => {
    const nb = await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    const sbs = await startDbServer(sb, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    const a = await startOvntsNorthd(sb, { nb: nb.remote, sb: sbs.remote, name: "a" });
    const b = await startOvntsNorthd(sb, { nb: nb.remote, sb: sbs.remote, name: "b", waitFor: "any status" });
    await waitUntil(async () => (await b.appctl("status")).trim() === "Status: standby", 10_000, {
      what: "b standby",
    });
    assert.equal((await a.appctl("status")).trim(), "Status: active");
    await nbctl(sb, "--wait=sb", "ls-add", "sw0");
    assert.match(
      readFileSync(sb.path("a.log"), "utf8"),
      /northd\|INFO\|ovn-northd lock acquired\. This ovn-northd instance is now active\./,
    );

    // Pause: the paused instance lets go of the lock, the other one takes over.
    await a.appctl("pause");
    assert.equal((await a.appctl("is-paused")).trim(), "true");
    assert.equal((await a.appctl("status")).trim(), "Status: paused");
    await waitUntil(async () => (await b.appctl("status")).trim() === "Status: active", 10_000, {
      what: "b active",
    });
    await nbctl(sb, "--wait=sb", "ls-add", "sw1");
    await a.appctl("resume");
    assert.equal((await a.appctl("is-paused")).trim(), "false");
    await waitUntil(async () => (await a.appctl("status")).trim() === "Status: standby", 10_000, {
      what: "a standby",
    });

    // The active one exits: the standby takes over and keeps the SB in step.
    await b.appctl("exit");
    await waitUntil(async () => (await a.appctl("status")).trim() === "Status: active", 10_000, {
      what: "a active again",
    });
    await nbctl(sb, "--timeout=10", "--wait=sb", "ls-add", "sw2");
    const dps = await sbctl(sb, "--bare", "--columns=external_ids", "list", "Datapath_Binding");
    for (const n of ["sw0", "sw1", "sw2"]) assert.match(dps, new RegExp(`name=${n}\\b`));
  });
});
