// The ctl driver (the I/O edge): parse the command line, connect, run every command in one transaction
// (re-run from scratch when it loses a race), print what the commands printed, exit like the C tools.

import { ConnectError, dial } from "../../jsonrpc/transport/dial.js";
import type { SslOptions } from "../../jsonrpc/transport/ssl.js";
import { connectIdl } from "../../ovsdb/idl/connect.js";
import type { OvnNbTables } from "../../ovsdb/idl/generated/ovn-nb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { DbModel, Tables } from "../../ovsdb/idl/model.js";
import { bumpNbCfg } from "../../ovsdb/idl/nb-cfg.js";
import { TxnError } from "../../ovsdb/idl/txn.js";
import {
  type CommandContext,
  type CommandSpec,
  type CtlSslOptions,
  type ParsedCommand,
  parseCommandLine,
} from "./command.js";
import { CtlError } from "./datum-text.js";
import { CtlDb, type NameColumns } from "./db.js";
import { GENERIC_COMMANDS, NotYet } from "./generic.js";

export interface CtlTool {
  /** "ovn-nbctl": the prefix of error messages. */
  readonly program: string;
  readonly model: DbModel<Tables>;
  /** Environment variable naming the database ("OVN_NB_DB") and the default socket's file name. */
  readonly dbEnv: string;
  readonly defaultSocket: string;
  readonly commands: readonly CommandSpec[];
  readonly nameColumns: NameColumns;
  /** The table with the single global row that every run makes sure exists ("NB_Global"). */
  readonly globalTable: string;
  /** Whether --wait=sb|hv applies (ovn-nbctl). */
  readonly nbCfg: boolean;
}

class DryRun extends Error {}

/**
 * The C tools give up at once when the only database remote cannot be reached; the IDL would keep
 * retrying, so try one connection first. Returns the reason of the failure, or undefined.
 */
async function probe(remote: string, ssl: SslOptions | undefined): Promise<string | undefined> {
  if (remote.includes(",")) return undefined;
  try {
    const conn = await dial(remote, ssl === undefined ? {} : { ssl });
    conn.start({ onData: () => {}, onDrain: () => {}, onClose: () => {} });
    conn.close();
    return undefined;
  } catch (e) {
    // A bootstrapped CA is a success: the IDL's next attempt uses it.
    if (e instanceof ConnectError) return /bootstrapped CA/.test(e.reason) ? undefined : e.reason;
    return undefined;
  }
}

/** The SSL files of the command line, when they are enough to make an SSL connection. */
function sslOptionsOf(o: CtlSslOptions): SslOptions | undefined {
  const caCert = o.caCert ?? o.bootstrapCaCert;
  if (o.privateKey === undefined || o.certificate === undefined || caCert === undefined) return undefined;
  return {
    privateKey: o.privateKey,
    certificate: o.certificate,
    caCert,
    ...(o.caCert === undefined && { bootstrapCaCert: true }),
    ...(o.protocols !== undefined && { protocols: o.protocols }),
    ...(o.ciphers !== undefined && { ciphers: o.ciphers }),
  };
}

function fail(tool: CtlTool, msg: string): number {
  process.stderr.write(`${tool.program}: ${msg}\n`);
  return 1;
}

function defaultRemote(tool: CtlTool): string {
  const env = process.env[tool.dbEnv];
  if (env !== undefined && env !== "") return env;
  const rundir = process.env.OVN_RUNDIR ?? process.env.OVS_RUNDIR ?? "/var/run/ovn";
  return `unix:${rundir}/${tool.defaultSocket}`;
}

/** `--help`: the commands this tool knows (with their options) and the global options. */
export function ctlUsage(tool: CtlTool): string {
  const db = tool.program === "ovn-nbctl" ? "northbound" : "southbound";
  const cmds = [...GENERIC_COMMANDS, ...tool.commands]
    .map((c) => `  ${c.options.length > 0 ? `[${c.options.join("|")}] ` : ""}${c.name}`)
    .join("\n");
  return `${tool.program}: OVN ${db} DB management utility (ovnts)
usage: ${tool.program} [OPTIONS] COMMAND [ARG...]

Commands (see ${tool.program}(8) for their arguments):
${cmds}

Options:
  --db=DATABASE               connect to DATABASE (default: $${tool.dbEnv} or unix:$OVN_RUNDIR/${tool.defaultSocket})
  --no-wait, --wait=none|sb|hv  wait (or not) for northd/hypervisors to catch up (ovn-nbctl)
  -t, --timeout=SECS          give up after SECS seconds
  -f, --format=FORMAT         table, list, html, csv, json, bare
  -d, --data=FORMAT           string, bare, json
  --bare, --no-headings, --oneline, --pretty, --dry-run, --print-wait-time
  -p, --private-key=FILE  -c, --certificate=FILE  -C, --ca-cert=FILE  --bootstrap-ca-cert=FILE
  --ssl-protocols=PROTOS  --ssl-ciphers=CIPHERS
  -h, --help                  this text;  -V, --version  the version
`;
}

