// Property tests: no decoder throws on any bytes; every prefix of a real frame that cuts into its IP
// packet reports truncation; whatever decodes re-encodes to the same bytes; typed values survive
// encode → decode.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CAPTURES } from "./fixtures/captures.js";
import {
  type Dhcp4Message,
  type Dhcp6Message,
  type DhcpOption,
  type DnsMessage,
  type DnsRecord,
  decodeArp,
  decodeDhcp4,
  decodeDhcp6,
  decodeDns,
  decodeDnsServers,
  decodeDomainList,
  decodeEthernet,
  decodeFrame,
  decodeIa,
  decodeIaAddress,
  decodeIaPrefix,
  decodeIcmp4,
  decodeIcmp6,
  decodeIpv4,
  decodeIpv4Options,
  decodeIpv6,
  decodeNd,
  decodeTcp,
  decodeUdp,
  encodeDhcp4,
  encodeDhcp6,
  encodeDns,
  encodeFrame,
  encodeNd,
  type Frame,
  formatIpv4,
  formatIpv6,
  formatMac,
  fromHex,
  type NdMessage,
  ndType,
  toHex,
} from "./index.js";

const decoders: [string, (b: Uint8Array) => unknown][] = [
  ["frame", decodeFrame],
  ["ethernet", decodeEthernet],
  ["arp", decodeArp],
  ["ipv4", decodeIpv4],
  ["ipv4 options", decodeIpv4Options],
  ["ipv6", decodeIpv6],
  ["icmp4", decodeIcmp4],
  ["icmp6", decodeIcmp6],
  ["nd rs", (b) => decodeNd(133, b)],
  ["nd ra", (b) => decodeNd(134, b)],
  ["nd ns", (b) => decodeNd(135, b)],
  ["nd na", (b) => decodeNd(136, b)],
  ["udp", decodeUdp],
  ["tcp", decodeTcp],
  ["dhcp4", decodeDhcp4],
  ["dhcp6", decodeDhcp6],
  ["ia", decodeIa],
  ["iaaddr", decodeIaAddress],
  ["iaprefix", decodeIaPrefix],
  ["dns servers", decodeDnsServers],
  ["domain list", decodeDomainList],
  ["dns", decodeDns],
];

const captures = CAPTURES.map((c) => fromHex(c.hex) ?? new Uint8Array());

test("no decoder throws on random bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
      for (const [, d] of decoders) d(b);
    }),
    { numRuns: 2000 },
  );
});

