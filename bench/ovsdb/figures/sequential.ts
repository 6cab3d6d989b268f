// Figure 1: one client, one Logical_Switch insert per transaction, each reply awaited before the next
// request: the round trip plus per-transaction cost (commit, log append) of the server. Six windows of
// half a second per server, taking turns with the other server; the figure is their median.
import { median, perSecond } from "../../lib/stats.js";
import { type Figure, interleave } from "../figure.js";
import { RpcClient } from "../rpc-client.js";
import { cpuMs, NB, type Server, startServer } from "../server.js";
import { insertSwitch } from "../workload.js";

const WINDOW_MS = 500;
const WINDOWS = 6;

interface State {
  server: Server;
  client: RpcClient;
  /** Transactions sent so far (names the switches). */
  sent: number;
  /** In the measured windows: transactions and server CPU time. */
  counted: number;
  cpuMs: number;
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
      warmup: 1,
      setup: async (impl) => {
        const server = await startServer(env, impl);
        return { server, client: await RpcClient.connect(server.sock), sent: 0, counted: 0, cpuMs: 0 };
      },
      round: async (s, r) => {
        const cpu0 = cpuMs(s.server.proc.pid);
        const t0 = performance.now();
        const end = t0 + WINDOW_MS;
        let count = 0;
        while (performance.now() < end) {
          await s.client.transact(NB, [insertSwitch(`seq${s.sent++}`)]);
          count++;
        }
        const ms = performance.now() - t0;
        if (r > 0) {
          s.counted += count;
          s.cpuMs += cpuMs(s.server.proc.pid) - cpu0;
        }
        return perSecond(count, ms);
      },
      summarize: (s, samples) => ({
        value: median(samples),
        samples,
        detail: { transactions: s.counted, serverCpuUsPerTxn: Math.round((s.cpuMs * 1000) / s.counted) },
      }),
      teardown: async (s) => {
        s.client.close();
        await s.server.stop();
      },
    }),
};
