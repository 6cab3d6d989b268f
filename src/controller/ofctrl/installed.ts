// The flow table as we last installed it on br-int.  Unknown after (re)connecting, when the next
// install replaces everything; known afterwards, when installs send only the difference.  The caller
// sends plan().messages as one atomic bundle and calls commit() only when it succeeded, so a failed
// bundle (applied all or nothing) leaves our record equal to the switch.
//
// The difference is found from the flows that changed, not by keying the whole table again: the
// desired flows come in as the same FlowMod objects pass after pass while they are unchanged
// (incremental/desired-cache.ts), so the flows added and removed since the last install are told by
// identity, and only their keys (table, priority, match) are looked at.  A key that more than one
// desired flow shares (the switch keeps the last one added) makes that plan a whole-table diff, which
// sorts such keys out as flowTable() does.  Pure.

import type { OfMessageBody } from "../../openflow/messages.js";
import type { FlowMod, GroupMod } from "../../openflow/model.js";
import {
  deleteStrict,
  diffMessages,
  diffTables,
  type FlowTable,
  flowKey,
  flowTable,
  flowValue,
} from "./diff.js";
import { fullReplaceMessages } from "./replace.js";

/** What is installed: the switch's flows and groups, and the desired flows they were made from. */
interface State {
  readonly flows: Map<string, FlowMod>;
  readonly groups: ReadonlyMap<number, GroupMod>;
  /** The desired flows of the last install as given, how often each object came, and how many
   * distinct objects have each key. */
  readonly list: readonly FlowMod[];
  readonly desired: Map<FlowMod, number>;
  /** The keys that more than one distinct desired flow has, with how many; every other key of `flows`
   * has one (kept apart: a count for each of ~10k keys was ~0.4 MiB for nothing). */
  readonly multi: Map<string, number>;
  /** Keys that several desired flows share (which one the switch holds depends on their order). */
  readonly shared: number;
}

export interface InstallPlan {
  /** Whole-table replace (first install on a connection) or an incremental diff. */
  readonly full: boolean;
  readonly messages: readonly OfMessageBody[];
  /** What commit() makes of the record (a whole new state, or changes to the one planned against). */
  readonly next:
    | { readonly kind: "state"; readonly state: State }
    /** A full replace: the record is made from these by prepare() or commit(). */
    | { readonly kind: "full"; readonly flows: readonly FlowMod[]; readonly groups: readonly GroupMod[] }
    | {
        readonly kind: "delta";
        readonly base: State;
        readonly list: readonly FlowMod[];
        /** Objects whose number of occurrences changed, with the new number. */
        readonly mult: ReadonlyMap<FlowMod, number>;
        readonly groups: ReadonlyMap<number, GroupMod>;
        /** Per changed key: the flow now installed under it (undefined: none) and its desired count. */
        readonly keys: ReadonlyMap<string, { readonly flow: FlowMod | undefined; readonly count: number }>;
      };
}

/** The state after installing `table`; `own`: the table is new and only this state will hold it. */
function stateOf(table: FlowTable, list: readonly FlowMod[], own = false): State {
  const seen = new Set<string>();
  const multi = new Map<string, number>();
  const desired = new Map<FlowMod, number>();
  for (const f of list) {
    const m = desired.get(f);
    desired.set(f, (m ?? 0) + 1);
    if (m !== undefined) continue;
    const k = flowKey(f);
    if (!seen.has(k)) seen.add(k);
    else multi.set(k, (multi.get(k) ?? 1) + 1);
  }
  const flows = own ? (table.flows as Map<string, FlowMod>) : new Map(table.flows);
  return { flows, groups: table.groups, list, desired, multi, shared: multi.size };
}

/** How many distinct desired flows have key `k`. */
function countOf(st: State, k: string): number {
  return st.multi.get(k) ?? (st.flows.has(k) ? 1 : 0);
}

/** How far ahead sequenceDelta looks for the two lists to line up again. */
const LOOKAHEAD = 16;

/**
 * The objects `next` has more or fewer times than `prev`, by how many: the lists are walked side by
 * side (the desired table keeps its order from pass to pass), so a change costs about its own size plus
 * one comparison per unchanged flow.
 */
function sequenceDelta(prev: readonly FlowMod[], next: readonly FlowMod[]): Map<FlowMod, number> {
  const delta = new Map<FlowMod, number>();
  const bump = (f: FlowMod, by: number) => delta.set(f, (delta.get(f) ?? 0) + by);
  let i = 0;
  let j = 0;
  while (i < next.length && j < prev.length) {
    if (next[i] === prev[j]) {
      i++;
      j++;
      continue;
    }
    let k = 1;
    while (k <= LOOKAHEAD && i + k < next.length && next[i + k] !== prev[j]) k++;
    if (k <= LOOKAHEAD && i + k < next.length) {
      for (; k > 0; k--) bump(next[i++] as FlowMod, 1); // inserted before prev[j]
      continue;
    }
    k = 1;
    while (k <= LOOKAHEAD && j + k < prev.length && prev[j + k] !== next[i]) k++;
    if (k <= LOOKAHEAD && j + k < prev.length) {
      for (; k > 0; k--) bump(prev[j++] as FlowMod, -1); // removed before next[i]
      continue;
    }
    bump(next[i++] as FlowMod, 1);
    bump(prev[j++] as FlowMod, -1);
  }
  for (; i < next.length; i++) bump(next[i] as FlowMod, 1);
  for (; j < prev.length; j++) bump(prev[j] as FlowMod, -1);
  return delta;
}

/** The group as an add (the same object when it is one already, so unchanged groups compare by identity). */
const asAdd = (g: GroupMod): GroupMod => (g.command === "add" ? g : { ...g, command: "add" });

