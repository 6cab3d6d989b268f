// The logical-flow compiler with a memory: compileLogicalFlows (lflow/index.ts) over a series of
// Southbound views, recompiling a (logical flow, datapath) pair only when something it depends on
// changed.  What a compile depends on is recorded while it runs — every lookup through its datapath's
// DatapathLookups (address sets, port groups, port keys, chassis residency) with its answer — so the
// memory is exact: a pair is reused only when the flow's text, the datapath and every recorded answer
// are the same in the new view, and then a recompile would give the same flows (DatapathLookups'
// contract).  Ids (conjunctions, groups, meters) come from one IdAllocators kept for the cache's
// life, so reused flows keep theirs.  Pure: views in, flows out.
import type { DhcpOptionDef } from "../../actions/index.js";
import { UnsupportedAction } from "../lflow/actions.js";
import { IdAllocators } from "../lflow/alloc.js";
import { compileForDatapath, NO_COLLECTOR_SETS } from "../lflow/compile.js";
import {
  type ChassisContext,
  chassisContext,
  type DatapathLookups,
  datapathContext,
} from "../lflow/context.js";
import type { Flow, Group } from "../lflow/flow.js";
import { type LflowOutput, mergeFlows } from "../lflow/index.js";
import type { SbDatapath, SbLogicalFlow, SbView } from "../lflow/sb.js";
import { FlowInterner } from "./intern.js";

/** Pairs are coded as flowIndex * POS + the datapath's position in the flow (see localPairs). */
const POS = 2 ** 20;

/** One recorded lookup and the answer it got (arrays as a joined string). */
type Dep =
  | { readonly kind: "addressSet" | "portGroup"; readonly name: string; readonly value: string | undefined }
  | { readonly kind: "portKey"; readonly name: string; readonly value: number | undefined }
  | { readonly kind: "resident"; readonly name: string; readonly value: boolean };

interface Entry {
  readonly lflow: SbLogicalFlow;
  readonly datapath: SbDatapath;
  readonly deps: readonly Dep[];
  readonly groups: readonly number[];
  readonly flows: readonly Flow[];
  readonly error: string | undefined;
}

export interface LflowCacheStats {
  /** (flow, datapath) pairs reused and compiled in the last run. */
  readonly reused: number;
  readonly compiled: number;
}

const sameLflow = (a: SbLogicalFlow, b: SbLogicalFlow): boolean =>
  a === b ||
  (a.match === b.match &&
    a.actions === b.actions &&
    a.pipeline === b.pipeline &&
    a.table === b.table &&
    a.priority === b.priority &&
    a.controllerMeter === b.controllerMeter);

const sameDatapath = (a: SbDatapath, b: SbDatapath): boolean =>
  a === b || (a.tunnelKey === b.tunnelKey && a.isRouter === b.isRouter && a.name === b.name);

const listKey = (xs: readonly string[] | undefined): string | undefined =>
  xs === undefined ? undefined : xs.join("\n");

/** The DHCP option catalogues as one string: a change there (rare) invalidates everything. */
function catalogueKey(view: SbView): string {
  const one = (rows: SbView["dhcpv4Options"]) =>
    rows
      .map((r) => `${r.name}/${r.code}/${r.type}`)
      .sort()
      .join(",");
  return `${one(view.dhcpv4Options)};${one(view.dhcpv6Options)}`;
}

/** Answers of one view's lookups, each list joined once per run however many flows ask. */
class Answers {
  private readonly lists = new Map<string, string | undefined>();
  constructor(private readonly ctx: ChassisContext) {}

  private list(
    kind: "addressSet" | "portGroup",
    l: DatapathLookups,
    dp: string,
    name: string,
  ): string | undefined {
    // Address sets are global; port groups are per datapath.
    const k = kind === "addressSet" ? `a ${name}` : `p ${dp} ${name}`;
    if (this.lists.has(k)) return this.lists.get(k);
    const v = listKey(kind === "addressSet" ? l.addressSet(name) : l.portGroup(name));
    this.lists.set(k, v);
    return v;
  }

