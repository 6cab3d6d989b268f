// `ovnts ovsdb-client`: a drop-in for Open vSwitch's ovsdb-client (see ovsdb-client(1)).
//   ovnts ovsdb-client [OPTIONS] COMMAND [SERVER] [DATABASE] [ARG...]
// Output, error messages and exit statuses are those of the 3.1 tool. The argument rules, observed:
//   - SERVER is the first argument when there are more arguments than the command's minimum and it
//     starts with a letter and contains ":"; otherwise unix:$OVS_RUNDIR/db.sock;
//   - DATABASE (for commands acting on one) is the next argument when there are still more than the
//     minimum and the server lists it; otherwise Open_vSwitch if served, else the only database served;
//   - the remaining arguments must fit the command ("invalid syntax for 'CMD'"), checked after
//     connecting; -t/--timeout=SECS ends the process with SIGALRM after that long.
import { join } from "node:path";
import { runDir } from "../daemon/paths.js";
import type { SslOptions } from "../jsonrpc/transport/ssl.js";
import { CLIENT_COMMANDS, type ClientCommandSpec } from "./ovsdb/client-commands.js";
import { type ClientContext, fetchDbs } from "./ovsdb/client-context.js";
import { consoleLog } from "./ovsdb/console-log.js";
import { Fatal } from "./ovsdb/fatal.js";
import { GetoptError, type GetoptResult, getopt, type OptSpec } from "./ovsdb/getopt.js";
import { OvsdbRpc } from "./ovsdb/rpc.js";
import { exitOnStdoutFailure } from "./ovsdb/stdio.js";
import { DATA_FORMATS, DEFAULT_STYLE, TABLE_FORMATS, TablePrinter, type TableStyle } from "./ovsdb/table.js";
import { VERSION } from "./version.js";

const PROGRAM = "ovsdb-client";

const OPTIONS: readonly OptSpec[] = [
  { name: "format", short: "f", arg: "required" },
  { name: "data", short: "d", arg: "required" },
  { name: "no-headings" },
  { name: "pretty" },
  { name: "bare" },
  { name: "max-column-width", arg: "required" },
  { name: "timestamp" },
  { name: "timeout", short: "t", arg: "required" },
  { name: "force" },
  { name: "no-leader-only" },
  { name: "db-change-aware" },
  { name: "no-db-change-aware" },
  { name: "verbose", short: "v", arg: "optional" },
  { name: "log-file", arg: "optional" },
  { name: "syslog-method", arg: "required" },
  { name: "syslog-target", arg: "required" },
  { name: "pidfile", arg: "optional" },
  { name: "overwrite-pidfile" },
  { name: "detach" },
  { name: "no-chdir" },
  { name: "monitor" },
  { name: "no-self-confinement" },
  { name: "user", arg: "required" },
  { name: "private-key", short: "p", arg: "required" },
  { name: "certificate", short: "c", arg: "required" },
  { name: "ca-cert", short: "C", arg: "required" },
  { name: "bootstrap-ca-cert", arg: "required" },
  { name: "ssl-protocols", arg: "required" },
  { name: "ssl-ciphers", arg: "required" },
  { name: "record", arg: "optional" },
  { name: "replay", arg: "optional" },
  { name: "help", short: "h" },
  { name: "version", short: "V" },
];

function defaultServer(): string {
  return `unix:${join(runDir(), "db.sock")}`;
}

