// The IDL's network edge: an Idl over real sockets (unix:, tcp:, ssl:) and the system clock.
import { type DialOptions, dial } from "../../jsonrpc/transport/dial.js";
import { parseRemoteList } from "../../jsonrpc/transport/remote.js";
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import { systemClock } from "../../jsonrpc/transport/system-clock.js";
import { Idl, type IdlOptions } from "./idl.js";
import type { DbModel, Tables } from "./model.js";

export type ConnectIdlOptions<T extends Tables> = Omit<IdlOptions<T>, "remotes" | "dial" | "clock"> & {
  readonly clock?: IdlOptions<T>["clock"];
  /** Required for ssl: remotes. */
  readonly ssl?: SslOptions;
  readonly dialTimeoutMs?: number;
};

/**
 * Makes and starts an Idl for `remotes` as the C tools take them ("unix:/run/ovn/ovnnb_db.sock",
 * "tcp:10.0.0.1:6641,tcp:10.0.0.2:6641"). Call stop() on it when done.
 */
export function connectIdl<T extends Tables>(
  model: DbModel<T>,
  remotes: string,
  opts: ConnectIdlOptions<T> = {},
): Idl<T> {
  const dialOpts: DialOptions = {
    ...(opts.ssl !== undefined && { ssl: opts.ssl }),
    ...(opts.dialTimeoutMs !== undefined && { timeoutMs: opts.dialTimeoutMs }),
  };
  const { ssl: _ssl, dialTimeoutMs: _t, clock, ...rest } = opts;
  const idl = new Idl(model, {
    ...rest,
    remotes: parseRemoteList(remotes).names,
    clock: clock ?? systemClock,
    dial: (r) => dial(r, dialOpts),
  });
  idl.start();
  return idl;
}
