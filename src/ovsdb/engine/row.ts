// A committed row version. Immutable: a modification makes a new Row, so monitors and the
// transaction history can keep old versions without copying.
import type { Datum } from "../data/datum.js";
import { datumToJson, defaultDatum, isDefault } from "../data/datum.js";
import type { TableSchema } from "../schema/types.js";

export interface Row {
  readonly uuid: string;
  readonly version: string;
  /** One datum per user column, in TableSchema.userColumns order. */
  readonly cols: readonly Datum[];
}

// Row versions (_version) are needed only when a client asks for them, yet every committed row has one.
// A version is therefore kept as a sequence number and spelled as a uuid on demand: this process's
// random prefix and the number in the last 12 hex digits. Unique within the process by the counter and
// across processes by the prefix (a version is never written to the file; a restarted server makes new
// ones, as ovsdb-server does).
const VERSION_PREFIX = globalThis.crypto.randomUUID().slice(0, 24);
let versionSeq = 0;

/** The _version of sequence number `seq`. */
export function versionUuid(seq: number): string {
  return VERSION_PREFIX + seq.toString(16).padStart(12, "0");
}

/** A committed row version with a fresh _version. */
export class StoredRow implements Row {
  private readonly seq = ++versionSeq;

  constructor(
    readonly uuid: string,
    readonly cols: readonly Datum[],
  ) {}

  get version(): string {
    return versionUuid(this.seq);
  }
}

const defaultsByTable = new WeakMap<TableSchema, readonly Datum[]>();

/** Every user column's default value, one shared array per table (do not modify). */
export function defaultsOf(t: TableSchema): readonly Datum[] {
  let d = defaultsByTable.get(t);
  if (d === undefined) {
    d = t.userColumns.map((c) => defaultDatum(c.type));
    defaultsByTable.set(t, d);
  }
  return d;
}

/** A new array of every user column's default value (datums are immutable, so they are shared). */
export function defaultCols(t: TableSchema): Datum[] {
  return defaultsOf(t).slice();
}

/** The RFC 7047 <row> of the given columns (all user columns plus _uuid and _version by default). */
export function rowToJson(t: TableSchema, r: Row, columns?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (columns === undefined) {
    for (const c of t.userColumns) out[c.name] = datumToJson(r.cols[c.index] as Datum, c.type);
    out._uuid = ["uuid", r.uuid];
    out._version = ["uuid", r.version];
    return out;
  }
  for (const name of columns) {
    if (name === "_uuid") out._uuid = ["uuid", r.uuid];
    else if (name === "_version") out._version = ["uuid", r.version];
    else {
      const c = t.columns.get(name);
      if (c !== undefined) out[name] = datumToJson(r.cols[c.index] as Datum, c.type);
    }
  }
  return out;
}

/** Only the columns whose values differ from the default (update2 "initial"/"insert" rows). */
export function rowToJsonNonDefault(
  t: TableSchema,
  cols: readonly Datum[],
  indexes: readonly number[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const i of indexes) {
    const c = t.userColumns[i];
    if (c === undefined) continue;
    const d = cols[i] as Datum;
    if (!isDefault(d, c.type)) out[c.name] = datumToJson(d, c.type);
  }
  return out;
}
