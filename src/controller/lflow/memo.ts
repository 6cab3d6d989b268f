// Memory of the datapath-independent part of compiling logical flows.
//
// The same match and action texts recur across logical flows and, through datapath groups, across the
// datapaths of one flow: at the benchmark's M topology 2428 (flow, datapath) compiles have 1260
// distinct matches, `nd || nd_ra || nd_rs || mldv1 || mldv2` alone costing ~2 ms each time it is
// normalised.  What a match or action list compiles to depends on its text, where the flow sits in the
// pipeline and the answers the datapath's lookups give (address sets, port groups, port keys, chassis
// residency).  So a result is remembered together with every lookup it made and the answer it got, and
// is reused only where the same lookups answer the same: the result is then the one a fresh compile
// would give (DatapathLookups' contract).  Reusing a result replays its lookups through the datapath's
// context, so a caller that records lookups (the incremental cache) still sees every one.
//
// Bounded: two generations of at most GENERATION keys; when the young one fills, the old one is dropped.
// The flows of one logical flow are compiled datapath after datapath, so the useful reuse is close by.
// And short-lived: a memo belongs to one compile run (`run`, an object the run's lookups share, held
// weakly), so a settled controller does not keep the start-up compile's parse results (3 MiB at the M
// benchmark) once the run's context is gone.

import type { ExprContext } from "../../expr/parser.js";
import type { MatchLookups } from "./matches.js";

/** One lookup a compile made and its answer. */
export type MemoDep =
  | {
      readonly kind: "addressSet" | "portGroup";
      readonly name: string;
      readonly value: readonly string[] | undefined;
    }
  | { readonly kind: "portKey"; readonly name: string; readonly value: number | undefined }
  | { readonly kind: "resident"; readonly name: string; readonly value: boolean };

/** The lookups of a datapath context, as what a compile may call. */
export interface MemoLookups extends MatchLookups {
  readonly expr: ExprContext;
}

const GENERATION = 2048;

interface Variant<T> {
  readonly deps: readonly MemoDep[];
  readonly tags: readonly unknown[];
  readonly value: T;
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const sameTags = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether each lookup, asked again through `l`, answers as recorded. */
function replay(deps: readonly MemoDep[], l: MemoLookups): boolean {
  for (const d of deps) {
    switch (d.kind) {
      case "addressSet":
        if (!sameList(l.expr.addressSets?.(d.name), d.value)) return false;
        break;
      case "portGroup":
        if (!sameList(l.expr.portGroups?.(d.name), d.value)) return false;
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

/** `l` with every lookup written down in `deps`. */
export function recordingLookups(l: MemoLookups, deps: MemoDep[]): MemoLookups {
  const { addressSets, portGroups } = l.expr;
  const expr: ExprContext = {
    symbols: l.expr.symbols,
    ...(addressSets !== undefined && {
      addressSets: (name: string) => {
        const value = addressSets(name);
        deps.push({ kind: "addressSet", name, value });
        return value;
      },
    }),
    ...(portGroups !== undefined && {
      portGroups: (name: string) => {
        const value = portGroups(name);
        deps.push({ kind: "portGroup", name, value });
        return value;
      },
    }),
  };
  return {
    expr,
    portKey: (name) => {
      const value = l.portKey(name);
      deps.push({ kind: "portKey", name, value });
      return value;
    },
    isChassisResident: (name) => {
      const value = l.isChassisResident(name);
      deps.push({ kind: "resident", name, value });
      return value;
    },
  };
}

/** One compile run's memory: two generations (see the file comment). */
interface Generations<T> {
  young: Map<string, Variant<T>[]>;
  old: Map<string, Variant<T>[]>;
}

/** A bounded memo of values computed through a datapath's lookups (see the file comment). */
export class CompileMemo<T> {
  /** By run, weakly: a run's memory goes when the run's objects do, with no call at its end. */
  private runs = new WeakMap<object, Generations<T>>();

  /**
   * The value for `key` in compile run `run` computed by `compute` through `l`, or a remembered one
   * whose lookups answer the same through `l` and whose `tags` are the same objects (for inputs
   * compared by identity, such as the DHCP option catalogues).  `compute` gets lookups that record; it
   * may throw (nothing is remembered).
   */
  get(
    run: object,
    key: string,
    tags: readonly unknown[],
    l: MemoLookups,
    compute: (rec: MemoLookups) => T,
  ): T {
    let gens = this.runs.get(run);
    if (gens === undefined) {
      gens = { young: new Map(), old: new Map() };
      this.runs.set(run, gens);
    }
    let variants = gens.young.get(key);
    if (variants === undefined) {
      variants = gens.old.get(key);
      if (variants !== undefined) put(gens, key, variants);
    }
    if (variants !== undefined) {
      for (const v of variants) if (sameTags(v.tags, tags) && replay(v.deps, l)) return v.value;
    }
    const deps: MemoDep[] = [];
    const value = compute(recordingLookups(l, deps));
    const entry: Variant<T> = { deps, tags, value };
    if (variants === undefined) put(gens, key, [entry]);
    else if (variants.length < 8) variants.push(entry);
    else variants[variants.length - 1] = entry;
    return value;
  }

  /** Forgets everything. */
  clear(): void {
    this.runs = new WeakMap();
  }
}

function put<T>(gens: Generations<T>, key: string, variants: Variant<T>[]): void {
  if (gens.young.size >= GENERATION) {
    gens.old = gens.young;
    gens.young = new Map();
  }
  gens.young.set(key, variants);
}
