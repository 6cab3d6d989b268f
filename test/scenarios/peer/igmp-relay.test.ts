// IGMP snooping across chassis and a multicast relay router: groups joined on two chassis merge into
// one Multicast_Group, traffic from the other chassis reaches both joined VMs through the tunnel and
// not the others; a router with options:mcast_relay=true routes the group's traffic into a switch
// where a VM joined it (TTL decremented, the router port's MAC as source).
//
//   sw0 (snooping): a1 (hv1), a2 (hv1), a3 (hv2)         lr0 (mcast_relay): r0 10.0.0.1 on sw0,
//   sw1 (snooping): b1 (hv2), b2 (hv1)                                        r1 10.0.1.1 on sw1
import assert from "node:assert/strict";
import { igmpv3Report, ipv4McastMac } from "../../../src/controller/pinctrl/igmp-report.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, udp4, udpTag } from "../../support/frames.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, expectDropped, matrix, routerPeer, SETTLE_MS, tag } from "../matrix.js";

const H = {
  a1: { ls: "sw0", mac: "f0:00:00:00:00:11", ip: "10.0.0.11", hv: 0 },
  a2: { ls: "sw0", mac: "f0:00:00:00:00:12", ip: "10.0.0.12", hv: 0 },
  a3: { ls: "sw0", mac: "f0:00:00:00:00:13", ip: "10.0.0.13", hv: 1 },
  b1: { ls: "sw1", mac: "f0:00:00:00:01:11", ip: "10.0.1.11", hv: 1 },
  b2: { ls: "sw1", mac: "f0:00:00:00:01:12", ip: "10.0.1.12", hv: 0 },
} as const;
type Host = keyof typeof H;
type Topo = Record<Host, Vif>;

const R1_MAC = "00:00:00:00:ff:02";
/** Joined in sw0 on both chassis. */
const G0 = "239.1.1.1";
/** Joined in sw1 only: reached from sw0 through the relay router. */
const G1 = "239.2.2.2";

function toGroup(from: Host, group: string, t: number): Uint8Array {
  const h = H[from];
  return udp4({ src: h.mac, dst: ipv4McastMac(group), sip: h.ip, dip: group, tag: t });
}

async function join(vif: Vif, host: Host, group: string): Promise<void> {
  await vif.inject(igmpv3Report({ mac: H[host].mac, ip4: H[host].ip }, [{ op: "join", group }]));
}

/** The Multicast_Group named `name` has `n` ports. */
async function groupSize(s: Stack, name: string, ls: string, n: number): Promise<void> {
  await waitUntil(
    async () => {
      const dp = (
        await s.sbctl("--bare", "--columns=_uuid", "find", "Datapath_Binding", `external_ids:name=${ls}`)
      ).trim();
      const ports = (
        await s.sbctl(
          "--bare",
          "--columns=ports",
          "find",
          "Multicast_Group",
          `name="${name}"`,
          `datapath=${dp}`,
        )
      ).trim();
      return (ports === "" ? 0 : ports.split(/\s+/).length) === n;
    },
    SETTLE_MS,
    { what: `Multicast_Group ${name} on ${ls} with ${n} ports` },
  );
}

matrix<Topo>({
  title: "IGMP snooping across chassis and through a multicast relay router",
  chassis: 2,
  setup: async (s: Stack) => {
    for (const ls of ["sw0", "sw1"]) {
      await s.nbctl("ls-add", ls);
      await s.nbctl(
        "set",
        "Logical_Switch",
        ls,
        "other_config:mcast_snoop=true",
        "other_config:mcast_querier=false",
      );
    }
    await s.nbctl("lr-add", "lr0");
    await s.nbctl("set", "Logical_Router", "lr0", "options:mcast_relay=true");
    await s.nbctl("lrp-add", "lr0", "r0", "00:00:00:00:ff:01", "10.0.0.1/24");
    await s.nbctl("lrp-add", "lr0", "r1", R1_MAC, "10.0.1.1/24");
    await routerPeer(s, "sw0", "sw0-r0", "r0");
    await routerPeer(s, "sw1", "sw1-r1", "r1");
    const vifs: Partial<Topo> = {};
    for (const [name, h] of Object.entries(H) as [Host, (typeof H)[Host]][]) {
      await s.nbctl("lsp-add", h.ls, name, "--", "lsp-set-addresses", name, `${h.mac} ${h.ip}`);
      vifs[name] = await (s.hv[h.hv] as Stack["hv"][0]).addVif(name);
    }
    await waitUntil(
      async () =>
        (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
          .split("\n")
          .filter((l) => l === "true").length ===
        Object.keys(H).length + 2,
      SETTLE_MS,
      { what: "every port up" },
    );
    await s.syncHv();
    return vifs as Topo;
  },
  scenarios: [
    {
      name: "a1 (hv1) and a3 (hv2) join 239.1.1.1: one group of both; a2's traffic reaches a1 and a3, not b2",
      run: async (s, t) => {
        await join(t.a1, "a1", G0);
        await join(t.a3, "a3", G0);
        await groupSize(s, G0, "sw0", 2);
        await s.syncHv();
        const x = tag();
        await expectDelivered(t.a2, toGroup("a2", G0, x), t.a1, (f) => udpTag(f) === x);
        const y = tag();
        await expectDelivered(t.a2, toGroup("a2", G0, y), t.a3, (f) => udpTag(f) === y);
        // b2 is on another switch where nobody joined 239.1.1.1.
        const z = tag();
        await expectDropped(
          t.a2,
          toGroup("a2", G0, z),
          t.b2,
          { frame: toGroup("a2", G0, tag()), to: t.a1 },
          (f) => udpTag(f) === z,
        );
      },
    },
    {
      name: "b1 (hv2) joins 239.2.2.2 in sw1: a1's traffic to it is relayed by lr0 to b1 only",
      run: async (s, t) => {
        await join(t.b1, "b1", G1);
        await groupSize(s, G1, "sw1", 1);
        await groupSize(s, G1, "lr0", 1);
        await s.syncHv();
        const x = tag();
        const sent = toGroup("a1", G1, x);
        const [got] = await expectDelivered(t.a1, sent, t.b1, (f) => udpTag(f) === x);
        const g = decode(got as Uint8Array);
        assert.equal(g.eth.src, R1_MAC, "routed: the router port's MAC");
        assert.ok(g.l3.kind === "ipv4" && g.l3.ip.ttl === 63, "routed: TTL decremented");
        const y = tag();
        await expectDropped(
          t.a1,
          toGroup("a1", G1, y),
          t.b2,
          { frame: toGroup("a1", G1, tag()), to: t.b1 },
          (f) => udpTag(f) === y,
        );
      },
    },
  ],
});
