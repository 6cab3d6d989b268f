// Health checks, the pure core: probe and reset frames byte for byte against the real ovn-controller
// 23.03's (captured from a netdev-dummy VIF's tx pcap in the set-up of
// test/scenarios/peer/lb-health.test.ts), the probe → verdict → status cycle on a fake clock, and the
// reply parser's totality on random and truncated bytes.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fromHex, parseIpv6OrThrow, toHex } from "../../packet/bytes.js";
import { ETH_TYPE_IPV6 } from "../../packet/ethernet.js";
import { encodeFrame } from "../../packet/frame.js";
import { IP_PROTO_ICMPV6 } from "../../packet/ipv4.js";
import { tcpChecksumOk } from "../../packet/tcp.js";
import { udpChecksumOk } from "../../packet/udp.js";
import { ownIpv6 } from "./packet-util.js";
import { ServiceMonitors, type SvcAction, type SvcMonitorSpec } from "./svc-monitor.js";
import { buildTcpProbe, buildTcpSyn, buildUdpProbe, parseSvcReply, RST_ACK } from "./svc-probe.js";

const hex = (s: string): Uint8Array => fromHex(s) ?? new Uint8Array();

const SVC_MAC = "0a:00:00:00:00:fe";
const VM1 = { mac: "f0:00:00:00:01:11", ip: "10.0.0.11" };
const VM2 = { mac: "f0:00:00:00:01:12", ip: "10.0.0.12" };

// ovn-controller's probes and reset (source port and sequence number are its random draws).
const C_SYN =
  "f000000001110a00000000fe080045000028000040003f0627c40a0000020a00000be5620050d4f4d5a5000000005002fe880d000000";
const C_UDP =
  "f000000001120a00000000fe080045000024000040003f1127bc0a0000020a00000c7fe40035001000000000000000000000";
const SYN_ACK =
  "0a00000000fef0000000011108004500002800004000400626c40a00000b0a0000020050a1eb000013887f5c4b9d5012ffff1b090000";
const C_RST =
  "f000000001110a00000000fe080045000028000040003f0627c40a0000020a00000ba1eb00507f5c4b9e000013895014fe881c7c0000";

const ends = (vm: { mac: string; ip: string }, srcPort: number, dstPort: number) => ({
  srcMac: SVC_MAC,
  srcIp: "10.0.0.2",
  dstMac: vm.mac,
  dstIp: vm.ip,
  srcPort,
  dstPort,
});

test("probe frames are the real controller's, byte for byte", () => {
  assert.equal(toHex(buildTcpSyn(ends(VM1, 0xe562, 80), 0xd4f4d5a5)), C_SYN);
  assert.equal(toHex(buildUdpProbe(ends(VM2, 0x7fe4, 53))), C_UDP);
  assert.equal(toHex(buildTcpProbe(ends(VM1, 0xa1eb, 80), RST_ACK, 0x7f5c4b9d + 1, 0x1388 + 1)), C_RST);
});

test("replies parse: a SYN-ACK, an ICMP port unreachable quoting a UDP probe", () => {
  const r = parseSvcReply(hex(SYN_ACK));
  assert.ok(r.ok && r.value.kind === "tcp");
  assert.deepEqual(
    [r.value.ip, r.value.port, r.value.probePort, r.value.ack, r.value.flags],
    [VM1.ip, 80, 0xa1eb, 0x7f5c4b9d, 0x12],
  );
  const icmp = hex(
    "0a00000000fef0000000011208004500003800000000400166b80a00000c0a00000203037cd30000000045000024000040003f1127bc0a0000020a00000c7fe4003500100000",
  );
  const u = parseSvcReply(icmp);
  assert.ok(u.ok);
  assert.deepEqual(u.value, { kind: "udp-unreachable", ip: VM2.ip, port: 53, probePort: 0x7fe4 });
});

const spec = (over: Partial<SvcMonitorSpec> = {}): SvcMonitorSpec => ({
  uuid: "u1",
  datapath: 1,
  port: 1,
  protocol: "tcp",
  ip: VM1.ip,
  servicePort: 80,
  srcMac: SVC_MAC,
  srcIp: "10.0.0.2",
  dstMac: VM1.mac,
  intervalMs: 1000,
  timeoutMs: 1000,
  successCount: 1,
  failureCount: 1,
  status: undefined,
  ...over,
});

