// Active remotes: unix:, tcp:, ssl:. dial() resolves once the stream is connected (and, for ssl:, the
// handshake done with the peer's certificate verified against the CA).

import { connect as netConnect, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { ByteDuplex } from "../duplex.js";
import { errorText } from "./errno.js";
import { type ActiveRemote, formatRemote, parseActiveRemote } from "./remote.js";
import { SocketDuplex } from "./socket-duplex.js";
import { loadSsl, peerCommonName, type SslOptions, TLS_MIN_VERSION } from "./ssl.js";

export interface DialOptions {
  /** Required for ssl:. */
  ssl?: SslOptions;
  /** Give up after this long (default: the operating system's own timeout). */
  timeoutMs?: number;
  /** Log name of the connection; defaults to the remote's text, as the C clients name it. */
  name?: string;
}

export class ConnectError extends Error {
  override readonly name = "ConnectError";

  /** `message` is "REMOTE: connection attempt failed (REASON)"; `reason` is the strerror-like part. */
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export async function dial(remoteSpec: ActiveRemote | string, opts: DialOptions = {}): Promise<ByteDuplex> {
  const remote = typeof remoteSpec === "string" ? parseActiveRemote(remoteSpec) : remoteSpec;
  const name = opts.name ?? (typeof remoteSpec === "string" ? remoteSpec : formatRemote(remote));
  let socket: Socket;
  let ready: string;
  if (remote.kind === "unix") {
    socket = netConnect({ path: remote.path });
    ready = "connect";
  } else if (remote.kind === "tcp") {
    socket = netConnect({ host: remote.host, port: remote.port, noDelay: true });
    ready = "connect";
  } else {
    if (opts.ssl === undefined) {
      const reason = "SSL remote requires --private-key, --certificate and --ca-cert";
      throw new ConnectError(`${name}: ${reason}`, reason);
    }
    const m = await loadSsl(opts.ssl);
    // Loaded on first use, as in listen.ts.
    const { connect: tlsConnect } = await import("node:tls");
    socket = tlsConnect({
      host: remote.host,
      port: remote.port,
      key: m.key,
      cert: m.cert,
      ca: m.ca,
      rejectUnauthorized: true,
      minVersion: TLS_MIN_VERSION,
      checkServerIdentity: () => undefined,
    });
    socket.setNoDelay(true);
    ready = "secureConnect";
  }
  socket.pause();
  await new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (e: unknown): void => {
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      const reason = errorText(e);
      reject(new ConnectError(`${name}: connection attempt failed (${reason})`, reason));
    };
    socket.once("error", fail);
    socket.once(ready, () => {
      if (timer !== undefined) clearTimeout(timer);
      socket.off("error", fail);
      resolve();
    });
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => fail({ code: "ETIMEDOUT" }), opts.timeoutMs);
  });
  const cn = remote.kind === "ssl" ? peerCommonName(socket as TLSSocket) : undefined;
  return new SocketDuplex(socket, name, cn);
}
