// The OpenFlow 1.5 encoding of the few actions that OVN puts inside a controller action's userdata:
// the actions of arp { }, nd_na { }, icmp4 { }, reject { } and friends travel to ovn-controller's packet
// handler as OpenFlow action bytes.  Encodings follow OpenFlow 1.5 (OFPAT_SET_FIELD, OFPAT_COPY_FIELD)
// and the Nicira extensions (NXAST_STACK_PUSH/POP, NXAST_RESUBMIT_TABLE); what ovs-ofctl printed for the
// real controller's flows confirms them byte for byte.

import { ovsField } from "./fields.js";
import type { FlowAction, Subfield } from "./flow.js";
import { OFPP_IN_PORT } from "./flow.js";

/** OXM basic-class field numbers (OpenFlow 1.5 §7.2.3.7). */
const OXM_BASIC: Record<string, number> = {
  in_port: 0,
  metadata: 2,
  eth_dst: 3,
  eth_src: 4,
  eth_type: 5,
  ip_dscp: 8,
  nw_ecn: 9,
  nw_proto: 10,
  ip_src: 11,
  ip_dst: 12,
  tcp_src: 13,
  tcp_dst: 14,
  udp_src: 15,
  udp_dst: 16,
  sctp_src: 17,
  sctp_dst: 18,
  icmp_type: 19,
  icmp_code: 20,
  arp_op: 21,
  arp_spa: 22,
  arp_tpa: 23,
  arp_sha: 24,
  arp_tha: 25,
  ipv6_src: 26,
  ipv6_dst: 27,
  ipv6_label: 28,
  icmpv6_type: 29,
  icmpv6_code: 30,
  nd_target: 31,
  nd_sll: 32,
  nd_tll: 33,
};

/** NXM class 0 (NXM_OF_*) and class 1 (NXM_NX_*) field numbers. */
const NXM0: Record<string, number> = {
  in_port: 0,
  eth_dst: 1,
  eth_src: 2,
  eth_type: 3,
  vlan_tci: 4,
  nw_proto: 6,
  ip_src: 7,
  ip_dst: 8,
  tcp_src: 9,
  tcp_dst: 10,
  udp_src: 11,
  udp_dst: 12,
  icmp_type: 13,
  icmp_code: 14,
  arp_op: 15,
  arp_spa: 16,
  arp_tpa: 17,
};
const NXM1: Record<string, number> = {
  ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`reg${i}`, i])),
  tun_id: 16,
  arp_sha: 17,
  arp_tha: 18,
  ipv6_src: 19,
  ipv6_dst: 20,
  icmpv6_type: 21,
  icmpv6_code: 22,
  nd_target: 23,
  nd_sll: 24,
  nd_tll: 25,
  ip_frag: 26,
  ipv6_label: 27,
  nw_ecn: 28,
  nw_ttl: 29,
  pkt_mark: 33,
  tcp_flags: 34,
  ct_state: 105,
  ct_zone: 106,
  ct_mark: 107,
  ct_label: 108,
  xxreg0: 111,
  xxreg1: 112,
  xxreg2: 113,
  xxreg3: 114,
};

function bytesOf(field: string): number {
  return Math.ceil(ovsField(field).width / 8);
}

/** The NXM header (class 0 or 1) of a field, as NXM-style actions name fields. */
export function nxmHeader(field: string, masked = false): number {
  const len = bytesOf(field) * (masked ? 2 : 1);
  const n0 = NXM0[field];
  if (n0 !== undefined) return ((n0 << 9) | (masked ? 0x100 : 0) | len) >>> 0;
  const n1 = NXM1[field];
  if (n1 !== undefined) return ((0x0001 << 16) | (n1 << 9) | (masked ? 0x100 : 0) | len) >>> 0;
  throw new Error(`no NXM header for ${field}`);
}

/** The OXM header of a field: the basic class where OpenFlow defines one, else its NXM header. */
export function oxmHeader(field: string, masked = false): number {
  // The 64-bit xregs have their own OXM class, OFPXMC_PACKET_REGS (0x8001).
  const xreg = /^xreg(\d)$/.exec(field);
  if (xreg !== null)
    return ((0x8001 << 16) | (Number(xreg[1]) << 9) | (masked ? 0x100 : 0) | (masked ? 16 : 8)) >>> 0;
  const b = OXM_BASIC[field];
  if (b === undefined) return nxmHeader(field, masked);
  const len = bytesOf(field) * (masked ? 2 : 1);
  return ((0x8000 << 16) | (b << 9) | (masked ? 0x100 : 0) | len) >>> 0;
}

