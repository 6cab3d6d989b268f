// Command-line options in the Open vSwitch style: `--name=value`, `--name value`, bare `--name`, and
// the `-v[module:destination:level]` verbosity spec. Parsed into a small record of what was given.

import type { SslOptions } from "../jsonrpc/transport/ssl.js";

export interface OptionSpec {
  /** Takes a value: "required" (--x=V or --x V), "optional" (only --x=V), or none. */
  readonly arg?: "required" | "optional";
  readonly multiple?: boolean;
  /** A one-letter alias ("p" for -p FILE or -pFILE), as getopt takes it. */
  readonly short?: string;
}

export interface ParsedOptions {
  readonly values: Map<string, string[]>;
  readonly positional: string[];
}

export class UsageError extends Error {}

export function parseOptions(argv: readonly string[], specs: Record<string, OptionSpec>): ParsedOptions {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  const add = (name: string, v: string) => {
    const spec = specs[name];
    const list = values.get(name) ?? [];
    if (!spec?.multiple) list.length = 0;
    list.push(v);
    values.set(name, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = specs[name];
      if (spec === undefined) throw new UsageError(`unrecognized option '--${name}'`);
      if (eq >= 0) {
        if (spec.arg === undefined) throw new UsageError(`option '--${name}' doesn't allow an argument`);
        add(name, a.slice(eq + 1));
      } else if (spec.arg === "required") {
        const v = argv[i + 1];
        if (v === undefined) throw new UsageError(`option '--${name}' requires an argument`);
        add(name, v);
        i++;
      } else add(name, "");
      continue;
    }
    if (a.startsWith("-v") && specs.verbose !== undefined) {
      add("verbose", a.slice(2));
      continue;
    }
    const short =
      a.length >= 2 && a[0] === "-" && a[1] !== "-" ? shortOption(specs, a[1] as string) : undefined;
    if (short !== undefined) {
      const [name, spec] = short;
      if (spec.arg === undefined) add(name, "");
      else if (a.length > 2) add(name, a.slice(2));
      else {
        const v = argv[i + 1];
        if (v === undefined) throw new UsageError(`option requires an argument -- '${a[1]}'`);
        add(name, v);
        i++;
      }
      continue;
    }
    if ((a === "-h" && specs.help) || (a === "-V" && specs.version)) {
      add(a === "-h" ? "help" : "version", "");
      continue;
    }
    if (a.startsWith("-") && a !== "-") throw new UsageError(`invalid option -- '${a.slice(1)}'`);
    positional.push(a);
  }
  return { values, positional };
}

function shortOption(specs: Record<string, OptionSpec>, letter: string): [string, OptionSpec] | undefined {
  for (const [name, spec] of Object.entries(specs)) if (spec.short === letter) return [name, spec];
  return undefined;
}

export function optValue(p: ParsedOptions, name: string): string | undefined {
  const v = p.values.get(name);
  return v === undefined ? undefined : v[v.length - 1];
}

export function optValues(p: ParsedOptions, name: string): string[] {
  return p.values.get(name) ?? [];
}

export function has(p: ParsedOptions, name: string): boolean {
  return p.values.has(name);
}

/** Parses a subcommand's options; on a usage error prints it the way the C tools do and returns 1. */
export function parseCommandLine(
  program: string,
  argv: readonly string[],
  specs: Record<string, OptionSpec>,
): ParsedOptions | number {
  try {
    return parseOptions(argv, specs);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${program}: ${e.message}\n(use --help for help)\n`);
    return 1;
  }
}

/** The SSL options every daemon takes, as the C daemons spell them. */
export const SSL_OPTIONS = {
  "private-key": { arg: "required", short: "p" },
  certificate: { arg: "required", short: "c" },
  "ca-cert": { arg: "required", short: "C" },
  "bootstrap-ca-cert": { arg: "required" },
  "ssl-protocols": { arg: "required" },
  "ssl-ciphers": { arg: "required" },
} as const satisfies Record<string, OptionSpec>;

/** Help text for SSL_OPTIONS. */
export const SSL_USAGE = `PKI configuration:
  -p, --private-key=FILE  file with private key
  -c, --certificate=FILE  file with certificate for private key
  -C, --ca-cert=FILE      file with peer CA certificate
  --bootstrap-ca-cert=FILE  file with peer CA certificate to read or create
  --ssl-protocols=PROTOS  list of SSL protocols to enable (default: TLSv1.2,TLSv1.3)
  --ssl-ciphers=CIPHERS   list of SSL ciphers to enable (default: HIGH:!aNULL:!MD5)
`;

/** The client SSL settings of a daemon's command line, or undefined when key, certificate or CA is missing. */
export function clientSslOptions(p: ParsedOptions): SslOptions | undefined {
  const privateKey = optValue(p, "private-key");
  const certificate = optValue(p, "certificate");
  const ca = optValue(p, "ca-cert");
  const bootstrap = optValue(p, "bootstrap-ca-cert");
  const caCert = ca ?? bootstrap;
  if (privateKey === undefined || certificate === undefined || caCert === undefined) return undefined;
  const protocols = optValue(p, "ssl-protocols");
  const ciphers = optValue(p, "ssl-ciphers");
  return {
    privateKey,
    certificate,
    caCert,
    ...(ca === undefined && { bootstrapCaCert: true }),
    ...(protocols !== undefined && { protocols }),
    ...(ciphers !== undefined && { ciphers }),
  };
}
