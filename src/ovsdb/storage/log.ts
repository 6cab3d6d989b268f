// Record framing of the ovsdb(5) standalone database file, independent of what records mean.
//
// A file is a sequence of records. Each record is a header line and a body:
//   OVSDB JSON <length> <sha1-hex>\n
//   <length bytes of JSON, the last of which is "\n">
// <length> counts the body's trailing LF and the SHA-1 is over the same bytes (observed in files made by
// ovsdb-tool 3.1). Words in the header are separated by exactly one space. The body must be a JSON
// object; readers tolerate LFs inside it as long as length and hash agree (ovsdb(5)).
//
// Recovery rule: a record that fails (incomplete header, short body, bad hash, bad JSON) with no valid
// record anywhere after it is a torn write from a crash: the reader reports where it starts so the opener
// truncates it, as ovsdb-server does. A failing record followed by a valid one is damage in the middle of
// the log: dropping it would silently lose later commits, so it is an error naming the offset.

import { sha1Hex } from "./sha1.js";

/** A record's JSON: always an object (the first is the schema, the others transactions). */
export type LogRecord = { [key: string]: unknown };

/** Pluggable pieces: a faster SHA-1 from the I/O edge, and a JSON codec that keeps 64-bit integers. */
export interface LogCodec {
  sha1?: (bytes: Uint8Array) => string;
  parse?: (text: string) => unknown;
  stringify?: (value: unknown) => string;
}

export interface ReadLogResult {
  records: LogRecord[];
  /** Byte length of the valid prefix: the whole input when `tail` is "clean". */
  goodLength: number;
  tail: "clean" | "torn";
  /** Why the torn tail was rejected, for the operator's log (only when `tail` is "torn"). */
  tornReason?: string;
}

/** The log is damaged before its end, or is not a standalone database log at all. */
export class LogCorruptError extends Error {
  override readonly name = "LogCorruptError";
  constructor(
    /** File offset of the record header where reading failed. */
    readonly offset: number,
    readonly reason: string,
    /** The file's name, when known, for the message. */
    readonly file?: string,
  ) {
    super(file === undefined ? reason : `${file}: ${reason}`);
  }
}

export const LOG_MAGIC = "OVSDB JSON";
const CLUSTER_MAGIC = "OVSDB CLUSTER";
/** Longest header we look for: magic, 20 digits, 40 hex digits, separators. */
const MAX_HEADER = 128;
const LF = 0x0a;
const HEADER_RE = /^OVSDB JSON (\d{1,15}) ([0-9a-fA-F]{40})$/;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

type Parsed = { ok: true; value: LogRecord; end: number } | { ok: false; reason: string };

/** Splits `bytes` into records; see the recovery rule above. Throws LogCorruptError. */
export function readLog(bytes: Uint8Array, codec: LogCodec = {}): ReadLogResult {
  if (bytes.length > 0 && startsWith(bytes, 0, CLUSTER_MAGIC)) {
    throw new LogCorruptError(0, "clustered database files are not supported (only the standalone format)");
  }
  const records: LogRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const r = parseRecordAt(bytes, offset, codec, true);
    if (!r.ok) {
      const later = findValidRecord(bytes, offset + 1, codec);
      if (later !== undefined) {
        throw new LogCorruptError(
          offset,
          `${r.reason}; a valid record follows at offset ${later}, so this is damage in the middle of the log, not a torn write`,
        );
      }
      return { records, goodLength: offset, tail: "torn", tornReason: r.reason };
    }
    records.push(r.value);
    offset = r.end;
  }
  return { records, goodLength: offset, tail: "clean" };
}

/** The exact bytes of one record as the real tools write it: header, body, trailing LF. */
export function encodeRecord(json: unknown, codec: LogCodec = {}): Uint8Array {
  const text = (codec.stringify ?? JSON.stringify)(json);
  if (typeof text !== "string" || !text.startsWith("{"))
    throw new TypeError("log record must be a JSON object");
  // JSON.stringify writes an unpaired surrogate as a \udXXX escape, which the C reader rejects
  // ("malformed escaped surrogate pair"); refuse rather than write a log that the real tools cannot open.
  if (LONE_SURROGATE_ESCAPE.test(text))
    throw new TypeError("log record contains a string that is not valid Unicode");
  return encodeRecordText(text, codec);
}

/**
 * The bytes of one record whose JSON text is given. The caller guarantees that `text` is one JSON
 * object holding no escaped lone surrogate (encodeRecord checks both; the server's record builder
 * writes only atoms that were checked when they entered the database).
 */
export function encodeRecordText(text: string, codec: LogCodec = {}): Uint8Array {
  return new RecordEncoder(codec).encode(text).slice();
}

/**
 * Encodes records into one buffer that it reuses: a record's bytes are valid only until the next
 * encode(). For a writer that hands them to a synchronous write at once (or copies them), which saves
 * allocating a buffer per commit.
 */
