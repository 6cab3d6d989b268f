// OpenFlow meters on br-int (ovn-sb(5) Meter/Meter_Band, set_meter, Logical_Flow controller_meter):
// ACL log meters (pktps; kbps with a burst), QoS rate limits (set_meter with and without burst) and a
// CoPP meter on reject become meters on br-int, configured as the real ovn-controller 23.03 configures
// them (the expectations were read from it: the `ref` stack checks them), every meter a flow names
// exists, a meter no flow uses is not installed, and changes follow: a band's new rate is modified in
// place, the meter of a removed QoS rule is deleted.
import assert from "node:assert/strict";
import { parseDumpMeters } from "../../../src/controller/meters/text.js";
import type { Stack } from "../../support/chassis.js";
import { meterTopology } from "../../support/meters-topology.js";
import { waitUntil } from "../../support/wait.js";
import { matrix, SETTLE_MS } from "../matrix.js";

type Hv = Stack["hv"][0];

/** Meter configurations of a dump-meters reply without their ids, sorted (ids are allocation order). */
function configs(dump: string): string[] {
  return parseDumpMeters(dump)
    .map((l) => l.replace(/^meter=\d+ /, ""))
    .sort();
}

/** Ids of the meters in a dump-meters reply, and those the flows name. */
const meterIds = (dump: string) => new Set([...dump.matchAll(/^meter=(\d+)/gm)].map((m) => Number(m[1])));
const usedIds = (flows: string) =>
  new Set([...flows.matchAll(/(?:meter:|meter_id=)(\d+)/g)].map((m) => Number(m[1])));

async function meters(h: Hv): Promise<string> {
  return h.ofctl("-O", "OpenFlow15", "dump-meters", "br-int");
}

async function expectMeters(h: Hv, expected: string[]): Promise<void> {
  const want = [...expected].sort();
  await waitUntil(async () => JSON.stringify(configs(await meters(h))) === JSON.stringify(want), SETTLE_MS, {
    what: `br-int meters ${JSON.stringify(want)}`,
  }).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}\n  have: ${JSON.stringify(configs(await meters(h)))}`);
  });
  const have = meterIds(await meters(h));
  const flows = await h.ofctl("-O", "OpenFlow15", "--no-stats", "dump-flows", "br-int");
  for (const id of usedIds(flows)) assert.ok(have.has(id), `a flow names meter ${id}, which br-int lacks`);
}

matrix<{ hv: Hv }>({
  title: "meters: ACL log, QoS set_meter and CoPP meters on br-int",
  chassis: 1,
  setup: async (s) => {
    const h = s.hv[0] as Hv;
    await meterTopology(s);
    await s.syncHv();
    return { hv: h };
  },
  scenarios: [
    {
      name: "every meter a flow uses is on br-int, as the real controller configures it; unused ones are not",
      run: async (_s, t) =>
        expectMeters(t.hv, [
          "pktps stats bands=type=drop rate=10",
          "kbps burst stats bands=type=drop rate=1000 burst_size=200",
          "pktps stats bands=type=drop rate=7",
          "kbps burst stats bands=type=drop rate=100 burst_size=50",
          "kbps stats bands=type=drop rate=200",
        ]),
    },
    {
      name: "a band's new rate is applied; the meter of a removed QoS rule is deleted",
      run: async (s, t) => {
        const band = (await s.nbctl("--bare", "--columns=bands", "find", "Meter", "name=acl-meter")).trim();
        await s.nbctl("set", "Meter_Band", band, "rate=20");
        await s.nbctl("qos-del", "sw0", "from-lport", "101", 'inport == "p2"');
        await s.syncHv();
        await expectMeters(t.hv, [
          "pktps stats bands=type=drop rate=20",
          "kbps burst stats bands=type=drop rate=1000 burst_size=200",
          "pktps stats bands=type=drop rate=7",
          "kbps burst stats bands=type=drop rate=100 burst_size=50",
        ]);
      },
    },
  ],
});
