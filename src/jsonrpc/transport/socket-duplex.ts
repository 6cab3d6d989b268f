// Adapts a connected node:net / node:tls socket to the ByteDuplex the JSON-RPC layer runs on.

import type { Socket } from "node:net";
import type { ByteDuplex, DuplexEvents } from "../duplex.js";
import { errorText } from "./errno.js";

export class SocketDuplex implements ByteDuplex {
  private events: DuplexEvents | undefined;
  private error: Error | undefined;
  private closed = false;
  private ending = false;
  private corked = false;

  constructor(
    private readonly socket: Socket,
    readonly peerName: string,
    readonly peerCommonName: string | undefined = undefined,
  ) {
    // Hold incoming data until start(); record errors, which Node reports just before "close".
    socket.pause();
    socket.on("error", (e) => {
      this.error ??= new Error(errorText(e));
    });
    socket.on("close", () => {
      this.closed = true;
      this.events?.onClose(this.error);
    });
  }

  get backlog(): number {
    return this.socket.writableLength;
  }

  start(events: DuplexEvents): void {
    this.events = events;
    this.socket.on("data", (b: Buffer) => events.onData(b));
    this.socket.on("drain", () => events.onDrain());
    if (this.closed) queueMicrotask(() => events.onClose(this.error));
    else this.socket.resume();
  }

  write(bytes: Uint8Array): void {
    if (this.ending || this.closed || this.socket.destroyed) return;
    // Everything written in one turn of the event loop (say, replies to a burst of pipelined requests)
    // leaves in one system call.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(bytes);
  }

  close(): void {
    if (this.ending || this.closed) return;
    this.ending = true;
    // Flush what is queued, then tear down both directions even if the peer keeps its side open.
    this.socket.end(() => this.socket.destroy());
    this.socket.pause();
  }
}