export class InstalledTable {
  private state: State | undefined;
  /** Plans that diffed the whole tables (a key shared by several flows), for tests and status. */
  wholeDiffs = 0;

  /** Forgets the switch's contents (new connection): the next plan is a full replace. */
  reset(): void {
    this.state = undefined;
  }

  get known(): boolean {
    return this.state !== undefined;
  }

  plan(flows: readonly FlowMod[], groups: readonly GroupMod[]): InstallPlan {
    const st = this.state;
    if (st === undefined) {
      // Every flow as given, in order: of several with one key the switch keeps the last added, as
      // flowTable() does, so no key is needed to send them -- the record is made by prepare() while the
      // switch applies the bundle.
      const byId = new Map(groups.map((g) => [g.groupId, g]));
      return {
        full: true,
        messages: fullReplaceMessages([...byId.values()], flows),
        next: { kind: "full", flows, groups },
      };
    }
    return this.incremental(st, flows, groups) ?? this.wholeDiff(st, flows, groups);
  }

  /** The diff of the whole tables (flowTable order decides keys that several flows share). */
  private wholeDiff(st: State, flows: readonly FlowMod[], groups: readonly GroupMod[]): InstallPlan {
    this.wholeDiffs++;
    const table = flowTable(flows, groups);
    const messages = diffMessages(diffTables({ flows: st.flows, groups: st.groups }, table));
    return { full: false, messages, next: { kind: "state", state: stateOf(table, flows, true) } };
  }

  /** The diff from the flows added and removed since the last install; undefined for a shared key. */
  private incremental(
    st: State,
    flows: readonly FlowMod[],
    groups: readonly GroupMod[],
  ): InstallPlan | undefined {
    // With keys shared, the order of the flows (and of repeats of one flow) decides what the switch
    // holds, which identity does not tell.
    if (st.shared > 0) return undefined;
    const mult = new Map<FlowMod, number>();
    const touched = new Map<string, { removed: number; added: FlowMod[] }>();
    const touch = (f: FlowMod) => {
      const k = flowKey(f);
      let t = touched.get(k);
      if (t === undefined) {
        t = { removed: 0, added: [] };
        touched.set(k, t);
      }
      return t;
    };
    for (const [f, d] of sequenceDelta(st.list, flows)) {
      if (d === 0) continue;
      const before = st.desired.get(f) ?? 0;
      const after = before + d;
      mult.set(f, after);
      if (before === 0) {
        if (f.command !== "add") return undefined;
        touch(f).added.push(f);
      } else if (after === 0) touch(f).removed++;
    }

    const deleteFlows: FlowMod[] = [];
    const addFlows: FlowMod[] = [];
    const modifyFlows: FlowMod[] = [];
    const keys = new Map<string, { flow: FlowMod | undefined; count: number }>();
    for (const [k, t] of touched) {
      const count = countOf(st, k) - t.removed + t.added.length;
      const old = st.flows.get(k);
      if (count === 0) {
        if (old !== undefined) deleteFlows.push(deleteStrict(old));
        keys.set(k, { flow: undefined, count });
        continue;
      }
      // Several desired flows under one key, or the one left is not a new one: whole-table diff.
      const f = t.added[0];
      if (count > 1 || t.added.length !== 1 || f === undefined) return undefined;
      if (old === undefined) addFlows.push(f);
      else if (old !== f && flowValue(old) !== flowValue(f))
        // modify_strict leaves the cookie alone (OpenFlow 1.1+), so a new cookie needs an add.
        modifyFlows.push(old.cookie === f.cookie ? { ...f, command: "modify_strict" } : f);
      keys.set(k, { flow: f, count });
    }
    const newGroups = new Map(groups.map((g) => [g.groupId, asAdd(g)]));
    const g = diffTables({ flows: new Map(), groups: st.groups }, { flows: new Map(), groups: newGroups });
    const messages = diffMessages({ ...g, deleteFlows, addFlows, modifyFlows });
    return {
      full: false,
      messages,
      next: { kind: "delta", base: st, list: flows, mult, groups: newGroups, keys },
    };
  }

  /** Records made ahead by prepare(), by plan. */
  private readonly prepared = new WeakMap<InstallPlan, State>();

  /**
   * Makes a full plan's record now (keying every flow: ~50 ms at 10k flows), for a caller that has just
   * sent the plan's messages and would otherwise wait idle for the switch to apply them.
   */
  prepare(p: InstallPlan): void {
    const n = p.next;
    if (n.kind !== "full" || this.prepared.has(p)) return;
    this.prepared.set(p, stateOf(flowTable(n.flows, n.groups), n.flows, true));
  }

  commit(p: InstallPlan): void {
    const n = p.next;
    if (n.kind === "state") {
      this.state = n.state;
      return;
    }
    if (n.kind === "full") {
      this.prepare(p);
      this.state = this.prepared.get(p);
      return;
    }
    // A plan made against another record than the current one cannot be applied: start again.
    if (n.base !== this.state) {
      this.state = undefined;
      return;
    }
    const st = n.base;
    for (const [k, { flow, count }] of n.keys) {
      if (flow === undefined) st.flows.delete(k);
      else st.flows.set(k, flow);
      // A delta leaves no key with more than one flow (incremental() gives those to wholeDiff).
      st.multi.delete(k);
    }
    for (const [f, m] of n.mult) {
      if (m === 0) st.desired.delete(f);
      else st.desired.set(f, m);
    }
    // A delta never leaves a shared key (incremental() hands those to wholeDiff).
    this.state = {
      flows: st.flows,
      groups: n.groups,
      list: n.list,
      desired: st.desired,
      multi: st.multi,
      shared: 0,
    };
  }
}
