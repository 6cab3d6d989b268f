// dns_lookup (ovn-sb(5) "DNS" table): answer a query for a name in the datapath's DNS records in place
// and resume with the result bit set; the next flow swaps addresses and ports. A query OVN does not
// answer resumes with the bit clear and the packet as it was (it then goes on through the pipeline).
//
// The answer is the query's own bytes with answers appended, as ovn-controller 23.03 builds it (observed
// in peer/actions-diff.test.ts, unit cases in c-quirks.test.ts), which is why the message is handled as
// bytes rather than decoded and re-encoded:
//   - only the header's QR bit and answer count change; everything after the header (every question,
//     authority records, bytes past the last record) is copied as it came, and the answers follow it;
//   - only the first question is looked at: its name as plain labels (a compression pointer or a label
//     running past the end leaves the query unanswered), its type A, AAAA, ANY or PTR; the class is not
//     looked at and answers are class IN, TTL 3600, named with the question's bytes (case kept);
//   - a query with additional records (an EDNS OPT record, say) is not answered, nor a response, nor a
//     message without questions; the opcode is not looked at;
//   - the records are looked up with the name in lower case; A/AAAA/ANY read the value as addresses up
//     to the first word that is not one (an optional /prefix is allowed), A records first, then AAAA;
//     a value that does not start with an address answers nothing;
//   - PTR answers once with the whole value as the name (each '.' starts a label; spaces stay);
//   - UDP checksum 0 over IPv4; over IPv6 computed; the IPv4 header checksum covers 20 bytes only
//     (see baseHeaderChecksum: with IP options the answer is lost).

import { parseIpv4OrThrow, parseIpv6OrThrow } from "../../packet/bytes.js";
import { encodeFrame, type L3 } from "../../packet/frame.js";
import { isIpv4Address, isIpv6Address } from "./addresses.js";
import { resumeUnanswered } from "./dhcp4.js";
import { baseHeaderChecksum, udpOf } from "./packet-util.js";
import {
  dropped,
  type HandlerResult,
  handled,
  type PacketIn,
  type PinctrlState,
  type ResultField,
} from "./types.js";

export const DNS_TYPE_A = 1;
export const DNS_TYPE_PTR = 12;
export const DNS_TYPE_AAAA = 28;
export const DNS_TYPE_ANY = 255;
const DNS_CLASS_IN = 1;
const DNS_TTL = 3600;
const HEADER = 12;
const none = new Uint8Array();
const utf8 = new TextEncoder();
const text = new TextDecoder("utf-8", { fatal: false });

/** The first question of a query: its name's wire bytes (end label included), the name and type. */
export interface FirstQuestion {
  readonly nameBytes: Uint8Array;
  readonly name: string;
  readonly type: number;
}

