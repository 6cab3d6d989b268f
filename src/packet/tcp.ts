// TCP segments (RFC 9293): header fields, options as bytes, checksum over the pseudo-header.
import { Reader, Writer } from "./bytes.js";
import { finish, pseudoHeaderSum, sum16 } from "./checksum.js";
import { type Decoded, fail, ok, short } from "./result.js";
import type { PseudoHeader } from "./udp.js";

export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;
export const TCP_PSH = 0x008;
export const TCP_ACK = 0x010;
export const TCP_URG = 0x020;
export const TCP_ECE = 0x040;
export const TCP_CWR = 0x080;
export const TCP_NS = 0x100;

export interface TcpSegment {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** The 9 flag bits (NS … FIN) plus the 3 reserved bits above them, as carried. */
  readonly flags: number;
  readonly window: number;
  readonly checksum?: number;
  readonly urgent: number;
  /** Raw options; encodeTcp pads them with End-of-Options to a multiple of 4 bytes. */
  readonly options: Uint8Array;
  readonly payload: Uint8Array;
}

export function decodeTcp(bytes: Uint8Array): Decoded<TcpSegment> {
  if (bytes.length < 20) return short("TCP header", 20, bytes.length);
  const r = new Reader(bytes);
  const srcPort = r.u16();
  const dstPort = r.u16();
  const seq = r.u32();
  const ack = r.u32();
  const offFlags = r.u16();
  const window = r.u16();
  const checksum = r.u16();
  const urgent = r.u16();
  const dataOffset = (offFlags >>> 12) * 4;
  if (dataOffset < 20) return fail(`TCP data offset ${dataOffset} is below 20`);
  if (dataOffset > bytes.length) return short("TCP header with options", dataOffset, bytes.length);
  return ok({
    srcPort,
    dstPort,
    seq,
    ack,
    flags: offFlags & 0xfff,
    window,
    checksum,
    urgent,
    options: bytes.slice(20, dataOffset),
    payload: bytes.slice(dataOffset),
  });
}

export function encodeTcp(t: TcpSegment, ph: PseudoHeader): Uint8Array {
  const optLen = (t.options.length + 3) & ~3;
  const hl = 20 + optLen;
  const out = new Writer()
    .u16(t.srcPort)
    .u16(t.dstPort)
    .u32(t.seq >>> 0)
    .u32(t.ack >>> 0)
    .u16(((hl / 4) << 12) | (t.flags & 0xfff))
    .u16(t.window)
    .u16(0)
    .u16(t.urgent)
    .bytes(t.options)
    .zeros(optLen - t.options.length)
    .bytes(t.payload)
    .finish();
  const c = t.checksum ?? finish(sum16(out, pseudoHeaderSum(ph.src, ph.dst, 6, out.length)));
  out[16] = c >>> 8;
  out[17] = c & 0xff;
  return out;
}

export function tcpChecksumOk(bytes: Uint8Array, ph: PseudoHeader): boolean {
  return finish(sum16(bytes, pseudoHeaderSum(ph.src, ph.dst, 6, bytes.length))) === 0;
}
