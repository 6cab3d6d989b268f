// The first line of every ovn-trace output: the microflow as an Open vSwitch flow (ovs-fields(7) names,
// as `ovs-ofctl dump-flows` prints a match), with the logical inport as its tunnel key in reg14.

import { formatIpv4, formatIpv6, formatMac } from "../expr/values.js";
import type { PacketState } from "./state.js";

const hex = (v: bigint, digits: number) => `0x${v.toString(16).padStart(digits, "0")}`;

function ipFrag(v: bigint): string {
  return v === 0n ? "no" : v === 1n ? "first" : "later";
}

/** `# icmp,reg14=0x1,vlan_tci=0x0000,dl_src=...`, for a packet entering through port key `inKey`. */
export function flowLine(p: PacketState, inKey: number): string {
  const type = p.int("eth.type");
  const proto = p.int("ip.proto");
  const f: string[] = [];
  const isIp4 = type === 0x800n;
  const isIp6 = type === 0x86ddn;
  if (isIp4 || isIp6) {
    const names4: Record<string, string> = { "1": "icmp", "6": "tcp", "17": "udp", "132": "sctp" };
    const names6: Record<string, string> = { "58": "icmp6", "6": "tcp6", "17": "udp6", "132": "sctp6" };
    f.push((isIp4 ? names4 : names6)[proto.toString()] ?? (isIp4 ? "ip" : "ipv6"));
  } else if (type === 0x806n) f.push("arp");
  else if (type === 0x8035n) f.push("rarp");
  if (inKey !== 0) f.push(`reg14=0x${inKey.toString(16)}`);
  const tci = p.int("vlan.tci");
  if ((tci & 0x1000n) !== 0n) {
    f.push(`dl_vlan=${tci & 0xfffn}`, `dl_vlan_pcp=${tci >> 13n}`, "vlan_tci1=0x0000");
  } else f.push(`vlan_tci=${hex(tci, 4)}`);
  f.push(`dl_src=${formatMac(p.int("eth.src"))}`, `dl_dst=${formatMac(p.int("eth.dst"))}`);
  if (isIp4 || isIp6) {
    if (isIp4) f.push(`nw_src=${formatIpv4(p.int("ip4.src"))}`, `nw_dst=${formatIpv4(p.int("ip4.dst"))}`);
    else {
      f.push(`ipv6_src=${formatIpv6(p.int("ip6.src"))}`, `ipv6_dst=${formatIpv6(p.int("ip6.dst"))}`);
      f.push(`ipv6_label=${hex(p.int("ip6.label"), 5)}`);
    }
    const known = isIp4 ? ["1", "6", "17", "132"] : ["58", "6", "17", "132"];
    if (!known.includes(proto.toString())) f.push(`nw_proto=${proto}`);
    f.push(`nw_tos=${p.int("ip.dscp") << 2n}`, `nw_ecn=${p.int("ip.ecn")}`, `nw_ttl=${p.int("ip.ttl")}`);
    f.push(`nw_frag=${ipFrag(p.int("ip.frag"))}`);
    if (proto === 1n && isIp4) f.push(`icmp_type=${p.int("icmp4.type")}`, `icmp_code=${p.int("icmp4.code")}`);
    else if (proto === 58n && isIp6) {
      const t = p.int("icmp6.type");
      f.push(`icmp_type=${t}`, `icmp_code=${p.int("icmp6.code")}`);
      if (t === 135n || t === 136n) {
        f.push(`nd_target=${formatIpv6(p.int("nd.target"))}`);
        f.push(`nd_sll=${formatMac(p.int("nd.sll"))}`, `nd_tll=${formatMac(p.int("nd.tll"))}`);
      }
    } else if (proto === 6n || proto === 17n || proto === 132n) {
      const l4 = proto === 6n ? "tcp" : proto === 17n ? "udp" : "sctp";
      f.push(`tp_src=${p.int(`${l4}.src`)}`, `tp_dst=${p.int(`${l4}.dst`)}`);
      if (proto === 6n) f.push(`tcp_flags=${p.int("tcp.flags")}`);
    }
  } else if (type === 0x806n || type === 0x8035n) {
    const a = type === 0x806n ? "arp" : "rarp";
    f.push(`arp_spa=${formatIpv4(p.int(`${a}.spa`))}`, `arp_tpa=${formatIpv4(p.int(`${a}.tpa`))}`);
    f.push(`arp_op=${p.int(`${a}.op`)}`);
    f.push(`arp_sha=${formatMac(p.int(`${a}.sha`))}`, `arp_tha=${formatMac(p.int(`${a}.tha`))}`);
  } else f.push(`dl_type=${hex(type, 4)}`);
  return `# ${f.join(",")}`;
}
