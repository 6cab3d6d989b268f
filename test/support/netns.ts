// Network namespaces as "VMs" and veth pairs as their cables. Everything made here is owned by the
// sandbox and removed by its cleanup. Veth ends are created directly inside their namespaces, so even a
// fixed name like "eth0" never collides with the host's links or with a parallel run.
import { type RunOptions, type RunResult, requireRoot, requireTools, run, runOk } from "./exec.js";
import type { Sandbox } from "./sandbox.js";

/** Creates a namespace named after the sandbox ("ovnts-TAG-LABEL") with loopback up; returns its name. */
export async function addNetns(sb: Sandbox, label: string): Promise<string> {
  requireRoot();
  requireTools("ip");
  const name = sb.netnsName(label);
  await runOk("ip", ["netns", "add", name]);
  sb.ownNetns(name);
  await runOk("ip", ["-n", name, "link", "set", "lo", "up"]);
  return name;
}

export interface VethEnd {
  name: string;
  /** Namespace the end lives in; omitted = the host's (then the sandbox deletes it explicitly). */
  netns?: string;
}

/** Creates a veth pair with each end in its namespace, both ends up. */
export async function addVeth(sb: Sandbox, a: VethEnd, b: VethEnd): Promise<void> {
  requireRoot();
  requireTools("ip");
  const where = (e: VethEnd): string[] => (e.netns !== undefined ? ["netns", e.netns] : []);
  await runOk("ip", [
    "link",
    "add",
    a.name,
    ...where(a),
    "type",
    "veth",
    "peer",
    "name",
    b.name,
    ...where(b),
  ]);
  if (a.netns === undefined) sb.ownHostLink(a.name);
  else if (b.netns === undefined) sb.ownHostLink(b.name);
  for (const e of [a, b]) {
    await runOk("ip", [...(e.netns !== undefined ? ["-n", e.netns] : []), "link", "set", e.name, "up"]);
  }
}

/** Runs a command inside a namespace; resolves with the result whatever the exit status. */
export function nsRun(
  sb: Sandbox,
  netns: string,
  cmd: string,
  args: string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  return run("ip", ["netns", "exec", netns, cmd, ...args], { env: sb.env, ...opts });
}

export interface VmAddress {
  mac: string;
  /** Address with prefix length, "10.0.0.11/24". */
  cidr: string;
  /** Default gateway, if any. */
  gateway?: string;
}

/** Gives a namespace's interface its MAC, address and default route (the "VM's" network config). */
export async function configureVm(netns: string, ifname: string, addr: VmAddress): Promise<void> {
  const ip = (...args: string[]): Promise<string> => runOk("ip", ["-n", netns, ...args]);
  await ip("link", "set", ifname, "address", addr.mac);
  await ip("addr", "add", addr.cidr, "dev", ifname);
  await ip("link", "set", ifname, "up");
  if (addr.gateway !== undefined) await ip("route", "add", "default", "via", addr.gateway);
}
