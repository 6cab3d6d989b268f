// The match printer against Open vSwitch's on random matches over most fields (seeded, so the same
// matches every run): we encode a flow_mod, `ovs-ofctl ofp-print` decodes and prints it, and its text
// must be ours.  Covers field order, masks in every format, CIDR vs. arbitrary masks, protocol
// shorthands, dl_type placement, VLAN and fragment forms beyond what the ovn-controller corpus holds.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { requireTools } from "../../../test/support/sandbox.js";
import { toHex } from "../bytes.js";
import type { FieldName, MatchField } from "../model.js";
import { encodeMessage } from "../msg-codec.js";
import { formatMatch } from "../text.js";

const run = promisify(execFile);

/** mulberry32: a small seeded generator. */
function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

function randomMatch(rnd: (n: number) => number): MatchField[] {
  const big = (bits: number): bigint => {
    let v = 0n;
    for (let i = 0; i < bits; i += 15) v = (v << 15n) | BigInt(rnd(32768));
    return v & ((1n << BigInt(bits)) - 1n);
  };
  const f = (field: FieldName, bits: number): MatchField => {
    const full = (1n << BigInt(bits)) - 1n;
    const k = rnd(4);
    const v = big(bits);
    if (k === 0) return { field, value: v };
    // A prefix (CIDR-style) mask or an arbitrary one.
    const len = BigInt(1 + rnd(bits - 1));
    const mask = k === 1 ? (((1n << len) - 1n) << (BigInt(bits) - len)) & full : big(bits);
    return mask === 0n || mask === full ? { field, value: v } : { field, value: v & mask, mask };
  };
  const n = (field: FieldName, max: number): MatchField => ({ field, value: BigInt(rnd(max)) });
  const some = (xs: MatchField[], keep: number): MatchField[] =>
    xs.filter((_, i) => i < keep || rnd(2) === 0);
  const base = [
    f("metadata", 64),
    f(`reg${rnd(16)}` as FieldName, 32),
    f("pkt_mark", 32),
    f("ct_mark", 32),
    f("ct_label", 128),
    f("tun_id", 64),
    f("tun_src", 32),
    f("tun_dst", 32),
    { field: "ct_state" as FieldName, value: BigInt(rnd(64)), mask: 0x3fn },
    n("ct_zone", 65536),
    { field: "in_port" as FieldName, value: BigInt(1 + rnd(100)) },
    f("eth_src", 48),
    f("eth_dst", 48),
    { field: "dp_hash" as FieldName, value: BigInt(rnd(256)), mask: 0xffn },
    n("conj_id", 1000),
    { field: "vlan_tci" as FieldName, value: 0x1000n | BigInt(rnd(4096)), mask: 0x1fffn },
    n("tun_gbp_id", 65536),
  ].filter(() => rnd(3) === 0);
  let l3: MatchField[];
  switch (rnd(5)) {
    case 0: {
      const p = [6, 17, 132, 1, 47][rnd(5)] ?? 6;
      const ip: MatchField[] = [
        { field: "eth_type", value: 0x800n },
        f("ip_src", 32),
        f("ip_dst", 32),
        { field: "nw_proto", value: BigInt(p) },
        n("nw_ttl", 256),
        n("nw_ecn", 4),
        { field: "nw_tos", value: BigInt(rnd(64) << 2) },
        { field: "ip_frag", value: [0n, 1n, 3n][rnd(3)] ?? 0n },
      ];
      if (p === 6)
        ip.push(f("tcp_src", 16), f("tcp_dst", 16), {
          field: "tcp_flags",
          value: BigInt(rnd(512)),
          mask: 0x1ffn,
        });
      if (p === 17) ip.push(f("udp_src", 16), f("udp_dst", 16));
      if (p === 132) ip.push(f("sctp_src", 16), f("sctp_dst", 16));
      if (p === 1) ip.push(n("icmp_type", 256), n("icmp_code", 256));
      l3 = some(ip, 4);
      if ((p === 6 || p === 17) && rnd(2) === 0) {
        // The conntrack tuple needs a tracked state and ct_nw_proto (ovs-fields(7)).
        l3.push(
          { field: "ct_state", value: 0x20n, mask: 0x20n },
          f("ct_nw_src", 32),
          f("ct_nw_dst", 32),
          { field: "ct_nw_proto", value: BigInt(p) },
          f("ct_tp_src", 16),
          f("ct_tp_dst", 16),
        );
      }
      break;
    }
    case 1: {
      const t = [135, 136, 128][rnd(3)] ?? 128;
      const v6: MatchField[] = [
        { field: "eth_type", value: 0x86ddn },
        f("ipv6_src", 128),
        f("ipv6_dst", 128),
        f("ipv6_label", 20),
        { field: "nw_proto", value: 58n },
        { field: "icmpv6_type", value: BigInt(t) },
        { field: "icmpv6_code", value: 0n },
      ];
      if (t === 135) v6.push(f("nd_target", 128), f("nd_sll", 48));
      if (t === 136) v6.push(f("nd_target", 128), f("nd_tll", 48));
      l3 = some(v6, 6);
      break;
    }
    case 2:
      l3 = some(
        [
          { field: "eth_type", value: 0x806n },
          n("arp_op", 3),
          f("arp_spa", 32),
          f("arp_tpa", 32),
          f("arp_sha", 48),
          f("arp_tha", 48),
        ],
        1,
      );
      break;
    case 3:
      l3 = [
        { field: "eth_type", value: 0x86ddn },
        { field: "nw_proto", value: 6n },
        f("tcp_dst", 16),
        f("ipv6_src", 128),
      ];
      break;
    default:
      l3 = [{ field: "eth_type", value: BigInt(rnd(65536)) | 0x100n }];
  }
  const seen = new Set<string>();
  return [...base, ...l3].filter((m) => {
    if (seen.has(m.field)) return false;
    seen.add(m.field);
    return true;
  });
}

test("ovs-ofctl prints random matches exactly as formatMatch does", async () => {
  requireTools("ovs-ofctl");
  const rnd = rng(20261124);
  const cases = Array.from({ length: 300 }, () => ({
    match: randomMatch(rnd),
    priority: rnd(3) === 0 ? 0x8000 : rnd(65536),
  }));
  let checked = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < cases.length) {
        const c = cases[next++];
        if (c === undefined) continue;
        const hex = toHex(
          encodeMessage({
            kind: "flow_mod",
            xid: 1,
            flowMod: {
              command: "add",
              table: 1,
              priority: c.priority,
              cookie: 0n,
              match: c.match,
              actions: [],
            },
          }),
        );
        const { stdout } = await run("ovs-ofctl", ["ofp-print", hex]).catch((e: { stdout: string }) => ({
          stdout: e.stdout,
        }));
        const m = /: ADD table:1 (?:(.*) )?actions=drop$/m.exec(stdout);
        // Matches Open vSwitch rejects for missing prerequisites say nothing about printing.
        if (m === null) {
          assert.match(stdout, /OFPBMC_BAD_PREREQ/, hex);
          continue;
        }
        assert.equal(m[1] ?? "", formatMatch(c.match, c.priority), hex);
        checked++;
      }
    }),
  );
  assert.ok(checked > 250, `only ${checked} matches checked`);
});
