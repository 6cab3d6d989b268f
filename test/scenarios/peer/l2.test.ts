// Logical switching on two chassis: delivery on one chassis and across a Geneve tunnel, broadcast,
// unknown-address ports and MAC learning (FDB), a container port (VLAN inside a VIF),
// port security (L2, IP and ARP), the ARP and ND responders, `ovn-nbctl --wait=hv` (returns once every
// chassis has acknowledged, and not before), and Logical_Switch_Port.up following the binding
// (deleting the port stops its traffic).
//
//   sw0: p1 (hv1), p2 (hv1), p3 (hv2); pu1 (hv2), pu2 (hv1) with addresses "unknown";
//        pp (hv1) with container port cc (parent pp, VLAN 42);
//        p4 (hv1) is added by the --wait=hv scenario.
import assert from "node:assert/strict";
import { decodeNd } from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { arpRequest, decode, ns6, udp4, udpTag } from "../../support/frames.js";
import { readPcapFile } from "../../support/packets.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, expectDropped, matrix, PACKET_MS, SETTLE_MS, tag } from "../matrix.js";

const PORTS = {
  p1: { mac: "f0:00:00:00:00:01", ip: "10.0.0.1", ip6: "fd00::1" },
  p2: { mac: "f0:00:00:00:00:02", ip: "10.0.0.2", ip6: "fd00::2" },
  p3: { mac: "f0:00:00:00:00:03", ip: "10.0.0.3", ip6: "fd00::3" },
  p4: { mac: "f0:00:00:00:00:04", ip: "10.0.0.4", ip6: "fd00::4" },
} as const;
type P = keyof typeof PORTS;

/** A VM port and a container inside it. */
const PP = { mac: "f0:00:00:00:00:0a", ip: "10.0.0.10" };
const CC = { mac: "f0:00:00:00:00:0c", ip: "10.0.0.12" };

interface Topo {
  vif: Record<"p1" | "p2" | "p3" | "pu1" | "pu2" | "pp", Vif>;
  /** p4's VIF once the --wait=hv scenario has made it. */
  p4?: Vif;
}

function addr(p: P): string {
  const a = PORTS[p];
  return `${a.mac} ${a.ip} ${a.ip6}`;
}

/** A UDP frame between two ports' addresses. */
function udp(from: P, to: P, t = tag()): Uint8Array {
  return udp4({ src: PORTS[from].mac, dst: PORTS[to].mac, sip: PORTS[from].ip, dip: PORTS[to].ip, tag: t });
}

const same = (expected: Uint8Array) => (f: Uint8Array) => Buffer.compare(f, expected) === 0;

async function up(s: Stack, lport: string): Promise<string> {
  return (await s.nbctl("get", "Logical_Switch_Port", lport, "up")).trim();
}

