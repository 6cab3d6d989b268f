// Property tests of the action language: random action lists print in a form that parses back to the
// same actions and prints the same again.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { stableKey } from "../expr/ast.js";
import { actionContext } from "./context.js";
import { parseActions } from "./parser.js";
import { formatActions } from "./printer.js";

const field32 = fc.constantFrom("reg0", "reg1", "reg2[0..31]", "ip4.src", "ip4.dst", "arp.spa");
const field16 = fc.constantFrom("reg3[0..15]", "reg4[16..31]", "tcp.dst", "udp.src");
const bit = fc.constantFrom("reg9[0]", "reg9[3]", "reg0[31]", "flags.loopback");
const value32 = fc.oneof(
  fc.constantFrom("10.0.0.1", "10.0.0.0/8", "0", "0x10/0xf0", "255.255.0.0", "1/1"),
  fc.bigInt({ min: 0n, max: 0xffffffffn }).map((v) => `0x${v.toString(16)}`),
  fc.nat({ max: 0xffffffff }).map(String),
);
const ip = fc.constantFrom("10.0.0.1", "192.168.1.1", "fd00::1", "::ffff:1.2.3.4", "2001:db8::5");
const port = fc.integer({ min: 1, max: 65535 });

const simple: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "output",
    "ct_next",
    "ct_clear",
    "ct_commit_nat",
    "ip.ttl--",
    "ct_snat_to_vip",
    "igmp",
    "handle_dhcpv6_reply",
  ),
  fc.tuple(field32, value32).map(([f, v]) => `${f} = ${v}`),
  fc.tuple(field32, field32).map(([a, b]) => `${a} = ${b}`),
  fc.tuple(field16, field16).map(([a, b]) => `${a} <-> ${b}`),
  fc.constantFrom(
    'outport = "lp1"',
    "outport = inport",
    'inport = "a\\"b"',
    "eth.dst <-> eth.src",
    "eth.src = 00:00:00:00:ff:01",
  ),
  fc.integer({ min: 1, max: 28 }).map((t) => `next(${t})`),
  fc
    .tuple(fc.constantFrom("ingress", "egress"), fc.integer({ min: 0, max: 28 }))
    .map(([p, t]) => `next(pipeline=${p}, table=${t})`),
  fc
    .tuple(fc.constantFrom("ct_dnat", "ct_snat", "ct_dnat_in_czone", "ct_snat_in_czone"), ip, fc.option(port))
    .map(([n, a, p]) => (p === null ? `${n}(${a})` : `${n}(${a}, ${p})`)),
  fc
    .tuple(
      fc.array(fc.tuple(ip, fc.option(port)), { minLength: 1, maxLength: 3 }),
      fc.constantFrom("", "; skip_snat", '; hash_fields="ip_src"'),
    )
    .map(
      ([bs, tail]) =>
        `ct_lb_mark(backends=${bs.map(([a, p]) => (p === null ? a : a.includes(":") ? `[${a}]:${p}` : `${a}:${p}`)).join(",")}${tail})`,
    ),
  fc
    .tuple(
      bit,
      fc.constantFrom(
        "lookup_arp(inport, arp.spa, arp.sha)",
        "chk_lb_hairpin()",
        "check_pkt_larger(1500)",
        "lookup_nd_ip(inport, ip6.src)",
      ),
    )
    .map(([b, f]) => `${b} = ${f}`),
  fc.constantFrom(
    "get_arp(outport, reg0)",
    "put_nd(inport, nd.target, nd.tll)",
    'log(name="acl1", severity=alert, verdict=drop, meter="m")',
    "set_queue(10)",
    "set_meter(100, 200)",
    'bind_vport("vip", inport)',
    "commit_ecmp_nh(ipv6 = false, proto = udp)",
    'commit_lb_aff(vip = "10.0.0.1:80", backend = "[fd00::2]:8080", proto = tcp, timeout = 30)',
    "sample(probability=100, obs_domain=3)",
    'fwd_group(liveness=true, childports="p1", "p2")',
    "reg8[16..31] = select(1=20, 2)",
    "push(reg0); pop(reg1)",
    'reg0[0] = put_dhcp_opts(offerip = 10.0.0.2, dns_server = {8.8.8.8, 7.7.7.7}, domain_name = "ovn.org")',
    "ct_commit(ct_mark=0x5/0x7, ct_label=0)",
  ),
);

const nestedName = fc.constantFrom("arp", "icmp4", "icmp6_error", "tcp_reset", "clone", "reject", "nd_ns");

function actions(depth: number): fc.Arbitrary<string> {
  const one: fc.Arbitrary<string> =
    depth === 0
      ? simple
      : fc.oneof(
          { weight: 3, arbitrary: simple },
          fc.tuple(nestedName, actions(depth - 1)).map(([n, body]) => `${n} { ${body} }`),
          fc.constantFrom("ct_commit { ct_mark.blocked = 1; ct_label.label = reg0; }", "ct_commit { }"),
        );
  return fc.array(one, { minLength: 1, maxLength: 4 }).map((xs) => xs.map((x) => `${x};`).join(" "));
}

test("printed actions parse to the same actions and print the same", () => {
  fc.assert(
    fc.property(
      actions(2),
      fc.constantFrom("ingress", "egress"),
      fc.integer({ min: 0, max: 20 }),
      (s, pipeline, tableId) => {
        const ctx = actionContext({ pipeline: pipeline as "ingress" | "egress", tableId });
        const r = parseActions(s, ctx);
        assert.ok(r.ok, `${s}: ${r.ok ? "" : r.error}`);
        const printed = formatActions(r.value.actions, ctx);
        const again = parseActions(printed, ctx);
        assert.ok(again.ok, `${printed}: ${again.ok ? "" : again.error}`);
        assert.equal(stableKey(again.value.actions), stableKey(r.value.actions), printed);
        assert.equal(formatActions(again.value.actions, ctx), printed);
      },
    ),
    { numRuns: 400 },
  );
});
