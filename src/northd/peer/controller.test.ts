// ovnts northd between real databases and a real ovn-controller + ovs-vswitchd (dummy datapath): the
// controller registers, claims a VIF on our SB, the port comes up in the NB (Logical_Switch_Port.up from
// Port_Binding.up), and `ovn-nbctl --wait=hv sync` returns (hv_cfg from Chassis_Private.nb_cfg).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  nbctl,
  requireRoot,
  sbctl,
  startController,
  startDbServer,
  startVswitchd,
  vsctl,
  waitUntil,
  withSandbox,
} from "../../../test/support/sandbox.js";
import { startOvntsNorthd } from "./harness.js";

test("a real ovn-controller claims a port on ovnts northd's SB; --wait=hv returns", async () => {
  requireRoot();
  await withSandbox(async (sb) => {
    const nb = await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    const sbs = await startDbServer(sb, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    const northd = await startOvntsNorthd(sb, { nb: nb.remote, sb: sbs.remote, check: true });
    await nbctl(
      sb,
      "ls-add",
      "sw0",
      "--",
      "lsp-add",
      "sw0",
      "p1",
      "--",
      "lsp-set-addresses",
      "p1",
      "00:00:00:00:00:01 10.0.0.2",
    );
    await nbctl(sb, "--wait=sb", "sync");
    const ovs = await startDbServer(sb, { impl: "c", name: "ovs", schemas: ["vswitch"] });
    await startVswitchd(sb, { dbSock: ovs.sock, dummy: "override" });
    await startController(sb, { ovsDb: ovs.sock, sbDb: sbs.remote, systemId: "hv1" });
    await waitUntil(async () => (await vsctl(sb, "--no-wait", "list-br")).includes("br-int"), 15_000, {
      what: "br-int",
    });
    await vsctl(
      sb,
      "add-port",
      "br-int",
      "vif1",
      "--",
      "set",
      "Interface",
      "vif1",
      "type=dummy",
      "external_ids:iface-id=p1",
    );
    await waitUntil(
      async () =>
        (await sbctl(sb, "--bare", "--columns=chassis", "find", "Port_Binding", "logical_port=p1")).trim() !==
        "",
      15_000,
      { what: "p1 to be claimed" },
    );
    await waitUntil(
      async () =>
        (await nbctl(sb, "--bare", "--columns=up", "list", "Logical_Switch_Port", "p1")).trim() === "true",
      15_000,
      { what: "p1 to be up in the NB" },
    );
    await nbctl(sb, "--timeout=15", "--wait=hv", "sync");
    const g = await nbctl(sb, "--bare", "--columns=nb_cfg,sb_cfg,hv_cfg", "list", "NB_Global");
    const [n, s, h] = g.trim().split(/\s+/).map(Number);
    assert.ok(n !== undefined && n > 0 && s === n && h === n, g);
    // Our writes never made the controller complain about a flow.
    const ctlLog = readFileSync(sb.path("controller.log"), "utf8");
    assert.doesNotMatch(ctlLog, /lflow.*(error|WARN)/i);
    // Later chassis updates (nb_cfg acks, our own SB writes) cause no recompute.
    const recomputes = async (): Promise<number> =>
      Number((await northd.appctl("inc-engine/show-stats", "lflow", "recompute")).trim());
    const before = await recomputes();
    for (let i = 0; i < 3; i++) await nbctl(sb, "--timeout=15", "--wait=hv", "sync");
    assert.equal(await recomputes(), before);
  });
});
