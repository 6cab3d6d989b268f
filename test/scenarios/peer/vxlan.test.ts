// VXLAN between chassis (ovn-controller(8) external_ids:ovn-encap-type, ovn-architecture(7) "Tunnel
// Encapsulations"): both chassis switch to ovn-encap-type=vxlan after start, the tunnel ports become
// type=vxlan, and traffic crosses them with the datapath in the VNI's low 12 bits and the egress port
// (a multicast group's key folded to 0x800 + n) in its high 12 bits.  The encapsulated frames are read
// on hv1's physical NIC (UDP port 4789), so a wrong VNI fails here even if delivery happened to work.
//
//   ls1 10.0.1.0/24: a1 (hv1), a2 (hv2)      lr0: r-ls1 10.0.1.1, r-ls2 10.0.2.1
//   ls2 10.0.2.0/24: b2 (hv2)
import assert from "node:assert/strict";
import { encodeFrame, withoutChecksums } from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { arpRequest, decode, ping4, udp4, udpTag } from "../../support/frames.js";
import { readPcapFile } from "../../support/packets.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, PACKET_MS, routerPeer, SETTLE_MS, tag } from "../matrix.js";

const R = {
  ls1: { mac: "00:00:00:01:00:01", ip: "10.0.1.1" },
  ls2: { mac: "00:00:00:01:00:02", ip: "10.0.2.1" },
} as const;
const H = {
  a1: { ls: "ls1", mac: "f0:00:00:01:00:11", ip: "10.0.1.11", hv: 0 },
  a2: { ls: "ls1", mac: "f0:00:00:01:00:12", ip: "10.0.1.12", hv: 1 },
  b2: { ls: "ls2", mac: "f0:00:00:02:00:12", ip: "10.0.2.12", hv: 1 },
} as const;
type Host = keyof typeof H;

interface Topo {
  vif: Record<Host, Vif>;
  /** Datapath and port tunnel keys as northd allocated them. */
  dpKey: Record<"ls1" | "ls2", number>;
  portKey: Record<Host, number>;
  floodKey: number;
}

const VXLAN_PORT = 4789;

/** The echo request as an echo reply (type 0), checksums recomputed. */
function echoReply(request: Uint8Array): Uint8Array {
  const d = withoutChecksums(decode(request));
  assert.ok(d.l3.kind === "ipv4" && d.l3.l4.kind === "icmp4");
  return encodeFrame({ ...d, l3: { ...d.l3, l4: { kind: "icmp4", icmp: { ...d.l3.l4.icmp, type: 0 } } } });
}

/** The VNIs of the VXLAN packets hv1 sent on its physical NIC after the first `from`. */
function vnisSent(s: Stack, from: number): number[] {
  const frames = readPcapFile((s.hv[0] as Stack["hv"][0]).box.path("br-phys_n1-tx.pcap")).slice(from);
  return frames.flatMap((p) => {
    const d = decode(p.data);
    if (d.l3.kind !== "ipv4" || d.l3.l4.kind !== "udp" || d.l3.l4.udp.dstPort !== VXLAN_PORT) return [];
    const v = d.l3.l4.udp.payload;
    return [((v[4] ?? 0) << 16) | ((v[5] ?? 0) << 8) | (v[6] ?? 0)];
  });
}

const physSent = (s: Stack) =>
  readPcapFile((s.hv[0] as Stack["hv"][0]).box.path("br-phys_n1-tx.pcap")).length;

async function key(s: Stack, table: string, name: string): Promise<number> {
  const col = table === "Datapath_Binding" ? "external_ids:name" : "logical_port";
  const out = await s.sbctl("--bare", "--columns=tunnel_key", "find", table, `${col}=${name}`);
  return Number(out.trim());
}

const tagged = (sent: Uint8Array) => (f: Uint8Array) => udpTag(f) === udpTag(sent);

/** Switches every chassis to `type` and waits until each has a tunnel of that type with an OpenFlow port. */
async function useEncap(s: Stack, type: string): Promise<void> {
  for (const h of s.hv) await h.vsctl("set", "Open_vSwitch", ".", `external_ids:ovn-encap-type=${type}`);
  for (const h of s.hv)
    await waitUntil(
      async () => {
        const out = await h.vsctl("--bare", "--columns=ofport", "find", "Interface", `type=${type}`);
        const geneve = await h.vsctl("--bare", "--columns=name", "find", "Interface", "type=geneve");
        return /^\d+$/.test(out.trim()) && Number(out) > 0 && geneve.trim() === "";
      },
      SETTLE_MS,
      { what: `${h.name}: one ${type} tunnel and no Geneve one` },
    );
}

