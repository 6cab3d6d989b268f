// What a benchmark figure is: a titled number measured on both servers, with the direction that is
// better and, when the project has one, the target for the ratio ovnts/C.
import type { Impl, Measurement } from "../lib/report.js";
import { type Better, median, type Target } from "../lib/stats.js";
import { type BenchEnv, sleep } from "./server.js";

export interface Figure {
  /** Short stable key (JSON, --only). */
  id: string;
  title: string;
  unit: string;
  better: Better;
  target?: Target;
  /** Measures both implementations (each on its own fresh server) and returns both figures. */
  run(env: BenchEnv): Promise<Record<Impl, Measurement>>;
}

export const IMPLS: readonly Impl[] = ["c", "ovnts"];

const SETTLE_MS = 150;

/** Runs `measure` for C then ovnts, logging each figure as it comes. */
export async function eachImpl(
  env: BenchEnv,
  measure: (impl: Impl) => Promise<Measurement>,
): Promise<Record<Impl, Measurement>> {
  const out: Partial<Record<Impl, Measurement>> = {};
  for (const impl of IMPLS) {
    const m = await measure(impl);
    logMeasurement(env, impl, m);
    out[impl] = m;
  }
  return out as Record<Impl, Measurement>;
}

export interface Rounds<S> {
  /** Measured rounds per implementation. */
  rounds: number;
  /** Rounds run first and thrown away (JIT warm-up, caches). */
  warmup?: number;
  /** Starts a server and whatever the rounds need. */
  setup(impl: Impl): Promise<S>;
  /** One round; returns its sample. */
  round(state: S, r: number): Promise<number>;
  /** The figure from the samples (default: their median, no detail). */
  summarize?(state: S, samples: number[]): Measurement;
  /** Stops the server and closes clients; runs even when a round failed. */
  teardown(state: S): Promise<void>;
}

/**
 * Runs the rounds of both implementations interleaved, C and ovnts taking turns (and turns at going
 * first), both servers up for the whole figure. The machine is shared and its load comes and goes;
 * interleaving puts both sides under the same conditions instead of one getting a quiet minute.
 */
export async function interleave<S>(env: BenchEnv, spec: Rounds<S>): Promise<Record<Impl, Measurement>> {
  const states = new Map<Impl, S>();
  try {
    for (const impl of IMPLS) states.set(impl, await spec.setup(impl));
    const samples: Record<Impl, number[]> = { c: [], ovnts: [] };
    const warmup = spec.warmup ?? 0;
    for (let r = 0; r < warmup + spec.rounds; r++) {
      const order = r % 2 === 0 ? IMPLS : [...IMPLS].reverse();
      for (const impl of order) {
        // Both servers share a CPU: let the one that just ran finish its deferred work (V8's
        // concurrent GC, buffered writes) before the other is measured.
        await sleep(SETTLE_MS);
        const x = await spec.round(states.get(impl) as S, r);
        if (r >= warmup) samples[impl].push(x);
      }
    }
    const out: Partial<Record<Impl, Measurement>> = {};
    for (const impl of IMPLS) {
      const s = samples[impl];
      const m = spec.summarize?.(states.get(impl) as S, s) ?? { value: median(s), samples: s };
      logMeasurement(env, impl, m);
      out[impl] = m;
    }
    return out as Record<Impl, Measurement>;
  } finally {
    for (const s of states.values()) await spec.teardown(s);
  }
}

/** Logs one side of a figure (progress on stderr). */
export function logMeasurement(env: BenchEnv, impl: Impl, m: Measurement): void {
  const samples = m.samples.map((x) => Number(x.toPrecision(4)));
  env.log.info(
    `${env.figure} ${impl}: ${m.value.toPrecision(4)} samples ${JSON.stringify(samples)} ${JSON.stringify(m.detail ?? {})}`,
  );
}
