// Active remotes: unix:, tcp:, ssl:. dial() resolves once the stream is connected (and, for ssl:, the
// handshake done with the peer's certificate verified against the CA).

import { connect as netConnect, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { logger } from "../../base/log.js";
import type { ByteDuplex } from "../duplex.js";
import { errorText } from "./errno.js";
import { type ActiveRemote, formatRemote, parseActiveRemote } from "./remote.js";
import { SocketDuplex } from "./socket-duplex.js";
import { loadSsl, peerCaPem, peerCommonName, type SslOptions, saveCaCert, tlsSettings } from "./ssl.js";

const log = logger("stream_ssl");

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
  let bootstrapping = false;
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
    const ssl = opts.ssl;
    const m = await loadSsl(ssl);
    const settings = tlsSettings(ssl);
    // Loaded on first use, as in listen.ts.
    const { connect: tlsConnect } = await import("node:tls");
    bootstrapping = m.ca === undefined;
    socket = tlsConnect({
      host: remote.host,
      port: remote.port,
      key: m.key,
      cert: m.cert,
      ...(m.ca !== undefined && { ca: m.ca }),
      ...settings,
      // While bootstrapping there is no CA to check the server against yet: that is the point.
      rejectUnauthorized: !bootstrapping,
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
  if (bootstrapping && opts.ssl !== undefined) bootstrapCa(socket as TLSSocket, opts.ssl.caCert, name);
  const cn = remote.kind === "ssl" ? peerCommonName(socket as TLSSocket) : undefined;
  return new SocketDuplex(socket, name, cn);
}

/**
 * --bootstrap-ca-cert with no CA file yet: save the CA certificate at the top of the server's chain and
 * drop this unverified connection; the next attempt verifies the server against the saved CA.
 */
function bootstrapCa(socket: TLSSocket, caFile: string, name: string): never {
  const pem = peerCaPem(socket);
  socket.destroy();
  if (pem === undefined) {
    const reason = "peer did not send a self-signed CA certificate to bootstrap from";
    log.err(`${name}: ${reason}`);
    throw new ConnectError(`${name}: connection attempt failed (${reason})`, reason);
  }
  try {
    saveCaCert(caFile, pem);
  } catch (e) {
    const reason = `could not save bootstrapped CA certificate to ${caFile}: ${errorText(e)}`;
    log.err(`${name}: ${reason}`);
    throw new ConnectError(`${name}: connection attempt failed (${reason})`, reason);
  }
  log.info(`successfully bootstrapped CA cert to ${caFile}`);
  const reason = "bootstrapped CA certificate, reconnecting";
  throw new ConnectError(`${name}: connection attempt failed (${reason})`, reason);
}