export async function runCtl(tool: CtlTool, argv: readonly string[]): Promise<number> {
  const table = new Map<string, CommandSpec>();
  for (const c of [...GENERIC_COMMANDS, ...tool.commands]) table.set(c.name, c);
  const firstCommand = argv.findIndex((a) => !a.startsWith("-"));
  const globals = firstCommand < 0 ? argv : argv.slice(0, firstCommand);
  if (globals.includes("--help") || globals.includes("-h")) {
    process.stdout.write(ctlUsage(tool));
    return 0;
  }
  if (globals.includes("--version") || globals.includes("-V")) {
    process.stdout.write(`${tool.program} (ovnts) 23.03.1\nDB Schema ${tool.model.version}\n`);
    return 0;
  }
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv, table);
  } catch (e) {
    if (e instanceof CtlError) return fail(tool, e.message);
    throw e;
  }
  const { global: g, commands } = parsed;
  const remote = g.db ?? defaultRemote(tool);
  const ssl = sslOptionsOf(g.ssl);
  const unreachable = await probe(remote, ssl);
  if (unreachable !== undefined) return fail(tool, `${remote}: database connection failed (${unreachable})`);
  const idl = connectIdl(tool.model, g.shuffleRemotes ? shuffled(remote) : remote, {
    leaderOnly: g.leaderOnly,
    ...(ssl !== undefined && { ssl }),
  });
  const timer =
    g.timeoutSec > 0
      ? setTimeout(() => {
          process.stderr.write(`${tool.program}: timeout after ${g.timeoutSec} seconds\n`);
          process.exit(142);
        }, g.timeoutSec * 1000)
      : undefined;
  try {
    return await execute(tool, idl, g, commands);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    idl.stop();
  }
}

async function execute(
  tool: CtlTool,
  idl: Idl<Tables>,
  g: ReturnType<typeof parseCommandLine>["global"],
  commands: readonly ParsedCommand[],
): Promise<number> {
  // --print-wait-time measures from here, as ovn-nbctl does from the start of its transaction.
  const started = Date.now();
  const style = { format: g.format, data: g.data, headings: g.headings, pretty: g.pretty };
  for (;;) {
    let contexts: CommandContext[] = [];
    try {
      const { result } = await idl.transact((txn) => {
        const db = new CtlDb(idl, txn, tool.nameColumns);
        if (idl.first(tool.globalTable) === undefined) {
          txn.verifyEmpty(tool.globalTable);
          db.insert(db.table(tool.globalTable));
        }
        contexts = commands.map((c) => ({ db, args: c.args, options: c.options, style, out: "" }));
        commands.forEach((c, i) => {
          c.spec.run(contexts[i] as CommandContext);
        });
        // --dry-run: everything but the commit.
        if (g.dryRun) throw new DryRun();
        return undefined;
      });
      commands.forEach((c, i) => {
        c.spec.postCommit?.(contexts[i] as CommandContext, result);
      });
    } catch (e) {
      if (e instanceof DryRun) {
        process.stdout.write(commandsOutput(contexts, commands, g.oneline));
        return 0;
      }
      if (e instanceof NotYet) {
        const seq = idl.sequence;
        await idl.waitUntil(() => idl.sequence !== seq);
        continue;
      }
      if (e instanceof CtlError) {
        writeLog(e.discarded.map((d) => `db_ctl_base|ERR|Discarding unhandled error: ${d}`));
        return fail(tool, e.message);
      }
      if (e instanceof TxnError) {
        const msg = `transaction error: ${JSON.stringify(sortKeys(e.error))}`;
        // The C IDL logs the failure (console WARN) before the tool reports it.
        writeLog([`ovsdb_idl|WARN|${msg}`]);
        return fail(tool, msg);
      }
      throw e;
    }
    // Like ovn-nbctl, a command line that only reads does not wait.
    const readOnly = commands.every((c) => c.spec.readOnly === true);
    let report = "";
    if (tool.nbCfg && g.wait !== "none" && !readOnly) {
      const nbIdl = idl as unknown as Idl<OvnNbTables>;
      const cfg = await bumpNbCfg(nbIdl, g.wait);
      if (g.printWaitTime) report = waitTimes(nbIdl, cfg, g.wait, started);
    }
    writeLog(contexts.flatMap((c) => c.log ?? []));
    // The commands' output first, then the wait report, as ovn-nbctl prints them.
    process.stdout.write(commandsOutput(contexts, commands, g.oneline) + report);
    return 0;
  }
}

/** The --print-wait-time report: each timestamp northd and the chassis wrote, less the start time. */
function waitTimes(idl: Idl<OvnNbTables>, cfg: number, wait: "sb" | "hv", started: number): string {
  const g = idl.first("NB_Global");
  const since = (t: number | undefined) => `${(t ?? 0) - started}ms`;
  let out = `Time spent on processing nb_cfg ${cfg}:\n`;
  out += `\tovn-northd delay before processing:\t${since(g?.nbCfgTimestamp)}\n`;
  out += `\tovn-northd completion:\t\t\t${since(g?.sbCfgTimestamp)}\n`;
  if (wait === "hv") out += `\tovn-controller(s) completion:\t\t${since(g?.hvCfgTimestamp)}\n`;
  return out;
}

/** The remotes of a comma-separated list in random order (the C tools' default --shuffle-remotes). */
function shuffled(remotes: string): string {
  const list = remotes.split(",");
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j] as string, list[i] as string];
  }
  return list.join(",");
}

/** What the commands print, one after the other (with --oneline, one line per command). */
function commandsOutput(
  contexts: readonly CommandContext[],
  commands: readonly ParsedCommand[],
  oneline: boolean,
): string {
  if (!oneline) return contexts.map((c) => c.out).join("");
  return contexts
    .map((c, i) =>
      commands[i]?.spec.printsTable === true
        ? c.out
        : `${c.out.replace(/\n$/, "").replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}\n`,
    )
    .join("");
}

/** Writes log lines as the C tools' console log does: second-resolution UTC time, a sequence number. */
function writeLog(lines: readonly string[]): void {
  const when = `${new Date().toISOString().slice(0, 19)}Z`;
  lines.forEach((l, i) => {
    process.stderr.write(`${when}|${String(i + 2).padStart(5, "0")}|${l}\n`);
  });
}

function sortKeys(j: unknown): unknown {
  if (j === null || typeof j !== "object" || Array.isArray(j)) return j;
  const o = j as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}
