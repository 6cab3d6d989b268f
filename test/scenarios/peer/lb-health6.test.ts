// Load-balancer health checks of IPv6 backends (ovn-nb(5) ip_port_mappings "[IP6]"="lport:[SRC_IP6]",
// ovn-sb(5) Service_Monitor): the same cycle as lb-health.test.ts, over IPv6 — TCP SYN probes answered
// by SYN-ACK (online, then reset) or RST (offline), UDP probes failed by an ICMPv6 port unreachable —
// and northd's Neighbor Advertisement for the probes' source address, so that a backend can answer.
//
//   sw0 fd00::/64: vm1 fd00::11 (backend), vm2 fd00::12 (backend), vm3 fd00::13 (client), all hv1
//   lb0: [fd00::100]:80 → [fd00::11]:80, [fd00::12]:80 on sw0; health check interval 1 s, timeout 2 s,
//        counts 1; probes come from fd00::2 and the svc_monitor_mac.
//   lb1 (the UDP scenario): [fd00::101]:53 → [fd00::11]:53 over UDP, the same health check.
//
// Expectations are concrete (bytes, statuses), so passing on `ref` means the real ovn-controller 23.03
// does the same; the probes' random source port and sequence number (and so the checksums) are the only
// bytes normalised.
import assert from "node:assert/strict";
import {
  ETH_TYPE_IPV6,
  encodeFrame,
  encodeNd,
  ICMP6_DEST_UNREACH,
  IP_PROTO_ICMPV6,
  IP_PROTO_TCP,
  type L4,
  ND_NEIGHBOR_ADVERT,
  TCP_SYN,
} from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, ns6 } from "../../support/frames.js";
import { toHex } from "../../support/pcap.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, PACKET_MS, sentSince } from "../matrix.js";
import {
  expectReset,
  expectStatus,
  type ProbeResponder,
  plugBackends,
  serviceMonitors,
} from "../probe-responder.js";

const SVC_MAC = "0a:00:00:00:00:fe";
const SRC_IP = "fd00::2";
const VIP = "fd00::100";
const VIP2 = "fd00::101";
const VM = [
  { lport: "vm1", mac: "f0:00:00:00:01:11", ip: "fd00::11" },
  { lport: "vm2", mac: "f0:00:00:00:01:12", ip: "fd00::12" },
  { lport: "vm3", mac: "f0:00:00:00:01:13", ip: "fd00::13" },
] as const;
const E = new Uint8Array(0);

function frame6(src: string, dst: string, sip: string, dip: string, protocol: number, l4: L4): Uint8Array {
  return encodeFrame({
    eth: { dst, src, vlans: [], etherType: ETH_TYPE_IPV6, payload: E },
    l3: {
      kind: "ipv6",
      ip: {
        trafficClass: 0,
        flowLabel: 0,
        hopLimit: 64,
        src: sip,
        dst: dip,
        extensions: [],
        protocol,
        payload: E,
        trailer: E,
      },
      l4,
    },
  });
}

function tcp6(s: {
  src: string;
  dst: string;
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
}): Uint8Array {
  return frame6(s.src, s.dst, s.sip, s.dip, IP_PROTO_TCP, {
    kind: "tcp",
    tcp: {
      srcPort: s.sport,
      dstPort: s.dport,
      seq: s.seq,
      ack: s.ack,
      flags: s.flags,
      window: 65535,
      urgent: 0,
      options: E,
      payload: E,
    },
  });
}

function tcpOf(f: Uint8Array) {
  const d = decode(f);
  if (d.l3.kind !== "ipv6" || d.l3.l4.kind !== "tcp") return undefined;
  return { eth: d.eth, ip: d.l3.ip, tcp: d.l3.l4.tcp };
}

const fromMonitor = (f: Uint8Array) => {
  const t = tcpOf(f);
  return t !== undefined && t.eth.src === SVC_MAC ? t : undefined;
};

const probeOf = (f: Uint8Array) => {
  const t = fromMonitor(f);
  return t !== undefined && t.tcp.flags === TCP_SYN ? t : undefined;
};

function udpProbeOf(f: Uint8Array) {
  const d = decode(f);
  if (d.eth.src !== SVC_MAC || d.l3.kind !== "ipv6" || d.l3.l4.kind !== "udp") return undefined;
  return d.l3.l4.udp;
}

/** Hex of `f` with the bytes at `zero` cleared (what the controller randomises). */
function normalised(f: Uint8Array, zero: readonly number[]): string {
  const b = Uint8Array.from(f);
  for (const i of zero) b[i] = 0;
  return toHex(b);
}
/** TCP source port, sequence number and checksum of an untagged IPv6 frame without extensions. */
const TCP6_RANDOM = [54, 55, 58, 59, 60, 61, 70, 71];
/** UDP source port and checksum. */
const UDP6_RANDOM = [54, 55, 60, 61];

