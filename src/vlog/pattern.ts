// vlog's log-line patterns (ovs-appctl(8) "vlog/set PATTERN"): %c module, %p level, %m message, %N
// serial number, %D{strftime} UTC time, %d{strftime} local time ('#' = fractional second digits), %A
// program, %E host, %P pid, %r ms since start, %t/%T subprogram, %B syslog PRI, %n, %%; each with
// optional '-' (left justify), '0' (zero pad) and a minimum width. Pure: the process facts come in.
import type { Destination, Level, LogRecord } from "../base/log.js";

export interface PatternContext {
  readonly program: string;
  readonly hostname: string;
  readonly pid: number;
  /** Wall time the program started at, in ms. */
  readonly startMs: number;
  /** syslog facility number (RFC 5424), for %B. */
  readonly facility: number;
}

/** The patterns vlog starts with. */
export const DEFAULT_PATTERNS: Readonly<Record<Destination, string>> = {
  console: "%D{%Y-%m-%dT%H:%M:%SZ}|%05N|%c%T|%p|%m",
  syslog: "ovs|%05N|%c%T|%p|%m",
  file: "%D{%Y-%m-%dT%H:%M:%S.###Z}|%05N|%c%T|%p|%m",
};

const SEVERITY: Record<Level, number> = { EMER: 0, ERR: 3, WARN: 4, INFO: 6, DBG: 7 };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const pad = (n: number, w: number, c = "0"): string => String(n).padStart(w, c);

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  wd: number;
  offsetMin: number;
}

function parts(when: Date, utc: boolean): Parts {
  return utc
    ? {
        y: when.getUTCFullYear(),
        mo: when.getUTCMonth(),
        d: when.getUTCDate(),
        h: when.getUTCHours(),
        mi: when.getUTCMinutes(),
        s: when.getUTCSeconds(),
        ms: when.getUTCMilliseconds(),
        wd: when.getUTCDay(),
        offsetMin: 0,
      }
    : {
        y: when.getFullYear(),
        mo: when.getMonth(),
        d: when.getDate(),
        h: when.getHours(),
        mi: when.getMinutes(),
        s: when.getSeconds(),
        ms: when.getMilliseconds(),
        wd: when.getDay(),
        offsetMin: -when.getTimezoneOffset(),
      };
}

/** strftime(3) for the conversions vlog patterns use, plus '#' for fractional-second digits. */
export function strftime(fmt: string, when: Date, utc: boolean): string {
  const p = parts(when, utc);
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i] as string;
    if (ch === "#") {
      let n = 0;
      while (fmt[i + n] === "#") n++;
      out += pad(p.ms, 3).padEnd(n, "0").slice(0, n);
      i += n - 1;
      continue;
    }
    if (ch !== "%" || i + 1 >= fmt.length) {
      out += ch;
      continue;
    }
    const c = fmt[++i] as string;
    switch (c) {
      case "Y":
        out += pad(p.y, 4);
        break;
      case "y":
        out += pad(p.y % 100, 2);
        break;
      case "m":
        out += pad(p.mo + 1, 2);
        break;
      case "d":
        out += pad(p.d, 2);
        break;
      case "e":
        out += pad(p.d, 2, " ");
        break;
      case "H":
        out += pad(p.h, 2);
        break;
      case "M":
        out += pad(p.mi, 2);
        break;
      case "S":
        out += pad(p.s, 2);
        break;
      case "T":
        out += `${pad(p.h, 2)}:${pad(p.mi, 2)}:${pad(p.s, 2)}`;
        break;
      case "F":
        out += `${pad(p.y, 4)}-${pad(p.mo + 1, 2)}-${pad(p.d, 2)}`;
        break;
      case "b":
      case "h":
        out += MONTHS[p.mo];
        break;
      case "a":
        out += DAYS[p.wd];
        break;
      case "z": {
        const a = Math.abs(p.offsetMin);
        out += `${p.offsetMin < 0 ? "-" : "+"}${pad(Math.floor(a / 60), 2)}${pad(a % 60, 2)}`;
        break;
      }
      case "Z":
        out += utc ? "UTC" : "";
        break;
      case "%":
        out += "%";
        break;
      default:
        out += `%${c}`;
    }
  }
  return out;
}

/** The module name and the subprogram of a logger named like "acl_log(ovn_pinctrl0)". */
function split(module: string): [string, string] {
  const i = module.indexOf("(");
  return i > 0 && module.endsWith(")") ? [module.slice(0, i), module.slice(i + 1, -1)] : [module, ""];
}

/** One record formatted by a pattern. */
export function formatRecord(pattern: string, r: LogRecord, ctx: PatternContext): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch !== "%" || i + 1 >= pattern.length) {
      out += ch;
      continue;
    }
    let j = i + 1;
    let left = false;
    let zero = false;
    if (pattern[j] === "-") {
      left = true;
      j++;
    }
    if (pattern[j] === "0") {
      zero = true;
      j++;
    }
    let width = 0;
    while (j < pattern.length && /[0-9]/.test(pattern[j] as string))
      width = width * 10 + Number(pattern[j++]);
    const c = pattern[j] ?? "";
    let arg: string | undefined;
    if ((c === "d" || c === "D") && pattern[j + 1] === "{") {
      const close = pattern.indexOf("}", j + 2);
      if (close > 0) {
        arg = pattern.slice(j + 2, close);
        j = close;
      }
    }
    i = j;
    const [mod, sub] = split(r.module);
    let text: string;
    switch (c) {
      case "A":
        text = ctx.program;
        break;
      case "B":
        text = String(ctx.facility * 8 + SEVERITY[r.level]);
        break;
      case "c":
        text = mod;
        break;
      case "d":
        text = strftime(arg ?? "%Y-%m-%d %H:%M:%S", r.when, false);
        break;
      case "D":
        text = strftime(arg ?? "%Y-%m-%d %H:%M:%S", r.when, true);
        break;
      case "E":
        text = ctx.hostname;
        break;
      case "m":
        text = r.msg;
        break;
      case "N":
        text = String(r.seq);
        break;
      case "n":
        text = "\n";
        break;
      case "p":
        text = r.level;
        break;
      case "P":
        text = String(ctx.pid);
        break;
      case "r":
        text = String(Math.max(0, r.when.getTime() - ctx.startMs));
        break;
      case "t":
        text = sub === "" ? "main" : sub;
        break;
      case "T":
        text = sub === "" ? "" : `(${sub})`;
        break;
      case "%":
        text = "%";
        break;
      default:
        text = `%${c}`;
    }
    if (text.length < width) text = left ? text.padEnd(width) : text.padStart(width, zero ? "0" : " ");
    out += text;
  }
  return out;
}
