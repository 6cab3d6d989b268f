// Simplification and normalisation of annotated expressions into the form flows are made from.
//
// simplify: only equality tests remain.  `f != v` becomes a disjunction of single-bit tests, and
//   `f < c`, `f > c` (with `<=`, `>=`) become disjunctions of prefix tests, as OpenFlow can only match
//   bits; constants are folded away.
// normalize: a disjunction of conjunctions.  Tests of one field in a conjunction are merged into one
//   masked test (or found contradictory, dropping the conjunction); a disjunction of tests of a single
//   field is kept as one `set` term instead of being multiplied out, so that
//   `(a == 1 || a == 2) && (b == 1 || b == 2)` stays one conjunction of two sets, which the controller
//   can turn into a conjunctive match.  Terms are sorted, so equal expressions normalise identically.

import {
  and,
  andOf,
  type Expr,
  FALSE,
  type FuncExpr,
  or,
  orOf,
  type SetExpr,
  type StrSetExpr,
  type StrTestExpr,
  strset,
  type TestExpr,
  TRUE,
  test,
} from "./ast.js";
import { allOnes, bitLength } from "./values.js";

// ---- simplify ---------------------------------------------------------------------------------------

/** Rewrites an annotated expression so that every integer test is an equality. */
export function simplifyExpr(e: Expr): Expr {
  switch (e.kind) {
    case "and":
    case "or": {
      // Most trees are equality tests already: the same node comes back when andOf/orOf would
      // only rebuild it (no operand changed, none to flatten or fold, at least two).
      let args: Expr[] | undefined;
      for (let i = 0; i < e.args.length; i++) {
        const a = e.args[i] as Expr;
        const s = simplifyExpr(a);
        if (args === undefined && (s !== a || s.kind === "bool" || s.kind === e.kind))
          args = e.args.slice(0, i);
        if (args !== undefined) args.push(s);
      }
      if (args === undefined && e.args.length >= 2) return e;
      const all = args ?? [...e.args];
      return e.kind === "and" ? andOf(all) : orOf(all);
    }
    case "test":
      return simplifyTest(e);
    default:
      return e;
  }
}

function simplifyTest(t: TestExpr): Expr {
  const { field, value, mask } = t;
  switch (t.relop) {
    case "==":
      return mask === 0n ? TRUE : t;
    case "!=": {
      // Some masked bit differs from the value.
      const bits: Expr[] = [];
      for (let m = mask; m !== 0n; m &= m - 1n) {
        const bit = m & -m;
        bits.push(test(field, "==", ~value & bit, bit));
      }
      return orOf(bits);
    }
    default:
      return simplifyRelational(t);
  }
}

/** `f[lo..hi] < c` and friends as disjunctions of tests of a prefix of the bits. */
function simplifyRelational(t: TestExpr): Expr {
  const lo = bitLength(t.mask & -t.mask) - 1;
  const width = bitLength(t.mask) - lo;
  const c = t.value >> BigInt(lo);
  const max = allOnes(width);
  const shifted = (v: bigint, m: bigint): Expr => test(t.field, "==", v << BigInt(lo), m << BigInt(lo));
  const eq = shifted(c, max);
  // x < c: for some bit i set in c, x has 0 there and agrees with c above it.
  const less = (): Expr[] => {
    const out: Expr[] = [];
    for (let i = width - 1; i >= 0; i--) {
      const bit = 1n << BigInt(i);
      if ((c & bit) === 0n) continue;
      const above = max & ~(bit - 1n) & ~bit;
      out.push(shifted(c & above, above | bit));
    }
    return out;
  };
  // x > c: for some bit i clear in c, x has 1 there and agrees with c above it.
  const greater = (): Expr[] => {
    const out: Expr[] = [];
    for (let i = width - 1; i >= 0; i--) {
      const bit = 1n << BigInt(i);
      if ((c & bit) !== 0n) continue;
      const above = max & ~(bit - 1n) & ~bit;
      out.push(shifted((c & above) | bit, above | bit));
    }
    return out;
  };
  switch (t.relop) {
    case "<":
      return orOf(less());
    case "<=":
      return orOf([eq, ...less()]);
    case ">":
      return orOf(greater());
    case ">=":
      return orOf([eq, ...greater()]);
    default:
      return t;
  }
}

