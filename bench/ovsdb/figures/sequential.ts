// Figure 1: one client, one Logical_Switch insert per transaction, each reply awaited before the next
// request: the round trip plus per-transaction cost (commit, log append) of the server. Six windows of
// half a second per server, taking turns with the other server; the figure is their median.
//
// Before them, three windows per server are thrown away: a fresh ovnts server is still compiling its
// hot paths (V8 optimises some 200 functions over its first ~5,000 transactions, on the server's CPU),
// and the figure is meant to be a long-running daemon's. The client's own CPU time per transaction is
// reported too: the client is the same for both servers, and this shows it is not what limits one of
// them.
import { median, perSecond } from "../../lib/stats.js";
import { type Figure, interleave } from "../figure.js";
import { RpcClient } from "../rpc-client.js";
import { cpuMs, NB, type Server, startServer } from "../server.js";
import { insertSwitch } from "../workload.js";

const WINDOW_MS = 500;
const WINDOWS = 6;
const WARMUP_WINDOWS = 3;

interface State {
  server: Server;
  client: RpcClient;
  /** Transactions sent so far (names the switches). */
  sent: number;
  /** In the measured windows: transactions, server CPU time and this process's (the client's). */
  counted: number;
  cpuMs: number;
  clientCpuUs: number;
}

export const sequential: Figure = {
  id: "sequential",
  title: "sequential single-row transactions",
  unit: "txn/s",
  better: "higher",
  target: { op: ">=", ratio: 1.0 },
  run: (env) =>
    interleave<State>(env, {
      rounds: WINDOWS,
      warmup: WARMUP_WINDOWS,
      setup: async (impl) => {
        const server = await startServer(env, impl);
        const client = await RpcClient.connect(server.sock);
        return { server, client, sent: 0, counted: 0, cpuMs: 0, clientCpuUs: 0 };
      },
      round: async (s, r) => {
        const cpu0 = cpuMs(s.server.proc.pid);
        const client0 = process.cpuUsage();
        const t0 = performance.now();
        const end = t0 + WINDOW_MS;
        let count = 0;
        while (performance.now() < end) {
          await s.client.transact(NB, [insertSwitch(`seq${s.sent++}`)]);
          count++;
        }
        const ms = performance.now() - t0;
        const client = process.cpuUsage(client0);
        if (r >= WARMUP_WINDOWS) {
          s.counted += count;
          s.cpuMs += cpuMs(s.server.proc.pid) - cpu0;
          s.clientCpuUs += client.user + client.system;
        }
        return perSecond(count, ms);
      },
      summarize: (s, samples) => ({
        value: median(samples),
        samples,
        detail: {
          transactions: s.counted,
          serverCpuUsPerTxn: Math.round((s.cpuMs * 1000) / s.counted),
          clientCpuUsPerTxn: Math.round(s.clientCpuUs / s.counted),
        },
      }),
      teardown: async (s) => {
        s.client.close();
        await s.server.stop();
      },
    }),
};