/** A deterministic "random": the draws cycle through `values`. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

const sends = (a: readonly SvcAction[]) => a.filter((x) => x.kind === "send");
const statuses = (a: readonly SvcAction[]) => a.flatMap((x) => (x.kind === "status" ? [x.status] : []));

/** The SYN-ACK (or other flags) a backend answers the last probe with. */
function answer(probe: Uint8Array, flags: number, ackDelta = 1): Uint8Array {
  const p = parseSvcReply(probe);
  assert.ok(p.ok && p.value.kind === "tcp");
  const b = buildTcpProbe(
    // Parsed as a reply, the probe's source port is `port` and its destination `probePort`.
    {
      srcMac: VM1.mac,
      srcIp: VM1.ip,
      dstMac: SVC_MAC,
      dstIp: "10.0.0.2",
      srcPort: 80,
      dstPort: p.value.port,
    },
    flags,
    5000,
    p.value.seq + ackDelta,
  );
  return b;
}

test("TCP: silence fails, a SYN-ACK succeeds and is reset, a RST fails; next probe an interval after the verdict", () => {
  // Draws that never repeat in this test: every probe has its own source port and sequence number.
  const m = new ServiceMonitors(draws(0.11, 0.23, 0.37, 0.41, 0.53, 0.67, 0.79));
  m.sync([spec()], 0);
  let a = m.run(0);
  assert.equal(sends(a).length, 1, "the first probe goes out at once");
  const p1 = (sends(a)[0] as { packet: Uint8Array }).packet;
  assert.equal(m.nextWake(), 1000);
  assert.deepEqual(m.run(999), []);
  a = m.run(1000);
  assert.deepEqual(statuses(a), ["offline"], "no SYN-ACK by the timeout");
  assert.equal(sends(a).length, 0);
  assert.equal(m.nextWake(), 2000);
  // A late answer to that probe still counts, as the real controller's does.
  const late = m.onReply(answer(p1, 0x12), 1, 1, 1500);
  assert.equal(late.counter, "svc-check-tcp-syn-ack");
  assert.deepEqual(statuses(late.actions), ["online"]);
  assert.equal(m.nextWake(), 2500);
  a = m.run(2500);
  const probe = (sends(a)[0] as { packet: Uint8Array }).packet;
  const r = m.onReply(answer(probe, 0x12), 1, 1, 2600);
  assert.equal(r.counter, "svc-check-tcp-syn-ack");
  assert.deepEqual(statuses(r.actions), [], "already online");
  const rst = parseSvcReply((sends(r.actions)[0] as { packet: Uint8Array }).packet);
  assert.ok(rst.ok && rst.value.kind === "tcp");
  assert.equal(rst.value.flags, RST_ACK);
  assert.equal(m.nextWake(), 3600);
  // Answers to an earlier probe, or not acknowledging this one, or on another port, do not count.
  assert.equal(m.onReply(answer(p1, 0x14), 1, 1, 2700).counter, "drop-svc-check-no-probe");
  const p2 = (sends(m.run(3600))[0] as { packet: Uint8Array }).packet;
  assert.equal(m.onReply(answer(p2, 0x14, 7), 1, 1, 3700).counter, "drop-svc-check-bad-ack");
  assert.equal(m.onReply(answer(p2, 0x12), 2, 1, 3700).counter, "drop-svc-check-no-monitor");
  const r2 = m.onReply(answer(p2, 0x14), 1, 1, 3800);
  assert.equal(r2.counter, "svc-check-tcp-rst");
  assert.deepEqual(statuses(r2.actions), ["offline"]);
  assert.equal(sends(r2.actions).length, 0, "a RST is not answered");
});

