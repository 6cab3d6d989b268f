// The northd main loop: two IDLs (NB, SB), the ovn_northd lock on the SB (active/standby), and after
// every batch of changes one NorthdCore run whose SB transaction is committed, then the NB write-back.
// Own writes come back as changes; the ones that carry no new input (our SB tables, NB_Global sb_cfg/
// hv_cfg, Logical_Switch_Port.up) do not cause a recompute.
import { logger } from "../base/log.js";
import type { Changes, TableChanges } from "../ovsdb/idl/changes.js";
import type { OvnNbTables } from "../ovsdb/idl/generated/ovn-nb.js";
import type { OvnSbTables } from "../ovsdb/idl/generated/ovn-sb.js";
import type { ChangeTracker, Idl } from "../ovsdb/idl/idl.js";
import { CheckFailure, type NbChangeSet, NorthdCore, type RunReport } from "./core.js";
import { NB_CFG_ONLY } from "./engine/context.js";
import { type ChassisFeatures, chassisFeatures, featuresList, sameFeatures } from "./features.js";
import { fullGc, memorySummary, tuneNorthdHeap } from "./heap.js";
import type { StageBuilder } from "./lflow/api.js";
import { ageThresholdMs, agingPlan, removalLimit } from "./mac-binding-aging.js";
import { type GlobalDefaults, isVxlanMode } from "./model-build.js";
import { hasQos } from "./qos-queue.js";
import { nbUuidOfDatapath } from "./sync/datapath.js";
import { desiredHaGroups } from "./sync/ha-chassis.js";
import { syncRefChassis } from "./sync/ha-ref-chassis.js";
import { selectFlows } from "./sync/sb-flows.js";
import { idlSbIndex, type SbIndex } from "./sync/sb-index.js";

const log = logger("northd");

export const NORTHD_LOCK = "ovn_northd";

export { NB_CFG_ONLY };

/** NB columns that northd itself writes: changes to only these are not input. */
const OWN_NB_COLUMNS: Record<string, ReadonlySet<string>> = {
  NB_Global: new Set(["sbCfg", "sbCfgTimestamp", "hvCfg", "hvCfgTimestamp", "nbCfgTimestamp"]),
  Logical_Switch_Port: new Set(["up"]),
  Logical_Router_Port: new Set(["status"]),
};

/** SB tables northd reads as input (changes to the others are our own writes or irrelevant). */
const SB_INPUT_TABLES = new Set(["Chassis", "Service_Monitor", "BFD"]);
/** SB changes that only need the NB write-back. */
const SB_FEEDBACK_TABLES = new Set(["SB_Global", "Chassis_Private", "Port_Binding", "Chassis"]);

export interface DaemonStats {
  runs: number;
  lastReport: RunReport | undefined;
  lastRunMs: number;
}

export interface NorthdDaemonOptions {
  readonly builders: readonly StageBuilder[];
  readonly defaults: GlobalDefaults;
  readonly check: boolean;
  /** Wall clock in ms (for NB_Global timestamps and run times). */
  readonly now: () => number;
  /**
   * Called once a run has written at least RECLAIM_AFTER_ROWS flow rows and its NB write-back is done
   * (default: a full garbage collection, ./heap.ts).
   */
  readonly reclaim?: () => void;
  /** Flow rows a run must write to be followed by a reclaim (default RECLAIM_AFTER_ROWS). */
  readonly reclaimAfterRows?: number;
  /** Apply northd's V8 heap flags (./heap.ts) when constructed; default true. */
  readonly tuneHeap?: boolean;
}

/** Flow rows written by one run beyond which the daemon gives its garbage back (see ./heap.ts). */
export const RECLAIM_AFTER_ROWS = 10_000;

