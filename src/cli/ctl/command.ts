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
  /** State kept from run() for postCommit(). */
  state?: unknown;
}

export interface CommandSpec {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Accepted options: "--if-exists", "--id=" (takes a value) ... */
  readonly options: readonly string[];
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
  dryRun: boolean;
}

export interface ParsedCommand {
  readonly spec: CommandSpec;
  readonly args: readonly string[];
  readonly options: Map<string, string>;
}

const FORMATS: readonly OutputFormat[] = ["list", "table", "csv", "json", "bare"];
const DATAS: readonly CellFormat[] = ["string", "bare", "json"];
/** Options that take no value and are accepted (and ignored) for compatibility. */
const IGNORED = [
  "--oneline",
  "--leader-only",
  "--no-leader-only",
  "--shuffle-remotes",
  "--no-shuffle-remotes",
  "--no-syslog",
  "--pretty",
  "--print-wait-time",
];

function splitOpt(a: string): [string, string | undefined] {
  const eq = a.indexOf("=");
  return eq < 0 ? [a, undefined] : [a.slice(0, eq), a.slice(eq + 1)];
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
    dryRun: false,
  };
  const allCmdOptions = new Set<string>();
  for (const c of commands.values()) for (const o of c.options) allCmdOptions.add(splitOpt(o)[0]);
  let i = 0;
  const pending: string[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith("-") || a === "--") break;
    const [name, value] = splitOpt(a);
    const need = (): string => {
      if (value !== undefined) return value;
      const v = argv[i + 1];
      if (v === undefined) throw new CtlError(`option '${name}' requires an argument`);
      i++;
      return v;
    };
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
      case "--dry-run":
        g.dryRun = true;
        break;
      default:
        if (IGNORED.includes(name)) break;
        if (allCmdOptions.has(name)) {
          pending.push(a);
          break;
        }
        throw new CtlError(`unrecognized option '${name}'`);
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
    const allowed = spec.options.find((o) => splitOpt(o)[0] === opt);
    if (allowed === undefined) throw new CtlError(`'${name}' command has no '${opt}' option`);
    const takesValue = allowed.endsWith("=");
    if (takesValue && value === undefined) throw new CtlError(`'${opt}' option requires an argument`);
    if (!takesValue && value !== undefined) throw new CtlError(`'${opt}' option does not accept an argument`);
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
