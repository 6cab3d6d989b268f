// SSL/TLS settings as given to the C daemons: --private-key, --certificate, --ca-cert (PEM file paths).
// Both sides must present a certificate signed by the CA; protocol at least TLS 1.2. Like OVS, the
// peer's host name is not checked against its certificate: trust comes from the CA alone.

import { readFile } from "node:fs/promises";
import type { TLSSocket } from "node:tls";

export interface SslOptions {
  privateKey: string;
  certificate: string;
  caCert: string;
}

export interface SslMaterial {
  key: Buffer;
  cert: Buffer;
  ca: Buffer;
}

/** Reads the PEM files; errors name the file that failed. */
export async function loadSsl(opts: SslOptions): Promise<SslMaterial> {
  const read = async (what: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (e) {
      throw new Error(`could not read ${what} "${path}": ${e instanceof Error ? e.message : e}`);
    }
  };
  const [key, cert, ca] = await Promise.all([
    read("private key", opts.privateKey),
    read("certificate", opts.certificate),
    read("CA certificate", opts.caCert),
  ]);
  return { key, cert, ca };
}

export const TLS_MIN_VERSION = "TLSv1.2";

/** Common name (CN) of the peer's certificate, if it sent one. */
export function peerCommonName(socket: TLSSocket): string | undefined {
  const cn = socket.getPeerCertificate()?.subject?.CN;
  if (Array.isArray(cn)) return cn[0];
  return typeof cn === "string" && cn !== "" ? cn : undefined;
}
