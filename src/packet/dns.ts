// DNS messages (RFC 1035 §4): header, questions and resource records. Names are decompressed on
// decode; the encoder writes them uncompressed (as ovn-controller's DNS responder does). A, AAAA,
// PTR, CNAME and NS data are typed; other record data stays as bytes.
import { Reader, Writer } from "./bytes.js";
import { decodeDomainName, encodeDomainName } from "./dns-name.js";
import { type Decoded, fail, ok, short } from "./result.js";

export const DNS_TYPE_A = 1;
export const DNS_TYPE_NS = 2;
export const DNS_TYPE_CNAME = 5;
export const DNS_TYPE_PTR = 12;
export const DNS_TYPE_AAAA = 28;
export const DNS_TYPE_OPT = 41;
export const DNS_TYPE_ANY = 255;
export const DNS_CLASS_IN = 1;

/** Flag bits of the header's second word. */
export const DNS_QR = 0x8000;
export const DNS_AA = 0x0400;
export const DNS_TC = 0x0200;
export const DNS_RD = 0x0100;
export const DNS_RA = 0x0080;
export const dnsOpcode = (flags: number): number => (flags >>> 11) & 0xf;
export const dnsRcode = (flags: number): number => flags & 0xf;

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export type DnsRdata =
  | { readonly kind: "a"; readonly address: string }
  | { readonly kind: "aaaa"; readonly address: string }
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "raw"; readonly bytes: Uint8Array };

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly data: DnsRdata;
}

export interface DnsMessage {
  readonly id: number;
  readonly flags: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
}

const nameTypes = new Set([DNS_TYPE_NS, DNS_TYPE_CNAME, DNS_TYPE_PTR]);

function decodeRdata(msg: Uint8Array, type: number, at: number, len: number): Decoded<DnsRdata> {
  const bytes = msg.slice(at, at + len);
  if (type === DNS_TYPE_A && len === 4) return ok({ kind: "a", address: new Reader(bytes).ipv4() });
  if (type === DNS_TYPE_AAAA && len === 16) return ok({ kind: "aaaa", address: new Reader(bytes).ipv6() });
  if (nameTypes.has(type)) {
    const n = decodeDomainName(msg.subarray(0, at + len), at, true);
    // Only a name that fills the data exactly and has no pointer is typed: then it re-encodes the same.
    if (n.ok && n.value.end === at + len && encodeDomainName(n.value.name).length === len)
      return ok({ kind: "name", name: n.value.name });
  }
  return ok({ kind: "raw", bytes });
}

export function decodeDns(msg: Uint8Array): Decoded<DnsMessage> {
  if (msg.length < 12) return short("DNS header", 12, msg.length);
  const r = new Reader(msg);
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  let at = 12;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const n = decodeDomainName(msg, at, true);
    if (!n.ok) return n;
    at = n.value.end;
    if (at + 4 > msg.length) return short("DNS question", at + 4, msg.length);
    const q = new Reader(msg, at);
    questions.push({ name: n.value.name, type: q.u16(), class: q.u16() });
    at += 4;
  }
  const sections: DnsRecord[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    const count = counts[s + 1] ?? 0;
    for (let i = 0; i < count; i++) {
      const n = decodeDomainName(msg, at, true);
      if (!n.ok) return n;
      at = n.value.end;
      if (at + 10 > msg.length) return short("DNS resource record", at + 10, msg.length);
      const h = new Reader(msg, at);
      const type = h.u16();
      const klass = h.u16();
      const ttl = h.u32();
      const len = h.u16();
      at += 10;
      if (at + len > msg.length) return short("DNS record data", at + len, msg.length);
      const data = decodeRdata(msg, type, at, len);
      if (!data.ok) return data;
      sections[s]?.push({ name: n.value.name, type, class: klass, ttl, data: data.value });
      at += len;
    }
  }
  if (at !== msg.length) return fail(`${msg.length - at} bytes after the last DNS record`);
  const [answers = [], authorities = [], additionals = []] = sections;
  return ok({ id, flags, questions, answers, authorities, additionals });
}

function encodeRdata(d: DnsRdata): Uint8Array {
  switch (d.kind) {
    case "a":
      return new Writer().ipv4(d.address).finish();
    case "aaaa":
      return new Writer().ipv6(d.address).finish();
    case "name":
      return encodeDomainName(d.name);
    case "raw":
      return d.bytes;
  }
}

export function encodeDnsRecord(rr: DnsRecord): Uint8Array {
  const data = encodeRdata(rr.data);
  return new Writer()
    .bytes(encodeDomainName(rr.name))
    .u16(rr.type)
    .u16(rr.class)
    .u32(rr.ttl >>> 0)
    .u16(data.length)
    .bytes(data)
    .finish();
}

export function encodeDnsQuestion(q: DnsQuestion): Uint8Array {
  return new Writer().bytes(encodeDomainName(q.name)).u16(q.type).u16(q.class).finish();
}

export function encodeDns(m: DnsMessage): Uint8Array {
  const w = new Writer()
    .u16(m.id)
    .u16(m.flags)
    .u16(m.questions.length)
    .u16(m.answers.length)
    .u16(m.authorities.length)
    .u16(m.additionals.length);
  for (const q of m.questions) w.bytes(encodeDnsQuestion(q));
  for (const rr of [...m.answers, ...m.authorities, ...m.additionals]) w.bytes(encodeDnsRecord(rr));
  return w.finish();
}
