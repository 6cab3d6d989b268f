// V8 heap settings for `ovnts controller`, applied at start-up (before any Southbound data arrives), and
// one full collection once the start-up install is done.
//
// A controller's start compiles every local logical flow and installs the result: a burst of short-lived
// objects, after which the process holds the flow tables and sits idle. V8's defaults grow the young
// generation to 2 x 16 MiB during the burst, and it stays resident while idle. Keeping the young
// generation at its initial size (as the database server does, src/daemon/heap.ts) costs no CPU here:
// what survives a scavenge is mostly the desired flows, which are promoted either way. Measured at the
// controller benchmark (M, 200 VIFs, `--impls=ovnts`, load 4-5; CPU to settle / settled RSS):
//   V8 defaults                          1.71-1.72 s / 178-181 MiB
//   --max-semi-space-size=4              1.65-1.67 s / 153 MiB
//   --semi-space-growth-factor=1         1.63-1.70 s / 128-131 MiB
//   ... and --heap-growing-percent=50    1.64 s      / 127-128 MiB (no gain: the old generation is
//                                        mostly live data; see bench/controller)
//
// A full, compacting collection once the start-up install is done (on unless OVNTS_SETTLE_GC=off):
// the start leaves ~15 MiB of garbage in the old generation and ~5 MiB of dead Buffers (the bundle's
// encoding), and with the process idle nothing collects them; a plain full collection frees them but
// gives few pages back (the survivors are spread over every page), so this one compacts every page.
// Measured at the controller benchmark (M, 200 VIFs, `--impls=ovnts`, load 1.7-3.4): settled RSS
// 113-115 MiB without, 94-95 MiB with (heap used 55.6 -> 40.0 MiB, committed 58.9 -> 43.6 MiB), ~0.1 s
// more CPU to settle, plugs unchanged.  (Last session's "gives nothing" was a collector that did not
// run: on node 20, gc({ type: "major", execution: "sync" }) frees nothing; gc() does.)  Flushing all
// bytecode in that one collection as well (--stress-flush-code around it) gave ~1 MiB (load 4-8): one
// collection only ages code, see below for the two that flush it.
//
// --interrupt-budget=1000000 (ctlcompile's measurement, findings 2026-11-25 #5): at start the code runs
// once over ~10k flows, and with V8's default budget TurboFan optimises hundreds of functions on its
// background thread, CPU mostly wasted (each is hot only once); with the larger budget hot code is still
// optimised, later. Same benchmark, load 2.6-5.2: CPU to settle 1.41-1.54 s -> 0.96-1.11 s, CPU per plug
// 68-78 -> 30-36 ms, RSS 119-128 MiB either way. The flag applies to functions first run after it is set.
// Measured here and left out (load 2.4-7.6, CPU to settle / RSS against 1.38-1.44 s / 120-130 MiB):
// --min-semi-space-size=4 1.35-1.45 s / 128-129; --optimize-for-size 1.77-1.83 s / 115-116;
// --always-sparkplug 1.47-1.58 s; --max-lazy 1.42-1.47 s; --maglev 1.44-1.55 s; --interrupt-budget=16384
// 1.82-1.84 s; --single-threaded-gc aborts the process when set at run time.  Re-measured with the
// settle collection and a smaller live heap (session 6, load 3-4.6, RSS / CPU to settle): these flags
// 80.5 MiB / 1.03 s; + --optimize-for-size 81.3 / 1.16; + --max-semi-space-size=1 81.4 / 1.04.
//
// --max-opt=1 (no TurboFan; Sparkplug is the top tier): TurboFan's code is ~2.9 MiB of node's text that
// a process pays for in RSS once it optimises anything, plus its zones and optimised code (~2 MiB
// anon).  It must be set before the controller's modules load (src/cli/main.ts calls
// tuneControllerHeap first): node's module loader gets hot enough for TurboFan while ~200 modules load.
// Measured (controller benchmark M, --impls=ovnts, /proc/PID/pagemap against node's symbols; load 6-19
// from other sessions): settled RSS 73.8-75.5 -> 68.3-68.4 MiB (file pages 41 -> 38, anon 31-33 -> 30),
// CPU to settle 0.95-1.06 -> 1.07-1.20 s; what a long-running controller pays on a big change, a full
// recompile of the logical flows (lflow-cache/flush, 10k flows): 0.18-0.19 s CPU with TurboFan once
// warm (0.30-0.32 the first time), 0.32-0.41 s without.  Plugs are unchanged (27-30 ms CPU each).
// Quiet, alternating on one build (session 7, 08:19): start -> up 1,100-1,154 ms with it, 853-854 ms
// without; RSS 67.9 MiB (2.11x C) with it, ~73 without. It is NOT set: the RSS target (2x C) is missed
// either way, and start -> up and every recompute are better with TurboFan. Give it through
// OVNTS_V8_FLAGS="--semi-space-growth-factor=1 --interrupt-budget=1000000 --max-opt=1" where memory
// matters more than CPU.
//
// The settle collection also flushes code (session 8): the start-up ran ~10k flows through the compiler,
// pinctrl's and the OpenFlow codec's set-up once, and their bytecode, Sparkplug and TurboFan code stay
// in the heap though most of it runs again only on a big change; V8 flushes bytecode not run for 5 full
// collections (--bytecode-old-age), which an idle controller never reaches. Two compacting collections
// with --stress-flush-code and --flush-baseline-code (each function run since is compiled again when
// it runs: a plug recompiles what a plug runs) took the controller benchmark's (M, --impls=ovnts, A/B
// alternating, load 3.8-4.8) old space from 18.5 to 17.2 MiB used and code space from 1.4 to 0.2 MiB:
// settled RSS 73.7-73.8 -> 71.1-71.2 MiB, for ~60-100 ms CPU at settle; over 20 plugs the CPU per plug
// is the same (36.0 ms both, load 13: the first plugs' recompiles amortised). One collection flushes
// little (V8 ages code by one per collection). OVNTS_SETTLE_GC=keep-code collects without flushing.
//
// OVNTS_V8_FLAGS replaces CONTROLLER_V8_FLAGS (as for every ovnts daemon).
import { setFlagsFromString } from "node:v8";
import { compactingCollection, exposeGc, type GcFunction } from "../daemon/expose-gc.js";

