// Figure 6: start-up on a database file of ~100k rows. The file is built once (by the C server, in
// transactions of ~10k rows) and each start gets a fresh copy of it. Measured: from spawning the
// server to its answering `list_dbs` and then a `select` that sees every Logical_Switch_Port row, so
// a server that listens before it has loaded cannot look fast.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { Json } from "../../../src/jsonrpc/json.js";
import type { Impl, Measurement } from "../../lib/report.js";
import { median } from "../../lib/stats.js";
import { type Figure, IMPLS, logMeasurement } from "../figure.js";
import { RpcClient } from "../rpc-client.js";
import { type BenchEnv, connectWhenUp, NB, spawnServer, startServer, uniqueName } from "../server.js";
import { switchesWithPorts } from "../workload.js";

const SWITCHES_PER_TXN = 10;
const PORTS_PER_SWITCH = 1000;
const TXNS = 10;
const PORTS = SWITCHES_PER_TXN * PORTS_PER_SWITCH * TXNS;
const ROUNDS = 5;

export const coldStart: Figure = {
  id: "cold-start",
  title: `cold start on a ${Math.round((PORTS + SWITCHES_PER_TXN * TXNS) / 1000)}k-row file`,
  unit: "ms",
  better: "lower",
  run: async (env) => {
    const file = await buildFile(env);
    const samples: Record<Impl, number[]> = { c: [], ovnts: [] };
    // Alternate the order from round to round so neither server always runs second.
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? IMPLS : [...IMPLS].reverse();
      for (const impl of order) samples[impl].push(await startOnce(env, impl, file));
    }
    const out = (impl: Impl): Measurement => {
      const m = { value: median(samples[impl]), samples: samples[impl], detail: { ports: PORTS } };
      logMeasurement(env, impl, m);
      return m;
    };
    return { c: out("c"), ovnts: out("ovnts") };
  },
};

async function buildFile(env: BenchEnv): Promise<string> {
  const server = await startServer(env, "c");
  try {
    const client = await RpcClient.connect(server.sock);
    for (let t = 0; t < TXNS; t++) {
      const first = t * SWITCHES_PER_TXN * PORTS_PER_SWITCH;
      await client.transact(NB, switchesWithPorts(`cold${t}-`, SWITCHES_PER_TXN, PORTS_PER_SWITCH, first));
    }
    client.close();
  } finally {
    await server.stop();
  }
  return server.dbFile;
}

/** Milliseconds from spawn to a full answer, on a fresh copy of `file`. */
async function startOnce(env: BenchEnv, impl: Impl, file: string): Promise<number> {
  const name = uniqueName(env, impl);
  const copy = join(env.dir, `${name}.db`);
  copyFileSync(file, copy);
  const server = spawnServer(env, impl, copy, name);
  try {
    const client = await connectWhenUp(server, { pollMs: 2 });
    try {
      const dbs = await client.call("list_dbs", []);
      if (!Array.isArray(dbs) || !dbs.includes(NB))
        throw new Error(`cold-start: list_dbs gave ${JSON.stringify(dbs)}`);
      const [sel] = await client.transact(NB, [
        { op: "select", table: "Logical_Switch_Port", where: [], columns: ["_uuid"] },
      ] as Json[]);
      const elapsed = performance.now() - server.spawnedAt;
      const rows = (sel as { rows?: unknown[] }).rows?.length;
      if (rows !== PORTS) throw new Error(`cold-start: ${impl} selected ${rows} of ${PORTS} ports`);
      return elapsed;
    } finally {
      client.close();
    }
  } finally {
    await server.stop();
  }
}
