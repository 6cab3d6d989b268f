// Figure 7: memory. The server loads ~26k rows (1000 switches of 25 ports, in transactions of 50
// switches); then, after a short idle pause, its resident set size is read from /proc/PID/status.
import { median } from "../../lib/stats.js";
import { eachImpl, type Figure } from "../figure.js";
import { RpcClient } from "../rpc-client.js";
import { NB, rssKiB, sleep, startServer } from "../server.js";
import { switchesWithPorts } from "../workload.js";

const SWITCHES = 1000;
const PORTS_PER_SWITCH = 25;
const SWITCHES_PER_TXN = 50;
const SETTLE_MS = 500;
const READINGS = 3;

export const rss: Figure = {
  id: "rss",
  title: `RSS with ${Math.round((SWITCHES * (PORTS_PER_SWITCH + 1)) / 1000)}k rows loaded`,
  unit: "MiB",
  better: "lower",
  target: { op: "<=", ratio: 1.5 },
  run: (env) =>
    eachImpl(env, async (impl) => {
      const server = await startServer(env, impl);
      try {
        const idleKiB = rssKiB(server.proc.pid);
        const client = await RpcClient.connect(server.sock);
        for (let s = 0; s < SWITCHES; s += SWITCHES_PER_TXN) {
          await client.transact(
            NB,
            switchesWithPorts(`rss${s}-`, SWITCHES_PER_TXN, PORTS_PER_SWITCH, s * PORTS_PER_SWITCH),
          );
        }
        client.close();
        const samples: number[] = [];
        for (let i = 0; i < READINGS; i++) {
          await sleep(SETTLE_MS);
          samples.push(rssKiB(server.proc.pid) / 1024);
        }
        return {
          value: median(samples),
          samples,
          detail: { rows: SWITCHES * (PORTS_PER_SWITCH + 1), idleMiB: Math.round(idleKiB / 102.4) / 10 },
        };
      } finally {
        await server.stop();
      }
    }),
};
