// Small statistics over benchmark samples. Pure: no clock, no I/O.

export interface Summary {
  median: number;
  min: number;
  max: number;
  mean: number;
  count: number;
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median of no samples");
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * The p-th percentile (0 < p <= 100) by the nearest-rank method: the smallest sample with at least p%
 * of the samples at or below it, so it is always one of the samples (p95 of 20 is the 19th smallest).
 */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new Error("percentile of no samples");
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100], got ${p}`);
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil((p / 100) * s.length) - 1] as number;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new Error("summary of no samples");
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  return { median: median(xs), min, max, mean: sum / xs.length, count: xs.length };
}

/** Events per second for `count` events over `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  if (!(ms > 0)) throw new Error(`perSecond: elapsed time must be positive, got ${ms}`);
  return (count * 1000) / ms;
}

/** ovnts / C; NaN when C's figure is zero or either is not finite (so a bad run cannot look good). */
export function ratio(ovnts: number, c: number): number {
  if (!Number.isFinite(ovnts) || !Number.isFinite(c) || c === 0) return Number.NaN;
  return ovnts / c;
}

/** Which direction of a figure is the good one. */
export type Better = "higher" | "lower";

/** A goal on the ratio ovnts/C, e.g. `{ op: ">=", ratio: 1 }` for "at least as fast as C". */
export interface Target {
  op: ">=" | "<=";
  ratio: number;
}

/** Whether a measured ratio meets a target; undefined when there is no target or no valid ratio. */
export function meetsTarget(r: number, target: Target | undefined): boolean | undefined {
  if (target === undefined || Number.isNaN(r)) return undefined;
  return target.op === ">=" ? r >= target.ratio : r <= target.ratio;
}
