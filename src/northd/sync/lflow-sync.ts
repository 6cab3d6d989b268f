// Logical_Flow sync: keeps the SB Logical_Flow table equal to the flows the builders emit, writing only
// the difference. Flows that are identical on several datapaths become one SB row with a
// Logical_DP_Group, as in C northd 23.03. Like there, the hint does not count: flows equal in stage,
// priority, match, actions (and io-port, meter) but with different hints (each switch's own load
// balancer hairpin flows, say) are one row, which carries one of the hints — the smallest (C keeps the
// first one it built, an order we do not reproduce; the harness compares grouped rows' hints loosely).
//
// State kept between runs: for each row key (flow key without its hint), the (datapath, hint) pairs that
// have it and the SB row that stands for it. A run replaces the flows of some owners (datapaths); only
// the row keys whose pairs changed are written. The SB rows are read from the replica only when
// (re)starting: reconcile().
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import {
  type DpFlows,
  type FlowOwner,
  flowKey,
  hintOf,
  type Lflow,
  ownerDp,
  parseFlowKey,
  rowKeyOf,
} from "../lflow/table.js";
import type { SbRows } from "../model.js";
import { isStage, STAGES } from "../stages.js";

type Sb = OvnSbTables;

/**
 * Who has a row: one (datapath, hint) pair emitting it once (the common case, kept as a bare string to
 * save memory), or pair → number of owners that emit it. A pair is the datapath's NB uuid, followed by
 * PAIR_SEP and the hint when there is one.
 */
type Entry = string | Map<string, number>;

const PAIR_SEP = "\u0001";

function pairOf(dp: string, hint: string): string {
  return hint === "" ? dp : `${dp}${PAIR_SEP}${hint}`;
}

function pairDp(pair: string): string {
  const i = pair.indexOf(PAIR_SEP);
  return i < 0 ? pair : pair.slice(0, i);
}

function pairHint(pair: string): string {
  const i = pair.indexOf(PAIR_SEP);
  return i < 0 ? "" : pair.slice(i + 1);
}

function entryPairs(e: Entry): string[] {
  return typeof e === "string" ? [e] : [...e.keys()];
}

interface SbFlow {
  uuid: string;
  /** Sorted NB uuids of the datapaths the SB row applies to. */
  dpsig: string;
  hint: string;
}

export interface LflowSyncStats {
  inserted: number;
  updated: number;
  deleted: number;
  groupsCreated: number;
}

function dpSig(dps: Iterable<string>): string {
  return [...dps].sort().join(",");
}

/** The flow of an SB row, with the NB uuids of its datapaths; undefined for a row we do not recognise. */
export function readSbFlow(
  row: Sb["Logical_Flow"],
  sb: SbRows,
  nbOfSbDp: ReadonlyMap<string, string>,
): { flow: Lflow; dps: string[] } | undefined {
  const stage = row.externalIds.get("stage-name");
  if (stage === undefined || !isStage(stage)) return undefined;
  const info = STAGES[stage];
  if (info.pipeline !== row.pipeline || info.table !== row.tableId) return undefined;
  const dps: string[] = [];
  if (row.logicalDatapath !== undefined) {
    const nb = nbOfSbDp.get(row.logicalDatapath);
    if (nb !== undefined) dps.push(nb);
  }
  if (row.logicalDpGroup !== undefined) {
    for (const d of sb.get("Logical_DP_Group", row.logicalDpGroup)?.datapaths ?? []) {
      const nb = nbOfSbDp.get(d);
      if (nb !== undefined) dps.push(nb);
    }
  }
  return {
    flow: {
      stage,
      priority: row.priority,
      match: row.match,
      actions: row.actions,
      hint: row.externalIds.get("stage-hint") ?? "",
      ioPort: row.tags.get("in_out_port") ?? "",
      ctrlMeter: row.controllerMeter ?? "",
    },
    dps,
  };
}

/** The hint an SB row carries: the smallest of its pairs' (any fixed choice keeps rewrites away). */
function rowHint(pairs: readonly string[]): string {
  let best: string | undefined;
  for (const p of pairs) {
    const h = pairHint(p);
    if (best === undefined || h < best) best = h;
  }
  return best ?? "";
}

function flowExternalIds(f: Lflow): Map<string, string> {
  return new Map(
    f.hint === ""
      ? [["stage-name", f.stage]]
      : [
          ["stage-hint", f.hint],
          ["stage-name", f.stage],
        ],
  );
}

export class LflowSync {
  private readonly owners = new Map<FlowOwner, DpFlows>();
  private readonly entries = new Map<string, Entry>();
  private readonly sbFlows = new Map<string, SbFlow>();
  /** Flow keys whose datapath set may differ from the SB row's. */
  private readonly dirty = new Set<string>();
  private reconciled = false;

