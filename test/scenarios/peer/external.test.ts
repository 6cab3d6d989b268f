// External ports (ovn-nb(5) Logical_Switch_Port type "external"): a host on the physical network
// behind ls1's localnet port, served by the active chassis of the port's HA chassis group.  The
// highest-priority chassis claims the port; a DHCP request from the external host, which reaches
// every chassis through the physical network, is answered by that chassis only, and so is an ARP
// request for the router's address (lr0 on ls1); a localport on the active chassis may send to the
// external host through the localnet port (table 41's exception to "never from a localport to the
// physical network"), but not to other addresses; taking the active chassis out of the group moves
// the claim and the answers.
//
//   ls1 10.0.0.0/24 with localnet ln (phys:br-phys on both chassis)
//     ext1 external f0:00:00:00:00:03 10.0.0.6, DHCP options; HA group hagrp1: hv1 30, hv2 20 (later hv2 only)
//     lp   localport (VIF on hv1)      v2 VIF on hv2 (so that ls1 has flows on hv2 too)
import assert from "node:assert/strict";
import { decodeDhcp4 } from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { arpRequest, decode, dhcpDiscover, udp4 } from "../../support/frames.js";
import { injectPacket, readPcapFile } from "../../support/packets.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, expectDropped, matrix, routerPeer, SETTLE_MS, tag } from "../matrix.js";

type Hv = Stack["hv"][0];

const EXT = { mac: "f0:00:00:00:00:03", ip: "10.0.0.6" };
const LP = { mac: "f0:00:00:00:00:aa", ip: "10.0.0.2" };
const V2 = { mac: "f0:00:00:00:00:0b", ip: "10.0.0.11" };
const SERVER_MAC = "c0:ff:ee:00:00:01";
/** lr0's port on ls1. */
const RTR = { mac: "00:00:00:01:00:01", ip: "10.0.0.1" };

interface Topo {
  lp: Vif;
  v2: Vif;
  /** Chassis UUID by name. */
  chassis: Record<string, string>;
  /** A Vif-like view of each chassis's physical NIC (br-phys_n1): what the chassis sent to the network. */
  nic: Vif[];
}

/** The physical NIC of a chassis as a Vif: injecting is receiving from the network. */
function nicOf(h: Hv): Vif {
  const txPcap = h.box.path("br-phys_n1-tx.pcap");
  return {
    hv: h,
    name: `${h.name}:br-phys_n1`,
    lport: "",
    txPcap,
    inject: (frame) => injectPacket(h.vswitchd, "br-phys_n1", frame),
    sent: () => readPcapFile(txPcap),
  };
}

/** A DHCP reply from OVN's server to the external host offering `ip`. */
function isOfferTo(f: Uint8Array, ip: string, xid: number): boolean {
  const d = decode(f);
  if (d.l3.kind !== "ipv4" || d.l3.l4.kind !== "udp") return false;
  if (d.l3.l4.udp.srcPort !== 67 || d.l3.l4.udp.dstPort !== 68) return false;
  const m = decodeDhcp4(d.l3.l4.udp.payload);
  return m.ok && m.value.xid === xid && m.value.yiaddr === ip && d.eth.src === SERVER_MAC;
}