/** The NB row uuids changed, without rows whose only changes are northd's own columns. */
export function nbChangeSet(ch: Changes<OvnNbTables>, upIsInput = false): NbChangeSet {
  const out = new Map<string, string[]>();
  for (const table of ch.tables()) {
    const t = ch.table(table);
    // With options:ignore_lsp_down=false, flows depend on Logical_Switch_Port.up: then it is input.
    const own = upIsInput && table === "Logical_Switch_Port" ? undefined : OWN_NB_COLUMNS[table];
    const uuids: string[] = [];
    for (const r of t.inserted) uuids.push(r._uuid);
    for (const r of t.deleted) uuids.push(r._uuid);
    for (const m of t.modified) {
      if (own !== undefined && [...m.columns].every((c) => own.has(c))) continue;
      // A bare nb_cfg bump asks for an SB sync, not for new flows.
      if (table === "NB_Global" && [...m.columns].every((c) => c === "nbCfg" || own?.has(c) === true)) {
        out.set(NB_CFG_ONLY, [m.new._uuid]);
        continue;
      }
      uuids.push(m.new._uuid);
    }
    if (uuids.length > 0) out.set(table, uuids);
  }
  return out;
}

function mergeInto(acc: Map<string, string[]>, more: NbChangeSet): void {
  for (const [t, us] of more) {
    const l = acc.get(t);
    if (l === undefined) acc.set(t, [...us]);
    else l.push(...us);
  }
}

export class NorthdDaemon {
  readonly core: NorthdCore;
  readonly stats: DaemonStats = { runs: 0, lastReport: undefined, lastRunMs: 0 };
  private readonly nbTrack: ChangeTracker<OvnNbTables>;
  private readonly sbIndex: SbIndex;
  private readonly sbTrack: ChangeTracker<OvnSbTables>;
  /** NB changes not yet applied (kept across failed runs). */
  private pending = new Map<string, string[]>();
  /** SB datapaths whose IGMP_Group rows changed since the last run. */
  private igmpDps = new Set<string>();
  private needFull = true;
  /** Whether some chassis had a VXLAN Encap at the last look. */
  private vxlanMode: boolean | undefined;
  /** What all chassis supported at the last look (./features.ts). */
  private features: ChassisFeatures | undefined;
  private paused = false;
  private stopped = false;
  private running = false;
  private again = false;
  /** A run since the last reclaim wrote RECLAIM_AFTER_ROWS rows or more. */
  private bigRun = false;
  private wasActive = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The next MAC binding aging check (./mac-binding-aging.ts) and when it is due (ms, wall clock). */
  private agingTimer: ReturnType<typeof setTimeout> | undefined;
  private agingDue = 0;

  constructor(
    readonly nb: Idl<OvnNbTables>,
    readonly sb: Idl<OvnSbTables>,
    private readonly opts: NorthdDaemonOptions,
  ) {
    if (opts.tuneHeap !== false) tuneNorthdHeap(process.env);
    this.core = new NorthdCore({
      builders: opts.builders,
      defaults: opts.defaults,
      check: opts.check,
      clock: opts.now,
    });
    this.sbIndex = idlSbIndex(sb);
    this.nbTrack = nb.trackChanges();
    this.sbTrack = sb.trackChanges();
    nb.onChange(() => this.kick());
    sb.onChange(() => this.kick());
    sb.onLockChange((has) => {
      if (has) {
        log.info("ovn-northd lock acquired. This ovn-northd instance is now active.");
        this.needFull = true;
      } else if (this.wasActive)
        log.info("ovn-northd lock lost. This ovn-northd instance is now on standby.");
      this.wasActive = has;
      this.kick();
    });
    sb.setLock(NORTHD_LOCK);
  }

  get status(): "active" | "standby" | "paused" {
    if (this.paused) return "paused";
    return this.sb.hasLock ? "active" : "standby";
  }

  pause(): void {
    this.paused = true;
    this.sb.setLock(undefined);
  }

