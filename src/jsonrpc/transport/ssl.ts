// SSL/TLS settings as given to the C daemons: --private-key, --certificate, --ca-cert (PEM file paths),
// --bootstrap-ca-cert, --peer-ca-cert, --ssl-protocols, --ssl-ciphers. Both sides must present a
// certificate signed by the CA; protocol TLS 1.2 or later unless --ssl-protocols says otherwise. Like OVS,
// the peer's host name is not checked against its certificate: trust comes from the CA alone.
//
// Files are read again whenever they change (ovsdb-server(1): a daemon picks up replaced certificates
// without a restart): clients read them on every dial, listeners compare the files' stamps (mtime, size,
// inode) on every accepted connection and rebuild their context when a stamp moved.

import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { DetailedPeerCertificate, TLSSocket } from "node:tls";
import {
  DEFAULT_SSL_CIPHERS,
  DEFAULT_SSL_PROTOCOLS,
  parseSslProtocols,
  type TlsVersion,
} from "./ssl-config.js";

export interface SslOptions {
  privateKey: string;
  certificate: string;
  caCert: string;
  /**
   * --bootstrap-ca-cert: `caCert` may not exist yet; the first connection then takes the CA certificate
   * from the peer's chain, saves it there, and fails so that the next attempt uses it.
   */
  bootstrapCaCert?: boolean;
  /** --peer-ca-cert: more certificates sent after our own (our CA, so that peers can bootstrap). */
  peerCaCert?: string;
  /** --ssl-protocols text (default TLSv1.2,TLSv1.3). */
  protocols?: string;
  /** --ssl-ciphers: an OpenSSL cipher string for TLS 1.2 and older (default HIGH:!aNULL:!MD5). */
  ciphers?: string;
}

export interface SslMaterial {
  key: Buffer;
  /** Our certificate, followed by the --peer-ca-cert certificates. */
  cert: Buffer;
  /** Undefined while bootstrapping (the CA file does not exist yet). */
  ca: Buffer | undefined;
}

/** What node:tls takes besides the material. */
export interface TlsSettings {
  minVersion: TlsVersion;
  maxVersion: TlsVersion;
  ciphers: string;
}

export const TLS_MIN_VERSION = "TLSv1.2";

function fileError(what: string, path: string, e: unknown): Error {
  const code = (e as { code?: unknown }).code;
  const why = code === "ENOENT" ? "No such file or directory" : e instanceof Error ? e.message : String(e);
  return new Error(`could not read ${what} "${path}": ${why}`);
}

function isMissing(e: unknown): boolean {
  return (e as { code?: unknown }).code === "ENOENT";
}

/** Reads the PEM files; errors name the file that failed. */
export async function loadSsl(opts: SslOptions): Promise<SslMaterial> {
  const read = async (what: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (e) {
      throw fileError(what, path, e);
    }
  };
  const readCa = async (): Promise<Buffer | undefined> => {
    try {
      return await readFile(opts.caCert);
    } catch (e) {
      if (opts.bootstrapCaCert === true && isMissing(e)) return undefined;
      throw fileError("CA certificate", opts.caCert, e);
    }
  };
  const [key, cert, ca, peerCa] = await Promise.all([
    read("private key", opts.privateKey),
    read("certificate", opts.certificate),
    readCa(),
    opts.peerCaCert === undefined ? undefined : read("peer CA certificate", opts.peerCaCert),
  ]);
  return { key, cert: peerCa === undefined ? cert : joinPem(cert, peerCa), ca };
}

/** loadSsl for a listener's connection callback, which cannot wait. */
export function loadSslSync(opts: SslOptions): SslMaterial {
  const read = (what: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw fileError(what, path, e);
    }
  };
  let ca: Buffer | undefined;
  try {
    ca = readFileSync(opts.caCert);
  } catch (e) {
    if (!(opts.bootstrapCaCert === true && isMissing(e))) throw fileError("CA certificate", opts.caCert, e);
  }
  const cert = read("certificate", opts.certificate);
  const peerCa = opts.peerCaCert === undefined ? undefined : read("peer CA certificate", opts.peerCaCert);
  return { key: read("private key", opts.privateKey), cert: peerCa ? joinPem(cert, peerCa) : cert, ca };
}

function joinPem(a: Buffer, b: Buffer): Buffer {
  const sep = a.length > 0 && a[a.length - 1] !== 0x0a ? Buffer.from("\n") : Buffer.alloc(0);
  return Buffer.concat([a, sep, b]);
}

/** The protocol range and ciphers of `opts` (throws SslConfigError on a bad --ssl-protocols). */
export function tlsSettings(opts: SslOptions): TlsSettings {
  const { minVersion, maxVersion } = parseSslProtocols(opts.protocols ?? DEFAULT_SSL_PROTOCOLS);
  let ciphers = opts.ciphers ?? DEFAULT_SSL_CIPHERS;
  // OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level even when they are enabled; asking
  // for them on the command line is asking for that level.
  if ((minVersion === "TLSv1" || minVersion === "TLSv1.1") && !ciphers.includes("@SECLEVEL"))
    ciphers = `${ciphers}:@SECLEVEL=0`;
  return { minVersion, maxVersion, ciphers };
}

/**
 * A stamp of everything a context is built from: the settings and each file's identity. Two equal stamps
 * mean the same context; a replaced or rewritten file changes it.
 */
export function sslStamp(opts: SslOptions): string {
  const paths = [opts.privateKey, opts.certificate, opts.caCert, opts.peerCaCert ?? ""];
  const files = paths.map((p) => {
    if (p === "") return "";
    try {
      const st = statSync(p, { bigint: true });
      return `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch {
      return "missing";
    }
  });
  return JSON.stringify([opts, files]);
}

/** Common name (CN) of the peer's certificate, if it sent one. */
export function peerCommonName(socket: TLSSocket): string | undefined {
  const cn = socket.getPeerCertificate()?.subject?.CN;
  if (Array.isArray(cn)) return cn[0];
  return typeof cn === "string" && cn !== "" ? cn : undefined;
}

/**
 * The self-signed certificate at the top of the peer's chain (its CA), as PEM, or undefined when the peer
 * sent none (a server needs --peer-ca-cert for its peers to bootstrap).
 */
export function peerCaPem(socket: TLSSocket): string | undefined {
  let c: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (c !== undefined && c.raw !== undefined && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    const issuer: DetailedPeerCertificate | undefined = c.issuerCertificate;
    if (issuer === undefined || issuer.fingerprint256 === c.fingerprint256) {
      return sameName(c) ? toPem(c.raw) : undefined;
    }
    c = issuer;
  }
  return undefined;
}

function sameName(c: DetailedPeerCertificate): boolean {
  return JSON.stringify(c.subject) === JSON.stringify(c.issuer);
}

function toPem(der: Buffer): string {
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END CERTIFICATE-----\n`;
}

/** Writes a bootstrapped CA certificate so that it appears complete or not at all. */
export function saveCaCert(path: string, pem: string): void {
  const tmp = `${path}.tmp${process.pid}`;
  writeFileSync(tmp, pem, { mode: 0o644 });
  renameSync(tmp, path);
}
