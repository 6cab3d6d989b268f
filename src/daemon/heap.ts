// V8 heap settings chosen per daemon, applied when the daemon starts (before it loads any data).
//
// A database server holds its data for days and is idle between bursts; V8's defaults suit short-lived
// programs: the young generation grows to 2 x 16 MiB and stays that size, and the old generation is
// allowed to grow up to 4x past what was live at the last full collection. Both stay resident. For
// ovsdb-server (measured with `npm run bench -- ovsdb`, 26k rows loaded):
//   defaults                                                   RSS ~117 MiB, 10k-row transaction ~190 ms
//   --optimize-for-size                                        RSS  ~85 MiB, 10k-row transaction ~390 ms
//   --semi-space-growth-factor=1 --heap-growing-percent=50     RSS  ~90 MiB, 10k-row transaction ~265 ms
// The last keeps the young generation at its initial 2 x 1 MiB (a transaction's garbage is small; what a
// large one keeps alive is promoted either way) and lets the old generation grow by half between full
// collections. Both flags are read by the collector as it runs, so setting them after start-up works.
//
// --no-parallel-scavenge: a scavenge of that small young generation is done by the main thread alone.
// In parallel, V8 wakes its worker threads for every scavenge (a futex wake each, ~110 per 1,000
// single-row transactions under strace, 90% of them gone with the flag) and they compete for the
// same CPU as the main thread when the server is pinned to one, for a few dozen microseconds of work. Read
// per scavenge, so it too can be set at run time (unlike --single-threaded-gc, which aborts V8 then).
//
// OVNTS_V8_FLAGS (space-separated V8 flags) replaces the daemon's list, e.g. "" for V8's defaults.
//
// --minor-gc-task-trigger=95: V8 posts its young-generation collection as a task when the young
// generation is 95% full instead of 80%; the event loop runs it right after the read being handled has
// been answered (idle-gc.ts): 16% fewer scavenges, 15% less time in them for sequential transactions.
// Read as V8 allocates, so it too can be set at run time.
//
// The database server also collects its young generation once it has gone idle (idle-gc.ts;
// OVNTS_IDLE_GC=off turns that off), and collects and compacts its whole heap once when it has been
// idle for 700 ms after growing by 16 MiB or more (idle-compact.ts; OVNTS_IDLE_COMPACT=off turns that
// off). With a one-second wait that was off by default: bench/ovsdb figure 3 measured 284 ms with it,
// 254 without; at 700 ms it still does not run between figure 3's rounds on a quiet machine, and figure
// 7 reads 81.5–83.3 MiB instead of 86–88.
import { setFlagsFromString } from "node:v8";
import { installIdleCompaction } from "./idle-compact.js";
import { installIdleScavenge } from "./idle-gc.js";
import { installLargeRequestYoungGen } from "./young-gen.js";

const SERVER_FLAGS = [
  "--semi-space-growth-factor=1",
  "--heap-growing-percent=50",
  "--no-parallel-scavenge",
  "--minor-gc-task-trigger=95",
];

const DAEMON_FLAGS: Readonly<Record<string, readonly string[]>> = {
  "ovsdb-server": SERVER_FLAGS,
  "ovnts-central": SERVER_FLAGS,
};

/** The V8 flags a daemon runs with (its own list, or OVNTS_V8_FLAGS when set). */
export function heapFlags(
  daemon: string,
  env: Readonly<Record<string, string | undefined>>,
): readonly string[] {
  const override = env.OVNTS_V8_FLAGS;
  if (override !== undefined) return override.split(/\s+/).filter((f) => f !== "");
  return DAEMON_FLAGS[daemon] ?? [];
}

/** Daemons that scavenge when idle (idle-gc.ts). */
const IDLE_SCAVENGE = new Set(["ovsdb-server"]);

/** Whether `daemon` collects its young generation when idle (unless OVNTS_IDLE_GC=off). */
export function idleScavenge(daemon: string, env: Readonly<Record<string, string | undefined>>): boolean {
  return IDLE_SCAVENGE.has(daemon) && env.OVNTS_IDLE_GC !== "off";
}

/** Whether `daemon` compacts its heap when idle after growth (unless OVNTS_IDLE_COMPACT=off). */
export function idleCompaction(daemon: string, env: Readonly<Record<string, string | undefined>>): boolean {
  return IDLE_SCAVENGE.has(daemon) && env.OVNTS_IDLE_COMPACT !== "off";
}

/**
 * Whether `daemon` lets its young generation grow while it handles a large request (young-gen.ts):
 * the database server with its own flags (the policy restores the growth factor they set), unless
 * OVNTS_LARGE_YOUNG=off.
 */
export function largeRequestYoungGen(
  daemon: string,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return IDLE_SCAVENGE.has(daemon) && env.OVNTS_V8_FLAGS === undefined && env.OVNTS_LARGE_YOUNG !== "off";
}

/** Applies heapFlags(daemon) and, where chosen, the idle scavenge and compaction to this process. */
export function tuneHeap(daemon: string): void {
  for (const f of heapFlags(daemon, process.env)) setFlagsFromString(f);
  if (idleScavenge(daemon, process.env)) installIdleScavenge();
  if (idleCompaction(daemon, process.env)) installIdleCompaction();
  if (largeRequestYoungGen(daemon, process.env)) installLargeRequestYoungGen();
}
