// The Internet checksum (RFC 1071) and the pseudo-headers of UDP, TCP and ICMPv6 (RFC 768, RFC 793,
// RFC 8200 §8.1). Sums are kept unfolded as plain numbers until the end; packets are far below the
// size where a JavaScript number could lose precision.

/** One's-complement sum of 16-bit big-endian words (an odd final byte is padded with zero). */
export function sum16(b: Uint8Array, initial = 0): number {
  let s = initial;
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) s += ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  if (b.length & 1) s += (b[b.length - 1] ?? 0) << 8;
  return s;
}

/** Folds a sum to 16 bits and complements it: the value written into a checksum field. */
export function finish(s: number): number {
  let x = s;
  while (x > 0xffff) x = (x & 0xffff) + Math.floor(x / 0x10000);
  return ~x & 0xffff;
}

export function internetChecksum(b: Uint8Array): number {
  return finish(sum16(b));
}

/** Sum of the pseudo-header for an upper-layer packet of `length` bytes (IPv4 or IPv6 by address size). */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): number {
  let s = sum16(src) + sum16(dst) + protocol;
  s += src.length === 16 ? Math.floor(length / 0x10000) + (length & 0xffff) : length;
  return s;
}
