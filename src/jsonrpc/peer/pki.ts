// A PKI made by the real ovs-pki for peer tests: `ovs-pki --dir=D/pki init`, then `req+sign NAME switch`
// for each name (ovs-pki writes NAME-privkey.pem and NAME-cert.pem into its working directory).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { SslOptions } from "../transport/ssl.js";
import { run } from "./helpers.js";

export interface Pki {
  /** Key, certificate and CA file of NAME (made by sign()). */
  (name: string): SslOptions;
  /** The CA certificate file. */
  readonly caCert: string;
  /** Makes another key and certificate, signed by this CA. */
  sign(name: string): Promise<SslOptions>;
}

export async function makePki(dir: string, names: readonly string[]): Promise<Pki> {
  mkdirSync(dir, { recursive: true });
  const init = await run("ovs-pki", [`--dir=${dir}/pki`, "init"], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(init.code, 0, init.stderr);
  const caCert = join(dir, "pki/switchca/cacert.pem");
  const files = (name: string): SslOptions => ({
    privateKey: join(dir, `${name}-privkey.pem`),
    certificate: join(dir, `${name}-cert.pem`),
    caCert,
  });
  const sign = async (name: string): Promise<SslOptions> => {
    const r = await run("ovs-pki", [`--dir=${dir}/pki`, "req+sign", name, "switch"], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    return files(name);
  };
  for (const n of names) await sign(n);
  return Object.assign(files, { caCert, sign });
}

/** The C tools' flags for a set of files. */
export function sslArgs(o: SslOptions): string[] {
  return [`--private-key=${o.privateKey}`, `--certificate=${o.certificate}`, `--ca-cert=${o.caCert}`];
}