  /** Whether every recorded answer is still the same for datapath `dp`. */
  same(dp: string, deps: readonly Dep[]): boolean {
    const l = this.ctx.datapathLookups(dp);
    if (l === undefined) return false;
    for (const d of deps) {
      switch (d.kind) {
        case "addressSet":
        case "portGroup":
          if (this.list(d.kind, l, dp, d.name) !== d.value) return false;
          break;
        case "portKey":
          if (l.portKey(d.name) !== d.value) return false;
          break;
        case "resident":
          if (l.isChassisResident(d.name) !== d.value) return false;
          break;
      }
    }
    return true;
  }
}

/**
 * Lookups that write down what they were asked and answered.  Names and joined lists go through
 * `str` (one string for each distinct one): every compile parses its own copy of a name, and the
 * ~2.4k pairs at the controller benchmark's M held ~6.6k such strings.
 */
function recording(l: DatapathLookups, deps: Dep[], str: (s: string) => string): DatapathLookups {
  const list = (v: readonly string[] | undefined) => {
    const k = listKey(v);
    return k === undefined ? undefined : str(k);
  };
  return {
    addressSet: (name) => {
      const v = l.addressSet(name);
      deps.push({ kind: "addressSet", name: str(name), value: list(v) });
      return v;
    },
    portGroup: (name) => {
      const v = l.portGroup(name);
      deps.push({ kind: "portGroup", name: str(name), value: list(v) });
      return v;
    },
    portKey: (name) => {
      const v = l.portKey(name);
      deps.push({ kind: "portKey", name: str(name), value: v });
      return v;
    },
    isChassisResident: (name) => {
      const v = l.isChassisResident(name);
      deps.push({ kind: "resident", name: str(name), value: v });
      return v;
    },
    dhcpv4: l.dhcpv4 as ReadonlyMap<string, DhcpOptionDef>,
    dhcpv6: l.dhcpv6 as ReadonlyMap<string, DhcpOptionDef>,
  };
}

export class LflowCache {
  /** By pairKey(flow uuid, datapath uuid). */
  private entries = new Map<string, Entry>();
  private readonly alloc = new IdAllocators();
  private groupsById = new Map<number, Group>();
  private catalogue: string | undefined;
  private local: ReadonlySet<string> = new Set();
  private last: LflowCacheStats = { reused: 0, compiled: 0 };
  /** Positions of the local datapaths in a datapaths array, by the array (see localPositions). */
  private readonly arrayPositions = new WeakMap<
    readonly string[],
    { readonly localKey: string; readonly pos: readonly number[] }
  >();
  private readonly positions = new WeakMap<
    SbLogicalFlow,
    { localKey: string; pos: readonly number[]; keys: readonly string[] }
  >();
  private index:
    | { flows: readonly SbLogicalFlow[]; localKey: string; codes: number[]; keys: string[] }
    | undefined;

  /** One object per distinct match field (~31k fields of 2.5k values at M) and common action. */
  private readonly parts = new FlowInterner();
  /** One string per distinct lookup name or answer the entries record (emptied with `parts`). */
  private readonly strings = new Map<string, string>();
  private readonly str = (s: string): string => {
    const x = this.strings.get(s);
    if (x !== undefined) return x;
    this.strings.set(s, s);
    return s;
  };

  /** Forgets everything but the ids (they must stay stable while flows using them are installed). */
  clear(): void {
    this.entries = new Map();
    this.parts.clear();
    this.strings.clear();
  }

  /**
   * Forgets the interned parts (their keys are ~0.7 MiB at M): once the start-up compile is done, the
   * few flows compiled afresh per pass need not share with those held.
   */
  trim(): void {
    this.parts.clear();
    this.strings.clear();
  }

  /** The local datapaths of the last compile (what lflow's localDatapaths(view, chassis) gives). */
  get localDatapaths(): ReadonlySet<string> {
    return this.local;
  }

  /** The meters the compiled flows were given ids for (by name). */
  meterList(): { id: number; name: string }[] {
    return this.alloc.meterList();
  }

