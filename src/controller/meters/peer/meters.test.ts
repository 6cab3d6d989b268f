// Peer test: our meters against the real ovn-controller's, on the same Southbound database.  The real
// stack (ovsdb-server, ovn-northd, ovn-controller 23.03, ovs-vswitchd) is given meters of every kind
// the controller installs — ACL log meters (kbps with burst, pktps), set_meter from QoS rules (with and
// without burst), a CoPP controller meter on reject — and then a band change and a QoS rule removal.
// After each step we compile the Southbound ourselves, plan the meter_mods with InstalledMeters and
// send them to a second bridge of the same ovs-vswitchd; `ovs-ofctl dump-meters` of that bridge must
// equal br-int's (meter ids are allocation order on both sides, so configurations are compared as
// sorted lists without their ids).
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Stack, startStack } from "../../../../test/support/chassis.js";
import { meterTopology } from "../../../../test/support/meters-topology.js";
import { withSandbox } from "../../../../test/support/sandbox.js";
import { waitUntil } from "../../../../test/support/wait.js";
import { bridgeMgmtPath, OfConnection } from "../../../openflow/conn.js";
import { compileLogicalFlows, IdAllocators } from "../../lflow/index.js";
import { dumpSb } from "../../lflow/peer/capture.js";
import { type JsonTables, sbViewFromTables } from "../../lflow/sb.js";
import { toFlowMod } from "../../lflow/to-model.js";
import { desiredMeters, InstalledMeters, parseDumpMeters, sbMetersFromJson } from "../index.js";

const OURS = "br-meters";

/** Meter configurations without their ids, sorted. */
const configs = (dump: string): string[] =>
  parseDumpMeters(dump)
    .map((l) => l.replace(/^meter=\d+ /, ""))
    .sort();

async function dumpMeters(s: Stack, bridge: string): Promise<string> {
  return (s.hv[0] as Stack["hv"][0]).ofctl("-O", "OpenFlow15", "dump-meters", bridge);
}

test(
  "meters: ours equal the real ovn-controller's on the same Southbound (add, modify, delete)",
  {
    timeout: 120_000,
  },
  () =>
    withSandbox(async (box) => {
      const s = await startStack(box, "ref", { chassis: 1 });
      const h = s.hv[0] as Stack["hv"][0];
      await meterTopology(s);
      await s.syncHv();
      await h.vsctl("add-br", OURS, "--", "set", "Bridge", OURS, "fail-mode=secure");
      await waitUntil(
        async () =>
          (await h.vsctl("--bare", "--columns=ofport", "find", "Interface", `name=${OURS}`)).trim() !== "",
        10_000,
        { what: `${OURS} up` },
      );
      const of = await OfConnection.connect(bridgeMgmtPath(h.box.dir, OURS));
      try {
        const alloc = new IdAllocators();
        const installed = new InstalledMeters();
        /** Computes our meters from the Southbound as it is now and installs them on OURS. */
        const step = async (): Promise<void> => {
          const sb = (await dumpSb(box)) as unknown as JsonTables;
          const flows = compileLogicalFlows(sbViewFromTables(sb), h.name, alloc).flows.map(toFlowMod);
          const d = desiredMeters(flows, alloc.meterList(), sbMetersFromJson(sb));
          assert.deepEqual(d.missing, []);
          const plan = installed.plan(d.meters);
          await of.transact(plan.before);
          await of.transact(plan.after);
          installed.commit(plan);
        };
        const same = async (what: string, n: number): Promise<void> => {
          await step();
          const theirs = configs(await dumpMeters(s, "br-int"));
          const ours = configs(await dumpMeters(s, OURS));
          assert.equal(
            theirs.length,
            n,
            `${what}: the real controller has ${n} meters: ${theirs.join("; ")}`,
          );
          assert.deepEqual(ours, theirs, what);
        };
        // idle-meter is used by no flow: neither side installs it.
        await same("initial", 5);
        const band = (await s.nbctl("--bare", "--columns=bands", "find", "Meter", "name=acl-meter")).trim();
        await s.nbctl("set", "Meter_Band", band, "rate=20");
        await s.nbctl("qos-del", "sw0", "from-lport", "101", 'inport == "p2"');
        await s.syncHv();
        await same("after a band change and a QoS rule removal", 4);
      } finally {
        of.close();
      }
    }),
);
