// MAC binding aging (Logical_Router options:mac_binding_age_threshold): the same MAC_Binding rows (as
// ovn-controller would write them, with their timestamps) in the real ovn-northd 23.03's SB and in ours;
// once the real one has aged out the expired rows of the aging router, ours must have done the same —
// and kept the row from the future and the other router's; but nothing while some chassis does not
// advertise mac-binding-timestamp.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runOk, waitUntil } from "../../../test/support/sandbox.js";
import { withBothNorthds } from "./harness.js";

const NB = [
  ["lr-add", "lr"],
  ["lrp-add", "lr", "lrp", "00:00:00:00:00:01", "10.0.0.1/24"],
  ["set", "Logical_Router", "lr", "options:mac_binding_age_threshold=1"],
  ["lr-add", "lr2"],
  ["lrp-add", "lr2", "lrp2", "00:00:00:00:00:02", "10.0.1.1/24"],
];

test("MAC bindings age out of aging routers like with ovn-northd", { timeout: 60_000 }, () =>
  withBothNorthds({ commands: NB }, {}, async (both) => {
    const env = both.sandbox.env;
    const sb = (db: string, ...a: string[]) => runOk("ovn-sbctl", [`--db=${db}`, ...a], { env });
    // A chassis that does not advertise mac-binding-timestamp (../features.ts): no aging while it is there.
    await both.sbStep(["chassis-add", "old", "geneve", "192.168.0.9"]);
    const now = Date.now();
    const rows: [string, string, number][] = [
      ["lrp", "10.0.0.5", now],
      ["lrp", "10.0.0.6", now - 10_000],
      ["lrp", "10.0.0.7", 0],
      ["lrp", "10.0.0.8", now + 600_000],
      ["lrp2", "10.0.1.5", now - 10_000],
    ];
    for (const db of [both.sbC, both.sbTs])
      for (const [port, ip, ts] of rows) {
        const dp = (
          await sb(db, "--bare", "--columns=datapath", "find", "Port_Binding", `logical_port=${port}`)
        ).trim();
        await sb(
          db,
          "create",
          "MAC_Binding",
          `logical_port=${port}`,
          `ip=${ip}`,
          'mac="f0:00:00:00:00:05"',
          `datapath=${dp}`,
          `timestamp=${ts}`,
        );
      }
    const ips = async (db: string) =>
      (await sb(db, "--bare", "--columns=ip", "list", "MAC_Binding"))
        .split("\n")
        .filter((x) => x !== "")
        .sort()
        .join(" ");
    const all = "10.0.0.5 10.0.0.6 10.0.0.7 10.0.0.8 10.0.1.5";
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await ips(both.sbC), all, "ovn-northd ages nothing while a chassis cannot timestamp");
    assert.equal(await ips(both.sbTs), all, "ovnts northd ages nothing while a chassis cannot timestamp");
    await both.sbStep(["chassis-del", "old"]);
    const want = "10.0.0.8 10.0.1.5";
    await waitUntil(async () => (await ips(both.sbC)) === want, 20_000, {
      what: "ovn-northd to age the rows out",
    });
    await waitUntil(async () => (await ips(both.sbTs)) === want, 5_000, {
      what: "ovnts northd to age the rows out",
    });
    assert.equal(await ips(both.sbTs), want);
  }),
);