async function boundTo(s: Stack): Promise<string> {
  return (await s.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", "logical_port=ext1")).trim();
}

let xid = 0x5e00;

/**
 * The external host broadcasts `request`, which the physical network brings to every chassis;
 * `active` must answer it (`isAnswer`) and the other chassis must not (checked a moment after).
 */
async function answeredBy(
  t: Topo,
  active: number,
  request: Uint8Array,
  isAnswer: (f: Uint8Array) => boolean,
): Promise<void> {
  const other = t.nic[1 - active] as Vif;
  const otherBefore = other.sent().length;
  await other.inject(request);
  await expectDelivered(t.nic[active] as Vif, request, t.nic[active] as Vif, isAnswer);
  // The other chassis had the request first; give it a second more to (wrongly) answer.
  await new Promise((r) => setTimeout(r, 1000));
  const stray = other
    .sent()
    .slice(otherBefore)
    .filter((p) => isAnswer(p.data));
  assert.equal(stray.length, 0, `hv${2 - active} must not answer for ext1`);
}

/** A DHCPDISCOVER from the external host; the answer is an offer of ext1's address. */
async function dhcpAnsweredBy(t: Topo, active: number): Promise<void> {
  const id = xid++;
  await answeredBy(t, active, dhcpDiscover({ mac: EXT.mac, xid: id }), (f) => isOfferTo(f, EXT.ip, id));
}

/** An ARP request from the external host for lr0's address; the answer carries the router's MAC. */
async function arpAnsweredBy(t: Topo, active: number): Promise<void> {
  const req = arpRequest({ sha: EXT.mac, spa: EXT.ip, tpa: RTR.ip });
  await answeredBy(t, active, req, (f) => {
    const d = decode(f);
    return (
      d.l3.kind === "arp" &&
      d.l3.arp.op === 2 &&
      d.l3.arp.spa === RTR.ip &&
      d.l3.arp.sha === RTR.mac &&
      d.eth.dst === EXT.mac
    );
  });
}

/**
 * A check (default dhcpAnsweredBy), tried again until it holds (at most SETTLE_MS).  The real ovn-controller decides
 * which chassis is active with BFD over the tunnels: until its sessions are up it counts the other
 * chassis as dead and serves the port as well (both claim it for a while, in the log "Claiming lport
 * ext1" on both).  What must hold is that the answers settle on the active chassis alone.
 */
async function settlesOn(t: Topo, active: number, check = dhcpAnsweredBy): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    try {
      await check(t, active);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

matrix<Topo>({
  title:
    "external ports: HA claim, DHCP and ARP answered by the active chassis only, localport exception, failover",
  chassis: 2,
  bridgeMappings: "phys:br-phys",
  setup: async (s) => {
    const [h1, h2] = s.hv as [Hv, Hv];
    await s.nbctl("ls-add", "ls1");
    await s.nbctl(
      "lsp-add",
      "ls1",
      "ln",
      "--",
      "lsp-set-type",
      "ln",
      "localnet",
      "--",
      "lsp-set-addresses",
      "ln",
      "unknown",
      "--",
      "lsp-set-options",
      "ln",
      "network_name=phys",
    );
    await s.nbctl("lsp-add", "ls1", "lp", "--", "lsp-set-type", "lp", "localport");
    await s.nbctl("lsp-set-addresses", "lp", `${LP.mac} ${LP.ip}`);
    await s.nbctl("lsp-add", "ls1", "v2", "--", "lsp-set-addresses", "v2", `${V2.mac} ${V2.ip}`);
    await s.nbctl("lsp-add", "ls1", "ext1", "--", "lsp-set-type", "ext1", "external");
    await s.nbctl("lsp-set-addresses", "ext1", `${EXT.mac} ${EXT.ip}`);
    const dhcp = (
      await s.nbctl(
        "create",
        "DHCP_Options",
        "cidr=10.0.0.0/24",
        `options="lease_time"="3600" "router"="10.0.0.1" "server_id"="10.0.0.1" "server_mac"="${SERVER_MAC}"`,
      )
    ).trim();
    await s.nbctl("lsp-set-dhcpv4-options", "ext1", dhcp);
    await s.nbctl("ha-chassis-group-add", "hagrp1");
    await s.nbctl("ha-chassis-group-add-chassis", "hagrp1", "hv1", "30");
    await s.nbctl("ha-chassis-group-add-chassis", "hagrp1", "hv2", "20");
    const grp = (
      await s.nbctl("--bare", "--columns=_uuid", "find", "HA_Chassis_Group", "name=hagrp1")
    ).trim();
    await s.nbctl("set", "Logical_Switch_Port", "ext1", `ha_chassis_group=${grp}`);
    await s.nbctl("lr-add", "lr0");
    await s.nbctl("lrp-add", "lr0", "r-ls1", RTR.mac, `${RTR.ip}/24`);
    await routerPeer(s, "ls1", "ls1-r", "r-ls1");
    const lp = await h1.addVif("lp");
    const v2 = await h2.addVif("v2");
    const chassis: Record<string, string> = {};
    for (const h of s.hv)
      chassis[h.name] = (
        await s.sbctl("--bare", "--columns=_uuid", "find", "Chassis", `name=${h.name}`)
      ).trim();
    await waitUntil(
      async () => (await s.nbctl("get", "Logical_Switch_Port", "v2", "up")).trim() === "true",
      SETTLE_MS,
      { what: "v2 up" },
    );
    await s.syncHv();
    return { lp, v2, chassis, nic: [nicOf(h1), nicOf(h2)] };
  },
  scenarios: [
    {
      name: "claim: the highest-priority chassis of the HA chassis group (hv1) binds ext1",
      run: async (s, t) => {
        await waitUntil(async () => (await boundTo(s)) === t.chassis.hv1, SETTLE_MS, {
          what: "ext1 bound to hv1",
        });
      },
    },
    {
      name: "DHCP from the external host is answered by hv1 only",
      run: async (_s, t) => settlesOn(t, 0),
    },
    {
      name: "ARP from the external host for lr0's address is answered by hv1 only",
      run: async (_s, t) => settlesOn(t, 0, arpAnsweredBy),
    },
    {
      name: "a localport on hv1 reaches ext1's MAC through the localnet port; other MACs it does not",
      run: async (_s, t) => {
        const hv1Nic = t.nic[0] as Vif;
        const toExt = udp4({ src: LP.mac, dst: EXT.mac, sip: LP.ip, dip: EXT.ip, tag: tag() });
        await expectDelivered(t.lp, toExt, hv1Nic, (f) => Buffer.compare(f, toExt) === 0);
        const toOther = udp4({
          src: LP.mac,
          dst: "f0:00:00:00:00:99",
          sip: LP.ip,
          dip: "10.0.0.99",
          tag: tag(),
        });
        await expectDropped(
          t.lp,
          toOther,
          hv1Nic,
          { frame: udp4({ src: LP.mac, dst: EXT.mac, sip: LP.ip, dip: EXT.ip, tag: tag() }) },
          (f) => decode(f).eth.dst === "f0:00:00:00:00:99",
        );
      },
    },
    {
      name: "failover: hv1 leaves the HA chassis group, hv2 binds ext1 and answers DHCP and ARP, hv1 no longer does",
      run: async (s, t) => {
        // Leaving the group, not a priority change: the real ovn-controller hands a port over to a
        // higher-priority chassis only once BFD says that chassis is alive, which takes long here.
        await s.nbctl("ha-chassis-group-remove-chassis", "hagrp1", "hv1");
        await waitUntil(async () => (await boundTo(s)) === t.chassis.hv2, SETTLE_MS, {
          what: "ext1 bound to hv2",
        });
        await s.syncHv();
        await settlesOn(t, 1);
        await settlesOn(t, 1, arpAnsweredBy);
      },
    },
  ],
});
