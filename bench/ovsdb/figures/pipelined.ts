// Figure 2: one client writes N small transactions back to back without waiting, then waits for all N
// replies: the server's throughput when it always has work queued.
import type { Json } from "../../../src/jsonrpc/json.js";
import { median, perSecond } from "../../lib/stats.js";
import { type Figure, interleave } from "../figure.js";
import { isOpError, RpcClient } from "../rpc-client.js";
import { cpuMs, NB, type Server, startServer } from "../server.js";
import { insertSwitch } from "../workload.js";

const TRANSACTIONS = 20_000;
const ROUNDS = 5;

interface State {
  server: Server;
  client: RpcClient;
  cpuMs: number;
}

export const pipelined: Figure = {
  id: "pipelined",
  title: `pipelined transactions (${TRANSACTIONS / 1000}k in flight)`,
  unit: "txn/s",
  better: "higher",
  target: { op: ">=", ratio: 1.0 },
  run: (env) =>
    interleave<State>(env, {
      rounds: ROUNDS,
      setup: async (impl) => {
        const server = await startServer(env, impl);
        return { server, client: await RpcClient.connect(server.sock), cpuMs: 0 };
      },
      round: async (s, r) => {
        const sends = [];
        for (let i = 0; i < TRANSACTIONS; i++) {
          sends.push(s.client.prepare("transact", [NB, insertSwitch(`pipe${r}-${i}`)] as Json[]));
        }
        const cpu0 = cpuMs(s.server.proc.pid);
        const t0 = performance.now();
        s.client.cork();
        const replies = sends.map((send) => send());
        s.client.uncork();
        const results = await Promise.all(replies);
        const ms = performance.now() - t0;
        s.cpuMs += cpuMs(s.server.proc.pid) - cpu0;
        const bad = results.find((x) => !Array.isArray(x) || x.some(isOpError));
        if (bad !== undefined) throw new Error(`pipelined: failed transaction ${JSON.stringify(bad)}`);
        return perSecond(TRANSACTIONS, ms);
      },
      summarize: (s, samples) => ({
        value: median(samples),
        samples,
        detail: {
          transactionsPerRound: TRANSACTIONS,
          serverCpuUsPerTxn: Math.round((s.cpuMs * 1000) / (ROUNDS * TRANSACTIONS)),
        },
      }),
      teardown: async (s) => {
        s.client.close();
        await s.server.stop();
      },
    }),
};
