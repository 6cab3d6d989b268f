// OVSDB errors as they travel on the wire: {"error": <RFC 7047 tag>, "details": <text>}.
// Tags are the RFC's own strings ("constraint violation", "referential integrity violation", ...) and,
// for syntax problems, the tags the Open vSwitch server uses ("syntax error", "unknown table" ...).

export class OvsdbError extends Error {
  constructor(
    readonly tag: string,
    readonly details?: string,
    readonly syntax?: unknown,
  ) {
    super(details === undefined ? tag : `${tag}: ${details}`);
  }

  toJson(): Record<string, unknown> {
    const out: Record<string, unknown> = { error: this.tag };
    if (this.details !== undefined) out.details = this.details;
    if (this.syntax !== undefined) out.syntax = sortedJson(this.syntax);
    return out;
  }
}

export function syntaxError(json: unknown, details: string, tag = "syntax error"): OvsdbError {
  return new OvsdbError(tag, details, json);
}

/** JSON text with object members sorted by name, as Open vSwitch prints the "syntax" of an error. */
export function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** An error without the offending JSON (ovsdb-server's "ovsdb error" and similar). */
export function plainError(tag: string, details: string): OvsdbError {
  return new OvsdbError(tag, details);
}
