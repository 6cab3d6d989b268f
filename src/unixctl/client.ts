// A small ovs-appctl: sends one command to a daemon's control socket and returns the reply text.

import { readFile } from "node:fs/promises";
import { JsonRpcError } from "../jsonrpc/errors.js";
import { connectJsonRpc } from "../jsonrpc/transport/index.js";
import { UnixctlError } from "./commands.js";
import { appctlPidfile } from "./paths.js";

/**
 * Runs `command args...` on the daemon listening at `path`. Resolves with the reply text (with its
 * trailing newline); rejects with UnixctlError carrying the daemon's error text, or with the connection
 * error (ConnectError) if the socket cannot be reached.
 */
export async function unixctlCall(
  path: string,
  command: string,
  args: readonly string[] = [],
  opts: { timeoutMs?: number } = {},
): Promise<string> {
  const conn = await connectJsonRpc(`unix:${path}`, {
    answerEcho: false,
    ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const reply = conn.request(command, [...args]);
    const result =
      opts.timeoutMs === undefined
        ? await reply
        : await Promise.race([
            reply,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new UnixctlError(`${path}: timed out`)), opts.timeoutMs);
            }),
          ]);
    return typeof result === "string" ? result : JSON.stringify(result);
  } catch (e) {
    if (e instanceof JsonRpcError) {
      throw new UnixctlError(typeof e.error === "string" ? e.error : JSON.stringify(e.error));
    }
    throw e;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    conn.close();
  }
}

/** The control socket for `ovs-appctl -t TARGET`: TARGET itself if it starts with "/", else via its pidfile. */
export async function resolveAppctlTarget(target: string, rundir: string): Promise<string> {
  if (target.startsWith("/")) return target;
  const pidfile = appctlPidfile(rundir, target);
  let text: string;
  try {
    text = await readFile(pidfile, "utf8");
  } catch (e) {
    throw new UnixctlError(`cannot read pidfile "${pidfile}" (${e instanceof Error ? e.message : e})`);
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0)
    throw new UnixctlError(`pidfile "${pidfile}" does not contain a pid`);
  return `${rundir}/${target}.${pid}.ctl`;
}
