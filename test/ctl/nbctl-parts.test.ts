// The pure pieces behind the ovn-nbctl options and output orders: option parsing (values that are
// optional, the global options that change behaviour), the smap order of printed maps, IP containment for
// the NAT gateway port checks, the NAT port-range rule, and ovsdb-client wait's state test.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CommandSpec, parseCommandLine } from "../../src/cli/ctl/command.js";
import { CtlError } from "../../src/cli/ctl/datum-text.js";
import { netContains, parseIp, parseIpNet } from "../../src/cli/ctl/ip-text.js";
import { validPortRange } from "../../src/cli/ctl/nb-nat.js";
import { smapPairs } from "../../src/cli/ctl/smap-order.js";
import { reached } from "../../src/cli/ovsdb/client-wait.js";

const SPECS = new Map<string, CommandSpec>(
  [
    { name: "lr-route-add", minArgs: 3, maxArgs: 4, options: ["--bfd?", "--route-table="], run: () => {} },
    { name: "ls-list", minArgs: 0, maxArgs: 0, options: [], run: () => {} },
  ].map((c) => [c.name, c]),
);

function parse(line: string) {
  return parseCommandLine(line.split(" "), SPECS);
}

function fails(line: string): string {
  try {
    parse(line);
  } catch (e) {
    if (e instanceof CtlError) return e.message;
    throw e;
  }
  return "no error";
}

test("an option whose value is optional takes one or none", () => {
  assert.equal(parse("--bfd lr-route-add r 10.0.0.0/24 1.1.1.1").commands[0]?.options.get("--bfd"), "");
  const withUuid = parse("--bfd=abc lr-route-add r 10.0.0.0/24 1.1.1.1");
  assert.equal(withUuid.commands[0]?.options.get("--bfd"), "abc");
  assert.equal(
    fails("--route-table lr-route-add r 10.0.0.0/24 1.1.1.1"),
    "'--route-table' option requires an argument",
  );
});

test("global options: --oneline, --pretty, leader-only and shuffle-remotes are kept, unknown ones quoted whole", () => {
  const g = parse(
    "--oneline --pretty --no-leader-only --no-shuffle-remotes --print-wait-time ls-list",
  ).global;
  assert.deepEqual(
    [g.oneline, g.pretty, g.leaderOnly, g.shuffleRemotes, g.printWaitTime],
    [true, true, false, false, true],
  );
  const d = parse("ls-list").global;
  assert.deepEqual([d.oneline, d.pretty, d.leaderOnly, d.shuffleRemotes], [false, false, true, true]);
  assert.equal(fails("--gateway_port=rp ls-list"), "unrecognized option '--gateway_port=rp'");
});

test("maps print in the C smap order, a function of the keys alone", () => {
  const keys = ["zeta", "alpha", "mid", "requested-chassis", "foo", "bar"];
  const d = { keys, values: keys.map((k) => k.toUpperCase()) };
  // As ovn-nbctl 23.03 printed `lsp-get-options` for these keys.
  assert.deepEqual(
    smapPairs(d).map(([k]) => k),
    ["zeta", "requested-chassis", "foo", "bar", "mid", "alpha"],
  );
  assert.deepEqual(
    smapPairs({ keys: [...keys].reverse(), values: keys.map((k) => k.toUpperCase()).reverse() }),
    smapPairs(d),
  );
  assert.deepEqual(
    smapPairs({ keys: ["reject", "arp", "dns", "bfd"], values: ["m", "m", "m", "m"] }).map(([k]) => k),
    ["arp", "reject", "dns", "bfd"],
  );
});

test("IP addresses and networks", () => {
  const cases: [string, string, boolean][] = [
    ["10.0.0.0/24", "10.0.0.50", true],
    ["10.0.0.1/24", "10.0.1.1", false],
    ["0.0.0.0/0", "192.168.1.1", true],
    ["10.0.0.5", "10.0.0.5", true],
    ["fd00::1/64", "fd00::abcd", true],
    ["fd00::1/64", "fd01::1", false],
    ["fd00::1/64", "10.0.0.1", false],
    ["::ffff:10.0.0.0/120", "::ffff:10.0.0.7", true],
  ];
  for (const [net, ip, inside] of cases) {
    const n = parseIpNet(net);
    const a = parseIp(ip);
    assert.ok(n !== undefined && a !== undefined, `${net} ${ip}`);
    assert.equal(netContains(n, a), inside, `${ip} in ${net}`);
  }
  for (const bad of ["1.1.1", "1.1.1.256", "fd00::1::2", "1:2:3:4:5:6:7:8:9", "x", "10.0.0.0/33"])
    assert.equal(parseIpNet(bad), undefined, bad);
});

test("NAT external port ranges as ovn-nbctl 23.03 accepts them", () => {
  const ok = ["100", "70000", "1x", "+5", " 5", "1-65535", "65534-65535", "1x-5", "1-5x", "1--5"];
  const bad = ["0", "abc", "x1", "0-5", "10-10", "2000-1000", "1-65536", "-5", "5-", "1-2-3"];
  for (const r of ok) assert.equal(validPortRange(r), true, r);
  for (const r of bad) assert.equal(validPortRange(r), false, r);
});

test("ovsdb-client wait: which _Server.Database rows reach which state", () => {
  const standalone = { name: "NB", model: "standalone", connected: true };
  const joining = { name: "NB", model: "clustered", connected: false };
  assert.equal(reached([standalone], "NB", "added"), true);
  assert.equal(reached([standalone], "NB", "connected"), true);
  assert.equal(reached([standalone], "NB", "removed"), false);
  assert.equal(reached([joining], "NB", "added"), true);
  assert.equal(reached([joining], "NB", "connected"), false);
  assert.equal(reached([{ ...joining, connected: true }], "NB", "connected"), true);
  assert.equal(reached([standalone], "SB", "removed"), true);
  assert.equal(reached([], "SB", "added"), false);
});
