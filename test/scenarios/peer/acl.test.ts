// Stateful ACLs on a port group with an address set, and QoS DSCP marking; w2 sits on a second
// chassis, so one connection's state lives on both ends of a tunnel.
//
//   sw0: c1 10.0.0.11, c2 10.0.0.12 (clients), w1 10.0.0.21 (hv1), w2 10.0.0.22 (hv2) (port group pg_web)
//   address set clients = {10.0.0.11}
//   pg_web to-lport   1002  ip4.src == $clients && tcp.dst == 80   allow-related
//   pg_web to-lport   1001  ip4                                      drop
//   pg_web from-lport 1001  ip4                                      drop   (the servers start nothing)
//   QoS: from-lport 100 inport == "c2" && udp  →  dscp=46
import assert from "node:assert/strict";
import { TCP_ACK, TCP_SYN } from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, rawFrame, tcp4, udp4, udpTag } from "../../support/frames.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, expectDropped, matrix, SETTLE_MS, tag } from "../matrix.js";

const P = {
  c1: { mac: "f0:00:00:00:00:11", ip: "10.0.0.11", hv: 0 },
  c2: { mac: "f0:00:00:00:00:12", ip: "10.0.0.12", hv: 0 },
  w1: { mac: "f0:00:00:00:00:21", ip: "10.0.0.21", hv: 0 },
  w2: { mac: "f0:00:00:00:00:22", ip: "10.0.0.22", hv: 1 },
} as const;
type Port = keyof typeof P;
type Topo = Record<Port, Vif>;

let nextPort = 40000;

/** A TCP SYN from `from` to `to`:dport, with a fresh source port. */
function syn(from: Port, to: Port, dport: number, sport = nextPort++): Uint8Array {
  return tcp4({ src: P[from].mac, dst: P[to].mac, sip: P[from].ip, dip: P[to].ip, sport, dport, seq: 1000 });
}

/** The SYN-ACK answering syn(from, to, dport, sport). */
function synAck(server: Port, client: Port, sport: number, cport: number): Uint8Array {
  return tcp4({
    src: P[server].mac,
    dst: P[client].mac,
    sip: P[server].ip,
    dip: P[client].ip,
    sport,
    dport: cport,
    flags: TCP_SYN | TCP_ACK,
    seq: 5000,
    ack: 1001,
  });
}

function udp(from: Port, to: Port): Uint8Array {
  return udp4({ src: P[from].mac, dst: P[to].mac, sip: P[from].ip, dip: P[to].ip, tag: tag() });
}

const same = (x: Uint8Array) => (f: Uint8Array) => Buffer.compare(f, x) === 0;

/** An allowed frame that crosses the switch to `to`, as the barrier behind a dropped one. */
const barrierTo = (v: Topo, to: Port) => ({
  frame: udp(to === "c1" ? "c2" : "c1", to),
  from: v[to === "c1" ? "c2" : "c1"],
});

matrix<Topo>({
  title: "ACLs: allow-related on a port group with an address set; QoS DSCP marking",
  chassis: 2,
  setup: async (s: Stack) => {
    await s.nbctl("ls-add", "sw0");
    const v: Partial<Topo> = {};
    for (const [name, p] of Object.entries(P) as [Port, (typeof P)[Port]][]) {
      await s.nbctl("lsp-add", "sw0", name, "--", "lsp-set-addresses", name, `${p.mac} ${p.ip}`);
      v[name] = await (s.hv[p.hv] as Stack["hv"][0]).addVif(name);
    }
    await s.nbctl("pg-add", "pg_web", "w1", "w2");
    await s.nbctl("create", "Address_Set", "name=clients", `addresses=["${P.c1.ip}"]`);
    await s.nbctl(
      "acl-add",
      "pg_web",
      "to-lport",
      "1002",
      "outport == @pg_web && ip4.src == $clients && tcp.dst == 80",
      "allow-related",
    );
    await s.nbctl("acl-add", "pg_web", "to-lport", "1001", "outport == @pg_web && ip4", "drop");
    await s.nbctl("acl-add", "pg_web", "from-lport", "1001", "inport == @pg_web && ip4", "drop");
    await s.nbctl("qos-add", "sw0", "from-lport", "100", 'inport == "c2" && udp', "dscp=46");
    await waitUntil(
      async () =>
        (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
          .split("\n")
          .filter((l) => l.trim() === "true").length >= 4,
      SETTLE_MS,
      { what: "every VIF up" },
    );
    await s.syncHv();
    return v as Topo;
  },
  scenarios: [
    {
      name: "a client in the address set opens tcp/80 on w1; the SYN-ACK comes back",
      run: async (_s, v) => {
        const sport = nextPort++;
        const s1 = syn("c1", "w1", 80, sport);
        await expectDelivered(v.c1, s1, v.w1, same(s1));
        const sa = synAck("w1", "c1", 80, sport);
        await expectDelivered(v.w1, sa, v.c1, same(sa));
      },
    },
    {
      name: "the port group covers w2 on the other chassis; its SYN-ACK comes back through the tunnel",
      run: async (_s, v) => {
        const sport = nextPort++;
        const s2 = syn("c1", "w2", 80, sport);
        await expectDelivered(v.c1, s2, v.w2, same(s2));
        const sa = synAck("w2", "c1", 80, sport);
        await expectDelivered(v.w2, sa, v.c1, same(sa));
      },
    },
    {
      name: "a new connection from w2 across the tunnel is dropped",
      run: async (_s, v) => {
        // The barrier takes the same path (hv2 → tunnel → c1): plain L2, which the ip4 ACLs do not match.
        const barrier = rawFrame({ src: P.w2.mac, dst: P.c1.mac, tag: tag() });
        await expectDropped(v.w2, syn("w2", "c1", 80), v.c1, { frame: barrier });
      },
    },
    {
      name: "a new connection from the server side is dropped",
      run: async (_s, v) => {
        await expectDropped(v.w1, syn("w1", "c1", 80), v.c1, barrierTo(v, "c1"));
      },
    },
    {
      name: "another port or a client outside the address set is dropped",
      run: async (_s, v) => {
        await expectDropped(v.c1, syn("c1", "w1", 22), v.w1, { frame: syn("c1", "w1", 80) });
        await expectDropped(v.c2, syn("c2", "w1", 80), v.w1, { frame: syn("c1", "w1", 80), from: v.c1 });
      },
    },
    {
      name: "adding c2 to the address set lets it in",
      run: async (s, v) => {
        await s.nbctl("add", "Address_Set", "clients", "addresses", `"${P.c2.ip}"`);
        await s.syncHv();
        const f = syn("c2", "w1", 80);
        await expectDelivered(v.c2, f, v.w1, same(f));
      },
    },
    {
      name: "QoS: UDP from c2 arrives with DSCP 46, UDP from c1 unmarked",
      run: async (_s, v) => {
        const marked = udp("c2", "c1");
        const [got] = await expectDelivered(v.c2, marked, v.c1, (f) => udpTag(f) === udpTag(marked));
        const d = decode(got as Uint8Array);
        assert.ok(d.l3.kind === "ipv4");
        assert.equal(d.l3.ip.tos >> 2, 46, "DSCP 46");
        const plain = udp("c1", "c2");
        const [got2] = await expectDelivered(v.c1, plain, v.c2, same(plain));
        const d2 = decode(got2 as Uint8Array);
        assert.ok(d2.l3.kind === "ipv4");
        assert.equal(d2.l3.ip.tos, 0);
      },
    },
  ],
});
