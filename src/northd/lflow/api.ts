// What a logical-flow stage builder is and how it emits flows.
//
// A builder is an object with up to three functions: switchDp (called once per logical switch),
// routerDp (once per logical router) and global (once per run, for flows that depend on several
// datapaths at once). The core calls every builder of src/northd/switch/index.ts and
// src/northd/router/index.ts. Per-datapath builders are what make incremental recompute possible: after a
// change, the core re-runs only the per-datapath builders of the datapaths the change touches, and
// diffs their flows against the previous ones. A per-datapath builder must therefore emit flows ONLY
// for the datapath it is given, and read only that datapath, its ports, their peers and the peers'
// datapaths, and the shared objects (port groups, address sets, meters, load balancers, chassis).
//
// Flows are emitted with exact strings, as C northd writes them (match and actions are compared
// byte for byte against the real ovn-northd by the differential harness).
import type { Datapath, NorthdModel, RouterDatapath, SwitchDatapath } from "../model.js";
import type { Stage } from "../stages.js";

export interface LflowOptions {
  /**
   * Uuid of the NB row the flow comes from (ACL, LSP, LRP, NAT, LB, ...). Written as external_ids
   * stage-hint: the first 8 hex digits, as C northd does.
   */
  readonly hint?: string;
  /** The logical port the flow is about (C's "io_port"): written to Logical_Flow.tags in_out_port. */
  readonly ioPort?: string;
  /** Name of the controller-action meter (Logical_Flow.controller_meter). */
  readonly ctrlMeter?: string;
}

export interface LflowSink {
  /** Adds one logical flow; adding the same (dp, stage, priority, match, actions) twice keeps one. */
  add(
    dp: Datapath,
    stage: Stage,
    priority: number,
    match: string,
    actions: string,
    opts?: LflowOptions,
  ): void;
}

export interface StageBuilder {
  /** A short name for statistics and error reports (e.g. "ls_in_port_sec"). */
  readonly name: string;
  switchDp?(ls: SwitchDatapath, model: NorthdModel, sink: LflowSink): void;
  routerDp?(lr: RouterDatapath, model: NorthdModel, sink: LflowSink): void;
  global?(model: NorthdModel, sink: LflowSink): void;
}

/** The stage-hint external_id of a NB row uuid, as C northd writes it. */
export function stageHint(uuid: string): string {
  return uuid.slice(0, 8);
}
