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
//
// The desired flows may be kept in another form than FlowMod (the agent hands in the compiler's Flow
// objects): the table is given the conversion, and FlowMods are made only for what is sent and to key
// and compare flows, then dropped.  Keeping a FlowMod beside every compiled flow cost ~2 MiB at the
// controller benchmark (M, 9.5k flows) for nothing the flow itself does not say.

import type { MessageList } from "../../openflow/conn.js";
import type { FlowMod, GroupMod } from "../../openflow/model.js";
import { deleteStrict, diffMessages, diffTables, flowKey, flowKeyText, flowValue } from "./diff.js";
import { fullReplaceList } from "./replace.js";

/** What is installed: the switch's flows and groups, and the desired flows they were made from. */
interface State<F> {
  readonly flows: Map<string, F>;
  readonly groups: ReadonlyMap<number, GroupMod>;
  /** The desired flows of the last install as given, and how often each object that came more than
   * once came (one that is in `list` is the flow of its key in `flows` while no key is shared: a count
   * for each of ~10k flows was ~0.45 MiB). */
  readonly list: readonly F[];
  readonly repeats: Map<F, number>;
  /** The keys that more than one distinct desired flow has, with how many; every other key of `flows`
   * has one (kept apart: a count for each of ~10k keys was ~0.4 MiB for nothing). */
  readonly multi: Map<string, number>;
  /** Keys that several desired flows share (which one the switch holds depends on their order). */
  readonly shared: number;
}

export interface InstallPlan<F = FlowMod> {
  /** Whole-table replace (first install on a connection) or an incremental diff. */
  readonly full: boolean;
  /** To send in one bundle, in order (a full replace makes each when asked: replace.ts fullReplaceList). */
  readonly messages: MessageList;
  /** What commit() makes of the record (a whole new state, or changes to the one planned against). */
  readonly next:
    | { readonly kind: "state"; readonly state: State<F> }
    /** A full replace: the record is made from these by prepare() or commit(). */
    | { readonly kind: "full"; readonly flows: readonly F[]; readonly groups: readonly GroupMod[] }
    | {
        readonly kind: "delta";
        readonly base: State<F>;
        readonly list: readonly F[];
        /** Objects whose number of occurrences changed, with the new number. */
        readonly mult: ReadonlyMap<F, number>;
        readonly groups: ReadonlyMap<number, GroupMod>;
        /** Per changed key: the flow now installed under it (undefined: none) and its desired count. */
        readonly keys: ReadonlyMap<string, { readonly flow: F | undefined; readonly count: number }>;
      };
}

/** The groups by id, as adds. */
function groupTable(groups: readonly GroupMod[]): Map<number, GroupMod> {
  return new Map(groups.map((g) => [g.groupId, asAdd(g)]));
}

/** How many distinct desired flows have key `k`. */
function countOf<F>(st: State<F>, k: string): number {
  return st.multi.get(k) ?? (st.flows.has(k) ? 1 : 0);
}

/** How far ahead sequenceDelta looks for the two lists to line up again. */
const LOOKAHEAD = 16;

/**
 * The objects `next` has more or fewer times than `prev`, by how many: the lists are walked side by
 * side (the desired table keeps its order from pass to pass), so a change costs about its own size plus
 * one comparison per unchanged flow.
 */
function sequenceDelta<F>(prev: readonly F[], next: readonly F[]): Map<F, number> {
  const delta = new Map<F, number>();
  const bump = (f: F, by: number) => delta.set(f, (delta.get(f) ?? 0) + by);
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
      for (; k > 0; k--) bump(next[i++] as F, 1); // inserted before prev[j]
      continue;
    }
    k = 1;
    while (k <= LOOKAHEAD && j + k < prev.length && prev[j + k] !== next[i]) k++;
    if (k <= LOOKAHEAD && j + k < prev.length) {
      for (; k > 0; k--) bump(prev[j++] as F, -1); // removed before next[i]
      continue;
    }
    bump(next[i++] as F, 1);
    bump(prev[j++] as F, -1);
  }
  for (; i < next.length; i++) bump(next[i] as F, 1);
  for (; j < prev.length; j++) bump(prev[j] as F, -1);
  return delta;
}

/** The group as an add (the same object when it is one already, so unchanged groups compare by identity). */
const asAdd = (g: GroupMod): GroupMod => (g.command === "add" ? g : { ...g, command: "add" });

/**
 * The record of what br-int holds.  `F` is the form the desired flows come in and `toMod` turns one
 * into its FlowMod (FlowMods themselves by default); a flow's FlowMod is made again whenever it is
 * needed (to send it, or to key a flow the first time), so only the flows given are kept.
 */
