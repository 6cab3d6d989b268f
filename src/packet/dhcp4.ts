// DHCPv4 (RFC 2131) over BOOTP (RFC 951) with options (RFC 2132). Options are kept in wire order,
// Pad (0) and End (255) included, so a message re-encodes identically; bytes after End are `trailer`.
// A BOOTP message without the magic cookie has no options.
import { Reader, Writer } from "./bytes.js";
import { type Decoded, fail, ok, short } from "./result.js";

export const BOOTP_REQUEST = 1;
export const BOOTP_REPLY = 2;
export const DHCP_MAGIC_COOKIE = 0x63825363;
export const BOOTP_FIXED_LENGTH = 236;
export const DHCP_BROADCAST_FLAG = 0x8000;

export const DHCP_DISCOVER = 1;
export const DHCP_OFFER = 2;
export const DHCP_REQUEST = 3;
export const DHCP_DECLINE = 4;
export const DHCP_ACK = 5;
export const DHCP_NAK = 6;
export const DHCP_RELEASE = 7;
export const DHCP_INFORM = 8;

export const DHCP_OPT_PAD = 0;
export const DHCP_OPT_NETMASK = 1;
export const DHCP_OPT_ROUTER = 3;
export const DHCP_OPT_REQUESTED_IP = 50;
export const DHCP_OPT_LEASE_TIME = 51;
export const DHCP_OPT_MSG_TYPE = 53;
export const DHCP_OPT_SERVER_ID = 54;
export const DHCP_OPT_PARAM_LIST = 55;
export const DHCP_OPT_END = 255;

export interface DhcpOption {
  readonly code: number;
  /** Empty for Pad and End, which have no length byte. */
  readonly data: Uint8Array;
}

export interface Dhcp4Message {
  readonly op: number;
  readonly htype: number;
  readonly hlen: number;
  readonly hops: number;
  readonly xid: number;
  readonly secs: number;
  readonly flags: number;
  readonly ciaddr: string;
  readonly yiaddr: string;
  readonly siaddr: string;
  readonly giaddr: string;
  /** 16 bytes; the client's MAC is the first `hlen` of them. */
  readonly chaddr: Uint8Array;
  readonly sname: Uint8Array;
  readonly file: Uint8Array;
  /** False for plain BOOTP (no magic cookie, no options). */
  readonly cookie: boolean;
  readonly options: readonly DhcpOption[];
  readonly trailer: Uint8Array;
}

export function decodeDhcp4(bytes: Uint8Array): Decoded<Dhcp4Message> {
  if (bytes.length < BOOTP_FIXED_LENGTH) return short("BOOTP message", BOOTP_FIXED_LENGTH, bytes.length);
  const r = new Reader(bytes);
  const op = r.u8();
  const htype = r.u8();
  const hlen = r.u8();
  const hops = r.u8();
  const xid = r.u32();
  const secs = r.u16();
  const flags = r.u16();
  const ciaddr = r.ipv4();
  const yiaddr = r.ipv4();
  const siaddr = r.ipv4();
  const giaddr = r.ipv4();
  const chaddr = r.bytesN(16);
  const sname = r.bytesN(64);
  const file = r.bytesN(128);
  const base = {
    op,
    htype,
    hlen,
    hops,
    xid,
    secs,
    flags,
    ciaddr,
    yiaddr,
    siaddr,
    giaddr,
    chaddr,
    sname,
    file,
  };
  if (bytes.length < BOOTP_FIXED_LENGTH + 4 || r.u32() !== DHCP_MAGIC_COOKIE)
    return ok({ ...base, cookie: false, options: [], trailer: bytes.slice(BOOTP_FIXED_LENGTH) });
  const options: DhcpOption[] = [];
  let at = BOOTP_FIXED_LENGTH + 4;
  for (;;) {
    if (at >= bytes.length) break;
    const code = bytes[at] ?? 0;
    if (code === DHCP_OPT_PAD || code === DHCP_OPT_END) {
      options.push({ code, data: new Uint8Array(0) });
      at += 1;
      if (code === DHCP_OPT_END) break;
      continue;
    }
    const len = bytes[at + 1];
    if (len === undefined) return short(`DHCP option ${code}`, at + 2, bytes.length);
    if (at + 2 + len > bytes.length) return short(`DHCP option ${code}`, at + 2 + len, bytes.length);
    options.push({ code, data: bytes.slice(at + 2, at + 2 + len) });
    at += 2 + len;
  }
  return ok({ ...base, cookie: true, options, trailer: bytes.slice(at) });
}

export function encodeDhcp4(m: Dhcp4Message): Uint8Array {
  const fixed = (b: Uint8Array, n: number): Uint8Array => {
    const out = new Uint8Array(n);
    out.set(b.subarray(0, n));
    return out;
  };
  const w = new Writer()
    .u8(m.op)
    .u8(m.htype)
    .u8(m.hlen)
    .u8(m.hops)
    .u32(m.xid >>> 0)
    .u16(m.secs)
    .u16(m.flags)
    .ipv4(m.ciaddr)
    .ipv4(m.yiaddr)
    .ipv4(m.siaddr)
    .ipv4(m.giaddr)
    .bytes(fixed(m.chaddr, 16))
    .bytes(fixed(m.sname, 64))
    .bytes(fixed(m.file, 128));
  if (m.cookie) {
    w.u32(DHCP_MAGIC_COOKIE);
    for (const o of m.options) {
      w.u8(o.code);
      if (o.code !== DHCP_OPT_PAD && o.code !== DHCP_OPT_END) {
        if (o.data.length > 255) throw new Error(`DHCP option ${o.code} longer than 255 bytes`);
        w.u8(o.data.length).bytes(o.data);
      }
    }
  }
  return w.bytes(m.trailer).finish();
}

/** The data of the first option with `code`. */
export function dhcpOption(m: Dhcp4Message, code: number): Uint8Array | undefined {
  return m.options.find((o) => o.code === code)?.data;
}

/** The DHCP message type (option 53), or undefined for BOOTP or a malformed option. */
export function dhcpMessageType(m: Dhcp4Message): number | undefined {
  const d = dhcpOption(m, DHCP_OPT_MSG_TYPE);
  return d !== undefined && d.length === 1 ? d[0] : undefined;
}

/** An IPv4 address option (requested IP, server id …) as text, if present and 4 bytes long. */
export function dhcpIpv4Option(m: Dhcp4Message, code: number): string | undefined {
  const d = dhcpOption(m, code);
  return d !== undefined && d.length === 4 ? new Reader(d).ipv4() : undefined;
}

/** The client hardware address as a MAC, when it is Ethernet (htype 1, hlen 6). */
export function dhcpClientMac(m: Dhcp4Message): Decoded<string> {
  if (m.htype !== 1 || m.hlen !== 6) return fail(`DHCP hardware type ${m.htype}/${m.hlen} is not Ethernet`);
  return ok(new Reader(m.chaddr).mac());
}
