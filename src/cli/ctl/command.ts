// The shape of a ctl command and the parsing of a command line into global options and `--`-separated
// commands with their own options, with the C tools' error messages. Pure.
import type { TxnResult } from "../../ovsdb/idl/txn.js";
import { CtlError } from "./datum-text.js";
import type { CtlDb } from "./db.js";
import type { CellFormat, OutputFormat, TableStyle } from "./output.js";

export interface CommandContext {
  readonly db: CtlDb;
  readonly args: readonly string[];
  /** Per-command options, "--if-exists" → "" or "--id" → "@x". */
  readonly options: ReadonlyMap<string, string>;
  readonly style: TableStyle;
  /** What the command prints; written out after the transaction commits. */
  out: string;
  /**
   * Console log lines ("module|LEVEL|message") the C tool prints to stderr for this command although it
   * succeeds (a warning about a suspicious argument, a set element that was not there to delete).
   */
  log?: string[];
  /** State kept from run() for postCommit(). */
  state?: unknown;
}

export interface CommandSpec {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Accepted options: "--if-exists", "--id=" (takes a value), "--bfd?" (takes one optionally) ... */
  readonly options: readonly string[];
  /** Prints a table (list, find), which --oneline leaves as it is, as the C tools do. */
  readonly printsTable?: boolean;
  /** Read-only commands need no NB_Global check. */
  readonly readOnly?: boolean;
  run(ctx: CommandContext): void;
  /** Runs after the commit, e.g. to print the real uuid of a created row. */
  postCommit?(ctx: CommandContext, result: TxnResult): void;
}

export interface GlobalOptions {
  db: string | undefined;
  wait: "none" | "sb" | "hv";
  timeoutSec: number;
  format: OutputFormat;
  data: CellFormat | undefined;
  headings: boolean;
  /** Connect only to a cluster's leader (--leader-only, the default; --no-leader-only). */
  leaderOnly: boolean;
  /** Try the remotes of --db in random order (--shuffle-remotes, the default; --no-shuffle-remotes). */
  shuffleRemotes: boolean;
  /** --pretty: JSON output (--format=json) indented as the C tools indent it. */
  pretty: boolean;
  /** --print-wait-time: with --wait, print how long northd (and the chassis) took. */
  printWaitTime: boolean;
  /** --oneline: each command's output on one line, newlines written as \n and backslashes doubled. */
  oneline: boolean;
  dryRun: boolean;
  /** -p/--private-key, -c/--certificate, -C/--ca-cert, --bootstrap-ca-cert, --ssl-protocols, --ssl-ciphers. */
  ssl: CtlSslOptions;
}

export interface CtlSslOptions {
  privateKey?: string;
  certificate?: string;
  caCert?: string;
  /** --bootstrap-ca-cert=FILE: the CA file, fetched from the server if it does not exist. */
  bootstrapCaCert?: string;
  protocols?: string;
  ciphers?: string;
}

/** SSL options by every spelling the C tools accept ("-p FILE", "-pFILE", "--private-key=FILE"). */
const SSL_OPTIONS: Record<string, keyof CtlSslOptions> = {
  "-p": "privateKey",
  "--private-key": "privateKey",
  "-c": "certificate",
  "--certificate": "certificate",
  "-C": "caCert",
  "--ca-cert": "caCert",
  "--bootstrap-ca-cert": "bootstrapCaCert",
  "--ssl-protocols": "protocols",
  "--ssl-ciphers": "ciphers",
};

export interface ParsedCommand {
  readonly spec: CommandSpec;
  readonly args: readonly string[];
  readonly options: Map<string, string>;
}

const FORMATS: readonly OutputFormat[] = ["list", "table", "csv", "json", "bare"];
const DATAS: readonly CellFormat[] = ["string", "bare", "json"];
/** Options that take no value and are accepted (and ignored) for compatibility. */
/** Options that take no value and change nothing here (ovn-nbctl never logs to syslog). */
const IGNORED = ["--no-syslog"];

function splitOpt(a: string): [string, string | undefined] {
  const eq = a.indexOf("=");
  return eq < 0 ? [a, undefined] : [a.slice(0, eq), a.slice(eq + 1)];
}

/** The name of an accepted option as a CommandSpec lists it ("--id=" → "--id", "--bfd?" → "--bfd"). */
function optionName(spec: string): string {
  return splitOpt(spec)[0].replace(/\?$/, "");
}

