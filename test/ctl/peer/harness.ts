// Differential harness: one real ovsdb-server per side (NB and SB databases from `ovsdb-tool create` on
// the repository's schemas); a command line runs through the real ovn-nbctl/ovn-sbctl on one side and
// `bin/ovnts nbctl/sbctl` on the other; stdout, stderr and exit codes are compared with uuids normalised.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../../../..");
const OVNTS = join(REPO, "bin/ovnts");

export interface Server {
  readonly dir: string;
  readonly sock: string;
  readonly proc: ChildProcess;
}

export async function startServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-ctl-"));
  for (const [f, s] of [
    ["nb.db", "ovn-nb.ovsschema"],
    ["sb.db", "ovn-sb.ovsschema"],
  ] as const)
    execFileSync("ovsdb-tool", ["create", join(dir, f), join(REPO, "schemas", s)]);
  const sock = join(dir, "db.sock");
  const proc = spawn(
    "ovsdb-server",
    [
      `--remote=punix:${sock}`,
      `--unixctl=${join(dir, "ctl")}`,
      "--no-chdir",
      join(dir, "nb.db"),
      join(dir, "sb.db"),
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 200 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 10));
  return { dir, sock, proc };
}

export function stopServer(s: Server): void {
  s.proc.kill("SIGTERM");
  rmSync(s.dir, { recursive: true, force: true });
}

export interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

function run(file: string, args: readonly string[]): Promise<Outcome> {
  return new Promise((res) => {
    execFile(
      file,
      args,
      { timeout: 5000, env: { ...process.env, OVN_NB_DB: "", OVN_SB_DB: "" } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
        res({ stdout, stderr, code });
      },
    );
  });
}

export function runReal(tool: "nbctl" | "sbctl", sock: string, args: readonly string[]): Promise<Outcome> {
  return run(`ovn-${tool}`, [`--db=unix:${sock}`, ...args]);
}

export function runOurs(tool: "nbctl" | "sbctl", sock: string, args: readonly string[]): Promise<Outcome> {
  return run(process.execPath, [OVNTS, tool, `--db=unix:${sock}`, ...args]);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Each distinct uuid becomes <0>, <1> ... in order of first appearance. */
export function normaliseUuids(text: string): string {
  const seen = new Map<string, number>();
  return text.replace(UUID, (u) => {
    let n = seen.get(u);
    if (n === undefined) {
      n = seen.size;
      seen.set(u, n);
    }
    return `<${n}>`;
  });
}

/**
 * `ovsdb-client dump` of a database, made comparable across servers: each row's uuid is renamed after
 * its table and its place among the table's rows sorted with uuids masked, references are renamed to
 * match, sets of references are sorted, and rows are sorted again.
 */
export function dump(sock: string, db: string): string {
  const text = execFileSync("ovsdb-client", ["-f", "csv", "dump", `unix:${sock}`, db], { encoding: "utf8" });
  const blocks = text
    .trimEnd()
    .split(/\n(?=\S+ table\n)/)
    .map((b) => b.split("\n"));
  const mask = (r: string) => r.replace(UUID, "U");
  const names = new Map<string, string>();
  for (const [head, , ...rows] of blocks) {
    const table = (head ?? "").replace(/ table$/, "");
    rows
      .map((r) => [mask(r), r] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .forEach(([, r], i) => {
        const u = r.match(UUID)?.[0];
        if (u !== undefined) names.set(u, `<${table}#${i}>`);
      });
  }
  const rename = (r: string) =>
    r
      .replace(UUID, (u) => names.get(u) ?? "<dangling>")
      .replace(/\[(<[^\]]*)\]/g, (_m, inner: string) => `[${inner.split(", ").sort().join(", ")}]`);
  return blocks
    .map(([head, cols, ...rows]) => [head, cols, ...rows.map(rename).sort()].join("\n"))
    .join("\n");
}

/** Splits a shell-like command line: whitespace separates, '...' quotes. */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inArg = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'") {
      const j = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, j);
      i = j;
      inArg = true;
    } else if (/\s/.test(ch)) {
      if (inArg) out.push(cur);
      cur = "";
      inArg = false;
    } else {
      cur += ch;
      inArg = true;
    }
  }
  if (inArg) out.push(cur);
  return out;
}

export interface LineResult {
  readonly line: string;
  readonly real: Outcome;
  readonly ours: Outcome;
  readonly agree: boolean;
}

/** The C tools' console log lines start with the time of day, which two runs cannot share. */
const LOG_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|/gm;

/**
 * A corpus line starting with this prints rows in the order of the C IDL's row hash table (a function
 * of the rows' uuids, which differ between the two sides): its output lines are compared as a multiset.
 */
export const UNORDERED = "unordered: ";

function norm(o: Outcome, unordered = false): Outcome {
  const stderr = normaliseUuids(o.stderr).replace(LOG_TIME, "<time>|");
  // Uuids are numbered in order of appearance, which depends on the line order: mask them instead.
  const stdout = unordered
    ? o.stdout
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
        .split("\n")
        .sort()
        .join("\n")
    : normaliseUuids(o.stdout);
  return { stdout, stderr, code: o.code };
}

/** Runs the corpus in order on both sides (the two sides of one line concurrently). */
export async function runCorpus(
  tool: "nbctl" | "sbctl",
  real: Server,
  ours: Server,
  lines: readonly string[],
): Promise<LineResult[]> {
  const results: LineResult[] = [];
  for (const line of lines) {
    const unordered = line.startsWith(UNORDERED);
    const args = splitArgs(unordered ? line.slice(UNORDERED.length) : line);
    const [r, o] = await Promise.all([runReal(tool, real.sock, args), runOurs(tool, ours.sock, args)]);
    const nr = norm(r, unordered);
    const no = norm(o, unordered);
    const agree = nr.stdout === no.stdout && nr.stderr === no.stderr && nr.code === no.code;
    results.push({ line, real: nr, ours: no, agree });
  }
  return results;
}