/** The real ovn-controller 23.03's SYN probe to vm1 and UDP probe to vm1:53 (captured on `ref`), normalised. */
const C_PROBE_VM1 =
  "f000000001110a00000000fe86dd600000000014063ffd000000000000000000000000000002fd0000000000000000000000000000110000005000000000000000005002fe8800000000";
const C_UDP_PROBE_VM1 =
  "f000000001110a00000000fe86dd600000000010113ffd000000000000000000000000000002fd00000000000000000000000000001100000035001000000000000000000000";

/** The ICMPv6 port unreachable vm1's kernel would send for `probe`: the probe quoted whole. */
function portUnreachable6(probe: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + probe.length - 14);
  body.set(probe.slice(14), 4);
  return frame6(VM[0].mac, SVC_MAC, VM[0].ip, SRC_IP, IP_PROTO_ICMPV6, {
    kind: "icmp6",
    icmp: { type: ICMP6_DEST_UNREACH, code: 4, body },
  });
}

async function addHealthCheck(s: Stack, lb: string, vip: string): Promise<void> {
  await s.nbctl(
    "--id=@hc",
    "create",
    "Load_Balancer_Health_Check",
    `vip="${vip}"`,
    "options:interval=1",
    "options:timeout=2",
    "options:success_count=1",
    "options:failure_count=1",
    "--",
    "add",
    "Load_Balancer",
    lb,
    "health_check",
    "@hc",
  );
}

interface Topo {
  vifs: Vif[];
  responder: ProbeResponder;
}

async function setup(s: Stack): Promise<Topo> {
  await s.nbctl("set", "NB_Global", ".", `options:svc_monitor_mac="${SVC_MAC}"`);
  await s.nbctl("ls-add", "sw0");
  for (const v of VM)
    await s.nbctl("lsp-add", "sw0", v.lport, "--", "lsp-set-addresses", v.lport, `${v.mac} ${v.ip}`);
  await s.nbctl("lb-add", "lb0", `[${VIP}]:80`, `[${VM[0].ip}]:80,[${VM[1].ip}]:80`, "tcp");
  await s.nbctl(
    "set",
    "Load_Balancer",
    "lb0",
    `ip_port_mappings:"[${VM[0].ip}]"="vm1:[${SRC_IP}]"`,
    `ip_port_mappings:"[${VM[1].ip}]"="vm2:[${SRC_IP}]"`,
  );
  await addHealthCheck(s, "lb0", `[${VIP}]:80`);
  await s.nbctl("ls-lb-add", "sw0", "lb0");
  return plugBackends(s, VM, probeOf, tcp6);
}

