// An in-memory OVSDB server for IDL unit tests: the real server core (src/ovsdb/server) behind in-memory
// pipes, a manual clock, and hooks to make it behave like other servers (older methods, a follower).
import { loadSchemaJson, type SchemaName } from "../../../base/schemas.js";
import { ManualClock } from "../../../jsonrpc/clock.js";
import { type ByteDuplex, createPipe } from "../../../jsonrpc/duplex.js";
import { JsonRpcError } from "../../../jsonrpc/errors.js";
import type { Json } from "../../../jsonrpc/json.js";
import type { RequestMessage } from "../../../jsonrpc/message.js";
import { JsonRpcConnection, NO_REPLY } from "../../../jsonrpc/session.js";
import { parseSchema } from "../../schema/parse.js";
import { OvsdbServer } from "../../server/server.js";

/** Lets microtasks and immediates run until the pipes are quiet. */
export async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Answer for a request instead of the server, or undefined to let the server answer. */
export type Intercept = (
  req: RequestMessage,
  remote: string,
) => { result: Json } | { error: Json } | undefined;

export class MemServer {
  readonly clock: ManualClock;
  readonly server: OvsdbServer;
  /** Every request received, as "remote method", in order. */
  readonly requests: string[] = [];
  /** Full requests, for checking params. */
  readonly received: RequestMessage[] = [];
  /** Remotes that accept connections. */
  readonly up = new Set<string>(["unix:/db.sock"]);
  intercept: Intercept | undefined;
  /** Called right after the server has handled a request (its reply is already queued). */
  after: ((req: RequestMessage, remote: string) => void) | undefined;
  private readonly conns: JsonRpcConnection[] = [];

  constructor(schemas: readonly SchemaName[], clock = new ManualClock()) {
    this.clock = clock;
    this.server = new OvsdbServer({ now: () => this.clock.now() });
    for (const s of schemas) this.server.addDb(parseSchema(loadSchemaJson(s)), undefined);
  }

  /** The dial function for an Idl. */
  dial = (remote: string): Promise<ByteDuplex> => {
    if (!this.up.has(remote))
      return Promise.reject(Object.assign(new Error("refused"), { reason: "Connection refused" }));
    const [client, serverEnd] = createPipe({ names: [remote, `server:${remote}`] });
    this.attach(serverEnd, remote);
    return Promise.resolve(client);
  };

  /** A plain JSON-RPC client of the server (another database client, e.g. one racing the IDL). */
  rawClient(): JsonRpcConnection {
    const [client, serverEnd] = createPipe({ names: ["raw", "server:raw"] });
    this.attach(serverEnd, "raw");
    return new JsonRpcConnection(client, { clock: this.clock });
  }

  /** Runs a transaction directly on the server; returns the per-operation results. */
  async transact(db: string, ...ops: Json[]): Promise<Json[]> {
    const c = this.rawClient();
    try {
      return (await c.request("transact", [db, ...ops])) as Json[];
    } finally {
      c.close();
    }
  }

  /**
   * Commits a transaction synchronously, so that the updates it causes are queued on the connections at
   * once (right behind whatever the server just sent). Returns the results.
   */
  transactNow(db: string, ...ops: Json[]): Json {
    let out: Json = null;
    const s = this.server.connect({
      name: "now",
      sendText: (text) => {
        out = (JSON.parse(text) as { result: Json }).result;
      },
      close: () => {},
    });
    this.server.handle(s, "transact", [db, ...ops], 1);
    this.server.disconnect(s);
    return out;
  }

  /** Closes every connection from the server side (as a restarting server would). */
  dropAll(): void {
    for (const c of this.conns.splice(0)) c.close();
  }

  /** The server ends of the live connections from `remote`. */
  connectionsFrom(remote: string): JsonRpcConnection[] {
    return this.conns.filter((c) => !c.closed && c.name === `server:${remote}`);
  }

  get connectionCount(): number {
    return this.conns.filter((c) => !c.closed).length;
  }

  private attach(duplex: ByteDuplex, remote: string): void {
    const conn = new JsonRpcConnection(duplex, {
      clock: this.clock,
      answerEcho: false,
      name: `server:${remote}`,
    });
    const session = this.server.connect({
      name: remote,
      sendText: (text) => conn.sendText(text),
      close: () => conn.close(),
    });
    conn.setHandlers({
      onRequest: (req) => {
        this.requests.push(`${remote} ${req.method}`);
        this.received.push(req);
        const hooked = this.intercept?.(req, remote);
        if (hooked !== undefined) {
          if ("error" in hooked) throw new JsonRpcError(hooked.error);
          return hooked.result;
        }
        this.server.handle(session, req.method, req.params, req.id);
        this.after?.(req, remote);
        return NO_REPLY;
      },
      onNotification: (msg) => this.server.handle(session, msg.method, msg.params, null),
      onClose: () => this.server.disconnect(session),
    });
    this.conns.push(conn);
  }
}

/** Waits (moving the clock in steps) until `check` holds; fails with `what` after many steps. */
export async function until(
  clock: ManualClock,
  check: () => boolean,
  what: string,
  stepMs = 100,
): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await settle();
    if (check()) return;
    clock.advance(stepMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}
