// A VTEP gateway's logical port (ovn-sb(5) Port_Binding type "vtep", ovn-controller-vtep(8)): the
// hypervisor's ovn-controller reaches a VTEP chassis (Chassis other_config:is-vtep=true, one VXLAN
// Encap) through a VXLAN tunnel; frames for the vtep port (unknown MACs, floods) leave with the
// logical switch's tunnel key alone as VNI, and frames the VTEP sends in with that VNI enter the
// switch's ingress pipeline as coming from the vtep port (the "ramp switch" flows).
//
// The VTEP side is set up by hand, as ovn.at's vtep tests' ovn-controller-vtep would leave it:
//   ovn-sbctl chassis-add vtep1 vxlan 192.168.0.50, other_config:is-vtep=true, Encap options csum=false
//   ovn-sbctl lsp-bind lp-vtep vtep1
// and hv1 speaks geneve,vxlan (as ovn_attach's default).  hv1's VXLAN packets are read on its physical
// NIC's pcap; the VTEP's are injected there.
//
//   lsw0: lp1 f0:00:00:00:00:01 (hv1); lp-vtep (type vtep, addresses unknown) bound to vtep1;
//         lpr → lr0's lrp1 f0:00:00:00:00:f1 10.0.0.254/24, gateway chassis hv1 (as in ovn.at's vtep test)
import assert from "node:assert/strict";
import { ETH_TYPE_IPV4, encodeFrame, IP_PROTO_UDP } from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { arpRequest, decode, udp4, udpTag } from "../../support/frames.js";
import { readPcapFile } from "../../support/packets.js";
import { toHex } from "../../support/pcap.js";
import { waitUntil } from "../../support/wait.js";
import { matrix, PACKET_MS, SETTLE_MS, sentSince, tag } from "../matrix.js";

const VTEP = { name: "vtep1", ip: "192.168.0.50", mac: "aa:00:00:00:00:50" };
const LP1 = { mac: "f0:00:00:00:00:01", ip: "10.0.0.1" };
const BEHIND = { mac: "f0:00:00:00:00:99", ip: "10.0.0.99" };
/** lr0's port on lsw0, a gateway port on hv1: ARP from the VTEP side for it is answered on hv1. */
const LRP = { mac: "f0:00:00:00:00:f1", ip: "10.0.0.254" };
const VXLAN_PORT = 4789;
const E = new Uint8Array(0);

interface Topo {
  lp1: Vif;
  dpKey: number;
  physMac: string;
}

const hv1 = (s: Stack) => s.hv[0] as Stack["hv"][0];
const physPath = (s: Stack) => hv1(s).box.path("br-phys_n1-tx.pcap");
const physSent = (s: Stack) => readPcapFile(physPath(s)).length;

/** The VXLAN packets hv1 sent on its physical NIC after the first `from`: outer IP dst, VNI, inner frame. */
function vxlanSent(s: Stack, from: number): { dst: string; vni: number; inner: Uint8Array }[] {
  return readPcapFile(physPath(s))
    .slice(from)
    .flatMap((p) => {
      const d = decode(p.data);
      if (d.l3.kind !== "ipv4" || d.l3.l4.kind !== "udp" || d.l3.l4.udp.dstPort !== VXLAN_PORT) return [];
      const v = d.l3.l4.udp.payload;
      return [
        { dst: d.l3.ip.dst, vni: ((v[4] ?? 0) << 16) | ((v[5] ?? 0) << 8) | (v[6] ?? 0), inner: v.slice(8) },
      ];
    });
}

/** `inner` as the VTEP would send it to hv1: VXLAN with VNI `vni` from 192.168.0.50. */
function fromVtep(physMac: string, vni: number, inner: Uint8Array): Uint8Array {
  const vx = new Uint8Array(8 + inner.length);
  vx[0] = 0x08;
  vx[4] = (vni >> 16) & 0xff;
  vx[5] = (vni >> 8) & 0xff;
  vx[6] = vni & 0xff;
  vx.set(inner, 8);
  return encodeFrame({
    eth: { dst: physMac, src: VTEP.mac, vlans: [], etherType: ETH_TYPE_IPV4, payload: E },
    l3: {
      kind: "ipv4",
      ip: {
        tos: 0,
        ident: 0,
        flags: 2,
        fragOffset: 0,
        ttl: 64,
        protocol: IP_PROTO_UDP,
        src: VTEP.ip,
        dst: hv1Ip,
        options: E,
        payload: E,
        trailer: E,
      },
      l4: { kind: "udp", udp: { srcPort: 40000, dstPort: VXLAN_PORT, checksum: 0, payload: vx } },
    },
  });
}
const hv1Ip = "192.168.0.1";

