// Which implementation serves the databases in a peer test. Every peer/e2e test is written once and run
// for each implementation named in OVNTS_PEER_IMPLS (default "c,ovnts"), so the C server is the living
// reference for the behaviour ovnts must reproduce.

export type Impl = "c" | "ovnts";

const known: readonly Impl[] = ["c", "ovnts"];

export const IMPLS_ENV = "OVNTS_PEER_IMPLS";

/**
 * Parses a comma-separated implementation list ("c,ovnts"). Unknown names throw rather than being
 * silently skipped: a typo in CI must not turn into "no tests ran".
 */
export function parseImpls(spec: string | undefined): Impl[] {
  const raw = spec === undefined || spec.trim() === "" ? "c,ovnts" : spec;
  const out: Impl[] = [];
  for (const part of raw.split(",")) {
    const name = part.trim();
    if (name === "") continue;
    const impl = known.find((k) => k === name);
    if (impl === undefined) {
      throw new Error(
        `${IMPLS_ENV}: unknown implementation '${name}' (expected one of: ${known.join(", ")})`,
      );
    }
    if (!out.includes(impl)) out.push(impl);
  }
  if (out.length === 0) throw new Error(`${IMPLS_ENV}: no implementation named in '${raw}'`);
  return out;
}

/** The implementations this run covers, from the environment given (the process's by default). */
export function implementations(env: Readonly<Record<string, string | undefined>> = process.env): Impl[] {
  return parseImpls(env[IMPLS_ENV]);
}
