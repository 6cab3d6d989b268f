// A deliberately small OVSDB JSON-RPC client for the benchmark: one unix socket, numeric request ids,
// promises for replies, callbacks for notifications. No reconnection, no IDL: the benchmark wants to
// see the server's cost, not a client library's.
//
// Huge replies (the initial contents of a monitor) can be left unparsed: above `lazyAbove` bytes a
// message is handed over as its text (RawReply), so that 50 clients' worth of JSON.parse in this one
// process does not dominate the time being measured. Such a reply is matched to the one outstanding
// request, which is the only time the benchmark uses the option.
import { connect as netConnect, type Socket } from "node:net";
import { JsonFramer } from "../../src/jsonrpc/framing.js";
import type { Json, JsonObject } from "../../src/jsonrpc/json.js";

/** A reply kept as text; `text` is the whole JSON-RPC message. */
export class RawReply {
  constructor(readonly text: string) {}
}

/** The server answered with a JSON-RPC error, or a transact operation failed. */
export class RpcError extends Error {
  override readonly name = "RpcError";
}

interface Pending {
  resolve: (v: Json | RawReply) => void;
  reject: (e: Error) => void;
}

export interface ClientOptions {
  /** Messages larger than this many bytes are delivered as RawReply (default: never). */
  lazyAbove?: number;
}

type NotificationHandler = (params: Json[]) => void;

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, NotificationHandler>();
  private readonly framer: JsonFramer;
  private closed: Error | undefined;

  private constructor(
    private readonly sock: Socket,
    opts: ClientOptions,
  ) {
    const lazyAbove = opts.lazyAbove ?? Number.POSITIVE_INFINITY;
    this.framer = new JsonFramer({
      parse: (text) => (text.length > lazyAbove ? new RawReply(text) : JSON.parse(text)),
    });
    sock.on("data", (chunk: Buffer) => {
      try {
        this.framer.feed(chunk, (m) => this.dispatch(m as JsonObject | RawReply));
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
        sock.destroy();
      }
    });
    sock.on("error", (e) => this.fail(e));
    sock.on("close", () => this.fail(new Error("connection closed")));
  }

  /** Connects to a unix socket; rejects if nothing listens there (yet). */
  static connect(path: string, opts: ClientOptions = {}): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const sock = netConnect(path);
      const onError = (e: Error): void => reject(e);
      sock.once("error", onError);
      sock.once("connect", () => {
        sock.off("error", onError);
        resolve(new RpcClient(sock, opts));
      });
    });
  }

  /** Calls `handler` with the params of every notification (or request) named `method`. */
  on(method: string, handler: NotificationHandler): void {
    this.handlers.set(method, handler);
  }

  /** Sends a request; resolves with its result, rejects with the JSON-RPC error. */
  call(method: string, params: Json[]): Promise<Json | RawReply> {
    if (this.closed !== undefined) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sock.write(JSON.stringify({ method, params, id }));
    });
  }

  /**
   * Encodes a request now and returns the function that sends it, so that a benchmark can leave the
   * client's own JSON.stringify of a big request out of the time it measures.
   */
  prepare(method: string, params: Json[]): () => Promise<Json | RawReply> {
    const id = this.nextId++;
    const text = JSON.stringify({ method, params, id });
    return () => {
      if (this.closed !== undefined) return Promise.reject(this.closed);
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.sock.write(text);
      });
    };
  }

  /** A transact on `db`; rejects if any operation failed (the whole transaction then did nothing). */
  async transact(db: string, ops: Json[]): Promise<Json[]> {
    const result = await this.call("transact", [db, ...ops]);
    if (!Array.isArray(result)) throw new RpcError(`transact: unexpected result ${describe(result)}`);
    const failed = result.find(isOpError);
    if (failed !== undefined) throw new RpcError(`transact failed: ${JSON.stringify(failed)}`);
    return result;
  }

  /** Holds writes until `uncork`, so a burst of requests leaves in one system call. */
  cork(): void {
    this.sock.cork();
  }

  uncork(): void {
    this.sock.uncork();
  }

  close(): void {
    this.fail(new Error("client closed"));
    this.sock.destroy();
  }

  private dispatch(m: JsonObject | RawReply): void {
    if (m instanceof RawReply) {
      if (this.pending.size !== 1)
        throw new Error(`raw reply with ${this.pending.size} requests outstanding`);
      const [id, p] = this.pending.entries().next().value as [number, Pending];
      this.pending.delete(id);
      p.resolve(m);
      return;
    }
    const method = m.method;
    if (typeof method === "string") {
      const params = Array.isArray(m.params) ? m.params : [];
      if (method === "echo" && m.id !== null && m.id !== undefined) {
        // Inactivity probe: answer it, or the server would drop us mid-benchmark.
        this.sock.write(JSON.stringify({ id: m.id, result: params, error: null }));
        return;
      }
      this.handlers.get(method)?.(params);
      return;
    }
    const id = m.id;
    if (typeof id !== "number") return;
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    if (m.error !== null && m.error !== undefined)
      p.reject(new RpcError(`server error: ${JSON.stringify(m.error)}`));
    else p.resolve(m.result ?? null);
  }

  private fail(e: Error): void {
    if (this.closed !== undefined) return;
    this.closed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** Whether one element of a transact result reports an error. */
export function isOpError(o: Json): boolean {
  return o !== null && typeof o === "object" && !Array.isArray(o) && "error" in o;
}

function describe(v: Json | RawReply): string {
  return v instanceof RawReply ? `<${v.text.length} bytes>` : JSON.stringify(v).slice(0, 200);
}
