// Logical routing on two chassis: a router between two switches (TTL decremented, MACs rewritten) on
// one chassis and across a tunnel, IPv6 routing, the router's own ARP responder and ICMP echo, a static route and an
// ECMP route whose two next hops each carry some of the flows.
//
//   ls1 10.0.1.0/24: a1 (hv1)          lr0: r-ls1 10.0.1.1, r-ls2 10.0.2.1, r-ext 172.16.0.1
//   ls2 10.0.2.0/24: b1 (hv1), b2 (hv2)
//   ext 172.16.0.0/24: n1, n2 (hv1)     routes: 198.51.100.0/24 via n1; 203.0.113.0/24 via n1 and n2 (ECMP)
import assert from "node:assert/strict";
import type { Stack, Vif } from "../../support/chassis.js";
import { arpRequest, decode, ping4, udp4, udp6, udpTag } from "../../support/frames.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, PACKET_MS, routerPeer, SETTLE_MS, sentSince, tag } from "../matrix.js";

const R = {
  ls1: { mac: "00:00:00:01:00:01", ip: "10.0.1.1", ip6: "fd00:1::1" },
  ls2: { mac: "00:00:00:01:00:02", ip: "10.0.2.1", ip6: "fd00:2::1" },
  ext: { mac: "00:00:00:01:00:03", ip: "172.16.0.1", ip6: "fd00:3::1" },
} as const;

/** IPv6 addresses of the hosts that have one. */
const V6 = { a1: "fd00:1::11", b1: "fd00:2::11" } as const;

const H = {
  a1: { ls: "ls1", mac: "f0:00:00:01:00:11", ip: "10.0.1.11", hv: 0 },
  b1: { ls: "ls2", mac: "f0:00:00:02:00:11", ip: "10.0.2.11", hv: 0 },
  b2: { ls: "ls2", mac: "f0:00:00:02:00:12", ip: "10.0.2.12", hv: 1 },
  n1: { ls: "ext", mac: "f0:00:00:03:00:11", ip: "172.16.0.11", hv: 0 },
  n2: { ls: "ext", mac: "f0:00:00:03:00:12", ip: "172.16.0.12", hv: 0 },
} as const;
type Host = keyof typeof H;

type Topo = Record<Host, Vif>;

/** A UDP frame from host `from` to address `dip`, sent to the router's MAC on its switch. */
function routed(from: Host, dip: string, sport = 12345, t = tag()): Uint8Array {
  const h = H[from];
  const gw = R[h.ls as keyof typeof R];
  return udp4({ src: h.mac, dst: gw.mac, sip: h.ip, dip, sport, tag: t });
}

/** What `sent` must look like after one hop through lr0 to host `to`. */
function assertRouted(got: Uint8Array, sent: Uint8Array, to: Host, via: keyof typeof R): void {
  const g = decode(got);
  const s = decode(sent);
  assert.ok(g.l3.kind === "ipv4" && s.l3.kind === "ipv4");
  assert.equal(g.eth.src, R[via].mac, "source MAC is the router port's");
  assert.equal(g.eth.dst, H[to].mac, "destination MAC is the next hop's");
  assert.equal(g.l3.ip.ttl, s.l3.ip.ttl - 1, "TTL decremented");
  assert.equal(g.l3.ip.src, s.l3.ip.src);
  assert.equal(g.l3.ip.dst, s.l3.ip.dst);
  assert.equal(udpTag(got), udpTag(sent), "payload unchanged");
}

const tagged = (sent: Uint8Array) => (f: Uint8Array) => udpTag(f) === udpTag(sent);