// ---- normalize --------------------------------------------------------------------------------------

type Term = TestExpr | SetExpr | StrTestExpr | StrSetExpr | FuncExpr;
type Conj = readonly Term[];

/** Simplifies and normalises an annotated expression (see the file comment). */
export function normalizeExpr(e: Expr): Expr {
  const dnf = toDnf(simplifyExpr(e));
  const merged = dedupe(
    mergeSingleFieldDisjuncts(dnf).flatMap((c) => {
      const m = mergeConj(c);
      return m === null ? [] : [m];
    }),
  );
  if (merged.some((c) => c.length === 0)) return TRUE;
  const conjs = merged.map((c): Expr => (c.length === 1 ? (c[0] as Term) : and(c)));
  if (conjs.length === 0) return FALSE;
  return conjs.length === 1 ? (conjs[0] as Expr) : or(conjs);
}

function toDnf(e: Expr): Conj[] {
  switch (e.kind) {
    case "bool":
      return e.value ? [[]] : [];
    case "test":
    case "strtest":
    case "set":
    case "strset":
    case "func":
      return [[e]];
    case "or": {
      // Alternatives of one field (a set, an address set or port group expanded) are one set term:
      // what merging their single-term disjuncts gives, without making them.
      const values = sameFieldValues(e.args);
      if (values !== null) return [[makeSet((e.args[0] as TestExpr | SetExpr).field, values)]];
      return dedupe(mergeSingleFieldDisjuncts(e.args.flatMap((a) => toDnf(a))));
    }
    case "and": {
      // Arguments that are one conjunction do not multiply the disjunction: their terms wait in
      // `pending` and are merged in once, when an argument with alternatives comes or at the end
      // (merging is associative and its result canonical, so this gives what merging them one by one
      // gives, in the same order, with one merge instead of one per argument).
      let acc: Conj[] = [[]];
      let pending: Term[] = [];
      const flush = (d: readonly Conj[]): boolean => {
        const next: Conj[] = [];
        for (let i = 0; i < acc.length; i++) {
          const x = acc[i] as Conj;
          for (let j = 0; j < d.length; j++) {
            const y = d[j] as Conj;
            const m = mergeConj(pending.length === 0 ? [...x, ...y] : [...x, ...pending, ...y]);
            if (m !== null) next.push(m);
          }
        }
        pending = [];
        acc = dedupe(next);
        return acc.length > 0;
      };
      for (let k = 0; k < e.args.length; k++) {
        const a = e.args[k] as Expr;
        if (isTerm(a)) {
          // What toDnf(a) gives, [[a]], without making it.
          pending.push(a);
          continue;
        }
        const d = toDnf(a);
        const only = d.length === 1 ? d[0] : undefined;
        if (only !== undefined) {
          for (let m = 0; m < only.length; m++) {
            const t = only[m] as Term;
            pending.push(t);
          }
          continue;
        }
        if (!flush(d)) return [];
      }
      if (pending.length > 0) flush([[]]);
      return acc;
    }
    case "not":
    case "cmp":
      throw new Error(`normalize: unexpected ${e.kind} node (annotate first)`);
  }
}

/** The alternatives of `args` in order when each is an `==` test or a set of one same field, else null. */
function sameFieldValues(args: readonly Expr[]): Masked[] | null {
  const first = args[0];
  if (first === undefined || (first.kind !== "test" && first.kind !== "set")) return null;
  const values: Masked[] = [];
  for (const a of args) {
    if (a.kind === "test" && a.relop === "==" && a.field === first.field)
      values.push({ value: a.value, mask: a.mask });
    else if (a.kind === "set" && a.field === first.field) for (const v of a.values) values.push(v);
    else return null;
  }
  return values;
}

function isTerm(e: Expr): e is Term {
  return (
    e.kind === "test" || e.kind === "set" || e.kind === "strtest" || e.kind === "strset" || e.kind === "func"
  );
}

