// Young-generation collections while the server is idle, and V8's own ones as late as is safe.
//
// V8 collects the young generation (a scavenge) when it is nearly full: at --minor-gc-task-trigger
// percent (80 by default) it posts a task that the event loop runs after the current callback, that is,
// right after the read that crossed the mark has been answered; if the young generation fills up before
// that, the allocating request itself waits for it. Either way a client doing one transaction at a time
// (ovn-nbctl, a CMS) waits for it: its next request arrives within some 40 µs of the reply, and a
// scavenge of the server's 1–2 MiB young generation takes 300–600 µs, most of it copying what survives
// (each new row, twice: once within the young generation, then into the old one) and the old-to-new
// references (the rows' table, the transaction history). Its cost is ~170 µs fixed plus ~1.3 µs per
// transaction since the last one, so fewer, fuller scavenges cost less in all.
//
// Measured with the figure-1 workload (sequential single-row transactions, per-request client
// timestamps against the server's GC events from a logger, 30k transactions, load ~4): a scavenge after
// every ~100 reads once half full (what this file did before, between requests) made 163 scavenges, 73 ms in
// all (2.44 µs per transaction) and added 4.3 µs per transaction to the requests behind them; V8's task
// at 80%: 99, 60 ms (1.99 µs), 4.3 µs; at 95% (heap.ts sets it): 83, 51 ms (1.70 µs), 3.0 µs.
//
// What is left here is the idle case: a server that has had no read for three whole check periods (a
// burst is over: 750 ms to 1 s, longer than bench/ovsdb figure 1's ~500 ms turns, during which the C
// server has the CPU the two share) and whose young generation is at least a quarter full collects it
// then, so that the next burst does not start with a scavenge. One unref'd interval for the process (no
// timer per request or per connection); a busy server only pays the look at its read counter.
//
// V8 only hands out its collector to scripts under --expose-gc; the flag can be set at run time and
// then a fresh context's `gc` is the collector (node:vm). Where that fails nothing is installed.
import { getHeapSpaceStatistics } from "node:v8";
import { readCount } from "../jsonrpc/transport/socket-duplex.js";
import { exposeGc, type GcFunction } from "./expose-gc.js";

/** How often the server looks for idleness (ms). */
export const IDLE_CHECK_MS = 250;
/** Consecutive check periods without a read that make the server idle. */
export const IDLE_CHECKS = 3;
/** Fuller than this after an idle period, scavenge (a quarter: ~50 single-row transactions' garbage). */
export const IDLE_THRESHOLD = 0.25;

/**
 * The decision, pure: a check period has passed with the process's read counter at `reads`; collect
 * once `idleChecks` periods in a row have passed without a read, if the young generation is at least
 * `threshold` full (asked once per idle stretch: a server that stays idle is not looked at again).
 */
export class IdleScavengePolicy {
  private lastReads: number;
  /** Consecutive periods without a read. */
  private quiet = 0;

  constructor(
    reads: number,
    private readonly threshold: number = IDLE_THRESHOLD,
    private readonly idleChecks: number = IDLE_CHECKS,
  ) {
    this.lastReads = reads;
  }

  /** `fill` is only asked for when the server has just become idle (it costs ~1 µs). */
  tick(reads: number, fill: () => number): boolean {
    this.quiet = reads === this.lastReads ? this.quiet + 1 : 0;
    this.lastReads = reads;
    return this.quiet === this.idleChecks && fill() >= this.threshold;
  }
}

/** How full the young generation is, 0 to 1. */
export function youngGenerationFill(): number {
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_name !== "new_space") continue;
    const room = s.space_used_size + s.space_available_size;
    return room > 0 ? s.space_used_size / room : 0;
  }
  return 0;
}

let collector: GcFunction | null | undefined;

/**
 * Scavenges now if the young generation is at least `threshold` full; returns whether it did. False
 * also when the collector cannot be had.
 */
export function scavengeIfFull(threshold: number): boolean {
  if (collector === undefined) collector = exposeGc() ?? null;
  if (collector === null || youngGenerationFill() < threshold) return false;
  collector({ type: "minor", execution: "sync" });
  return true;
}

let installed = false;

/** Installs the idle scavenge for this process; returns false if it cannot. */
export function installIdleScavenge(): boolean {
  if (installed) return true;
  if (collector === undefined) collector = exposeGc() ?? null;
  const gc = collector;
  if (gc === null) return false;
  installed = true;
  const policy = new IdleScavengePolicy(readCount());
  const timer = setInterval(() => {
    if (policy.tick(readCount(), youngGenerationFill)) gc({ type: "minor", execution: "sync" });
  }, IDLE_CHECK_MS);
  timer.unref();
  return true;
}