  /** Number of distinct flows (keys) and of (flow, datapath) pairs. */
  get size(): { keys: number; pairs: number } {
    let pairs = 0;
    for (const e of this.entries.values()) pairs += typeof e === "string" ? 1 : e.size;
    return { keys: this.entries.size, pairs };
  }

  /** All (datapath, flow) pairs we want, for the recompute check. */
  snapshot(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [owner, flows] of this.owners) out.set(owner, [...flows].sort());
    return out;
  }

  /** Forgets what we know of the SB (after a reconnect): the next sync re-reads it. */
  invalidateSb(): void {
    this.reconciled = false;
  }

  /** Replaces the flows of the given owners; owners not in `flows` but in `replace` lose theirs. */
  replace(flows: ReadonlyMap<FlowOwner, DpFlows>, replace: Iterable<FlowOwner>): void {
    const touched = new Set<FlowOwner>([...replace, ...flows.keys()]);
    for (const owner of touched) {
      const before = this.owners.get(owner);
      const after = flows.get(owner);
      const dp = ownerDp(owner);
      if (before !== undefined) {
        for (const k of before)
          if (after?.has(k) !== true) this.removePair(rowKeyOf(k), pairOf(dp, hintOf(k)));
      }
      if (after !== undefined) {
        for (const k of after) if (before?.has(k) !== true) this.addPair(rowKeyOf(k), pairOf(dp, hintOf(k)));
        this.owners.set(owner, after);
      } else this.owners.delete(owner);
    }
  }

  /** Owners currently known (to find those of deleted datapaths). */
  ownerList(): FlowOwner[] {
    return [...this.owners.keys()];
  }

  private addPair(k: string, dp: string): void {
    const e = this.entries.get(k);
    if (e === undefined) {
      this.entries.set(k, dp);
      this.dirty.add(k);
    } else if (typeof e === "string") {
      this.entries.set(
        k,
        e === dp
          ? new Map([[dp, 2]])
          : new Map([
              [e, 1],
              [dp, 1],
            ]),
      );
      if (e !== dp) this.dirty.add(k);
    } else {
      const n = e.get(dp) ?? 0;
      e.set(dp, n + 1);
      if (n === 0) this.dirty.add(k);
    }
  }

  private removePair(k: string, dp: string): void {
    const e = this.entries.get(k);
    if (e === undefined) return;
    if (typeof e === "string") {
      if (e !== dp) return;
      this.entries.delete(k);
      this.dirty.add(k);
      return;
    }
    const n = e.get(dp) ?? 0;
    if (n <= 1) {
      e.delete(dp);
      this.dirty.add(k);
      if (e.size === 0) this.entries.delete(k);
    } else e.set(dp, n - 1);
  }

  /** Reads the SB Logical_Flow table: which row stands for which flow key; duplicates are deleted. */
  /** Whether the next sync must first read the SB's Logical_Flow table. */
  get needsSbFlows(): boolean {
    return !this.reconciled;
  }

  private reconcile(
    txn: Txn<Sb>,
    sb: SbRows,
    sbFlows: readonly Sb["Logical_Flow"][] | undefined,
    nbOfSbDp: ReadonlyMap<string, string>,
    stats: LflowSyncStats,
  ): void {
    this.sbFlows.clear();
    const sigs = new Map<string, string>();
    for (const row of sbFlows ?? sb.rows("Logical_Flow")) {
      const r = readSbFlow(row, sb, nbOfSbDp);
      const k = r === undefined ? undefined : rowKeyOf(flowKey(r.flow));
      if (r === undefined || k === undefined || this.sbFlows.has(k) || r.dps.length === 0) {
        txn.delete("Logical_Flow", row._uuid);
        stats.deleted++;
        continue;
      }
      const sig = dpSig(r.dps);
      if (!sigs.has(sig)) sigs.set(sig, sig);
      this.sbFlows.set(k, { uuid: row._uuid, dpsig: sigs.get(sig) ?? sig, hint: r.flow.hint });
      this.dirty.add(k);
    }
    for (const k of this.entries.keys()) this.dirty.add(k);
    this.reconciled = true;
  }

  /**
   * Writes the difference into `txn`. `dpRef` maps a datapath NB uuid to its Datapath_Binding uuid (or
   * placeholder); `nbOfSbDp` maps SB datapath uuids back. Returns a function to call with the commit's
   * uuid resolver once the transaction succeeded (it records the real uuids of inserted rows).
   */
  sync(
    txn: Txn<Sb>,
    sb: SbRows,
    dpRef: (nbUuid: string) => string | undefined,
    nbOfSbDp: ReadonlyMap<string, string>,
    /** The SB Logical_Flow rows, when the replica does not have them (see ./sb-flows.ts). */
    sbFlows?: readonly Sb["Logical_Flow"][],
  ): { stats: LflowSyncStats; commit: (resolve: (placeholder: string) => string) => void } {
    const stats: LflowSyncStats = { inserted: 0, updated: 0, deleted: 0, groupsCreated: 0 };
    if (!this.reconciled) this.reconcile(txn, sb, sbFlows, nbOfSbDp, stats);
    // The existing groups are looked up only when some flow needs one (most incremental runs do not).
    let groupMap: Map<string, string> | undefined;
    const groups = (): Map<string, string> => {
      groupMap ??= this.groupIndex(sb, nbOfSbDp);
      return groupMap;
    };
    const pending: [string, string][] = [];
    const removed: string[] = [];
    // One string per datapath signature: a group of a thousand datapaths has a 37 kB signature, and
    // every flow of the group would otherwise keep its own copy.
    const sigs = new Map<string, string>();
    for (const k of this.dirty) {
      const e = this.entries.get(k);
      const have = this.sbFlows.get(k);
      const pairs = e === undefined ? [] : entryPairs(e).filter((p) => dpRef(pairDp(p)) !== undefined);
      const dps = [...new Set(pairs.map(pairDp))];
      if (dps.length === 0) {
        if (have !== undefined) {
          txn.delete("Logical_Flow", have.uuid as Uuid<"Logical_Flow">);
          stats.deleted++;
          removed.push(k);
        }
        continue;
      }
      const sig0 = dpSig(dps);
      let sig = sigs.get(sig0);
      if (sig === undefined) {
        sig = sig0;
        sigs.set(sig, sig);
      }
      const hint = rowHint(pairs);
      if (have !== undefined && have.dpsig === sig && have.hint === hint) continue;
      if (have !== undefined && e !== undefined) {
        const update: RowInput<Sb["Logical_Flow"]> = {
          ...(have.dpsig === sig ? {} : this.placement(txn, dps, sig, groups, dpRef, stats)),
          ...(have.hint === hint ? {} : { externalIds: flowExternalIds(parseFlowKey(`${k}\u0000${hint}`)) }),
        };
        txn.update("Logical_Flow", have.uuid as Uuid<"Logical_Flow">, update);
        have.dpsig = sig;
        have.hint = hint;
        stats.updated++;
      } else if (e !== undefined) {
        const where = this.placement(txn, dps, sig, groups, dpRef, stats);
        const f = parseFlowKey(`${k}\u0000${hint}`);
        const row: RowInput<Sb["Logical_Flow"]> = {
          ...where,
          pipeline: STAGES[f.stage].pipeline,
          tableId: STAGES[f.stage].table,
          priority: f.priority,
          match: f.match,
          actions: f.actions,
          tags: f.ioPort === "" ? new Map() : new Map([["in_out_port", f.ioPort]]),
          controllerMeter: f.ctrlMeter === "" ? undefined : f.ctrlMeter,
          externalIds: flowExternalIds(f),
        };
        pending.push([k, txn.insert("Logical_Flow", row)]);
        this.sbFlows.set(k, { uuid: "", dpsig: sig, hint });
        stats.inserted++;
      }
    }
    for (const k of removed) this.sbFlows.delete(k);
    this.dirty.clear();
    return {
      stats,
      commit: (resolve) => {
        for (const [k, placeholder] of pending) {
          const f = this.sbFlows.get(k);
          if (f !== undefined) f.uuid = resolve(placeholder);
        }
      },
    };
  }

  /** Marks everything for a rewrite check and forgets SB rows (after a failed transaction). */
  reset(): void {
    this.reconciled = false;
    this.sbFlows.clear();
  }

  private placement(
    txn: Txn<Sb>,
    dps: string[],
    sig: string,
    groupsOf: () => Map<string, string>,
    dpRef: (nbUuid: string) => string | undefined,
    stats: LflowSyncStats,
  ): RowInput<Sb["Logical_Flow"]> {
    if (dps.length === 1) {
      return {
        logicalDatapath: dpRef(dps[0] as string) as Uuid<"Datapath_Binding">,
        logicalDpGroup: undefined,
      };
    }
    const groups = groupsOf();
    let g = groups.get(sig);
    if (g === undefined) {
      g = txn.insert("Logical_DP_Group", {
        datapaths: dps.map((d) => dpRef(d) as Uuid<"Datapath_Binding">),
      });
      groups.set(sig, g);
      stats.groupsCreated++;
    }
    return { logicalDatapath: undefined, logicalDpGroup: g as Uuid<"Logical_DP_Group"> };
  }

  /** Existing Logical_DP_Group rows by datapath signature. */
  private groupIndex(sb: SbRows, nbOfSbDp: ReadonlyMap<string, string>): Map<string, string> {
    const out = new Map<string, string>();
    for (const g of sb.rows("Logical_DP_Group")) {
      const nbs: string[] = [];
      for (const d of g.datapaths) {
        const nb = nbOfSbDp.get(d);
        if (nb !== undefined) nbs.push(nb);
      }
      if (nbs.length === g.datapaths.length) out.set(dpSig(nbs), g._uuid);
    }
    return out;
  }
}
