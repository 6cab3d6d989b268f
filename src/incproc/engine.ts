// A generic incremental-processing engine, in the manner of OVN's (ovn-architecture(7) and the
// `inc-engine/*` unixctl commands): a DAG of nodes, each with data, a full `run` (recompute from its
// inputs) and, per input, an optional change handler that folds that input's change into the node's
// data incrementally. A run visits the nodes in topological order:
//   - a node none of whose inputs changed is "unchanged" (input nodes always run: they look at their
//     own source);
//   - otherwise each changed input's handler is called; when an input has no handler or its handler
//     returns false ("unhandled"), the node is recomputed with `run`;
//   - when recompute is not allowed in this run (the caller cannot afford it now), the node and all
//     that follow are "aborted" and the run must be redone later.
// Pure: nodes do their own work; the engine only orders, dispatches and counts.

export type NodeState = "stale" | "updated" | "unchanged" | "aborted";

/** What `run` reports: whether the node's data changed. */
export type RunResult = "updated" | "unchanged";

export interface NodeSpec<D> {
  readonly name: string;
  /** The node's data before any run. */
  readonly data: D;
  /** Full recompute from the inputs' data. */
  run(node: EngineNode<D>): RunResult;
  /** Forget per-run tracked changes (called on every node at the start of a run). */
  clearTracked?(data: D): void;
}

/**
 * Folds one input's change into the node's data: "updated" or "unchanged" when handled (saying whether
 * the node's own data changed), false when it cannot and the node must be recomputed.
 */
export type ChangeHandler<D> = (node: EngineNode<D>) => RunResult | false;

/** What the engine needs to know of any node (used for inputs of any data type). */
export interface NodeHandle {
  readonly name: string;
  readonly state: NodeState;
}

export interface NodeStats {
  recompute: number;
  compute: number;
  abort: number;
}

export class EngineNode<D> {
  state: NodeState = "stale";
  data: D;
  readonly stats: NodeStats = { recompute: 0, compute: 0, abort: 0 };
  readonly inputs: { readonly node: NodeHandle; readonly handler: ChangeHandler<D> | undefined }[] = [];

  constructor(readonly spec: NodeSpec<D>) {
    this.data = spec.data;
  }

  get name(): string {
    return this.spec.name;
  }

  /** The data of an input, by node (typed by the caller's node handle). */
  input<E>(node: EngineNode<E>): E {
    if (!this.inputs.some((i) => i.node === node))
      throw new Error(`${node.name} is not an input of ${this.name}`);
    return node.data;
  }

  /** Whether `node` (an input) changed in this run. */
  changed(node: NodeHandle): boolean {
    return node.state === "updated";
  }
}

/** A clock for per-node timings (ms); the caller passes one in (e.g. performance.now). */
export type EngineClock = () => number;

export interface EngineRunOptions {
  /** Recompute every node (inc-engine/recompute). */
  readonly forceRecompute?: boolean;
  /** Measures each node's time in the run (reported in EngineRunReport.timings). */
  readonly clock?: EngineClock;
  /** When false, a node that would need a recompute aborts the run instead. Default true. */
  readonly allowRecompute?: boolean;
}

export interface EngineRunReport {
  /** Nodes recomputed, in order. */
  readonly recomputed: readonly string[];
  /** Nodes that handled all their changes incrementally. */
  readonly computed: readonly string[];
  readonly aborted: boolean;
  /** Time per node that ran, when a clock was given. */
  readonly timings: ReadonlyMap<string, number>;
}

export class Engine {
  private readonly nodes: (NodeHandle & {
    readonly spec: NodeSpec<unknown>;
    state: NodeState;
    data: unknown;
    readonly stats: NodeStats;
    readonly inputs: readonly {
      readonly node: NodeHandle;
      readonly handler: ChangeHandler<never> | undefined;
    }[];
  })[] = [];
  private force = false;