export const CONTROLLER_V8_FLAGS: readonly string[] = [
  "--semi-space-growth-factor=1",
  "--interrupt-budget=1000000",
];

let tuned = false;

/**
 * Applies CONTROLLER_V8_FLAGS once, unless OVNTS_V8_FLAGS is set (the daemon start-up then applied those
 * instead, as for every ovnts daemon).
 */
export function tuneControllerHeap(env: Readonly<Record<string, string | undefined>>): void {
  if (tuned || env.OVNTS_V8_FLAGS !== undefined) return;
  tuned = true;
  for (const f of CONTROLLER_V8_FLAGS) setFlagsFromString(f);
}

/** Flags that make a full collection flush the code of every function not running (see above). */
const FLUSH_FLAGS: readonly (readonly [on: string, off: string])[] = [
  ["--stress-flush-code", "--no-stress-flush-code"],
  ["--flush-baseline-code", "--no-flush-baseline-code"],
];

/** Two compacting collections that flush code: the first ages every function's code, the second drops it. */
function flushingCollection(gc: GcFunction): void {
  for (const [on] of FLUSH_FLAGS) setFlagsFromString(on);
  try {
    compactingCollection(gc);
    compactingCollection(gc);
  } finally {
    for (const [, off] of FLUSH_FLAGS) setFlagsFromString(off);
  }
}

/**
 * What to run once the start-up install is done: full collections that compact every page and flush
 * code (only compact with OVNTS_SETTLE_GC=keep-code). undefined when OVNTS_SETTLE_GC=off, or when the
 * collector cannot be had.
 */
export function settleCollector(env: Readonly<Record<string, string | undefined>>): (() => void) | undefined {
  if (env.OVNTS_SETTLE_GC === "off") return undefined;
  const gc = exposeGc();
  if (gc === undefined) return undefined;
  return env.OVNTS_SETTLE_GC === "keep-code" ? () => compactingCollection(gc) : () => flushingCollection(gc);
}
