// ovn-controller(8)'s runtime commands on the real ovn-controller 23.03 and on ours, same topology:
//   - inject-pkt: the same microflows (UDP, TCP, ICMP, ARP) come out of the destination port byte for
//     byte as the real controller's injection (a bad microflow is refused with an error);
//   - ct-zone-list names the local VIFs and no router ports; group-table-list lists the LB's group;
//   - debug/delay-nb-cfg-report answers as the real one does.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { requireTools } from "../../../../test/support/exec.js";
import { plugArgs, routerPort } from "../../../../test/support/nbctl-build.js";
import { toHex } from "../../../../test/support/pcap.js";
import {
  type Impl,
  nbctl,
  readPcapFile,
  startController,
  startDbServer,
  startNorthd,
  startVswitchd,
  vsctl,
  waitForPackets,
  waitUntil,
  withSandbox,
} from "../../../../test/support/sandbox.js";
import { chain } from "../../../sandbox/topology.js";

const PEERS = ["ovn-controller", "ovn-northd", "ovs-vswitchd", "ovsdb-server", "ovn-nbctl", "ovs-appctl"];
before(() => requireTools(...PEERS));

const MAC1 = "00:00:00:00:00:01";
const MAC2 = "00:00:00:00:00:02";

const MICROFLOWS = [
  `inport == "p1" && eth.src == ${MAC1} && eth.dst == ${MAC2} && ip4 && ip.ttl == 64 && ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && udp && udp.src == 53 && udp.dst == 4369`,
  `inport == "p1" && eth.src == ${MAC1} && eth.dst == ${MAC2} && ip4 && ip.ttl == 64 && ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && tcp && tcp.flags == 2 && tcp.src == 4360 && tcp.dst == 80`,
  `inport == "p1" && eth.src == ${MAC1} && eth.dst == ${MAC2} && ip4 && ip.ttl == 32 && ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && icmp4 && icmp4.type == 8 && icmp4.code == 0`,
  `inport == "p1" && eth.src == ${MAC1} && eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && arp.sha == ${MAC1} && arp.spa == 10.0.0.1 && arp.tpa == 10.0.0.77`,
  `inport == "p1" && eth.src == ${MAC1} && eth.dst == ${MAC2} && ip6 && ip.ttl == 64 && ip6.src == fd00::1 && ip6.dst == fd00::2 && udp && udp.src == 1000 && udp.dst == 2000`,
];

interface Seen {
  packets: string[];
  zones: string;
  groups: string;
  delay: string;
  badError: string;
}

async function scenario(impl: Impl): Promise<Seen> {
  return withSandbox(async (box) => {
    await startDbServer(box, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    await startDbServer(box, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    const ovs = await startDbServer(box, { impl: "c", name: "ovs", schemas: ["vswitch"] });
    await startVswitchd(box, { dbSock: ovs.sock, dummy: "override" });
    await startNorthd(box);
    await nbctl(box, "ls-add", "sw0");
    await nbctl(box, "lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", `${MAC1} 10.0.0.1 fd00::1`);
    await nbctl(box, "lsp-add", "sw0", "p2", "--", "lsp-set-addresses", "p2", `${MAC2} 10.0.0.2 fd00::2`);
    await nbctl(
      box,
      "lr-add",
      "lr0",
      "--",
      "lrp-add",
      "lr0",
      "lr0-sw0",
      "00:00:00:00:ff:01",
      "10.0.0.254/24",
    );
    await nbctl(box, ...chain(routerPort("sw0", "sw0-lr0", "lr0-sw0")));
    await nbctl(
      box,
      "lb-add",
      "lb1",
      "10.0.0.100:80",
      "10.0.0.1:80,10.0.0.2:80",
      "tcp",
      "--",
      "ls-lb-add",
      "sw0",
      "lb1",
    );
    const ctl = await startController(box, { ovsDb: ovs.sock, impl });
    for (const n of [1, 2])
      await vsctl(
        box,
        ...plugArgs(
          `vif${n}`,
          `p${n}`,
          "br-int",
          `options:tx_pcap=${box.path(`vif${n}-tx.pcap`)}`,
          `options:rxq_pcap=${box.path(`vif${n}-rx.pcap`)}`,
        ),
      );
    await nbctl(box, "--timeout=30", "wait-until", "Logical_Switch_Port", "p1", "up=true");
    await nbctl(box, "--timeout=30", "wait-until", "Logical_Switch_Port", "p2", "up=true");
    await nbctl(box, "--timeout=30", "--wait=hv", "sync");

    const pcap = box.path("vif2-tx.pcap");
    for (const [i, mf] of MICROFLOWS.entries()) {
      await ctl.appctl("inject-pkt", mf);
      await waitForPackets(pcap, i + 1, 10_000);
    }
    await new Promise((r) => setTimeout(r, 200));
    const packets = readPcapFile(pcap).map((p) => toHex(p.data));
    const badError = await ctl.appctl("inject-pkt", 'inport == "nonexistent" && ip4').then(
      (out) => `no error: ${out}`,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    // With a 2 s delay, --wait=hv returns no sooner than that; with 0, at once again.
    const delayed = async (): Promise<string> => {
      const on = await ctl.appctl("debug/delay-nb-cfg-report", "2");
      const t0 = Date.now();
      await nbctl(box, "--timeout=30", "--wait=hv", "ls-add", "delayed");
      const held = Date.now() - t0;
      assert.ok(held >= 1500, `--wait=hv returned after ${held} ms with a 2 s delay`);
      const off = await ctl.appctl("debug/delay-nb-cfg-report", "0");
      await nbctl(box, "--timeout=30", "--wait=hv", "ls-add", "prompt");
      return `${on}|${off}`;
    };
    await waitUntil(async () => (await ctl.appctl("group-table-list")).trim() !== "", 10_000, {
      what: "a group",
    });
    return {
      packets,
      zones: await ctl.appctl("ct-zone-list"),
      groups: await ctl.appctl("group-table-list"),
      delay: await delayed(),
      badError,
    };
  });
}

const seen = new Map<Impl, Seen>();

for (const impl of ["c", "ovnts"] as const)
  test(`ovn-appctl on the ${impl === "c" ? "real ovn-controller" : "ovnts controller"}: inject-pkt, ct-zone-list, group-table-list, delay-nb-cfg-report`, {
    timeout: 120_000,
  }, async () => {
    const s = await scenario(impl);
    seen.set(impl, s);
    assert.equal(s.packets.length, MICROFLOWS.length);
    const zoneNames = s.zones
      .trim()
      .split("\n")
      .map((l) => l.split(" ")[0]);
    assert.ok(zoneNames.includes("p1") && zoneNames.includes("p2"), s.zones);
    assert.ok(!zoneNames.includes("sw0-lr0") && !zoneNames.includes("lr0-sw0"), s.zones);
    for (const l of s.zones.trim().split("\n")) assert.match(l, /^\S+ \d+$/);
    assert.match(s.groups.trim(), /^.+: \d+$/);
    assert.doesNotMatch(s.badError, /^no error/);
  });

test("inject-pkt: ovnts's injected packets equal the real controller's byte for byte", () => {
  const c = seen.get("c");
  const ours = seen.get("ovnts");
  assert.ok(c !== undefined && ours !== undefined, "both scenarios ran");
  assert.deepEqual(ours.packets, c.packets);
  assert.equal(ours.delay, c.delay);
});
