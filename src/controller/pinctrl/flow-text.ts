// A packet's header fields in the text form ovn-controller 23.03 writes after an ACL log line (the
// form of ovs-ofctl's flow matches, without in_port or pipeline fields).  Observed from the real
// ovn-controller's acl_log lines:
//   udp,vlan_tci=0x0000,dl_src=…,dl_dst=…,nw_src=…,nw_dst=…,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=…,tp_dst=…
//   tcp,…,tp_src=1,tp_dst=2,tcp_flags=syn|ack          (flag names in bit order; "0" for none)
//   icmp,…,nw_frag=no,icmp_type=8,icmp_code=0
//   icmp6,…,dl_dst=…,ipv6_src=…,ipv6_dst=…,ipv6_label=0x12345,nw_tos=0,…
//   arp,vlan_tci=0x0000,dl_src=…,dl_dst=…,arp_spa=…,arp_tpa=…,arp_op=1,arp_sha=…,arp_tha=…
// nw_tos is the DSCP part of the old TOS byte (tos & 0xfc) and nw_ecn its low two bits.  Other IP
// protocols and non-IP frames follow the same field order with nw_proto / dl_type spelled out.  Pure.

import { decodeFrame, type Frame } from "../../packet/frame.js";
import { ipv6Fragment } from "../../packet/ipv6.js";

const TCP_FLAG_NAMES = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"] as const;

function tcpFlags(flags: number): string {
  const names = TCP_FLAG_NAMES.filter((_, i) => (flags & (1 << i)) !== 0);
  return names.length === 0 ? "0" : names.join("|");
}

function vlan(f: Frame): string {
  const tag = f.eth.vlans[0];
  if (tag === undefined) return "vlan_tci=0x0000";
  return `dl_vlan=${tag.vid},dl_vlan_pcp=${tag.pcp}`;
}

function l4Text(l4: Extract<Frame["l3"], { kind: "ipv4" | "ipv6" }>["l4"], v6: boolean): [string, string] {
  switch (l4.kind) {
    case "udp":
      return [v6 ? "udp6" : "udp", `,tp_src=${l4.udp.srcPort},tp_dst=${l4.udp.dstPort}`];
    case "tcp":
      return [
        v6 ? "tcp6" : "tcp",
        `,tp_src=${l4.tcp.srcPort},tp_dst=${l4.tcp.dstPort},tcp_flags=${tcpFlags(l4.tcp.flags & 0x1ff)}`,
      ];
    case "icmp4":
      return ["icmp", `,icmp_type=${l4.icmp.type},icmp_code=${l4.icmp.code}`];
    case "icmp6":
      return ["icmp6", `,icmp_type=${l4.icmp.type},icmp_code=${l4.icmp.code}`];
    case "raw":
      return [v6 ? "ipv6" : "ip", ""];
  }
}

/** The frame's fields as text; frames that do not decode give their Ethernet header only. */
export function formatPacketFlow(packet: Uint8Array): string {
  const d = decodeFrame(packet);
  if (!d.ok) return `packet of ${packet.length} bytes that does not decode`;
  const f = d.value;
  const l2 = `${vlan(f)},dl_src=${f.eth.src},dl_dst=${f.eth.dst}`;
  const l3 = f.l3;
  switch (l3.kind) {
    case "arp": {
      const a = l3.arp;
      return `arp,${l2},arp_spa=${a.spa},arp_tpa=${a.tpa},arp_op=${a.op},arp_sha=${a.sha},arp_tha=${a.tha}`;
    }
    case "ipv4": {
      const ip = l3.ip;
      const frag = ip.fragOffset !== 0 ? "later" : (ip.flags & 1) !== 0 ? "first" : "no";
      const [proto, rest] = l4Text(l3.l4, false);
      const nwProto = proto === "ip" ? `,nw_proto=${ip.protocol}` : "";
      return (
        `${proto},${l2},nw_src=${ip.src},nw_dst=${ip.dst}${nwProto},nw_tos=${ip.tos & 0xfc},` +
        `nw_ecn=${ip.tos & 3},nw_ttl=${ip.ttl},nw_frag=${frag}${frag === "later" ? "" : rest}`
      );
    }
    case "ipv6": {
      const ip = l3.ip;
      const fr = ipv6Fragment(ip);
      const frag = fr === undefined ? "no" : fr.offset !== 0 ? "later" : "first";
      const [proto, rest] = l4Text(l3.l4, true);
      const nwProto = proto === "ipv6" ? `,nw_proto=${ip.protocol}` : "";
      const label = `0x${ip.flowLabel.toString(16).padStart(5, "0")}`;
      return (
        `${proto},${l2},ipv6_src=${ip.src},ipv6_dst=${ip.dst},ipv6_label=${label}${nwProto},` +
        `nw_tos=${ip.trafficClass & 0xfc},nw_ecn=${ip.trafficClass & 3},nw_ttl=${ip.hopLimit},` +
        `nw_frag=${frag}${frag === "later" ? "" : rest}`
      );
    }
    case "raw":
      return `${l2},dl_type=0x${f.eth.etherType.toString(16).padStart(4, "0")}`;
  }
}