function usage(): string {
  return `${PROGRAM}: Open vSwitch database JSON-RPC client (ovnts)
usage: ${PROGRAM} [OPTIONS] COMMAND [ARG...]

Valid commands are:

  list-dbs [SERVER]
    list databases available on SERVER

  get-schema [SERVER] [DATABASE]
    retrieve schema for DATABASE from SERVER

  get-schema-version [SERVER] [DATABASE]
    retrieve schema for DATABASE from SERVER and report only its
    version number on stdout

  get-schema-cksum [SERVER] [DATABASE]
    retrieve schema for DATABASE from SERVER and report only its
    checksum on stdout

  list-tables [SERVER] [DATABASE]
    list tables for DATABASE on SERVER

  list-columns [SERVER] [DATABASE] [TABLE]
    list columns in TABLE (or all tables) in DATABASE on SERVER

  transact [SERVER] TRANSACTION
    run TRANSACTION (params for "transact" request) on SERVER
    and print the results as JSON on stdout

  query [SERVER] TRANSACTION
    run TRANSACTION (params for "transact" request) on SERVER,
    as read-only, and print the results as JSON on stdout

  monitor [SERVER] [DATABASE] TABLE [COLUMN,...]...
    monitor contents of COLUMNs in TABLE in DATABASE on SERVER.
    COLUMNs may include !initial, !insert, !delete, !modify
    to avoid seeing the specified kinds of changes.

  monitor-cond [SERVER] [DATABASE] CONDITION TABLE [COLUMN,...]...
    monitor contents that match CONDITION of COLUMNs in TABLE in
    DATABASE on SERVER.
    COLUMNs may include !initial, !insert, !delete, !modify
    to avoid seeing the specified kinds of changes.

  monitor [SERVER] [DATABASE] ALL
    monitor all changes to all columns in all tables

  dump [SERVER] [DATABASE] [TABLE [COLUMN]...]
    dump contents of DATABASE on SERVER to stdout

  lock [SERVER] LOCK
    create or wait for LOCK in SERVER

  steal [SERVER] LOCK
    steal LOCK from SERVER

  unlock [SERVER] LOCK
    unlock LOCK from SERVER

The default SERVER is ${defaultServer()}.
The default DATABASE is Open_vSwitch.

PKI configuration (required to use SSL):
  -p, --private-key=FILE  file with private key
  -c, --certificate=FILE  file with certificate for private key
  -C, --ca-cert=FILE      file with peer CA certificate
  --bootstrap-ca-cert=FILE  file with peer CA certificate to read or create
SSL options:
  --ssl-protocols=PROTOS  list of SSL protocols to enable (default: TLSv1.2,TLSv1.3)
  --ssl-ciphers=CIPHERS   list of SSL ciphers to enable (default: HIGH:!aNULL:!MD5)

Output formatting options:
  -f, --format=FORMAT         set output formatting to FORMAT
                              ("table", "html", "csv", or "json")
  -d, --data=FORMAT           set table cell output formatting to
                              FORMAT ("string", "bare", or "json")
  --no-headings               omit table heading row
  --pretty                    pretty-print JSON in output
  --bare                      equivalent to "--format=list --data=bare --no-headings"
  --timestamp                 timestamp "monitor" output
  -t, --timeout=SECS          give up after SECS seconds

Other options:
  -h, --help                  display this help message
  -V, --version               display version information
`;
}

interface Settings {
  ssl: Partial<SslOptions>;
  style: TableStyle;
  timestamp: boolean;
  /** --force: restore despite a schema that differs. */
  force: boolean;
  timeoutSecs: number | undefined;
  help: boolean;
  version: boolean;
}

function settingsFrom(r: GetoptResult): Settings {
  let style: TableStyle = DEFAULT_STYLE;
  const s: Settings = {
    ssl: {},
    style,
    timestamp: false,
    force: false,
    timeoutSecs: undefined,
    help: false,
    version: false,
  };
  for (const { name, value } of r.options) {
    switch (name) {
      case "format":
        if (!(TABLE_FORMATS as readonly string[]).includes(value))
          throw new Fatal(`unknown output format "${value}"`);
        style = { ...style, format: value as TableStyle["format"] };
        break;
      case "data":
        if (!(DATA_FORMATS as readonly string[]).includes(value))
          throw new Fatal(`unknown data format "${value}"`);
        style = { ...style, data: value as TableStyle["data"] };
        break;
      case "no-headings":
        style = { ...style, headings: false };
        break;
      case "pretty":
        style = { ...style, pretty: true };
        break;
      case "bare":
        style = { ...style, format: "list", data: "bare", headings: false };
        break;
      case "max-column-width":
        style = { ...style, maxColumnWidth: Number.parseInt(value, 10) };
        break;
      case "force":
        s.force = true;
        break;
      case "timestamp":
        s.timestamp = true;
        break;
      case "timeout": {
        const n = /^\d+/.exec(value);
        const secs = n === null ? 0 : Number(n[0]);
        if (secs <= 0) throw new Fatal(`value ${value} on -t or --timeout is invalid`);
        s.timeoutSecs = secs;
        break;
      }
      case "private-key":
        s.ssl.privateKey = value;
        break;
      case "certificate":
        s.ssl.certificate = value;
        break;
      case "ca-cert":
        s.ssl.caCert = value;
        s.ssl.bootstrapCaCert = false;
        break;
      case "bootstrap-ca-cert":
        s.ssl.caCert ??= value;
        s.ssl.bootstrapCaCert = s.ssl.caCert === value;
        break;
      case "ssl-protocols":
        s.ssl.protocols = value;
        break;
      case "ssl-ciphers":
        s.ssl.ciphers = value;
        break;
      case "help":
        s.help = true;
        break;
      case "version":
        s.version = true;
        break;
    }
  }
  s.style = style;
  return s;
}

