// Figure 4: 50 clients monitor Logical_Switch (monitor_cond, all columns); another client updates one
// row. Measured: from sending the update to the last of the 50 update2 notifications arriving.
import type { Json } from "../../../src/jsonrpc/json.js";
import { type Figure, interleave } from "../figure.js";
import { RpcClient } from "../rpc-client.js";
import { NB, type Server, startServer } from "../server.js";
import { insertSwitch } from "../workload.js";

const MONITORS = 50;
const ROUNDS = 20;

interface State {
  server: Server;
  writer: RpcClient;
  monitors: RpcClient[];
  /** The row every round updates. */
  uuid: string;
  /** Called by each monitor when the notification naming the row comes in. */
  arrived: () => void;
}

export const fanout: Figure = {
  id: "fanout",
  title: `one update seen by ${MONITORS} monitors`,
  unit: "ms",
  better: "lower",
  run: (env) =>
    interleave<State>(env, {
      rounds: ROUNDS,
      warmup: 3,
      setup: async (impl) => {
        const server = await startServer(env, impl);
        const writer = await RpcClient.connect(server.sock);
        const [inserted] = await writer.transact(NB, [insertSwitch("fanout")]);
        const uuid = (inserted as { uuid: [string, string] }).uuid[1];
        const s: State = { server, writer, monitors: [], uuid, arrived: () => {} };
        for (let i = 0; i < MONITORS; i++) {
          const c = await RpcClient.connect(server.sock);
          s.monitors.push(c);
          c.on("update2", (params) => {
            const tables = params[1] as Record<string, Record<string, unknown>> | undefined;
            if (tables?.Logical_Switch?.[uuid] !== undefined) s.arrived();
          });
        }
        await Promise.all(
          s.monitors.map((c, i) => c.call("monitor_cond", [NB, `m${i}`, { Logical_Switch: [{}] }] as Json[])),
        );
        return s;
      },
      round: async (s, r) => {
        let left = MONITORS;
        let t1 = 0;
        const all = new Promise<void>((resolve) => {
          s.arrived = () => {
            left -= 1;
            if (left === 0) {
              t1 = performance.now();
              resolve();
            }
          };
        });
        const t0 = performance.now();
        const reply = s.writer.transact(NB, [
          {
            op: "update",
            table: "Logical_Switch",
            where: [["_uuid", "==", ["uuid", s.uuid]]],
            row: { name: `fanout-${r}` },
          },
        ]);
        await Promise.all([all, reply]);
        return t1 - t0;
      },
      teardown: async (s) => {
        s.writer.close();
        for (const c of s.monitors) c.close();
        await s.server.stop();
      },
    }),
};
