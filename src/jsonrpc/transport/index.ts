// The network edge of the JSON-RPC layer: remotes, listeners, dialing, SSL, the system clock, and
// ready-made JSON-RPC clients over them.

import { ReconnectingClient, type ReconnectingClientOptions } from "../reconnecting-client.js";
import type { JsonRpcConnectionOptions } from "../session.js";
import { JsonRpcConnection } from "../session.js";
import { type DialOptions, dial } from "./dial.js";
import { parseRemoteList } from "./remote.js";
import type { SslOptions } from "./ssl.js";
import { systemClock } from "./system-clock.js";

export { ConnectError, type DialOptions, dial } from "./dial.js";
export { errorText } from "./errno.js";
export { DEFAULT_LISTEN_BACKLOG, ListenError, type Listener, type ListenOptions, listen } from "./listen.js";
export {
  type ActiveRemote,
  DEFAULT_OVSDB_PORT,
  formatRemote,
  isPassive,
  type PassiveRemote,
  parseActiveRemote,
  parsePassiveRemote,
  parseRemote,
  parseRemoteList,
  type Remote,
  type RemoteList,
  RemoteSyntaxError,
} from "./remote.js";
export { SocketDuplex } from "./socket-duplex.js";
export { loadSsl, type SslOptions } from "./ssl.js";
export { systemClock } from "./system-clock.js";

/** Dials an active remote and runs a JSON-RPC connection over it (system clock unless given). */
export async function connectJsonRpc(
  remote: string,
  opts: Partial<JsonRpcConnectionOptions> & DialOptions = {},
): Promise<JsonRpcConnection> {
  const duplex = await dial(remote, opts);
  return new JsonRpcConnection(duplex, { ...opts, clock: opts.clock ?? systemClock });
}

/**
 * A ReconnectingClient over real sockets for a client's remote list ("unix:/a.sock" or
 * "tcp:10.0.0.1:6641,tcp:10.0.0.2:6641"). Call start() on it.
 */
export function reconnectingClient(
  remotes: string,
  opts: Omit<ReconnectingClientOptions, "remotes" | "dial" | "clock"> & {
    clock?: ReconnectingClientOptions["clock"];
    ssl?: SslOptions;
    dialTimeoutMs?: number;
  } = {},
): ReconnectingClient {
  const list = parseRemoteList(remotes).names;
  const dialOpts: DialOptions = {
    ...(opts.ssl !== undefined && { ssl: opts.ssl }),
    ...(opts.dialTimeoutMs !== undefined && { timeoutMs: opts.dialTimeoutMs }),
  };
  return new ReconnectingClient({
    ...opts,
    remotes: list,
    clock: opts.clock ?? systemClock,
    dial: (r) => dial(r, dialOpts),
  });
}
