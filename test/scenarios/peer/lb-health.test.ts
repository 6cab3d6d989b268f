// Load-balancer health checks (ovn-nb(5) Load_Balancer_Health_Check, ovn-sb(5) Service_Monitor): the
// controller of the chassis that binds a backend's port probes it every interval, judges the replies
// and writes Service_Monitor.status; northd then keeps only online backends in the VIP's flows.
//
//   sw0 10.0.0.0/24: vm1 10.0.0.11 (backend), vm2 10.0.0.12 (backend), vm3 10.0.0.13 (client), all hv1
//   lb0: 10.0.0.100:80 → 10.0.0.11:80, 10.0.0.12:80 on sw0; health check interval 1 s, timeout 2 s,
//        success_count 1, failure_count 1; probes come from 10.0.0.2 and the svc_monitor_mac.
//   lb1 (added by the UDP scenario): 10.0.0.101:53 → 10.0.0.11:53 over UDP, the same health check.
//
// A responder plays the backends' TCP stacks: it answers every probe a backend's VIF sends, at once,
// with a SYN-ACK (listening), a RST (closed) or nothing (down), as each scenario sets.  Expectations are
// concrete (bytes, statuses, where VIP traffic goes), so passing on the `ref` stack means the real
// ovn-controller does the same; the probes' random source port and sequence number (and so the TCP
// checksum) are the only bytes normalised.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  ETH_TYPE_IPV4,
  encodeFrame,
  ICMP4_DEST_UNREACH,
  ICMP4_PORT_UNREACH,
  IP_PROTO_ICMP,
  TCP_SYN,
} from "../../../src/packet/index.js";
import type { Stack, Vif } from "../../support/chassis.js";
import { decode, tcp4 } from "../../support/frames.js";
import { toHex } from "../../support/pcap.js";
import { waitUntil } from "../../support/wait.js";
import { expectDelivered, matrix, PACKET_MS, SETTLE_MS, sentSince } from "../matrix.js";
import { expectReset, expectStatus, type ProbeResponder, plugBackends } from "../probe-responder.js";

export const SVC_MAC = "0a:00:00:00:00:fe";
export const SRC_IP = "10.0.0.2";
export const VIP = "10.0.0.100";
export const VM = [
  { lport: "vm1", mac: "f0:00:00:00:01:11", ip: "10.0.0.11" },
  { lport: "vm2", mac: "f0:00:00:00:01:12", ip: "10.0.0.12" },
  { lport: "vm3", mac: "f0:00:00:00:01:13", ip: "10.0.0.13" },
] as const;

interface Topo {
  vifs: Vif[];
  responder: ProbeResponder;
}

function tcpOf(f: Uint8Array) {
  const d = decode(f);
  if (d.l3.kind !== "ipv4" || d.l3.l4.kind !== "tcp") return undefined;
  return { eth: d.eth, ip: d.l3.ip, tcp: d.l3.l4.tcp };
}

/** A frame the controller sent from the svc_monitor_mac (a probe, or the RST that follows a SYN-ACK). */
function fromMonitor(f: Uint8Array) {
  const t = tcpOf(f);
  return t !== undefined && t.eth.src === SVC_MAC ? t : undefined;
}

const probeOf = (f: Uint8Array) => {
  const t = fromMonitor(f);
  return t !== undefined && t.tcp.flags === TCP_SYN ? t : undefined;
};

/**
 * The frame's hex with what the controller randomises blanked: TCP source port, sequence number and
 * checksum (bytes 34-35, 38-41 and 50-51 of an untagged IPv4 frame without options).
 */
function normalised(f: Uint8Array): string {
  const b = Uint8Array.from(f);
  for (const i of [34, 35, 38, 39, 40, 41, 50, 51]) b[i] = 0;
  return toHex(b);
}

/** The real ovn-controller's SYN probe to vm1 (captured), normalised. */
const C_PROBE_VM1 = normalised(
  Uint8Array.from(
    Buffer.from(
      "f000000001110a00000000fe080045000028000040003f0627c40a0000020a00000be5620050d4f4d5a5000000005002fe880d000000",
      "hex",
    ),
  ),
);

/**
 * SYNs from the client vm3 to the VIP, one per source port; the backend IP each was DNATed to.  The
 * switch's load balancer rewrites the IP only, so the frames (sent to vm1's MAC) all come out of vm1.
 */
