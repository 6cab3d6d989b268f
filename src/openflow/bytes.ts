// Big-endian byte reading and writing for the wire codec.  Reader methods throw WireError on
// truncation; every public decoder catches it at its boundary and returns a typed error instead, so no
// exception escapes the codec.

/** Why bytes could not be decoded.  `code` names an OpenFlow error where one fits (OFPBRC_BAD_LEN …). */
export class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function wireFail(code: string, message: string): never {
  throw new WireError(code, message);
}

export class Reader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end)
      wireFail(
        "OFPBRC_BAD_LEN",
        `truncated: need ${n} bytes at offset ${this.pos}, have ${this.end - this.pos}`,
      );
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }
  /** An unsigned big-endian number of n bytes. */
  uint(n: number): bigint {
    this.need(n);
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.bytes[this.pos + i] ?? 0);
    this.pos += n;
    return v;
  }
  bytesN(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
  /** A reader over the next n bytes; this reader moves past them. */
  sub(n: number): Reader {
    this.need(n);
    const r = new Reader(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  /** A NUL-padded string field of n bytes. */
  str(n: number): string {
    const b = this.bytesN(n);
    const z = b.indexOf(0);
    return new TextDecoder().decode(z < 0 ? b : b.subarray(0, z));
  }
  peekU16(at = 0): number {
    if (this.pos + at + 2 > this.end) wireFail("OFPBRC_BAD_LEN", "truncated");
    return this.view.getUint16(this.pos + at);
  }
}

const MAX_48 = 0xffffffffffffn;
/** 2^(8n) for n = 0..5: a value below it fits n bytes as it is. */
const LIMITS: readonly bigint[] = [1n, 1n << 8n, 1n << 16n, 1n << 24n, 1n << 32n, 1n << 40n];

export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;
  /** Where the message being written started: padding is counted from there. */
  private base = 0;

  get length(): number {
    return this.len;
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(v: number): this {
    this.grow(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.grow(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u32(v: number): this {
    this.grow(4);
    this.buf[this.len++] = (v >>> 24) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u64(v: bigint): this {
    return this.uint(v, 8);
  }
  /** Low n bytes of v, big-endian. */
  uint(v: bigint, n: number): this {
    this.grow(n);
    // 32 bits per BigInt operation, from the low end: one BigInt shift per byte cost 3% of a
    // controller's start.  asUintN keeps two's complement bytes for negative values, as `& 0xff` did.
    const start = this.len;
    let pos = start + n;
    this.len = pos;
    const buf = this.buf;
    if (v >= 0n && v <= MAX_48 && (n >= 6 || v < (LIMITS[n] as bigint))) {
      // Up to 48 bits fit a double exactly: one conversion for the whole value (most match and
      // set_field values, cookies and metadata are this narrow), then 32-bit integer operations: the
      // low word byte by byte, the rest (at most 16 bits) likewise, and zeros above.
      const x = Number(v);
      let lo = x % 0x100000000;
      let hi = (x - lo) / 0x100000000;
      for (let k = 0; k < 4 && pos > start; k++) {
        buf[--pos] = lo & 0xff;
        lo >>>= 8;
      }
      while (pos > start) {
        buf[--pos] = hi & 0xff;
        hi >>>= 8;
      }
      return this;
    }
    if (n <= 6) {
      // A negative or too wide value keeps its low n bytes (two's complement), as `& 0xff` did.
      let x = Number(BigInt.asUintN(n * 8, v));
      while (pos > start) {
        buf[--pos] = x % 256;
        x = Math.floor(x / 256);
      }
      return this;
    }
    let rest = v;
    while (pos > start) {
      let word = Number(BigInt.asUintN(32, rest));
      rest >>= 32n;
      for (let k = 0; k < 4 && pos > start; k++) {
        this.buf[--pos] = word & 0xff;
        word >>>= 8;
      }
    }
    return this;
  }
  bytes(b: Uint8Array): this {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  zeros(n: number): this {
    this.grow(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }
  /** A string NUL-padded (and truncated) to n bytes. */
  str(s: string, n: number): this {
    const b = new TextEncoder().encode(s).subarray(0, n);
    this.bytes(b);
    return this.zeros(n - b.length);
  }
  /** Pads with zeros to a multiple of `align`. */
  pad(align: number): this {
    const r = (this.len - this.base) % align;
    return r === 0 ? this : this.zeros(align - r);
  }
  /** Starts counting padding from `at` (a message appended after others); returns the previous start. */
  setBase(at: number): number {
    const prev = this.base;
    this.base = at;
    return prev;
  }
  /** Overwrites a byte already written. */
  patchU8(at: number, v: number): void {
    this.buf[at] = v & 0xff;
  }
  /** Overwrites a 16-bit value already written (lengths known only at the end). */
  patchU16(at: number, v: number): void {
    this.buf[at] = (v >>> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }
  patchU32(at: number, v: number): void {
    this.patchU16(at, (v >>> 16) & 0xffff);
    this.patchU16(at + 2, v & 0xffff);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** Empties the writer for the next run of messages, keeping its buffer (finish() gave out a copy). */
  reset(): void {
    this.len = 0;
    this.base = 0;
  }
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export function fromHex(s: string): Uint8Array | undefined {
  const clean = s.replace(/[\s:]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
