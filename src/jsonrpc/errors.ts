// Errors a JSON-RPC connection hands to its users.

import type { Json } from "./json.js";

/**
 * The peer answered a request with an error, or a request handler wants to answer with one: `error` is the
 * JSON sent as the reply's "error" member (for OVSDB, {"error": tag, "details": text} or a bare string).
 */
export class JsonRpcError extends Error {
  override readonly name = "JsonRpcError";

  constructor(readonly error: Json) {
    super(typeof error === "string" ? error : JSON.stringify(error));
  }
}

/** The connection closed before the request was answered. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
}

/** Anything a handler may throw that knows its own wire form, such as OvsdbError. */
interface HasToJson {
  toJson(): unknown;
}

function hasToJson(e: unknown): e is HasToJson {
  return typeof e === "object" && e !== null && typeof (e as { toJson?: unknown }).toJson === "function";
}

/**
 * The "error" member to send for something a request handler threw: a JsonRpcError's JSON, the toJson()
 * of an error that has one, and otherwise undefined (a bug: the caller decides what to say).
 */
export function errorJsonOf(e: unknown): Json | undefined {
  if (e instanceof JsonRpcError) return e.error;
  if (hasToJson(e)) return e.toJson() as Json;
  return undefined;
}