async function vipTargets(vifs: readonly Vif[], sports: readonly number[]): Promise<string[]> {
  const [vm1, , vm3] = vifs as [Vif, Vif, Vif];
  const out: string[] = [];
  for (const sport of sports) {
    const syn = tcp4({ src: VM[2].mac, dst: VM[0].mac, sip: VM[2].ip, dip: VIP, sport, dport: 80 });
    const [got] = await expectDelivered(vm3, syn, vm1, (f) => tcpOf(f)?.tcp.srcPort === sport);
    out.push(tcpOf(got as Uint8Array)?.ip.dst ?? "?");
  }
  return out;
}

const VIP2 = "10.0.0.101";

/** A UDP probe from the svc_monitor_mac. */
function udpProbeOf(f: Uint8Array) {
  const d = decode(f);
  if (d.eth.src !== SVC_MAC || d.l3.kind !== "ipv4" || d.l3.l4.kind !== "udp") return undefined;
  return d.l3.l4.udp;
}

/** The real ovn-controller's UDP probe to vm1:53 (captured), its source port zeroed. */
const C_UDP_PROBE_VM1 =
  "f000000001110a00000000fe080045000024000040003f1127bd0a0000020a00000b00000035001000000000000000000000";

/** The ICMP port unreachable vm1's kernel would send for `probe`: its IP header and 8 bytes quoted. */
function portUnreachable(probe: Uint8Array): Uint8Array {
  const E = new Uint8Array(0);
  return encodeFrame({
    eth: { dst: SVC_MAC, src: VM[0].mac, vlans: [], etherType: ETH_TYPE_IPV4, payload: E },
    l3: {
      kind: "ipv4",
      ip: {
        tos: 0xc0,
        ident: 0,
        flags: 0,
        fragOffset: 0,
        ttl: 64,
        protocol: IP_PROTO_ICMP,
        src: VM[0].ip,
        dst: SRC_IP,
        options: E,
        payload: E,
        trailer: E,
      },
      l4: {
        kind: "icmp4",
        icmp: { type: ICMP4_DEST_UNREACH, code: ICMP4_PORT_UNREACH, rest: 0, data: probe.slice(14, 14 + 28) },
      },
    },
  });
}

async function setup(s: Stack): Promise<Topo> {
  await s.nbctl("set", "NB_Global", ".", `options:svc_monitor_mac="${SVC_MAC}"`);
  await s.nbctl("ls-add", "sw0");
  for (const v of VM)
    await s.nbctl("lsp-add", "sw0", v.lport, "--", "lsp-set-addresses", v.lport, `${v.mac} ${v.ip}`);
  await s.nbctl("lb-add", "lb0", `${VIP}:80`, `${VM[0].ip}:80,${VM[1].ip}:80`, "tcp");
  await s.nbctl(
    "set",
    "Load_Balancer",
    "lb0",
    `ip_port_mappings:"${VM[0].ip}"="vm1:${SRC_IP}"`,
    `ip_port_mappings:"${VM[1].ip}"="vm2:${SRC_IP}"`,
  );
  // The health check is not a root row: create it and reference it in one transaction.
  await s.nbctl(
    "--id=@hc",
    "create",
    "Load_Balancer_Health_Check",
    `vip="${VIP}:80"`,
    "options:interval=1",
    "options:timeout=2",
    "options:success_count=1",
    "options:failure_count=1",
    "--",
    "add",
    "Load_Balancer",
    "lb0",
    "health_check",
    "@hc",
  );
  await s.nbctl("ls-lb-add", "sw0", "lb0");
  return plugBackends(s, VM, probeOf, tcp4);
}

