// `npm run bench -- load [--clients=N] [--seconds=S] [--rate=TPS] [--impl=both|ovnts|c]`: many clients
// monitoring and transacting at once against ovnts and the real ovsdb-server, one after the other on the
// same workload (workload.ts). Prints a Markdown table; exits 1 on any error, lost update or replica that
// did not converge.

import type { Impl } from "../lib/report.js";
import { formatNumber } from "../lib/report.js";
import { type Measured, measure } from "./run.js";

export const LOAD_USAGE = `usage: npm run bench -- load [--clients=N] [--seconds=S] [--rate=TPS] [--impl=both|ovnts|c]
  --clients=N   concurrent clients, each monitoring Logical_Switch and updating its own row (default 200)
  --seconds=S   length of the loaded phase (default 60)
  --rate=TPS    transactions per second, all clients together (default 200)
  --impl=WHICH  servers to measure (default both: ovnts, then the real ovsdb-server)
`;

interface Options {
  clients: number;
  seconds: number;
  rate: number;
  impls: Impl[];
}

function parseArgs(argv: readonly string[]): Options | string {
  const o: Options = { clients: 200, seconds: 60, rate: 200, impls: ["ovnts", "c"] };
  for (const a of argv) {
    const [flag, value] = a.split(/=(.*)/s, 2);
    const n = Number(value);
    if (flag === "--clients" && n > 0) o.clients = n;
    else if (flag === "--seconds" && n > 0) o.seconds = n;
    else if (flag === "--rate" && n > 0) o.rate = n;
    else if (flag === "--impl" && (value === "both" || value === "ovnts" || value === "c"))
      o.impls = value === "both" ? ["ovnts", "c"] : [value];
    else return `bad argument ${a}`;
  }
  return o;
}

export function renderLoadTable(rows: readonly Measured[]): string {
  const head =
    "| server | clients | txns | txn/s | p50 ms | p99 ms | max ms | updates | merged | lost | converged | errors | RSS start MiB | RSS max MiB |";
  const line = (m: Measured): string =>
    `| ${m.impl} | ${m.clients} | ${m.transactions} | ${formatNumber((m.transactions * 1000) / m.elapsedMs)} | ${formatNumber(m.latencyMs.p50)} | ${formatNumber(m.latencyMs.p99)} | ${formatNumber(m.latencyMs.max)} | ${m.updates} | ${m.merged} | ${m.lost} | ${m.converged ? "yes" : "NO"} | ${m.errors.length} | ${formatNumber(m.rssKiB.start / 1024)} | ${formatNumber(m.rssKiB.max / 1024)} |`;
  return [head, `|${"---|".repeat(14)}`, ...rows.map(line)].join("\n");
}

export async function runLoadBench(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(LOAD_USAGE);
    return 0;
  }
  const o = parseArgs(argv);
  if (typeof o === "string") {
    process.stderr.write(`bench load: ${o}\n${LOAD_USAGE}`);
    return 1;
  }
  const rows: Measured[] = [];
  for (const impl of o.impls) {
    process.stderr.write(`load: ${impl}: ${o.clients} clients, ${o.seconds} s, ${o.rate} txn/s\n`);
    const m = await measure(impl, { clients: o.clients, durationMs: o.seconds * 1000, txnPerSecond: o.rate });
    for (const e of m.errors.slice(0, 10)) process.stderr.write(`load: ${impl}: ${e}\n`);
    rows.push(m);
  }
  process.stdout.write(`${renderLoadTable(rows)}\n`);
  return rows.every((m) => m.errors.length === 0 && m.lost === 0 && m.converged) ? 0 : 1;
}