/** The first question of `msg` (a whole DNS message), or undefined when it does not parse as labels. */
export function firstQuestion(msg: Uint8Array): FirstQuestion | undefined {
  const labels: string[] = [];
  let at = HEADER;
  while (at < msg.length && msg[at] !== 0) {
    const len = msg[at] as number;
    if (at + 1 + len > msg.length) return undefined;
    labels.push(text.decode(msg.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  at += 1; // the root label
  if (at + 4 > msg.length) return undefined;
  return {
    nameBytes: msg.subarray(HEADER, at),
    name: labels.join("."),
    type: ((msg[at] as number) << 8) | (msg[at + 1] as number),
  };
}

/** ASCII lower case, as record names are stored (other bytes are compared as they are). */
export const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** The leading addresses of a record value: words up to the first that is not an address (/prefix allowed). */
export function leadingAddresses(value: string): { v4: string[]; v6: string[] } {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const word of value.trim().split(/\s+/)) {
    const [ip = "", plen, ...rest] = word.split("/");
    if (rest.length > 0 || (plen !== undefined && !/^\d+$/.test(plen))) break;
    if (isIpv4Address(ip) && (plen === undefined || Number(plen) <= 32)) v4.push(ip);
    else if (isIpv6Address(ip) && (plen === undefined || Number(plen) <= 128)) v6.push(ip);
    else break;
  }
  return { v4, v6 };
}

/** A record value as a PTR's name: a length byte before every '.'-separated piece, then a zero byte. */
export function ptrName(value: string): Uint8Array {
  const out: number[] = [];
  for (const label of value.split(".")) {
    const b = utf8.encode(label);
    out.push(b.length & 0xff, ...b);
  }
  out.push(0);
  return Uint8Array.from(out);
}

/** The answer records (wire form, concatenated) for the first question, and how many. */
export function answersFor(
  records: ReadonlyMap<string, string>,
  q: FirstQuestion,
): { readonly bytes: Uint8Array; readonly count: number } {
  const value = records.get(asciiLower(q.name));
  if (value === undefined) return { bytes: none, count: 0 };
  const rrs: { type: number; data: Uint8Array }[] = [];
  if (q.type === DNS_TYPE_PTR) rrs.push({ type: DNS_TYPE_PTR, data: ptrName(value) });
  else {
    const { v4, v6 } = leadingAddresses(value);
    if (q.type === DNS_TYPE_A || q.type === DNS_TYPE_ANY)
      for (const a of v4) rrs.push({ type: DNS_TYPE_A, data: parseIpv4OrThrow(a) });
    if (q.type === DNS_TYPE_AAAA || q.type === DNS_TYPE_ANY)
      for (const a of v6) rrs.push({ type: DNS_TYPE_AAAA, data: parseIpv6OrThrow(a) });
  }
  const size = rrs.reduce((n, r) => n + q.nameBytes.length + 10 + r.data.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const r of rrs) {
    bytes.set(q.nameBytes, at);
    at += q.nameBytes.length;
    view.setUint16(at, r.type);
    view.setUint16(at + 2, DNS_CLASS_IN);
    view.setUint32(at + 4, DNS_TTL);
    view.setUint16(at + 8, r.data.length);
    bytes.set(r.data, at + 10);
    at += 10 + r.data.length;
  }
  return { bytes, count: rrs.length };
}

const SUPPORTED = new Set([DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_ANY, DNS_TYPE_PTR]);

/** The response to the DNS message `msg`, or why it is not answered. */
export function dnsAnswer(
  msg: Uint8Array,
  records: ReadonlyMap<string, string> | undefined,
): Uint8Array | string {
  if (msg.length < HEADER) return "dns-truncated";
  const word = (at: number) => ((msg[at] as number) << 8) | (msg[at + 1] as number);
  if (((msg[2] as number) & 0x80) !== 0 || word(4) === 0) return "dns-not-query";
  if (word(10) !== 0) return "dns-additional-records";
  const q = firstQuestion(msg);
  if (q === undefined) return "dns-malformed";
  if (!SUPPORTED.has(q.type)) return "dns-unsupported-type";
  if (records === undefined) return "dns-no-records";
  const answers = answersFor(records, q);
  if (answers.count === 0) return "dns-unknown-name";
  const out = new Uint8Array(msg.length + answers.bytes.length);
  out.set(msg);
  out.set(answers.bytes, msg.length);
  out[2] = (out[2] as number) | 0x80;
  out[6] = (answers.count >> 8) & 0xff;
  out[7] = answers.count & 0xff;
  return out;
}

export function handleDnsLookup(pin: PacketIn, result: ResultField, state: PinctrlState): HandlerResult {
  const u = udpOf(pin.packet);
  if (!u.ok) return resumeUnanswered(pin, result, `dns-${u.reason}`);
  const { frame, udp } = u.value;
  const payload = dnsAnswer(udp.payload, state.dnsRecords.get(pin.md.datapath));
  if (typeof payload === "string") return resumeUnanswered(pin, result, payload);
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
  const encoded = encodeFrame({ eth: frame.eth, l3: out });
  const packet = out.kind === "ipv4" ? baseHeaderChecksum(encoded, frame.eth.vlans.length) : encoded;
  return handled("dns-answer", { kind: "resume", packet, result: { ...result, value: 1 } });
}
