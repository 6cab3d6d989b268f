// The unixctl server: a punix: listener whose JSON-RPC requests are ovs-appctl commands. Replies are
// {"result": text, "error": null} or {"error": text}, exactly as the C daemons send them. Anything else a
// client sends (notifications, replies) is logged and the connection dropped, as the C server does.

import { logger } from "../base/log.js";
import type { Clock } from "../jsonrpc/clock.js";
import { JsonRpcError } from "../jsonrpc/errors.js";
import { JsonRpcConnection } from "../jsonrpc/session.js";
import { type Listener, listen } from "../jsonrpc/transport/listen.js";
import { systemClock } from "../jsonrpc/transport/system-clock.js";
import { UnixctlCommands, type UnixctlHandler, type UnixctlReply } from "./commands.js";

const log = logger("unixctl");

/** The JSON-RPC answer for a reply: the text as result, or thrown as the error member. */
function answer(reply: UnixctlReply): string {
  if (!reply.ok) throw new JsonRpcError(reply.text);
  return reply.text;
}

export interface UnixctlServerOptions {
  /** The `version` command's reply, e.g. "ovsdb-server (ovnts) 0.1.0". */
  version: string;
  clock?: Clock;
}

export class UnixctlServer {
  private constructor(
    readonly path: string,
    readonly commands: UnixctlCommands,
    private readonly listener: Listener,
    private readonly conns: Set<JsonRpcConnection>,
  ) {}

  /** Listens on `path` (a stale socket file is replaced; the file is removed on close). */
  static async listen(path: string, opts: UnixctlServerOptions): Promise<UnixctlServer> {
    const commands = new UnixctlCommands(opts.version);
    const clock = opts.clock ?? systemClock;
    const conns = new Set<JsonRpcConnection>();
    const listener = await listen(`punix:${path}`, {
      onConnection: (duplex) => {
        const conn = new JsonRpcConnection(duplex, {
          clock,
          answerEcho: false,
          onRequest: (req) => {
            const reply = commands.dispatch(req.method, req.params);
            return reply instanceof Promise ? reply.then(answer) : answer(reply);
          },
          onNotification: (_msg, c) => {
            log.warn(`${c.name}: received unexpected notification message`);
            c.close();
          },
          onUnexpectedReply: (msg, c) => {
            log.warn(`${c.name}: received unexpected ${msg.type} message`);
            c.close();
          },
          onClose: (_r, c) => conns.delete(c),
        });
        conns.add(conn);
      },
    });
    log.info(`${path}: listening for ovs-appctl commands`);
    return new UnixctlServer(path, commands, listener, conns);
  }

  /** Adds a command (see UnixctlCommands.register). */
  register(name: string, usage: string, minArgs: number, maxArgs: number, handler: UnixctlHandler): void {
    this.commands.register(name, usage, minArgs, maxArgs, handler);
  }

  /** Stops listening, closes open control connections and removes the socket file. */
  async close(): Promise<void> {
    for (const c of [...this.conns]) c.close();
    this.conns.clear();
    await this.listener.close();
  }
}