test("no decoder throws on mutated captures; what decodes as a frame re-encodes identically", () => {
  const mutated = fc
    .record({
      i: fc.nat(captures.length - 1),
      flips: fc.array(fc.record({ at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ i, flips, cut }) => {
      const b = (captures[i] ?? new Uint8Array()).slice();
      for (const f of flips) if (b.length > 0) b[f.at % b.length] = f.v;
      return cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
    });
  fc.assert(
    fc.property(mutated, (b) => {
      for (const [, d] of decoders) d(b);
      for (let off = 14; off < Math.min(b.length, 80); off += 13)
        for (const [, d] of decoders) d(b.subarray(off));
      const f = decodeFrame(b);
      if (f.ok) assert.equal(toHex(encodeFrame(f.value)), toHex(b));
    }),
    { numRuns: 3000 },
  );
});

test("every prefix of a capture that cuts into the IP packet is reported as truncated", () => {
  for (const [k, bytes] of captures.entries()) {
    const f = decodeFrame(bytes);
    assert.ok(f.ok);
    const l3 = f.value.l3;
    if (l3.kind !== "ipv4" && l3.kind !== "ipv6") continue;
    const ipEnd = bytes.length - l3.ip.trailer.length;
    for (let n = 0; n < ipEnd; n++) {
      const r = decodeFrame(bytes.subarray(0, n));
      assert.ok(!r.ok && r.truncated, `${CAPTURES[k]?.name} cut at ${n}: ${JSON.stringify(r)}`);
    }
  }
});

// ---- structured round trips ----

const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map(formatMac);
const ip4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map(formatIpv4);
const ip6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIpv6);
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const name = fc.array(label, { maxLength: 4 }).map((l) => l.join("."));

test("frames: encode → decode → encode is stable", () => {
  const udp = fc.record({ srcPort: u16, dstPort: u16, payload: bytes(40) });
  const l4v4 = fc.oneof(
    udp.map((u) => ({ kind: "udp" as const, udp: u })),
    fc
      .record({ type: u8, code: u8, rest: u32, data: bytes(40) })
      .map((icmp) => ({ kind: "icmp4" as const, icmp })),
  );
  const frame = fc.record({
    dst: mac,
    src: mac,
    vlan: fc.option(fc.integer({ min: 0, max: 4095 })),
    l4: l4v4,
    a: ip4,
    b: ip4,
    ttl: u8,
  });
  fc.assert(
    fc.property(frame, (g) => {
      const f: Frame = {
        eth: {
          dst: g.dst,
          src: g.src,
          vlans: g.vlan === null ? [] : [{ tpid: 0x8100, pcp: 0, dei: false, vid: g.vlan }],
          etherType: 0x0800,
          payload: new Uint8Array(),
        },
        l3: {
          kind: "ipv4",
          ip: {
            tos: 0,
            ident: 1,
            flags: 2,
            fragOffset: 0,
            ttl: g.ttl,
            protocol: g.l4.kind === "udp" ? 17 : 1,
            src: g.a,
            dst: g.b,
            options: new Uint8Array(),
            payload: new Uint8Array(),
            trailer: new Uint8Array(),
          },
          l4: g.l4,
        },
      };
      const wire = encodeFrame(f);
      const back = decodeFrame(wire);
      assert.ok(back.ok);
      assert.ok(back.value.l3.kind === "ipv4");
      assert.deepEqual(back.value.eth.vlans, f.eth.vlans);
      assert.equal(back.value.l3.ip.src, g.a);
      assert.equal(back.value.l3.l4.kind, g.l4.kind);
      assert.equal(toHex(encodeFrame(back.value)), toHex(wire));
    }),
  );
});

test("DNS messages round-trip", () => {
  const rdata = fc.oneof(
    ip4.map((address) => ({ kind: "a" as const, address })),
    ip6.map((address) => ({ kind: "aaaa" as const, address })),
    name.map((n) => ({ kind: "name" as const, name: n })),
  );
  const typeOf = { a: 1, aaaa: 28, name: 12 } as const;
  const rr: fc.Arbitrary<DnsRecord> = fc
    .record({ name, ttl: u32, data: rdata })
    .map((r) => ({ name: r.name, type: typeOf[r.data.kind], class: 1, ttl: r.ttl, data: r.data }));
  const msg: fc.Arbitrary<DnsMessage> = fc.record({
    id: u16,
    flags: u16,
    questions: fc.array(fc.record({ name, type: u16, class: u16 }), { maxLength: 3 }),
    answers: fc.array(rr, { maxLength: 3 }),
    authorities: fc.array(rr, { maxLength: 2 }),
    additionals: fc.array(rr, { maxLength: 2 }),
  });
  fc.assert(
    fc.property(msg, (m) =>
      assert.deepEqual(decodeDns(encodeDns(m)), { ok: true, value: structuredClone(m) }),
    ),
  );
});

test("DHCPv4 messages round-trip", () => {
  const opt: fc.Arbitrary<DhcpOption> = fc.oneof(
    fc.constant({ code: 0, data: new Uint8Array() }),
    fc.record({ code: fc.integer({ min: 1, max: 254 }), data: bytes(20) }),
  );
  const msg: fc.Arbitrary<Dhcp4Message> = fc.record({
    op: u8,
    htype: u8,
    hlen: u8,
    hops: u8,
    xid: u32,
    secs: u16,
    flags: u16,
    ciaddr: ip4,
    yiaddr: ip4,
    siaddr: ip4,
    giaddr: ip4,
    chaddr: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    sname: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    file: fc.uint8Array({ minLength: 128, maxLength: 128 }),
    cookie: fc.constant(true),
    options: fc.array(opt, { maxLength: 8 }).map((o) => [...o, { code: 255, data: new Uint8Array() }]),
    trailer: bytes(8),
  });
  fc.assert(
    fc.property(msg, (m) =>
      assert.deepEqual(decodeDhcp4(encodeDhcp4(m)), { ok: true, value: structuredClone(m) }),
    ),
  );
});

test("DHCPv6 messages round-trip", () => {
  const opts = fc.array(fc.record({ code: u16, data: bytes(24) }), { maxLength: 6 });
  const msg: fc.Arbitrary<Dhcp6Message> = fc.oneof(
    fc.record({
      kind: fc.constant("client" as const),
      msgType: fc.integer({ min: 1, max: 11 }),
      transactionId: fc.integer({ min: 0, max: 0xffffff }),
      options: opts,
    }),
    fc.record({
      kind: fc.constant("relay" as const),
      msgType: fc.constantFrom(12, 13),
      hopCount: u8,
      linkAddress: ip6,
      peerAddress: ip6,
      options: opts,
    }),
  );
  fc.assert(
    fc.property(msg, (m) =>
      assert.deepEqual(decodeDhcp6(encodeDhcp6(m)), { ok: true, value: structuredClone(m) }),
    ),
  );
});

test("ND messages round-trip", () => {
  const option = fc.oneof(
    mac.map((m) => ({ kind: "sll" as const, mac: m })),
    mac.map((m) => ({ kind: "tll" as const, mac: m })),
    u32.map((mtu) => ({ kind: "mtu" as const, mtu })),
    fc.record({
      kind: fc.constant("rdnss" as const),
      lifetime: u32,
      servers: fc.array(ip6, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant("dnssl" as const),
      lifetime: u32,
      domains: fc.array(
        name.filter((n) => n !== ""),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fc.record({
      kind: fc.constant("prefix" as const),
      prefixLength: u8,
      flags: u8,
      validLifetime: u32,
      preferredLifetime: u32,
      prefix: ip6,
    }),
  );
  const options = fc.array(option, { maxLength: 4 });
  const msg: fc.Arbitrary<NdMessage> = fc.oneof(
    fc.record({ kind: fc.constant("rs" as const), reserved: u32, options }),
    fc.record({ kind: fc.constant("ns" as const), reserved: u32, target: ip6, options }),
    fc.record({ kind: fc.constant("na" as const), flags: u32, target: ip6, options }),
    fc.record({
      kind: fc.constant("ra" as const),
      curHopLimit: u8,
      flags: u8,
      routerLifetime: u16,
      reachableTime: u32,
      retransTimer: u32,
      options,
    }),
  );
  fc.assert(
    fc.property(msg, (m) =>
      assert.deepEqual(decodeNd(ndType(m), encodeNd(m)), { ok: true, value: structuredClone(m) }),
    ),
  );
});
