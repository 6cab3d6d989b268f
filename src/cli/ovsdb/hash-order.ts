// The order in which Open vSwitch iterates a string-keyed hash table. ovsdb-client and ovsdb-tool print
// several lists in that order (list-tables, list-columns, monitor rows, show-log tables and columns), so
// reproducing their output means reproducing it. The model, checked against the 3.1 tools' output:
//   - keys hash with 32-bit MurmurHash3 over the key's UTF-8 bytes (little-endian 4-byte blocks, the
//     0–3 trailing bytes as one zero-padded block, seed 0, finalised with the byte length);
//   - a table starts with one bucket; an entry goes to the head of bucket (hash & mask); when the count
//     reaches twice the bucket count the table grows to the smallest power of two above count/2
//     buckets (four at least), moving entries bucket by bucket, each to the head of its new bucket;
//   - iteration goes through buckets in index order, each from its head.
// So the order depends on the keys and on the order they were inserted. A parsed JSON object is one
// such table filled in text order; copying it into another table (the schema's tables, for example)
// is a second pass over the first's iteration order.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function mix(h: number, data: number): number {
  let k = Math.imul(data, C1) >>> 0;
  k = rotl(k, 15);
  k = Math.imul(k, C2) >>> 0;
  const x = rotl((h ^ k) >>> 0, 13);
  return (Math.imul(x, 5) + 0xe6546b64) >>> 0;
}

function finish(h: number): number {
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const encoder = new TextEncoder();

/** The hash Open vSwitch gives a string key (hash_string(s, 0)). */
export function hashString(s: string): number {
  const b = encoder.encode(s);
  let h = 0;
  let i = 0;
  for (; i + 4 <= b.length; i += 4) {
    h = mix(
      h,
      ((b[i] as number) |
        ((b[i + 1] as number) << 8) |
        ((b[i + 2] as number) << 16) |
        ((b[i + 3] as number) << 24)) >>>
        0,
    );
  }
  if (i < b.length) {
    let tail = 0;
    for (let j = 0; i + j < b.length; j++) tail |= (b[i + j] as number) << (8 * j);
    h = mix(h, tail >>> 0);
  }
  return finish((h ^ b.length) >>> 0);
}

/** Bucket mask for a table holding `n` entries after growing. */
function maskFor(n: number): number {
  let m = Math.floor(n / 2);
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m | ((m & 1) << 1);
}

interface Entry<T> {
  readonly hash: number;
  readonly item: T;
}

/** The iteration order of a table filled with `items` in the given order (one pass). */
export function hashOrderBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return hmapOrder(items, (item) => hashString(keyOf(item)));
}

/** The same for a table keyed by another hash, such as a row table's (uuidHash). */
export function hmapOrder<T>(items: readonly T[], hashOf: (item: T) => number): T[] {
  let mask = 0;
  let buckets: Entry<T>[][] = [[]];
  let n = 0;
  for (const item of items) {
    const e: Entry<T> = { hash: hashOf(item) >>> 0, item };
    (buckets[e.hash & mask] as Entry<T>[]).unshift(e);
    n++;
    if (Math.floor(n / 2) > mask) {
      const grown = maskFor(n);
      if (grown > mask) {
        const fresh: Entry<T>[][] = Array.from({ length: grown + 1 }, () => []);
        for (const bucket of buckets)
          for (const x of bucket) (fresh[x.hash & grown] as Entry<T>[]).unshift(x);
        buckets = fresh;
        mask = grown;
      }
    }
  }
  return buckets.flat().map((e) => e.item);
}

/** The hash of a row's table entry: the UUID's first 32 bits. */
export function uuidHash(uuid: string): number {
  return Number.parseInt(uuid.slice(0, 8), 16);
}

/** The iteration order of a table of strings filled in the given order. */
export function hashOrder(keys: readonly string[]): string[] {
  return hashOrderBy(keys, (k) => k);
}
