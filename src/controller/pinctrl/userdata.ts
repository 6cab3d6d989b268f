// ADAPTER: the byte layout of the `controller(userdata=…)` of OVN's controller actions, decoded into
// PinctrlAction. Written from what the real ovn-controller 23.03 installs (`ovs-ofctl dump-flows
// br-int` in a sandbox; the flows are quoted in userdata.test.ts), not from OVN's sources:
//   opcode (be32) · 4 bytes padding · per-operation data
//   nested actions:   OpenFlow 1.5 actions to run on the generated packet
//   put_dhcp_opts:    result field NXM header (be32) · bit offset (be32) · offer IP (4) · options (u8 code, u8 len, data)
//   put_dhcpv6_opts:  result field · options (be16 code, be16 len, data)
//   dns_lookup:       result field
//   put_nd_ra_opts:   result field · the router advertisement (ICMPv6 header onwards)
//   icmp4.frag_mtu:   be16 MTU;  icmp6.frag_mtu: be32 MTU
//   log:              u8 verdict · u8 severity · the ACL's name (the rest, no terminator)
//   bind_vport:       be32 tunnel key of the virtual port
//   igmp:             nothing (the packet is the input)
//   trigger_event:    be32 event type · fields (be16 type, be16 length, text)
// Everything else in pinctrl works on PinctrlAction and never looks at these bytes.
import { Reader } from "../../packet/bytes.js";
import { type Decoded, fail, ok, short } from "../../packet/result.js";
import type { NestedKind, PinctrlAction, RawOption, ResultField } from "./types.js";

/** Operation codes, as observed in the installed flows. */
export const OPCODES = {
  arp: 0,
  put_arp: 1,
  put_dhcp_opts: 2,
  nd_na: 3,
  put_nd: 4,
  put_dhcpv6_opts: 5,
  dns_lookup: 6,
  log: 7,
  put_nd_ra_opts: 8,
  nd_ns: 9,
  icmp: 10,
  tcp_reset: 11,
  nd_na_router: 12,
  put_icmp4_frag_mtu: 13,
  icmp4_error: 14,
  event: 15,
  igmp: 16,
  bind_vport: 17,
  handle_svc_check: 18,
  handle_dhcpv6_reply: 19,
  icmp6_error: 20,
  put_icmp6_frag_mtu: 21,
  reject: 22,
  handle_bfd_msg: 23,
  sctp_abort: 24,
  put_fdb: 25,
  activation_strategy_rarp: 26,
} as const;

const NESTED: ReadonlyMap<number, NestedKind | "icmp"> = new Map<number, NestedKind | "icmp">([
  [OPCODES.arp, "arp"],
  [OPCODES.nd_na, "nd_na"],
  [OPCODES.nd_na_router, "nd_na_router"],
  [OPCODES.nd_ns, "nd_ns"],
  [OPCODES.icmp, "icmp"],
  [OPCODES.icmp4_error, "icmp4_error"],
  [OPCODES.icmp6_error, "icmp6_error"],
  [OPCODES.tcp_reset, "tcp_reset"],
  [OPCODES.reject, "reject"],
  [OPCODES.sctp_abort, "sctp_abort"],
]);

function resultField(r: Reader): ResultField {
  return { header: r.u32(), ofs: r.u32() };
}

/**
 * Decodes a controller action's userdata. `icmp4 {}` and `icmp6 {}` share one opcode; which one it is
 * follows from the packet, so the caller passes whether the packet is IPv6.
 */
export function decodeUserdata(bytes: Uint8Array, packetIsIpv6 = false): Decoded<PinctrlAction> {
  if (bytes.length < 8) return short("controller action userdata", 8, bytes.length);
  const r = new Reader(bytes);
  const opcode = r.u32();
  r.u32();
  const nested = NESTED.get(opcode);
  if (nested !== undefined) {
    const kind: NestedKind = nested === "icmp" ? (packetIsIpv6 ? "icmp6" : "icmp4") : nested;
    return ok({ kind, actions: r.rest() });
  }
  switch (opcode) {
    case OPCODES.put_arp:
      return ok({ kind: "put_arp" });
    case OPCODES.put_nd:
      return ok({ kind: "put_nd" });
    case OPCODES.put_fdb:
      return ok({ kind: "put_fdb" });
    case OPCODES.put_dhcp_opts: {
      if (bytes.length < 20) return short("put_dhcp_opts userdata", 20, bytes.length);
      const result = resultField(r);
      const offerIp = r.ipv4();
      const options: RawOption[] = [];
      while (r.remaining > 0) {
        const code = r.u8();
        const len = r.u8();
        const data = r.bytesN(len);
        if (r.short) return short(`DHCP option ${code} in userdata`, r.offset + len, bytes.length);
        options.push({ code, data });
      }
      return ok({ kind: "put_dhcp_opts", result, offerIp, options });
    }
    case OPCODES.put_dhcpv6_opts: {
      if (bytes.length < 16) return short("put_dhcpv6_opts userdata", 16, bytes.length);
      const result = resultField(r);
      const options: RawOption[] = [];
      while (r.remaining > 0) {
        const code = r.u16();
        const len = r.u16();
        const data = r.bytesN(len);
        if (r.short) return short(`DHCPv6 option ${code} in userdata`, r.offset + len, bytes.length);
        options.push({ code, data });
      }
      return ok({ kind: "put_dhcpv6_opts", result, options });
    }
    case OPCODES.dns_lookup:
      if (bytes.length < 16) return short("dns_lookup userdata", 16, bytes.length);
      return ok({ kind: "dns_lookup", result: resultField(r) });
    case OPCODES.put_nd_ra_opts:
      if (bytes.length < 16 + 16) return short("put_nd_ra_opts userdata", 32, bytes.length);
      return ok({ kind: "put_nd_ra_opts", result: resultField(r), ra: r.rest() });
    case OPCODES.log: {
      if (bytes.length < 10) return short("log userdata", 10, bytes.length);
      const verdict = r.u8();
      const severity = r.u8();
      return ok({ kind: "log", verdict, severity, name: new TextDecoder().decode(r.rest()) });
    }
    case OPCODES.event: {
      if (bytes.length < 12) return short("trigger_event userdata", 12, bytes.length);
      const eventType = r.u32();
      const fields: { type: number; value: string }[] = [];
      while (r.remaining > 0) {
        const type = r.u16();
        const len = r.u16();
        const data = r.bytesN(len);
        if (r.short) return short(`event field ${type} in userdata`, r.offset + len, bytes.length);
        fields.push({ type, value: new TextDecoder().decode(data) });
      }
      return ok({ kind: "event", eventType, fields });
    }
    case OPCODES.igmp:
      return ok({ kind: "igmp" });
    case OPCODES.activation_strategy_rarp:
      return ok({ kind: "activation_strategy_rarp" });
    case OPCODES.bind_vport:
      if (bytes.length < 12) return short("bind_vport userdata", 12, bytes.length);
      return ok({ kind: "bind_vport", vport: r.u32() });
    case OPCODES.put_icmp4_frag_mtu:
      if (bytes.length < 10) return short("icmp4.frag_mtu userdata", 10, bytes.length);
      return ok({ kind: "put_icmp4_frag_mtu", mtu: r.u16() });
    case OPCODES.put_icmp6_frag_mtu:
      if (bytes.length < 12) return short("icmp6.frag_mtu userdata", 12, bytes.length);
      return ok({ kind: "put_icmp6_frag_mtu", mtu: r.u32() });
    default:
      if (opcode > 0xff) return fail(`unknown controller opcode ${opcode}`);
      return ok({ kind: "other", opcode, data: r.rest() });
  }
}
