// One northd computation: NB (and the SB inputs) → the SB transaction that brings the SB up to date,
// plus the NB write-back (NB_Global, Logical_Switch_Port.up). Pure: the replicas, transactions and the
// clock are passed in; the daemon (./daemon.ts) commits what this produces.
//
// The work is an incremental engine (src/incproc), wired here, one node per file in ./engine/:
//   NB_data ──────┐
//   SB_chassis ───┼─► northd_model ─► sb_sync ─► lflow
//   SB_igmp_group ┘
// Given the NB rows changed since the last run, only the datapaths they affect (./affected.ts) get
// their flows rebuilt and their Port_Binding rows synced; anything not understood falls back to a full
// recompute. In check mode a full flow build follows every incremental one and must agree.

import { Engine, type EngineNode } from "../incproc/engine.js";
import type { OvnNbTables } from "../ovsdb/idl/generated/ovn-nb.js";
import type { OvnSbTables } from "../ovsdb/idl/generated/ovn-sb.js";
import type { Txn } from "../ovsdb/idl/txn.js";
import type { ContextRef, NbChangeSet } from "./engine/context.js";
import { addLflowNode, CheckFailure, type LflowData } from "./engine/en-lflow.js";
import { addModelNode, type ModelData } from "./engine/en-model.js";
import { addNbDataNode } from "./engine/en-nb-data.js";
import { addSbChassisNode } from "./engine/en-sb-chassis.js";
import { addSbIgmpNode } from "./engine/en-sb-igmp.js";
import { addSbSyncNode } from "./engine/en-sb-sync.js";
import type { StageBuilder } from "./lflow/api.js";
import type { NbRows, NorthdModel, SbRows, SwitchPort } from "./model.js";
import type { GlobalDefaults } from "./model-build.js";
import { bfdNbStatusUpdates } from "./sync/bfd.js";
import type { LflowSyncStats } from "./sync/lflow-sync.js";
import { nbGlobalUpdate } from "./sync/sb-global.js";
import { type SbIndex, scanSbIndex } from "./sync/sb-index.js";

export { CheckFailure, type NbChangeSet };

export interface CoreOptions {
  readonly builders: readonly StageBuilder[];
  readonly defaults: GlobalDefaults;
  /** Run a full flow build after each incremental one and compare. */
  readonly check?: boolean;
  /** A monotonic clock (ms) for per-node timings in the run report. */
  readonly clock?: () => number;
}

export interface RunReport {
  readonly mode: "full" | "incremental" | "none";
  /** Datapaths whose flows were rebuilt. */
  readonly datapaths: number;
  readonly lflow: LflowSyncStats;
  /** Distinct flows (SB rows) wanted. */
  readonly flows: number;
  /** Milliseconds per engine node that ran (with a clock). */
  readonly timings: ReadonlyMap<string, number>;
}

export class NorthdCore {
  readonly engine = new Engine();
  private readonly ref: ContextRef = { current: undefined };
  private readonly modelNode: EngineNode<ModelData>;
  private readonly lflowNode: EngineNode<LflowData>;
  private full = true;
  private readonly clock: (() => number) | undefined;

  constructor(opts: CoreOptions) {
    this.clock = opts.clock;
    const nb = addNbDataNode(this.engine, this.ref);
    const sb = addSbChassisNode(this.engine, this.ref);
    const igmp = addSbIgmpNode(this.engine, this.ref);
    this.modelNode = addModelNode(this.engine, this.ref, nb, sb, igmp, opts.defaults);
    const sync = addSbSyncNode(this.engine, this.ref, nb, this.modelNode);
    this.lflowNode = addLflowNode(this.engine, this.ref, this.modelNode, sync, {
      builders: opts.builders,
      check: opts.check === true,
      defaults: opts.defaults,
    });
  }

  /** The model of the last run. */
  get model(): NorthdModel | undefined {
    return this.modelNode.data.model;
  }

  /** Full recomputes / incremental runs of the flow node so far. */
  get recomputes(): number {
    return this.lflowNode.stats.recompute;
  }

  get incrementals(): number {
    return this.lflowNode.stats.compute;
  }

