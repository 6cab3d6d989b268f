// The byte stream a JSON-RPC connection runs over. Transports (transport/) adapt sockets to it; tests use
// the in-memory pipe below. Nothing here touches Node's I/O.

export interface DuplexEvents {
  /** Bytes arrived. Valid only during the call (transports may reuse one read buffer): copy to keep. */
  onData(chunk: Uint8Array): void;
  /** Everything written so far has been handed to the operating system: backlog is 0 again. */
  onDrain(): void;
  /** The stream is closed (by either side); `error` is set for I/O failures. Called exactly once, last. */
  onClose(error: Error | undefined): void;
}

export interface ByteDuplex {
  /** How the C tools name the peer in logs: "unix#3", "tcp:127.0.0.1:54321", "ssl:[::1]:6641". */
  readonly peerName: string;
  /** Common name of the peer's certificate on SSL connections, otherwise undefined. */
  readonly peerCommonName: string | undefined;
  /** Bytes written but not yet handed to the operating system. */
  readonly backlog: number;
  /** Starts delivering events; data that arrived earlier is held until then. Call once. */
  start(events: DuplexEvents): void;
  /** Queues bytes for sending; ignored once closed. */
  write(bytes: Uint8Array): void;
  /**
   * Queues text for sending as UTF-8; ignored once closed. Optional: a transport that can hand strings to
   * the operating system without first making a byte array (node sockets can) saves an allocation and a
   * copy per message; without it, callers encode and use write().
   */
  writeText?(text: string): void;
  /** Sends what is queued, then closes; onClose follows. Idempotent. */
  close(): void;
  /** Closes at once, dropping what is queued (a peer that does not read). Optional; close() otherwise. */
  abort?(): void;
}

interface PipeEnd extends ByteDuplex {
  /** With autoFlush off: delivers everything written on this end to the other end now. */
  flush(): void;
  /** Simulates an I/O failure on this end: both ends close, this one with `error`. */
  fail(error: Error): void;
}

export interface PipeOptions {
  /** Deliver written bytes on a microtask (default true); when false, only flush() delivers them. */
  autoFlush?: boolean;
  names?: [string, string];
}

/** Two connected in-memory ends: what one writes, the other receives (asynchronously). */
export function createPipe(opts: PipeOptions = {}): [PipeEnd, PipeEnd] {
  const autoFlush = opts.autoFlush ?? true;
  const [nameA, nameB] = opts.names ?? ["pipe#a", "pipe#b"];
  const a = new MemoryEnd(nameA, autoFlush);
  const b = new MemoryEnd(nameB, autoFlush);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryEnd implements PipeEnd {
  peer: MemoryEnd | undefined;
  readonly peerCommonName = undefined;
  private outbox: Uint8Array[] = [];
  private outBytes = 0;
  private inbox: Uint8Array[] = [];
  private events: DuplexEvents | undefined;
  private closing = false;
  private closed = false;
  private closeError: Error | undefined;
  private peerClosing = false;
  private scheduled = false;
  private reported = false;

  constructor(
    readonly peerName: string,
    private readonly autoFlush: boolean,
  ) {}

  get backlog(): number {
    return this.outBytes;
  }

  start(events: DuplexEvents): void {
    this.events = events;
    const held = this.inbox;
    this.inbox = [];
    for (const c of held) events.onData(c);
    if (this.closed) this.reportClose();
    else if (this.peerClosing) this.finishClose();
  }

  write(bytes: Uint8Array): void {
    if (this.closing || this.closed) return;
    this.outbox.push(bytes.slice());
    this.outBytes += bytes.length;
    this.schedule();
  }

  close(): void {
    if (this.closing || this.closed) return;
    this.closing = true;
    this.schedule();
  }

  fail(error: Error): void {
    if (this.closed) return;
    this.outbox = [];
    this.outBytes = 0;
    this.closeError = error;
    this.closing = true;
    this.peer?.peerClosed();
    this.finishClose();
  }

  flush(): void {
    const p = this.peer;
    const chunks = this.outbox;
    this.outbox = [];
    const hadBytes = this.outBytes > 0;
    this.outBytes = 0;
    for (const c of chunks) p?.receive(c);
    if (hadBytes && !this.closed) this.events?.onDrain();
    if (this.closing && !this.closed) {
      p?.peerClosed();
      this.finishClose();
    }
  }

  private schedule(): void {
    if (!this.autoFlush || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private receive(chunk: Uint8Array): void {
    if (this.closed) return;
    if (this.events === undefined) this.inbox.push(chunk);
    else this.events.onData(chunk);
  }

  private peerClosed(): void {
    this.peerClosing = true;
    if (this.events !== undefined) this.finishClose();
  }

  private finishClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.outbox = [];
    this.outBytes = 0;
    this.reportClose();
  }

  private reportClose(): void {
    const ev = this.events;
    if (ev === undefined || this.reported) return;
    this.reported = true;
    queueMicrotask(() => ev.onClose(this.closeError));
  }
}
