// The logging commands every daemon's unixctl socket answers, as Open vSwitch daemons do
// (ovs-appctl(8) "Logging Commands"): vlog/set, vlog/list, vlog/list-pattern, vlog/reopen, vlog/close,
// vlog/enable-rate-limit, vlog/disable-rate-limit.
import { isModule, moduleLevels, type Threshold } from "../base/log.js";
import { UnixctlError } from "../unixctl/commands.js";
import { DEFAULT_PATTERNS } from "./pattern.js";
import { currentVlog, type Vlog } from "./vlog.js";

interface Registry {
  register(n: string, u: string, min: number, max: number, h: (a: string[]) => string | undefined): void;
}

const SYSLOG_PREFIX = "<%B> %D{%h %e %T} %E %A:";

/** vlog/list's table: every module, its level per destination, and whether its rate limit is off. */
export function vlogListText(unlimited: ReadonlySet<string>): string {
  const lvl = (t: Threshold): string => t.padStart(4);
  let out = "                 console    syslog    file\n                 -------    ------    ------\n";
  for (const m of moduleLevels()) {
    const l = m.levels;
    out += `${m.name.padEnd(16)}  ${lvl(l.console)}       ${lvl(l.syslog)}       ${lvl(l.file)}`;
    out += unlimited.has(m.name) ? "    (rate limiting disabled)\n" : "\n";
  }
  return out;
}

/** vlog/list-pattern's table. */
export function vlogPatternText(patterns: Readonly<Record<string, string>>): string {
  const row = (name: string, prefix: string, pattern: string): string =>
    `${name.padEnd(9)}${prefix.padEnd(34)}${pattern}\n`;
  return (
    "         prefix                            format\n         ------                            ------\n" +
    row("SYSLOG", SYSLOG_PREFIX, patterns.syslog ?? DEFAULT_PATTERNS.syslog) +
    row("CONSOLE", "none", patterns.console ?? DEFAULT_PATTERNS.console) +
    row("FILE", "none", patterns.file ?? DEFAULT_PATTERNS.file)
  );
}

function rateLimit(v: Vlog | undefined, modules: string[], enable: boolean): undefined {
  const names = modules.length === 0 ? moduleLevels().map((m) => m.name) : modules;
  for (const n of names) if (!isModule(n)) throw new UnixctlError("unknown module");
  for (const n of names) {
    if (enable) v?.unlimited.delete(n);
    else v?.unlimited.add(n);
  }
  return undefined;
}

/** Registers the logging commands on a daemon's unixctl server. */
export function registerVlogCommands(unixctl: Registry): void {
  unixctl.register("vlog/set", "{spec | PATTERN:destination:pattern}", 0, Infinity, (args) => {
    const v = currentVlog();
    const specs = args.length === 0 ? [""] : args;
    for (const spec of specs) {
      const err = v !== undefined ? v.apply(spec) : undefined;
      if (err !== undefined) throw new UnixctlError(err);
    }
    return undefined;
  });
  unixctl.register("vlog/list", "", 0, 0, () => vlogListText(currentVlog()?.unlimited ?? new Set()));
  unixctl.register("vlog/list-pattern", "", 0, 0, () =>
    vlogPatternText(currentVlog()?.patterns ?? DEFAULT_PATTERNS),
  );
  unixctl.register("vlog/reopen", "", 0, 0, () => {
    currentVlog()?.reopen();
    return undefined;
  });
  unixctl.register("vlog/close", "", 0, 0, () => {
    currentVlog()?.close();
    return undefined;
  });
  unixctl.register("vlog/enable-rate-limit", "[module]...", 0, Infinity, (args) =>
    rateLimit(currentVlog(), args, true),
  );
  unixctl.register("vlog/disable-rate-limit", "[module]...", 0, Infinity, (args) =>
    rateLimit(currentVlog(), args, false),
  );
}
