// The unixctl command table: what `ovs-appctl -t SOCKET COMMAND [ARG...]` can run in a daemon. Pure: the
// server (server.ts) feeds it requests. Texts observed from ovsdb-server 3.1 through ovs-appctl:
//   unknown:    "nosuch" is not a valid command (use "list-commands" to see a list of valid commands)
//   too few:    "ovsdb-server/add-db" command requires at least 1 arguments
//   too many:   "exit" command takes at most 0 arguments
//   bad type:   "vlog/set" command has non-string argument
// checked in that order. Every non-empty reply, result or error, ends with a newline (added if missing).

export type UnixctlHandler = (args: string[]) => string | undefined | Promise<string | undefined>;

export interface UnixctlCommand {
  readonly name: string;
  /** Argument synopsis shown by list-commands, e.g. "DB" or "[module]...". */
  readonly usage: string;
  readonly minArgs: number;
  /** Use Infinity for "any number". */
  readonly maxArgs: number;
  readonly handler: UnixctlHandler;
}

/** Thrown by a handler to answer with an error; the message is the text ovs-appctl prints. */
export class UnixctlError extends Error {
  override readonly name = "UnixctlError";
}

export type UnixctlReply =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly text: string };

/** Adds the trailing newline the C server guarantees on non-empty replies. */
export function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

export class UnixctlCommands {
  private readonly table = new Map<string, UnixctlCommand>();

  /**
   * @param version the `version` command's reply, e.g. "ovsdb-server (ovnts) 0.1.0".
   */
  constructor(version: string) {
    this.register("list-commands", "", 0, 0, () => this.listCommands());
    this.register("version", "", 0, 0, () => version);
  }

  /** Adds a command; registering a name again replaces it. */
  register(name: string, usage: string, minArgs: number, maxArgs: number, handler: UnixctlHandler): void {
    this.table.set(name, { name, usage, minArgs, maxArgs, handler });
  }

  unregister(name: string): void {
    this.table.delete(name);
  }

  has(name: string): boolean {
    return this.table.has(name);
  }

  /** The list-commands text: sorted names padded to 23 columns, then the usage. */
  listCommands(): string {
    const lines = [...this.table.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => `  ${c.name.padEnd(23)} ${c.usage}\n`);
    return `The available commands are:\n${lines.join("")}`;
  }

  /**
   * Runs one request. Synchronous handlers answer synchronously, so replies leave in request order as
   * with the C server; async ones answer when they settle. Never throws or rejects: handler failures
   * become error replies.
   */
  dispatch(method: string, params: readonly unknown[]): UnixctlReply | Promise<UnixctlReply> {
    const cmd = this.table.get(method);
    if (cmd === undefined) {
      return fail(`"${method}" is not a valid command (use "list-commands" to see a list of valid commands)`);
    }
    if (params.length < cmd.minArgs)
      return fail(`"${method}" command requires at least ${cmd.minArgs} arguments`);
    if (params.length > cmd.maxArgs)
      return fail(`"${method}" command takes at most ${cmd.maxArgs} arguments`);
    if (!params.every((p) => typeof p === "string"))
      return fail(`"${method}" command has non-string argument`);
    let out: string | undefined | Promise<string | undefined>;
    try {
      out = cmd.handler(params as string[]);
    } catch (e) {
      return failure(e);
    }
    return out instanceof Promise ? out.then(success, failure) : success(out);
  }
}

function success(text: string | undefined): UnixctlReply {
  return { ok: true, text: withNewline(text ?? "") };
}

function failure(e: unknown): UnixctlReply {
  return fail(e instanceof Error ? e.message : String(e));
}

function fail(text: string): UnixctlReply {
  return { ok: false, text: withNewline(text) };
}