export class InstalledTable<F extends object = FlowMod> {
  private st: State<F> | undefined;
  /** A full replace committed whose record is not made yet (keying ~10k flows: ~40 ms and their
   * garbage), made when first needed (state) so the pass that installed it is not held up by it. */
  private deferred: { readonly flows: readonly F[]; readonly groups: readonly GroupMod[] } | undefined;

  /** The record of what the switch holds (made now from a full replace committed earlier). */
  private get state(): State<F> | undefined {
    const d = this.deferred;
    if (d !== undefined) {
      this.deferred = undefined;
      this.st = this.prepared.get(d) ?? this.stateOf(d.flows, groupTable(d.groups));
    }
    return this.st;
  }

  private set state(s: State<F> | undefined) {
    this.deferred = undefined;
    this.st = s;
  }
  /** Plans that diffed the whole tables (a key shared by several flows), for tests and status. */
  wholeDiffs = 0;
  constructor(private readonly toMod: (f: F) => FlowMod = (f) => f as unknown as FlowMod) {}

  /** Forgets the switch's contents (new connection): the next plan is a full replace. */
  reset(): void {
    this.state = undefined;
  }

  get known(): boolean {
    return this.st !== undefined || this.deferred !== undefined;
  }

  /**
   * A flow's key, made again when asked for (a FlowMod given as itself keeps it where flowKey remembers
   * it, diff.ts): past an install only the flows that change are keyed, and remembering a key for every
   * flow held cost ~0.25 MiB at 10k flows.
   */
  private key(f: F): string {
    const m = this.toMod(f);
    return m === (f as unknown) ? flowKey(m) : flowKeyText(m);
  }

  /** As an add (the same object when the FlowMod is one already). */
  private add(f: F): FlowMod {
    const m = this.toMod(f);
    return m.command === "add" ? m : { ...m, command: "add" };
  }

  plan(flows: readonly F[], groups: readonly GroupMod[]): InstallPlan<F> {
    const st = this.state;
    if (st === undefined) {
      // Every flow as given, in order: of several with one key the switch keeps the last added, as
      // flowTable() does, so no key is needed to send them -- the record is made when it is first
      // needed (the next plan), not while the pass that installs them still has claims to write.
      const byId = new Map(groups.map((g) => [g.groupId, g]));
      return {
        full: true,
        messages: fullReplaceList([...byId.values()], flows, this.toMod),
        next: { kind: "full", flows, groups },
      };
    }
    return this.incremental(st, flows, groups) ?? this.wholeDiff(st, flows, groups);
  }

  /**
   * The state after installing `list` (in order) and `groups`: the flows by key, a later flow with the
   * same key replacing an earlier one (as flowTable()), each distinct object keyed once.
   */
  private stateOf(list: readonly F[], groups: ReadonlyMap<number, GroupMod>): State<F> {
    const flows = new Map<string, F>();
    const multi = new Map<string, number>();
    const repeats = new Map<F, number>();
    const keyOf = new Map<F, string>();
    for (const f of list) {
      let k = keyOf.get(f);
      if (k === undefined) {
        k = this.key(f);
        keyOf.set(f, k);
        // Another object with this key already: the key is shared.
        if (flows.has(k)) multi.set(k, (multi.get(k) ?? 1) + 1);
      } else repeats.set(f, (repeats.get(f) ?? 1) + 1);
      flows.set(k, f);
    }
    return { flows, groups, list, repeats, multi, shared: multi.size };
  }

  /** The diff of the whole tables (the table's order decides keys that several flows share). */
  private wholeDiff(st: State<F>, flows: readonly F[], groups: readonly GroupMod[]): InstallPlan<F> {
    this.wholeDiffs++;
    const newGroups = groupTable(groups);
    const state = this.stateOf(flows, newGroups);
    const next = state.flows;
    const g = diffTables({ flows: new Map(), groups: st.groups }, { flows: new Map(), groups: newGroups });
    const deleteFlows: FlowMod[] = [];
    const addFlows: FlowMod[] = [];
    const modifyFlows: FlowMod[] = [];
    for (const [k, f] of st.flows) if (!next.has(k)) deleteFlows.push(deleteStrict(this.toMod(f)));
    for (const [k, f] of next) {
      const old = st.flows.get(k);
      if (old === undefined) addFlows.push(this.add(f));
      else if (old !== f) this.modify(old, f, modifyFlows);
    }
    const messages = diffMessages({ ...g, deleteFlows, addFlows, modifyFlows });
    return { full: false, messages, next: { kind: "state", state } };
  }

