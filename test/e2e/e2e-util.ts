// Shared by the e2e tests of `ovnts chassis` / `ovnts sandbox`: the reason to skip (not root, a tool
// missing), ping and TCP between namespaces, and the leftovers check.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isRoot, onPath, runCmd } from "../../src/sandbox/host.js";
import { missingToolsMessage } from "../../src/sandbox/tools.js";

/** Why these tests cannot run here, or undefined when they can. */
export function skipReason(tools: readonly string[]): string | undefined {
  if (!isRoot()) return "needs root (network namespaces, tap devices)";
  const missing = missingToolsMessage(tools.filter((t) => !onPath(t)));
  if (missing !== undefined) return missing.replace("\n", " ");
  if (!existsSync("/dev/net/tun")) return "needs /dev/net/tun";
  return undefined;
}

/** One ping from a namespace; true when answered. */
export async function pingOnce(netns: string, ip: string, waitSec = 1): Promise<boolean> {
  const r = await runCmd("ip", ["netns", "exec", netns, "ping", "-c", "1", "-W", String(waitSec), ip], {
    timeoutMs: (waitSec + 5) * 1000,
  });
  return r.code === 0;
}

/** Pings until answered (the first packets may race flow installation); throws after `timeoutMs`. */
export async function assertPings(netns: string, ip: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pingOnce(netns, ip))) {
    if (Date.now() > deadline) throw new Error(`no ping reply from ${ip} in namespace ${netns}`);
  }
}

const SERVER = `
const net = require("node:net");
const s = net.createServer((c) => {
  let n = 0;
  c.on("data", (d) => { n += d.length; });
  c.on("end", () => { process.stdout.write(JSON.stringify({ peer: c.remoteAddress, bytes: n }) + "\\n"); c.end(() => process.exit(0)); });
});
s.listen(Number(process.argv[1]), () => process.stdout.write("listening\\n"));
setTimeout(() => process.exit(2), 20000).unref();
`;

const CLIENT = `
const net = require("node:net");
const c = net.connect(Number(process.argv[2]), process.argv[1], () => c.end(Buffer.alloc(Number(process.argv[3]), 0x5a)));
c.on("close", (err) => process.exit(err ? 1 : 0));
c.on("error", (e) => { process.stderr.write(String(e)); process.exit(1); });
setTimeout(() => process.exit(3), 20000).unref();
`;

function nsNode(netns: string, script: string, args: string[]): ChildProcess {
  return spawn("ip", ["netns", "exec", netns, process.execPath, "-e", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Sends `bytes` over TCP from `client` to `server` (listening on `ip`); returns what the server saw:
 * the peer address (after any NAT) and the byte count.
 */
export async function tcpTransfer(
  server: string,
  client: string,
  ip: string,
  bytes: number,
  port = 7070,
): Promise<{ peer: string; bytes: number }> {
  const srv = nsNode(server, SERVER, [String(port)]);
  let out = "";
  const done = new Promise<string>((resolve, reject) => {
    srv.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    srv.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`tcp server exit ${code}: ${out}`)),
    );
  });
  try {
    const t0 = Date.now();
    while (!out.includes("listening")) {
      if (Date.now() - t0 > 10_000) throw new Error("tcp server did not start");
      await new Promise((r) => setTimeout(r, 20));
    }
    const cli = nsNode(client, CLIENT, [ip, String(port), String(bytes)]);
    let err = "";
    cli.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((r) => cli.on("exit", r));
    if (code !== 0) throw new Error(`tcp client exit ${code}: ${err}`);
    const lines = (await done).split("\n").filter((l) => l.startsWith("{"));
    const res = JSON.parse(lines[0] ?? "{}") as { peer: string; bytes: number };
    return { peer: res.peer.replace(/^::ffff:/, ""), bytes: res.bytes };
  } finally {
    srv.kill("SIGKILL");
  }
}

/** Pids of processes whose command line contains `needle` (other than this one). */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").join(" ");
      if (cmd.includes(needle)) out.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
