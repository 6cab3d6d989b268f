// SB HA_Chassis_Group.ref_chassis (ovn-sb(5)): the chassis hosting ports of the switches connected to a
// gateway router, directly or through other routers — what ovn-controller turns BFD on towards. Same NB
// and bindings on the real ovn-northd 23.03 and on ours; the group's ref_chassis named by chassis.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Impl,
  nbctl,
  sbctl,
  startDbServer,
  startNorthd,
  waitUntil,
  withSandbox,
} from "../../../test/support/sandbox.js";

async function refChassis(box: Parameters<typeof nbctl>[0], group: string): Promise<string> {
  const uuids = (
    await sbctl(box, "--bare", "--columns=ref_chassis", "find", "HA_Chassis_Group", `name=${group}`)
  )
    .split(/\s+/)
    .filter((u) => u !== "");
  const names = await Promise.all(
    uuids.map(async (u) => (await sbctl(box, "get", "Chassis", u, "name")).trim()),
  );
  return names.sort().join(" ");
}

async function scenario(impl: Impl): Promise<string[]> {
  return withSandbox(async (box) => {
    await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    await startDbServer(box, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    await startNorthd(box, { impl });
    for (const [hv, ip] of [
      ["hv1", "127.0.0.1"],
      ["hv2", "127.0.0.2"],
      ["hv3", "127.0.0.3"],
      ["hv4", "127.0.0.4"],
    ] as const)
      await sbctl(box, "chassis-add", hv, "geneve", ip);
    // lr1 has the gateway port; sw1 hangs off lr1; sw2 hangs off lr2, which reaches lr1 through "join".
    const cmds: string[][] = [
      ["lr-add", "lr1"],
      ["lrp-add", "lr1", "lr1-ext", "00:00:00:00:01:01", "172.16.0.1/24"],
      ["lrp-set-gateway-chassis", "lr1-ext", "hv1", "20"],
      ["lrp-set-gateway-chassis", "lr1-ext", "hv2", "10"],
      ["lrp-add", "lr1", "lr1-sw1", "00:00:00:00:01:02", "10.0.1.1/24"],
      ["lrp-add", "lr1", "lr1-join", "00:00:00:00:01:03", "100.64.0.1/24"],
      ["lr-add", "lr2"],
      ["lrp-add", "lr2", "lr2-join", "00:00:00:00:02:03", "100.64.0.2/24"],
      ["lrp-add", "lr2", "lr2-sw2", "00:00:00:00:02:02", "10.0.2.1/24"],
      ["ls-add", "join"],
      ["ls-add", "sw1"],
      ["ls-add", "sw2"],
      ["ls-add", "lonely"],
    ];
    for (const [ls, lrp] of [
      ["sw1", "lr1-sw1"],
      ["join", "lr1-join"],
      ["join", "lr2-join"],
      ["sw2", "lr2-sw2"],
    ] as const)
      cmds.push(
        ["lsp-add", ls, `${ls}-${lrp}`],
        ["lsp-set-type", `${ls}-${lrp}`, "router"],
        ["lsp-set-addresses", `${ls}-${lrp}`, "router"],
        ["lsp-set-options", `${ls}-${lrp}`, `router-port=${lrp}`],
      );
    for (const [ls, p] of [
      ["sw1", "vm1"],
      ["sw2", "vm2"],
      ["lonely", "vm3"],
    ] as const)
      cmds.push(["lsp-add", ls, p]);
    await nbctl(box, ...cmds.flatMap((c) => ["--", ...c]));
    await nbctl(box, "--wait=sb", "sync");
    const seen: string[] = [];
    const expect = async (want: string): Promise<void> => {
      await waitUntil(async () => (await refChassis(box, "lr1-ext")) === want, 10_000, {
        what: `ref_chassis "${want}"`,
      });
      seen.push(want);
    };
    await expect("");
    await sbctl(box, "lsp-bind", "vm1", "hv3");
    await expect("hv3");
    await sbctl(box, "lsp-bind", "vm2", "hv4");
    await sbctl(box, "lsp-bind", "vm3", "hv2"); // not connected to lr1
    await expect("hv3 hv4");
    await sbctl(box, "lsp-unbind", "vm1");
    await expect("hv4");
    return seen;
  });
}

for (const impl of ["c", "ovnts"] as const)
  test(`HA_Chassis_Group.ref_chassis follows the bindings behind the gateway router (${impl === "c" ? "real ovn-northd" : "ovnts northd"})`, async () => {
    assert.deepEqual(await scenario(impl), ["", "hv3", "hv3 hv4", "hv4"]);
  });
