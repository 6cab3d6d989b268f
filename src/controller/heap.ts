// V8 heap settings for `ovnts controller`, applied at start-up (before any Southbound data arrives).
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
// A full collection after the start-up install was tried and left out: 130 ms CPU (310 ms compacting)
// for under 10 MiB of RSS.
import { setFlagsFromString } from "node:v8";

export const CONTROLLER_V8_FLAGS: readonly string[] = ["--semi-space-growth-factor=1"];

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
