// Giving memory back after a large run. A full compute at scale builds every flow of every datapath and
// a transaction of 100k+ rows — gigabytes of short-lived strings and objects — while what stays alive
// (the model, the flow index) is a fraction of that. V8 keeps the heap it grew to until a full
// collection happens to run, and frees the emptied pages only after one; the daemon then sits at its peak
// RSS while idle. A full collection right after such a run returns those pages to the system (RSS at
// the L benchmark: see bench/northd). Incremental runs are small and never ask for one.
import { setFlagsFromString } from "node:v8";
import { compactingCollection, exposeGc, type GcFunction } from "../daemon/expose-gc.js";

let gc: GcFunction | undefined;

/**
 * V8 flags for northd: the old generation grows by half between full collections (V8's defaults let
 * the heap run to ~3x what is alive before collecting). The database server also holds its young
 * generation at 2 x 1 MiB (src/daemon/heap.ts); northd does not: a full compute allocates so much that
 * the small young generation made garbage collection 46% of its busy time. Measured at the benchmark
 * (full compute / settled RSS vs C): M 1.00-1.03x / 0.82x with both flags, 0.97x / 1.00x with this one,
 * 0.91-0.95x / 1.21x with V8's defaults; L 0.84x / 0.55x (peak 1.14x) with this one.
 */
export const NORTHD_V8_FLAGS: readonly string[] = ["--heap-growing-percent=50"];

let tuned = false;

/**
 * Applies NORTHD_V8_FLAGS once, unless OVNTS_V8_FLAGS is set (the daemon start-up then applied those
 * instead, as for every ovnts daemon).
 */
export function tuneNorthdHeap(env: Readonly<Record<string, string | undefined>>): void {
  if (tuned || env.OVNTS_V8_FLAGS !== undefined) return;
  tuned = true;
  for (const f of NORTHD_V8_FLAGS) setFlagsFromString(f);
}

/**
 * Runs full garbage collections now, the last compacting every page (exposing V8's gc() on first use). A
 * plain full collection leaves the survivors scattered over most of the pages the run filled (at L:
 * 315 MB live in 710 MB of pages); compacting them all frees the rest. It costs about a second per few
 * hundred MB live, once per large run.
 */
export function fullGc(): void {
  if (gc === undefined) {
    gc = exposeGc();
    if (gc === undefined) throw new Error("V8's gc() cannot be exposed");
  }
  // A plain collection first frees the garbage (its pages go back to the system while the second one
  // runs); compacting straight away would copy the survivors while all of it is still mapped, a higher
  // peak (measured on a fragmented 570 MB heap: 818 MB against 730 MB).
  gc();
  compactingCollection(gc);
}

/** "rss R heap-used U heap-total T external E array-buffers A" in MiB, for the log. */
export function memorySummary(): string {
  const m = process.memoryUsage();
  const mib = (n: number): string => (n / 1048576).toFixed(0);
  return `rss ${mib(m.rss)} heap-used ${mib(m.heapUsed)} heap-total ${mib(m.heapTotal)} external ${mib(m.external)} array-buffers ${mib(m.arrayBuffers)} MiB`;
}
