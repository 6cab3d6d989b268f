// Young-generation collections between requests instead of in the middle of one.
//
// V8 collects the young generation (a scavenge) when an allocation finds it full: in a database server
// that is in the middle of some request, which then waits for it. A client doing one transaction at a
// time (ovn-nbctl, a CMS) waits for every reply, so each such pause is added to its round trip. Right
// after a read callback's replies have been written, the server has nothing to do until the client
// answers: a scavenge done then, once the young generation is half full (V8 would have run one a few
// dozen requests later), costs a little more CPU (more, smaller scavenges) and no client any time.
// Measured with bench/ovsdb's sequential figure (A/B, interleaved windows, loaded machine): +5–15%
// transactions per second, server CPU per transaction within noise.
//
// V8 only hands out its collector to scripts under --expose-gc; the flag can be set at run time and
// then a fresh context's `gc` is the collector (node:vm). Where that fails nothing is installed.
import { getHeapSpaceStatistics } from "node:v8";
import { addAfterReadHook } from "../jsonrpc/transport/socket-duplex.js";
import { exposeGc, type GcFunction } from "./expose-gc.js";

/**
 * Reads between looks at the young generation (a look costs ~1 µs: node builds an object per heap
 * space). Half of the 1 MiB young generation is ~100 single-row transactions, so a look every 8 reads
 * overshoots the threshold by a few percent at most.
 */
const CHECK_EVERY = 8;
/**
 * Fuller than this, scavenge. A scavenge costs ~40–50 µs of CPU whatever the young generation holds
 * (roots) plus a little per surviving object: a lower threshold makes each pause shorter (it then fits
 * in the time the client takes to send its next request) but more of them (more CPU). Half full: for
 * single-row transactions one ~80–100 µs scavenge every ~60 transactions.
 */
const DEFAULT_THRESHOLD = 0.5;

export interface IdleScavengeOptions {
  /** Fraction of the young generation in use above which a scavenge is done between requests. */
  threshold?: number;
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

/** Installs the scavenge-between-requests policy for this process; returns false if it cannot. */
export function installIdleScavenge(opts: IdleScavengeOptions = {}): boolean {
  if (collector === undefined) collector = exposeGc() ?? null;
  if (collector === null) return false;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  let reads = 0;
  addAfterReadHook(() => {
    if (++reads < CHECK_EVERY) return;
    reads = 0;
    scavengeIfFull(threshold);
  });
  return true;
}
