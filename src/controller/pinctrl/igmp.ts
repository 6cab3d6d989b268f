// IGMP (RFC 1112, RFC 2236, RFC 3376) and MLD (RFC 2710, RFC 3810, see ./mld.ts) messages as the
// membership changes a snooping switch acts on. Total: bad or short bytes give a reason, never a throw.
//   v1/v2 report (0x12, 0x16)        join the group
//   v2 leave (0x17)                  leave the group
//   v3 report (0x22)                 one change per group record: a record that asks for no source in
//                                    INCLUDE mode (MODE_IS_INCLUDE / CHANGE_TO_INCLUDE with no source)
//                                    is a leave, any other record a join (source lists are not kept:
//                                    OVN forwards by group only)
//   query (0x11)                     reported as a query: its port leads to a multicast router
// The IGMP checksum must be right (a snooping switch must not learn from corrupted reports).
import { Reader } from "../../packet/bytes.js";
import { internetChecksum } from "../../packet/checksum.js";
import { decodeEthernet, ETH_TYPE_IPV4, ETH_TYPE_IPV6 } from "../../packet/ethernet.js";
import { decodeIpv4 } from "../../packet/ipv4.js";
import { type Decoded, fail, ok, short } from "../../packet/result.js";
import { decodeMld } from "./mld.js";

export const IP_PROTO_IGMP = 2;

export const IGMP_QUERY = 0x11;
export const IGMPV1_REPORT = 0x12;
export const IGMPV2_REPORT = 0x16;
export const IGMPV2_LEAVE = 0x17;
export const IGMPV3_REPORT = 0x22;

/** Group record types of IGMPv3 and MLDv2 reports (RFC 3376 §4.2.12, RFC 3810 §5.2.12). */
export const MODE_IS_INCLUDE = 1;
export const MODE_IS_EXCLUDE = 2;
export const CHANGE_TO_INCLUDE = 3;
export const CHANGE_TO_EXCLUDE = 4;
export const ALLOW_NEW_SOURCES = 5;
export const BLOCK_OLD_SOURCES = 6;

/** One membership change of the sending host. */
export interface MembershipChange {
  readonly op: "join" | "leave";
  /** The group address, printed (IPv4 dotted quad, IPv6 in RFC 5952 form). */
  readonly group: string;
}

/** What one IGMP/MLD message means to a snooping switch. */
export type MembershipMessage =
  | { readonly kind: "report"; readonly family: 4 | 6; readonly changes: readonly MembershipChange[] }
  /**
   * A query (any version). `unspecified`: an MLD query from ::, which names no router (present only
   * then, so that other queries compare equal to `{ kind, family }`).
   */
  | { readonly kind: "query"; readonly family: 4 | 6; readonly unspecified?: true };

/** The change a v3 / MLDv2 group record asks for. */
export function recordOp(type: number, sources: number): "join" | "leave" | undefined {
  if (type < MODE_IS_INCLUDE || type > BLOCK_OLD_SOURCES) return undefined;
  return (type === MODE_IS_INCLUDE || type === CHANGE_TO_INCLUDE) && sources === 0 ? "leave" : "join";
}

/** Decodes an IGMP message (the IPv4 payload). */
export function decodeIgmp(bytes: Uint8Array): Decoded<MembershipMessage> {
  if (bytes.length < 8) return short("IGMP message", 8, bytes.length);
  if (internetChecksum(bytes) !== 0) return fail("IGMP checksum");
  const r = new Reader(bytes);
  const type = r.u8();
  switch (type) {
    case IGMP_QUERY:
      return ok({ kind: "query", family: 4 });
    case IGMPV1_REPORT:
    case IGMPV2_REPORT:
    case IGMPV2_LEAVE: {
      r.u8();
      r.u16();
      const group = r.ipv4();
      return ok({
        kind: "report",
        family: 4,
        changes: [{ op: type === IGMPV2_LEAVE ? "leave" : "join", group }],
      });
    }
    case IGMPV3_REPORT: {
      r.bytesN(5); // reserved, checksum, reserved
      const n = r.u16();
      const changes: MembershipChange[] = [];
      for (let i = 0; i < n; i++) {
        const recType = r.u8();
        const auxWords = r.u8();
        const nsrc = r.u16();
        const group = r.ipv4();
        r.bytesN(nsrc * 4 + auxWords * 4);
        if (r.short) return short(`IGMPv3 group record ${i}`, r.offset + 1, bytes.length);
        const op = recordOp(recType, nsrc);
        if (op === undefined) return fail(`IGMPv3 group record type ${recType}`);
        changes.push({ op, group });
      }
      return ok({ kind: "report", family: 4, changes });
    }
    default:
      return fail(`IGMP type 0x${type.toString(16)}`);
  }
}

/** A frame's IGMP or MLD message (after any VLAN tags); a failure says why it is not one. */
export function decodeMembership(frame: Uint8Array): Decoded<MembershipMessage> {
  const eth = decodeEthernet(frame);
  if (!eth.ok) return eth;
  if (eth.value.etherType === ETH_TYPE_IPV4) {
    const ip = decodeIpv4(eth.value.payload);
    if (!ip.ok) return ip;
    if (ip.value.protocol !== IP_PROTO_IGMP) return fail(`IP protocol ${ip.value.protocol}`);
    if (ip.value.fragOffset !== 0 || (ip.value.flags & 1) !== 0) return fail("IGMP fragment");
    return decodeIgmp(ip.value.payload);
  }
  if (eth.value.etherType === ETH_TYPE_IPV6) return decodeMld(eth.value.payload);
  return fail(`ethertype 0x${eth.value.etherType.toString(16)}`);
}
