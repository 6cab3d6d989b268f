// Lenient readers of rows in their RFC 7047 JSON encoding (what a `select` or a monitor returns), for
// pure views that take plain JSON tables (the tracer, the controller's flow compiler). Lenient on
// purpose: a missing or mistyped column reads as the column's empty value instead of throwing, because
// these views are built from rows a server already validated against the schema.

/** One row as OVSDB sends it: column name to JSON-encoded datum. */
export type JsonRow = Readonly<Record<string, unknown>>;
/** Rows of one table by UUID. */
export type JsonTable = Readonly<Record<string, JsonRow>>;

/** An atom, with `["uuid", U]` / `["named-uuid", U]` read as the string U. */
export function atom(v: unknown): unknown {
  if (Array.isArray(v) && (v[0] === "uuid" || v[0] === "named-uuid")) return String(v[1]);
  return v;
}

/** The elements of a set column (a bare atom is a one-element set). */
export function setOf(v: unknown): unknown[] {
  if (Array.isArray(v) && v[0] === "set") return (v[1] as unknown[]).map(atom);
  if (v === undefined) return [];
  return [atom(v)];
}

export function strings(v: unknown): string[] {
  return setOf(v).map(String);
}

/** A string-to-string map column as a plain record. */
export function mapOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v) && v[0] === "map") {
    for (const pair of v[1] as unknown[][]) out[String(atom(pair[0]))] = String(atom(pair[1]));
  }
  return out;
}

export function str(v: unknown): string {
  const a = atom(v);
  return typeof a === "string" ? a : "";
}

export function num(v: unknown): number {
  const a = atom(v);
  return typeof a === "number" ? a : 0;
}

/** A 0..1 column: null when empty, else `f` of its element. */
export function optional<T>(v: unknown, f: (x: unknown) => T): T | null {
  const s = setOf(v);
  return s.length === 0 ? null : f(s[0]);
}

export function rows(t: JsonTable | undefined): [string, JsonRow][] {
  return Object.entries(t ?? {});
}
