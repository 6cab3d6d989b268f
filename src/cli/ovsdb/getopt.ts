// Command-line options the way the C tools read them (GNU getopt_long): options may come anywhere among
// the arguments, long options may be abbreviated to any unique prefix, short options cluster ("-mm",
// "-fjson"), and "--" ends the options. Errors carry glibc's own wording, which the C tools print as
// "PROGRAM: MESSAGE" before exiting with status 1.

export interface OptSpec {
  readonly name: string;
  /** Single-letter alias, if any. */
  readonly short?: string;
  /** "required": --x=V, --x V, -xV, -x V.  "optional": only --x=V or -xV. */
  readonly arg?: "required" | "optional";
}

export interface GetoptResult {
  /** Options in command-line order, by long name; value "" when none was given. */
  readonly options: readonly { readonly name: string; readonly value: string }[];
  readonly args: readonly string[];
}

export class GetoptError extends Error {
  override readonly name = "GetoptError";
}

export function getopt(argv: readonly string[], specs: readonly OptSpec[]): GetoptResult {
  const options: { name: string; value: string }[] = [];
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const given = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = findLong(given, specs);
      if (eq >= 0) {
        if (spec.arg === undefined)
          throw new GetoptError(`option '--${spec.name}' doesn't allow an argument`);
        options.push({ name: spec.name, value: a.slice(eq + 1) });
      } else if (spec.arg === "required") {
        const v = argv[i + 1];
        if (v === undefined) throw new GetoptError(`option '--${spec.name}' requires an argument`);
        options.push({ name: spec.name, value: v });
        i++;
      } else options.push({ name: spec.name, value: "" });
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        const spec = specs.find((s) => s.short === c);
        if (spec === undefined) throw new GetoptError(`invalid option -- '${c}'`);
        if (spec.arg === undefined) {
          options.push({ name: spec.name, value: "" });
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest !== "" || spec.arg === "optional") options.push({ name: spec.name, value: rest });
        else {
          const v = argv[i + 1];
          if (v === undefined) throw new GetoptError(`option requires an argument -- '${c}'`);
          options.push({ name: spec.name, value: v });
          i++;
        }
        break;
      }
      continue;
    }
    args.push(a);
  }
  return { options, args };
}

function findLong(given: string, specs: readonly OptSpec[]): OptSpec {
  const exact = specs.find((s) => s.name === given);
  if (exact !== undefined) return exact;
  const matches = given === "" ? [] : specs.filter((s) => s.name.startsWith(given));
  if (matches.length === 1) return matches[0] as OptSpec;
  if (matches.length > 1) {
    const list = matches.map((s) => `'--${s.name}'`).join(" ");
    throw new GetoptError(`option '--${given}' is ambiguous; possibilities: ${list}`);
  }
  throw new GetoptError(`unrecognized option '--${given}'`);
}

/** The last value given for an option, if any. */
export function lastValue(r: GetoptResult, name: string): string | undefined {
  let v: string | undefined;
  for (const o of r.options) if (o.name === name) v = o.value;
  return v;
}

export function count(r: GetoptResult, name: string): number {
  return r.options.filter((o) => o.name === name).length;
}