test("UDP: silence succeeds, a port unreachable fails", () => {
  const m = new ServiceMonitors(draws(0.5));
  m.sync([spec({ protocol: "udp", ip: VM2.ip, servicePort: 53, dstMac: VM2.mac, port: 2 })], 0);
  const probe = (sends(m.run(0))[0] as { packet: Uint8Array }).packet;
  assert.deepEqual(statuses(m.run(1000)), ["online"]);
  const p = (sends(m.run(2000))[0] as { packet: Uint8Array }).packet;
  assert.deepEqual(p, probe, "one source port for the monitor's life");
  const icmp = hex(
    `0a00000000fe${VM2.mac.replace(/:/g, "")}08004500003800000000400100000a00000c0a0000020303000000000000${toHex(p.slice(14, 42))}`,
  );
  // (the IP checksum is not checked by the parser: the switch already accepted the frame)
  const r = m.onReply(icmp, 1, 2, 2100);
  assert.equal(r.counter, "svc-check-udp-unreachable");
  assert.deepEqual(statuses(r.actions), ["offline"]);
});

test("success_count / failure_count: each tally flips the status when it reaches its count, then starts over", () => {
  // The real controller with both counts at 2, its SYN-ACKs (S) and silences (F) in this order, went
  // offline → online after the 2nd verdict, offline after the 6th, online after the 9th, offline after
  // the 10th, online after the 14th (lb-health.test.ts's set-up, answered by hand).
  const m = new ServiceMonitors(draws(0.5));
  m.sync([spec({ successCount: 2, failureCount: 2, status: "offline" })], 0);
  let t = 0;
  const verdict = (v: string): string[] => {
    const p = (sends(m.run(t))[0] as { packet: Uint8Array }).packet;
    if (v === "F") {
      t += 1000;
      const s = statuses(m.run(t));
      t += 1000;
      return s;
    }
    const s = statuses(m.onReply(answer(p, 0x12), 1, 1, t + 10).actions);
    t += 1010;
    return s;
  };
  const got = [..."SSSFSFSFSFFFSSS"].flatMap((v, i) => verdict(v).map((s) => `${i + 1}:${s}`));
  assert.deepEqual(got, ["2:online", "6:offline", "9:online", "10:offline", "14:online"]);
});

test("sync: removed rows stop, a changed configuration restarts, a status change alone does not", () => {
  const m = new ServiceMonitors(draws(0.5));
  m.sync([spec(), spec({ uuid: "u2", ip: VM2.ip, dstMac: VM2.mac, port: 2 })], 0);
  assert.equal(sends(m.run(0)).length, 2);
  m.sync([spec({ status: "online" })], 10);
  assert.equal(m.size, 1);
  assert.equal(m.nextWake(), 1000, "still waiting for the first probe's answer");
  m.sync([spec({ intervalMs: 5000 })], 20);
  assert.equal(m.nextWake(), 20, "restarted: probes at once");
  m.sync([], 30);
  assert.equal(m.nextWake(), undefined);
  assert.deepEqual(m.run(10_000), []);
});

test("replies: random and truncated bytes are dropped and counted, never thrown", () => {
  const m = new ServiceMonitors(draws(0.5));
  m.sync([spec()], 0);
  const probe = (sends(m.run(0))[0] as { packet: Uint8Array }).packet;
  const good = answer(probe, 0x12);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat(good.length - 1), (junk, cut) => {
      for (const f of [junk, good.slice(0, cut)]) {
        const r = m.onReply(f, 1, 1, 1);
        assert.ok(r.counter.startsWith("drop-svc-check-"), r.counter);
        assert.deepEqual(r.actions, []);
      }
    }),
  );
  assert.equal(m.onReply(good, 1, 1, 2).counter, "svc-check-tcp-syn-ack", "the monitor still works");
});

// IPv6 backends: the real controller's probes to vm1 fd00::11 from fd00::2 (captured in
// test/scenarios/peer/lb-health6.test.ts on the `ref` stack), with the random source port, sequence
// number and checksum zeroed there; ours must equal them with the same bytes zeroed and carry valid checksums.
const V6 = { mac: VM1.mac, ip: "fd00::11" };
const C_SYN6_NORMALISED =
  "f000000001110a00000000fe86dd600000000014063ffd000000000000000000000000000002fd0000000000000000000000000000110000005000000000000000005002fe8800000000";