  /** Compiled (logical flow, datapath) pairs held. */
  get size(): number {
    return this.entries.size;
  }

  get stats(): LflowCacheStats {
    return this.last;
  }

  /** The same flows, groups and errors as compileLogicalFlows(view, chassis), reusing earlier work. */
  compile(view: SbView, chassis: string): LflowOutput {
    const cat = catalogueKey(view);
    if (cat !== this.catalogue) {
      this.clear();
      this.catalogue = cat;
    }
    const ctx = chassisContext(view, chassis);
    const answers = new Answers(ctx);
    const pairs = this.localPairs(view.flows, ctx);
    // The entries are updated in place (a changed Logical_Flow table mostly keeps its flows); those
    // of pairs gone are dropped when they make up a good part of the map.
    const next = this.entries;
    const flows: Flow[] = [];
    const errors: string[] = [];
    const usedGroups = new Set<number>();
    let reused = 0;
    let compiled = 0;
    for (let i = 0; i < pairs.codes.length; i++) {
      const code = pairs.codes[i] as number;
      const lf = view.flows[Math.floor(code / POS)] as SbLogicalFlow;
      const uuid = lf.datapaths[code % POS] as string;
      // As compileLogicalFlow: port-specific flows only where the port is.
      if (lf.inOutPort !== null && !ctx.portRelevant(lf.inOutPort)) continue;
      const key = pairs.keys[i] as string;
      const old = this.entries.get(key);
      let e = old !== undefined && this.stillValid(old, lf, uuid, ctx, answers) ? old : undefined;
      if (e !== undefined) reused++;
      else {
        e = this.compileOne(ctx, lf, uuid);
        if (e === undefined) continue;
        compiled++;
      }
      if (e !== old) next.set(key, e);
      for (const f of e.flows) flows.push(f);
      for (const g of e.groups) usedGroups.add(g);
      if (e.error !== undefined) errors.push(e.error);
    }
    if (next.size > 1.5 * pairs.keys.length + 1000) {
      const current = new Set(pairs.keys);
      for (const k of next.keys()) if (!current.has(k)) next.delete(k);
    }
    this.last = { reused, compiled };
    // Fields no flow uses any more stay interned; bounded for a long-running churn (clearing only
    // stops new flows sharing with the ones held).
    if (this.parts.size > 4 * flows.length + 10_000) this.parts.clear();
    if (this.strings.size > 4 * pairs.keys.length + 10_000) this.strings.clear();
    this.local = ctx.localDatapaths;
    const groups = [...usedGroups]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const g = this.groupsById.get(id);
        return g === undefined ? [] : [g];
      });
    return { flows: mergeFlows(flows), groups, errors };
  }

  /**
   * The (flow, datapath) pairs to compile, for the local datapaths only, in the order
   * compileLogicalFlows visits them (flow by flow, each flow's datapaths in order), as
   * flowIndex * POS + position in the flow's datapaths (already in that order).  Made again only when
   * the flows array is a new one (sbViewFromTables with a memo keeps it while Logical_Flow is unchanged)
   * or the local datapaths changed.
   */
  private localPairs(
    flows: readonly SbLogicalFlow[],
    ctx: ChassisContext,
  ): { codes: readonly number[]; keys: readonly string[]; reused: boolean } {
    const local = ctx.localDatapaths;
    const localKey = [...local].sort().join(" ");
    if (this.index?.flows === flows && this.index.localKey === localKey)
      return { codes: this.index.codes, keys: this.index.keys, reused: true };
    // Only the local datapaths' pairs: flows of datapath groups can name hundreds of datapaths each.
    const codes: number[] = [];
    const keys: string[] = [];
    flows.forEach((lf, i) => {
      const at = this.localPositions(lf, local, localKey);
      for (let k = 0; k < at.pos.length; k++) {
        codes.push(i * POS + (at.pos[k] as number));
        keys.push(at.keys[k] as string);
      }
    });
    this.index = { flows, localKey, codes, keys };
    return { codes, keys, reused: false };
  }

  /** Positions of the local datapaths in a flow's datapaths and the pairs' keys, remembered per flow
   * object (a changed Logical_Flow table then costs only its new flows). */
  private localPositions(
    lf: SbLogicalFlow,
    local: ReadonlySet<string>,
    localKey: string,
  ): { readonly pos: readonly number[]; readonly keys: readonly string[] } {
    const hit = this.positions.get(lf);
    if (hit !== undefined && hit.localKey === localKey) return hit;
    // The flows of one datapath group share its array (lflow/sb.ts): its local positions are found once.
    let where = this.arrayPositions.get(lf.datapaths);
    if (where?.localKey !== localKey) {
      const found: number[] = [];
      for (let i = 0; i < lf.datapaths.length; i++) if (local.has(lf.datapaths[i] as string)) found.push(i);
      where = { localKey, pos: found };
      this.arrayPositions.set(lf.datapaths, where);
    }
    const pos = where.pos;
    const keys = pos.map((i) => pairKey(lf.uuid, lf.datapaths[i] as string));
    const at = { localKey, pos, keys };
    this.positions.set(lf, at);
    return at;
  }

  /** Whether a remembered compile of `lf` for datapath `uuid` is what compiling it now would give. */
  private stillValid(
    e: Entry,
    lf: SbLogicalFlow,
    uuid: string,
    ctx: ChassisContext,
    answers: Answers,
  ): boolean {
    const cur = datapathOf(ctx, uuid);
    return (
      sameLflow(e.lflow, lf) &&
      cur !== undefined &&
      sameDatapath(e.datapath, cur) &&
      answers.same(uuid, e.deps)
    );
  }

  private compileOne(ctx: ChassisContext, lf: SbLogicalFlow, uuid: string): Entry | undefined {
    const l = ctx.datapathLookups(uuid);
    const datapath = datapathOf(ctx, uuid);
    if (l === undefined || datapath === undefined) return undefined;
    const deps: Dep[] = [];
    const groups: number[] = [];
    const alloc = {
      // No Flow_Sample_Collector_Set known, as ovn-controller 23.03 after its start: sample actions to
      // a collector set encode to nothing (findings s8 #2, #11).
      collectorSetIds: NO_COLLECTOR_SETS,
      conjIds: (f: string, d: string, n: number) => this.alloc.conjIds(f, d, n),
      meterId: (name: string) => this.alloc.meterId(name),
      groupId: (g: Omit<Group, "id">) => {
        const id = this.alloc.groupId(g);
        if (!this.groupsById.has(id)) this.groupsById.set(id, { id, ...g });
        groups.push(id);
        return id;
      },
    };
    try {
      const compiled = compileForDatapath(lf, datapathContext(datapath, recording(l, deps, this.str)), alloc);
      const flows = compiled.map((f) => this.parts.flow(f));
      return {
        lflow: lf,
        datapath,
        deps: shareEmpty(deps),
        groups: shareEmpty(groups),
        flows,
        error: undefined,
      };
    } catch (e) {
      const why = e instanceof UnsupportedAction ? `unsupported action ${e.message}` : String(e);
      const error = `${lf.uuid} (${lf.pipeline} ${lf.table} ${lf.priority}): ${why}`;
      return { lflow: lf, datapath, deps, groups, flows: [], error };
    }
  }
}

/**
 * The key of a (logical flow, datapath) pair: the two uuids joined, without a separator when the first
 * has a uuid's fixed length (the key is then one 32-byte ConsString instead of two; ~5k keys at M).
 */
function pairKey(flow: string, datapath: string): string {
  return flow.length === 36 ? flow + datapath : `${flow} ${datapath}`;
}

/** One empty array for every entry without deps or groups (most have no groups). */
const EMPTY: readonly never[] = Object.freeze([]);
const shareEmpty = <T>(xs: readonly T[]): readonly T[] => (xs.length === 0 ? EMPTY : xs);

function datapathOf(ctx: ChassisContext, uuid: string): SbDatapath | undefined {
  return ctx.datapath(uuid)?.datapath;
}
