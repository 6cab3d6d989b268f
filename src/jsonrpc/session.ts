// A JSON-RPC 1.0 connection over a ByteDuplex: framing, request/reply matching, handlers for what the
// peer sends, automatic "echo", an inactivity probe, and the send backlog. Behaviour mirrors the C
// jsonrpc session as observed on ovsdb-server 3.1:
//   - a malformed stream or message is logged ("error parsing stream: ...", "received bad JSON-RPC
//     message: ...") and the connection dropped ("connection dropped (Protocol error)");
//   - when nothing has been received for the probe interval, an echo request with id "echo" is sent; if
//     still nothing arrives within another interval, the connection is dropped ("no response to
//     inactivity probe after 5 seconds, disconnecting"). Interval 0 disables probing.
// Time comes from the Clock passed in, so all of this runs in tests without sleeping.

import { logger } from "../base/log.js";
import type { Clock, Timer } from "./clock.js";
import type { ByteDuplex } from "./duplex.js";
import { ConnectionClosedError, errorJsonOf, JsonRpcError } from "./errors.js";
import { type FramerOptions, JsonFramer, JsonFramingError } from "./framing.js";
import type { Json, JsonObject } from "./json.js";
import {
  describeMessage,
  type ErrorMessage,
  encodeMessage,
  errorReply,
  type JsonRpcMessage,
  JsonRpcProtocolError,
  messageFromJson,
  type NotificationMessage,
  notification,
  type ReplyMessage,
  type RequestMessage,
  reply,
  request,
} from "./message.js";

const log = logger("jsonrpc");
const rlog = logger("reconnect");

/** Why a connection closed. */
export type CloseReason =
  | { readonly kind: "local" } // close() was called
  | { readonly kind: "eof" } // the peer closed
  | { readonly kind: "protocol"; readonly message: string } // bad framing or JSON-RPC from the peer
  | { readonly kind: "probe-timeout" } // no answer to the inactivity probe
  | { readonly kind: "backlog"; readonly bytes: number } // the peer left more than maxBacklogBytes unread
  | { readonly kind: "io"; readonly message: string }; // the transport failed

export interface JsonRpcHandlers {
  /**
   * A request from the peer. Return (or resolve to) the result; throw (or reject with) a JsonRpcError, or
   * any error with toJson(), to answer with an error. Called in arrival order; async answers may go out
   * in any order. Not called for "echo" when the connection answers echo itself.
   */
  onRequest?: (req: RequestMessage, conn: JsonRpcConnection) => Json | Promise<Json> | typeof NO_REPLY;
  onNotification?: (msg: NotificationMessage, conn: JsonRpcConnection) => void;
  /** Called once, when the connection closes for any reason. Pending requests are rejected first. */
  onClose?: (reason: CloseReason, conn: JsonRpcConnection) => void;
  /** Bytes arrived (any bytes: a long message in transit also proves the peer alive). */
  onActivity?: (conn: JsonRpcConnection) => void;
  /** The send backlog went back to 0. */
  onDrain?: (conn: JsonRpcConnection) => void;
  /**
   * A reply or error whose id matches no request of ours. Default (like ovsdb-server): log
   * "received unexpected reply message" and drop the connection.
   */
  onUnexpectedReply?: (msg: ReplyMessage | ErrorMessage, conn: JsonRpcConnection) => void;
}

/**
 * Watches a connection's life independently of its handlers: setHandlers() leaves observers in place,
 * so a ReconnectingClient keeps track of its connection whatever handlers its user installs.
 */
export interface ConnectionObserver {
  onActivity?: (conn: JsonRpcConnection) => void;
  /** Called after the handlers' onClose. */
  onClose?: (reason: CloseReason, conn: JsonRpcConnection) => void;
}

export interface JsonRpcConnectionOptions extends JsonRpcHandlers {
  clock: Clock;
  /** Log name; defaults to the duplex's peerName. */
  name?: string;
  /** Inactivity probe interval in ms; 0 (the default) disables it. */
  probeIntervalMs?: number;
  /** Answer the peer's "echo" requests automatically (default true). */
  answerEcho?: boolean;
  framing?: FramerOptions;
  /**
   * Bytes that may wait unsent for a peer that does not read: a message sent while more than this waits
   * drops the connection at once, unsent bytes and all ("excessive sending backlog"). Default: no limit.
   */
  maxBacklogBytes?: number;
}

