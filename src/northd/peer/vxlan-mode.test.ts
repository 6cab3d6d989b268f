// VXLAN mode (ovn-architecture(7), "Tunnel Encapsulations"): once some chassis has a VXLAN Encap, only
// 12 bits of datapath key travel in the VNI, so northd advertises options:max_tunid=4095 and hands out
// keys within it; back to Geneve-only, 16711680. Checked on the real ovn-northd 23.03 and on ours.
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

async function maxTunid(impl: Impl): Promise<string[]> {
  return withSandbox(async (box) => {
    await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    await startDbServer(box, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    await startNorthd(box, { impl });
    const seen: string[] = [];
    const settle = async (want: string): Promise<void> => {
      // A NB change makes both northds run; the value then has to be there.
      await nbctl(box, "--wait=sb", "ls-add", `ls${seen.length}`);
      await waitUntil(
        async () => (await nbctl(box, "get", "NB_Global", ".", "options:max_tunid")).trim() === `"${want}"`,
        10_000,
        { what: `max_tunid ${want}` },
      );
      seen.push(want);
    };
    await sbctl(box, "chassis-add", "hv1", "geneve", "127.0.0.1");
    await settle("16711680");
    await sbctl(box, "chassis-add", "hv2", "vxlan", "127.0.0.2");
    await settle("4095");
    const keys = (await sbctl(box, "--bare", "--columns=tunnel_key", "list", "Datapath_Binding"))
      .split(/\s+/)
      .filter((k) => k !== "")
      .map(Number);
    assert.ok(keys.length >= 2 && keys.every((k) => k >= 1 && k <= 4095), keys.join(" "));
    await sbctl(box, "chassis-del", "hv2");
    await settle("16711680");
    return seen;
  });
}

for (const impl of ["c", "ovnts"] as const)
  test(`options:max_tunid follows VXLAN chassis (${impl === "c" ? "real ovn-northd" : "ovnts northd"})`, async () => {
    assert.deepEqual(await maxTunid(impl), ["16711680", "4095", "16711680"]);
  });
