// The scenario frames decode to what was asked for, with valid checksums (a bad checksum would make
// OVS or the controller drop a frame and a scenario fail for the wrong reason).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DHCP_DISCOVER,
  decodeDhcp4,
  decodeDns,
  decodeNd,
  dhcpMessageType,
  icmp6ChecksumOk,
  ipv4HeaderChecksumOk,
  parseIpv4OrThrow,
  parseIpv6OrThrow,
  tcpChecksumOk,
  udpChecksumOk,
} from "../../src/packet/index.js";
import {
  arpRequest,
  decode,
  describe,
  dhcpDiscover,
  dnsQuery,
  ns6,
  rs6,
  tcp4,
  udp4,
  udpTag,
} from "./frames.js";

const ph4 = (s: string, d: string) => ({ src: parseIpv4OrThrow(s), dst: parseIpv4OrThrow(d) });
const ph6 = (s: string, d: string) => ({ src: parseIpv6OrThrow(s), dst: parseIpv6OrThrow(d) });
const A = { src: "f0:00:00:00:00:01", dst: "f0:00:00:00:00:02", sip: "10.0.0.1", dip: "10.0.0.2" };

test("udp4: fields, tag, VLAN, checksums", () => {
  const f = udp4({ ...A, ttl: 9, tos: 184, sport: 1, dport: 2, tag: 0x1234, vlan: 100 });
  const d = decode(f);
  assert.deepEqual(
    d.eth.vlans.map((v) => v.vid),
    [100],
  );
  assert.ok(d.l3.kind === "ipv4" && d.l3.l4.kind === "udp");
  assert.equal(d.l3.ip.ttl, 9);
  assert.equal(d.l3.ip.tos, 184);
  assert.equal(udpTag(f), 0x1234);
  assert.ok(ipv4HeaderChecksumOk(d.eth.payload.subarray(0, 20)));
  assert.ok(udpChecksumOk(d.l3.ip.payload, ph4(A.sip, A.dip)));
  assert.equal(udpTag(tcp4({ ...A, sport: 1, dport: 2 })), undefined);
  assert.equal(
    describe(f),
    "f0:00:00:00:00:01>f0:00:00:00:00:02 vlan 100 ipv4 10.0.0.1>10.0.0.2 ttl 9 tos 184 udp 1>2",
  );
});

test("tcp4: SYN by default, seq/ack/flags as given, checksum valid", () => {
  const d = decode(tcp4({ ...A, sport: 40000, dport: 80, seq: 7, ack: 9, flags: 0x12 }));
  assert.ok(d.l3.kind === "ipv4" && d.l3.l4.kind === "tcp");
  assert.deepEqual([d.l3.l4.tcp.seq, d.l3.l4.tcp.ack, d.l3.l4.tcp.flags], [7, 9, 0x12]);
  assert.ok(tcpChecksumOk(d.l3.ip.payload, ph4(A.sip, A.dip)));
  const syn = decode(tcp4({ ...A, sport: 1, dport: 2 }));
  assert.ok(syn.l3.kind === "ipv4" && syn.l3.l4.kind === "tcp");
  assert.equal(syn.l3.l4.tcp.flags, 0x02);
});

test("arpRequest: broadcast who-has", () => {
  const d = decode(arpRequest({ sha: A.src, spa: A.sip, tpa: A.dip }));
  assert.equal(d.eth.dst, "ff:ff:ff:ff:ff:ff");
  assert.ok(d.l3.kind === "arp");
  assert.deepEqual([d.l3.arp.op, d.l3.arp.sha, d.l3.arp.spa, d.l3.arp.tpa], [1, A.src, A.sip, A.dip]);
});

test("ns6 and rs6: multicast destinations, hop limit 255, source link-layer option, checksums", () => {
  const ns = decode(ns6({ src: A.src, sip: "fd00::1", target: "fd00::2" }));
  assert.ok(ns.l3.kind === "ipv6" && ns.l3.l4.kind === "icmp6");
  assert.equal(ns.l3.ip.dst, "ff02::1:ff00:2");
  assert.equal(ns.eth.dst, "33:33:ff:00:00:02");
  assert.equal(ns.l3.ip.hopLimit, 255);
  const body = decodeNd(135, ns.l3.l4.icmp.body);
  assert.ok(body.ok && body.value.kind === "ns");
  assert.equal(body.value.target, "fd00::2");
  assert.ok(icmp6ChecksumOk(ns.l3.ip.payload, ph6("fd00::1", "ff02::1:ff00:2")));
  const rs = decode(rs6({ src: A.src, sip: "fe80::1" }));
  assert.ok(rs.l3.kind === "ipv6" && rs.l3.l4.kind === "icmp6");
  assert.equal(rs.l3.ip.dst, "ff02::2");
  assert.equal(rs.l3.l4.icmp.type, 133);
});

test("dhcpDiscover and dnsQuery decode as such", () => {
  const dh = decode(dhcpDiscover({ mac: A.src, xid: 77 }));
  assert.ok(dh.l3.kind === "ipv4" && dh.l3.l4.kind === "udp");
  assert.equal(dh.l3.ip.dst, "255.255.255.255");
  const m = decodeDhcp4(dh.l3.l4.udp.payload);
  assert.ok(m.ok);
  assert.equal(m.value.xid, 77);
  assert.equal(dhcpMessageType(m.value), DHCP_DISCOVER);
  const dq = decode(dnsQuery({ ...A, id: 5, name: "a.example" }));
  assert.ok(dq.l3.kind === "ipv4" && dq.l3.l4.kind === "udp");
  assert.equal(dq.l3.l4.udp.dstPort, 53);
  const q = decodeDns(dq.l3.l4.udp.payload);
  assert.ok(q.ok);
  assert.deepEqual(q.value.questions, [{ name: "a.example", type: 1, class: 1 }]);
});