interface PendingRequest {
  resolve(result: Json): void;
  reject(error: Error): void;
  method: string;
}

const PROBE_ID = "echo";

/**
 * Returned by an onRequest handler that answers by itself later with sendText() (a server that serialises
 * shared replies once, or holds a reply until a commit is on disk).
 */
export const NO_REPLY: unique symbol = Symbol("no reply");
const encoder = new TextEncoder();

export class JsonRpcConnection {
  readonly name: string;
  private readonly clock: Clock;
  private readonly framer: JsonFramer;
  private readonly answerEcho: boolean;
  private readonly maxBacklog: number;
  private handlers: JsonRpcHandlers;
  private readonly observers: ConnectionObserver[] = [];
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 0;
  private closeReason: CloseReason | undefined;

  private probeInterval: number;
  private lastActivity: number;
  private probeSentAt: number | undefined;
  private probeTimer: Timer | undefined;

  private received = 0;
  private sent = 0;

  constructor(
    private readonly duplex: ByteDuplex,
    opts: JsonRpcConnectionOptions,
  ) {
    this.name = opts.name ?? duplex.peerName;
    this.clock = opts.clock;
    this.framer = new JsonFramer(opts.framing);
    this.answerEcho = opts.answerEcho ?? true;
    this.maxBacklog = opts.maxBacklogBytes ?? Number.POSITIVE_INFINITY;
    this.handlers = opts;
    this.probeInterval = opts.probeIntervalMs ?? 0;
    this.lastActivity = this.clock.now();
    this.armProbe();
    duplex.start({
      onData: (chunk) => this.onData(chunk),
      onDrain: () => this.handlers.onDrain?.(this),
      onClose: (error) => this.onDuplexClose(error),
    });
  }

  /** Replaces the handlers given at construction (observers stay). */
  setHandlers(handlers: JsonRpcHandlers): void {
    this.handlers = handlers;
  }

  /** Adds an observer (see ConnectionObserver). */
  observe(observer: ConnectionObserver): void {
    this.observers.push(observer);
  }

  get peerName(): string {
    return this.duplex.peerName;
  }

  /** Common name of the peer's SSL certificate, if any (used for RBAC). */
  get peerCommonName(): string | undefined {
    return this.duplex.peerCommonName;
  }

  /** Bytes sent but not yet taken by the operating system; a server caps this per client. */
  get backlog(): number {
    return this.duplex.backlog;
  }

  get closed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Why the connection closed, once it has. */
  get reason(): CloseReason | undefined {
    return this.closeReason;
  }

  /** Messages received and sent so far. */
  get counts(): { received: number; sent: number } {
    return { received: this.received, sent: this.sent };
  }

  /** Number of our requests still waiting for an answer. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Changes the inactivity probe interval (0 disables); takes effect from now. */
  setProbeInterval(ms: number): void {
    this.probeInterval = ms;
    this.armProbe();
  }

