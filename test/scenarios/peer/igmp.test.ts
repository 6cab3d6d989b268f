// IGMP snooping end to end: a VM's IGMPv3 report makes its chassis write an IGMP_Group row, northd
// builds the group's Multicast_Group and flows, and traffic to the group reaches the joined port only
// (unregistered multicast is dropped: mcast_flood_unregistered is false); a leave removes the row and
// the forwarding; the switch, a querier, sends general queries from its configured sources.
//
//   sw0 (mcast_snoop, mcast_querier, eth_src 0a:00:00:00:05:00, ip4_src 10.0.0.254, ip6_src fe80::254,
//        query interval 2 s, max response 3 s):
//     vm1 f0:00:00:00:00:01 10.0.0.11, vm2 …02 10.0.0.12, vm3 …03 10.0.0.13 (mcast_flood_reports),
//     all on hv1
import assert from "node:assert/strict";
import { decodeMembership } from "../../../src/controller/pinctrl/igmp.js";
import {
  igmpv2Message,
  igmpv3Report,
  ipv4McastMac,
  mldv1Message,
  mldv2Report,
} from "../../../src/controller/pinctrl/igmp-report.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, udp4, udpTag } from "../../support/frames.js";
import { waitUntil } from "../../support/wait.js";
import { waitGroups } from "../igmp-groups.js";
import { expectDelivered, expectDropped, matrix, PACKET_MS, SETTLE_MS, sentSince, tag } from "../matrix.js";

const GROUP = "239.1.1.1";
const VMS = [1, 2, 3].map((i) => ({ name: `vm${i}`, mac: `f0:00:00:00:00:0${i}`, ip: `10.0.0.1${i}` }));
const QUERIER = { mac: "0a:00:00:00:05:00", ip: "10.0.0.254" };

interface Topo {
  vms: Vif[];
}

/** A UDP datagram from vm3 to the group, tagged. */
function toGroup(t: number): Uint8Array {
  const vm3 = VMS[2] as (typeof VMS)[number];
  return udp4({ src: vm3.mac, dst: ipv4McastMac(GROUP), sip: vm3.ip, dip: GROUP, tag: t });
}

const vmOf = (vms: Vif[], i: number): Vif => vms[i] as Vif;

