// Figure 3: a single transaction inserting 10,000 Logical_Switch_Port rows and the Logical_Switch that
// references them: time from sending it to its reply (parsing, integrity checks, index updates, commit).
// Each round inserts a new switch with new ports, so the database grows by 10k rows a round.
import { median } from "../../lib/stats.js";
import { type Figure, interleave } from "../figure.js";
import { isOpError, RpcClient } from "../rpc-client.js";
import { cpuMs, NB, type Server, startServer } from "../server.js";
import { switchWithPorts } from "../workload.js";

const PORTS = 10_000;
const ROUNDS = 7;

interface State {
  server: Server;
  client: RpcClient;
  cpuMs: number;
}

export const bigTransaction: Figure = {
  id: "big-transaction",
  title: `one ${PORTS / 1000}k-row transaction`,
  unit: "ms",
  better: "lower",
  target: { op: "<=", ratio: 1.0 },
  run: (env) =>
    interleave<State>(env, {
      rounds: ROUNDS,
      setup: async (impl) => {
        const server = await startServer(env, impl);
        return { server, client: await RpcClient.connect(server.sock), cpuMs: 0 };
      },
      round: async (s, r) => {
        // Encoded before the clock starts: the client's JSON.stringify is not the server's time.
        const send = s.client.prepare("transact", [NB, ...switchWithPorts(`big${r}`, PORTS, r * PORTS)]);
        const cpu0 = cpuMs(s.server.proc.pid);
        const t0 = performance.now();
        const result = await send();
        const ms = performance.now() - t0;
        s.cpuMs += cpuMs(s.server.proc.pid) - cpu0;
        if (!Array.isArray(result) || result.length !== PORTS + 1 || result.some(isOpError)) {
          throw new Error(`big-transaction: unexpected reply ${JSON.stringify(result).slice(0, 300)}`);
        }
        return ms;
      },
      summarize: (s, samples) => ({
        value: median(samples),
        samples,
        detail: { rows: PORTS + 1, serverCpuMsPerTxn: Math.round(s.cpuMs / ROUNDS) },
      }),
      teardown: async (s) => {
        s.client.close();
        await s.server.stop();
      },
    }),
};