  /** Adds to `out` what turns installed flow `old` into `f` (same key), if they differ. */
  private modify(old: F, f: F, out: FlowMod[]): void {
    const o = this.toMod(old);
    const m = this.toMod(f);
    if (flowValue(o) === flowValue(m)) return;
    // modify_strict leaves the cookie alone (OpenFlow 1.1+), so a new cookie needs an add, which
    // replaces the flow of the same table/priority/match whole.
    out.push(o.cookie === m.cookie ? { ...m, command: "modify_strict" } : { ...m, command: "add" });
  }

  /** The diff from the flows added and removed since the last install; undefined for a shared key. */
  private incremental(
    st: State<F>,
    flows: readonly F[],
    groups: readonly GroupMod[],
  ): InstallPlan<F> | undefined {
    // With keys shared, the order of the flows (and of repeats of one flow) decides what the switch
    // holds, which identity does not tell.
    if (st.shared > 0) return undefined;
    const mult = new Map<F, number>();
    const touched = new Map<string, { removed: number; added: F[] }>();
    const touch = (k: string) => {
      let t = touched.get(k);
      if (t === undefined) {
        t = { removed: 0, added: [] };
        touched.set(k, t);
      }
      return t;
    };
    for (const [f, d] of sequenceDelta(st.list, flows)) {
      if (d === 0) continue;
      // No key is shared (checked above), so an object of the list is the flow of its key.
      const k = this.key(f);
      const before = st.flows.get(k) === f ? (st.repeats.get(f) ?? 1) : 0;
      const after = before + d;
      mult.set(f, after);
      if (before === 0) {
        if (this.toMod(f).command !== "add") return undefined;
        touch(k).added.push(f);
      } else if (after === 0) touch(k).removed++;
    }

    const deleteFlows: FlowMod[] = [];
    const addFlows: FlowMod[] = [];
    const modifyFlows: FlowMod[] = [];
    const keys = new Map<string, { flow: F | undefined; count: number }>();
    for (const [k, t] of touched) {
      const count = countOf(st, k) - t.removed + t.added.length;
      const old = st.flows.get(k);
      if (count === 0) {
        if (old !== undefined) deleteFlows.push(deleteStrict(this.toMod(old)));
        keys.set(k, { flow: undefined, count });
        continue;
      }
      // Several desired flows under one key, or the one left is not a new one: whole-table diff.
      const f = t.added[0];
      if (count > 1 || t.added.length !== 1 || f === undefined) return undefined;
      if (old === undefined) addFlows.push(this.add(f));
      else if (old !== f) this.modify(old, f, modifyFlows);
      keys.set(k, { flow: f, count });
    }
    const newGroups = groupTable(groups);
    const g = diffTables({ flows: new Map(), groups: st.groups }, { flows: new Map(), groups: newGroups });
    const messages = diffMessages({ ...g, deleteFlows, addFlows, modifyFlows });
    return {
      full: false,
      messages,
      next: { kind: "delta", base: st, list: flows, mult, groups: newGroups, keys },
    };
  }

  /** Records made ahead by prepare(), by the full plan's flows and groups. */
  private readonly prepared = new WeakMap<object, State<F>>();

  /**
   * Makes a full plan's record now (keying every flow: ~40 ms at 10k flows) rather than when the next
   * plan needs it, e.g. in idle time after the install.
   */
  prepare(p: InstallPlan<F>): void {
    const n = p.next;
    if (n.kind !== "full" || this.prepared.has(n)) return;
    this.prepared.set(n, this.stateOf(n.flows, groupTable(n.groups)));
  }

  /** Makes the record of a committed full replace now if it is still to be made (idle time). */
  settle(): void {
    void this.state;
  }

  commit(p: InstallPlan<F>): void {
    const n = p.next;
    if (n.kind === "state") {
      this.state = n.state;
      return;
    }
    if (n.kind === "full") {
      const made = this.prepared.get(n);
      if (made !== undefined) this.state = made;
      else {
        this.st = undefined;
        this.deferred = n;
      }
      return;
    }
    // A plan made against another record than the current one cannot be applied: start again.
    if (n.base !== this.state) {
      this.state = undefined;
      return;
    }
    const st = n.base;
    for (const [k, { flow }] of n.keys) {
      if (flow === undefined) st.flows.delete(k);
      else st.flows.set(k, flow);
      // A delta leaves no key with more than one flow (incremental() gives those to wholeDiff).
      st.multi.delete(k);
    }
    for (const [f, m] of n.mult) {
      if (m > 1) st.repeats.set(f, m);
      else st.repeats.delete(f);
    }
    // A delta never leaves a shared key (incremental() hands those to wholeDiff).
    this.state = {
      flows: st.flows,
      groups: n.groups,
      list: n.list,
      repeats: st.repeats,
      multi: st.multi,
      shared: 0,
    };
  }
}
