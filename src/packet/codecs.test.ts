import assert from "node:assert/strict";
import { test } from "node:test";
import { CAPTURES, capture } from "./fixtures/captures.js";
import {
  DHCP_NAK,
  DHCP_OFFER,
  DHCP6_ADVERTISE,
  DHCP6_OPT_IA_NA,
  DNS_TYPE_A,
  decodeArp,
  decodeDhcp4,
  decodeDhcp6,
  decodeDns,
  decodeDomainList,
  decodeFrame,
  decodeIa,
  decodeIaAddress,
  decodeIpv4Options,
  decodeNd,
  dhcp6Option,
  dhcpMessageType,
  encodeFrame,
  type Frame,
  formatIpv6,
  fromHex,
  icmp4ChecksumOk,
  icmp6ChecksumOk,
  ipv4HeaderChecksumOk,
  parseIpv4OrThrow,
  parseIpv6,
  parseIpv6OrThrow,
  tcpChecksumOk,
  toHex,
  udpChecksumOk,
  withoutChecksums,
} from "./index.js";

function frame(name: string): Frame {
  const bytes = fromHex(capture(name).hex);
  assert.ok(bytes !== undefined);
  const f = decodeFrame(bytes);
  assert.ok(f.ok, `${name}: ${f.ok ? "" : f.error}`);
  return f.value;
}

test("every capture decodes and re-encodes byte for byte", () => {
  for (const c of CAPTURES) {
    const bytes = fromHex(c.hex);
    assert.ok(bytes !== undefined, c.name);
    const f = decodeFrame(bytes);
    assert.ok(f.ok, `${c.name}: ${f.ok ? "" : f.error}`);
    assert.equal(toHex(encodeFrame(f.value)), c.hex, c.name);
  }
});

test("recomputed checksums equal the captured ones (and verify)", () => {
  for (const c of CAPTURES) {
    const f = frame(c.name);
    // Replies captured before OVS filled a UDP checksum over IPv4 carry 0 ("none"): skip those.
    if (f.l3.kind === "ipv4" && f.l3.l4.kind === "udp" && f.l3.l4.udp.checksum === 0) continue;
    // The kernel leaves UDP/TCP checksums to offload on a veth: what the socket saw is only partial.
    const l4 = f.l3.kind === "ipv4" || f.l3.kind === "ipv6" ? f.l3.l4.kind : "";
    if (c.source === "linux-veth" && (l4 === "udp" || l4 === "tcp")) continue;
    assert.equal(toHex(encodeFrame(withoutChecksums(f))), c.hex, c.name);
    const ip = f.l3;
    if (ip.kind === "ipv4") {
      const bytes = fromHex(c.hex) ?? new Uint8Array();
      assert.ok(ipv4HeaderChecksumOk(bytes.subarray(14 + 4 * f.eth.vlans.length)), c.name);
      const ph = { src: parseIpv4OrThrow(ip.ip.src), dst: parseIpv4OrThrow(ip.ip.dst) };
      if (ip.l4.kind === "udp") assert.ok(udpChecksumOk(ip.ip.payload, ph), c.name);
      if (ip.l4.kind === "tcp") assert.ok(tcpChecksumOk(ip.ip.payload, ph), c.name);
      if (ip.l4.kind === "icmp4") assert.ok(icmp4ChecksumOk(ip.ip.payload), c.name);
    }
    if (ip.kind === "ipv6") {
      const ph = { src: parseIpv6OrThrow(ip.ip.src), dst: parseIpv6OrThrow(ip.ip.dst) };
      if (ip.l4.kind === "icmp6") assert.ok(icmp6ChecksumOk(ip.ip.payload, ph), c.name);
      if (ip.l4.kind === "udp") assert.ok(udpChecksumOk(ip.ip.payload, ph), c.name);
    }
  }
});

test("ARP request from the kernel", () => {
  const f = frame("kernel_arp_request");
  assert.equal(f.eth.dst, "ff:ff:ff:ff:ff:ff");
  assert.ok(f.l3.kind === "arp");
  assert.deepEqual(
    { op: f.l3.arp.op, sha: f.l3.arp.sha, spa: f.l3.arp.spa, tpa: f.l3.arp.tpa },
    { op: 1, sha: "50:54:00:00:00:0a", spa: "192.168.7.1", tpa: "192.168.7.2" },
  );
  assert.equal(decodeArp(new Uint8Array(27)).ok, false);
});

test("MLDv2 report: the hop-by-hop header is skipped to reach ICMPv6", () => {
  const f = frame("kernel_mld_report_b");
  assert.ok(f.l3.kind === "ipv6");
  assert.deepEqual(
    f.l3.ip.extensions.map((e) => [e.type, e.bytes.length]),
    [[0, 8]],
  );
  assert.equal(f.l3.ip.protocol, 58);
  assert.ok(f.l3.l4.kind === "icmp6");
  assert.equal(f.l3.l4.icmp.type, 143);
});