  /**
   * Computes the SB transaction. `changes` lists the NB rows changed since the previous successful
   * run; undefined asks for a full recompute. `sbInputChanged`: Chassis or Service_Monitor changed.
   * `igmpDatapaths`: the SB datapaths whose IGMP_Group rows changed.
   */
  run(
    nb: NbRows,
    sb: SbRows,
    txn: Txn<OvnSbTables>,
    changes: NbChangeSet | undefined,
    sbInputChanged = false,
    sbIndex?: SbIndex,
    sbFlows?: readonly OvnSbTables["Logical_Flow"][],
    igmpDatapaths?: ReadonlySet<string>,
  ): RunReport {
    const full = this.full || changes === undefined;
    this.ref.current = {
      nb,
      sb,
      txn,
      changes: full ? undefined : changes,
      sbInputChanged,
      sbIndex,
      sbFlows,
      igmpDatapaths,
    };
    try {
      const r = this.engine.run({
        forceRecompute: full,
        ...(this.clock !== undefined ? { clock: this.clock } : {}),
      });
      const ran = r.recomputed.includes("lflow") || r.computed.includes("lflow");
      const l = this.lflowNode.data;
      if (!ran) l.commit = undefined;
      return {
        mode: !ran ? "none" : r.recomputed.includes("lflow") ? "full" : "incremental",
        datapaths: ran ? l.rebuilt : 0,
        lflow: ran ? l.stats : { inserted: 0, updated: 0, deleted: 0, groupsCreated: 0 },
        flows: l.sync.size.keys,
        timings: r.timings,
      };
    } finally {
      this.ref.current = undefined;
    }
  }

  /** Distinct logical flows (SB rows) wanted. */
  get flowCount(): number {
    return this.lflowNode.data.sync.size.keys;
  }

  /** Whether the next run must be given the SB's Logical_Flow rows (see sync/sb-flows.ts). */
  get needsSbFlows(): boolean {
    return this.lflowNode.data.sync.needsSbFlows;
  }

  /** After the SB transaction committed: records the real uuids of the rows it inserted. */
  committed(resolve: (placeholder: string) => string): void {
    this.lflowNode.data.commit?.(resolve);
    this.lflowNode.data.commit = undefined;
    this.full = false;
  }

  /** After the SB transaction failed: the next run must be full and re-read the SB. */
  failed(): void {
    this.lflowNode.data.commit = undefined;
    this.lflowNode.data.sync.reset();
    this.full = true;
  }

  /** The NB write-back: NB_Global, and Logical_Switch_Port.up from Port_Binding.up. */
  /**
   * The NB write-back: NB_Global, and Logical_Switch_Port.up from Port_Binding.up for `ports` (names;
   * "all" after a full run; the ports of changed datapaths and changed bindings otherwise).
   */
  nbWrites(
    nb: NbRows,
    sb: SbRows,
    txn: Txn<OvnNbTables>,
    nowMs: number,
    ports: "all" | Iterable<string> = "all",
    sbIndex?: SbIndex,
  ): boolean {
    const model = this.model;
    if (model === undefined) return false;
    let any = false;
    const g = nbGlobalUpdate(nb, sb, model, nowMs);
    if (g !== undefined) {
      if (g.row === undefined) txn.insert("NB_Global", g.set);
      else txn.update("NB_Global", g.row._uuid, g.set);
      any = true;
    }
    // BFD sessions' settled status (./sync/bfd.ts), as seen by this model; only rows still in the NB.
    for (const [u, status] of bfdNbStatusUpdates(model)) {
      const row = nb.get("BFD", u);
      if (row !== undefined && row.status !== status) {
        txn.update("BFD", u, { status });
        any = true;
      }
    }
    const index = sbIndex ?? scanSbIndex(sb);
    const check = (p: SwitchPort): void => {
      // Router ports are always up; others follow their binding.
      const up = p.type === "router" ? true : index.portBindingNamed(p.name)?.up === true;
      const row = nb.get("Logical_Switch_Port", p.nb._uuid);
      if (row !== undefined && row.up !== up) {
        txn.update("Logical_Switch_Port", row._uuid, { up });
        any = true;
      }
      // IPAM results (./ipam.ts): only ports asking for dynamic addresses carry them.
      const dyn = p.hasDynamic ? p.dynamicAddresses : undefined;
      if (row !== undefined && row.dynamicAddresses !== dyn) {
        txn.update("Logical_Switch_Port", row._uuid, { dynamicAddresses: dyn });
        any = true;
      }
      // Container tags (./tags.ts): northd sets `tag`, never clears it.
      if (row !== undefined && p.tag !== undefined && row.tag !== p.tag) {
        txn.update("Logical_Switch_Port", row._uuid, { tag: p.tag });
        any = true;
      }
    };
    if (ports === "all") {
      for (const ls of model.switches) for (const p of ls.ports) check(p);
    } else {
      for (const name of new Set(ports)) {
        const p = model.ports.get(name);
        if (p?.kind === "lsp") check(p);
      }
    }
    return any;
  }

  /** The datapaths the last run worked on ("all" after a full run). */
  get lastScope(): ReadonlySet<string> | "all" {
    return this.modelNode.data.affected;
  }
}