  resume(): void {
    this.paused = false;
    this.sb.setLock(NORTHD_LOCK);
    this.kick();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Forces a full recompute on the next run (unixctl inc-engine/recompute). */
  recompute(): void {
    this.needFull = true;
    this.kick();
  }

  /** Text of unixctl debug/chassis-features-list. */
  featuresList(): string {
    return featuresList(chassisFeatures(this.sb.rows("Chassis")));
  }

  /** Text of inc-engine/show-stats [NODE [STAT]]. */
  showStats(node?: string, stat?: string): string {
    return this.core.engine.showStats(node, stat);
  }

  clearStats(): void {
    this.core.engine.clearStats();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    if (this.agingTimer !== undefined) clearTimeout(this.agingTimer);
    this.nbTrack.stop();
    this.sbTrack.stop();
  }

  /** Schedules a run (coalescing bursts of updates). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    setImmediate(() => {
      void this.runLoop();
    });
  }

  private async runLoop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again && !this.stopped);
      if (this.bigRun) {
        this.bigRun = false;
        const t0 = this.opts.now();
        const before = memorySummary();
        (this.opts.reclaim ?? fullGc)();
        log.info(
          `reclaimed memory after a large run in ${this.opts.now() - t0} ms: ${before} -> ${memorySummary()}`,
        );
      }
    } catch (e) {
      if (e instanceof CheckFailure) {
        log.err(e.message);
        process.exitCode = 1;
        throw e;
      }
      log.warn(`run failed: ${e instanceof Error ? e.message : String(e)}`);
      this.core.failed();
      this.needFull = true;
      this.retryTimer = setTimeout(() => this.kick(), 500);
    } finally {
      this.running = false;
    }
  }

  /** Arms the aging check one (smallest) threshold from now, unless one is due sooner. */
  private armAging(): void {
    if (this.stopped) return;
    let min: number | undefined;
    for (const lr of this.nb.rows("Logical_Router")) {
      const t = ageThresholdMs(lr.options);
      if (t !== undefined) min = min === undefined ? t : Math.min(min, t);
    }
    if (min !== undefined) this.scheduleAging(min);
  }

  private scheduleAging(inMs: number): void {
    const due = this.opts.now() + inMs;
    if (this.agingTimer !== undefined && this.agingDue <= due) return;
    if (this.agingTimer !== undefined) clearTimeout(this.agingTimer);
    this.agingDue = due;
    this.agingTimer = setTimeout(() => {
      this.agingTimer = undefined;
      this.ageMacBindings().catch((e: unknown) =>
        log.warn(`MAC binding aging failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    }, inMs);
  }

  /**
   * Deletes the MAC_Binding rows of aging routers that are too old; looks again when the next one is.
   * Not while some chassis cannot timestamp MAC bindings (../features.ts).
   */
  private async ageMacBindings(): Promise<void> {
    if (this.stopped || this.paused || !this.sb.hasLock || !this.sb.isSynced || !this.nb.isSynced) return;
    if (!chassisFeatures(this.sb.rows("Chassis")).macBindingTimestamp) return;
    const routers = [];
    for (const d of this.sb.rows("Datapath_Binding")) {
      const nb = nbUuidOfDatapath(d);
      const lr = nb === undefined ? undefined : this.nb.get("Logical_Router", nb);
      const t = lr === undefined ? undefined : ageThresholdMs(lr.options);
      if (t !== undefined) routers.push({ sbDatapath: d._uuid, thresholdMs: t });
    }
    const limit = removalLimit(this.nb.first("NB_Global")?.options ?? new Map());
    const plan = agingPlan(routers, this.sb.rows("MAC_Binding"), this.opts.now(), limit);
    if (plan.expired.length > 0) {
      const txn = this.sb.txn();
      for (const u of plan.expired) txn.delete("MAC_Binding", u as OvnSbTables["MAC_Binding"]["_uuid"]);
      await this.sb.commit(txn);
      log.dbg(`MAC binding aging: removed ${plan.expired.length} rows`);
    }
    // Not sooner than 100 ms: rows just at the edge are taken on the next look.
    if (plan.nextCheckMs !== undefined) this.scheduleAging(Math.max(plan.nextCheckMs, 100));
  }

  /**
   * Whether SB Datapath_Binding or HA_Chassis_Group got rows northd did not write: a datapath row for no
   * datapath of the model (or a second one for a datapath), an HA group of no port. Northd's own inserts
   * always belong to the model of the run that made them.
   */
  private foreignRows(sbCh: Changes<OvnSbTables>): boolean {
    const model = this.core.model;
    if (model === undefined || !this.sb.isSynced) return false;
    const dps = sbCh.has("Datapath_Binding") ? sbCh.table("Datapath_Binding").inserted : [];
    if (dps.length > 0) {
      const rows = new Map<string, number>();
      for (const r of this.sb.rows("Datapath_Binding")) {
        const nb = nbUuidOfDatapath(r) ?? "";
        rows.set(nb, (rows.get(nb) ?? 0) + 1);
      }
      for (const r of dps) {
        const nb = nbUuidOfDatapath(r);
        if (nb === undefined || !model.datapaths.has(nb) || (rows.get(nb) ?? 0) > 1) return true;
      }
    }
    const groups = sbCh.has("HA_Chassis_Group") ? sbCh.table("HA_Chassis_Group").inserted : [];
    if (groups.length > 0) {
      const names = new Set([...desiredHaGroups(model).values()].map((g) => g.name));
      if (groups.some((g) => !names.has(g.name))) return true;
    }
    return false;
  }

  /**
   * The ports whose Port_Binding changes are input, as if their NB rows had changed (so that their
   * datapath is rebuilt and its bindings synced): a VIF with QoS options that got or changed its chassis
   * (queue ids are per chassis, ./qos-queue.ts), and any binding whose `up` became empty (written back
   * as false, ./sync/port-binding.ts).
   */
  private bindingInputs(pb: TableChanges<OvnSbTables["Port_Binding"]>): NbChangeSet {
    const model = this.core.model;
    const lsps: string[] = [];
    const lrps: string[] = [];
    if (model === undefined) return new Map();
    const add = (name: string, qosOnly: boolean): void => {
      const p = model.ports.get(name);
      if (p === undefined) return;
      if (p.kind === "lsp") {
        if (!qosOnly || (p.type === "" && hasQos(p.nb.options))) lsps.push(p.nb._uuid);
      } else if (!qosOnly) lrps.push((p.kind === "lrp" ? p : p.primary).nb._uuid);
    };
    for (const r of pb.inserted) if (r.chassis !== undefined) add(r.logicalPort, true);
    for (const m of pb.modified) {
      if (m.columns.has("up") && m.new.up === undefined) add(m.new.logicalPort, false);
      else if (m.columns.has("chassis")) add(m.new.logicalPort, true);
    }
    const out = new Map<string, string[]>();
    if (lsps.length > 0) out.set("Logical_Switch_Port", lsps);
    if (lrps.length > 0) out.set("Logical_Router_Port", lrps);
    return out;
  }

  private async runOnce(): Promise<void> {
    const nbCh = this.nbTrack.take();
    const sbCh = this.sbTrack.take();
    if (nbCh.resync || sbCh.resync) this.needFull = true;
    // A new SB connection that could not resume: what we knew of its Logical_Flow table is stale.
    if (sbCh.resync) this.core.failed();
    const upIsInput = this.nb.first("NB_Global")?.options.get("ignore_lsp_down") === "false";
    mergeInto(this.pending, nbChangeSet(nbCh, upIsInput));
    let sbInput = false;
    let feedback = false;
    let ran = false;
    for (const t of sbCh.tables()) {
      if (SB_INPUT_TABLES.has(t)) sbInput = true;
      if (SB_FEEDBACK_TABLES.has(t)) feedback = true;
    }
    // Chassis rows change all the time (nb_cfg, other_config); only which chassis exist matters here.
    if (sbCh.has("Chassis")) {
      const c = sbCh.table("Chassis");
      sbInput =
        sbCh.has("Service_Monitor") ||
        sbCh.has("BFD") ||
        c.inserted.length > 0 ||
        c.deleted.length > 0 ||
        c.modified.some((m) => m.columns.has("name") || m.columns.has("hostname"));
    }
    // A chassis without some feature (or the last one without it leaving) changes flows everywhere.
    if (sbCh.has("Chassis") && this.sb.isSynced) {
      const f = chassisFeatures(this.sb.rows("Chassis"));
      if (this.features !== undefined && !sameFeatures(f, this.features)) this.needFull = true;
      this.features = f;
    }
    // Rows someone else put into tables northd owns (a stale datapath or HA group): ovn-northd recomputes
    // on any change there and deletes them; a full run does the same here.
    if (this.foreignRows(sbCh)) this.needFull = true;
    // A first (or last) VXLAN chassis changes the tunnel key ranges and options:max_tunid: recompute.
    if (sbCh.has("Encap") && this.sb.isSynced) {
      const vxlan = isVxlanMode(this.sb);
      if (this.vxlanMode !== undefined && vxlan !== this.vxlanMode) this.needFull = true;
      this.vxlanMode = vxlan;
    }
    // Learned multicast groups: the datapaths whose IGMP_Group rows changed (kept across runs that do
    // not happen, like NB changes in `pending`).
    if (sbCh.has("IGMP_Group")) {
      const g = sbCh.table("IGMP_Group");
      for (const r of [...g.inserted, ...g.deleted])
        if (r.datapath !== undefined) this.igmpDps.add(r.datapath);
      for (const m of g.modified)
        for (const d of [m.old.datapath, m.new.datapath]) if (d !== undefined) this.igmpDps.add(d);
    }
    if (sbCh.has("Port_Binding")) mergeInto(this.pending, this.bindingInputs(sbCh.table("Port_Binding")));
    if (this.paused || !this.sb.hasLock || !this.nb.isSynced || !this.sb.isSynced) return;

    if (this.needFull || this.pending.size > 0 || sbInput || this.igmpDps.size > 0 || this.stats.runs === 0) {
      const t0 = this.opts.now();
      const txn = this.sb.txn();
      const full = this.needFull;
      const sbFlows =
        this.core.needsSbFlows && !this.sb.monitorPlan.columns.has("Logical_Flow")
          ? await selectFlows(this.sb)
          : undefined;
      const report = this.core.run(
        this.nb,
        this.sb,
        txn,
        full ? undefined : this.pending,
        sbInput,
        this.sbIndex,
        sbFlows,
        this.igmpDps,
      );
      const result = await this.sb.commit(txn);
      this.core.committed((p) => (txn.isNew(p) ? result.uuid(p as never) : p));
      this.pending = new Map();
      this.igmpDps = new Set();
      this.needFull = false;
      this.stats.runs++;
      this.stats.lastReport = report;
      this.stats.lastRunMs = this.opts.now() - t0;
      const l = report.lflow;
      if (l.inserted + l.updated + l.deleted >= (this.opts.reclaimAfterRows ?? RECLAIM_AFTER_ROWS))
        this.bigRun = true;
      log.dbg(
        `${report.mode} run: ${report.datapaths} datapaths, ${report.flows} flows, +${report.lflow.inserted} ~${report.lflow.updated} -${report.lflow.deleted} in ${this.stats.lastRunMs} ms (${[...report.timings].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")})`,
      );
      feedback = true;
      ran = true;
    }
    if (feedback || this.stats.runs > 0) {
      const ntxn = this.nb.txn();
      // Which switch ports may need their `up` written: all after a full run, else those of the
      // datapaths the run touched and those whose binding changed.
      let ports: "all" | string[] = [];
      const scope = this.core.lastScope;
      if (ran && scope === "all") ports = "all";
      else {
        const names: string[] = [];
        if (ran && scope !== "all")
          for (const u of scope) {
            const dp = this.core.model?.datapaths.get(u);
            if (dp?.kind === "switch") for (const p of dp.ports) names.push(p.name);
          }
        const pb = sbCh.table("Port_Binding");
        for (const r of pb.inserted) names.push(r.logicalPort);
        for (const m of pb.modified) names.push(m.new.logicalPort);
        ports = names;
      }
      if (this.core.nbWrites(this.nb, this.sb, ntxn, this.opts.now(), ports, this.sbIndex))
        await this.nb.commit(ntxn);
      // Which chassis refer to each gateway group follows the bindings (and every run's topology).
      const model = this.core.model;
      if (model !== undefined && (ran || sbCh.has("Port_Binding") || sbCh.has("HA_Chassis_Group"))) {
        const stxn = this.sb.txn();
        if (syncRefChassis(stxn, model, this.sb, this.sbIndex)) await this.sb.commit(stxn);
      }
    }
    if (ran) this.armAging();
  }
}
