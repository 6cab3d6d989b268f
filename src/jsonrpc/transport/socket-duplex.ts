// Adapts a connected node:net / node:tls socket to the ByteDuplex the JSON-RPC layer runs on.
//
// Writes are gathered and leave in one socket write (one system call) per connection: the replies to a
// burst of pipelined requests, or a notification and the reply that must follow it. What is written
// while a read callback runs (the usual case for a server: requests in, replies out) is flushed when
// that callback returns, so a lone reply leaves at once, without waiting for process.nextTick; what is
// written elsewhere (timers, promises) is flushed at the end of the turn. Text is handed to the socket as
// a string, which node encodes straight into the kernel's buffer when the write completes at once; a
// byte array per message would be one more allocation and copy.

import type { Socket } from "node:net";
import type { ByteDuplex, DuplexEvents } from "../duplex.js";
import { errorText } from "./errno.js";

const encoder = new TextEncoder();

export interface SocketDuplexOptions {
  /**
   * The socket delivers its bytes by calling received() itself (net.Socket's `onread`, see
   * shared-read.ts) instead of through 'data' events.
   */
  readsItself?: boolean;
}

export class SocketDuplex implements ByteDuplex {
  private events: DuplexEvents | undefined;
  private error: Error | undefined;
  private closed = false;
  private ending = false;
  private readonly readsItself: boolean;
  /** Messages written and not yet given to the socket (strings, or bytes when any is bytes). */
  private pending: (string | Uint8Array)[] = [];
  /** Whether `pending` holds only strings. */
  private pendingText = true;
  /** Size of `pending` (UTF-16 units for text: close enough for the backlog cap). */
  private pendingBytes = 0;

  constructor(
    private readonly socket: Socket,
    readonly peerName: string,
    readonly peerCommonName: string | undefined = undefined,
    opts: SocketDuplexOptions = {},
  ) {
    this.readsItself = opts.readsItself ?? false;
    // Hold incoming data until start(); record errors, which Node reports just before "close".
    socket.pause();
    socket.on("error", (e) => {
      this.error ??= new Error(errorText(e));
    });
    socket.on("close", () => {
      this.closed = true;
      this.pending = [];
      this.pendingBytes = 0;
      this.events?.onClose(this.error);
    });
  }

  get backlog(): number {
    return this.socket.writableLength + this.pendingBytes;
  }

  start(events: DuplexEvents): void {
    this.events = events;
    if (!this.readsItself) this.socket.on("data", (b: Buffer) => this.received(b));
    this.socket.on("drain", () => events.onDrain());
    if (this.closed) queueMicrotask(() => events.onClose(this.error));
    else this.socket.resume();
  }

  /**
   * Bytes read from the socket (valid only during the call: they may be a shared read buffer). What the
   * handlers write meanwhile, to this connection or others, is flushed when they return.
   */
  received(bytes: Uint8Array): void {
    const events = this.events;
    if (events === undefined) return;
    reading += 1;
    reads += 1;
    try {
      events.onData(bytes);
    } finally {
      reading -= 1;
      if (reading === 0) {
        const wrote = dirty.length > 0;
        if (wrote) flushAll();
        if (afterThis.length > 0) runAfterThis();
        afterRead?.(bytes.length, wrote);
        for (let i = 0; i < afterReadHooks.length; i++)
          (afterReadHooks[i] as AfterReadHook)(bytes.length, wrote);
      }
    }
  }

  write(bytes: Uint8Array): void {
    if (!this.queue(bytes, bytes.length)) return;
    this.pendingText = false;
  }

  writeText(text: string): void {
    this.queue(text, text.length);
  }

  private queue(part: string | Uint8Array, size: number): boolean {
    if (this.ending || this.closed || this.socket.destroyed) return false;
    if (this.pending.length === 0) markDirty(this);
    this.pending.push(part);
    this.pendingBytes += size;
    return true;
  }

