// Logical actions that OVN implements with learn(): commit_ecmp_nh() teaches tables 76/77 the
// next hop of a symmetric-reply ECMP connection, commit_lb_aff() teaches table 78 which backend a
// client was sent to (load-balancer affinity).  The learned flows set a flag bit in reg10 that
// chk_ecmp_nh_mac(), chk_ecmp_nh() and chk_lb_aff() then read.

import type { IpPort, L4Proto } from "../../actions/ast.js";
import type { FieldName, LearnSpec } from "../../openflow/model.js";
import type { FlowAction } from "./flow.js";
import { OFTABLE } from "./tables.js";

const sf = (field: FieldName, nBits: number, ofs = 0) => ({ field, ofs, nBits });
const same = (f: FieldName, nBits: number): LearnSpec => ({
  kind: "match",
  dst: sf(f, nBits),
  src: { kind: "field", src: sf(f, nBits) },
});
const swap = (dst: FieldName, src: FieldName, nBits: number): LearnSpec => ({
  kind: "match",
  dst: sf(dst, nBits),
  src: { kind: "field", src: sf(src, nBits) },
});
const imm = (f: FieldName, value: bigint, nBits: number): LearnSpec => ({
  kind: "match",
  dst: sf(f, nBits),
  src: { kind: "imm", value, nBits },
});
const setBit = (bit: number): LearnSpec => ({
  kind: "load",
  dst: sf("reg10", 1, bit),
  src: { kind: "imm", value: 1n, nBits: 1 },
});

const PROTO: Record<L4Proto, number> = { tcp: 6, udp: 17, sctp: 132 };

/** Flag bits of reg10 set by the learned flows. */
export const ECMP_NH_BIT = 13;
export const LB_AFF_BIT = 14;

function learn(table: number, idle: number, hard: number, specs: LearnSpec[]): FlowAction {
  return {
    kind: "learn",
    table,
    cookie: 0n,
    deleteLearned: true,
    idleTimeout: idle,
    hardTimeout: hard,
    priority: null,
    specs,
  };
}

export function commitEcmpNh(ipv6: boolean, proto: L4Proto): FlowAction[] {
  const [src, dst, bits] = ipv6
    ? (["ipv6_src", "ipv6_dst", 128] as const)
    : (["ip_src", "ip_dst", 32] as const);
  const [l4src, l4dst] = [`${proto}_src`, `${proto}_dst`] as const;
  const ethType = imm("eth_type", ipv6 ? 0x86ddn : 0x800n, 16);
  const nwProto = imm("nw_proto", BigInt(PROTO[proto]), 8);
  return [
    // Forward direction: the MAC the connection came from.
    learn(OFTABLE.ECMP_NH_MAC, 20, 30, [
      same("metadata", 64),
      same("eth_src", 48),
      ethType,
      same(src, bits),
      same(dst, bits),
      nwProto,
      same(l4src, 16),
      same(l4dst, 16),
      setBit(ECMP_NH_BIT),
    ]),
    // Reply direction: addresses and ports swapped.
    learn(OFTABLE.ECMP_NH, 20, 30, [
      same("metadata", 64),
      ethType,
      swap(src, dst, bits),
      swap(dst, src, bits),
      nwProto,
      swap(l4src, l4dst, 16),
      swap(l4dst, l4src, 16),
      setBit(ECMP_NH_BIT),
    ]),
  ];
}

export function commitLbAff(vip: IpPort, backend: IpPort, proto: L4Proto, timeout: number): FlowAction[] {
  const v6 = vip.ip.format === "ipv6";
  const specs: LearnSpec[] = [
    same("metadata", 64),
    imm("eth_type", v6 ? 0x86ddn : 0x800n, 16),
    same(v6 ? "ipv6_src" : "ip_src", v6 ? 128 : 32),
    imm(v6 ? "ipv6_dst" : "ip_dst", vip.ip.value, v6 ? 128 : 32),
  ];
  if (vip.port !== 0)
    specs.push(imm("nw_proto", BigInt(PROTO[proto]), 8), imm(`${proto}_dst`, BigInt(vip.port), 16));
  specs.push(setBit(LB_AFF_BIT));
  // The chosen backend goes to reg4 (xxreg1 for IPv6) and its port to reg8[0..15].
  specs.push({
    kind: "load",
    dst: v6 ? sf("xxreg1", 128) : sf("reg4", 32),
    src: { kind: "imm", value: backend.ip.value, nBits: v6 ? 128 : 32 },
  });
  if (backend.port !== 0) {
    specs.push({
      kind: "load",
      dst: sf("reg8", 16),
      src: { kind: "imm", value: BigInt(backend.port), nBits: 16 },
    });
  }
  return [learn(OFTABLE.CHK_LB_AFFINITY, timeout, 0, specs)];
}
