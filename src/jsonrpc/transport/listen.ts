// Passive remotes: punix:, ptcp:, pssl:. A Listener accepts connections and hands each one over as a
// ByteDuplex named like the C server names it ("unix#3", "tcp:127.0.0.1:54321", "ssl:[::1]:40000").

import { lstat, unlink } from "node:fs/promises";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { logger } from "../../base/log.js";
import type { ByteDuplex } from "../duplex.js";
import { errorText } from "./errno.js";
import { formatRemote, isIpv6, type PassiveRemote, parsePassiveRemote } from "./remote.js";
import { adoptWithSharedBuffer } from "./shared-read.js";
import { SocketDuplex } from "./socket-duplex.js";
import {
  loadSsl,
  loadSslSync,
  peerCommonName,
  type SslMaterial,
  type SslOptions,
  sslStamp,
  type TlsSettings,
  tlsSettings,
} from "./ssl.js";

const log = logger("stream");

export interface ListenOptions {
  /** Each accepted connection. */
  onConnection: (duplex: ByteDuplex) => void;
  /**
   * Required for pssl:. A function is asked again on every connection (settings that live in a database);
   * either way the files are re-read when they change.
   */
  ssl?: SslOptions | (() => SslOptions | undefined);
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
  if (remote.kind === "pssl") return makeTlsServer(remote, opts);
  const server = createServer({ pauseOnConnect: true });
  server.on("connection", (s) => {
    const name = remote.kind === "punix" ? `unix#${unixSeq++}` : peerNameOf("tcp", s);
    // Reads into the process-wide buffer when node allows it (shared-read.ts); the duplex exists before
    // the first read, which waits for its start().
    let duplex: SocketDuplex | undefined;
    const adopted = adoptWithSharedBuffer(s, (bytes) => duplex?.received(bytes));
    const socket = adopted ?? s;
    if (remote.kind !== "punix") socket.setNoDelay(true);
    duplex = new SocketDuplex(socket, name, undefined, { readsItself: adopted !== null });
    opts.onConnection(duplex);
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

const SSL_REQUIRED = "SSL remote requires --private-key, --certificate and --ca-cert";

function tlsContextOptions(m: SslMaterial, settings: TlsSettings) {
  return { key: m.key, cert: m.cert, ...(m.ca !== undefined && { ca: m.ca }), ...settings };
}

async function makeTlsServer(remote: PassiveRemote, opts: ListenOptions): Promise<Server> {
  const text = formatRemote(remote);
  const source = typeof opts.ssl === "function" ? opts.ssl : () => opts.ssl as SslOptions | undefined;
  const first = source();
  if (first === undefined) throw new ListenError(`${text}: ${SSL_REQUIRED}`);
  let stamp = sslStamp(first);
  const m = await loadSsl(first);
  if (m.ca === undefined) throw new ListenError(`${text}: could not read CA certificate "${first.caCert}"`);
  // node:tls is loaded only when an SSL remote is used: it costs a daemon megabytes otherwise.
  const { createServer: createTlsServer } = await import("node:tls");
  const server = createTlsServer({
    ...tlsContextOptions(m, tlsSettings(first)),
    requestCert: true,
    rejectUnauthorized: true,
  });
  // Runs before node:tls wraps the accepted socket in the server's current context: a context rebuilt
  // here is the one this very connection gets. A half-written set of files fails to load and leaves the
  // old context in place until a later connection finds them whole.
  let failedStamp: string | undefined;
  server.prependListener("connection", () => {
    const o = source();
    if (o === undefined) return;
    const now = sslStamp(o);
    if (now === stamp) return;
    try {
      const fresh = loadSslSync(o);
      if (fresh.ca === undefined) throw new Error(`could not read CA certificate "${o.caCert}"`);
      server.setSecureContext(tlsContextOptions(fresh, tlsSettings(o)));
      stamp = now;
      failedStamp = undefined;
      log.info(`${text}: loaded new SSL configuration`);
    } catch (e) {
      if (failedStamp !== now) log.warn(`${text}: keeping the old SSL configuration: ${errorText(e)}`);
      failedStamp = now;
    }
  });
  server.on("secureConnection", (s: TLSSocket) => {
    s.setNoDelay(true);
    opts.onConnection(new SocketDuplex(s, peerNameOf("ssl", s), peerCommonName(s)));
  });
  server.on("tlsClientError", (e, s) => {
    log.warn(`${peerNameOf("ssl", s)}: SSL handshake failed (${sslReason(e)})`);
  });
  return server;
}

/** OpenSSL's reason ("unsupported protocol", "certificate verify failed"), not its whole error stack. */
function sslReason(e: Error): string {
  const reason = (e as { reason?: unknown }).reason;
  return typeof reason === "string" && reason !== "" ? reason : e.message.trim();
}
