// Runs the load workload against one server implementation: a fresh OVN_Northbound file made by the
// real ovsdb-tool, the server started on it (the real /usr/sbin/ovsdb-server or `node bin/ovnts
// ovsdb-server`, same flags), its RSS sampled while the load runs, then stopped.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseVmRssKiB } from "../lib/procfs.js";
import type { Impl } from "../lib/report.js";
import { type LoadOptions, type LoadResult, runLoad } from "./workload.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface Measured extends LoadResult {
  impl: Impl;
  rssKiB: { start: number; max: number; end: number };
}

function serverCommand(impl: Impl): [string, string[]] {
  return impl === "c"
    ? ["/usr/sbin/ovsdb-server", ["--no-chdir"]]
    : [process.execPath, [join(repoRoot, "bin/ovnts"), "ovsdb-server"]];
}

async function waitFor(ok: () => boolean, what: string, child: ChildProcess): Promise<void> {
  const end = Date.now() + 20_000;
  while (!ok()) {
    if (child.exitCode !== null) throw new Error(`${what}: server exited (${child.exitCode})`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function measure(impl: Impl, opts: Omit<LoadOptions, "sock">): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), `ovnts-load-${impl}-`));
  const db = join(dir, "nb.db");
  const made = spawnSync("ovsdb-tool", ["create", db, join(repoRoot, "schemas/ovn-nb.ovsschema")]);
  if (made.status !== 0) throw new Error(`ovsdb-tool create: ${made.stderr}`);
  const sock = join(dir, "nb.sock");
  const [cmd, pre] = serverCommand(impl);
  const child = spawn(
    cmd,
    [...pre, `--remote=punix:${sock}`, `--unixctl=${join(dir, "ctl")}`, `--log-file=${join(dir, "log")}`, db],
    { stdio: "ignore" },
  );
  const rss = (): number => parseVmRssKiB(readFileSync(`/proc/${child.pid}/status`, "utf8"));
  try {
    await waitFor(() => existsSync(sock), `${impl} server socket`, child);
    const start = rss();
    let max = start;
    const sampler = setInterval(() => {
      max = Math.max(max, rss());
    }, 250);
    let result: LoadResult;
    try {
      result = await runLoad({ ...opts, sock });
    } finally {
      clearInterval(sampler);
    }
    const end = rss();
    return { impl, ...result, rssKiB: { start, max: Math.max(max, end), end } };
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}