test("router advertisement from ovn-controller: every option typed", () => {
  const f = frame("ovn_rs_reply");
  assert.ok(f.l3.kind === "ipv6" && f.l3.l4.kind === "icmp6");
  const nd = decodeNd(f.l3.l4.icmp.type, f.l3.l4.icmp.body);
  assert.ok(nd.ok && nd.value.kind === "ra");
  assert.equal(nd.value.routerLifetime, 0xffff);
  assert.deepEqual(nd.value.options, [
    { kind: "sll", mac: "00:00:00:00:ff:01" },
    { kind: "mtu", mtu: 1450 },
    { kind: "rdnss", lifetime: 0xffffffff, servers: ["2001:db8::53"] },
    { kind: "dnssl", lifetime: 0xffffffff, domains: ["example.org"] },
    {
      kind: "prefix",
      prefixLength: 64,
      flags: 0xc0,
      validLifetime: 0xffffffff,
      preferredLifetime: 0xffffffff,
      prefix: "2001:db8::",
    },
  ]);
});

test("DHCP OFFER and NAK from ovn-controller", () => {
  const offer = frame("ovn_dhcp_discover_reply");
  assert.ok(offer.l3.kind === "ipv4" && offer.l3.l4.kind === "udp");
  const d = decodeDhcp4(offer.l3.l4.udp.payload);
  assert.ok(d.ok);
  assert.equal(dhcpMessageType(d.value), DHCP_OFFER);
  assert.equal(d.value.yiaddr, "10.0.0.10");
  assert.deepEqual(
    d.value.options.map((o) => o.code),
    [53, 6, 15, 51, 26, 1, 3, 54, 0, 0, 0, 0, 255],
  );
  assert.equal(d.value.trailer.length, 4);
  const nak = frame("ovn_dhcp_request_wrong_reply");
  assert.ok(nak.l3.kind === "ipv4" && nak.l3.l4.kind === "udp");
  const n = decodeDhcp4(nak.l3.l4.udp.payload);
  assert.ok(n.ok);
  assert.equal(dhcpMessageType(n.value), DHCP_NAK);
});

test("DHCPv6 ADVERTISE: IA_NA with its address", () => {
  const f = frame("ovn_dhcp6_solicit_reply");
  assert.ok(f.l3.kind === "ipv6" && f.l3.l4.kind === "udp");
  const m = decodeDhcp6(f.l3.l4.udp.payload);
  assert.ok(m.ok && m.value.kind === "client");
  assert.equal(m.value.msgType, DHCP6_ADVERTISE);
  assert.deepEqual(
    m.value.options.map((o) => o.code),
    [1, 3, 23, 24, 2],
  );
  const ia = decodeIa(dhcp6Option(m.value.options, DHCP6_OPT_IA_NA) ?? new Uint8Array());
  assert.ok(ia.ok);
  assert.equal(ia.value.iaid, 0x01020304);
  const addr = decodeIaAddress(ia.value.options[0]?.data ?? new Uint8Array());
  assert.ok(addr.ok);
  assert.equal(addr.value.address, "2001:db8::10");
  // OVN 23.03 sends the domain_search string as one label, dot included.
  const dl = decodeDomainList(dhcp6Option(m.value.options, 24) ?? new Uint8Array());
  assert.deepEqual(dl, { ok: true, value: ["example\\.org"] });
});

test("DNS answer from ovn-controller", () => {
  const f = frame("ovn_dns_a_reply");
  assert.ok(f.l3.kind === "ipv4" && f.l3.l4.kind === "udp");
  const m = decodeDns(f.l3.l4.udp.payload);
  assert.ok(m.ok);
  assert.equal(m.value.flags, 0x8100);
  assert.deepEqual(m.value.answers, [
    {
      name: "vm1.example.org",
      type: DNS_TYPE_A,
      class: 1,
      ttl: 3600,
      data: { kind: "a", address: "10.0.0.10" },
    },
  ]);
});

test("DNS name compression is followed on decode; loops fail", () => {
  // Question vm1.example.org, answer name is a pointer to offset 12 (the question's name).
  const q = "03766d31076578616d706c65036f72670000010001";
  const msg = fromHex(`123481800001000100000000${q}c00c000100010000003c00040a00000a`) ?? new Uint8Array();
  const m = decodeDns(msg);
  assert.ok(m.ok);
  assert.equal(m.value.answers[0]?.name, "vm1.example.org");
  const loop = fromHex("123481800001000000000000c00c00010001") ?? new Uint8Array();
  assert.deepEqual(decodeDns(loop), { ok: false, error: "domain name pointer loop", truncated: false });
});

test("IPv4 options are listed", () => {
  const r = decodeIpv4Options(Uint8Array.of(1, 7, 7, 4, 0, 0, 0, 0, 0, 0));
  assert.ok(r.ok);
  assert.deepEqual(
    r.value.map((o) => [o.type, o.data.length]),
    [
      [1, 0],
      [7, 5],
    ],
  );
  assert.deepEqual(decodeIpv4Options(Uint8Array.of(7, 9, 4)), {
    ok: false,
    error: "IPv4 option 7 needs 9 bytes, got 3",
    truncated: true,
  });
});

test("IPv6 text forms are RFC 5952", () => {
  const cases: [string, string][] = [
    ["2001:db8:0:0:0:0:0:1", "2001:db8::1"],
    ["::", "::"],
    ["::1", "::1"],
    ["fe80::200:ff:fe00:ff01", "fe80::200:ff:fe00:ff01"],
    ["2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"],
    ["::ffff:10.0.0.1", "::ffff:a00:1"],
  ];
  for (const [input, want] of cases) {
    const b = parseIpv6(input);
    assert.ok(b !== undefined, input);
    assert.equal(formatIpv6(b), want);
  }
  for (const bad of [":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::"])
    assert.equal(parseIpv6(bad), undefined);
});
