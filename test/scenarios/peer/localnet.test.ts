// A logical switch attached to the physical network by a localnet port with a VLAN tag: traffic
// between chassis goes over br-phys tagged 100 (not through a tunnel), and a tagged frame from the
// physical network reaches the VM untagged.
//
//   pub: ln (localnet, network_name phys, tag 100), v1 (hv1), v2 (hv2); ovn-bridge-mappings phys:br-phys
import assert from "node:assert/strict";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, udp4, udpTag } from "../../support/frames.js";
import { readPcapFile } from "../../support/packets.js";
import { toHex } from "../../support/pcap.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, PACKET_MS, SETTLE_MS, tag } from "../matrix.js";

const V1 = { mac: "f0:00:00:00:00:01", ip: "10.0.5.1" };
const V2 = { mac: "f0:00:00:00:00:02", ip: "10.0.5.2" };

interface Topo {
  v1: Vif;
  v2: Vif;
}

/** Frames hv's br-phys sent to the physical network after the first `from`. */
function physSent(s: Stack, hv: number, from = 0): Uint8Array[] {
  const h = s.hv[hv];
  assert.ok(h !== undefined);
  return readPcapFile(h.box.path("br-phys_n1-tx.pcap"))
    .slice(from)
    .map((p) => p.data);
}

matrix<Topo>({
  title: "localnet with VLAN 100 between two chassis",
  chassis: 2,
  bridgeMappings: "phys:br-phys",
  setup: async (s) => {
    await s.nbctl("ls-add", "pub");
    await s.nbctl("lsp-add", "pub", "ln", "", "100");
    await s.nbctl("lsp-set-type", "ln", "localnet", "--", "lsp-set-addresses", "ln", "unknown");
    await s.nbctl("lsp-set-options", "ln", "network_name=phys");
    await s.nbctl("lsp-add", "pub", "v1", "--", "lsp-set-addresses", "v1", `${V1.mac} ${V1.ip}`);
    await s.nbctl("lsp-add", "pub", "v2", "--", "lsp-set-addresses", "v2", `${V2.mac} ${V2.ip}`);
    const [h1, h2] = s.hv as [Stack["hv"][0], Stack["hv"][0]];
    const topo = { v1: await h1.addVif("v1"), v2: await h2.addVif("v2") };
    await waitUntil(
      async () =>
        (await Promise.all(["v1", "v2"].map((p) => s.nbctl("get", "Logical_Switch_Port", p, "up")))).every(
          (u) => u.trim() === "true",
        ),
      SETTLE_MS,
      { what: "v1, v2 up" },
    );
    // Both chassis have patched br-int to br-phys for the localnet port.
    for (const h of s.hv)
      await waitUntil(
        async () =>
          (await h.vsctl("--bare", "--columns=name", "find", "Interface", "type=patch")).trim() !== "",
        SETTLE_MS,
        { what: `${h.name}: localnet patch port` },
      );
    await s.syncHv();
    return topo;
  },
  scenarios: [
    {
      name: "v1 to v2 goes over the physical network tagged 100 and arrives untagged",
      run: async (s, { v1, v2 }) => {
        const before = physSent(s, 0).length;
        const f = udp4({ src: V1.mac, dst: V2.mac, sip: V1.ip, dip: V2.ip, tag: tag() });
        const [got] = await expectDelivered(v1, f, v2, (x) => udpTag(x) === udpTag(f));
        assert.equal(toHex(got as Uint8Array), toHex(f), "unchanged, untagged");
        const onWire = physSent(s, 0, before).filter((x) => udpTag(x) === udpTag(f));
        assert.equal(onWire.length, 1, "one copy left hv1's br-phys");
        const w = decode(onWire[0] as Uint8Array);
        assert.deepEqual(
          w.eth.vlans.map((t) => t.vid),
          [100],
          "tagged with VLAN 100",
        );
        const geneve = physSent(s, 0, before).filter((x) => {
          const d = decode(x);
          return d.l3.kind === "ipv4" && d.l3.l4.kind === "udp" && d.l3.l4.udp.dstPort === 6081;
        });
        assert.deepEqual(geneve, [], "no tunnel used");
      },
    },
    {
      name: "a broadcast from v1 reaches v2 exactly once (through the physical network, not also a tunnel)",
      run: async (_s, { v1, v2 }) => {
        const b = udp4({ src: V1.mac, dst: "ff:ff:ff:ff:ff:ff", sip: V1.ip, dip: "10.0.5.255", tag: tag() });
        const before = v2.sent().length;
        await expectDelivered(v1, b, v2, (x) => udpTag(x) === udpTag(b));
        // A unicast behind it on the same wires: once it is there, any second copy would be too.
        const u = udp4({ src: V1.mac, dst: V2.mac, sip: V1.ip, dip: V2.ip, tag: tag() });
        await expectDelivered(v1, u, v2, (x) => udpTag(x) === udpTag(u));
        const copies = v2
          .sent()
          .slice(before)
          .filter((p) => udpTag(p.data) === udpTag(b));
        assert.equal(copies.length, 1, "one copy of the broadcast");
      },
    },
    {
      name: "a frame tagged 100 from the physical network reaches v2 untagged",
      run: async (s, { v2 }) => {
        const outside = { mac: "f0:00:00:00:00:99", ip: "10.0.5.99" };
        const f = udp4({ src: outside.mac, dst: V2.mac, sip: outside.ip, dip: V2.ip, vlan: 100, tag: tag() });
        const before = v2.sent().length;
        // As if it came from the physical network through hv1's uplink into the network switch.
        await s.net.appctl("netdev-dummy/receive", "hv1_br-phys", toHex(f));
        const got = await waitUntil(
          () =>
            v2
              .sent()
              .slice(before)
              .find((p) => udpTag(p.data) === udpTag(f)),
          PACKET_MS,
          { what: "the outside frame at v2" },
        );
        const d = decode(got.data);
        assert.deepEqual(d.eth.vlans, [], "untagged");
        assert.equal(d.eth.src, outside.mac);
        assert.equal(d.eth.dst, V2.mac);
      },
    },
  ],
});
