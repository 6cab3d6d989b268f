// dns_lookup (ovn-sb(5) "DNS" table): answer a query for a name in the datapath's DNS records in place
// and resume with the result bit set; the next flow swaps addresses and ports. As ovn-controller 23.03
// answers (fixtures ovn_dns_*): the query's flags with QR set, the questions as asked, one answer per
// address (TTL 3600) with the name written out in full, no authority or additional records; UDP
// checksum 0 over IPv4. A PTR query is answered when the records hold the reverse name. A name not
// in the records (or a query OVN does not answer) resumes with the bit clear and the packet as it was.
// Like 23.03 (src/controller/pinctrl/peer/actions-diff.test.ts): only the first question is looked up
// (the others are echoed unanswered), a query carrying additional records (an EDNS OPT record, say)
// is not answered, and the opcode is not looked at.

import {
  DNS_QR,
  DNS_TYPE_A,
  DNS_TYPE_AAAA,
  DNS_TYPE_ANY,
  DNS_TYPE_PTR,
  type DnsRecord,
  decodeDns,
  encodeDns,
} from "../../packet/dns.js";
import { encodeFrame, type L3 } from "../../packet/frame.js";
import { isIpv4Address, isIpv6Address } from "./addresses.js";
import { resumeUnanswered } from "./dhcp4.js";
import { udpOf } from "./packet-util.js";
import {
  dropped,
  type HandlerResult,
  handled,
  type PacketIn,
  type PinctrlState,
  type ResultField,
} from "./types.js";

const DNS_TTL = 3600;
const none = new Uint8Array();

/** The answer records for one question, from a datapath's records. */
export function answersFor(
  records: ReadonlyMap<string, string>,
  q: { readonly name: string; readonly type: number; readonly class: number },
): DnsRecord[] {
  const value = records.get(q.name.toLowerCase().replace(/\.$/, ""));
  if (value === undefined) return [];
  const words = value.split(/\s+/).filter((w) => w !== "");
  const out: DnsRecord[] = [];
  if (q.type === DNS_TYPE_PTR) {
    for (const w of words)
      out.push({
        name: q.name,
        type: DNS_TYPE_PTR,
        class: q.class,
        ttl: DNS_TTL,
        data: { kind: "name", name: w },
      });
    return out;
  }
  for (const w of words) {
    const v6 = isIpv6Address(w);
    if (isIpv4Address(w) && (q.type === DNS_TYPE_A || q.type === DNS_TYPE_ANY))
      out.push({
        name: q.name,
        type: DNS_TYPE_A,
        class: q.class,
        ttl: DNS_TTL,
        data: { kind: "a", address: w },
      });
    if (v6 && (q.type === DNS_TYPE_AAAA || q.type === DNS_TYPE_ANY))
      out.push({
        name: q.name,
        type: DNS_TYPE_AAAA,
        class: q.class,
        ttl: DNS_TTL,
        data: { kind: "aaaa", address: w },
      });
  }
  return out;
}

export function handleDnsLookup(pin: PacketIn, result: ResultField, state: PinctrlState): HandlerResult {
  const u = udpOf(pin.packet);
  if (!u.ok) return dropped(`dns-${u.reason}`);
  const { frame, udp } = u.value;
  const d = decodeDns(udp.payload);
  if (!d.ok) return dropped(`dns-${d.truncated ? "truncated" : "malformed"}`);
  const q = d.value;
  const first = q.questions[0];
  if ((q.flags & DNS_QR) !== 0 || first === undefined) return resumeUnanswered(pin, result, "dns-not-query");
  if (q.additionals.length > 0) return resumeUnanswered(pin, result, "dns-additional-records");
  const records = state.dnsRecords.get(pin.md.datapath);
  if (records === undefined) return resumeUnanswered(pin, result, "dns-no-records");
  const answers = answersFor(records, first);
  if (answers.length === 0) return resumeUnanswered(pin, result, "dns-unknown-name");
  const payload = encodeDns({ ...q, flags: q.flags | DNS_QR, answers, authorities: [], additionals: [] });
  const l3 = frame.l3;
  let out: L3;
  if (l3.kind === "ipv4") {
    const { checksum: _, ...ip } = l3.ip;
    out = {
      kind: "ipv4",
      ip: { ...ip, payload: none, trailer: none },
      l4: { kind: "udp", udp: { srcPort: udp.srcPort, dstPort: udp.dstPort, checksum: 0, payload } },
    };
  } else if (l3.kind === "ipv6") {
    out = {
      kind: "ipv6",
      ip: { ...l3.ip, payload: none, trailer: none },
      l4: { kind: "udp", udp: { srcPort: udp.srcPort, dstPort: udp.dstPort, payload } },
    };
  } else return dropped("dns-not-ip");
  const packet = encodeFrame({ eth: frame.eth, l3: out });
  return handled("dns-answer", { kind: "resume", packet, result: { ...result, value: 1 } });
}
