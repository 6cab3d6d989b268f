// The text forms of the C tools' SSL options, parsed without I/O:
//   --ssl-protocols=LIST   comma- or space-separated TLSv1, TLSv1.1, TLSv1.2, TLSv1.3
//   --ssl-ciphers=STRING   an OpenSSL cipher string, passed through
// and the SSL defaults. OVS 3.1 defaults to "TLSv1,TLSv1.1,TLSv1.2"; ovnts enables TLS 1.2 and 1.3 only
// unless --ssl-protocols asks for the older ones.

export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

const ORDER: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

export const DEFAULT_SSL_PROTOCOLS = "TLSv1.2,TLSv1.3";
/** ovsdb-server(1): "The default when this option is omitted is HIGH:!aNULL:!MD5". */
export const DEFAULT_SSL_CIPHERS = "HIGH:!aNULL:!MD5";

export interface TlsVersionRange {
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion;
}

export class SslConfigError extends Error {
  override readonly name = "SslConfigError";
}

/**
 * The versions a protocol list enables, as the range node:tls takes. OpenSSL can leave holes in the range
 * ("TLSv1,TLSv1.2"); node cannot, so a list with a hole enables the whole span, and the caller is told
 * (`gap`) so that it can log it. Unknown names are an error, as in the C tools.
 */
export function parseSslProtocols(text: string): TlsVersionRange & { readonly gap: boolean } {
  const names = text.split(/[\s,]+/).filter((s) => s !== "");
  const picked = new Set<number>();
  for (const n of names) {
    const i = ORDER.indexOf(n as TlsVersion);
    if (i < 0) throw new SslConfigError(`${n}: SSL protocol not recognized`);
    picked.add(i);
  }
  if (picked.size === 0) throw new SslConfigError("at least one valid SSL protocol must be enabled");
  const lo = Math.min(...picked);
  const hi = Math.max(...picked);
  return {
    minVersion: ORDER[lo] as TlsVersion,
    maxVersion: ORDER[hi] as TlsVersion,
    gap: hi - lo + 1 !== picked.size,
  };
}

/** A `db:DB,TABLE,COLUMN` reference, as ovsdb-server takes for --remote and the SSL options. */
export interface DbColumnRef {
  readonly db: string;
  readonly table: string;
  readonly column: string;
}

/** The reference in "db:DB,TABLE,COLUMN", or undefined when `text` is not of that form. */
export function parseDbColumnRef(text: string): DbColumnRef | undefined {
  if (!text.startsWith("db:")) return undefined;
  const parts = text.slice(3).split(",");
  if (parts.length !== 3 || parts.some((p) => p === "")) return undefined;
  const [db, table, column] = parts as [string, string, string];
  return { db, table, column };
}
