// NAT on two chassis: a gateway router (SNAT, DNAT and a router load balancer, bound to hv1) and a
// distributed floating IP (dnat_and_snat with external_mac/logical_port) handled on the VM's own
// chassis hv2, although the router's gateway port is on hv1.
//
//   lsa 10.0.1.0/24: vmA (hv1), vmA2 (hv2)   gr0 (options:chassis=hv1): gr0-a 10.0.1.1, gr0-ext 172.16.0.1
//   lsb 10.0.2.0/24: vmB, vmB2 (hv2)   lr1: lr1-b 10.0.2.1, lr1-ext 172.16.0.2 (gateway chassis hv1)
//   ext 172.16.0.0/24: ext1 172.16.0.100 (hv1), ext2 172.16.0.101 (hv2)
//   gr0: snat 172.16.0.1 ← 10.0.1.0/24; dnat 172.16.0.10 → 10.0.1.11; lb 172.16.0.30:80 → 10.0.1.11:8080
//   lr1: dnat_and_snat 172.16.0.20 ↔ 10.0.2.11, logical_port vmB, external_mac f0:00:00:00:20:11;
//        snat 172.16.0.2 ← 10.0.2.0/24 (centralised on the gateway chassis hv1)
import assert from "node:assert/strict";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, tcp4, udp4, udpTag } from "../../support/frames.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, routerPeer, SETTLE_MS, tag } from "../matrix.js";

const GR = {
  a: { mac: "00:00:00:10:00:01", ip: "10.0.1.1" },
  ext: { mac: "00:00:00:10:00:02", ip: "172.16.0.1" },
};
const LR1 = {
  b: { mac: "00:00:00:20:00:01", ip: "10.0.2.1" },
  ext: { mac: "00:00:00:20:00:02", ip: "172.16.0.2" },
};
const FIP = { ip: "172.16.0.20", mac: "f0:00:00:00:20:11" };
const H = {
  vmA: { ls: "lsa", mac: "f0:00:00:01:00:11", ip: "10.0.1.11", hv: 0 },
  vmA2: { ls: "lsa", mac: "f0:00:00:01:00:12", ip: "10.0.1.12", hv: 1 },
  vmB: { ls: "lsb", mac: "f0:00:00:02:00:11", ip: "10.0.2.11", hv: 1 },
  vmB2: { ls: "lsb", mac: "f0:00:00:02:00:12", ip: "10.0.2.12", hv: 1 },
  ext1: { ls: "ext", mac: "f0:00:00:ee:00:01", ip: "172.16.0.100", hv: 0 },
  ext2: { ls: "ext", mac: "f0:00:00:ee:00:02", ip: "172.16.0.101", hv: 1 },
} as const;
type Host = keyof typeof H;
type Topo = Record<Host, Vif>;

function ipv4Of(f: Uint8Array) {
  const d = decode(f);
  assert.ok(d.l3.kind === "ipv4", "an IPv4 frame");
  return { eth: d.eth, ip: d.l3.ip, l4: d.l3.l4 };
}

const tagged = (x: Uint8Array) => (f: Uint8Array) => udpTag(f) === udpTag(x);

async function routerPort(
  s: Stack,
  lr: string,
  lrp: string,
  mac: string,
  cidr: string,
  ls: string,
): Promise<void> {
  await s.nbctl("lrp-add", lr, lrp, mac, cidr);
  await routerPeer(s, ls, `${ls}-${lr}`, lrp);
}