/** Parses argv (after the program name); throws CtlError with the tool's message. */
export function parseCommandLine(
  argv: readonly string[],
  commands: ReadonlyMap<string, CommandSpec>,
  defaultWaitIsSb = false,
): { global: GlobalOptions; commands: ParsedCommand[] } {
  const g: GlobalOptions = {
    db: undefined,
    wait: defaultWaitIsSb ? "sb" : "none",
    timeoutSec: 0,
    format: "list",
    data: undefined,
    headings: true,
    oneline: false,
    leaderOnly: true,
    shuffleRemotes: true,
    printWaitTime: false,
    pretty: false,
    dryRun: false,
    ssl: {},
  };
  const allCmdOptions = new Set<string>();
  for (const c of commands.values()) for (const o of c.options) allCmdOptions.add(optionName(o));
  let i = 0;
  const pending: string[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith("-") || a === "--") break;
    let [name, value] = splitOpt(a);
    // Short options glued to their value: -p/etc/key.pem.
    if (/^-[pcC]./.test(name) && !name.startsWith("--")) {
      value = a.slice(2);
      name = a.slice(0, 2);
    }
    const need = (): string => {
      if (value !== undefined) return value;
      const v = argv[i + 1];
      if (v === undefined) throw new CtlError(`option '${name}' requires an argument`);
      i++;
      return v;
    };
    const sslKey = SSL_OPTIONS[name];
    if (sslKey !== undefined) {
      g.ssl[sslKey] = need();
      continue;
    }
    switch (name) {
      case "--db":
        g.db = need();
        break;
      case "--no-wait":
        g.wait = "none";
        break;
      case "--wait": {
        const w = need();
        if (w !== "none" && w !== "sb" && w !== "hv")
          throw new CtlError(`argument to --wait must be "none", "sb", or "hv"`);
        g.wait = w;
        break;
      }
      case "-t":
      case "--timeout": {
        const t = need();
        if (!/^[0-9]+$/.test(t)) throw new CtlError(`value ${t} on -t or --timeout is invalid`);
        g.timeoutSec = Number(t);
        break;
      }
      case "-f":
      case "--format": {
        const f = need();
        if (!FORMATS.includes(f as OutputFormat)) throw new CtlError(`unknown output format "${f}"`);
        g.format = f as OutputFormat;
        break;
      }
      case "-d":
      case "--data": {
        const d = need();
        if (!DATAS.includes(d as CellFormat)) throw new CtlError(`unknown data format "${d}"`);
        g.data = d as CellFormat;
        break;
      }
      case "--bare":
        g.format = "bare";
        break;
      case "--no-headings":
        g.headings = false;
        break;
      case "--oneline":
        g.oneline = true;
        break;
      case "--leader-only":
      case "--no-leader-only":
        g.leaderOnly = name === "--leader-only";
        break;
      case "--shuffle-remotes":
      case "--no-shuffle-remotes":
        g.shuffleRemotes = name === "--shuffle-remotes";
        break;
      case "--pretty":
        g.pretty = true;
        break;
      case "--print-wait-time":
        g.printWaitTime = true;
        break;
      case "--dry-run":
        g.dryRun = true;
        break;
      default:
        if (IGNORED.includes(name)) break;
        if (allCmdOptions.has(name)) {
          pending.push(a);
          break;
        }
        throw new CtlError(`unrecognized option '${a}'`);
    }
  }
  const groups: string[][] = [[...pending]];
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") groups.push([]);
    else (groups[groups.length - 1] as string[]).push(a);
  }
  const parsed: ParsedCommand[] = [];
  for (const grp of groups) {
    if (grp.length === 0) continue;
    parsed.push(parseOne(grp, commands));
  }
  if (parsed.length === 0) throw new CtlError("missing command name (use --help for help)");
  return { global: g, commands: parsed };
}

function parseOne(grp: readonly string[], commands: ReadonlyMap<string, CommandSpec>): ParsedCommand {
  const options = new Map<string, string>();
  let j = 0;
  const raw: string[] = [];
  for (; j < grp.length && (grp[j] as string).startsWith("--"); j++) raw.push(grp[j] as string);
  const name = grp[j];
  if (name === undefined) throw new CtlError("missing command name (use --help for help)");
  const spec = commands.get(name);
  if (spec === undefined) throw new CtlError(`unknown command '${name}'; use --help for help`);
  for (const a of raw) {
    const [opt, value] = splitOpt(a);
    const allowed = spec.options.find((o) => optionName(o) === opt);
    if (allowed === undefined) throw new CtlError(`'${name}' command has no '${opt}' option`);
    const takesValue = allowed.endsWith("=");
    if (takesValue && value === undefined) throw new CtlError(`'${opt}' option requires an argument`);
    if (!takesValue && !allowed.endsWith("?") && value !== undefined)
      throw new CtlError(`'${opt}' option does not accept an argument`);
    if (options.has(opt)) throw new CtlError(`'${opt}' option specified multiple times`);
    options.set(opt, value ?? "");
  }
  const args = grp.slice(j + 1);
  if (args.length < spec.minArgs)
    throw new CtlError(`'${name}' command requires at least ${spec.minArgs} arguments`);
  if (args.length > spec.maxArgs)
    throw new CtlError(`'${name}' command takes at most ${spec.maxArgs} arguments`);
  return { spec, args, options };
}
