// A restarted northd takes over the SB it finds: tunnel keys stay, nothing is duplicated, nothing is
// rewritten that need not be (it reads the Logical_Flow table once, with a select).
import assert from "node:assert/strict";
import { test } from "node:test";
import { nbctl, runOk, startDbServer, withSandbox } from "../../../test/support/sandbox.js";
import { dumpSb, startOvntsNorthd } from "./harness.js";
import { PORT_TYPES } from "./scenarios.js";

test("restart on an existing SB keeps keys and flows; a second start writes nothing", async () => {
  await withSandbox(async (sb) => {
    const nb = await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    const sbs = await startDbServer(sb, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    sb.dbs.nb = nb.remote;
    for (const c of PORT_TYPES.commands) await nbctl(sb, ...c);
    const first = await startOvntsNorthd(sb, { nb: nb.remote, sb: sbs.remote, name: "first" });
    await nbctl(sb, "--wait=sb", "sync");
    const before = await dumpSb(sb, nb.remote, sbs.remote, { keys: true });
    await first.appctl("exit");
    await first.stop();
    // The Logical_Flow row uuids: the same uuids afterwards means no row was deleted and re-inserted.
    const serverLog = async (): Promise<string[]> =>
      (
        await runOk(
          "ovsdb-client",
          [
            "transact",
            sbs.remote,
            '["OVN_Southbound",{"op":"select","table":"Logical_Flow","where":[],"columns":["_uuid"]}]',
          ],
          { env: sb.env },
        )
      )
        .split('"uuid","')
        .slice(1)
        .map((x) => x.slice(0, 36))
        .sort();
    const rowsBefore = await serverLog();
    const second = await startOvntsNorthd(sb, { nb: nb.remote, sb: sbs.remote, name: "second" });
    await nbctl(sb, "--wait=sb", "sync");
    const after = await dumpSb(sb, nb.remote, sbs.remote, { keys: true });
    assert.deepEqual(after.flows, before.flows);
    // SB_Global differs in nb_cfg only (the second sync bumped it).
    const noCfg = (t: ReadonlyMap<string, readonly string[]>) =>
      [...t].map(([k, v]) => [k, v.map((l) => l.replace(/ nb_cfg=[0-9]+/, ""))]);
    assert.deepEqual(noCfg(after.tables), noCfg(before.tables));
    assert.ok(rowsBefore.length > 100);
    assert.deepEqual(await serverLog(), rowsBefore);
    // Nothing was written to Logical_Flow by the second instance's first run.
    const stats = await second.appctl("inc-engine/show-stats", "lflow", "recompute");
    assert.equal(stats.trim(), "1");
  });
});
