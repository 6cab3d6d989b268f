// A small reader for classic libpcap files, the format of netdev-dummy's options:tx_pcap / rxq_pcap.
// Pure: bytes in, records out. It never throws on bad input: a writer may be mid-record when we read,
// so a short trailing record is reported as `truncated` and left out.

export interface PcapPacket {
  /** Capture time in microseconds since the epoch (nanosecond files are scaled down). */
  timeUs: bigint;
  /** Original length on the wire (may exceed data.length if the capture was cut at snaplen). */
  origLen: number;
  data: Uint8Array;
}

export type PcapResult =
  | { ok: true; linkType: number; snapLen: number; packets: PcapPacket[]; truncated: boolean }
  | { ok: false; error: string };

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;

export function parsePcap(bytes: Uint8Array): PcapResult {
  if (bytes.length < HEADER_LEN)
    return { ok: false, error: `pcap header needs ${HEADER_LEN} bytes, got ${bytes.length}` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const be = view.getUint32(0, false);
  const le = view.getUint32(0, true);
  let little: boolean;
  let nano: boolean;
  if (le === MAGIC_US || le === MAGIC_NS) {
    little = true;
    nano = le === MAGIC_NS;
  } else if (be === MAGIC_US || be === MAGIC_NS) {
    little = false;
    nano = be === MAGIC_NS;
  } else {
    return { ok: false, error: `not a pcap file (magic 0x${be.toString(16).padStart(8, "0")})` };
  }
  const u32 = (off: number): number => view.getUint32(off, little);
  const snapLen = u32(16);
  const linkType = u32(20);
  const packets: PcapPacket[] = [];
  let off = HEADER_LEN;
  while (off + RECORD_HEADER_LEN <= bytes.length) {
    const sec = BigInt(u32(off));
    const frac = BigInt(u32(off + 4));
    const inclLen = u32(off + 8);
    const origLen = u32(off + 12);
    const start = off + RECORD_HEADER_LEN;
    if (start + inclLen > bytes.length) break;
    packets.push({
      timeUs: sec * 1_000_000n + (nano ? frac / 1000n : frac),
      origLen,
      // A plain copy: callers compare bytes, whatever subclass (Buffer) they passed in.
      data: new Uint8Array(bytes.subarray(start, start + inclLen)),
    });
    off = start + inclLen;
  }
  return { ok: true, linkType, snapLen, packets, truncated: off !== bytes.length };
}

/** Lowercase hex without separators, the form netdev-dummy/receive takes. */
export function toHex(data: Uint8Array): string {
  let s = "";
  for (const b of data) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Parses hex (whitespace, ':' and '.' ignored); undefined if it is not whole bytes of hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  const clean = hex.replace(/[\s:.]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
