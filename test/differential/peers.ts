// Starts the real ovsdb-server (Open vSwitch 3.1) on fresh database files in a temp dir, for
// differential tests, and a minimal raw JSON-RPC client to talk to any server over a unix socket.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(fileURLToPath(import.meta.url), "../../../..");
export const SCHEMAS = join(REPO, "schemas");

export function schemaPath(name: "ovn-nb" | "ovn-sb" | "vswitch"): string {
  return join(SCHEMAS, `${name}.ovsschema`);
}

export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: opts.env ?? process.env, input: opts.input ?? "" });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export interface RealServer {
  dir: string;
  sock: string;
  stop(): void;
}

/** Real ovsdb-server on new db files made with the real ovsdb-tool. */
export function startRealOvsdb(schemas: string[]): RealServer {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-real-"));
  const sock = join(dir, "db.sock");
  const dbs = schemas.map((s, i) => {
    const f = join(dir, `db${i}.db`);
    run("ovsdb-tool", ["create", f, s]);
    return f;
  });
  run("ovsdb-server", [
    "--detach",
    "--no-chdir",
    `--pidfile=${join(dir, "pid")}`,
    `--log-file=${join(dir, "log")}`,
    `--remote=punix:${sock}`,
    `--unixctl=${join(dir, "ctl")}`,
    ...dbs,
  ]);
  return {
    dir,
    sock,
    stop() {
      try {
        process.kill(Number(readFileSync(join(dir, "pid"), "utf8").trim()), "SIGTERM");
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `bin/ovnts ovsdb-server` on new db files (made with the real ovsdb-tool), in the foreground. */
export async function startOvntsOvsdb(
  schemas: string[],
  extraArgs: string[] = [],
): Promise<RealServer & { child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), "ovnts-ours-"));
  const sock = join(dir, "db.sock");
  const dbs = schemas.map((s, i) => {
    const f = join(dir, `db${i}.db`);
    run("ovsdb-tool", ["create", f, s]);
    return f;
  });
  const child = spawn(
    process.execPath,
    [
      join(REPO, "bin/ovnts"),
      "ovsdb-server",
      `--log-file=${join(dir, "log")}`,
      `--remote=punix:${sock}`,
      `--unixctl=${join(dir, "ctl")}`,
      ...extraArgs,
      ...dbs,
    ],
    { stdio: ["ignore", "ignore", "ignore"] },
  );
  const deadline = Date.now() + 10_000;
  while (!existsSync(sock)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("ovnts ovsdb-server did not start");
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    dir,
    sock,
    child,
    stop() {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A minimal JSON-RPC client: requests get replies; notifications are collected. */
export class RawClient {
  private buf = "";
  private waiters = new Map<unknown, (m: Record<string, unknown>) => void>();
  readonly notifications: Record<string, unknown>[] = [];
  private nextId = 1;
  private constructor(private readonly sock: Socket) {
    sock.setEncoding("utf8");
    sock.on("data", (d: string) => this.onData(d));
    sock.on("close", () => {
      this.closed = true;
      for (const w of this.waiters.values()) w({ closed: true });
      this.waiters.clear();
    });
  }

  closed = false;

  static connect(path: string): Promise<RawClient> {
    return new Promise((res, rej) => {
      const s = connect(path, () => res(new RawClient(s)));
      s.once("error", rej);
    });
  }

  private onData(d: string): void {
    this.buf += d;
    for (;;) {
      const end = jsonEnd(this.buf);
      if (end < 0) return;
      const msg = JSON.parse(this.buf.slice(0, end)) as Record<string, unknown>;
      this.buf = this.buf.slice(end).trimStart();
      if (msg.method === "echo" && msg.id !== null) {
        this.sock.write(JSON.stringify({ id: msg.id, result: msg.params, error: null }));
        continue;
      }
      if (msg.id === null || msg.id === undefined) {
        this.notifications.push(msg);
        continue;
      }
      const w = this.waiters.get(msg.id);
      this.waiters.delete(msg.id);
      w?.(msg);
    }
  }

  request(method: string, params: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    if (this.closed) return Promise.resolve({ closed: true });
    return new Promise((res) => {
      this.waiters.set(id, res);
      this.sock.write(JSON.stringify({ method, params, id }));
    });
  }

  sendRaw(text: string): void {
    this.sock.write(text);
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Index just past the first complete top-level JSON value in s, or -1. */
export function jsonEnd(s: string): number {
  let depth = 0;
  let inStr = false;
  let esc = false;
  let started = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === "\\") esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === "{" || c === "[") {
      depth++;
      started = true;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0 && started) return i + 1;
    }
  }
  return -1;
}

/** Replaces every UUID by <N> in order of first appearance, so outputs of two servers compare. */
export function normaliseUuids(text: string, map = new Map<string, string>()): string {
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => {
    let n = map.get(u);
    if (n === undefined) {
      n = `<${map.size}>`;
      map.set(u, n);
    }
    return n;
  });
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const masked = (v: unknown) => JSON.stringify(v).replace(UUID_RE, "U");

export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const keys = Object.keys(o);
    // Objects keyed by row uuid (monitor contents) are in hash order: order them by their masked text.
    const byUuid = keys.length > 0 && keys.every((k) => /^[0-9a-f]{8}-[0-9a-f-]{27}$/.test(k));
    const order = byUuid
      ? keys.sort((a, b) => (masked(o[a]) < masked(o[b]) ? -1 : masked(o[a]) > masked(o[b]) ? 1 : 0))
      : keys.sort();
    // Rows that look the same but for their uuids get their keys masked: their order is arbitrary.
    const seen = new Map<string, number>();
    if (byUuid) for (const k of keys) seen.set(masked(o[k]), (seen.get(masked(o[k])) ?? 0) + 1);
    let tie = 0;
    for (const k of order) {
      if (byUuid && (seen.get(masked(o[k])) ?? 0) > 1) {
        out[`tie#${tie++}`] = canonical(o[k]);
        continue;
      }
      let x = canonical(o[k]);
      // Row order of "select" and monitor contents is unspecified: sort rows by their text.
      if (k === "rows" && Array.isArray(x))
        x = [...x].sort((a, b) => (masked(a) < masked(b) ? -1 : masked(a) > masked(b) ? 1 : 0));
      out[k] = x;
    }
    return out;
  }
  return v;
}