function dedupe(cs: readonly Conj[]): Conj[] {
  if (cs.length <= 1) return [...cs];
  const seen = new Set<string>();
  const out: Conj[] = [];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as Conj;
    const k = conjKey(c);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(c);
    }
  }
  return out;
}

/** Equal for structurally equal conjunctions (as stableKey, several times cheaper). */
function conjKey(c: Conj): string {
  const parts: string[] = [];
  for (let i = 0; i < c.length; i++) {
    const t = c[i] as Term;
    parts.push(termKey(t));
  }
  return parts.join("\u0002");
}

function termKey(t: Term): string {
  switch (t.kind) {
    case "test":
      return `t${t.field}\u0001${t.relop}\u0001${t.value.toString(16)}/${t.mask.toString(16)}`;
    case "set": {
      const parts = [`s${t.field}`];
      for (const v of t.values) parts.push(`${v.value.toString(16)}/${v.mask.toString(16)}`);
      return parts.join("\u0001");
    }
    // Names can hold any character: quoted.
    case "strtest":
      return `q${t.field}\u0001${t.relop}\u0001${JSON.stringify(t.value)}`;
    case "strset":
      return `r${t.field}\u0001${JSON.stringify(t.values)}`;
    case "func":
      return `f${t.negated ? "!" : ""}${JSON.stringify(t.arg)}`;
  }
}

/** Disjuncts that are single tests of one field become one set term for that field, so that a
 *  normalised expression has a single canonical form. */
function mergeSingleFieldDisjuncts(cs: readonly Conj[]): Conj[] {
  const ints = new Map<string, Masked[]>();
  const strs = new Map<string, string[]>();
  const rest: Conj[] = [];
  for (const c of cs) {
    const t = c.length === 1 ? c[0] : undefined;
    if (t !== undefined && (t.kind === "test" || t.kind === "set")) {
      const vs = ints.get(t.field) ?? [];
      vs.push(...(t.kind === "test" ? [{ value: t.value, mask: t.mask }] : t.values));
      ints.set(t.field, vs);
    } else if (t !== undefined && ((t.kind === "strtest" && t.relop === "==") || t.kind === "strset")) {
      const vs = strs.get(t.field) ?? [];
      vs.push(...(t.kind === "strtest" ? [t.value] : t.values));
      strs.set(t.field, vs);
    } else {
      rest.push(c);
    }
  }
  const merged: Conj[] = [];
  for (const [field, vs] of ints) merged.push([makeSet(field, vs)]);
  for (const [field, vs] of strs) merged.push([makeStrSet(field, vs)]);
  return [...merged, ...rest];
}

type Masked = { value: bigint; mask: bigint };

/** The alternatives of a set, without duplicates or alternatives implied by others, sorted. */
function sortMasked(vs: readonly Masked[]): Masked[] {
  if (vs.length === 1) return [vs[0] as Masked];
  const oneMask = sortOneMask(vs);
  if (oneMask !== null) return oneMask;
  // The distinct values under each distinct mask (sets have few masks, often one): `a` implies `b`
  // exactly when a's mask is within b's and b's value under a's mask is a's value, a lookup per mask.
  const byMask = new Map<bigint, Set<bigint>>();
  const unique: Masked[] = [];
  for (const v of vs) {
    let values = byMask.get(v.mask);
    if (values === undefined) {
      values = new Set();
      byMask.set(v.mask, values);
    }
    if (values.has(v.value)) continue;
    values.add(v.value);
    unique.push(v);
  }
  const kept = unique.filter((b) => !impliedByAnother(b, byMask));
  return kept.sort((a, b) =>
    a.mask !== b.mask ? (a.mask < b.mask ? 1 : -1) : a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
  );
}

/** sortMasked's answer when every alternative has the same mask (an address set, a port group's
 *  keys): none can imply another, so only duplicates go.  Null if the masks differ. */
