// SHA-1 (FIPS 180-4 §6.1) over a byte array, as lowercase hex.
// The log format checksums every record with SHA-1. This pure version keeps log.ts free of node:crypto;
// the file edge (file.ts) plugs in node:crypto's faster one, and a test checks the two agree.

const K0 = 0x5a827999;
const K1 = 0x6ed9eba1;
const K2 = 0x8f1bbcdc;
const K3 = 0xca62c1d6;

/** Returns the SHA-1 digest of `bytes` as 40 lowercase hex digits. */
export function sha1Hex(bytes: Uint8Array): string {
  const h = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const w = new Uint32Array(80);
  const fullBlocks = Math.floor(bytes.length / 64);
  for (let b = 0; b < fullBlocks; b++) compress(h, w, bytes, b * 64);
  // The tail: remaining bytes, 0x80, zero padding, then the bit length as a 64-bit big-endian number.
  const rest = bytes.length - fullBlocks * 64;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(bytes.subarray(fullBlocks * 64));
  tail[rest] = 0x80;
  const bits = bytes.length * 8;
  const view = new DataView(tail.buffer);
  view.setUint32(tail.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(tail.length - 4, bits >>> 0);
  for (let off = 0; off < tail.length; off += 64) compress(h, w, tail, off);
  let hex = "";
  for (const word of h) hex += word.toString(16).padStart(8, "0");
  return hex;
}

function compress(h: Uint32Array, w: Uint32Array, m: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    w[i] = ((m[j] ?? 0) << 24) | ((m[j + 1] ?? 0) << 16) | ((m[j + 2] ?? 0) << 8) | (m[j + 3] ?? 0);
  }
  for (let i = 16; i < 80; i++) {
    const x = (w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0);
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = h[0] ?? 0;
  let b = h[1] ?? 0;
  let c = h[2] ?? 0;
  let d = h[3] ?? 0;
  let e = h[4] ?? 0;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = K0;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = K1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = K2;
    } else {
      f = b ^ c ^ d;
      k = K3;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] ?? 0)) >>> 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] = (h[0] ?? 0) + a;
  h[1] = (h[1] ?? 0) + b;
  h[2] = (h[2] ?? 0) + c;
  h[3] = (h[3] ?? 0) + d;
  h[4] = (h[4] ?? 0) + e;
}
