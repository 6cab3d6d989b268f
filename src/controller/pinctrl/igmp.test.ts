// IGMP/MLD: reports and leaves of every version decode to the changes they carry; the decoders are
// total (random and cut bytes never throw, cut reports say truncated, corrupted checksums are refused);
// the snooping table joins, refreshes, leaves, expires and respects table_size; the queries decode as
// queries with the settings' sources.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeEthernet } from "../../packet/ethernet.js";
import { decodeIpv6 } from "../../packet/ipv6.js";
import { decodeIgmp, decodeMembership, type MembershipChange, recordOp } from "./igmp.js";
import { codeOf, igmpGeneralQuery, mldGeneralQuery } from "./igmp-query.js";
import { igmpv2Message, igmpv3Report, ipv4McastMac, mldv1Message, mldv2Report } from "./igmp-report.js";
import { DEFAULT_SNOOP, learnableGroup, type SnoopConfig, SnoopTable } from "./igmp-snoop.js";
import { decodeMld } from "./mld.js";

const HOST = { mac: "0a:00:00:00:00:01", ip4: "10.0.0.1", ip6: "fe80::801:ff:fe00:1" };
const join = (group: string): MembershipChange => ({ op: "join", group });
const leave = (group: string): MembershipChange => ({ op: "leave", group });

test("reports and leaves of IGMPv2/v3 and MLDv1/v2 decode to their changes", () => {
  const cases: [string, Uint8Array, 4 | 6, MembershipChange[]][] = [
    [
      "IGMPv3",
      igmpv3Report(HOST, [join("239.1.1.1"), leave("239.2.2.2")]),
      4,
      [join("239.1.1.1"), leave("239.2.2.2")],
    ],
    ["IGMPv2 report", igmpv2Message(HOST, join("239.1.1.1")), 4, [join("239.1.1.1")]],
    ["IGMPv2 leave", igmpv2Message(HOST, leave("239.1.1.1")), 4, [leave("239.1.1.1")]],
    [
      "MLDv2",
      mldv2Report(HOST, [join("ff0e::1234"), leave("ff05::1")]),
      6,
      [join("ff0e::1234"), leave("ff05::1")],
    ],
    ["MLDv1 report", mldv1Message(HOST, join("ff0e::1234")), 6, [join("ff0e::1234")]],
    ["MLDv1 done", mldv1Message(HOST, leave("ff0e::1234")), 6, [leave("ff0e::1234")]],
  ];
  for (const [what, frame, family, changes] of cases)
    assert.deepEqual(decodeMembership(frame), { ok: true, value: { kind: "report", family, changes } }, what);
  assert.equal(ipv4McastMac("239.129.2.3"), "01:00:5e:01:02:03");
});

test("IGMPv1 reports, v3 record types and source lists", () => {
  // v1 report: type 0x12, checksum over the 8 bytes.
  const v1 = Uint8Array.of(0x12, 0, 0, 0, 239, 1, 1, 1);
  const ck = 0xffff - ((0x1200 + 0xef01 + 0x0101) % 0xffff);
  v1[2] = ck >> 8;
  v1[3] = ck & 0xff;
  assert.deepEqual(decodeIgmp(v1), {
    ok: true,
    value: { kind: "report", family: 4, changes: [join("239.1.1.1")] },
  });
  assert.equal(recordOp(1, 0), "leave"); // IS_INCLUDE {}
  assert.equal(recordOp(1, 2), "join"); // IS_INCLUDE {S1, S2}
  assert.equal(recordOp(2, 0), "join"); // IS_EXCLUDE {}
  assert.equal(recordOp(3, 0), "leave"); // TO_INCLUDE {}
  assert.equal(recordOp(4, 0), "join"); // TO_EXCLUDE {}
  assert.equal(recordOp(5, 1), "join"); // ALLOW
  assert.equal(recordOp(6, 1), "join"); // BLOCK keeps the group
  assert.equal(recordOp(7, 0), undefined);
});

test("bad bytes: wrong checksums, unknown types and other protocols are refused", () => {
  const f = igmpv3Report(HOST, [join("239.1.1.1")]);
  const bad = f.slice();
  bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1; // the group's last byte, under the checksum
  const r = decodeMembership(bad);
  assert.ok(!r.ok && r.error === "IGMP checksum");
  const m = mldv2Report(HOST, [join("ff0e::1")]);
  const badM = m.slice();
  badM[badM.length - 1] = (badM[badM.length - 1] ?? 0) ^ 1;
  const rm = decodeMembership(badM);
  assert.ok(!rm.ok && rm.error === "MLD checksum");
  assert.ok(!decodeMembership(new Uint8Array(14)).ok);
});