matrix<Topo>({
  title: "VXLAN tunnels: ports, L2 and routed traffic between chassis",
  chassis: 2,
  setup: async (s) => {
    await useEncap(s, "vxlan");
    await s.nbctl("lr-add", "lr0");
    for (const ls of ["ls1", "ls2"] as const) {
      await s.nbctl("ls-add", ls);
      await s.nbctl("lrp-add", "lr0", `r-${ls}`, R[ls].mac, `${R[ls].ip}/24`);
      await routerPeer(s, ls, `${ls}-r`, `r-${ls}`);
    }
    const vif: Partial<Record<Host, Vif>> = {};
    for (const [name, h] of Object.entries(H) as [Host, (typeof H)[Host]][]) {
      await s.nbctl("lsp-add", h.ls, name, "--", "lsp-set-addresses", name, `${h.mac} ${h.ip}`);
      vif[name] = await (s.hv[h.hv] as Stack["hv"][0]).addVif(name);
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
    const ls1 = await key(s, "Datapath_Binding", "ls1");
    const ls2 = await key(s, "Datapath_Binding", "ls2");
    const out = await s.sbctl(
      "--bare",
      "--columns=tunnel_key",
      "find",
      "Multicast_Group",
      "name=_MC_flood",
      `datapath=${(
        await s.sbctl("--bare", "--columns=_uuid", "find", "Datapath_Binding", "external_ids:name=ls1")
      ).trim()}`,
    );
    return {
      vif: vif as Record<Host, Vif>,
      dpKey: { ls1, ls2 },
      portKey: {
        a1: await key(s, "Port_Binding", "a1"),
        a2: await key(s, "Port_Binding", "a2"),
        b2: await key(s, "Port_Binding", "b2"),
      },
      floodKey: Number(out.trim()),
    };
  },
  scenarios: [
    {
      name: "tunnel ports: type vxlan, remote_ip of the other chassis, key=flow",
      run: async (s) => {
        for (const [i, h] of s.hv.entries()) {
          const other = s.hv[1 - i] as Stack["hv"][0];
          const opts = await h.vsctl("--bare", "--columns=options", "find", "Interface", "type=vxlan");
          assert.match(opts, /key=flow/);
          assert.match(opts, new RegExp(`remote_ip="?${other.encapIp.replace(/\./g, "\\.")}"?`));
        }
      },
    },
    {
      name: "L2: a1 (hv1) to a2 (hv2) crosses the VXLAN tunnel, VNI = port << 12 | datapath",
      run: async (s, t) => {
        const from = physSent(s);
        const f = udp4({ src: H.a1.mac, dst: H.a2.mac, sip: H.a1.ip, dip: H.a2.ip, tag: tag() });
        const [got] = await expectDelivered(t.vif.a1, f, t.vif.a2, tagged(f));
        assert.deepEqual(got, f, "switched unchanged");
        assert.ok(
          vnisSent(s, from).includes((t.portKey.a2 << 12) | t.dpKey.ls1),
          `VNI ${(t.portKey.a2 << 12) | t.dpKey.ls1} among ${JSON.stringify(vnisSent(s, from))}`,
        );
      },
    },
    {
      name: "L2 broadcast: an ARP request from a2 (hv2) floods to a1 (hv1); flood key folded to 0x800+n",
      run: async (s, t) => {
        const req = arpRequest({ sha: H.a2.mac, spa: H.a2.ip, tpa: "10.0.1.99" });
        await expectDelivered(t.vif.a2, req, t.vif.a1, (f) => decode(f).l3.kind === "arp");
        // And the other way: hv1's flood copy towards hv2 carries the folded multicast key.
        const from = physSent(s);
        const req1 = arpRequest({ sha: H.a1.mac, spa: H.a1.ip, tpa: "10.0.1.98" });
        await expectDelivered(t.vif.a1, req1, t.vif.a2, (f) => decode(f).l3.kind === "arp");
        const folded = 0x800 | (t.floodKey & 0x7ff);
        assert.ok(
          vnisSent(s, from).includes((folded << 12) | t.dpKey.ls1),
          `VNI ${(folded << 12) | t.dpKey.ls1} among ${JSON.stringify(vnisSent(s, from))}`,
        );
      },
    },
    {
      name: "routed ping: a1 (hv1) to b2 (hv2) through lr0 and back",
      run: async (s, t) => {
        const from = physSent(s);
        const req = ping4({ src: H.a1.mac, dst: R.ls1.mac, sip: H.a1.ip, dip: H.b2.ip, id: 9, seq: 1 });
        const isEcho = (type: number) => (f: Uint8Array) => {
          const d = decode(f);
          return d.l3.kind === "ipv4" && d.l3.l4.kind === "icmp4" && d.l3.l4.icmp.type === type;
        };
        const [got] = await expectDelivered(t.vif.a1, req, t.vif.b2, isEcho(8));
        const g = decode(got as Uint8Array);
        assert.ok(g.l3.kind === "ipv4");
        assert.equal(g.eth.src, R.ls2.mac);
        assert.equal(g.eth.dst, H.b2.mac);
        assert.equal(g.l3.ip.ttl, 63);
        assert.ok(vnisSent(s, from).includes((t.portKey.b2 << 12) | t.dpKey.ls2));
        const reply = echoReply(
          ping4({ src: H.b2.mac, dst: R.ls2.mac, sip: H.b2.ip, dip: H.a1.ip, id: 9, seq: 1 }),
        );
        const [back] = await expectDelivered(t.vif.b2, reply, t.vif.a1, isEcho(0));
        const b = decode(back as Uint8Array);
        assert.ok(b.l3.kind === "ipv4");
        assert.equal(b.eth.src, R.ls1.mac);
        assert.equal(b.eth.dst, H.a1.mac);
        assert.equal(b.l3.ip.ttl, 63);
      },
    },
  ],
});

/** Tunnel type to each remote chassis, as "remote:type" sorted. */
async function tunnelTypes(h: Stack["hv"][0]): Promise<string> {
  const out = await h.vsctl("--bare", "--columns=name,type", "find", "Interface", "options:key=flow");
  const words = out.split(/\s+/).filter((w) => w !== "");
  const pairs: string[] = [];
  for (let i = 0; i + 1 < words.length; i += 2)
    pairs.push(`${(words[i] as string).replace(/^ovn-|-\d+$/g, "")}:${words[i + 1]}`);
  return pairs.sort().join(" ");
}

interface MixedTopo {
  vif: Record<"m1" | "m2" | "m3", Vif>;
}

const M = {
  m1: { mac: "f0:00:00:00:01:01", ip: "10.0.9.1", hv: 0 },
  m2: { mac: "f0:00:00:00:01:02", ip: "10.0.9.2", hv: 1 },
  m3: { mac: "f0:00:00:00:01:03", ip: "10.0.9.3", hv: 2 },
} as const;

// Encapsulation lists: of the types two chassis share, Geneve is preferred to VXLAN (as the real
// ovn-controller picks them), so hv1 (geneve,vxlan) reaches hv2 (vxlan) by VXLAN and hv3 (vxlan,geneve)
// by Geneve, and one flood from hv1 leaves with each encapsulation.
matrix<MixedTopo>({
  title: "VXLAN and Geneve mixed: encapsulation lists, one tunnel type per pair of chassis",
  chassis: 3,
  setup: async (s) => {
    const types = ["geneve,vxlan", "vxlan", "vxlan,geneve"];
    for (const [i, h] of s.hv.entries())
      await h.vsctl("set", "Open_vSwitch", ".", `external_ids:ovn-encap-type=${types[i]}`);
    const expected = ["hv2:vxlan hv3:geneve", "hv1:vxlan hv3:vxlan", "hv1:geneve hv2:vxlan"];
    for (const [i, h] of s.hv.entries())
      await waitUntil(async () => (await tunnelTypes(h)) === expected[i], SETTLE_MS, {
        what: `${h.name}: tunnels ${expected[i]}`,
      });
    await s.nbctl("ls-add", "swm");
    const vif: Partial<MixedTopo["vif"]> = {};
    for (const [name, m] of Object.entries(M) as ["m1" | "m2" | "m3", (typeof M)["m1"]][]) {
      await s.nbctl("lsp-add", "swm", name, "--", "lsp-set-addresses", name, `${m.mac} ${m.ip}`);
      vif[name] = await (s.hv[m.hv] as Stack["hv"][0]).addVif(name);
    }
    await waitUntil(
      async () =>
        (await s.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port"))
          .split("\n")
          .filter((l) => l.trim() === "true").length >= 3,
      SETTLE_MS,
      { what: "every VIF up" },
    );
    await s.syncHv();
    return { vif: vif as MixedTopo["vif"] };
  },
  scenarios: [
    {
      name: "unicast from hv1 to hv2 (VXLAN) and to hv3 (Geneve)",
      run: async (_s, t) => {
        for (const to of ["m2", "m3"] as const) {
          const f = udp4({ src: M.m1.mac, dst: M[to].mac, sip: M.m1.ip, dip: M[to].ip, tag: tag() });
          const [got] = await expectDelivered(t.vif.m1, f, t.vif[to], tagged(f));
          assert.deepEqual(got, f);
        }
      },
    },
    {
      name: "a broadcast from hv1 reaches hv2 and hv3; replies come back over each tunnel",
      run: async (s, t) => {
        const from = physSent(s);
        const req = arpRequest({ sha: M.m1.mac, spa: M.m1.ip, tpa: "10.0.9.99" });
        const isArp = (f: Uint8Array) => decode(f).l3.kind === "arp";
        const before = t.vif.m3.sent().length;
        await expectDelivered(t.vif.m1, req, t.vif.m2, isArp);
        await waitUntil(
          () =>
            t.vif.m3
              .sent()
              .slice(before)
              .some((p) => isArp(p.data)),
          PACKET_MS,
          {
            what: "m3 got the ARP",
          },
        );
        // The VXLAN copy carries the folded flood key; the Geneve copy goes to UDP port 6081.
        assert.ok(
          vnisSent(s, from).some((v) => v >> 12 >= 0x800),
          JSON.stringify(vnisSent(s, from)),
        );
        for (const to of ["m2", "m3"] as const) {
          const f = udp4({ src: M[to].mac, dst: M.m1.mac, sip: M[to].ip, dip: M.m1.ip, tag: tag() });
          await expectDelivered(t.vif[to], f, t.vif.m1, tagged(f));
        }
      },
    },
  ],
});
