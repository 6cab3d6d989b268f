// JSON values as they travel in JSON-RPC messages. Parsed with JSON.parse, so numbers are IEEE doubles:
// integers beyond 2^53 lose precision unless the framer is given a custom `parse` (see FramerOptions).

export type Json = null | boolean | number | string | Json[] | JsonObject;

export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
