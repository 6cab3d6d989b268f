// dns_lookup's answer as bytes (dnsAnswer), on the cases where ovn-controller 23.03's answer is not
// what a DNS server would send (each observed in peer/actions-diff.test.ts, diff-probes-dns.ts): the
// query is copied whole and the answers appended after it, the class is IN whatever was asked, a PTR
// answer is the record value as one name, addresses are read up to the first word that is not one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex } from "../../packet/bytes.js";
import { internetChecksum } from "../../packet/checksum.js";
import { encodeDomainName } from "../../packet/dns-name.js";
import { dnsAnswer, leadingAddresses, ptrName } from "./dns.js";
import { baseHeaderChecksum } from "./packet-util.js";

const RECORDS = new Map([
  ["vm2.ovn.test", "10.0.0.12 fd00::12"],
  ["vm5.ovn.test", "fd00::15 10.0.0.15/24 10.0.0.16 x 10.0.0.17"],
  ["15.0.0.10.in-addr.arpa", "vm5.ovn.test."],
  ["junk.ovn.test", "junk 10.0.0.18"],
]);

const w = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const msg = (flags: number, counts: number[], rest: number[]) =>
  Uint8Array.from([0x12, 0x34, ...w(flags), ...counts.flatMap(w), ...rest]);
const q = (name: string, type: number, cls = 1) => [...encodeDomainName(name), ...w(type), ...w(cls)];
/** An answer record as C appends it: the question's name bytes, type, class IN, TTL 3600, data. */
const rr = (name: string, type: number, data: number[]) => [
  ...encodeDomainName(name),
  ...w(type),
  0,
  1,
  0,
  0,
  0x0e,
  0x10,
  ...w(data.length),
  ...data,
];

test("dns: the query is copied whole (authority record, trailing bytes) and the answers follow it", () => {
  const ns = [...encodeDomainName("ovn.test"), 0, 2, 0, 1, 0, 0, 0, 60, ...w(3), 1, 0x78, 0];
  const query = msg(0x0100, [1, 0, 1, 0], [...q("vm2.ovn.test", 1), ...ns, 9, 9]);
  const out = dnsAnswer(query, RECORDS);
  assert.ok(out instanceof Uint8Array);
  assert.equal(
    toHex(out),
    toHex(
      msg(
        0x8100,
        [1, 1, 1, 0],
        [...q("vm2.ovn.test", 1), ...ns, 9, 9, ...rr("vm2.ovn.test", 1, [10, 0, 0, 12])],
      ),
    ),
  );
});

test("dns: class CH is answered as IN; the name keeps the query's case", () => {
  const out = dnsAnswer(msg(0x0100, [1, 0, 0, 0], q("VM2.ovn.TEST", 1, 3)), RECORDS);
  assert.ok(out instanceof Uint8Array);
  assert.equal(
    toHex(out),
    toHex(msg(0x8100, [1, 1, 0, 0], [...q("VM2.ovn.TEST", 1, 3), ...rr("VM2.ovn.TEST", 1, [10, 0, 0, 12])])),
  );
});

test("dns: values are read up to the first word that is not an address; A records before AAAA", () => {
  assert.deepEqual(leadingAddresses("fd00::15 10.0.0.15/24 10.0.0.16 x 10.0.0.17"), {
    v4: ["10.0.0.15", "10.0.0.16"],
    v6: ["fd00::15"],
  });
  assert.deepEqual(leadingAddresses("junk 10.0.0.18"), { v4: [], v6: [] });
  const any = dnsAnswer(msg(0x0100, [1, 0, 0, 0], q("vm5.ovn.test", 255)), RECORDS);
  assert.ok(any instanceof Uint8Array);
  const fd15 = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x15];
  assert.equal(
    toHex(any),
    toHex(
      msg(
        0x8100,
        [1, 3, 0, 0],
        [
          ...q("vm5.ovn.test", 255),
          ...rr("vm5.ovn.test", 1, [10, 0, 0, 15]),
          ...rr("vm5.ovn.test", 1, [10, 0, 0, 16]),
          ...rr("vm5.ovn.test", 28, fd15),
        ],
      ),
    ),
  );
  assert.equal(dnsAnswer(msg(0x0100, [1, 0, 0, 0], q("junk.ovn.test", 1)), RECORDS), "dns-unknown-name");
});

test("dns: PTR answers the whole value as one name (a trailing '.' leaves an empty label)", () => {
  assert.equal(
    toHex(ptrName("vm5.ovn.test.")),
    toHex(Uint8Array.from([...encodeDomainName("vm5.ovn.test"), 0])),
  );
  assert.equal(
    toHex(ptrName("10.0.0.12 fd00::12")),
    toHex(
      Uint8Array.from([2, 0x31, 0x30, 1, 0x30, 1, 0x30, 11, ...new TextEncoder().encode("12 fd00::12"), 0]),
    ),
  );
  const out = dnsAnswer(msg(0x0100, [1, 0, 0, 0], q("vm2.ovn.test", 12)), RECORDS);
  assert.ok(out instanceof Uint8Array);
  assert.equal(out[7], 1, "one answer");
});

test("dns: what is left unanswered", () => {
  const cases: [Uint8Array, string][] = [
    [Uint8Array.of(0, 1, 2), "dns-truncated"],
    [msg(0x8100, [1, 0, 0, 0], q("vm2.ovn.test", 1)), "dns-not-query"],
    [msg(0x0100, [0, 0, 0, 0], []), "dns-not-query"],
    [msg(0x0100, [1, 0, 0, 1], q("vm2.ovn.test", 1)), "dns-additional-records"],
    [msg(0x0100, [1, 0, 0, 0], q("vm2.ovn.test", 1).slice(0, 9)), "dns-malformed"],
    [msg(0x0100, [1, 0, 0, 0], [0xc0, 0x0c, 0, 1, 0, 1]), "dns-malformed"],
    [msg(0x0100, [1, 0, 0, 0], q("vm2.ovn.test", 15)), "dns-unsupported-type"],
    [msg(0x0100, [2, 0, 0, 0], [...q("nobody.ovn.test", 1), ...q("vm2.ovn.test", 1)]), "dns-unknown-name"],
  ];
  for (const [m, why] of cases) assert.equal(dnsAnswer(m, RECORDS), why, toHex(m));
  assert.equal(dnsAnswer(msg(0x0100, [1, 0, 0, 0], q("vm2.ovn.test", 1)), undefined), "dns-no-records");
});

test("the IPv4 header checksum of answers covers 20 bytes, as C's (with IP options it is wrong)", () => {
  const frame = (ihl: number) => {
    const f = new Uint8Array(14 + ihl * 4 + 8);
    f.set([0x08, 0x00], 12);
    f.set([0x40 | ihl, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0x12, 0x34, 10, 0, 0, 1, 10, 0, 0, 11], 14);
    if (ihl > 5) f.set([1, 1, 1, 0], 34);
    return f;
  };
  const plain = frame(5);
  assert.equal(baseHeaderChecksum(plain, 0), plain, "no options: left alone");
  const out = baseHeaderChecksum(frame(6), 0);
  const head = out.slice(14, 34);
  head[10] = 0;
  head[11] = 0;
  assert.equal(((out[24] as number) << 8) | (out[25] as number), internetChecksum(head));
  assert.notEqual(internetChecksum(out.subarray(14, 38)), 0, "not a valid checksum of the whole header");
});