class Writer {
  readonly bytes: number[] = [];
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.u8(v >> 8);
    this.u8(v);
  }
  u32(v: number): void {
    this.u16(v >>> 16);
    this.u16(v & 0xffff);
  }
  big(v: bigint, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.u8(Number((v >> BigInt(i * 8)) & 0xffn));
  }
  pad8(start: number): void {
    while ((this.bytes.length - start) % 8 !== 0) this.u8(0);
  }
  /** Writes an action whose length field is filled in afterwards. */
  action(type: number, body: () => void): void {
    const start = this.bytes.length;
    this.u16(type);
    this.u16(0);
    body();
    this.pad8(start);
    const len = this.bytes.length - start;
    this.bytes[start + 2] = len >> 8;
    this.bytes[start + 3] = len & 0xff;
  }
  nx(subtype: number, body: () => void): void {
    this.action(0xffff, () => {
      this.u32(0x00002320);
      this.u16(subtype);
      body();
    });
  }
}

const OFPAT_SET_FIELD = 25;
const OFPAT_COPY_FIELD = 28;
const NXAST_RESUBMIT_TABLE = 14;
const NXAST_STACK_PUSH = 27;
const NXAST_STACK_POP = 28;
const NXAST_DEC_TTL = 18;
const NXAST_CONTROLLER2 = 37;
const NXAC2PT_USERDATA = 3;
const NXAC2PT_PAUSE = 4;

function stack(w: Writer, subtype: number, sf: Subfield): void {
  w.nx(subtype, () => {
    w.u16(sf.ofs);
    w.u32(nxmHeader(sf.field));
    w.u16(sf.nBits);
  });
}

function encodeOne(w: Writer, a: FlowAction): void {
  switch (a.kind) {
    case "set_field": {
      const n = bytesOf(a.field);
      w.action(OFPAT_SET_FIELD, () => {
        w.u32(oxmHeader(a.field, a.mask !== null));
        w.big(a.value, n);
        if (a.mask !== null) w.big(a.mask, n);
      });
      return;
    }
    case "move":
      w.action(OFPAT_COPY_FIELD, () => {
        w.u16(a.src.nBits);
        w.u16(a.src.ofs);
        w.u16(a.dst.ofs);
        w.u16(0);
        w.u32(oxmHeader(a.src.field));
        w.u32(oxmHeader(a.dst.field));
      });
      return;
    case "push":
      stack(w, NXAST_STACK_PUSH, a.src);
      return;
    case "pop":
      stack(w, NXAST_STACK_POP, a.dst);
      return;
    case "resubmit":
      w.nx(NXAST_RESUBMIT_TABLE, () => {
        w.u16(OFPP_IN_PORT);
        w.u8(a.table);
      });
      return;
    case "dec_ttl":
      w.nx(NXAST_DEC_TTL, () => undefined);
      return;
    case "controller":
      // NXAST_CONTROLLER2: 6 bytes of padding, then properties, each padded to 8 bytes.
      w.nx(NXAST_CONTROLLER2, () => {
        for (let i = 0; i < 6; i++) w.u8(0);
        const prop = (type: number, data: readonly number[]) => {
          const start = w.bytes.length;
          w.u16(type);
          w.u16(4 + data.length);
          for (const b of data) w.u8(b);
          w.pad8(start);
        };
        prop(NXAC2PT_USERDATA, [...a.userdata]);
        if (a.pause) prop(NXAC2PT_PAUSE, []);
      });
      return;
    default:
      throw new Error(`action ${a.kind} cannot be encoded inside a controller action`);
  }
}

/** OpenFlow 1.5 bytes of an action list (the subset OVN nests in controller actions). */
export function encodeNestedActions(actions: readonly FlowAction[]): number[] {
  const w = new Writer();
  for (const a of actions) encodeOne(w, a);
  return w.bytes;
}
