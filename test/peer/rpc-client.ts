// A bare OVSDB JSON-RPC client for peer tests: one socket, requests matched to replies by id, every
// notification kept in arrival order, echo answered. It deliberately has no IDL logic, so a test sees
// exactly what the server sent (found flags, last-txn-ids, update3 bodies). Framing uses the project's
// byte-level JsonFramer, the one piece the wire needs that node:net does not give.
import { connect, type Socket } from "node:net";
import { JsonFramer } from "../../src/jsonrpc/framing.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A JSON-RPC error reply ({"error": …}) turned into an exception; `error` is the server's object. */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly error: Json,
  ) {
    super(`${method}: server replied with error ${JSON.stringify(error)}`);
    this.name = "RpcError";
  }
}

export interface Notification {
  method: string;
  params: Json[];
}

interface Pending {
  method: string;
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
}

export class RpcClient {
  /** Every notification received so far (update3, update2, locked …), in order. */
  readonly notifications: Notification[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly framer = new JsonFramer();
  private nextId = 1;
  private closedWith: Error | undefined;
  private waiters: (() => void)[] = [];

  private constructor(private readonly sock: Socket) {
    sock.on("data", (chunk: Buffer) => {
      try {
        this.framer.feed(chunk, (m) => this.onMessage(m as Record<string, Json>));
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
        sock.destroy();
      }
    });
    sock.on("error", (e) => this.fail(e));
    sock.on("close", () => this.fail(new Error("connection closed")));
  }

  /** Connects to "unix:PATH" or "tcp:IP:PORT". */
  static open(remote: string): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const m = /^tcp:(.*):(\d+)$/.exec(remote);
      const sock = remote.startsWith("unix:")
        ? connect(remote.slice("unix:".length))
        : m !== null
          ? connect(Number(m[2]), m[1] as string)
          : undefined;
      if (sock === undefined) {
        reject(new Error(`RpcClient: unsupported remote ${remote}`));
        return;
      }
      sock.once("error", reject);
      sock.once("connect", () => {
        sock.off("error", reject);
        resolve(new RpcClient(sock));
      });
    });
  }

  /** Sends a request and resolves with its result; an error reply rejects with RpcError. */
  request(method: string, params: Json[]): Promise<Json> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.sock.write(JSON.stringify({ id, method, params }));
    });
  }

  /** `transact` on a database; resolves with the array of operation results. */
  async transact(db: string, ...ops: Json[]): Promise<Json[]> {
    return (await this.request("transact", [db, ...ops])) as Json[];
  }

  /** Resolves once a notification satisfying `pred` has arrived (already or later); rejects on close. */
  async waitForNotification(pred: (n: Notification) => boolean, timeoutMs = 5000): Promise<Notification> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.notifications.find(pred);
      if (hit !== undefined) return hit;
      if (this.closedWith !== undefined) throw this.closedWith;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching notification within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Whether the connection has ended (either side). */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Closes the socket; pending requests reject. */
  close(): void {
    this.sock.destroy();
    this.fail(new Error("closed by client"));
  }

  private onMessage(m: Record<string, Json>): void {
    const id = m.id;
    if (typeof m.method === "string") {
      // Requests from the server (echo) need an answer or the server drops us as dead.
      if (id !== null && id !== undefined) {
        if (m.method === "echo") this.sock.write(JSON.stringify({ id, result: m.params, error: null }));
        return;
      }
      this.notifications.push({ method: m.method, params: (m.params ?? []) as Json[] });
      const ws = this.waiters;
      this.waiters = [];
      for (const w of ws) w();
      return;
    }
    if (typeof id !== "number") return;
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    if (m.error !== null && m.error !== undefined) p.reject(new RpcError(p.method, m.error));
    else p.resolve(m.result ?? null);
  }

  private fail(e: Error): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}

/** Opens a client, runs `fn`, and always closes it. */
export async function withClient<T>(remote: string, fn: (c: RpcClient) => Promise<T>): Promise<T> {
  const c = await RpcClient.open(remote);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}
