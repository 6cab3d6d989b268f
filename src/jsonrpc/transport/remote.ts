// OVS connection methods ("remotes"), ovsdb(7) "Connection Methods":
//   passive  punix:FILE   ptcp:[PORT][:IP]   pssl:[PORT][:IP]
//   active   unix:FILE    tcp:HOST[:PORT]    ssl:HOST[:PORT]
// IPv6 addresses go in brackets (tcp:[::1]:6641, ptcp:6640:[::]); the port defaults to 6640; passive
// remotes listen on 0.0.0.0 (IPv4 only) unless an IP is given. Clients accept a comma-separated list of
// active remotes, optionally with "cid:UUID" naming the cluster. Pure parsing: no I/O here.

export const DEFAULT_OVSDB_PORT = 6640;

export type ActiveRemote =
  | { readonly kind: "unix"; readonly path: string }
  | { readonly kind: "tcp" | "ssl"; readonly host: string; readonly port: number };

export type PassiveRemote =
  | { readonly kind: "punix"; readonly path: string }
  | { readonly kind: "ptcp" | "pssl"; readonly port: number; readonly host: string };

export type Remote = ActiveRemote | PassiveRemote;

export class RemoteSyntaxError extends Error {
  override readonly name = "RemoteSyntaxError";
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

export function isPassive(r: Remote): r is PassiveRemote {
  return r.kind === "punix" || r.kind === "ptcp" || r.kind === "pssl";
}

export function isIpv6(host: string): boolean {
  return host.includes(":");
}

function parsePort(text: string, remote: string): number {
  if (text === "") return DEFAULT_OVSDB_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new RemoteSyntaxError(`${remote}: bad port number "${text}"`);
  }
  return Number(text);
}

function checkHost(host: string, remote: string): string {
  const ok =
    IPV4.test(host) || (isIpv6(host) && IPV6.test(host)) || (!/^[\d.]+$/.test(host) && HOSTNAME.test(host));
  if (!ok) throw new RemoteSyntaxError(`${remote}: bad IP address or host name "${host}"`);
  return host;
}

/** Splits "HOST[:PORT]" or "[V6]:PORT" (active) into its parts. */
function splitHostPort(rest: string, remote: string): { host: string; port: string } {
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) throw new RemoteSyntaxError(`${remote}: missing ']' after IPv6 address`);
    const after = rest.slice(close + 1);
    if (after !== "" && !after.startsWith(":"))
      throw new RemoteSyntaxError(`${remote}: junk after IPv6 address`);
    return { host: rest.slice(1, close), port: after.slice(1) };
  }
  const colon = rest.indexOf(":");
  return colon < 0 ? { host: rest, port: "" } : { host: rest.slice(0, colon), port: rest.slice(colon + 1) };
}

/** Splits "[PORT][:IP]" (passive) into its parts; the IP may be bracketed or a bare IPv6 address. */
function splitPortHost(rest: string): { port: string; host: string } {
  const colon = rest.indexOf(":");
  if (colon < 0) return { port: rest, host: "" };
  let host = rest.slice(colon + 1);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return { port: rest.slice(0, colon), host };
}

export function parseRemote(text: string): Remote {
  const colon = text.indexOf(":");
  if (colon < 0) throw new RemoteSyntaxError(`${text}: remote must be TYPE:ARGS (e.g. "unix:/run/db.sock")`);
  const type = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  switch (type) {
    case "unix":
    case "punix":
      if (rest === "") throw new RemoteSyntaxError(`${text}: missing socket file name`);
      return { kind: type, path: rest };
    case "tcp":
    case "ssl": {
      const { host, port } = splitHostPort(rest, text);
      if (host === "") throw new RemoteSyntaxError(`${text}: missing host`);
      return { kind: type, host: checkHost(host, text), port: parsePort(port, text) };
    }
    case "ptcp":
    case "pssl": {
      const { port, host } = splitPortHost(rest);
      return {
        kind: type,
        port: parsePort(port, text),
        host: host === "" ? "0.0.0.0" : checkHost(host, text),
      };
    }
    default:
      throw new RemoteSyntaxError(`unknown remote type '${type}' in "${text}"`);
  }
}

export function parseActiveRemote(text: string): ActiveRemote {
  const r = parseRemote(text);
  if (isPassive(r)) throw new RemoteSyntaxError(`${text}: expected an active remote (unix:, tcp:, ssl:)`);
  return r;
}

export function parsePassiveRemote(text: string): PassiveRemote {
  const r = parseRemote(text);
  if (!isPassive(r)) throw new RemoteSyntaxError(`${text}: expected a passive remote (punix:, ptcp:, pssl:)`);
  return r;
}

export interface RemoteList {
  remotes: ActiveRemote[];
  /** Each remote's text as given (how the C clients name the connection in logs). */
  names: string[];
  /** From a "cid:UUID" entry: the cluster the client expects. */
  cid: string | undefined;
}

/** A client's "METHOD1,METHOD2,..." list (spaces allowed after commas). */
export function parseRemoteList(text: string): RemoteList {
  const list: RemoteList = { remotes: [], names: [], cid: undefined };
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    if (item.startsWith("cid:")) {
      list.cid = item.slice(4);
    } else {
      list.remotes.push(parseActiveRemote(item));
      list.names.push(item);
    }
  }
  if (list.remotes.length === 0) throw new RemoteSyntaxError(`"${text}": no remote given`);
  return list;
}

function bracket(host: string): string {
  return isIpv6(host) ? `[${host}]` : host;
}

/** Canonical text of a remote; parseRemote(formatRemote(r)) equals r. */
export function formatRemote(r: Remote): string {
  switch (r.kind) {
    case "unix":
    case "punix":
      return `${r.kind}:${r.path}`;
    case "tcp":
    case "ssl":
      return `${r.kind}:${bracket(r.host)}:${r.port}`;
    case "ptcp":
    case "pssl":
      return `${r.kind}:${r.port}:${bracket(r.host)}`;
  }
}
