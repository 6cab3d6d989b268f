// A load balancer on a logical switch: the client's connection to the VIP is DNATed to the backend
// behind a router, and the backend's reply comes back un-DNATed from the VIP.
//
//   ls1 10.0.3.0/24: c 10.0.3.11 (hv1)      lr0: r1 10.0.3.1, r2 10.0.4.1
//   ls2 10.0.4.0/24: b1 10.0.4.21 (hv1)     lb web: 10.0.3.100:80 → 10.0.4.21:8080 on ls1
import assert from "node:assert/strict";
import { TCP_ACK, TCP_SYN } from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, tcp4 } from "../../support/frames.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, routerPeer, SETTLE_MS } from "../matrix.js";

const R1 = { mac: "00:00:00:30:00:01", ip: "10.0.3.1" };
const R2 = { mac: "00:00:00:30:00:02", ip: "10.0.4.1" };
const C = { mac: "f0:00:00:03:00:11", ip: "10.0.3.11" };
const B1 = { mac: "f0:00:00:04:00:21", ip: "10.0.4.21" };
const VIP = "10.0.3.100";

interface Topo {
  c: Vif;
  b1: Vif;
}

function tcpOf(f: Uint8Array) {
  const d = decode(f);
  if (d.l3.kind !== "ipv4" || d.l3.l4.kind !== "tcp") return undefined;
  return { eth: d.eth, ip: d.l3.ip, tcp: d.l3.l4.tcp };
}

async function routerPort(s: Stack, lrp: string, r: { mac: string; ip: string }, ls: string): Promise<void> {
  await s.nbctl("lrp-add", "lr0", lrp, r.mac, `${r.ip}/24`);
  await routerPeer(s, ls, `${ls}-${lrp}`, lrp);
}

matrix<Topo>({
  title: "switch load balancer: VIP DNAT to a backend behind a router, reply un-DNATed",
  chassis: 1,
  setup: async (s) => {
    await s.nbctl("ls-add", "ls1");
    await s.nbctl("ls-add", "ls2");
    await s.nbctl("lr-add", "lr0");
    await routerPort(s, "r1", R1, "ls1");
    await routerPort(s, "r2", R2, "ls2");
    await s.nbctl("lsp-add", "ls1", "c", "--", "lsp-set-addresses", "c", `${C.mac} ${C.ip}`);
    await s.nbctl("lsp-add", "ls2", "b1", "--", "lsp-set-addresses", "b1", `${B1.mac} ${B1.ip}`);
    await s.nbctl("lb-add", "web", `${VIP}:80`, `${B1.ip}:8080`, "tcp");
    await s.nbctl("ls-lb-add", "ls1", "web");
    const h = s.hv[0] as Stack["hv"][0];
    const topo = { c: await h.addVif("c"), b1: await h.addVif("b1") };
    await waitUntil(
      async () =>
        (await Promise.all(["c", "b1"].map((p) => s.nbctl("get", "Logical_Switch_Port", p, "up")))).every(
          (u) => u.trim() === "true",
        ),
      SETTLE_MS,
      { what: "c, b1 up" },
    );
    await s.syncHv();
    return topo;
  },
  scenarios: [
    {
      name: "SYN to 10.0.3.100:80 reaches b1 as 10.0.4.21:8080; the SYN-ACK returns from the VIP",
      run: async (_s, { c, b1 }) => {
        const syn = tcp4({
          src: C.mac,
          dst: R1.mac,
          sip: C.ip,
          dip: VIP,
          sport: 43000,
          dport: 80,
          seq: 1000,
        });
        const [got] = await expectDelivered(c, syn, b1, (f) => tcpOf(f)?.tcp.srcPort === 43000);
        const g = tcpOf(got as Uint8Array);
        assert.ok(g !== undefined);
        assert.equal(g.ip.dst, B1.ip);
        assert.equal(g.tcp.dstPort, 8080);
        assert.equal(g.ip.src, C.ip);
        assert.equal(g.eth.src, R2.mac);
        assert.equal(g.eth.dst, B1.mac);
        assert.equal(g.ip.ttl, 63);

        const synAck = tcp4({
          src: B1.mac,
          dst: R2.mac,
          sip: B1.ip,
          dip: C.ip,
          sport: 8080,
          dport: 43000,
          flags: TCP_SYN | TCP_ACK,
          seq: 7000,
          ack: 1001,
        });
        const [back] = await expectDelivered(b1, synAck, c, (f) => tcpOf(f)?.tcp.dstPort === 43000);
        const r = tcpOf(back as Uint8Array);
        assert.ok(r !== undefined);
        assert.equal(r.ip.src, VIP, "reply source is the VIP");
        assert.equal(r.tcp.srcPort, 80);
        assert.equal(r.ip.dst, C.ip);
        assert.equal(r.eth.src, R1.mac);
        assert.equal(r.eth.dst, C.mac);
      },
    },
  ],
});