async function vxlanOptions(s: Stack): Promise<string> {
  return (await hv1(s).vsctl("--bare", "--columns=options", "find", "Interface", "type=vxlan")).trim();
}

matrix<Topo>({
  title: "VTEP gateway port: VXLAN tunnel to the VTEP chassis, VNI = switch key, ramp-switch ingress",
  chassis: 1,
  setup: async (s) => {
    const h = hv1(s);
    await h.vsctl("set", "Open_vSwitch", ".", "external_ids:ovn-encap-type=geneve,vxlan");
    await s.sbctl("chassis-add", VTEP.name, "vxlan", VTEP.ip);
    await s.sbctl("set", "Chassis", VTEP.name, "other_config:is-vtep=true");
    const encap = (
      await s.sbctl("--bare", "--columns=_uuid", "find", "Encap", `chassis_name=${VTEP.name}`)
    ).trim();
    await s.sbctl("set", "Encap", encap, "options:csum=false");
    await s.nbctl("ls-add", "lsw0");
    await s.nbctl("lsp-add", "lsw0", "lp1", "--", "lsp-set-addresses", "lp1", `${LP1.mac} ${LP1.ip}`);
    await s.nbctl(
      "lsp-add",
      "lsw0",
      "lp-vtep",
      "--",
      "lsp-set-type",
      "lp-vtep",
      "vtep",
      "--",
      "lsp-set-options",
      "lp-vtep",
      "vtep-physical-switch=br-vtep",
      "vtep-logical-switch=lsw0",
      "--",
      "lsp-set-addresses",
      "lp-vtep",
      "unknown",
    );
    await s.nbctl("lr-add", "lr0");
    await s.nbctl("lrp-add", "lr0", "lrp1", LRP.mac, `${LRP.ip}/24`);
    await s.nbctl("lrp-set-gateway-chassis", "lrp1", "hv1");
    await s.nbctl(
      "lsp-add",
      "lsw0",
      "lpr",
      "--",
      "lsp-set-type",
      "lpr",
      "router",
      "--",
      "lsp-set-addresses",
      "lpr",
      "router",
      "--",
      "lsp-set-options",
      "lpr",
      "router-port=lrp1",
    );
    await waitUntil(
      async () =>
        (
          await s.sbctl("--bare", "--columns=_uuid", "find", "Port_Binding", "logical_port=lp-vtep")
        ).trim() !== "",
      SETTLE_MS,
      { what: "lp-vtep's Port_Binding" },
    );
    await s.sbctl("lsp-bind", "lp-vtep", VTEP.name);
    const lp1 = await h.addVif("lp1");
    await waitUntil(
      async () => (await s.nbctl("get", "Logical_Switch_Port", "lp1", "up")).trim() === "true",
      SETTLE_MS,
      { what: "lp1 up" },
    );
    await h.appctl("tnl/neigh/set", "br-phys", VTEP.ip, VTEP.mac);
    await waitUntil(async () => (await vxlanOptions(s)).includes(VTEP.ip), SETTLE_MS, {
      what: "a VXLAN tunnel port to the VTEP",
    });
    await s.syncHv();
    const dpKey = Number(
      (
        await s.sbctl("--bare", "--columns=tunnel_key", "find", "Datapath_Binding", "external_ids:name=lsw0")
      ).trim(),
    );
    const physMac = (await h.vsctl("get", "Interface", "br-phys", "mac_in_use")).trim().replace(/"/g, "");
    return { lp1, dpKey, physMac };
  },
  scenarios: [
    {
      name: "hv1's tunnel port to the VTEP: type vxlan, key=flow, remote_ip of the VTEP, csum as its Encap says",
      run: async (s) => {
        assert.equal(await vxlanOptions(s), `csum=false key=flow remote_ip=${VTEP.ip}`);
      },
    },
    {
      name: "a frame from lp1 to an unknown MAC goes to the VTEP over VXLAN, VNI = the switch's tunnel key",
      run: async (s, t) => {
        const from = physSent(s);
        const f = udp4({ src: LP1.mac, dst: BEHIND.mac, sip: LP1.ip, dip: BEHIND.ip, tag: tag() });
        await t.lp1.inject(f);
        const got = await waitUntil(
          () => vxlanSent(s, from).find((p) => udpTag(p.inner) === udpTag(f)),
          PACKET_MS,
          { what: "the frame in a VXLAN packet" },
        );
        assert.deepEqual([got.dst, got.vni, toHex(got.inner)], [VTEP.ip, t.dpKey, toHex(f)]);
      },
    },
    {
      name: "a broadcast from lp1 reaches the VTEP too, with the same VNI",
      run: async (s, t) => {
        const from = physSent(s);
        const f = udp4({
          src: LP1.mac,
          dst: "ff:ff:ff:ff:ff:ff",
          sip: LP1.ip,
          dip: "10.0.0.255",
          tag: tag(),
        });
        await t.lp1.inject(f);
        const got = await waitUntil(
          () => vxlanSent(s, from).find((p) => udpTag(p.inner) === udpTag(f)),
          PACKET_MS,
          { what: "the broadcast in a VXLAN packet" },
        );
        assert.deepEqual([got.dst, got.vni], [VTEP.ip, t.dpKey]);
      },
    },
    {
      name: "a frame the VTEP sends with VNI = the switch's key enters lsw0 from lp-vtep and reaches lp1",
      run: async (s, t) => {
        const before = t.lp1.sent().length;
        const f = udp4({ src: BEHIND.mac, dst: LP1.mac, sip: BEHIND.ip, dip: LP1.ip, tag: tag() });
        await hv1(s).appctl("netdev-dummy/receive", "br-phys_n1", toHex(fromVtep(t.physMac, t.dpKey, f)));
        const got = await waitUntil(
          () => sentSince(t.lp1, before).find((p) => udpTag(p) === udpTag(f)),
          PACKET_MS,
          { what: "the VTEP's frame on lp1" },
        );
        assert.equal(toHex(got), toHex(f));
      },
    },
    {
      name: "a broadcast from the VTEP reaches lp1 and is not sent back to the VTEP",
      run: async (s, t) => {
        const before = t.lp1.sent().length;
        const from = physSent(s);
        const f = udp4({
          src: BEHIND.mac,
          dst: "ff:ff:ff:ff:ff:ff",
          sip: BEHIND.ip,
          dip: "10.0.0.255",
          tag: tag(),
        });
        await hv1(s).appctl("netdev-dummy/receive", "br-phys_n1", toHex(fromVtep(t.physMac, t.dpKey, f)));
        await waitUntil(() => sentSince(t.lp1, before).some((p) => udpTag(p) === udpTag(f)), PACKET_MS, {
          what: "the VTEP's broadcast on lp1",
        });
        // The flood copy towards the VTEP would have left with lp1's: none among hv1's VXLAN packets.
        assert.deepEqual(
          vxlanSent(s, from).filter((p) => udpTag(p.inner) === udpTag(f)),
          [],
          "no copy back to the VTEP",
        );
      },
    },
    {
      name: "an ARP request from behind the VTEP for the gateway router port's address is answered back through the tunnel",
      run: async (s, t) => {
        const from = physSent(s);
        const req = arpRequest({ sha: BEHIND.mac, spa: BEHIND.ip, tpa: LRP.ip });
        await hv1(s).appctl("netdev-dummy/receive", "br-phys_n1", toHex(fromVtep(t.physMac, t.dpKey, req)));
        const got = await waitUntil(
          () =>
            vxlanSent(s, from).find((p) => {
              const d = decode(p.inner);
              return d.l3.kind === "arp" && d.l3.arp.op === 2;
            }),
          PACKET_MS,
          { what: "the ARP reply in a VXLAN packet to the VTEP" },
        );
        const d = decode(got.inner);
        assert.ok(d.l3.kind === "arp");
        assert.deepEqual(
          [got.dst, got.vni, d.eth.dst, d.l3.arp.sha, d.l3.arp.spa, d.l3.arp.tha, d.l3.arp.tpa],
          [VTEP.ip, t.dpKey, BEHIND.mac, LRP.mac, LRP.ip, BEHIND.mac, BEHIND.ip],
        );
      },
    },
  ],
});
