// V8's garbage collector as a function, for the daemons that time their own collections (the
// database server between requests, the controller after its start-up install): --expose-gc set at
// run time only shows `gc` in contexts made afterwards, so it is fetched from a fresh one.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * V8's `gc`. Observed on node 20 (V8 11.3): `{ type: "minor" }` scavenges the young generation, but
 * `{ type: "major" }` (with or without `execution`) collects nothing; a full collection is `gc()` with no
 * options.
 */
export type GcFunction = (options?: { type: "minor" | "major"; execution?: "sync" | "async" }) => void;

/** The collector, or undefined if this V8 does not allow exposing it. */
export function exposeGc(): GcFunction | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
    return typeof gc === "function" ? (gc as GcFunction) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One full collection that compacts every page (the survivors moved together, the emptied pages given
 * back), where a plain one leaves the survivors scattered over most of the pages. `gc()` without options:
 * on node 20 `{ type: "major" }` collects nothing (above).
 */
export function compactingCollection(gc: GcFunction): void {
  setFlagsFromString("--compact-on-every-full-gc");
  try {
    gc();
  } finally {
    setFlagsFromString("--no-compact-on-every-full-gc");
  }
}
