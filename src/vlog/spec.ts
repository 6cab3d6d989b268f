// The vlog specification language of `-v`/`--verbose=` and `ovs-appctl vlog/set` (ovs-appctl(8)):
//   [MODULE][:DESTINATION][:LEVEL]   words separated by spaces, commas or colons, case-insensitive,
//                                    at most one of each kind (a repeated kind: the last one wins);
//                                    no level means dbg; "any" is accepted and means nothing
//   PATTERN:DESTINATION[:PATTERN]    the format of one destination's lines ("any": every one;
//                                    no pattern: an empty one, as vlog takes it)
//   FACILITY:FACILITY                the syslog facility
// Pure: which modules exist is asked of the caller.
import type { Destination, Threshold } from "../base/log.js";

export type VlogSpec =
  | {
      readonly kind: "levels";
      readonly module?: string;
      readonly dest?: Destination;
      readonly level: Threshold;
    }
  /** No dest: every destination ("any"); no pattern: an empty one, as vlog takes it. */
  | { readonly kind: "pattern"; readonly dest?: Destination; readonly pattern?: string }
  | { readonly kind: "facility"; readonly facility: string };

export type Parsed = { ok: true; spec: VlogSpec } | { ok: false; error: string };

const LEVELS: Record<string, Threshold> = {
  off: "OFF",
  emer: "EMER",
  err: "ERR",
  warn: "WARN",
  info: "INFO",
  dbg: "DBG",
};

const DESTS: Record<string, Destination> = { console: "console", syslog: "syslog", file: "file" };

/** The facilities of RFC 5424 that vlog knows by name. */
export const FACILITIES: readonly string[] = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "clock",
  "ftp",
  "ntp",
  "audit",
  "alert",
  "clock2",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
];

/** Parses one spec; `isModule` says whether a word names a logging module. */
export function parseVlogSpec(text: string, isModule: (name: string) => boolean): Parsed {
  const head = /^\s*(pattern|facility)\s*:/i.exec(text);
  if (head !== null) {
    const rest = text.slice(head[0].length);
    if ((head[1] as string).toLowerCase() === "facility") {
      const facility = rest.trim().toLowerCase();
      return FACILITIES.includes(facility)
        ? { ok: true, spec: { kind: "facility", facility } }
        : { ok: false, error: "invalid facility" };
    }
    const colon = rest.indexOf(":");
    const destWord = (colon < 0 ? rest : rest.slice(0, colon)).trim().toLowerCase();
    const dest = DESTS[destWord];
    if (dest === undefined && destWord !== "any")
      return { ok: false, error: `unknown destination "${destWord}"` };
    const pattern = colon < 0 ? undefined : rest.slice(colon + 1);
    return {
      ok: true,
      spec: {
        kind: "pattern",
        ...(dest !== undefined ? { dest } : {}),
        ...(pattern !== undefined ? { pattern } : {}),
      },
    };
  }
  let module: string | undefined;
  let dest: Destination | undefined;
  let level: Threshold = "DBG";
  for (const raw of text.split(/[\s,:]+/)) {
    if (raw === "") continue;
    const w = raw.toLowerCase();
    if (w === "any") continue;
    const l = LEVELS[w];
    const d = DESTS[w];
    if (l !== undefined) level = l;
    else if (d !== undefined) dest = d;
    else if (isModule(w)) module = w;
    else return { ok: false, error: `no destination, level, or module "${raw}"` };
  }
  return {
    ok: true,
    spec: {
      kind: "levels",
      level,
      ...(module !== undefined ? { module } : {}),
      ...(dest !== undefined ? { dest } : {}),
    },
  };
}
