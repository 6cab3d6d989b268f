// The load workload: N clients, each monitoring OVN_Northbound's Logical_Switch table and each updating
// its own row (external_ids:seq = 1, 2, 3 ...) at a steady total rate for a while. Every client keeps a
// replica from its monitor's update2 notifications and checks it as it goes:
//   - errors: failed requests, error replies, dropped connections;
//   - lost updates: a row's seq going backwards in a replica, an own commit whose update did not reach
//     the committer before the reply (ovsdb-server(7)), or, at the end, a replica that never converges to
//     the committed values;
//   - merged updates (seq jumping by more than one) are counted but are not errors: a server may merge
//     changes for a client that is behind.
// Clients use the bench's small raw JSON-RPC client, so the figure is the server's, not an IDL's.
import type { Json } from "../../src/jsonrpc/json.js";
import { percentile } from "../lib/stats.js";
import { RpcClient } from "../ovsdb/rpc-client.js";

const DB = "OVN_Northbound";

export interface LoadOptions {
  /** Unix socket of the server. */
  sock: string;
  clients: number;
  durationMs: number;
  /** Transactions per second, all clients together. */
  txnPerSecond: number;
  /** How long replicas may take to converge once the load stops (default 10 s). */
  settleMs?: number;
}

export interface LoadResult {
  clients: number;
  transactions: number;
  /** Wall time of the loaded phase, ms. */
  elapsedMs: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Row changes received through the monitors (a notification may carry several), all clients. */
  updates: number;
  merged: number;
  lost: number;
  converged: boolean;
  errors: string[];
}

/** One client's replica of Logical_Switch: row uuid → seq (of the rows made by this workload). */
class Replica {
  readonly seq = new Map<string, number>();
  lost = 0;
  merged = 0;
  updates = 0;

  apply(params: Json[]): void {
    const tables = params[1] as Record<string, Record<string, Record<string, Json>>> | undefined;
    const rows = tables?.Logical_Switch ?? {};
    for (const [uuid, change] of Object.entries(rows)) {
      const row = (change.initial ?? change.insert ?? change.modify) as { external_ids?: Json } | undefined;
      if ("delete" in change) {
        this.seq.delete(uuid);
        continue;
      }
      const next = seqOf(row?.external_ids);
      if (next === undefined) continue;
      const prev = this.seq.get(uuid);
      this.updates++;
      if (prev !== undefined && next <= prev) this.lost++;
      else if (prev !== undefined && next > prev + 1) this.merged++;
      this.seq.set(uuid, next);
    }
  }
}

/** external_ids:seq of a row (or of an update2 map diff, which carries the changed key alone). */
function seqOf(ids: Json | undefined): number | undefined {
  if (!Array.isArray(ids) || ids[0] !== "map" || !Array.isArray(ids[1])) return undefined;
  for (const pair of ids[1]) if (Array.isArray(pair) && pair[0] === "seq") return Number(pair[1]);
  return undefined;
}

interface Member {
  rpc: RpcClient;
  replica: Replica;
  uuid: string;
  committed: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Connects, retrying while the server's listen queue is full (EAGAIN on a unix socket: the real
 * ovsdb-server listens with a small backlog, and 200 clients arrive at once), as a reconnecting client
 * would.
 */
async function connect(sock: string): Promise<RpcClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await RpcClient.connect(sock);
    } catch (e) {
      if ((e as { code?: string }).code !== "EAGAIN" || attempt >= 200) throw e;
      await sleep(10 + Math.random() * 40);
    }
  }
}

async function join(sock: string, i: number, errors: string[]): Promise<Member> {
  const rpc = await connect(sock);
  const replica = new Replica();
  rpc.on("update2", (p) => replica.apply(p));
  const initial = await rpc.call("monitor_cond", [
    DB,
    `load-${i}`,
    { Logical_Switch: [{ columns: ["name", "external_ids"] }] },
  ]);
  replica.apply([null, initial as Json]);
  const r = await rpc.transact(DB, [
    {
      op: "insert",
      table: "Logical_Switch",
      row: { name: `load-${i}`, external_ids: ["map", [["seq", "0"]]] },
    },
  ]);
  const uuid = ((r[0] as { uuid: [string, string] }).uuid as [string, string])[1];
  if (uuid === undefined) errors.push(`client ${i}: insert gave no uuid`);
  return { rpc, replica, uuid, committed: 0 };
}

/** Runs the workload against a server that is already up; the caller measures the server's memory. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const errors: string[] = [];
  const members = await Promise.all(
    Array.from({ length: opts.clients }, (_, i) => join(opts.sock, i, errors)),
  );
  const latencies: number[] = [];
  const intervalMs = (opts.clients * 1000) / opts.txnPerSecond;
  const start = performance.now();
  const end = start + opts.durationMs;
  const loop = async (m: Member, i: number): Promise<void> => {
    // Spread the clients' first transactions over one interval.
    await sleep((intervalMs * i) / opts.clients);
    let due = performance.now();
    // At least one transaction per client, however late this client starts on a busy machine.
    do {
      const seq = m.committed + 1;
      const t0 = performance.now();
      try {
        await m.rpc.transact(DB, [
          {
            op: "update",
            table: "Logical_Switch",
            where: [["_uuid", "==", ["uuid", m.uuid]]],
            row: { external_ids: ["map", [["seq", String(seq)]]] },
          },
        ]);
      } catch (e) {
        errors.push(`client ${i}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      latencies.push(performance.now() - t0);
      m.committed = seq;
      // Our own update reaches our monitor before the reply.
      if (m.replica.seq.get(m.uuid) !== seq) m.replica.lost++;
      due += intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    } while (performance.now() < end);
  };
  await Promise.all(members.map((m, i) => loop(m, i)));
  const elapsedMs = performance.now() - start;

  // Every replica must come to hold every row's last committed value.
  const want = new Map(members.map((m) => [m.uuid, m.committed]));
  const agrees = (m: Member): boolean => {
    for (const [uuid, seq] of want) if (m.replica.seq.get(uuid) !== seq) return false;
    return true;
  };
  const settleEnd = performance.now() + (opts.settleMs ?? 10_000);
  while (!members.every(agrees) && performance.now() < settleEnd) await sleep(20);
  const converged = members.every(agrees);
  let lost = members.reduce((n, m) => n + m.replica.lost, 0);
  for (const m of members) if (!agrees(m)) lost++;
  for (const m of members) m.rpc.close();
  const sorted = latencies.length > 0 ? latencies : [Number.NaN];
  return {
    clients: opts.clients,
    transactions: latencies.length,
    elapsedMs,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: Math.max(...sorted) },
    updates: members.reduce((n, m) => n + m.replica.updates, 0),
    merged: members.reduce((n, m) => n + m.replica.merged, 0),
    lost,
    converged,
    errors,
  };
}