const C_UDP6_NORMALISED =
  "f000000001110a00000000fe86dd600000000010113ffd000000000000000000000000000002fd00000000000000000000000000001100000035001000000000000000000000";
const zeroed = (f: Uint8Array, at: readonly number[]): string => {
  const b = Uint8Array.from(f);
  for (const i of at) b[i] = 0;
  return toHex(b);
};
const ends6 = (srcPort: number, dstPort: number) => ({ ...ends(V6, srcPort, dstPort), srcIp: "fd00::2" });
const pseudo6 = { src: parseIpv6OrThrow("fd00::2"), dst: parseIpv6OrThrow(V6.ip) };

test("IPv6 probes are the real controller's: hop limit 63, TCP window 65160, UDP with its checksum", () => {
  const syn = buildTcpSyn(ends6(0xe562, 80), 0xd4f4d5a5);
  assert.equal(zeroed(syn, [54, 55, 58, 59, 60, 61, 70, 71]), C_SYN6_NORMALISED);
  assert.ok(tcpChecksumOk(syn.slice(54), pseudo6));
  const udp = buildUdpProbe(ends6(0x7fe4, 53));
  assert.equal(zeroed(udp, [54, 55, 60, 61]), C_UDP6_NORMALISED);
  assert.ok(udpChecksumOk(udp.slice(54), pseudo6));
  assert.notEqual(toHex(udp.slice(60, 62)), "0000");
});

test("IPv6: a SYN-ACK succeeds and is reset over IPv6, an ICMPv6 port unreachable fails a UDP monitor", () => {
  const m = new ServiceMonitors(draws(0, 0.5, 0.999999));
  const v6 = { ip: V6.ip, srcIp: "fd00::2" };
  m.sync([spec(v6), spec({ ...v6, uuid: "u2", protocol: "udp", servicePort: 53 })], 0);
  const [tcpProbe, udpProbe] = sends(m.run(0)).map((a) => (a as { packet: Uint8Array }).packet) as [
    Uint8Array,
    Uint8Array,
  ];
  const p = parseSvcReply(tcpProbe);
  assert.ok(p.ok && p.value.kind === "tcp");
  assert.ok(p.value.port >= 1024 && p.value.port <= 65535, "source ports from 1024 up");
  const synAck = buildTcpProbe(
    { srcMac: V6.mac, srcIp: V6.ip, dstMac: SVC_MAC, dstIp: "fd00::2", srcPort: 80, dstPort: p.value.port },
    0x12,
    5000,
    p.value.seq + 1,
  );
  const r = m.onReply(synAck, 1, 1, 100);
  assert.equal(r.counter, "svc-check-tcp-syn-ack");
  assert.deepEqual(statuses(r.actions), ["online"]);
  const rst = parseSvcReply((sends(r.actions)[0] as { packet: Uint8Array }).packet);
  assert.ok(rst.ok && rst.value.kind === "tcp");
  assert.deepEqual([rst.value.flags, rst.value.ip, rst.value.dstIp], [RST_ACK, "fd00::2", V6.ip]);
  // The backend's kernel quotes the whole probe after 4 unused bytes.
  const body = new Uint8Array(4 + udpProbe.length - 14);
  body.set(udpProbe.slice(14), 4);
  const icmp6 = encodeFrame({
    eth: { dst: SVC_MAC, src: V6.mac, vlans: [], etherType: ETH_TYPE_IPV6, payload: new Uint8Array() },
    l3: {
      kind: "ipv6",
      ip: { ...ownIpv6(64, IP_PROTO_ICMPV6, V6.ip, "fd00::2") },
      l4: { kind: "icmp6", icmp: { type: 1, code: 4, body } },
    },
  });
  const u = m.onReply(icmp6, 1, 1, 200);
  assert.equal(u.counter, "svc-check-udp-unreachable");
  assert.deepEqual(statuses(u.actions), ["offline"]);
  // Another code (address unreachable) is no verdict; nor is a quote cut before the ports.
  const other = Uint8Array.from(icmp6);
  other[55] = 3;
  assert.equal(m.onReply(other, 1, 1, 300).counter, "drop-svc-check-icmp-other");
});
