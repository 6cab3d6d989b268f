// Public API of the JSON-RPC layer (pure: no Node I/O). Sockets, listeners and the system clock are in
// ./transport/index.js.

export { type Clock, ManualClock, type Timer } from "./clock.js";
export { type ByteDuplex, createPipe, type DuplexEvents, type PipeOptions } from "./duplex.js";
export { ConnectionClosedError, errorJsonOf, JsonRpcError } from "./errors.js";
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_MESSAGE_BYTES,
  type FramerOptions,
  JsonFramer,
  JsonFramingError,
} from "./framing.js";
export { isJsonObject, type Json, type JsonObject } from "./json.js";
export {
  describeMessage,
  type ErrorMessage,
  encodeMessage,
  errorReply,
  type JsonRpcMessage,
  JsonRpcProtocolError,
  type MessageType,
  messageFromJson,
  messageToJson,
  type NotificationMessage,
  notification,
  type ReplyMessage,
  type RequestMessage,
  reply,
  request,
} from "./message.js";
export {
  DEFAULT_MAX_BACKOFF_MS,
  DEFAULT_MIN_BACKOFF_MS,
  DEFAULT_PROBE_INTERVAL_MS,
  Reconnect,
  type ReconnectAction,
  type ReconnectOptions,
  type ReconnectState,
} from "./reconnect.js";
export {
  type DisconnectReason,
  ReconnectingClient,
  type ReconnectingClientOptions,
} from "./reconnecting-client.js";
export {
  type CloseReason,
  type ConnectionObserver,
  describeReason,
  JsonRpcConnection,
  type JsonRpcConnectionOptions,
  type JsonRpcHandlers,
  NO_REPLY,
} from "./session.js";
