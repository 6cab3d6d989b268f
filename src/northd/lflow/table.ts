// The logical flows the builders emit, kept per datapath so that one datapath's flows can be rebuilt
// and diffed on their own. A flow's identity is everything northd writes (stage, priority, match,
// actions and the optional hint/io-port/meter); the datapath is where it applies.
import type { Datapath, NorthdModel } from "../model.js";
import { STAGES, type Stage } from "../stages.js";
import type { LflowOptions, LflowSink, StageBuilder } from "./api.js";
import { stageHint } from "./api.js";

export interface Lflow {
  readonly stage: Stage;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
  /** First 8 hex digits of the NB row uuid, or "". */
  readonly hint: string;
  readonly ioPort: string;
  readonly ctrlMeter: string;
}

/**
 * The identity of a flow apart from its datapath. The hint comes last: the SB row of a flow is keyed by
 * everything before it (rowKeyOf), since flows that differ only in their hint share one row.
 */
export function flowKey(f: Lflow): string {
  return `${f.stage}\u0000${f.priority}\u0000${f.match}\u0000${f.actions}\u0000${f.ioPort}\u0000${f.ctrlMeter}\u0000${f.hint}`;
}

/** The flow of a key (inverse of flowKey). */
export function parseFlowKey(key: string): Lflow {
  const [stage, priority, match, actions, ioPort, ctrlMeter, hint] = key.split("\u0000");
  return {
    stage: stage as Stage,
    priority: Number(priority),
    match: match ?? "",
    actions: actions ?? "",
    hint: hint ?? "",
    ioPort: ioPort ?? "",
    ctrlMeter: ctrlMeter ?? "",
  };
}

/** A flow key without its hint: the identity of the SB row (with a datapath group) that carries it. */
export function rowKeyOf(key: string): string {
  return key.slice(0, key.lastIndexOf("\u0000"));
}

/** The hint of a flow key. */
export function hintOf(key: string): string {
  return key.slice(key.lastIndexOf("\u0000") + 1);
}

/**
 * Flows of one datapath, as flow keys (the key is the flow: see parseFlowKey; one string per flow keeps
 * the memory of 100k+ flows down).
 */
export type DpFlows = Set<string>;

/** A sink that collects flows per datapath and checks that each stage belongs to its datapath's kind. */
export class FlowCollector implements LflowSink {
  readonly byDp = new Map<string, DpFlows>();
  /** When set, flows for other datapaths are an error (a per-datapath builder leaked). */
  only: string | undefined;

  /**
   * `intern`: one string for equal keys. Most flows are the same on every switch (or router) and each
   * datapath's builders make their own copy of the key; sharing one copy saves most of the memory
   * the flow sets keep (at the L benchmark, tens of MB).
   */
  constructor(
    private readonly intern: Map<string, string> = new Map(),
    // What a flow that only drops (`drop;`, or an ACL's bare drop comment) gets instead, when set
    // (NB_Global debug_drop_*: see debugDrop).
    private readonly dropAction?: string,
  ) {}

  add(
    dp: Datapath,
    stage: Stage,
    priority: number,
    match: string,
    actions: string,
    opts?: LflowOptions,
  ): void {
    const info = STAGES[stage];
    if (info === undefined) throw new Error(`unknown stage ${String(stage)}`);
    if (info.dp !== dp.kind)
      throw new Error(`stage ${stage} is not a ${dp.kind} stage (datapath ${dp.name})`);
    if (this.only !== undefined && dp.uuid !== this.only)
      throw new Error(`flow for ${dp.name} emitted while building another datapath (${stage} ${match})`);
    const hint = opts?.hint !== undefined ? stageHint(opts.hint) : "";
    if (actions === "drop;" || actions === "/* drop */") actions = this.dropAction ?? actions;
    const key = `${stage}\u0000${priority}\u0000${match}\u0000${actions}\u0000${opts?.ioPort ?? ""}\u0000${opts?.ctrlMeter ?? ""}\u0000${hint}`;
    let m = this.byDp.get(dp.uuid);
    if (m === undefined) {
      m = new Set();
      this.byDp.set(dp.uuid, m);
    }
    let shared = this.intern.get(key);
    if (shared === undefined) {
      shared = key;
      this.intern.set(key, key);
    }
    m.add(shared);
  }
}

/** Owner of a set of flows: a datapath uuid (per-datapath builders) or "g/" + uuid (global builders). */
export type FlowOwner = string;

export function globalOwner(dpUuid: string): FlowOwner {
  return `g/${dpUuid}`;
}

/** The datapath uuid of an owner. */
export function ownerDp(owner: FlowOwner): string {
  return owner.startsWith("g/") ? owner.slice(2) : owner;
}

/**
 * Runs the per-datapath builders for the datapaths in `scope` (all when undefined), and the global
 * builders always, and returns the flows by owner. Every datapath in scope gets an entry (maybe empty),
 * so that the caller can replace what it had.
 */
export function buildFlows(
  model: NorthdModel,
  builders: readonly StageBuilder[],
  scope: ReadonlySet<string> | undefined,
): Map<FlowOwner, DpFlows> {
  const out = new Map<FlowOwner, DpFlows>();
  // Dropped with the collectors when the build is done: only the sets keep the shared keys.
  const intern = new Map<string, string>();
  const drop = debugDrop(model);
  const sink = new FlowCollector(intern, drop);
  for (const ls of model.switches) {
    if (scope !== undefined && !scope.has(ls.uuid)) continue;
    sink.byDp.set(ls.uuid, new Set());
    sink.only = ls.uuid;
    for (const b of builders) b.switchDp?.(ls, model, sink);
  }
  for (const lr of model.routers) {
    if (scope !== undefined && !scope.has(lr.uuid)) continue;
    sink.byDp.set(lr.uuid, new Set());
    sink.only = lr.uuid;
    for (const b of builders) b.routerDp?.(lr, model, sink);
  }
  for (const [dp, flows] of sink.byDp) out.set(dp, flows);
  const g = new FlowCollector(intern, drop);
  for (const b of builders) b.global?.(model, g);
  for (const [dp, flows] of g.byDp) out.set(globalOwner(dp), flows);
  return out;
}

/**
 * The actions of drop flows: with NB_Global options:debug_drop_collector_set (a 32-bit number) every flow
 * that only drops samples the packet to that IPFIX collector set first (ovn-nb(5)), observation domain
 * options:debug_drop_domain_id and point the flow's cookie, written as ovn-northd 23.03 writes it.
 */
export function debugDrop(model: NorthdModel): string | undefined {
  const o = model.nb.rows("NB_Global")[0]?.options;
  const set = o?.get("debug_drop_collector_set");
  if (set === undefined || !/^[0-9]+$/.test(set) || Number(set) === 0 || Number(set) > 0xffffffff)
    return undefined;
  // The observation domain (ovn-northd shifts it into the top byte of the id): not a number counts as
  // 0, and 255 or more turns sampling off (both as observed).
  const raw = o?.get("debug_drop_domain_id") ?? "0";
  const domain = /^[0-9]+$/.test(raw) ? Number(raw) : 0;
  if (domain >= 255) return undefined;
  return `sample(probability=65535,collector_set=${Number(set)},obs_domain=${domain},obs_point=$cookie); /* drop */`;
}
