// MLD (RFC 2710 MLDv1, RFC 3810 MLDv2) messages as membership changes, the IPv6 twin of ./igmp.ts:
//   ICMPv6 131 MLDv1 report     join      132 MLDv1 done      leave
//   ICMPv6 143 MLDv2 report     one change per multicast address record (the IGMPv3 rule, recordOp)
//   ICMPv6 130 query            reported as a query (flagged when sent from ::, RFC 3810 §5.1.14)
// The ICMPv6 checksum (with the IPv6 pseudo-header) must be right. Total: never throws on bytes.
import { parseIpv6, Reader } from "../../packet/bytes.js";
import { finish, pseudoHeaderSum, sum16 } from "../../packet/checksum.js";
import { IP_PROTO_ICMPV6 } from "../../packet/ipv4.js";
import { decodeIpv6, ipv6Fragment } from "../../packet/ipv6.js";
import { type Decoded, fail, ok, short } from "../../packet/result.js";
import { type MembershipChange, type MembershipMessage, recordOp } from "./igmp.js";

export const MLD_QUERY = 130;
export const MLDV1_REPORT = 131;
export const MLDV1_DONE = 132;
export const MLDV2_REPORT = 143;

/** Decodes the MLD message of an IPv6 packet (the Ethernet payload). */
export function decodeMld(bytes: Uint8Array): Decoded<MembershipMessage> {
  const ip = decodeIpv6(bytes);
  if (!ip.ok) return ip;
  const p = ip.value;
  if (p.protocol !== IP_PROTO_ICMPV6) return fail(`IPv6 next header ${p.protocol}`);
  if (ipv6Fragment(p) !== undefined) return fail("MLD fragment");
  const m = p.payload;
  if (m.length < 8) return short("MLD message", 8, m.length);
  const src = parseIpv6(p.src);
  const dst = parseIpv6(p.dst);
  if (src === undefined || dst === undefined) return fail("IPv6 addresses");
  if (finish(sum16(m, pseudoHeaderSum(src, dst, IP_PROTO_ICMPV6, m.length))) !== 0)
    return fail("MLD checksum");
  const r = new Reader(m);
  const type = r.u8();
  switch (type) {
    case MLD_QUERY:
      return ok(
        src.every((b) => b === 0)
          ? { kind: "query", family: 6, unspecified: true }
          : { kind: "query", family: 6 },
      );
    case MLDV1_REPORT:
    case MLDV1_DONE: {
      if (m.length < 24) return short("MLDv1 message", 24, m.length);
      r.bytesN(7);
      const group = r.ipv6();
      return ok({
        kind: "report",
        family: 6,
        changes: [{ op: type === MLDV1_DONE ? "leave" : "join", group }],
      });
    }
    case MLDV2_REPORT: {
      r.bytesN(5);
      const n = r.u16();
      const changes: MembershipChange[] = [];
      for (let i = 0; i < n; i++) {
        const recType = r.u8();
        const auxWords = r.u8();
        const nsrc = r.u16();
        const group = r.ipv6();
        r.bytesN(nsrc * 16 + auxWords * 4);
        if (r.short) return short(`MLDv2 address record ${i}`, r.offset + 1, m.length);
        const op = recordOp(recType, nsrc);
        if (op === undefined) return fail(`MLDv2 record type ${recType}`);
        changes.push({ op, group });
      }
      return ok({ kind: "report", family: 6, changes });
    }
    default:
      return fail(`ICMPv6 type ${type} is not MLD`);
  }
}