matrix<Topo>({
  title: "IGMP snooping: learned groups, forwarding to joined ports only, leave, queries",
  chassis: 1,
  setup: async (s: Stack) => {
    await s.nbctl("ls-add", "sw0");
    await s.nbctl(
      "set",
      "Logical_Switch",
      "sw0",
      "other_config:mcast_snoop=true",
      "other_config:mcast_querier=true",
      `other_config:mcast_eth_src=${QUERIER.mac}`,
      `other_config:mcast_ip4_src=${QUERIER.ip}`,
      "other_config:mcast_query_interval=2",
      "other_config:mcast_query_max_response=3",
      "other_config:mcast_ip6_src=fe80::254",
    );
    for (const vm of VMS)
      await s.nbctl("lsp-add", "sw0", vm.name, "--", "lsp-set-addresses", vm.name, `${vm.mac} ${vm.ip}`);
    await s.nbctl("lsp-set-options", "vm3", "mcast_flood_reports=true");
    const vms: Vif[] = [];
    for (const vm of VMS) vms.push(await (s.hv[0] as Stack["hv"][0]).addVif(vm.name));
    await waitUntil(
      async () =>
        (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
          .split("\n")
          .filter((l) => l === "true").length === VMS.length,
      SETTLE_MS,
      { what: "vm1..vm3 up" },
    );
    await s.syncHv();
    return { vms };
  },
  scenarios: [
    {
      name: "the querier sends IGMPv3 and MLDv2 general queries from its configured sources to the VMs",
      run: async (_s, { vms }) => {
        const vm2 = vmOf(vms, 1);
        const before = vm2.sent().length;
        const query = (family: 4 | 6) => (f: Uint8Array) => {
          const m = decodeMembership(f);
          return m.ok && m.value.kind === "query" && m.value.family === family;
        };
        const got = await waitUntil(
          () => {
            const all = sentSince(vm2, before);
            const q4 = all.find(query(4));
            const q6 = all.find(query(6));
            return q4 !== undefined && q6 !== undefined ? { q4, q6 } : false;
          },
          PACKET_MS,
          { what: "an IGMP and an MLD query on vm2" },
        );
        const d4 = decode(got.q4);
        assert.equal(d4.eth.src, QUERIER.mac);
        assert.ok(d4.l3.kind === "ipv4" && d4.l3.ip.src === QUERIER.ip && d4.l3.ip.dst === "224.0.0.1");
        const d6 = decode(got.q6);
        assert.equal(d6.eth.src, QUERIER.mac);
        assert.ok(d6.l3.kind === "ipv6" && d6.l3.ip.src === "fe80::254" && d6.l3.ip.dst === "ff02::1");
      },
    },
    {
      name: "an IGMPv3 report from vm1 → an IGMP_Group row for 239.1.1.1 with vm1 on hv1",
      run: async (s, { vms }) => {
        const vm1 = VMS[0] as (typeof VMS)[number];
        const report = igmpv3Report({ mac: vm1.mac, ip4: vm1.ip }, [{ op: "join", group: GROUP }]);
        // The report itself goes on to the ports that asked for reports (vm3: mcast_flood_reports).
        const hex = Buffer.from(report).toString("hex");
        await expectDelivered(
          vmOf(vms, 0),
          report,
          vmOf(vms, 2),
          (f) => Buffer.from(f).toString("hex") === hex,
        );
        // ovn-controller also keeps a "mrouters" row per snooping switch (learned router ports: none).
        await waitGroups(s, [`${GROUP} hv1 [vm1]`, "mrouters hv1 []"]);
        await waitUntil(
          async () => (await s.sbctl("--bare", "--columns=name", "list", "Multicast_Group")).includes(GROUP),
          SETTLE_MS,
          { what: `Multicast_Group ${GROUP}` },
        );
        await s.syncHv();
      },
    },
    {
      name: "traffic to 239.1.1.1 reaches vm1 and not vm2",
      run: async (_s, { vms }) => {
        const t = tag();
        await expectDelivered(vmOf(vms, 2), toGroup(t), vmOf(vms, 0), (f) => udpTag(f) === t);
        const t2 = tag();
        await expectDropped(
          vmOf(vms, 2),
          toGroup(t2),
          vmOf(vms, 1),
          { frame: toGroup(tag()), to: vmOf(vms, 0) },
          (f) => udpTag(f) === t2,
        );
      },
    },
    {
      name: "a leave from vm1 removes the row, and traffic to the group is dropped again",
      run: async (s, { vms }) => {
        const vm1 = VMS[0] as (typeof VMS)[number];
        await vmOf(vms, 0).inject(
          igmpv3Report({ mac: vm1.mac, ip4: vm1.ip }, [{ op: "leave", group: GROUP }]),
        );
        await waitGroups(s, ["mrouters hv1 []"]);
        await waitUntil(
          async () => !(await s.sbctl("--bare", "--columns=name", "list", "Multicast_Group")).includes(GROUP),
          SETTLE_MS,
          { what: `Multicast_Group ${GROUP} gone` },
        );
        await s.syncHv();
        const t = tag();
        const vm2 = VMS[1] as (typeof VMS)[number];
        // Unicast from vm3 to vm2 as the barrier: the group datagram must not reach vm1 meanwhile.
        const barrier = udp4({
          src: (VMS[2] as (typeof VMS)[number]).mac,
          dst: vm2.mac,
          sip: "10.0.0.13",
          dip: vm2.ip,
          tag: tag(),
        });
        await expectDropped(
          vmOf(vms, 2),
          toGroup(t),
          vmOf(vms, 0),
          { frame: barrier, to: vmOf(vms, 1) },
          (f) => udpTag(f) === t,
        );
      },
    },
    {
      name: "MLDv2 and IGMPv2 reports from vm2 → rows for ff0e::1234 and 239.2.2.2; MLDv1 done and IGMPv2 leave remove them",
      run: async (s, { vms }) => {
        const vm2 = VMS[1] as (typeof VMS)[number];
        const host = { mac: vm2.mac, ip4: vm2.ip, ip6: "fe80::f200:ff:fe00:2" };
        await vmOf(vms, 1).inject(mldv2Report(host, [{ op: "join", group: "ff0e::1234" }]));
        await vmOf(vms, 1).inject(igmpv2Message(host, { op: "join", group: "239.2.2.2" }));
        await waitGroups(s, ["239.2.2.2 hv1 [vm2]", "ff0e::1234 hv1 [vm2]", "mrouters hv1 []"]);
        await vmOf(vms, 1).inject(mldv1Message(host, { op: "leave", group: "ff0e::1234" }));
        await vmOf(vms, 1).inject(igmpv2Message(host, { op: "leave", group: "239.2.2.2" }));
        await waitGroups(s, ["mrouters hv1 []"]);
      },
    },
  ],
});