matrix<Topo>({
  title: "load balancer health checks: probes, replies, Service_Monitor status, VIP backends",
  chassis: 1,
  setup,
  scenarios: [
    {
      name: "probes: each backend gets TCP SYNs from svc_monitor_mac/10.0.0.2 equal to the real controller's; silence → offline",
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
              {
                what: `a probe on ${v.name}`,
              },
            ),
          ),
        );
        assert.equal(normalised(p1 as Uint8Array), C_PROBE_VM1);
        const t2 = probeOf(p2 as Uint8Array);
        assert.ok(t2 !== undefined);
        assert.deepEqual(
          [
            t2.eth.dst,
            t2.ip.src,
            t2.ip.dst,
            t2.ip.ttl,
            t2.ip.ident,
            t2.ip.flags,
            t2.tcp.dstPort,
            t2.tcp.window,
          ],
          [VM[1].mac, SRC_IP, VM[1].ip, 63, 0, 2, 80, 65160],
        );
        assert.equal(
          vifs[2]?.sent().filter((f) => fromMonitor(f.data) !== undefined).length,
          0,
          "vm3 is no backend",
        );
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
        assert.deepEqual([rst.ip.ttl, rst.ip.ident, rst.tcp.window, rst.tcp.dstPort], [63, 0, 65160, 80]);
      },
    },
    {
      name: "the VIP's flows send every connection to the only online backend, vm1",
      run: async (s, { vifs }) => {
        await s.syncHv();
        assert.deepEqual(await vipTargets(vifs, [41001, 41002, 41003, 41004]), Array(4).fill(VM[0].ip));
      },
    },
    {
      name: "vm1 answering RST goes offline, vm2 answering SYN-ACK online; the VIP then reaches only vm2",
      run: async (s, { vifs, responder }) => {
        responder.modes.set("vm1", "rst");
        responder.modes.set("vm2", "syn-ack");
        await expectStatus(s, { vm1: "offline", vm2: "online" }, "vm1 offline, vm2 online");
        await s.syncHv();
        assert.deepEqual(await vipTargets(vifs, [42001, 42002, 42003, 42004]), Array(4).fill(VM[1].ip));
      },
    },
    {
      name: "UDP health check on vm1: probes as the real controller's, silence → online, an ICMP port unreachable → offline",
      run: async (s, { vifs }) => {
        const vm1 = vifs[0] as Vif;
        const before = vm1.sent().length;
        await s.nbctl("lb-add", "lb1", `${VIP2}:53`, `${VM[0].ip}:53`, "udp");
        await s.nbctl("set", "Load_Balancer", "lb1", `ip_port_mappings:"${VM[0].ip}"="vm1:${SRC_IP}"`);
        await s.nbctl(
          "--id=@hc",
          "create",
          "Load_Balancer_Health_Check",
          `vip="${VIP2}:53"`,
          "options:interval=1",
          "options:timeout=2",
          "options:success_count=1",
          "options:failure_count=1",
          "--",
          "add",
          "Load_Balancer",
          "lb1",
          "health_check",
          "@hc",
        );
        await s.nbctl("ls-lb-add", "sw0", "lb1");
        await expectStatus(s, { "vm1/udp": "online" }, "UDP monitor online: no port unreachable");
        const probes = sentSince(vm1, before).filter((f) => udpProbeOf(f) !== undefined);
        assert.ok(probes.length >= 1);
        // All bytes but the source port (chosen by the controller) are the real one's.
        const p = probes[0] as Uint8Array;
        const norm = Uint8Array.from(p);
        norm[34] = norm[35] = 0;
        assert.equal(toHex(norm), C_UDP_PROBE_VM1);
        assert.ok(
          probes.every((f) => f[34] === p[34] && f[35] === p[35]),
          "one source port for every probe",
        );
        // Answer the next probe with a port unreachable, at once (within the 2 s timeout).
        const n = vm1.sent().length;
        const next = await waitUntil(
          () => sentSince(vm1, n).find((f) => udpProbeOf(f) !== undefined),
          PACKET_MS,
          {
            what: "the next UDP probe",
          },
        );
        await vm1.inject(portUnreachable(next));
        await expectStatus(s, { "vm1/udp": "offline" }, "UDP monitor offline after a port unreachable");
      },
    },
    {
      name: "a backend whose port is unbound here is no longer probed; the bound one still is",
      run: async (s, { vifs, responder }) => {
        const h = s.hv[0] as Stack["hv"][0];
        await h.vsctl("remove", "Interface", (vifs[1] as Vif).name, "external_ids", "iface-id");
        await waitUntil(
          async () => (await s.nbctl("get", "Logical_Switch_Port", "vm2", "up")).trim() === "false",
          SETTLE_MS,
          { what: "vm2 down" },
        );
        await s.syncHv();
        // An unbound port has no output flows, so probes would vanish unseen: count the controller's
        // packet-outs in ovs-vswitchd's OpenFlow log instead (by the ports' tunnel keys).
        const log = h.vswitchd.logPath;
        const from = readFileSync(log, "utf8").length;
        await h.appctl("vlog/set", "vconn:file:dbg");
        await new Promise((r) => setTimeout(r, 3500));
        await h.appctl("vlog/set", "vconn:file:info");
        const outs = readFileSync(log, "utf8")
          .slice(from)
          .split("\n")
          .filter((l) => l.includes("OFPT_PACKET_OUT"));
        const key = async (lsp: string) =>
          Number(
            await s.sbctl("--bare", "--columns=tunnel_key", "find", "Port_Binding", `logical_port=${lsp}`),
          );
        const toPort = (k: number) =>
          outs.filter((l) => l.includes(`set_field:0x${k.toString(16)}->reg15`)).length;
        assert.ok(toPort(await key("vm1")) >= 1, `vm1 still probed:\n${outs.join("\n")}`);
        assert.equal(toPort(await key("vm2")), 0, `vm2 probed after unbinding:\n${outs.join("\n")}`);
        responder.stop();
      },
    },
  ],
});
