// One text per structure, for telling equal flows apart from different ones cheaply.  Pure.

/**
 * A text that is equal for two flows exactly when they are structurally equal (every field, in the
 * order the flow builders write them): what JSON.stringify with a bigint replacer gave, at a fraction
 * of the cost (a replacer function takes V8's serializer off its fast path, and this runs for every
 * physical flow of every pass that changes anything).
 */
export function structKey(x: unknown): string {
  // Parts joined once: a flat string (one built with += is a tree of pieces, several times larger).
  const parts: string[] = [];
  put(x, parts);
  return parts.join("");
}

function put(x: unknown, out: string[]): void {
  switch (typeof x) {
    case "bigint":
      out.push(x.toString(16), "n");
      return;
    case "number":
      out.push(`${x}`);
      return;
    case "string":
      out.push(JSON.stringify(x));
      return;
    case "boolean":
      out.push(x ? "T" : "F");
      return;
    case "object": {
      if (x === null) {
        out.push("N");
        return;
      }
      if (Array.isArray(x)) {
        out.push("[");
        for (const e of x) {
          put(e, out);
          out.push(",");
        }
        out.push("]");
        return;
      }
      if (x instanceof Uint8Array) {
        out.push("<", x.join("."), ">");
        return;
      }
      out.push("{");
      const o = x as Record<string, unknown>;
      for (const k in o) {
        out.push(k, ":");
        put(o[k], out);
        out.push(",");
      }
      out.push("}");
      return;
    }
    default:
      out.push("U");
  }
}

// ---- a hash instead of a text ------------------------------------------------------------------------

/** Mixes one 32-bit word into a running hash (two lanes: FNV-1a-like and multiply-xorshift). */
class Hasher {
  a = 0x811c9dc5;
  b = 0x9e3779b9;

  word(w: number): void {
    this.a = Math.imul(this.a ^ w, 0x01000193);
    this.b = Math.imul(this.b + w, 0x85ebca6b) ^ (this.b >>> 15);
  }

  text(s: string): void {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
  }

  /** The two lanes as one integer below 2^53 (a Map key with no string made). */
  get value(): number {
    const b = Math.imul(this.b ^ (this.b >>> 16), 0x7feb352d);
    return (this.a >>> 0) * 0x200000 + ((b ^ (b >>> 15)) >>> 11);
  }
}

// Tags keep e.g. the number 1 and the string "1", or [] and {}, apart.
const T_BIGINT = 1;
const T_NUMBER = 2;
const T_STRING = 3;
const T_TRUE = 4;
const T_FALSE = 5;
const T_NULL = 6;
const T_ARRAY = 7;
const T_BYTES = 8;
const T_OBJECT = 9;
const T_OTHER = 10;
const T_NUMBER_TEXT = 11;

function mix(x: unknown, h: Hasher): void {
  switch (typeof x) {
    case "bigint":
      h.word(T_BIGINT);
      // Most field values fit a word: no text made for them.
      if (x >= 0n && x <= 0xffffffffn) h.word(Number(x) | 0);
      else h.text(x.toString(16));
      return;
    case "number":
      if (Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff) {
        h.word(T_NUMBER);
        h.word(x | 0);
      } else {
        h.word(T_NUMBER_TEXT);
        h.text(`${x}`);
      }
      return;
    case "string":
      h.word(T_STRING);
      h.text(x);
      return;
    case "boolean":
      h.word(x ? T_TRUE : T_FALSE);
      return;
    case "object": {
      if (x === null) {
        h.word(T_NULL);
        return;
      }
      if (Array.isArray(x)) {
        h.word(T_ARRAY);
        h.word(x.length);
        for (const e of x) mix(e, h);
        return;
      }
      if (x instanceof Uint8Array) {
        h.word(T_BYTES);
        h.word(x.length);
        for (const b of x) h.word(b);
        return;
      }
      h.word(T_OBJECT);
      const o = x as Record<string, unknown>;
      for (const k in o) {
        h.text(k);
        mix(o[k], h);
      }
      h.word(T_OBJECT);
      return;
    }
    default:
      h.word(T_OTHER);
  }
}

/**
 * A number that is equal for structurally equal values (as structKey's texts are) and, for different
 * ones, different but for a chance around 2^-53 -- so a hit must be confirmed with structEqual.  No
 * text is built: ~3x cheaper than structKey, and nothing to keep but a number.
 */
export function structHash(x: unknown): number {
  const h = new Hasher();
  mix(x, h);
  return h.value;
}

/** Whether two values are structurally equal: what structKey(a) === structKey(b) says. */
export function structEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a !== "object") return typeof a === "number" ? `${a}` === `${b}` : false;
  if (a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!structEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  // Same keys in the same order (structKey prints them in order), with equal values.
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i]) return false;
    if (!structEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
