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