function sortOneMask(vs: readonly Masked[]): Masked[] | null {
  const mask = (vs[0] as Masked).mask;
  for (const v of vs) if (v.mask !== mask || (v.value & mask) !== v.value) return null;
  const seen = new Set<bigint>();
  const out: Masked[] = [];
  for (const v of vs) {
    if (seen.has(v.value)) continue;
    seen.add(v.value);
    out.push(v);
  }
  return out.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** Whether another alternative (by mask, its values) matches every value `b` matches. */
function impliedByAnother(b: Masked, byMask: ReadonlyMap<bigint, ReadonlySet<bigint>>): boolean {
  // A mask of few bits has few submasks: try each (sets made of `!=` tests have hundreds of masks
  // of one or two bits each).  Otherwise try each mask present.
  let bits = 0;
  for (let x = b.mask; x !== 0n && bits <= 6; x &= x - 1n) bits++;
  if (bits <= 6 && 1 << bits < byMask.size) {
    for (let sub = b.mask; ; sub = (sub - 1n) & b.mask) {
      if (impliedUnder(b, byMask, sub)) return true;
      if (sub === 0n) return false;
    }
  }
  for (const m of byMask.keys()) if ((m & b.mask) === m && impliedUnder(b, byMask, m)) return true;
  return false;
}

/** Whether an alternative with mask `m` (other than `b` itself) matches every value `b` matches. */
function impliedUnder(b: Masked, byMask: ReadonlyMap<bigint, ReadonlySet<bigint>>, m: bigint): boolean {
  const values = byMask.get(m);
  if (values === undefined) return false;
  const under = b.value & m;
  // Under its own mask, b only implies itself (not "another" alternative).
  return values.has(under) && (m !== b.mask || under !== b.value);
}

/** Sets made by makeSet: their alternatives are already as sortMasked leaves them. */
const canonicalSets = new WeakSet<SetExpr>();

function makeSet(field: string, values: readonly Masked[]): TestExpr | SetExpr {
  const vs = sortMasked(values);
  const only = vs[0];
  if (vs.length === 1 && only !== undefined) return test(field, "==", only.value, only.mask);
  // Not ast.set(): sortMasked's array is fresh and nothing changes an expression's values, so they
  // need no copy (sets from address sets hold hundreds of alternatives and are made again per merge).
  const s: SetExpr = Object.freeze({ kind: "set", field, values: Object.freeze(vs) });
  canonicalSets.add(s);
  return s;
}

function makeStrSet(field: string, names: readonly string[]): StrTestExpr | StrSetExpr {
  const vs = [...new Set(names)].sort();
  if (vs.length === 1) return { kind: "strtest", field, relop: "==", value: vs[0] as string };
  return strset(field, vs);
}

/** Both constraints at once, or null if no value satisfies both. */
function intersect(a: Masked, b: Masked): Masked | null {
  if (((a.value ^ b.value) & a.mask & b.mask) !== 0n) return null;
  return { value: a.value | b.value, mask: a.mask | b.mask };
}

/** Merges the terms of a conjunction field by field; null if they contradict each other. */
function mergeConj(terms: readonly Term[]): Conj | null {
  const quick = distinctFieldTests(terms);
  if (quick !== null) return quick;
  const ints = new Map<string, readonly Masked[]>();
  // Fields whose only constraint so far is this canonical set (its values are what `ints` holds).
  const asIs = new Map<string, SetExpr>();
  const strs = new Map<string, { allowed: string[] | null; excluded: Set<string> }>();
  const funcs = new Map<string, FuncExpr>();
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as Term;
    switch (t.kind) {
      case "test":
      case "set": {
        const prev = ints.get(t.field);
        // The first constraint on a field, already canonical: it is the merge so far.
        if (prev === undefined && t.kind === "set" && canonicalSets.has(t)) {
          ints.set(t.field, t.values);
          asIs.set(t.field, t);
          break;
        }
        const cur = prev ?? [{ value: 0n, mask: 0n }];
        const options = t.kind === "test" ? [{ value: t.value, mask: t.mask }] : t.values;
        const next: Masked[] = [];
        for (let j = 0; j < cur.length; j++) {
          const x = cur[j] as Masked;
          for (let k = 0; k < options.length; k++) {
            const y = options[k] as Masked;
            const m = intersect(x, y);
            if (m !== null) next.push(m);
          }
        }
        if (next.length === 0) return null;
        ints.set(t.field, sortMasked(next));
        break;
      }
      case "strtest":
      case "strset": {
        const cur = strs.get(t.field) ?? { allowed: null, excluded: new Set<string>() };
        if (t.kind === "strtest" && t.relop === "!=") {
          cur.excluded.add(t.value);
        } else {
          const names = t.kind === "strtest" ? [t.value] : t.values;
          cur.allowed = cur.allowed === null ? [...names] : cur.allowed.filter((n) => names.includes(n));
        }
        strs.set(t.field, cur);
        break;
      }
      case "func": {
        const other = funcs.get(t.arg);
        if (other !== undefined && other.negated !== t.negated) return null;
        funcs.set(t.arg, t);
        break;
      }
    }
  }
  const out: Term[] = [];
  for (const [field, vs] of [...ints.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const unconstrained = vs.length === 1 && vs[0]?.mask === 0n;
    // A set covering every value of its bits constrains nothing either (e.g. `x[0] == {0, 1}`).
    if (unconstrained || coversAll(vs)) continue;
    const same = asIs.get(field);
    out.push(same !== undefined && same.values === vs ? same : makeSet(field, vs));
  }
  for (const [field, s] of [...strs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (s.allowed !== null) {
      const allowed = s.allowed.filter((n) => !s.excluded.has(n));
      if (allowed.length === 0) return null;
      out.push(makeStrSet(field, allowed));
    } else {
      for (const n of [...s.excluded].sort()) out.push({ kind: "strtest", field, relop: "!=", value: n });
    }
  }
  for (const k of [...funcs.keys()].sort()) out.push(funcs.get(k) as FuncExpr);
  return out;
}

/**
 * mergeConj's answer when every term is a `==` test of its own field with some bits (the common case,
 * e.g. `ip4 && ip4.dst == X && reg0[0] == 1`): the terms sorted by field, nothing to merge.  Null
 * otherwise.  Saves the maps and arrays of the general merge.
 */
function distinctFieldTests(terms: readonly Term[]): Conj | null {
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as Term;
    if (t.kind !== "test" || t.relop !== "==" || t.mask === 0n) return null;
  }
  // Insertion sort (stable, as Array.prototype.sort): a conjunction has a handful of terms, and the
  // built-in sort allocates a work area per call.
  const sorted: TestExpr[] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as TestExpr;
    let j = sorted.length;
    sorted.push(t);
    for (; j > 0 && (sorted[j - 1] as TestExpr).field > t.field; j--) sorted[j] = sorted[j - 1] as TestExpr;
    sorted[j] = t;
  }
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]?.field === sorted[i - 1]?.field) return mergeSortedTests(sorted);
  return sorted;
}

