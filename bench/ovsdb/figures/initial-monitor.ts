// Figure 5: the database holds ~4000 Logical_Switch_Port rows; 50 connected clients send monitor_cond
// for Logical_Switch_Port (all columns) at the same moment. Measured: until all 50 have the whole reply.
// The replies (megabytes each) are framed but not parsed here, except one, checked after the clock
// stops: otherwise this process's JSON.parse would be most of what is measured. The columns are named,
// as the C IDL does (with none named, the C server also sends `_version`, so the replies would differ).
import type { Json } from "../../../src/jsonrpc/json.js";
import { median } from "../../lib/stats.js";
import { type Figure, interleave } from "../figure.js";
import { RawReply, RpcClient } from "../rpc-client.js";
import { cpuMs, NB, nbColumns, type Server, startServer } from "../server.js";
import { switchesWithPorts } from "../workload.js";

const MONITORS = 50;
const SWITCHES = 40;
const PORTS_PER_SWITCH = 100;
const ROUNDS = 5;
/** Replies above this size stay unparsed. */
const LAZY_BYTES = 64 * 1024;

interface State {
  server: Server;
  cpuMs: number;
  replyBytes: number;
}

export const initialMonitor: Figure = {
  id: "initial-monitor",
  title: `initial monitor of ${(SWITCHES * PORTS_PER_SWITCH) / 1000}k ports to ${MONITORS} clients`,
  unit: "ms",
  better: "lower",
  target: { op: "<=", ratio: 0.5 },
  run: (env) => {
    const columns = nbColumns("Logical_Switch_Port");
    return interleave<State>(env, {
      rounds: ROUNDS,
      setup: async (impl) => {
        const server = await startServer(env, impl);
        const loader = await RpcClient.connect(server.sock);
        await loader.transact(NB, switchesWithPorts("im", SWITCHES, PORTS_PER_SWITCH));
        loader.close();
        return { server, cpuMs: 0, replyBytes: 0 };
      },
      round: async (s) => {
        // Fresh clients each round: a monitor's initial contents are sent once per connection.
        const clients = await Promise.all(
          Array.from({ length: MONITORS }, () => RpcClient.connect(s.server.sock, { lazyAbove: LAZY_BYTES })),
        );
        try {
          const sends = clients.map((c, i) =>
            c.prepare("monitor_cond", [NB, `m${i}`, { Logical_Switch_Port: [{ columns }] }] as Json[]),
          );
          const cpu0 = cpuMs(s.server.proc.pid);
          const t0 = performance.now();
          const replies = await Promise.all(sends.map((send) => send()));
          const ms = performance.now() - t0;
          s.cpuMs += cpuMs(s.server.proc.pid) - cpu0;
          s.replyBytes = checkReplies(replies);
          return ms;
        } finally {
          for (const c of clients) c.close();
        }
      },
      summarize: (s, samples) => ({
        value: median(samples),
        samples,
        detail: {
          monitors: MONITORS,
          replyBytes: s.replyBytes,
          serverCpuMsPerRound: Math.round(s.cpuMs / ROUNDS),
        },
      }),
      teardown: (s) => s.server.stop(),
    });
  },
};

/** Every reply must be raw (big) text; the first must hold every port. Returns its size. */
function checkReplies(replies: readonly (Json | RawReply)[]): number {
  const first = replies[0];
  if (!replies.every((r) => r instanceof RawReply) || !(first instanceof RawReply)) {
    throw new Error("initial-monitor: a reply was unexpectedly small");
  }
  const msg = JSON.parse(first.text) as { result?: { Logical_Switch_Port?: Record<string, unknown> } };
  const rows = Object.keys(msg.result?.Logical_Switch_Port ?? {}).length;
  if (rows !== SWITCHES * PORTS_PER_SWITCH) throw new Error(`initial-monitor: reply has ${rows} ports`);
  return first.text.length;
}