function looksLikeServer(arg: string): boolean {
  return /^[A-Za-z]/.test(arg) && arg.includes(":");
}

function defaultDatabase(dbs: readonly string[]): string {
  if (dbs.includes("Open_vSwitch")) return "Open_vSwitch";
  const mine = dbs.filter((d) => d !== "_Server");
  if (mine.length === 1) return mine[0] as string;
  throw new Fatal("could not find a default database, please specify a database name");
}

/** Connects and picks the database as the C tool does; returns the context and remaining arguments. */
async function resolveTarget(
  cmdName: string,
  spec: ClientCommandSpec,
  rest: string[],
  settings: Settings,
): Promise<{ ctx: ClientContext; args: string[] }> {
  let args = rest;
  let server = defaultServer();
  if (args.length > spec.min && looksLikeServer(args[0] as string)) {
    server = args[0] as string;
    args = args.slice(1);
  }
  const { privateKey, certificate, caCert, bootstrapCaCert, protocols, ciphers } = settings.ssl;
  const ssl: SslOptions | undefined =
    privateKey !== undefined && certificate !== undefined && caCert !== undefined
      ? {
          privateKey,
          certificate,
          caCert,
          ...(bootstrapCaCert === true && { bootstrapCaCert }),
          ...(protocols !== undefined && { protocols }),
          ...(ciphers !== undefined && { ciphers }),
        }
      : undefined;
  // "server" commands (wait) connect by themselves, retrying as the C tool's reconnecting session does.
  const rpc = spec.need === "server" ? undefined : await OvsdbRpc.connect(server, ssl);
  let database: string | undefined;
  if (spec.need === "database" && rpc !== undefined) {
    const dbs = await fetchDbs(rpc);
    if (args.length > spec.min && dbs.includes(args[0] as string)) {
      database = args[0] as string;
      args = args.slice(1);
    } else database = defaultDatabase(dbs);
  }
  if (args.length < spec.min || args.length > spec.max) {
    rpc?.close();
    throw new Fatal(`invalid syntax for '${cmdName}' (use --help for help)`);
  }
  const ctx: ClientContext = {
    server,
    rpc,
    database,
    style: settings.style,
    timestamp: settings.timestamp,
    force: settings.force,
    ...(ssl !== undefined && { ssl }),
    printer: new TablePrinter(settings.style),
    out: (text) => {
      process.stdout.write(text);
    },
    now: () => Date.now(),
  };
  return { ctx, args };
}

/** Like the C tools' fatal-signal handler: say so on stderr, then die of the signal. */
function installSignalNotice(): void {
  const names: Record<string, [number, string]> = {
    SIGTERM: [15, "Terminated"],
    SIGINT: [2, "Interrupt"],
    SIGHUP: [1, "Hangup"],
    SIGALRM: [14, "Alarm clock"],
  };
  for (const [sig, [num, text]] of Object.entries(names)) {
    process.once(sig as NodeJS.Signals, () => {
      consoleLog(Date.now(), "fatal_signal", "WARN", `terminating with signal ${num} (${text})`);
      process.kill(process.pid, sig as NodeJS.Signals);
    });
  }
}

export async function run(argv: string[]): Promise<number | undefined> {
  exitOnStdoutFailure(PROGRAM);
  try {
    let parsed: GetoptResult;
    try {
      parsed = getopt(argv, OPTIONS);
    } catch (e) {
      if (e instanceof GetoptError) throw new Fatal(e.message);
      throw e;
    }
    const settings = settingsFrom(parsed);
    if (settings.help) {
      process.stdout.write(usage());
      return 0;
    }
    if (settings.version) {
      process.stdout.write(`${PROGRAM} (ovnts) ${VERSION}\n`);
      return 0;
    }
    const [cmdName, ...rest] = parsed.args;
    if (cmdName === undefined) throw new Fatal("missing command name; use --help for help");
    const spec = Object.hasOwn(CLIENT_COMMANDS, cmdName) ? CLIENT_COMMANDS[cmdName] : undefined;
    if (spec === undefined) throw new Fatal(`unknown command '${cmdName}'; use --help for help`);
    installSignalNotice();
    if (settings.timeoutSecs !== undefined) {
      setTimeout(() => process.kill(process.pid, "SIGALRM"), settings.timeoutSecs * 1000).unref();
    }
    const { ctx, args } = await resolveTarget(cmdName, spec, rest, settings);
    try {
      await spec.run(ctx, args);
    } finally {
      ctx.rpc?.close();
    }
    return 0;
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    process.stderr.write(`${PROGRAM}: ${e.message}\n`);
    return e.status;
  }
}