  /** Sends a request; resolves with its result, rejects with JsonRpcError or ConnectionClosedError. */
  request(method: string, params: Json[]): Promise<Json> {
    if (this.closeReason !== undefined) {
      return Promise.reject(new ConnectionClosedError(`${this.name}: connection closed`));
    }
    const id = this.nextId++;
    return new Promise<Json>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.send(request(method, params, id));
    });
  }

  notify(method: string, params: Json[]): void {
    this.send(notification(method, params));
  }

  /** Sends any message as is (for replies a caller builds itself). Dropped if the connection is closed. */
  send(msg: JsonRpcMessage): void {
    if (this.closeReason !== undefined) return;
    if (log.enabled("DBG")) log.dbg(`${this.name}: send ${describeMessage(msg)}`);
    this.sent += 1;
    this.writeText(encodeMessage(msg));
  }

  /** Sends one complete message already serialised as JSON text. Dropped if the connection is closed. */
  sendText(text: string): void {
    if (this.closeReason !== undefined) return;
    if (log.enabled("DBG"))
      log.dbg(`${this.name}: send ${text.length > 1024 ? `${text.slice(0, 1024)}...` : text}`);
    this.sent += 1;
    this.writeText(text);
  }

  // The limit is checked before a message is added, not after: one reply bigger than the limit (the
  // initial contents of a large database) still goes to a client that reads, and a client that does
  // not read is dropped at its next message, holding at most the limit plus one message.
  private writeText(text: string): void {
    const backlog = this.duplex.backlog;
    if (backlog > this.maxBacklog) {
      log.warn(
        `${this.name}: excessive sending backlog (${backlog} bytes unread, limit ${this.maxBacklog}), disconnecting`,
      );
      this.shutdown({ kind: "backlog", bytes: backlog });
      return;
    }
    if (this.duplex.writeText !== undefined) this.duplex.writeText(text);
    else this.duplex.write(encoder.encode(text));
  }

  /** Sends an inactivity probe (an "echo" request whose reply this connection absorbs). */
  sendProbe(): void {
    this.send(request("echo", [], PROBE_ID));
  }

  /** Closes the connection (queued bytes are still sent). Pending requests are rejected. */
  close(): void {
    this.shutdown({ kind: "local" });
  }

  private onData(chunk: Uint8Array): void {
    if (this.closeReason !== undefined) return;
    this.lastActivity = this.clock.now();
    this.probeSentAt = undefined;
    this.handlers.onActivity?.(this);
    for (const o of this.observers) o.onActivity?.(this);
    try {
      this.framer.feed(chunk, this.messageHandler);
    } catch (e) {
      if (!(e instanceof JsonFramingError)) throw e;
      if (this.closeReason !== undefined) return;
      log.warn(`${this.name}: error parsing stream: ${e.message}`);
      this.protocolFailure(e.message);
    }
  }

  /** onMessage bound once, not a closure per chunk read. */
  private readonly messageHandler = (obj: JsonObject): void => this.onMessage(obj);

  private onMessage(obj: JsonObject): void {
    if (this.closeReason !== undefined) return;
    let msg: JsonRpcMessage;
    try {
      msg = messageFromJson(obj);
    } catch (e) {
      if (!(e instanceof JsonRpcProtocolError)) throw e;
      log.warn(`${this.name}: received bad JSON-RPC message: ${e.message}`);
      this.protocolFailure(e.message);
      return;
    }
    this.received += 1;
    if (log.enabled("DBG")) log.dbg(`${this.name}: received ${describeMessage(msg)}`);
    try {
      this.dispatch(msg);
    } catch (e) {
      // A handler's bug must not take the framer (or the process, from a socket callback) down with it.
      log.err(`${this.name}: ${msg.type} handler failed: ${e instanceof Error ? e.stack : e}`);
    }
  }

  private dispatch(msg: JsonRpcMessage): void {
    switch (msg.type) {
      case "request":
        this.onRequest(msg);
        return;
      case "notification":
        this.onNotification(msg);
        return;
      case "reply":
      case "error":
        this.onReply(msg);
        return;
    }
  }

  private onRequest(req: RequestMessage): void {
    if (this.answerEcho && req.method === "echo") {
      this.send(reply(req.params, req.id));
      return;
    }
    const handler = this.handlers.onRequest;
    if (handler === undefined) {
      this.send(errorReply("unknown method", req.id));
      return;
    }
    let result: Json | Promise<Json> | typeof NO_REPLY;
    try {
      result = handler(req, this);
    } catch (e) {
      this.sendFailure(req, e);
      return;
    }
    if (result === NO_REPLY) return;
    if (result instanceof Promise) {
      result.then(
        (r) => this.send(reply(r, req.id)),
        (e: unknown) => this.sendFailure(req, e),
      );
    } else {
      this.send(reply(result, req.id));
    }
  }

  private sendFailure(req: RequestMessage, e: unknown): void {
    let error = errorJsonOf(e);
    if (error === undefined) {
      // A thrown bug, not an answer: say so in the log, and give the peer something it can show.
      const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log.err(`${this.name}: ${req.method} request failed: ${text}`);
      error = { error: "internal error", details: e instanceof Error ? e.message : String(e) };
    }
    this.send(errorReply(error, req.id));
  }

  private onNotification(msg: NotificationMessage): void {
    this.handlers.onNotification?.(msg, this);
  }

  private onReply(msg: ReplyMessage | ErrorMessage): void {
    if (msg.id === PROBE_ID) return; // answer to our inactivity probe: receiving it was the point
    const p = typeof msg.id === "number" ? this.pending.get(msg.id) : undefined;
    if (p === undefined) {
      const h = this.handlers.onUnexpectedReply;
      if (h !== undefined) {
        h(msg, this);
        return;
      }
      log.warn(`${this.name}: received unexpected ${msg.type} message`);
      this.protocolFailure(`unexpected ${msg.type} message`);
      return;
    }
    this.pending.delete(msg.id as number);
    if (msg.type === "reply") p.resolve(msg.result);
    else p.reject(new JsonRpcError(msg.error));
  }

  private protocolFailure(message: string): void {
    rlog.warn(`${this.name}: connection dropped (Protocol error)`);
    this.shutdown({ kind: "protocol", message });
  }

  private onDuplexClose(error: Error | undefined): void {
    if (this.closeReason !== undefined) return;
    if (error !== undefined) {
      rlog.warn(`${this.name}: connection dropped (${error.message})`);
      this.shutdown({ kind: "io", message: error.message });
      return;
    }
    try {
      this.framer.finish();
      rlog.dbg(`${this.name}: connection closed by peer`);
    } catch (e) {
      // The peer hung up in the middle of a message: the C server counts that as a plain EOF too.
      rlog.dbg(`${this.name}: connection closed by peer (${e instanceof Error ? e.message : e})`);
    }
    this.shutdown({ kind: "eof" });
  }

  private shutdown(reason: CloseReason): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    this.probeTimer?.cancel();
    this.probeTimer = undefined;
    // A peer that does not read would hold a graceful close (and its backlog) open forever.
    if (reason.kind === "backlog" && this.duplex.abort !== undefined) this.duplex.abort();
    else this.duplex.close();
    const err = new ConnectionClosedError(`${this.name}: connection closed (${describeReason(reason)})`);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
    this.handlers.onClose?.(reason, this);
    for (const o of this.observers) o.onClose?.(reason, this);
  }

  // Inactivity probe. One timer, re-armed lazily: receiving data only records the time, and the timer,
  // when it fires early, re-arms for the remaining time. This keeps the per-message cost at one store.
  private armProbe(): void {
    this.probeTimer?.cancel();
    this.probeTimer = undefined;
    if (this.probeInterval <= 0 || this.closeReason !== undefined) return;
    const base = this.probeSentAt ?? this.lastActivity;
    const due = Math.max(0, base + this.probeInterval - this.clock.now());
    this.probeTimer = this.clock.setTimer(due, () => this.onProbeTimer());
  }

  private onProbeTimer(): void {
    this.probeTimer = undefined;
    if (this.closeReason !== undefined || this.probeInterval <= 0) return;
    const now = this.clock.now();
    if (this.probeSentAt !== undefined) {
      if (now - this.probeSentAt >= this.probeInterval) {
        const secs = Math.round(this.probeInterval / 1000);
        rlog.err(`${this.name}: no response to inactivity probe after ${secs} seconds, disconnecting`);
        this.shutdown({ kind: "probe-timeout" });
        return;
      }
    } else if (now - this.lastActivity >= this.probeInterval) {
      rlog.dbg(`${this.name}: idle ${Math.round(now - this.lastActivity)} ms, sending inactivity probe`);
      this.probeSentAt = now;
      this.sendProbe();
    }
    this.armProbe();
  }
}

export function describeReason(r: CloseReason): string {
  switch (r.kind) {
    case "local":
      return "closed locally";
    case "eof":
      return "connection closed by peer";
    case "protocol":
      return `protocol error: ${r.message}`;
    case "probe-timeout":
      return "no response to inactivity probe";
    case "backlog":
      return `excessive sending backlog (${r.bytes} bytes)`;
    case "io":
      return r.message;
  }
}