/** The general merge's answer for `==` tests sorted by field, some fields tested more than once (a
 *  match and the prerequisites of its fields, e.g. `eth.type == 0x806` twice): each run of one field
 *  is one masked test, or there is no match. */
function mergeSortedTests(sorted: readonly TestExpr[]): Conj | null {
  const out: Term[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] as TestExpr;
    let value = first.value;
    let mask = first.mask;
    let j = i + 1;
    for (; j < sorted.length; j++) {
      const t = sorted[j] as TestExpr;
      if (t.field !== first.field) break;
      if (((value ^ t.value) & mask & t.mask) !== 0n) return null;
      value |= t.value;
      mask |= t.mask;
    }
    out.push(j === i + 1 ? first : test(first.field, "==", value, mask));
    i = j;
  }
  return out;
}

/** Whether the masked values together match every value (only checked when all masks are equal). */
function coversAll(vs: readonly Masked[]): boolean {
  const m = vs[0]?.mask;
  // One alternative covers every value only with no bits, which the caller already left out.
  if (m === undefined || m === 0n || vs.length < 2 || !vs.every((v) => v.mask === m)) return false;
  let bits = 0;
  for (let x = m; x !== 0n && bits <= 16; x &= x - 1n) bits++;
  return bits <= 16 && vs.length === 2 ** bits;
}
