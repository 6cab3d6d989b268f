import assert from "node:assert/strict";
import { test } from "node:test";
import {
  formatIpv6,
  formatMac,
  ipv4Net,
  ipv6LlaFromMac,
  ipv6Net,
  normalizeIp,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv6,
  parseLportAddresses,
  parseLrpNetworks,
  parseMac,
} from "./addr.js";

test("MAC parse/print", () => {
  assert.equal(formatMac(parseMac("0A:0:00:ff:1:2") ?? -1), "0a:00:00:ff:01:02");
  for (const bad of ["", "00:00:00:00:00", "00:00:00:00:00:100", "zz:00:00:00:00:00"])
    assert.equal(parseMac(bad), undefined);
});

test("IPv4 parse like inet_pton; CIDR with prefix or mask", () => {
  assert.equal(parseIpv4("10.0.0.1"), 0x0a000001);
  for (const bad of ["10.0.0", "10.0.0.01", "256.0.0.1", "1.2.3.4.5"])
    assert.equal(parseIpv4(bad), undefined);
  assert.deepEqual(parseIpv4Cidr("10.0.0.1/24"), { addr: 0x0a000001, plen: 24 });
  assert.deepEqual(parseIpv4Cidr("10.0.0.1/255.255.0.0"), { addr: 0x0a000001, plen: 16 });
  assert.deepEqual(parseIpv4Cidr("10.0.0.1"), { addr: 0x0a000001, plen: 32 });
  assert.equal(parseIpv4Cidr("10.0.0.1/33"), undefined);
  const n = ipv4Net(0x0a000105, 24);
  assert.deepEqual([n.addrS, n.networkS, n.bcastS], ["10.0.1.5", "10.0.1.0", "10.0.1.255"]);
});

test("IPv6 print like glibc inet_ntop", () => {
  const cases: [string, string][] = [
    ["fe80:0:0:0:0:0:0:1", "fe80::1"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ["1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"],
    ["::ffff:10.0.0.1", "::ffff:10.0.0.1"],
    ["::10.0.0.1", "::10.0.0.1"],
    ["FD00::", "fd00::"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
  ];
  for (const [i, o] of cases) assert.equal(formatIpv6(parseIpv6(i) ?? -1n), o, i);
  for (const bad of ["1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "g::1", "1.2.3.4"])
    assert.equal(parseIpv6(bad), undefined, bad);
  assert.equal(normalizeIp("fd00:0::0001"), "fd00::1");
});

test("IPv6 nets: network, solicited-node, link-local from MAC", () => {
  const n = ipv6Net(parseIpv6("fd00::5") ?? 0n, 64);
  assert.deepEqual([n.networkS, n.snAddrS], ["fd00::", "ff02::1:ff00:5"]);
  assert.equal(formatIpv6(ipv6LlaFromMac(parseMac("00:00:00:00:ff:01") ?? 0)), "fe80::200:ff:fe00:ff01");
});

test("port addresses and router networks", () => {
  const a = parseLportAddresses("00:00:00:00:00:01 10.0.0.2 fd00::2 10.0.0.3/24");
  assert.deepEqual(
    a?.ipv4.map((x) => `${x.addrS}/${x.plen}`),
    ["10.0.0.2/32", "10.0.0.3/24"],
  );
  assert.deepEqual(
    a?.ipv6.map((x) => `${x.addrS}/${x.plen}`),
    ["fd00::2/128"],
  );
  assert.equal(parseLportAddresses("00:00:00:00:00:01 bogus"), undefined);
  const r = parseLrpNetworks("00:00:00:00:ff:01", ["10.0.0.1/24", "fd00::1/64"]);
  assert.deepEqual(
    r?.ipv6.map((x) => `${x.addrS}/${x.plen}`),
    ["fd00::1/64", "fe80::200:ff:fe00:ff01/64"],
  );
  assert.equal(r?.ipv4[0]?.networkS, "10.0.0.0");
});
