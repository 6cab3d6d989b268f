// Summarises a V8 CPU profile (the .cpuprofile JSON that `node --cpu-prof` writes): where the time
// went, per function, as self time (the function itself was on top of the stack) and total time (it
// was anywhere on the stack, counted once per sample even when recursive). Pure.

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between consecutive samples; timeDeltas[i] precedes samples[i]. */
  timeDeltas: number[];
}

export interface FunctionCost {
  /** `name file:line` (1-based line), the key functions are grouped by. */
  key: string;
  selfMs: number;
  totalMs: number;
  /** The function's file is under the summary's `stripPrefix` (our code, not Node's or V8's). */
  own: boolean;
}

export interface ProfileSummary {
  /** All sampled time except "(idle)". */
  busyMs: number;
  idleMs: number;
  functions: FunctionCost[];
}

const IDLE = "(idle)";

/** Short, readable location: the part of a file URL after `stripPrefix`, or the URL itself. */
function frameKey(f: CallFrame, stripPrefix: string): string {
  const name = f.functionName === "" ? "(anonymous)" : f.functionName;
  if (f.url === "") return name;
  const file = f.url.startsWith(stripPrefix) ? f.url.slice(stripPrefix.length) : f.url;
  return `${name} ${file}:${f.lineNumber + 1}`;
}

/** Costs per function, sorted by self time (largest first). */
export function summarizeProfile(p: CpuProfile, stripPrefix = ""): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Each sample lasts until the next one; the last gets the mean interval.
  const selfUs = new Map<number, number>();
  const n = p.samples.length;
  const total = p.timeDeltas.reduce((a, b) => a + Math.max(0, b), 0);
  const mean = n > 0 ? total / n : 0;
  for (let i = 0; i < n; i++) {
    const id = p.samples[i] as number;
    const dt = i + 1 < n ? Math.max(0, p.timeDeltas[i + 1] as number) : mean;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }

  const own = new Set<string>();
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    if (node.callFrame.functionName === IDLE) {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const key = frameKey(node.callFrame, stripPrefix);
    self.set(key, (self.get(key) ?? 0) + us);
    const onStack = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      if (f === undefined || f.functionName === "(root)") continue;
      const k = frameKey(f, stripPrefix);
      onStack.add(k);
      if (stripPrefix !== "" && f.url.startsWith(stripPrefix)) own.add(k);
    }
    for (const k of onStack) incl.set(k, (incl.get(k) ?? 0) + us);
  }
  const functions = [...incl.entries()]
    .map(([key, us]) => ({ key, selfMs: (self.get(key) ?? 0) / 1000, totalMs: us / 1000, own: own.has(key) }))
    .sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs || (a.key < b.key ? -1 : 1));
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, functions };
}

/**
 * A plain-text table of the `top` functions by self time, then of our own functions by total time
 * (Node's stream and event plumbing would otherwise fill the second list).
 */
export function renderProfile(title: string, s: ProfileSummary, top = 15): string {
  const pct = (ms: number): string => (s.busyMs > 0 ? `${((100 * ms) / s.busyMs).toFixed(1)}%` : "-");
  const row = (f: FunctionCost): string =>
    `  ${f.selfMs.toFixed(0).padStart(7)} ms ${pct(f.selfMs).padStart(6)}  ` +
    `${f.totalMs.toFixed(0).padStart(7)} ms ${pct(f.totalMs).padStart(6)}  ${f.key}`;
  const header = "     self          total        function";
  const byTotal = s.functions
    .filter((f) => f.own)
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top);
  return [
    `${title}: busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms`,
    "by self time:",
    header,
    ...s.functions.slice(0, top).map(row),
    "our functions by total time:",
    header,
    ...byTotal.map(row),
    "",
  ].join("\n");
}
