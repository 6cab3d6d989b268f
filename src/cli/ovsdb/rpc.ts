// The client side of one OVSDB JSON-RPC session for ovsdb-client: requests out, replies and
// notifications in. Messages are read and written with the Open vSwitch JSON rules (ovs-json.ts), so
// 64-bit integers and the integer/real distinction survive the trip and the tool prints what the C
// tool would. JsonRpcConnection does the framing and answers the server's "echo"; the requests are our
// own (written as text), so their replies reach us through onUnexpectedReply.

import type { Json } from "../../jsonrpc/json.js";
import type { ErrorMessage, ReplyMessage } from "../../jsonrpc/message.js";
import { JsonRpcConnection } from "../../jsonrpc/session.js";
import { ConnectError, dial } from "../../jsonrpc/transport/dial.js";
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import { systemClock } from "../../jsonrpc/transport/system-clock.js";
import { Fatal } from "./fatal.js";
import { type OJson, parseOvsJson, serializeOvsJson } from "./ovs-json.js";

/** The server answered a request with a JSON-RPC error. */
export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(readonly error: OJson) {
    super(serializeOvsJson(error, { sort: true }));
  }
}

/** The connection closed before the answer came. */
export class RpcClosedError extends Error {
  override readonly name = "RpcClosedError";
}

interface Pending {
  resolve(result: OJson): void;
  reject(e: Error): void;
}

export type NotificationHandler = (method: string, params: OJson) => void;

export class OvsdbRpc {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private notify: NotificationHandler = () => {};
  private closeHandler: (why: string) => void = () => {};
  private readonly conn: JsonRpcConnection;

  private constructor(
    readonly remote: string,
    duplex: Awaited<ReturnType<typeof dial>>,
  ) {
    this.conn = new JsonRpcConnection(duplex, {
      clock: systemClock,
      name: remote,
      framing: { parse: parseOvsJson },
      onUnexpectedReply: (msg) => this.onReply(msg),
      onNotification: (msg) => this.notify(msg.method, msg.params as unknown as OJson),
      onClose: (reason) => {
        const why =
          reason.kind === "eof" ? "End of file" : reason.kind === "io" ? reason.message : reason.kind;
        const err = new RpcClosedError(why);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        this.closeHandler(why);
      },
    });
  }

  /** Connects like the C tool, failing with its message ("failed to connect to ..."). */
  static async connect(remote: string, ssl?: SslOptions): Promise<OvsdbRpc> {
    const type = remote.slice(0, remote.indexOf(":"));
    if (!["unix", "tcp", "ssl"].includes(type))
      throw new Fatal(
        `failed to connect or listen to "${remote}" (Address family not supported by protocol)`,
      );
    try {
      return new OvsdbRpc(remote, await dial(remote, ssl === undefined ? {} : { ssl }));
    } catch (e) {
      if (e instanceof ConnectError) throw new Fatal(`failed to connect to "${remote}" (${e.reason})`);
      throw new Fatal(`failed to connect to "${remote}" (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  /** Sends a request; resolves with its result, rejects with RpcError or RpcClosedError. */
  call(method: string, params: readonly OJson[]): Promise<OJson> {
    if (this.conn.closed) return Promise.reject(new RpcClosedError("connection closed"));
    const id = this.nextId++;
    return new Promise<OJson>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.conn.sendText(serializeOvsJson({ method, params: [...params], id }));
    });
  }

  onNotification(handler: NotificationHandler): void {
    this.notify = handler;
  }

  /** Called once when the connection goes away, with the reason in the C wording. */
  onClose(handler: (why: string) => void): void {
    this.closeHandler = handler;
  }

  close(): void {
    this.conn.close();
  }

  private onReply(msg: ReplyMessage | ErrorMessage): void {
    const id = msg.id as Json;
    const p = typeof id === "number" ? this.pending.get(id) : undefined;
    if (p === undefined) return;
    this.pending.delete(id as number);
    if (msg.type === "reply") p.resolve(msg.result as unknown as OJson);
    else p.reject(new RpcError(msg.error as unknown as OJson));
  }
}