  /** Adds a node; nodes must be added after their inputs (which keeps the list in topological order). */
  add<D>(
    spec: NodeSpec<D>,
    inputs: readonly (readonly [NodeHandle, ChangeHandler<D>?])[] = [],
  ): EngineNode<D> {
    if (this.nodes.some((n) => n.name === spec.name)) throw new Error(`duplicate engine node ${spec.name}`);
    const node = new EngineNode(spec);
    for (const [input, handler] of inputs) {
      if (!this.nodes.some((n) => n === input))
        throw new Error(`input ${input.name} of ${spec.name} must be added first`);
      node.inputs.push({ node: input, handler });
    }
    this.nodes.push(node as unknown as (typeof this.nodes)[number]);
    return node;
  }

  /** Asks for a full recompute on the next run. */
  forceRecompute(): void {
    this.force = true;
  }

  get nodeList(): readonly NodeHandle[] {
    return this.nodes;
  }

  run(opts: EngineRunOptions = {}): EngineRunReport {
    const force = this.force || opts.forceRecompute === true;
    const allowRecompute = opts.allowRecompute !== false;
    const recomputed: string[] = [];
    const computed: string[] = [];
    for (const n of this.nodes) {
      n.spec.clearTracked?.(n.data);
      n.state = "stale";
    }
    let aborted = false;
    const timings = new Map<string, number>();
    const clock = opts.clock;
    for (const n of this.nodes) {
      const t0 = clock?.();
      this.runNode(
        n,
        force,
        allowRecompute,
        recomputed,
        computed,
        () => {
          aborted = true;
        },
        aborted,
      );
      if (clock !== undefined && t0 !== undefined && n.state !== "unchanged")
        timings.set(n.name, clock() - t0);
      if (n.state === "aborted") aborted = true;
    }
    if (!aborted) this.force = false;
    return { recomputed, computed, aborted, timings };
  }

  private runNode(
    n: Engine["nodes"][number],
    force: boolean,
    allowRecompute: boolean,
    recomputed: string[],
    computed: string[],
    abort: () => void,
    aborted: boolean,
  ): void {
    {
      if (aborted) {
        n.state = "aborted";
        return;
      }
      const recompute = (): void => {
        if (!allowRecompute && n.inputs.length > 0) {
          n.state = "aborted";
          n.stats.abort++;
          abort();
          return;
        }
        n.state = n.spec.run(n as unknown as EngineNode<unknown>);
        n.stats.recompute++;
        recomputed.push(n.name);
      };
      if (n.inputs.length === 0 || force) {
        recompute();
        return;
      }
      const changed = n.inputs.filter((i) => i.node.state === "updated");
      if (changed.length === 0) {
        n.state = "unchanged";
        return;
      }
      let handled = true;
      let updated = false;
      for (const i of changed) {
        const r =
          i.handler === undefined
            ? false
            : (i.handler as unknown as ChangeHandler<unknown>)(n as unknown as EngineNode<unknown>);
        if (r === false) {
          handled = false;
          break;
        }
        if (r === "updated") updated = true;
      }
      if (!handled) {
        recompute();
        return;
      }
      n.state = updated ? "updated" : "unchanged";
      n.stats.compute++;
      computed.push(n.name);
    }
  }

  /** inc-engine/show-stats text, in the C daemons' layout; optionally one node, one counter. */
  showStats(node?: string, stat?: string): string {
    const pad = (label: string, v: number): string => `${label}${String(v).padStart(25 - label.length)}\n`;
    const out: string[] = [];
    for (const n of this.nodes) {
      if (node !== undefined && n.name !== node) continue;
      if (stat !== undefined) {
        const v = (n.stats as unknown as Record<string, number | undefined>)[stat];
        if (v === undefined) throw new Error(`Invalid stat type: ${stat}`);
        out.push(`${v}\n`);
        continue;
      }
      out.push(
        `Node: ${n.name}\n${pad("- recompute:", n.stats.recompute)}${pad("- compute:", n.stats.compute)}${pad("- abort:", n.stats.abort)}`,
      );
    }
    if (node !== undefined && out.length === 0) throw new Error(`Invalid node name: ${node}`);
    return out.join("");
  }

  clearStats(): void {
    for (const n of this.nodes) {
      n.stats.recompute = 0;
      n.stats.compute = 0;
      n.stats.abort = 0;
    }
  }
}