matrix<Topo>({
  title: "NAT: gateway router SNAT/DNAT/LB, distributed floating IP",
  chassis: 2,
  setup: async (s) => {
    for (const ls of ["lsa", "lsb", "ext"]) await s.nbctl("ls-add", ls);
    await s.nbctl("lr-add", "gr0", "--", "set", "Logical_Router", "gr0", "options:chassis=hv1");
    await routerPort(s, "gr0", "gr0-a", GR.a.mac, `${GR.a.ip}/24`, "lsa");
    await routerPort(s, "gr0", "gr0-ext", GR.ext.mac, `${GR.ext.ip}/24`, "ext");
    await s.nbctl("lr-add", "lr1");
    await routerPort(s, "lr1", "lr1-b", LR1.b.mac, `${LR1.b.ip}/24`, "lsb");
    await routerPort(s, "lr1", "lr1-ext", LR1.ext.mac, `${LR1.ext.ip}/24`, "ext");
    await s.nbctl("lrp-set-gateway-chassis", "lr1-ext", "hv1", "20");
    await s.nbctl("lr-nat-add", "gr0", "snat", GR.ext.ip, "10.0.1.0/24");
    await s.nbctl("lr-nat-add", "gr0", "dnat", "172.16.0.10", H.vmA.ip);
    await s.nbctl("lb-add", "lb0", "172.16.0.30:80", `${H.vmA.ip}:8080`, "tcp");
    await s.nbctl("lr-lb-add", "gr0", "lb0");
    const v: Partial<Topo> = {};
    for (const [name, h] of Object.entries(H) as [Host, (typeof H)[Host]][]) {
      await s.nbctl("lsp-add", h.ls, name, "--", "lsp-set-addresses", name, `${h.mac} ${h.ip}`);
      v[name] = await (s.hv[h.hv] as Stack["hv"][0]).addVif(name);
    }
    await s.nbctl("lr-nat-add", "lr1", "dnat_and_snat", FIP.ip, H.vmB.ip, "vmB", FIP.mac);
    await s.nbctl("lr-nat-add", "lr1", "snat", LR1.ext.ip, "10.0.2.0/24");
    await waitUntil(
      async () =>
        (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
          .split("\n")
          .filter((l) => l.trim() === "true").length >= 6,
      SETTLE_MS,
      { what: "every VIF up" },
    );
    // The chassisredirect port of lr1-ext is claimed by hv1.
    await waitUntil(
      async () =>
        (
          await s.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", "logical_port=cr-lr1-ext")
        ).trim() !== "",
      SETTLE_MS,
      { what: "cr-lr1-ext bound" },
    );
    await s.syncHv();
    return v as Topo;
  },
  scenarios: [
    {
      name: "gateway router SNAT: vmA to ext1 leaves with source 172.16.0.1",
      run: async (_s, v) => {
        const f = udp4({ src: H.vmA.mac, dst: GR.a.mac, sip: H.vmA.ip, dip: H.ext1.ip, tag: tag() });
        const [got] = await expectDelivered(v.vmA, f, v.ext1, tagged(f));
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.src, GR.ext.ip);
        assert.equal(g.ip.dst, H.ext1.ip);
        assert.equal(g.eth.src, GR.ext.mac);
        assert.equal(g.eth.dst, H.ext1.mac);
        assert.equal(g.ip.ttl, 63);
      },
    },
    {
      name: "gateway router SNAT reply: ext1's answer to 172.16.0.1 is un-SNATed to vmA",
      run: async (_s, v) => {
        // Same addresses and ports as the SNAT scenario's datagram, reversed: its conntrack entry applies.
        const out = udp4({
          src: H.vmA.mac,
          dst: GR.a.mac,
          sip: H.vmA.ip,
          dip: H.ext1.ip,
          sport: 4000,
          dport: 5000,
          tag: tag(),
        });
        await expectDelivered(v.vmA, out, v.ext1, tagged(out));
        const reply = udp4({
          src: H.ext1.mac,
          dst: GR.ext.mac,
          sip: H.ext1.ip,
          dip: GR.ext.ip,
          sport: 5000,
          dport: 4000,
          tag: tag(),
        });
        const [got] = await expectDelivered(v.ext1, reply, v.vmA, tagged(reply));
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.src, H.ext1.ip);
        assert.equal(g.ip.dst, H.vmA.ip);
        assert.equal(g.eth.src, GR.a.mac);
        assert.equal(g.eth.dst, H.vmA.mac);
        assert.ok(g.l4.kind === "udp");
        assert.equal(g.l4.udp.dstPort, 4000);
      },
    },
    {
      name: "gateway router SNAT from another chassis: vmA2 on hv2 reaches ext1 through the gateway on hv1",
      run: async (_s, v) => {
        const f = udp4({ src: H.vmA2.mac, dst: GR.a.mac, sip: H.vmA2.ip, dip: H.ext1.ip, tag: tag() });
        const [got] = await expectDelivered(v.vmA2, f, v.ext1, tagged(f));
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.src, GR.ext.ip);
        assert.equal(g.eth.src, GR.ext.mac);
        assert.equal(g.ip.ttl, 63);
      },
    },
    {
      name: "gateway router DNAT: ext1 to 172.16.0.10 reaches vmA at 10.0.1.11",
      run: async (_s, v) => {
        const f = udp4({ src: H.ext1.mac, dst: GR.ext.mac, sip: H.ext1.ip, dip: "172.16.0.10", tag: tag() });
        const [got] = await expectDelivered(v.ext1, f, v.vmA, tagged(f));
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.src, H.ext1.ip);
        assert.equal(g.ip.dst, H.vmA.ip);
        assert.equal(g.eth.src, GR.a.mac);
        assert.equal(g.eth.dst, H.vmA.mac);
      },
    },
    {
      name: "router load balancer: 172.16.0.30:80 is DNATed to 10.0.1.11:8080",
      run: async (_s, v) => {
        const f = tcp4({
          src: H.ext1.mac,
          dst: GR.ext.mac,
          sip: H.ext1.ip,
          dip: "172.16.0.30",
          sport: 41000,
          dport: 80,
        });
        const isSyn = (x: Uint8Array) => {
          const d = decode(x);
          return d.l3.kind === "ipv4" && d.l3.l4.kind === "tcp" && d.l3.l4.tcp.srcPort === 41000;
        };
        const [got] = await expectDelivered(v.ext1, f, v.vmA, isSyn);
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.dst, H.vmA.ip);
        assert.ok(g.l4.kind === "tcp");
        assert.equal(g.l4.tcp.dstPort, 8080);
        assert.equal(g.ip.src, H.ext1.ip);
      },
    },
    {
      name: "distributed gateway port: vmB2 (no floating IP) on hv2 is SNATed on the gateway chassis hv1",
      run: async (_s, v) => {
        const f = udp4({ src: H.vmB2.mac, dst: LR1.b.mac, sip: H.vmB2.ip, dip: H.ext1.ip, tag: tag() });
        const [got] = await expectDelivered(v.vmB2, f, v.ext1, tagged(f));
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.src, LR1.ext.ip);
        assert.equal(g.eth.src, LR1.ext.mac);
        assert.equal(g.eth.dst, H.ext1.mac);
        assert.equal(g.ip.ttl, 63);
      },
    },
    {
      name: "distributed floating IP: vmB to ext2 leaves hv2 as 172.16.0.20 from the external MAC",
      run: async (_s, v) => {
        const f = udp4({ src: H.vmB.mac, dst: LR1.b.mac, sip: H.vmB.ip, dip: H.ext2.ip, tag: tag() });
        const [got] = await expectDelivered(v.vmB, f, v.ext2, tagged(f));
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.src, FIP.ip);
        assert.equal(g.eth.src, FIP.mac);
        assert.equal(g.eth.dst, H.ext2.mac);
      },
    },
    {
      name: "distributed floating IP: ext2 to 172.16.0.20 reaches vmB on hv2",
      run: async (_s, v) => {
        const f = udp4({ src: H.ext2.mac, dst: FIP.mac, sip: H.ext2.ip, dip: FIP.ip, tag: tag() });
        const [got] = await expectDelivered(v.ext2, f, v.vmB, tagged(f));
        const g = ipv4Of(got as Uint8Array);
        assert.equal(g.ip.dst, H.vmB.ip);
        assert.equal(g.ip.src, H.ext2.ip);
        assert.equal(g.eth.src, LR1.b.mac);
        assert.equal(g.eth.dst, H.vmB.mac);
      },
    },
  ],
});