matrix<Topo>({
  title: "routing: one and two chassis, router ARP/ICMP, static and ECMP routes",
  chassis: 2,
  setup: async (s: Stack) => {
    await s.nbctl("lr-add", "lr0");
    for (const ls of ["ls1", "ls2", "ext"] as const) {
      await s.nbctl("ls-add", ls);
      const r = R[ls];
      await s.nbctl("lrp-add", "lr0", `r-${ls}`, r.mac, `${r.ip}/24`, `${r.ip6}/64`);
      await routerPeer(s, ls, `${ls}-r`, `r-${ls}`);
    }
    await s.nbctl("lr-route-add", "lr0", "198.51.100.0/24", H.n1.ip);
    await s.nbctl("--ecmp", "lr-route-add", "lr0", "203.0.113.0/24", H.n1.ip);
    await s.nbctl("--ecmp", "lr-route-add", "lr0", "203.0.113.0/24", H.n2.ip);
    const vifs: Partial<Topo> = {};
    for (const [name, h] of Object.entries(H) as [Host, (typeof H)[Host]][]) {
      const v6 = name in V6 ? ` ${V6[name as keyof typeof V6]}` : "";
      await s.nbctl("lsp-add", h.ls, name, "--", "lsp-set-addresses", name, `${h.mac} ${h.ip}${v6}`);
      vifs[name] = await (s.hv[h.hv] as Stack["hv"][0]).addVif(name);
    }
    await waitUntil(
      async () =>
        (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
          .split("\n")
          .filter((l) => l.trim() === "true").length >= Object.keys(H).length,
      SETTLE_MS,
      { what: "every VIF up" },
    );
    await s.syncHv();
    return vifs as Topo;
  },
  scenarios: [
    {
      name: "one chassis: a1 to b1 is routed (TTL 63, router MAC to b1's MAC)",
      run: async (_s, v) => {
        const f = routed("a1", H.b1.ip);
        const [got] = await expectDelivered(v.a1, f, v.b1, tagged(f));
        assertRouted(got as Uint8Array, f, "b1", "ls2");
      },
    },
    {
      name: "two chassis: a1 to b2 is routed across the tunnel",
      run: async (_s, v) => {
        const f = routed("a1", H.b2.ip);
        const [got] = await expectDelivered(v.a1, f, v.b2, tagged(f));
        assertRouted(got as Uint8Array, f, "b2", "ls2");
      },
    },
    {
      name: "IPv6: a1 to b1 is routed (hop limit 63, router MAC to b1's MAC)",
      run: async (_s, v) => {
        const f = udp6({ src: H.a1.mac, dst: R.ls1.mac, sip: V6.a1, dip: V6.b1, tag: tag() });
        const [got] = await expectDelivered(v.a1, f, v.b1, tagged(f));
        const g = decode(got as Uint8Array);
        assert.ok(g.l3.kind === "ipv6");
        assert.equal(g.eth.src, R.ls2.mac);
        assert.equal(g.eth.dst, H.b1.mac);
        assert.equal(g.l3.ip.hopLimit, 63);
        assert.equal(g.l3.ip.src, V6.a1);
        assert.equal(g.l3.ip.dst, V6.b1);
      },
    },
    {
      name: "router ARP: a request for 10.0.1.1 is answered with the router port's MAC",
      run: async (_s, v) => {
        const req = arpRequest({ sha: H.a1.mac, spa: H.a1.ip, tpa: R.ls1.ip });
        const [reply] = await expectDelivered(v.a1, req, v.a1, (f) => decode(f).l3.kind === "arp");
        const d = decode(reply as Uint8Array);
        assert.ok(d.l3.kind === "arp");
        assert.equal(d.l3.arp.op, 2);
        assert.equal(d.l3.arp.sha, R.ls1.mac);
        assert.equal(d.l3.arp.spa, R.ls1.ip);
        assert.equal(d.l3.arp.tpa, H.a1.ip);
      },
    },
    {
      name: "router ICMP: an echo request to 10.0.2.1 (the far port) gets an echo reply",
      run: async (_s, v) => {
        const req = ping4({ src: H.a1.mac, dst: R.ls1.mac, sip: H.a1.ip, dip: R.ls2.ip, id: 7, seq: 3 });
        const isIcmp = (f: Uint8Array) => {
          const d = decode(f);
          return d.l3.kind === "ipv4" && d.l3.l4.kind === "icmp4";
        };
        const [reply] = await expectDelivered(v.a1, req, v.a1, isIcmp);
        const d = decode(reply as Uint8Array);
        assert.ok(d.l3.kind === "ipv4" && d.l3.l4.kind === "icmp4");
        assert.equal(d.l3.l4.icmp.type, 0);
        assert.equal(d.l3.l4.icmp.rest, (7 << 16) | 3);
        assert.equal(d.l3.ip.src, R.ls2.ip);
        assert.equal(d.l3.ip.dst, H.a1.ip);
        assert.equal(d.eth.src, R.ls1.mac);
        assert.equal(d.eth.dst, H.a1.mac);
      },
    },
    {
      name: "TTL 1: the router answers ICMP time exceeded from 10.0.1.1 instead of forwarding",
      run: async (_s, v) => {
        const f = udp4({ src: H.a1.mac, dst: R.ls1.mac, sip: H.a1.ip, dip: H.b1.ip, ttl: 1, tag: tag() });
        const isIcmp = (x: Uint8Array) => {
          const d = decode(x);
          return d.l3.kind === "ipv4" && d.l3.l4.kind === "icmp4";
        };
        const [got] = await expectDelivered(v.a1, f, v.a1, isIcmp);
        const d = decode(got as Uint8Array);
        assert.ok(d.l3.kind === "ipv4" && d.l3.l4.kind === "icmp4");
        assert.equal(d.l3.l4.icmp.type, 11);
        assert.equal(d.l3.l4.icmp.code, 0);
        assert.equal(d.l3.ip.src, R.ls1.ip);
        assert.equal(d.l3.ip.dst, H.a1.ip);
        assert.equal(d.eth.src, R.ls1.mac);
        assert.equal(d.eth.dst, H.a1.mac);
        assert.deepEqual(
          v.b1.sent().filter((p) => udpTag(p.data) === udpTag(f)),
          [],
          "not forwarded",
        );
      },
    },
    {
      name: "static route: 198.51.100.7 goes to next hop n1",
      run: async (_s, v) => {
        const f = routed("a1", "198.51.100.7");
        const [got] = await expectDelivered(v.a1, f, v.n1, tagged(f));
        assertRouted(got as Uint8Array, f, "n1", "ext");
      },
    },
    {
      // The datapath's symmetric L4 hash ignores UDP ports here, so the flows differ in destination.
      name: "ECMP: flows to 203.0.113.0/24 are spread over both next hops",
      run: async (_s, v) => {
        const before = { n1: v.n1.sent().length, n2: v.n2.sent().length };
        const frames = Array.from({ length: 24 }, (_, i) => routed("a1", `203.0.113.${i + 1}`));
        for (const f of frames) await v.a1.inject(f);
        const tags = new Set(frames.map(udpTag));
        const mine = (vif: Vif, from: number) => sentSince(vif, from).filter((f) => tags.has(udpTag(f)));
        await waitUntil(
          () => mine(v.n1, before.n1).length + mine(v.n2, before.n2).length >= frames.length,
          PACKET_MS,
          {
            what: "all 24 ECMP flows delivered",
          },
        );
        const [on1, on2] = [mine(v.n1, before.n1), mine(v.n2, before.n2)];
        assert.ok(
          on1.length > 0 && on2.length > 0,
          `both next hops used (n1 ${on1.length}, n2 ${on2.length})`,
        );
        for (const f of on1) assert.equal(decode(f).eth.dst, H.n1.mac);
        for (const f of on2) assert.equal(decode(f).eth.dst, H.n2.mac);
        assert.equal(on1.length + on2.length, frames.length, "each flow delivered once");
      },
    },
  ],
});