matrix<Topo>({
  title: "IPv6 load balancer health checks: probes, replies, Service_Monitor status, ND for the source",
  chassis: 1,
  setup,
  scenarios: [
    {
      name: "northd writes one Service_Monitor per IPv6 backend (ip, port, src_ip without brackets, svc_monitor_mac)",
      run: async (s) => {
        const got = await waitUntil(
          async () => {
            const m = await serviceMonitors(s);
            return m.vm1 !== undefined && m.vm2 !== undefined ? m : false;
          },
          PACKET_MS,
          { what: "two Service_Monitor rows" },
        );
        assert.match(got.vm1 ?? "", new RegExp(`^${VM[0].ip} 80 ${SRC_IP} ${SVC_MAC} `));
        assert.match(got.vm2 ?? "", new RegExp(`^${VM[1].ip} 80 ${SRC_IP} ${SVC_MAC} `));
      },
    },
    {
      name: "a Neighbor Solicitation for the probes' source address is answered with the svc_monitor_mac",
      run: async (s, { vifs }) => {
        const vm1 = vifs[0] as Vif;
        await s.syncHv();
        const [na] = await expectDelivered(
          vm1,
          ns6({ src: VM[0].mac, sip: VM[0].ip, target: SRC_IP }),
          vm1,
          (f) => {
            const d = decode(f);
            return (
              d.l3.kind === "ipv6" && d.l3.l4.kind === "icmp6" && d.l3.l4.icmp.type === ND_NEIGHBOR_ADVERT
            );
          },
        );
        const d = decode(na as Uint8Array);
        assert.ok(d.l3.kind === "ipv6" && d.l3.l4.kind === "icmp6");
        // The action swaps the Ethernet addresses before its nested `eth.dst = eth.src` runs, so the answer
        // goes to the solicitation's own destination, the solicited-node group (observed on the real one).
        assert.deepEqual(
          [d.eth.src, d.eth.dst, d.l3.ip.src, d.l3.ip.dst],
          [SVC_MAC, "33:33:ff:00:00:02", SRC_IP, VM[0].ip],
        );
        // Router flag clear, solicited and override set; target the source address; TLL the monitor MAC.
        const want = encodeNd({
          kind: "na",
          flags: 0x60000000,
          target: SRC_IP,
          options: [{ kind: "tll", mac: SVC_MAC }],
        });
        assert.equal(toHex(d.l3.l4.icmp.body), toHex(want));
      },
    },
    {
      name: "probes: each backend gets IPv6 TCP SYNs equal to the real controller's; silence → offline",
      run: async (s, { vifs }) => {
        const [vm1, vm2] = vifs as [Vif, Vif];
        const [p1, p2] = await Promise.all(
          [vm1, vm2].map((v) =>
            waitUntil(
              () =>
                v
                  .sent()
                  .map((p) => p.data)
                  .find((f) => probeOf(f) !== undefined),
              PACKET_MS,
              { what: `a probe on ${v.name}` },
            ),
          ),
        );
        assert.equal(normalised(p1 as Uint8Array, TCP6_RANDOM), C_PROBE_VM1);
        const t2 = probeOf(p2 as Uint8Array);
        assert.ok(t2 !== undefined);
        assert.deepEqual(
          [t2.eth.dst, t2.ip.src, t2.ip.dst, t2.ip.hopLimit, t2.tcp.dstPort, t2.tcp.window],
          [VM[1].mac, SRC_IP, VM[1].ip, 63, 80, 65160],
        );
        assert.ok(t2.tcp.srcPort >= 1024, "source port from 1024 up");
        await expectStatus(s, { vm1: "offline", vm2: "offline" }, "both offline: no SYN-ACK");
      },
    },
    {
      name: "a SYN-ACK makes vm1 online and is answered with RST+ACK (seq = its ack + 1, ack = its seq + 1)",
      run: async (s, { vifs, responder }) => {
        const vm1 = vifs[0] as Vif;
        const before = vm1.sent().length;
        responder.modes.set("vm1", "syn-ack");
        await expectStatus(s, { vm1: "online", vm2: "offline" }, "vm1 online");
        const rst = await expectReset(vm1, before, fromMonitor);
        assert.deepEqual([rst.ip.hopLimit, rst.tcp.window, rst.tcp.dstPort], [63, 65160, 80]);
      },
    },
    {
      name: "vm1 answering RST goes offline, vm2 answering SYN-ACK online",
      run: async (s, { responder }) => {
        responder.modes.set("vm1", "rst");
        responder.modes.set("vm2", "syn-ack");
        await expectStatus(s, { vm1: "offline", vm2: "online" }, "vm1 offline, vm2 online");
      },
    },
    {
      name: "UDP over IPv6 on vm1: probes as the real controller's, silence → online, ICMPv6 port unreachable → offline",
      run: async (s, { vifs, responder }) => {
        const vm1 = vifs[0] as Vif;
        const before = vm1.sent().length;
        await s.nbctl("lb-add", "lb1", `[${VIP2}]:53`, `[${VM[0].ip}]:53`, "udp");
        await s.nbctl("set", "Load_Balancer", "lb1", `ip_port_mappings:"[${VM[0].ip}]"="vm1:[${SRC_IP}]"`);
        await addHealthCheck(s, "lb1", `[${VIP2}]:53`);
        await s.nbctl("ls-lb-add", "sw0", "lb1");
        await expectStatus(s, { "vm1/udp": "online" }, "UDP monitor online: no port unreachable");
        const probes = sentSince(vm1, before).filter((f) => udpProbeOf(f) !== undefined);
        assert.ok(probes.length >= 1);
        const p = probes[0] as Uint8Array;
        assert.equal(normalised(p, UDP6_RANDOM), C_UDP_PROBE_VM1);
        assert.ok(
          probes.every((f) => f[54] === p[54] && f[55] === p[55]),
          "one source port for every probe",
        );
        // Over IPv6 the UDP checksum is mandatory: the probe carries a correct one.
        const d = decode(p);
        assert.ok(d.l3.kind === "ipv6" && d.l3.l4.kind === "udp");
        assert.notEqual((p[60] as number) * 256 + (p[61] as number), 0);
        const n = vm1.sent().length;
        const next = await waitUntil(
          () => sentSince(vm1, n).find((f) => udpProbeOf(f) !== undefined),
          PACKET_MS,
          { what: "the next UDP probe" },
        );
        await vm1.inject(portUnreachable6(next));
        await expectStatus(
          s,
          { "vm1/udp": "offline" },
          "UDP monitor offline after an ICMPv6 port unreachable",
        );
        responder.stop();
      },
    },
  ],
});
