// Splits a byte stream of concatenated JSON texts into messages. OVSDB's JSON-RPC has no length prefix:
// a message ends where its outermost `{` closes. We find that point by scanning bytes (string, escape
// and nesting state only), then decode the slice with a fatal UTF-8 decoder and hand it to JSON.parse,
// which does the real validation. The scan state survives across chunks, so every byte is looked at
// once, whatever the chunking.

import type { JsonObject } from "./json.js";

export interface FramerOptions {
  /** Deepest allowed nesting of objects and arrays, counting the message itself (OVS: 1000). */
  maxDepth?: number;
  /** Largest allowed message, in bytes from its `{` to its `}`. */
  maxMessageBytes?: number;
  /** Replaces JSON.parse, e.g. to keep 64-bit integers exact. Must throw on malformed input. */
  parse?: (text: string) => unknown;
}

export const DEFAULT_MAX_DEPTH = 1000;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A stream that cannot be framed. After one, the framer is dead: the connection must be closed. */
export class JsonFramingError extends Error {
  override readonly name = "JsonFramingError";
}

// Scanner states.
const BETWEEN = 0; // outside any message: whitespace allowed, `{` starts the next one
const IN_VALUE = 1; // inside a message, outside strings
const IN_STRING = 2;
const IN_ESCAPE = 3; // just after a backslash inside a string

/** Bytes of a string looked at one by one before the scan switches to the native indexOf. */
const SHORT_STRING = 48;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isJsonWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, "0")}`;
}

export class JsonFramer {
  private readonly maxDepth: number;
  private readonly maxBytes: number;
  private readonly parse: (text: string) => unknown;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

  private state = BETWEEN;
  private depth = 0;
  /** Bytes of the message in progress that arrived in earlier chunks (copied: callers may reuse buffers). */
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private failure: JsonFramingError | undefined;

  constructor(opts: FramerOptions = {}) {
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.parse = opts.parse ?? JSON.parse;
  }

  /** Bytes held for the message in progress. */
  get pendingBytes(): number {
    return this.partsBytes;
  }

  /** True between messages (nothing partial is buffered). */
  get idle(): boolean {
    return this.state === BETWEEN && this.failure === undefined;
  }

  /** The error that killed this framer, if any. */
  get error(): JsonFramingError | undefined {
    return this.failure;
  }

  /**
   * Feeds the next chunk, calling `onMessage` for each message it completes, in order. Throws
   * JsonFramingError on a bad stream (after delivering the messages that preceded the fault, as the C
   * server answers them), and again on every later call. `onMessage` must not throw.
   */
  feed(chunk: Uint8Array, onMessage: (msg: JsonObject) => void): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      this.scan(chunk, onMessage);
    } catch (e) {
      if (!(e instanceof JsonFramingError)) throw e; // from onMessage: not ours to swallow
      this.failure = e;
      this.parts = [];
      this.partsBytes = 0;
      throw e;
    }
  }

  /** Like feed(), collecting the messages; on error they are lost with the stream. */
  push(chunk: Uint8Array): JsonObject[] {
    const out: JsonObject[] = [];
    this.feed(chunk, (m) => out.push(m));
    return out;
  }

  /** Declares end of stream; throws if a message was cut off. */
  finish(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.state !== BETWEEN) {
      this.failure = new JsonFramingError("unexpected end of input inside a JSON-RPC message");
      throw this.failure;
    }
  }

  private scan(chunk: Uint8Array, onMessage: (msg: JsonObject) => void): void {
    const n = chunk.length;
    // Next quote / backslash at or after the scan position, found with the native indexOf and reused
    // until passed, so each is searched for once per chunk position: linear overall. `n` means none.
    let nextQuote = -1;
    let nextBackslash = -1;
    let state = this.state;
    let depth = this.depth;
    // Start, within this chunk, of the message in progress (0 if it began in an earlier chunk).
    let start = 0;
    let i = 0;
    while (i < n) {
      const b = chunk[i] as number;
      if (state === IN_STRING) {
        // Most strings in OVSDB traffic are short (names, keys, uuids): a plain loop over their first
        // bytes costs less than a call into the native indexOf, which is kept for the long ones.
        const stop = Math.min(i + SHORT_STRING, n);
        let j = i;
        while (j < stop) {
          const c = chunk[j] as number;
          if (c === QUOTE || c === BACKSLASH) break;
          j++;
        }
        if (j < stop) {
          state = chunk[j] === QUOTE ? IN_VALUE : IN_ESCAPE;
          i = j + 1;
          continue;
        }
        i = j;
        if (i >= n) continue;
        // A long string: jump straight to the next quote or backslash.
        if (nextQuote < i) nextQuote = indexOrEnd(chunk, QUOTE, i);
        if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, BACKSLASH, i);
        if (nextBackslash < nextQuote) {
          state = IN_ESCAPE;
          i = nextBackslash + 1;
        } else if (nextQuote < n) {
          state = IN_VALUE;
          i = nextQuote + 1;
        } else {
          i = n;
        }
        continue;
      }
      if (state === IN_ESCAPE) {
        state = IN_STRING;
      } else if (state === IN_VALUE) {
        if (b === QUOTE) {
          state = IN_STRING;
        } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          depth += 1;
          if (depth > this.maxDepth) {
            throw new JsonFramingError(`input exceeds maximum nesting depth ${this.maxDepth}`);
          }
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          depth -= 1;
          if (depth === 0) {
            this.checkSize(i + 1 - start);
            state = BETWEEN;
            // A chunk that is exactly one message (the usual request) is used as it is, not viewed again.
            onMessage(this.complete(start === 0 && i + 1 === n ? chunk : chunk.subarray(start, i + 1)));
          }
        }
      } else if (!isJsonWhitespace(b)) {
        // BETWEEN: the next message must be an object.
        if (b !== OPEN_BRACE) {
          throw new JsonFramingError(
            b === OPEN_BRACKET
              ? "JSON-RPC message is not a JSON object"
              : `syntax error: expected '{' at start of JSON-RPC message, found ${describeByte(b)}`,
          );
        }
        state = IN_VALUE;
        depth = 1;
        start = i;
      }
      i += 1;
    }
    if (state !== BETWEEN) {
      const tail = chunk.slice(start);
      this.checkSize(tail.length);
      this.parts.push(tail);
      this.partsBytes += tail.length;
    }
    this.state = state;
    this.depth = depth;
  }

  private checkSize(moreBytes: number): void {
    if (this.partsBytes + moreBytes > this.maxBytes) {
      throw new JsonFramingError(`JSON-RPC message exceeds maximum size of ${this.maxBytes} bytes`);
    }
  }

  /** Decodes and parses one whole message whose last bytes are `last`. */
  private complete(last: Uint8Array): JsonObject {
    let bytes = last;
    if (this.parts.length > 0) {
      bytes = new Uint8Array(this.partsBytes + last.length);
      let off = 0;
      for (const p of this.parts) {
        bytes.set(p, off);
        off += p.length;
      }
      bytes.set(last, off);
      this.parts = [];
      this.partsBytes = 0;
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      throw new JsonFramingError("invalid UTF-8 in JSON-RPC message");
    }
    let value: unknown;
    try {
      value = this.parse(text);
    } catch (e) {
      throw new JsonFramingError(`JSON syntax error: ${e instanceof Error ? e.message : String(e)}`);
    }
    // The scan saw balanced `{...}`, but a mismatched `{...]` that still parses cannot happen: JSON.parse
    // rejects it. So a successful parse here is always an object.
    return value as JsonObject;
  }
}

function indexOrEnd(chunk: Uint8Array, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at < 0 ? chunk.length : at;
}
