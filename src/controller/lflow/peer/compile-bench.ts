// In-process benchmark of what a controller's start spends on logical flows: every local (logical flow,
// datapath) pair compiled as the agent does it (LflowCache), the flows made into FlowMods, and encoded
// as bundle_add messages into one buffer.  Run it on a Southbound database captured from the controller
// benchmark's stack (the real NB/SB/ovn-northd with the M topology, the real ovn-controller having
// claimed the first switches' VIFs), so that the numbers are those of `npm run bench -- controller`:
//
//   node dist/src/controller/lflow/peer/compile-bench.js --dump=/tmp/sb-M.json [--size=M] [--local=10]
//   node dist/src/controller/lflow/peer/compile-bench.js /tmp/sb-M.json [--iters=5]
//
// It prints the CPU time of the first (cold) run, which is what a start pays (the code is not yet
// optimised; run node with the controller's V8 flags, e.g. --interrupt-budget=1000000, to see theirs),
// the median of the following (warm) runs, the flows, and a hash of the encoded bytes, so that a
// change meant to leave the output alone can be checked to.  Main-thread and whole-process CPU differ
// by V8's background compilation.

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { chassisUuid, startCentral } from "../../../../bench/lib/central.js";
import { spawnController, startHypervisor } from "../../../../bench/lib/hypervisor.js";
import { localVifs, stackDefaults } from "../../../../bench/lib/stack-options.js";
import { TOPOLOGIES, type Topology } from "../../../../bench/northd/topology.js";
import { Sandbox } from "../../../../test/support/sandbox.js";
import { Writer } from "../../../openflow/bytes.js";
import { encodeMessageInto } from "../../../openflow/msg-codec.js";
import { LflowCache } from "../../incremental/lflow-cache.js";
import { type JsonTables, type SbView, sbViewFromTables } from "../sb.js";
import { toFlowMod } from "../to-model.js";
import { dumpSb } from "./capture.js";

interface Capture {
  readonly systemId: string;
  readonly sb: JsonTables;
}

/** The benchmark's stack with the real ovn-controller on `systemId`, once its VIFs are up: the SB. */
async function capture(t: Topology, local: number): Promise<Capture> {
  const o = stackDefaults();
  const box = Sandbox.create();
  try {
    const c = await startCentral(box, { name: "central", dbImpl: "c", northdImpl: "c", topology: t });
    const vifs = localVifs(t, local);
    const names = new Set(vifs.map((v) => v.ifaceId));
    const hv = await startHypervisor(box, {
      name: "hv-c",
      sbRemote: c.sb.remote,
      systemId: o.systemId,
      vifs,
    });
    const d = spawnController(box, { impl: "c", name: "ctl-c", ovsRemote: hv.ovs.remote });
    await c.sbIdl.waitUntil(() => {
      const ch = chassisUuid(c.sbIdl, o.systemId);
      let n = 0;
      for (const p of c.sbIdl.rows("Port_Binding"))
        if (names.has(p.logicalPort) && p.up === true && p.chassis === ch) n++;
      return ch !== undefined && n === names.size;
    }, 600_000);
    const sb = (await dumpSb(box)) as JsonTables;
    await d.stop(30_000);
    await hv.stop();
    await c.stop();
    return { systemId: o.systemId, sb };
  } finally {
    await box.cleanup();
  }
}

/** CPU milliseconds of this process (all threads) and of its main thread. */
function cpuNow(): { process: number; main: number } {
  const u = process.cpuUsage();
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks (10 ms).
  return { process: (u.user + u.system) / 1000, main: (Number(f[11]) + Number(f[12])) * 10 };
}

function once(view: SbView, chassis: string): { flows: number; bytes: Uint8Array } {
  const out = new LflowCache().compile(view, chassis);
  const w = new Writer();
  let xid = 1;
  for (const f of out.flows) {
    const message = { kind: "flow_mod", xid: 0, flowMod: toFlowMod(f) } as const;
    encodeMessageInto(w, {
      kind: "bundle_add",
      xid: xid++,
      bundleId: 1,
      atomic: true,
      ordered: true,
      message,
    });
  }
  return { flows: out.flows.length, bytes: w.finish() };
}

async function main(argv: readonly string[]): Promise<void> {
  const opt = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const dump = opt("dump");
  if (dump !== undefined) {
    const t = TOPOLOGIES[opt("size") ?? "M"];
    if (t === undefined) throw new Error("unknown --size");
    writeFileSync(dump, JSON.stringify(await capture(t, Number(opt("local") ?? 10))));
    process.stdout.write(`wrote ${dump}\n`);
    return;
  }
  const file = argv.find((a) => !a.startsWith("--"));
  if (file === undefined) throw new Error("usage: compile-bench.js SB.json [--iters=N] | --dump=SB.json");
  const c = JSON.parse(readFileSync(file, "utf8")) as Capture;
  const iters = Number(opt("iters") ?? 5);
  // The view (Southbound rows as the compiler reads them) is the agent's, made before it compiles.
  const view = sbViewFromTables(c.sb);
  let t0 = cpuNow();
  const first = once(view, c.systemId);
  let t1 = cpuNow();
  const cold = { process: t1.process - t0.process, main: t1.main - t0.main };
  const warm: number[] = [];
  for (let i = 0; i < iters; i++) {
    t0 = cpuNow();
    once(view, c.systemId);
    t1 = cpuNow();
    warm.push(t1.process - t0.process);
  }
  warm.sort((a, b) => a - b);
  const sha = createHash("sha256").update(first.bytes).digest("hex").slice(0, 16);
  process.stdout.write(
    `${first.flows} flows, ${first.bytes.length} bytes (sha256 ${sha}); cold: ${cold.process.toFixed(0)} ms CPU ` +
      `(main thread ${cold.main} ms); warm median: ${(warm[Math.floor(warm.length / 2)] ?? 0).toFixed(0)} ms CPU\n`,
  );
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
