// JSON-RPC 1.0 messages as OVSDB uses them (RFC 7047 §4), validated the way the C implementation does.
// Observed from ovsdb-server 3.1 (each line is what it logs before dropping the connection):
//   - a member whose value is null counts as absent, except that a null "method" is "not a JSON string";
//   - the kind is decided by the first non-null of result (reply), error (error), id (request), else
//     notification; then each of method, params, result, error, id is checked in that order against
//     what the kind requires and forbids: `reply must not have "method"`, `request must have "params"`;
//   - any other member: `message has unexpected member "extra"`.
// On the wire the members go in the C order: id first, and a reply always carries "error": null.

import { isJsonObject, type Json, type JsonObject } from "./json.js";

export interface RequestMessage {
  readonly type: "request";
  readonly method: string;
  readonly params: Json[];
  readonly id: Json;
}

export interface NotificationMessage {
  readonly type: "notification";
  readonly method: string;
  readonly params: Json[];
}

export interface ReplyMessage {
  readonly type: "reply";
  readonly result: Json;
  readonly id: Json;
}

export interface ErrorMessage {
  readonly type: "error";
  readonly error: Json;
  readonly id: Json;
}

export type JsonRpcMessage = RequestMessage | NotificationMessage | ReplyMessage | ErrorMessage;
export type MessageType = JsonRpcMessage["type"];

/** A message that is valid JSON but not valid JSON-RPC; the connection is dropped after one. */
export class JsonRpcProtocolError extends Error {
  override readonly name = "JsonRpcProtocolError";
}

export function request(method: string, params: Json[], id: Json): RequestMessage {
  return { type: "request", method, params, id };
}

export function notification(method: string, params: Json[]): NotificationMessage {
  return { type: "notification", method, params };
}

export function reply(result: Json, id: Json): ReplyMessage {
  return { type: "reply", result, id };
}

export function errorReply(error: Json, id: Json): ErrorMessage {
  return { type: "error", error, id };
}

type Member = "method" | "params" | "result" | "error" | "id";
const MEMBERS: readonly Member[] = ["method", "params", "result", "error", "id"];

/** Which members each kind must have, as bits in MEMBERS order; every other must be absent (or null). */
const REQUIRED: Record<MessageType, number> = {
  request: 0b10011, // method, params, id
  notification: 0b00011, // method, params
  reply: 0b10100, // result, id
  error: 0b11000, // error, id
};

function present(v: Json | undefined): v is Exclude<Json, null> {
  return v !== undefined && v !== null;
}

/** The first member, in MEMBERS order, whose bit is set in `bits`. */
function firstMember(bits: number): Member {
  for (let i = 0; i < MEMBERS.length; i++) if ((bits & (1 << i)) !== 0) return MEMBERS[i] as Member;
  throw new Error("no member bit set");
}

/** Validates a parsed JSON value as a JSON-RPC message; throws JsonRpcProtocolError with OVS's wording. */
export function messageFromJson(json: Json): JsonRpcMessage {
  if (!isJsonObject(json)) throw new JsonRpcProtocolError("message is not a JSON object");
  const method = json.method;
  if (method !== undefined && typeof method !== "string") {
    throw new JsonRpcProtocolError("method is not a JSON string");
  }
  // Every message is checked: for-in over a parsed object (no inherited enumerable members) instead of
  // an Object.keys array and a set lookup per key.
  for (const key in json) {
    if (key !== "method" && key !== "params" && key !== "result" && key !== "error" && key !== "id")
      throw new JsonRpcProtocolError(`message has unexpected member "${key}"`);
  }
  const params = json.params;
  if (present(params) && !Array.isArray(params)) {
    throw new JsonRpcProtocolError('"params" must be JSON array');
  }
  const has =
    (present(method) ? 1 : 0) |
    (present(params) ? 2 : 0) |
    (present(json.result) ? 4 : 0) |
    (present(json.error) ? 8 : 0) |
    (present(json.id) ? 16 : 0);
  const type: MessageType =
    (has & 4) !== 0 ? "reply" : (has & 8) !== 0 ? "error" : (has & 16) !== 0 ? "request" : "notification";
  const required = REQUIRED[type];
  // The first member out of place, in MEMBERS order, decides the message (as one loop over them would).
  const wrong = (required & ~has) | (has & ~required);
  if (wrong !== 0) {
    const m = firstMember(wrong);
    const bit = 1 << MEMBERS.indexOf(m);
    throw new JsonRpcProtocolError(
      (required & bit) !== 0 ? `${type} must have "${m}"` : `${type} must not have "${m}"`,
    );
  }
  // The checks above guarantee every member the kind needs is present and well typed.
  switch (type) {
    case "request":
      return request(method as string, params as Json[], json.id as Json);
    case "notification":
      return notification(method as string, params as Json[]);
    case "reply":
      return reply(json.result as Json, json.id as Json);
    case "error":
      return errorReply(json.error as Json, json.id as Json);
  }
}

/** The wire form, members in the order the C implementation writes them. */
export function messageToJson(m: JsonRpcMessage): JsonObject {
  switch (m.type) {
    case "request":
      return { id: m.id, method: m.method, params: m.params };
    case "notification":
      return { id: null, method: m.method, params: m.params };
    case "reply":
      return { id: m.id, result: m.result, error: null };
    case "error":
      return { id: m.id, error: m.error };
  }
}

export function encodeMessage(m: JsonRpcMessage): string {
  return JSON.stringify(messageToJson(m));
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}...`;
}

/**
 * One-line summary for debug logs, in the C wording (`request, method="echo", params=[], id="echo"`).
 * Each JSON part is cut at `limit` characters. An error message reads "reply, error=..." as in C.
 */
export function describeMessage(m: JsonRpcMessage, limit = 1024): string {
  const j = (v: Json): string => clip(JSON.stringify(v), limit);
  switch (m.type) {
    case "request":
      return `request, method=${j(m.method)}, params=${j(m.params)}, id=${j(m.id)}`;
    case "notification":
      return `notification, method=${j(m.method)}, params=${j(m.params)}`;
    case "reply":
      return `reply, result=${j(m.result)}, id=${j(m.id)}`;
    case "error":
      return `reply, error=${j(m.error)}, id=${j(m.id)}`;
  }
}
