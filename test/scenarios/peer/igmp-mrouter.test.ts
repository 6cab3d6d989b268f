// Multicast routers learned from their queries (ovn-sb(5) IGMP_Group, the "mrouters" row): when another
// router's IGMP or MLD general query arrives on a snooping switch's port, ovn-controller records that
// port as a multicast router port in its chassis's "mrouters" row (an MLD query from the unspecified
// address :: does not count), floods the query to the switch's L2 domain on every chassis, and from
// then on forwards the reports it snoops to that port too (ovn-northd puts the mrouters ports in
// _MC_mrouter_flood), across chassis.
//
//   sw0 (mcast_snoop, no querier of its own):
//     vm1 f0:00:00:00:00:01 10.0.0.11 on hv2 — plays an external multicast router
//     vm2 …02 10.0.0.12, vm3 …03 10.0.0.13 on hv1
import assert from "node:assert/strict";
import { decodeMembership } from "../../../src/controller/pinctrl/igmp.js";
import { igmpGeneralQuery, mldGeneralQuery } from "../../../src/controller/pinctrl/igmp-query.js";
import { igmpv3Report } from "../../../src/controller/pinctrl/igmp-report.js";
import { DEFAULT_SNOOP } from "../../../src/controller/pinctrl/igmp-snoop.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { toHex } from "../../support/pcap.js";
import { waitUntil } from "../../support/wait.js";
import { waitGroups } from "../igmp-groups.js";
import { matrix, PACKET_MS, SETTLE_MS, sentSince } from "../matrix.js";

const GROUP = "239.1.1.1";
const VMS = [
  { name: "vm1", mac: "f0:00:00:00:00:01", ip: "10.0.0.11", ip6: "fe80::f200:ff:fe00:1", hv: 1 },
  { name: "vm2", mac: "f0:00:00:00:00:02", ip: "10.0.0.12", ip6: "fe80::f200:ff:fe00:2", hv: 0 },
  { name: "vm3", mac: "f0:00:00:00:00:03", ip: "10.0.0.13", ip6: "fe80::f200:ff:fe00:3", hv: 0 },
] as const;

interface Topo {
  vms: Vif[];
}

/** A general query as the router `vm` (or any host) would send it, from ip4 / ip6 source `ip6`. */
function query(family: 4 | 6, vm: (typeof VMS)[number], ip6: string = vm.ip6): Uint8Array {
  const cfg = { ...DEFAULT_SNOOP, ethSrc: vm.mac, ip4Src: vm.ip, ip6Src: ip6 };
  const q = family === 4 ? igmpGeneralQuery(cfg) : mldGeneralQuery(cfg);
  assert.ok(q !== undefined);
  return q;
}

const vif = (vms: Vif[], i: number): Vif => vms[i] as Vif;

/** Waits until `to` has sent (towards its VM) a frame byte-equal to `frame` since `from`. */
async function expectFrame(to: Vif, from: number, frame: Uint8Array, what: string): Promise<void> {
  const hex = toHex(frame);
  await waitUntil(() => sentSince(to, from).some((f) => toHex(f) === hex), PACKET_MS, { what });
}

matrix<Topo>({
  title: "IGMP/MLD: multicast router ports learned from queries, query flooding, reports forwarded to them",
  chassis: 2,
  setup: async (s: Stack) => {
    await s.nbctl("ls-add", "sw0");
    await s.nbctl(
      "set",
      "Logical_Switch",
      "sw0",
      "other_config:mcast_snoop=true",
      "other_config:mcast_querier=false",
    );
    for (const vm of VMS)
      await s.nbctl("lsp-add", "sw0", vm.name, "--", "lsp-set-addresses", vm.name, `${vm.mac} ${vm.ip}`);
    const vms: Vif[] = [];
    for (const vm of VMS) vms.push(await (s.hv[vm.hv] as Stack["hv"][0]).addVif(vm.name));
    await waitUntil(
      async () =>
        (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
          .split("\n")
          .filter((l) => l === "true").length === VMS.length,
      SETTLE_MS,
      { what: "vm1..vm3 up" },
    );
    await s.syncHv();
    await waitGroups(s, ["mrouters hv1 []", "mrouters hv2 []"]);
    return { vms };
  },
  scenarios: [
    {
      name: "an IGMP query from vm1 (hv2) is flooded to vm2 and vm3 (hv1) and makes vm1 a router port: mrouters hv2 [vm1]",
      run: async (s, { vms }) => {
        const q = query(4, VMS[0]);
        const [n2, n3] = [vif(vms, 1).sent().length, vif(vms, 2).sent().length];
        await vif(vms, 0).inject(q);
        await expectFrame(vif(vms, 1), n2, q, "the query on vm2");
        await expectFrame(vif(vms, 2), n3, q, "the query on vm3");
        await waitGroups(s, ["mrouters hv1 []", "mrouters hv2 [vm1]"]);
        await s.syncHv();
      },
    },
    {
      name: "a report from vm2 (hv1) is forwarded to the router port vm1 on hv2, and not to vm3",
      run: async (s, { vms }) => {
        const vm2 = VMS[1];
        const report = igmpv3Report({ mac: vm2.mac, ip4: vm2.ip }, [{ op: "join", group: GROUP }]);
        const [n1, n3] = [vif(vms, 0).sent().length, vif(vms, 2).sent().length];
        await vif(vms, 1).inject(report);
        await expectFrame(vif(vms, 0), n1, report, "the report on vm1 (the router port)");
        await waitGroups(s, [`${GROUP} hv1 [vm2]`, "mrouters hv1 []", "mrouters hv2 [vm1]"]);
        const hex = toHex(report);
        assert.ok(!sentSince(vif(vms, 2), n3).some((f) => toHex(f) === hex), "vm3 is no router port");
      },
    },
    {
      name: "an MLD query from :: (vm2) is flooded but teaches nothing; one from fe80::…3 (vm3) makes vm3 a router port",
      run: async (s, { vms }) => {
        const fromAny = query(6, VMS[1], "::");
        let n1 = vif(vms, 0).sent().length;
        await vif(vms, 1).inject(fromAny);
        await expectFrame(vif(vms, 0), n1, fromAny, "the :: query on vm1");
        const q = query(6, VMS[2]);
        n1 = vif(vms, 0).sent().length;
        await vif(vms, 2).inject(q);
        await expectFrame(vif(vms, 0), n1, q, "vm3's query on vm1");
        await waitGroups(s, [`${GROUP} hv1 [vm2]`, "mrouters hv1 [vm3]", "mrouters hv2 [vm1]"]);
        const m = decodeMembership(q);
        assert.ok(m.ok && m.value.kind === "query");
      },
    },
  ],
});
