// ovsdb-server's SSL options as given on its command line: each a value, or `db:DB,TABLE,COLUMN` naming
// where to read it (ovsdb-server(1): "the first nonempty string in the table is taken"), which is how
// ovn-ctl starts the OVN databases (--private-key=db:OVN_Northbound,SSL,private_key ...). Resolved anew
// whenever a listener accepts or a remote dials, so `ovn-nbctl set-ssl` takes effect without a restart.
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import { parseDbColumnRef } from "../../jsonrpc/transport/ssl-config.js";
import type { Datum } from "../data/datum.js";
import type { OvsdbServer } from "./server.js";

/** The option texts (absent: not given). */
export interface SslSettings {
  readonly privateKey?: string;
  readonly certificate?: string;
  readonly caCert?: string;
  /** --bootstrap-ca-cert=FILE: the CA file, which the first connection may create. */
  readonly bootstrapCaCert?: string;
  readonly peerCaCert?: string;
  readonly protocols?: string;
  readonly ciphers?: string;
}

/** The first nonempty string of a string (or set of strings) column, or undefined. */
export function readDbString(server: OvsdbServer, ref: string): string | undefined {
  const r = parseDbColumnRef(ref);
  if (r === undefined) return ref;
  const table = server.dbs.get(r.db)?.db.table(r.table);
  const col = table?.schema.columns.get(r.column);
  if (table === undefined || col === undefined || col.type.key.type !== "string") return undefined;
  for (const row of table.rows.values()) {
    const d = row.cols[col.index] as Datum | undefined;
    for (const k of d?.keys ?? []) if (typeof k === "string" && k !== "") return k;
  }
  return undefined;
}

/** Whether any SSL option was given at all. */
export function sslConfigured(s: SslSettings): boolean {
  return Object.values(s).some((v) => v !== undefined);
}

/**
 * The options in force now, or undefined when the key, certificate or CA is missing (an SSL remote then
 * cannot be opened, as with ovsdb-server).
 */
export function resolveSsl(server: OvsdbServer, s: SslSettings): SslOptions | undefined {
  const get = (v: string | undefined): string | undefined =>
    v === undefined ? undefined : readDbString(server, v);
  const privateKey = get(s.privateKey);
  const certificate = get(s.certificate);
  const bootstrap = get(s.bootstrapCaCert);
  const caCert = get(s.caCert) ?? bootstrap;
  if (privateKey === undefined || certificate === undefined || caCert === undefined) return undefined;
  const peerCaCert = get(s.peerCaCert);
  const protocols = get(s.protocols);
  const ciphers = get(s.ciphers);
  return {
    privateKey,
    certificate,
    caCert,
    ...(bootstrap !== undefined && caCert === bootstrap && { bootstrapCaCert: true }),
    ...(peerCaCert !== undefined && { peerCaCert }),
    ...(protocols !== undefined && { protocols }),
    ...(ciphers !== undefined && { ciphers }),
  };
}
