// Host-side membership reports (what a VM sends), the printers of ./igmp.ts and ./mld.ts: decoding
// what these build gives back the same changes. Used by tests and packet scenarios.
//   IGMPv3 report to 224.0.0.22 (RFC 3376 §4.2), IGMPv2 report to the group, IGMPv2 leave to 224.0.0.2,
//   MLDv2 report to ff02::16 (RFC 3810 §5.2), MLDv1 report to the group, MLDv1 done to ff02::2.
import { parseIpv6, Writer } from "../../packet/bytes.js";
import { finish, internetChecksum, pseudoHeaderSum, sum16 } from "../../packet/checksum.js";
import { ETH_TYPE_IPV4, ETH_TYPE_IPV6, encodeEthernet } from "../../packet/ethernet.js";
import { encodeIpv4, IP_PROTO_ICMPV6 } from "../../packet/ipv4.js";
import { encodeIpv6, IPV6_EXT_HOP_BY_HOP } from "../../packet/ipv6.js";
import {
  CHANGE_TO_EXCLUDE,
  CHANGE_TO_INCLUDE,
  IGMPV2_LEAVE,
  IGMPV2_REPORT,
  IGMPV3_REPORT,
  IP_PROTO_IGMP,
  type MembershipChange,
} from "./igmp.js";
import { MLDV1_DONE, MLDV1_REPORT, MLDV2_REPORT } from "./mld.js";

export interface Host {
  readonly mac: string;
  readonly ip4?: string;
  readonly ip6?: string;
}

/** The Ethernet multicast address of an IPv4 group (RFC 1112 §6.4). */
export function ipv4McastMac(group: string): string {
  const o = group.split(".").map(Number);
  const hex = (n: number) => n.toString(16).padStart(2, "0");
  return `01:00:5e:${hex((o[1] ?? 0) & 0x7f)}:${hex(o[2] ?? 0)}:${hex(o[3] ?? 0)}`;
}

function ipv6McastMac(group: string): string {
  const b = parseIpv6(group) ?? new Uint8Array(16);
  const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(2, "0");
  return `33:33:${hex(b[12])}:${hex(b[13])}:${hex(b[14])}:${hex(b[15])}`;
}

function ipv4Frame(host: Host, dst: string, igmp: Uint8Array): Uint8Array {
  const ck = internetChecksum(igmp);
  igmp[2] = ck >> 8;
  igmp[3] = ck & 0xff;
  const ip = encodeIpv4({
    tos: 0xc0,
    ident: 0,
    flags: 2,
    fragOffset: 0,
    ttl: 1,
    protocol: IP_PROTO_IGMP,
    src: host.ip4 ?? "0.0.0.0",
    dst,
    options: Uint8Array.of(0x94, 0x04, 0x00, 0x00),
    payload: igmp,
    trailer: new Uint8Array(0),
  });
  return encodeEthernet({
    dst: ipv4McastMac(dst),
    src: host.mac,
    vlans: [],
    etherType: ETH_TYPE_IPV4,
    payload: ip,
  });
}

function ipv6Frame(host: Host, dst: string, mld: Uint8Array): Uint8Array {
  const src = host.ip6 ?? "::";
  const ck = finish(
    sum16(
      mld,
      pseudoHeaderSum(
        parseIpv6(src) as Uint8Array,
        parseIpv6(dst) as Uint8Array,
        IP_PROTO_ICMPV6,
        mld.length,
      ),
    ),
  );
  mld[2] = ck >> 8;
  mld[3] = ck & 0xff;
  const ip = encodeIpv6({
    trafficClass: 0,
    flowLabel: 0,
    hopLimit: 1,
    src,
    dst,
    extensions: [{ type: IPV6_EXT_HOP_BY_HOP, bytes: Uint8Array.of(IP_PROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0) }],
    protocol: IP_PROTO_ICMPV6,
    payload: mld,
    trailer: new Uint8Array(0),
  });
  return encodeEthernet({
    dst: ipv6McastMac(dst),
    src: host.mac,
    vlans: [],
    etherType: ETH_TYPE_IPV6,
    payload: ip,
  });
}

/** An IGMPv3 report: a join is CHANGE_TO_EXCLUDE({}), a leave CHANGE_TO_INCLUDE({}). */
export function igmpv3Report(host: Host, changes: readonly MembershipChange[]): Uint8Array {
  const w = new Writer().u8(IGMPV3_REPORT).u8(0).u16(0).u16(0).u16(changes.length);
  for (const c of changes)
    w.u8(c.op === "join" ? CHANGE_TO_EXCLUDE : CHANGE_TO_INCLUDE)
      .u8(0)
      .u16(0)
      .ipv4(c.group);
  return ipv4Frame(host, "224.0.0.22", w.finish());
}

/** An IGMPv2 membership report (join) or leave. */
export function igmpv2Message(host: Host, c: MembershipChange): Uint8Array {
  const type = c.op === "join" ? IGMPV2_REPORT : IGMPV2_LEAVE;
  const igmp = new Writer().u8(type).u8(0).u16(0).ipv4(c.group).finish();
  return ipv4Frame(host, c.op === "join" ? c.group : "224.0.0.2", igmp);
}

/** An MLDv2 report: a join is CHANGE_TO_EXCLUDE({}), a leave CHANGE_TO_INCLUDE({}). */
export function mldv2Report(host: Host, changes: readonly MembershipChange[]): Uint8Array {
  const w = new Writer().u8(MLDV2_REPORT).u8(0).u16(0).u16(0).u16(changes.length);
  for (const c of changes)
    w.u8(c.op === "join" ? CHANGE_TO_EXCLUDE : CHANGE_TO_INCLUDE)
      .u8(0)
      .u16(0)
      .ipv6(c.group);
  return ipv6Frame(host, "ff02::16", w.finish());
}

/** An MLDv1 report (join) or done (leave). */
export function mldv1Message(host: Host, c: MembershipChange): Uint8Array {
  const type = c.op === "join" ? MLDV1_REPORT : MLDV1_DONE;
  const mld = new Writer().u8(type).u8(0).u16(0).u16(0).u16(0).ipv6(c.group).finish();
  return ipv6Frame(host, c.op === "join" ? c.group : "ff02::2", mld);
}
