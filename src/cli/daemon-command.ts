// The start of every daemon subcommand (ovsdb-server, northd, controller): parse the options the C way,
// answer --help and --version, detach if asked, then set up the log file, pidfile and signals.
import { type DaemonFiles, maybeDetach, setUpDaemon } from "../daemon/daemon.js";
import { has, type OptionSpec, type ParsedOptions, parseCommandLine } from "./options.js";
import { VERSION } from "./version.js";

export interface StartedDaemon {
  readonly opts: ParsedOptions;
  readonly files: DaemonFiles;
}

/**
 * Returns the parsed options and the daemon's files, or the exit code when the command is done already
 * (a usage error, --help, --version, or the parent side of --detach). `program` is the C daemon's name
 * (its log and pidfile names); `ovn` picks the OVN run/log directories.
 */
export async function startDaemon(
  program: string,
  argv: string[],
  specs: Record<string, OptionSpec>,
  usage: string,
  ovn = false,
): Promise<StartedDaemon | number> {
  const opts = parseCommandLine(program, argv, specs);
  if (typeof opts === "number") return opts;
  if (has(opts, "help")) {
    process.stdout.write(usage);
    return 0;
  }
  if (has(opts, "version")) {
    process.stdout.write(`${program} (ovnts) ${VERSION}\n`);
    return 0;
  }
  const detached = await maybeDetach(argv);
  if (detached !== undefined) return detached;
  return { opts, files: setUpDaemon(program, opts, ovn) };
}
