// ovsdb-client wait DATABASE STATE (ovsdb-client(1)): follows _Server.Database until the database is
// "added" (a row of that name), "connected" (added, and connected to its cluster when clustered) or
// "removed" (no such row). Observed from ovsdb-client 3.1: the state is checked before connecting; the
// server may not be up yet, so connecting is retried (1, 2, 4, 8 seconds apart, then on without
// logging) with the reconnect module's console lines; nothing is printed on stdout.
import { ConnectionClosedError } from "../../jsonrpc/errors.js";
import type { ClientCommand, ClientContext } from "./client-context.js";
import { consoleLog } from "./console-log.js";
import { Fatal } from "./fatal.js";
import { isObject, type OJson } from "./ovs-json.js";
import { OvsdbRpc, RpcClosedError } from "./rpc.js";

type State = "added" | "connected" | "removed";
const STATES: readonly State[] = ["added", "connected", "removed"];

interface DbRow {
  name?: OJson;
  model?: OJson;
  connected?: OJson;
}

/** Whether the _Server.Database rows show `db` in `state`. */
export function reached(rows: Iterable<DbRow>, db: string, state: State): boolean {
  const row = [...rows].find((r) => r.name === db);
  if (state === "removed") return row === undefined;
  if (row === undefined) return false;
  return state === "added" || row.model !== "clustered" || row.connected === true;
}

class Console {
  constructor(private readonly ctx: ClientContext) {}

  info(msg: string): void {
    consoleLog(this.ctx.now(), "reconnect", "INFO", msg);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects, retrying with the C reconnect module's backoff and log lines. */
async function connectRetrying(ctx: ClientContext, log: Console): Promise<OvsdbRpc> {
  let backoff = 1000;
  let quiet = false;
  for (;;) {
    if (!quiet) log.info(`${ctx.server}: connecting...`);
    try {
      const rpc = await OvsdbRpc.connect(ctx.server, ctx.ssl);
      log.info(`${ctx.server}: connected`);
      return rpc;
    } catch (e) {
      if (!(e instanceof Fatal) || !e.message.startsWith("failed to connect to")) throw e;
      const reason = /\(([^)]*)\)$/.exec(e.message)?.[1] ?? e.message;
      if (!quiet) log.info(`${ctx.server}: connection attempt failed (${reason})`);
    }
    if (backoff > 1000 && !quiet) {
      if (backoff > 4000) {
        log.info(`${ctx.server}: continuing to reconnect in the background but suppressing further logging`);
        quiet = true;
      } else log.info(`${ctx.server}: waiting ${backoff / 1000} seconds before reconnect`);
    }
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 8000);
  }
}

export const wait: ClientCommand = async (ctx, args) => {
  const [db, stateText] = args as [string, string];
  const state = STATES.find((s) => s === stateText);
  if (state === undefined) throw new Fatal(`${stateText}: unknown state`);
  const log = new Console(ctx);
  for (;;) {
    const rpc = await connectRetrying(ctx, log);
    try {
      if (await follow(rpc, db, state)) return;
    } finally {
      rpc.close();
    }
  }
};

/** Monitors _Server.Database until `state`; false when the connection went first. */
async function follow(rpc: OvsdbRpc, db: string, state: State): Promise<boolean> {
  const rows = new Map<string, DbRow>();
  const apply = (update: OJson | undefined) => {
    const table = isObject(update) ? update.Database : undefined;
    if (!isObject(table)) return;
    for (const [uuid, change] of Object.entries(table)) {
      if (!isObject(change)) continue;
      if (isObject(change.new)) rows.set(uuid, { ...rows.get(uuid), ...change.new });
      else rows.delete(uuid);
    }
  };
  return new Promise<boolean>((resolve, reject) => {
    rpc.onClose(() => resolve(false));
    rpc.onNotification((method, params) => {
      if (method !== "update" || !Array.isArray(params)) return;
      apply(params[1]);
      if (reached(rows.values(), db, state)) resolve(true);
    });
    rpc
      .call("monitor", ["_Server", null, { Database: { columns: ["name", "model", "connected"] } }])
      .then((initial) => {
        apply(initial);
        if (reached(rows.values(), db, state)) resolve(true);
      })
      .catch((e: unknown) => {
        if (e instanceof RpcClosedError || e instanceof ConnectionClosedError) resolve(false);
        else reject(e);
      });
  });
}