  /** Gives the gathered messages to the socket (see markDirty). */
  flush(): void {
    const parts = this.pending;
    if (parts.length === 0) return;
    this.pending = [];
    this.pendingBytes = 0;
    const text = this.pendingText;
    this.pendingText = true;
    if (this.closed || this.socket.destroyed) return;
    if (parts.length === 1) this.socket.write(parts[0] as string | Uint8Array);
    else if (text) this.socket.write((parts as string[]).join(""));
    else this.socket.write(concat(parts));
  }

  close(): void {
    if (this.ending || this.closed) return;
    // What was gathered goes first.
    this.flush();
    this.ending = true;
    // Flush what is queued, then tear down both directions even if the peer keeps its side open.
    this.socket.end(() => this.socket.destroy());
    this.socket.pause();
  }

  abort(): void {
    if (this.closed) return;
    this.ending = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.socket.destroy();
  }
}

/**
 * Called after each read callback with the number of bytes read and whether the handlers wrote
 * anything meanwhile (a read that completes no request writes nothing: see daemon/young-gen.ts).
 */
export type AfterReadHook = (bytes: number, wrote: boolean) => void;

let afterRead: AfterReadHook | undefined;
const afterReadHooks: AfterReadHook[] = [];

/** Read callbacks run so far, process-wide (idle detection: daemon/idle-compact.ts). */
let reads = 0;

/** How many reads sockets of this process have delivered so far. */
export function readCount(): number {
  return reads;
}

/**
 * Sets a function called after each read callback, once its replies have been handed to the socket: the
 * peer is already on its way, so work done here (see daemon/young-gen.ts) is off the request's path.
 * Process-wide; undefined removes it. It must not throw.
 */
export function setAfterReadHook(fn: AfterReadHook | undefined): void {
  afterRead = fn;
}

/** Functions to run once after the current read callback's replies are flushed (afterThisRead). */
let afterThis: (() => void)[] = [];
let afterThisSpare: (() => void)[] = [];

/**
 * Inside a read callback, arranges for `fn` to run once right after the callback's replies have been
 * handed to the socket (before the after-read hooks), and returns true; outside one, returns false and
 * the caller must see to it itself. Asked twice for the same function, runs it once. It must not throw.
 * Costs no allocation: a server defers work past its reply this way on every transaction.
 */
export function afterThisRead(fn: () => void): boolean {
  if (reading === 0) return false;
  if (!afterThis.includes(fn)) afterThis.push(fn);
  return true;
}

function runAfterThis(): void {
  const list = afterThis;
  afterThis = afterThisSpare;
  for (const fn of list) fn();
  list.length = 0;
  afterThisSpare = list;
}

/**
 * Adds a function called after each read callback, like setAfterReadHook's but alongside it and any
 * other added; returns what removes it. It must not throw.
 */
export function addAfterReadHook(fn: AfterReadHook): () => void {
  afterReadHooks.push(fn);
  return () => {
    const at = afterReadHooks.indexOf(fn);
    if (at >= 0) afterReadHooks.splice(at, 1);
  };
}

// Connections with gathered messages. Inside a read callback they are flushed when it returns; outside,
// one process.nextTick callback flushes them all at the end of the turn: a notification fanned out to
// many clients then schedules one callback, not one per client.
let dirty: SocketDuplex[] = [];
/** Depth of read callbacks running (received() is not re-entered in practice, but a count is safe). */
let reading = 0;
let tickScheduled = false;

function markDirty(d: SocketDuplex): void {
  dirty.push(d);
  if (reading === 0 && !tickScheduled) {
    tickScheduled = true;
    process.nextTick(onTick);
  }
}

function onTick(): void {
  tickScheduled = false;
  flushAll();
}

function flushAll(): void {
  const list = dirty;
  dirty = [];
  for (const d of list) d.flush();
}

function concat(parts: readonly (string | Uint8Array)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