matrix<Topo>({
  title: "L2: switching, port security, responders, --wait=hv, port up/down",
  chassis: 2,
  setup: async (s) => {
    await s.nbctl("ls-add", "sw0");
    for (const p of ["p1", "p2", "p3"] as const) {
      await s.nbctl("lsp-add", "sw0", p, "--", "lsp-set-addresses", p, addr(p));
      await s.nbctl("lsp-set-port-security", p, addr(p));
    }
    // A VM port pp with a container port cc inside it (VLAN 42 on pp's interface).
    await s.nbctl("lsp-add", "sw0", "pp", "--", "lsp-set-addresses", "pp", `${PP.mac} ${PP.ip}`);
    await s.nbctl("lsp-add", "sw0", "cc", "pp", "42", "--", "lsp-set-addresses", "cc", `${CC.mac} ${CC.ip}`);
    // Two ports with unknown addresses (MAC learning), one on each chassis.
    for (const p of ["pu1", "pu2"])
      await s.nbctl("lsp-add", "sw0", p, "--", "lsp-set-addresses", p, "unknown");
    const [h1, h2] = s.hv as [Stack["hv"][0], Stack["hv"][0]];
    const vif = {
      p1: await h1.addVif("p1"),
      p2: await h1.addVif("p2"),
      p3: await h2.addVif("p3"),
      pu1: await h2.addVif("pu1"),
      pu2: await h1.addVif("pu2"),
      pp: await h1.addVif("pp"),
    };
    // (cc's own "up" is the container scenario's business.)
    const all = ["p1", "p2", "p3", "pu1", "pu2", "pp"];
    await waitUntil(
      async () => (await Promise.all(all.map((p) => up(s, p)))).every((u) => u === "true"),
      SETTLE_MS,
      {
        what: "every port up",
      },
    );
    await s.syncHv();
    return { vif };
  },
  scenarios: [
    {
      name: "same chassis: p1 to p2 arrives unchanged",
      run: async (_s, { vif }) => {
        const f = udp("p1", "p2");
        await expectDelivered(vif.p1, f, vif.p2, same(f));
      },
    },
    {
      name: "two chassis: p1 to p3 crosses a Geneve tunnel and arrives unchanged",
      run: async (s, { vif }) => {
        const h1 = s.hv[0];
        assert.ok(h1 !== undefined);
        const phys = h1.box.path("br-phys_n1-tx.pcap");
        const before = readPcapFile(phys).length;
        const f = udp("p1", "p3");
        await expectDelivered(vif.p1, f, vif.p3, same(f));
        // On the wire between the chassis: IPv4 192.168.0.1 > 192.168.0.2, UDP to 6081 (Geneve).
        const wire = readPcapFile(phys)
          .slice(before)
          .map((p) => decode(p.data))
          .filter((d) => d.l3.kind === "ipv4" && d.l3.l4.kind === "udp" && d.l3.l4.udp.dstPort === 6081);
        assert.ok(wire.length >= 1, "a Geneve packet left hv1's br-phys");
        const ip = wire[0]?.l3;
        assert.ok(ip?.kind === "ipv4");
        assert.equal(ip.ip.src, "192.168.0.1");
        assert.equal(ip.ip.dst, "192.168.0.2");
      },
    },
    {
      name: "broadcast: p1's broadcast reaches p2 and, through the tunnel, p3 (not p1 itself)",
      run: async (_s, { vif }) => {
        const f = udp4({
          src: PORTS.p1.mac,
          dst: "ff:ff:ff:ff:ff:ff",
          sip: PORTS.p1.ip,
          dip: "10.0.0.255",
          tag: tag(),
        });
        const echo = vif.p1.sent().length;
        const [at2] = await expectDelivered(vif.p1, f, vif.p2, same(f));
        assert.ok(at2 !== undefined);
        await waitUntil(() => vif.p3.sent().some((p) => same(f)(p.data)), PACKET_MS, {
          what: "the broadcast at p3",
        });
        assert.deepEqual(
          vif.p1
            .sent()
            .slice(echo)
            .filter((p) => same(f)(p.data)),
          [],
          "not sent back to p1",
        );
      },
    },
    {
      name: "unknown addresses: an unknown MAC floods to both such ports until one of them sends from it, then only there",
      run: async (s, { vif }) => {
        const X = "0a:00:00:00:00:99";
        const toX = () => udp4({ src: PORTS.p1.mac, dst: X, sip: PORTS.p1.ip, dip: "10.0.0.99", tag: tag() });
        const first = toX();
        await expectDelivered(vif.p1, first, vif.pu1, same(first));
        await waitUntil(() => vif.pu2.sent().some((p) => same(first)(p.data)), PACKET_MS, {
          what: "the flood at pu2",
        });
        // pu1 (on hv2) answers from X: the switch learns X behind pu1 (a Southbound FDB row).
        const back = udp4({ src: X, dst: PORTS.p1.mac, sip: "10.0.0.99", dip: PORTS.p1.ip, tag: tag() });
        await expectDelivered(vif.pu1, back, vif.p1, same(back));
        await waitUntil(
          async () => (await s.sbctl("--bare", "--columns=mac", "find", "FDB", `mac="${X}"`)).trim() === X,
          SETTLE_MS,
          { what: `an FDB row for ${X}` },
        );
        await s.syncHv();
        const learnt = toX();
        await expectDropped(vif.p1, learnt, vif.pu2, { frame: udp("p1", "p2"), to: vif.p2 }, same(learnt));
        await waitUntil(() => vif.pu1.sent().some((p) => same(learnt)(p.data)), PACKET_MS, {
          what: "X's frame at pu1",
        });
      },
    },
    {
      name: "container port: traffic to cc leaves pp's interface tagged 42; tagged 42 from it enters as cc",
      run: async (s, { vif }) => {
        await waitUntil(async () => (await up(s, "cc")) === "true", SETTLE_MS, {
          what: "cc up (bound with its parent)",
        });
        await s.syncHv();
        const toCc = udp4({ src: PORTS.p2.mac, dst: CC.mac, sip: PORTS.p2.ip, dip: CC.ip, tag: tag() });
        const [got] = await expectDelivered(vif.p2, toCc, vif.pp, (f) => udpTag(f) === udpTag(toCc));
        const d = decode(got as Uint8Array);
        assert.deepEqual(
          d.eth.vlans.map((v) => v.vid),
          [42],
          "tagged 42 on the parent's interface",
        );
        assert.equal(d.eth.dst, CC.mac);
        const fromCc = udp4({
          src: CC.mac,
          dst: PORTS.p2.mac,
          sip: CC.ip,
          dip: PORTS.p2.ip,
          vlan: 42,
          tag: tag(),
        });
        const [back] = await expectDelivered(vif.pp, fromCc, vif.p2, (f) => udpTag(f) === udpTag(fromCc));
        const b = decode(back as Uint8Array);
        assert.deepEqual(b.eth.vlans, [], "untagged at p2");
        assert.equal(b.eth.src, CC.mac);
      },
    },
    {
      name: "port security L2: a frame with a foreign source MAC is dropped",
      run: async (_s, { vif }) => {
        const bad = udp4({
          src: "f0:00:00:00:00:99",
          dst: PORTS.p2.mac,
          sip: PORTS.p1.ip,
          dip: PORTS.p2.ip,
          tag: tag(),
        });
        await expectDropped(vif.p1, bad, vif.p2, { frame: udp("p1", "p2") });
      },
    },
    {
      name: "port security IP: p1's MAC with a foreign source IP is dropped",
      run: async (_s, { vif }) => {
        const bad = udp4({
          src: PORTS.p1.mac,
          dst: PORTS.p2.mac,
          sip: "10.0.0.99",
          dip: PORTS.p2.ip,
          tag: tag(),
        });
        await expectDropped(vif.p1, bad, vif.p2, { frame: udp("p1", "p2") });
      },
    },
    {
      name: "port security ARP: a request claiming a foreign sender IP gets no answer",
      run: async (_s, { vif }) => {
        const isReply = (f: Uint8Array) => {
          const d = decode(f);
          return d.l3.kind === "arp" && d.l3.arp.op === 2;
        };
        const spoofed = arpRequest({ sha: PORTS.p1.mac, spa: "10.0.0.99", tpa: PORTS.p2.ip });
        const good = arpRequest({ sha: PORTS.p1.mac, spa: PORTS.p1.ip, tpa: PORTS.p2.ip });
        const before = vif.p1.sent().length;
        await vif.p1.inject(spoofed);
        const replies = await expectDelivered(vif.p1, good, vif.p1, isReply);
        const all = vif.p1
          .sent()
          .slice(before)
          .map((p) => p.data)
          .filter(isReply);
        assert.equal(all.length, replies.length, "only the genuine request was answered");
        const d = decode(all[0] as Uint8Array);
        assert.ok(d.l3.kind === "arp");
        assert.equal(d.l3.arp.tpa, PORTS.p1.ip);
      },
    },
    {
      name: "ARP responder: a request for p3's IP is answered on p1 with p3's MAC",
      run: async (_s, { vif }) => {
        const req = arpRequest({ sha: PORTS.p1.mac, spa: PORTS.p1.ip, tpa: PORTS.p3.ip });
        const [reply] = await expectDelivered(vif.p1, req, vif.p1, (f) => decode(f).l3.kind === "arp");
        const d = decode(reply as Uint8Array);
        assert.ok(d.l3.kind === "arp");
        assert.equal(d.l3.arp.op, 2);
        assert.equal(d.l3.arp.sha, PORTS.p3.mac);
        assert.equal(d.l3.arp.spa, PORTS.p3.ip);
        assert.equal(d.l3.arp.tha, PORTS.p1.mac);
        assert.equal(d.l3.arp.tpa, PORTS.p1.ip);
        assert.equal(d.eth.src, PORTS.p3.mac);
        assert.equal(d.eth.dst, PORTS.p1.mac);
      },
    },
    {
      name: "ND responder: a solicitation for p2's IPv6 address is answered with p2's MAC",
      run: async (_s, { vif }) => {
        const ns = ns6({ src: PORTS.p1.mac, sip: PORTS.p1.ip6, target: PORTS.p2.ip6 });
        const isNa = (f: Uint8Array) => {
          const d = decode(f);
          return d.l3.kind === "ipv6" && d.l3.l4.kind === "icmp6" && d.l3.l4.icmp.type === 136;
        };
        const [na] = await expectDelivered(vif.p1, ns, vif.p1, isNa);
        const d = decode(na as Uint8Array);
        assert.ok(d.l3.kind === "ipv6" && d.l3.l4.kind === "icmp6");
        assert.equal(d.eth.src, PORTS.p2.mac);
        assert.equal(d.eth.dst, PORTS.p1.mac);
        assert.equal(d.l3.ip.src, PORTS.p2.ip6);
        assert.equal(d.l3.ip.dst, PORTS.p1.ip6);
        const nd = decodeNd(136, d.l3.l4.icmp.body);
        assert.ok(nd.ok && nd.value.kind === "na");
        assert.equal(nd.value.target, PORTS.p2.ip6);
        assert.deepEqual(
          nd.value.options.filter((o) => o.kind === "tll"),
          [{ kind: "tll", mac: PORTS.p2.mac }],
        );
      },
    },
    {
      name: "--wait=hv: traffic to a new port flows as soon as the command returns",
      run: async (s, topo) => {
        const { vif } = topo;
        const h1 = s.hv[0];
        assert.ok(h1 !== undefined);
        // The VIF exists first; the logical port arrives with --wait=hv.  p4 is on the sender's chassis:
        // --wait=hv promises that each chassis has caught up with the change itself, not that it has
        // also seen what other chassis did in reaction (hv2 learning that hv1 claimed p4).
        const p4 = await h1.addVif("p4");
        topo.p4 = p4;
        await s.nbctl("--wait=hv", "lsp-add", "sw0", "p4", "--", "lsp-set-addresses", "p4", addr("p4"));
        const cfg = Number((await s.nbctl("get", "NB_Global", ".", "nb_cfg")).trim());
        for (const h of s.hv) {
          const acked = Number(
            (await s.sbctl("--bare", "--columns=nb_cfg", "find", "Chassis_Private", `name=${h.name}`)).trim(),
          );
          assert.ok(acked >= cfg, `${h.name} acknowledged nb_cfg ${acked} >= ${cfg}`);
        }
        // One injection, no retry: the flows must already be there.
        const f = udp("p1", "p4");
        await expectDelivered(vif.p1, f, p4, same(f), 1, PACKET_MS);
      },
    },
    {
      name: "--wait=hv: does not return while a chassis cannot acknowledge",
      run: async (s) => {
        const h2 = s.hv[1];
        assert.ok(h2 !== undefined);
        // A stopped controller on hv2 cannot catch up: the wait must run into its timeout.
        h2.controller.kill("SIGSTOP");
        try {
          await assert.rejects(
            s.nbctl("--timeout=2", "--wait=hv", "set", "Logical_Switch", "sw0", "other_config:x=1"),
          );
        } finally {
          h2.controller.kill("SIGCONT");
        }
        await s.syncHv();
        const cfg = Number((await s.nbctl("get", "NB_Global", ".", "nb_cfg")).trim());
        const hvCfg = Number((await s.nbctl("get", "NB_Global", ".", "hv_cfg")).trim());
        assert.equal(hvCfg, cfg, "hv_cfg caught up once the chassis runs again");
      },
    },
    {
      name: "port up/down: up follows the binding; deleting the port stops its traffic",
      run: async (s, { vif, p4: made }) => {
        const h1 = s.hv[0];
        assert.ok(h1 !== undefined);
        const p4 = made ?? (await h1.addVif("p4"));
        await waitUntil(async () => (await up(s, "p4")) === "true", SETTLE_MS, { what: "p4 up" });
        // Unplugging the VIF releases the binding: up goes false.
        await h1.vsctl("del-port", "br-int", p4.name);
        await waitUntil(async () => (await up(s, "p4")) === "false", SETTLE_MS, { what: "p4 down" });
        const again = await h1.addVif("p4", { name: `${p4.name}b` });
        await waitUntil(async () => (await up(s, "p4")) === "true", SETTLE_MS, { what: "p4 up again" });
        await s.syncHv();
        const f = udp("p1", "p4");
        await expectDelivered(vif.p1, f, again, same(f));
        // Deleting the logical port: its traffic stops (barrier: p1 to p2, on the same chassis).
        await s.nbctl("--wait=hv", "lsp-del", "p4");
        await expectDropped(vif.p1, udp("p1", "p4"), again, { frame: udp("p1", "p2"), to: vif.p2 });
      },
    },
  ],
});
