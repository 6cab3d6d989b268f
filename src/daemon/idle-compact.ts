// One full, compacting collection when the database server goes idle after its heap has grown.
//
// A burst of writes (a CMS loading a topology, a large transaction) leaves the old generation spread
// over more pages than its live data needs: garbage of the burst, and survivors scattered over every
// page. V8 keeps those pages committed while the process is idle, and nothing collects them until the
// next burst. After such growth, once 700 ms have passed without a single read, one full collection
// that compacts every page gives them back. (Not much less: bench/ovsdb's figure 1 has each server wait
// ~500 ms while the other takes its turn on the same CPU, and with 200 ms the collection ran during the
// C server's turn; figure 3 waits for the C server's 10k-row transaction, ~260 ms on a quiet machine.)
// Figure 7 (26k rows loaded, RSS read 0.5, 1.0 and 1.5 s after the load): 85.6–87.1 MiB at 0.5 s,
// 81.5–83.3 from 1.0 s on; without it 86–88 throughout.
//
// A busy server never gets here: it reads every period, or a long synchronous piece of work (loading a
// file at start-up, a large transaction) makes the check run late, which counts as busy too. Growth of
// less than GROWTH_BYTES since the last collection of this kind (or since the heap was smallest) does not
// start one, so a server taking a steady trickle of writes with pauses pays one full collection per
// GROWTH_BYTES of growth at most: ~30–50 ms for a heap of a few dozen MiB.
//
// The policy (IdleCompactPolicy) is pure: reads counted and heap sizes go in, the decision comes out.
import { getHeapStatistics } from "node:v8";
import { readCount } from "../jsonrpc/transport/socket-duplex.js";
import { compactingCollection, exposeGc } from "./expose-gc.js";

/** How often the server looks for idleness (a look is a counter compare and a heap-size read). */
export const CHECK_MS = 100;
/** Consecutive quiet checks that make the server idle (700 ms). */
export const IDLE_CHECKS = 7;
/** Heap growth (used bytes) since the last such collection that makes one worth its CPU. */
export const GROWTH_BYTES = 16 * 1024 * 1024;

export class IdleCompactPolicy {
  /** Used heap after the last such collection, or the smallest seen since. */
  private baseline: number;
  private lastReads: number;
  private lastTick: number;
  /** Consecutive checks without reads, on time. */
  private quiet = 0;

  constructor(
    now: number,
    heapUsed: number,
    reads: number,
    private readonly periodMs: number = CHECK_MS,
    private readonly growth: number = GROWTH_BYTES,
    private readonly idleChecks: number = IDLE_CHECKS,
  ) {
    this.baseline = heapUsed;
    this.lastReads = reads;
    this.lastTick = now;
  }

  /**
   * A check period has passed: `now` in ms, `reads` the process's read count, `heapUsed` the used heap.
   * Returns whether to collect and compact now (then call compacted() with the heap after it).
   */
  tick(now: number, reads: number, heapUsed: number): boolean {
    // A check that runs late was held up by work on the event loop: not an idle period.
    const busy = reads !== this.lastReads || now - this.lastTick > 2 * this.periodMs;
    this.lastReads = reads;
    this.lastTick = now;
    // Rows deleted, or V8's own collections: growth counts from the smallest heap seen.
    if (heapUsed < this.baseline) this.baseline = heapUsed;
    this.quiet = busy ? 0 : this.quiet + 1;
    return this.quiet >= this.idleChecks && heapUsed - this.baseline >= this.growth;
  }

  /** The collection ran, finishing at `now` with `heapUsed` in use. */
  compacted(now: number, heapUsed: number): void {
    this.baseline = heapUsed;
    this.lastTick = now;
    this.quiet = 0;
  }
}

let installed = false;

/** Starts the idle check (an unref'd interval); returns false if the collector cannot be had. */
export function installIdleCompaction(): boolean {
  if (installed) return true;
  const gc = exposeGc();
  if (gc === undefined) return false;
  installed = true;
  const policy = new IdleCompactPolicy(performance.now(), getHeapStatistics().used_heap_size, readCount());
  const timer = setInterval(() => {
    if (!policy.tick(performance.now(), readCount(), getHeapStatistics().used_heap_size)) return;
    compactingCollection(gc);
    policy.compacted(performance.now(), getHeapStatistics().used_heap_size);
  }, CHECK_MS);
  timer.unref();
  return true;
}