test("property: the decoders never throw; every cut report is truncated", () => {
  const group4 = fc
    .tuple(fc.integer({ min: 224, max: 239 }), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((o) => o.join("."));
  const change4 = fc.record({ op: fc.constantFrom<"join" | "leave">("join", "leave"), group: group4 });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      decodeMembership(b);
      decodeIgmp(b);
      decodeMld(b);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.array(change4, { minLength: 1, maxLength: 8 }), fc.nat(), (generated, at) => {
      const changes = generated.map((c) => ({ op: c.op, group: c.group }));
      const frame = igmpv3Report(HOST, changes);
      const whole = decodeMembership(frame);
      assert.deepEqual(whole, { ok: true, value: { kind: "report", family: 4, changes } });
      // Cut inside the IP packet: the IP layer (or IGMP) says the bytes ended early.
      const cut = 14 + (at % (frame.length - 14));
      const r = decodeMembership(frame.subarray(0, cut));
      assert.ok(!r.ok && r.truncated, `cut at ${cut}: ${JSON.stringify(r)}`);
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.nat(), (noise, at) => {
      // Random bytes in place of part of a valid report never throw.
      const frame = mldv2Report(HOST, [join("ff0e::1"), join("ff05::2")]);
      const pos = at % frame.length;
      frame.set(noise.subarray(0, frame.length - pos), pos);
      decodeMembership(frame);
    }),
    { numRuns: 1000 },
  );
});

const CFG: SnoopConfig = { ...DEFAULT_SNOOP, enabled: true, idleTimeout: 10, tableSize: 2 };

test("snooping table: join, refresh, leave, expiry, table_size, link-local groups", () => {
  const t = new SnoopTable();
  const rep = (changes: MembershipChange[]) => ({ kind: "report" as const, family: 4 as const, changes });
  assert.deepEqual(t.apply(1, 5, rep([join("239.1.1.1")]), CFG, 0), {
    changed: true,
    counter: "igmp-report-v4",
  });
  assert.equal(t.apply(1, 6, rep([join("239.1.1.1")]), CFG, 1000).changed, true);
  assert.equal(t.apply(1, 5, rep([join("239.1.1.1")]), CFG, 5000).changed, false); // refresh only
  assert.deepEqual(t.groups(), [{ datapath: 1, group: "239.1.1.1", ports: [5, 6] }]);
  assert.equal(t.nextExpiry(), 11_000);
  // 224.0.0.x and ff02::1 are never learned; table_size = 2 refuses a third group.
  assert.equal(t.apply(1, 5, rep([join("224.0.0.251")]), CFG, 0).changed, false);
  assert.equal(learnableGroup("ff02::1"), false);
  assert.equal(learnableGroup("ff02::1:ff00:1"), true);
  assert.equal(learnableGroup("10.0.0.1"), false);
  assert.equal(t.apply(1, 5, rep([join("239.2.2.2")]), CFG, 0).changed, true);
  assert.deepEqual(t.apply(1, 5, rep([join("239.3.3.3")]), CFG, 0), {
    changed: false,
    counter: "igmp-table-full",
  });
  // Leave drops at once; expiry drops the rest in time.
  assert.equal(t.apply(1, 6, rep([leave("239.1.1.1")]), CFG, 2000).changed, true);
  assert.equal(t.expire(10_999), true); // 239.2.2.2 (joined at 0) went at 10 s
  assert.deepEqual(t.groups(), [{ datapath: 1, group: "239.1.1.1", ports: [5] }]);
  assert.equal(t.expire(15_000), true);
  assert.deepEqual(t.groups(), []);
  assert.equal(t.nextExpiry(), undefined);
  // Disabled snooping learns nothing.
  assert.equal(t.apply(2, 5, rep([join("239.1.1.1")]), { ...CFG, enabled: false }, 0).changed, false);
  t.apply(3, 5, rep([join("239.1.1.1")]), CFG, 0);
  assert.equal(
    t.retain((dp) => dp !== 3),
    true,
  );
  assert.deepEqual(t.groups(), []);
});

