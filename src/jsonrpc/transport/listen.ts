// Passive remotes: punix:, ptcp:, pssl:. A Listener accepts connections and hands each one over as a
// ByteDuplex named like the C server names it ("unix#3", "tcp:127.0.0.1:54321", "ssl:[::1]:40000").

import { lstat, unlink } from "node:fs/promises";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { logger } from "../../base/log.js";
import type { ByteDuplex } from "../duplex.js";
import { errorText } from "./errno.js";
import { formatRemote, isIpv6, type PassiveRemote, parsePassiveRemote } from "./remote.js";
import { SocketDuplex } from "./socket-duplex.js";
import { loadSsl, peerCommonName, type SslOptions, TLS_MIN_VERSION } from "./ssl.js";

const log = logger("stream");

export interface ListenOptions {
  /** Each accepted connection. */
  onConnection: (duplex: ByteDuplex) => void;
  /** Required for pssl:. */
  ssl?: SslOptions;
  /** listen(2) backlog; at least 512 so that bursts of clients (a whole cluster reconnecting) queue. */
  backlog?: number;
}

export interface Listener {
  readonly remote: PassiveRemote;
  /** The remote with the port actually bound (ptcp:0 becomes ptcp:43127:...). */
  readonly name: string;
  /** Bound TCP port; undefined for punix:. */
  readonly port: number | undefined;
  /** Stops accepting (existing connections stay up) and removes the punix: socket file. */
  close(): Promise<void>;
}

export const DEFAULT_LISTEN_BACKLOG = 1024;

/** Numbers unix connections as the C server does ("unix#N"), process-wide. */
let unixSeq = 0;

export function peerNameOf(kind: "tcp" | "ssl", socket: Socket): string {
  const host = socket.remoteAddress ?? "?";
  return `${kind}:${isIpv6(host) ? `[${host}]` : host}:${socket.remotePort ?? 0}`;
}

export class ListenError extends Error {
  override readonly name = "ListenError";
}

export async function listen(remoteSpec: PassiveRemote | string, opts: ListenOptions): Promise<Listener> {
  const remote = typeof remoteSpec === "string" ? parsePassiveRemote(remoteSpec) : remoteSpec;
  const text = formatRemote(remote);
  const server = await makeServer(remote, opts);
  if (remote.kind === "punix") await removeStaleSocket(remote.path, text);
  const backlog = Math.max(opts.backlog ?? DEFAULT_LISTEN_BACKLOG, 512);
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(new ListenError(`${text}: listen failed (${errorText(e)})`));
    server.once("error", onError);
    const done = (): void => {
      server.off("error", onError);
      resolve();
    };
    if (remote.kind === "punix") server.listen({ path: remote.path, backlog }, done);
    else server.listen({ port: remote.port, host: remote.host, backlog, ipv6Only: false }, done);
  });
  server.on("error", (e) => log.err(`${text}: ${errorText(e)}`));
  const port = remote.kind === "punix" ? undefined : (server.address() as AddressInfo).port;
  const name = remote.kind === "punix" ? text : formatRemote({ ...remote, port: port as number });
  log.info(`${name}: listening`);
  let closed = false;
  return {
    remote,
    name,
    port,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (remote.kind === "punix") await unlink(remote.path).catch(() => undefined);
    },
  };
}

async function makeServer(remote: PassiveRemote, opts: ListenOptions): Promise<Server> {
  if (remote.kind === "pssl") {
    if (opts.ssl === undefined) {
      throw new ListenError(
        `${formatRemote(remote)}: SSL remote requires --private-key, --certificate and --ca-cert`,
      );
    }
    const m = await loadSsl(opts.ssl);
    // node:tls is loaded only when an SSL remote is used: it costs a daemon megabytes otherwise.
    const { createServer: createTlsServer } = await import("node:tls");
    const server = createTlsServer({
      key: m.key,
      cert: m.cert,
      ca: m.ca,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: TLS_MIN_VERSION,
    });
    server.on("secureConnection", (s: TLSSocket) => {
      s.setNoDelay(true);
      opts.onConnection(new SocketDuplex(s, peerNameOf("ssl", s), peerCommonName(s)));
    });
    server.on("tlsClientError", (e, s) => {
      log.warn(`${peerNameOf("ssl", s)}: SSL handshake failed (${e.message})`);
    });
    return server;
  }
  const server = createServer({ pauseOnConnect: true });
  server.on("connection", (s) => {
    if (remote.kind === "punix") {
      opts.onConnection(new SocketDuplex(s, `unix#${unixSeq++}`));
    } else {
      s.setNoDelay(true);
      opts.onConnection(new SocketDuplex(s, peerNameOf("tcp", s)));
    }
  });
  return server;
}

/** A socket file left by a dead server blocks bind(); remove it, but never a file of another kind. */
async function removeStaleSocket(path: string, text: string): Promise<void> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new ListenError(`${text}: listen failed (${errorText({ code: "EEXIST" })})`);
  await unlink(path);
}