export class RecordEncoder {
  private buf = new Uint8Array(4096);
  /** `buf` past the room kept for the header: where bodies are encoded (one view, not one per record). */
  private bodyRoom = this.buf.subarray(MAX_HEADER);

  constructor(private readonly codec: LogCodec = {}) {}

  encode(text: string): Uint8Array {
    // Large records (snapshots) are encoded to their exact size instead, not to three times it.
    if (text.length > EXACT_ABOVE) return encodeExact(text, this.codec);
    // Header and body in one buffer: the body is encoded where it will end up, behind room for the
    // longest header, and the header written just in front of it once the body's length and hash are
    // known.
    const room = MAX_HEADER;
    const need = room + text.length * 3 + 1;
    if (this.buf.length < need) {
      this.buf = new Uint8Array(Math.max(need, this.buf.length * 2));
      this.bodyRoom = this.buf.subarray(room);
    }
    const buf = this.buf;
    const { written } = utf8.encodeInto(text, this.bodyRoom);
    buf[room + written] = LF;
    const length = written + 1;
    const hash = (this.codec.sha1 ?? sha1Hex)(buf.subarray(room, room + length));
    // "OVSDB JSON <length> <hash>\n", written backwards from the body: no string is built for it.
    let at = room;
    buf[--at] = LF;
    for (let i = hash.length - 1; i >= 0; i--) buf[--at] = hash.charCodeAt(i);
    buf[--at] = SPACE;
    let n = length;
    do {
      buf[--at] = DIGIT_0 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    buf[--at] = SPACE;
    at -= MAGIC_BYTES.length;
    buf.set(MAGIC_BYTES, at);
    return buf.subarray(at, room + length);
  }
}

const SPACE = 0x20;
const DIGIT_0 = 0x30;
const MAGIC_BYTES = utf8.encode(LOG_MAGIC);

const EXACT_ABOVE = 1 << 16;

function encodeExact(text: string, codec: LogCodec): Uint8Array {
  const body = utf8.encode(`${text}\n`);
  const header = utf8.encode(`${LOG_MAGIC} ${body.length} ${(codec.sha1 ?? sha1Hex)(body)}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** Concatenation of several encoded records (a whole file, for compaction). */
export function encodeRecords(list: readonly unknown[], codec: LogCodec = {}): Uint8Array {
  const parts = list.map((r) => encodeRecord(r, codec));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// A backslash-u escape of a surrogate preceded by an even number of backslashes (so not "\\ud800" text).
const LONE_SURROGATE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}/;

function parseRecordAt(bytes: Uint8Array, offset: number, codec: LogCodec, parseBody: boolean): Parsed {
  const limit = Math.min(bytes.length, offset + MAX_HEADER);
  let nl = offset;
  while (nl < limit && bytes[nl] !== LF) nl++;
  const line = latin1.decode(bytes.subarray(offset, nl));
  if (nl >= limit) {
    return limit === bytes.length
      ? { ok: false, reason: `incomplete header line at offset ${offset} ("${printable(line)}")` }
      : { ok: false, reason: `parse error at offset ${offset} in header line "${printable(line)}"` };
  }
  const m = HEADER_RE.exec(line);
  if (m === null)
    return { ok: false, reason: `parse error at offset ${offset} in header line "${printable(line)}"` };
  const length = Number(m[1]);
  const expected = (m[2] ?? "").toLowerCase();
  const start = nl + 1;
  const end = start + length;
  if (end > bytes.length) {
    return { ok: false, reason: `error reading ${length} bytes starting at offset ${start} (End of file)` };
  }
  const body = bytes.subarray(start, end);
  const actual = (codec.sha1 ?? sha1Hex)(body);
  if (actual !== expected) {
    return {
      ok: false,
      reason: `${length} bytes starting at offset ${start} have SHA-1 hash ${actual} but should have hash ${expected}`,
    };
  }
  if (!parseBody) return { ok: true, value: {}, end };
  let value: unknown;
  try {
    value = (codec.parse ?? JSON.parse)(strictUtf8.decode(body));
  } catch (e) {
    return {
      ok: false,
      reason: `${length} bytes starting at offset ${start} are not valid JSON (${(e as Error).message})`,
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: `${length} bytes starting at offset ${start} are not a JSON object` };
  }
  return { ok: true, value: value as LogRecord, end };
}

/** Offset of the first place at or after `from` where a header with a matching checksum starts. */
function findValidRecord(bytes: Uint8Array, from: number, codec: LogCodec): number | undefined {
  const first = LOG_MAGIC.charCodeAt(0);
  for (let i = bytes.indexOf(first, from); i !== -1; i = bytes.indexOf(first, i + 1)) {
    if (startsWith(bytes, i, LOG_MAGIC) && parseRecordAt(bytes, i, codec, false).ok) return i;
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, at: number, ascii: string): boolean {
  if (at + ascii.length > bytes.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we replace
  return s.replace(/[\x00-\x1f\x7f-\xff"\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