test("queries: their port becomes a multicast router port for 180 s, renewed by each query; MLD from :: teaches nothing", () => {
  const t = new SnoopTable();
  assert.deepEqual(t.apply(2, 5, { kind: "query", family: 4 }, CFG, 0), {
    changed: true,
    counter: "igmp-query-v4",
  });
  assert.equal(t.apply(2, 5, { kind: "query", family: 6 }, CFG, 60_000).changed, false, "renewed only");
  assert.equal(t.apply(2, 7, { kind: "query", family: 6, unspecified: true }, CFG, 0).changed, false);
  assert.equal(t.apply(2, 8, { kind: "query", family: 4 }, { ...CFG, enabled: false }, 0).changed, false);
  assert.deepEqual([t.mrouters(2), t.mrouters(1)], [[5], []]);
  assert.deepEqual(t.groups(), [], "a router port is no group member");
  assert.equal(t.nextExpiry(), 240_000);
  assert.equal(t.expire(239_999), false);
  assert.equal(t.expire(240_000), true);
  assert.deepEqual(t.mrouters(2), []);
  assert.equal(t.nextExpiry(), undefined);
  t.apply(3, 5, { kind: "query", family: 4 }, CFG, 0);
  assert.equal(
    t.retain((dp) => dp !== 3),
    true,
  );
  assert.deepEqual(t.mrouters(3), []);
});

test("general queries: byte for byte ovn-controller 23.03's, decoded back as queries", () => {
  // Captured on vm2 of test/scenarios/peer/igmp.test.ts on the `ref` stack (IGMP_DUMP=1), with
  // mcast_eth_src 0a:00:00:00:05:00, mcast_ip4_src 10.0.0.254, mcast_ip6_src fe80::254 and
  // mcast_query_max_response 1, then 3.
  const cfg: SnoopConfig = {
    ...DEFAULT_SNOOP,
    enabled: true,
    ethSrc: "0a:00:00:00:05:00",
    ip4Src: "10.0.0.254",
    ip6Src: "fe80::254",
    queryInterval: 2,
    queryMaxResp: 1,
  };
  const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString("hex");
  assert.equal(
    hex(igmpGeneralQuery(cfg)),
    "01005e0000010a00000005000800450000200000400001028edd0a0000fee0000001110aeeeb00000000000a0000",
  );
  const cfg3 = { ...cfg, queryMaxResp: 3 };
  assert.equal(
    hex(igmpGeneralQuery(cfg3)),
    "01005e0000010a00000005000800450000200000400001028edd0a0000fee0000001111eeec300000000001e0000",
  );
  assert.equal(
    hex(mldGeneralQuery(cfg3)),
    "3333000000000a000000050086dd6000000000240001fe800000000000000000000000000254ff020000000000000000000000000001" +
      "3a00050200000000820072150bb800000000000000000000000000000000000000030000",
  );
  const q4 = igmpGeneralQuery(cfg);
  const q6 = mldGeneralQuery(cfg);
  assert.ok(q4 !== undefined && q6 !== undefined);
  assert.deepEqual(decodeMembership(q4), { ok: true, value: { kind: "query", family: 4 } });
  assert.deepEqual(decodeMembership(q6), { ok: true, value: { kind: "query", family: 6 } });
  const fromAny = mldGeneralQuery({ ...cfg, ip6Src: "::" });
  assert.ok(fromAny !== undefined);
  assert.deepEqual(decodeMembership(fromAny), {
    ok: true,
    value: { kind: "query", family: 6, unspecified: true },
  });
  const e6 = decodeEthernet(q6);
  assert.ok(e6.ok);
  const ip6 = decodeIpv6(e6.value.payload);
  assert.ok(
    ip6.ok && ip6.value.src === "fe80::254" && ip6.value.dst === "ff02::1" && ip6.value.hopLimit === 1,
  );
  // Max Resp Codes from 128 up take the floating-point form (RFC 3376 §4.1.1).
  assert.equal(codeOf(150, 3, 4, 8), 0x80 | (0 << 4) | ((150 >> 3) - 16));
  assert.equal(codeOf(100, 3, 4, 8), 100);
  assert.equal(igmpGeneralQuery({ ...cfg, ip4Src: "" }), undefined);
  assert.equal(mldGeneralQuery({ ...cfg, ethSrc: "" }), undefined);
});
