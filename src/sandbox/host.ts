// The host edge of the chassis and the sandbox: running commands, finding tools, and network namespaces
// and veth pairs through `ip`.
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { missingToolsMessage } from "./tools.js";

export interface CmdResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; resolves whatever its exit status. */
export function runCmd(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CmdResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      [...args],
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err?.message ?? "") });
      },
    );
  });
}

/** Runs a command; returns stdout, throws with the command and its stderr on failure. */
export async function runOk(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  const r = await runCmd(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

export function onPath(tool: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** Throws the install hint when any of the tools is missing. */
export function requireHostTools(tools: readonly string[]): void {
  const msg = missingToolsMessage(tools.filter((t) => !onPath(t)));
  if (msg !== undefined) throw new Error(msg);
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** `ip` inside a namespace when one is given. */
export function ipIn(netns: string | undefined, ...args: string[]): Promise<string> {
  return runOk("ip", netns === undefined ? args : ["-n", netns, ...args]);
}

export async function addNetns(name: string): Promise<void> {
  await runOk("ip", ["netns", "add", name]);
  await ipIn(name, "link", "set", "lo", "up");
}

export async function listNetns(): Promise<string[]> {
  const out = await runOk("ip", ["netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n !== "");
}

/** Pids of the processes inside a namespace. */
export async function netnsPids(name: string): Promise<number[]> {
  const r = await runCmd("ip", ["netns", "pids", name]);
  return r.stdout
    .split("\n")
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Deletes a namespace made by us, after killing whatever still runs in it (only our children can: the
 * name is ours), so that no process outlives the sandbox.  Its links go with it.
 */
export async function deleteNetns(name: string): Promise<void> {
  for (const pid of await netnsPids(name)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await runCmd("ip", ["netns", "del", name]);
}

/** A veth pair with each end created directly in its namespace, both ends up. */
export async function addVeth(
  a: { name: string; netns: string },
  b: { name: string; netns: string },
): Promise<void> {
  await runOk("ip", [
    "link",
    "add",
    a.name,
    "netns",
    a.netns,
    "type",
    "veth",
    "peer",
    "name",
    b.name,
    "netns",
    b.netns,
  ]);
  await ipIn(a.netns, "link", "set", a.name, "up");
  await ipIn(b.netns, "link", "set", b.name, "up");
}

/** Address, MAC and default route of a namespace's interface (a VM's static configuration). */
export async function configureStatic(
  netns: string,
  ifname: string,
  addr: { mac?: string; cidr: string; gateway?: string },
): Promise<void> {
  if (addr.mac !== undefined) await ipIn(netns, "link", "set", ifname, "address", addr.mac);
  await ipIn(netns, "addr", "add", addr.cidr, "dev", ifname);
  await ipIn(netns, "link", "set", ifname, "up");
  if (addr.gateway !== undefined) await ipIn(netns, "route", "add", "default", "via", addr.gateway);
}

/** IPv4 addresses ("a.b.c.d/len") of an interface. */
export async function ipv4Addresses(netns: string | undefined, ifname: string): Promise<string[]> {
  const out = await ipIn(netns, "-j", "addr", "show", "dev", ifname);
  const parsed = JSON.parse(out) as {
    addr_info?: { family?: string; local?: string; prefixlen?: number }[];
  }[];
  return parsed.flatMap((l) =>
    (l.addr_info ?? []).filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`),
  );
}
