// From a logical-flow match to OpenFlow matches, as ovn-controller does it.
//
// The match is parsed and annotated by src/expr; then the parts that depend on this chassis are
// resolved (port names become the tunnel keys held in reg14/reg15, is_chassis_resident() becomes true
// or false), and the result is normalised into a disjunction of conjunctions whose terms test one field
// against one masked value or a set of them.  Each conjunction becomes:
//   - one flow, when no term is a set;
//   - one flow per element, when exactly one term is a set;
//   - a conjunctive match otherwise (ovs-fields(7) "Conjunctive Match Fields"): one clause flow per
//     element of each set, with action conjunction(id, k/n), plus one flow matching conj_id=id and the
//     single-valued terms, which carries the logical flow's actions.  Sets are numbered as clauses in
//     the order of their field names, as the real controller numbers them.
// Sets over eth.type, ip.proto and ip.frag are never clauses: like the real controller, the
// conjunction is first multiplied out over their elements (the other sets can still form a conjunctive
// match within each product term).
// Identical matches are merged: an ordinary flow absorbs clause flows with the same match, and clause
// flows with the same match gather their conjunction actions.

import { andOf, bool, type Expr, orOf, test } from "../../expr/ast.js";
import { normalizeExpr } from "../../expr/normalize.js";
import { allOnes } from "../../expr/values.js";

/** One field tested against a masked value; `field` is the logical base field (`xxreg0`, `inport`). */
export interface MatchTerm {
  readonly field: string;
  readonly value: bigint;
  readonly mask: bigint;
}

export interface ConjunctionClause {
  /** Index of this match among the conjunctive matches of the flow (0-based; the caller adds a base). */
  readonly conj: number;
  /** Clause number, 1-based as ovs-actions(7) writes it. */
  readonly clause: number;
  readonly nClauses: number;
}

/** One OpenFlow match made from a logical match. */
export interface CompiledMatch {
  /** Terms sorted by field name, at most one per field. */
  readonly terms: readonly MatchTerm[];
  /** Non-empty for a clause flow: its actions are these conjunction() actions. */
  readonly clauses: readonly ConjunctionClause[];
  /** For the flow that matches conj_id: which conjunctive match (0-based) it completes. */
  readonly conjId: number | null;
}

export interface MatchResult {
  readonly matches: readonly CompiledMatch[];
  /** How many conjunction ids the flow needs. */
  readonly nConjs: number;
}

/** Where the chassis-dependent parts of a match are looked up. */
export interface MatchLookups {
  /** Tunnel key of a logical port or multicast group of the flow's datapath, or undefined. */
  portKey(name: string): number | undefined;
  /** Whether is_chassis_resident(port) holds on this chassis. */
  isChassisResident(port: string): boolean;
}

const PORT_WIDTH = 32;

/** Fields whose sets are always multiplied out instead of becoming conjunction clauses. */
const MUST_CROSSPRODUCT = new Set(["eth.type", "ip.proto", "ip.frag"]);

/** Every combination of one element from each set. */
function crossProduct(sets: readonly { field: string; values: readonly Masked[] }[]): MatchTerm[][] {
  let acc: MatchTerm[][] = [[]];
  for (const s of sets)
    acc = acc.flatMap((prefix) => s.values.map((v) => [...prefix, { field: s.field, ...v }]));
  return acc;
}

/** Replaces port names by their keys and is_chassis_resident() by its value, in an annotated tree. */
export function resolveChassisTerms(e: Expr, lk: MatchLookups): Expr {
  switch (e.kind) {
    case "and":
    case "or": {
      // Parts without ports or is_chassis_resident() come back as they are (the node too, when
      // andOf/orOf would only rebuild it).
      let args: Expr[] | undefined;
      for (let i = 0; i < e.args.length; i++) {
        const a = e.args[i] as Expr;
        const r = resolveChassisTerms(a, lk);
        if (args === undefined && (r !== a || r.kind === "bool" || r.kind === e.kind))
          args = e.args.slice(0, i);
        if (args !== undefined) args.push(r);
      }
      if (args === undefined && e.args.length >= 2) return e;
      const all = args ?? [...e.args];
      return e.kind === "and" ? andOf(all) : orOf(all);
    }
    case "func":
      return bool(lk.isChassisResident(e.arg) !== e.negated);
    case "strtest": {
      const key = lk.portKey(e.value);
      // A port that is not in this datapath matches no packet.
      if (key === undefined) return bool(e.relop === "!=");
      return test(e.field, e.relop, BigInt(key), allOnes(PORT_WIDTH));
    }
    case "strset": {
      const tests = e.values.flatMap((v) => {
        const key = lk.portKey(v);
        return key === undefined ? [] : [test(e.field, "==", BigInt(key), allOnes(PORT_WIDTH))];
      });
      return orOf(tests);
    }
    default:
      return e;
  }
}

type Masked = { readonly value: bigint; readonly mask: bigint };

/** A normalised expression as its conjunctions, each a list of (field, alternatives). */
function conjunctionsOf(e: Expr): { field: string; values: readonly Masked[] }[][] {
  const termOf = (t: Expr): { field: string; values: readonly Masked[] } => {
    if (t.kind === "test") return { field: t.field, values: [{ value: t.value, mask: t.mask }] };
    if (t.kind === "set") return { field: t.field, values: t.values };
    throw new Error(`exprToMatches: unexpected ${t.kind} term (resolve chassis terms first)`);
  };
  switch (e.kind) {
    case "bool":
      return e.value ? [[]] : [];
    case "or":
      return e.args.flatMap((a) => conjunctionsOf(a));
    case "and":
      return [e.args.map(termOf)];
    default:
      return [[termOf(e)]];
  }
}

function matchKey(terms: readonly MatchTerm[]): string {
  return terms.map((t) => `${t.field}=${t.value.toString(16)}/${t.mask.toString(16)}`).join(",");
}

/** `terms` in field order (a stable sort): as they are when already sorted, else a sorted copy. */
function sortedByField(terms: MatchTerm[]): MatchTerm[] {
  // Insertion sort in place (stable; a match has a handful of terms, mostly in order already).
  for (let i = 1; i < terms.length; i++) {
    const t = terms[i] as MatchTerm;
    let j = i;
    for (; j > 0 && (terms[j - 1] as MatchTerm).field > t.field; j--) terms[j] = terms[j - 1] as MatchTerm;
    terms[j] = t;
  }
  return terms;
}

interface Pending {
  terms: MatchTerm[];
  clauses: ConjunctionClause[];
  conjId: number | null;
  plain: boolean;
}

/**
 * The OpenFlow matches for a resolved, annotated match expression (see the file comment).  `extra`
 * terms (the datapath's metadata) are added to every match.
 */
export function exprToMatches(e: Expr, extra: readonly MatchTerm[] = []): MatchResult {
  const normalized = normalizeExpr(e);
  // Matches made from one conjunction are all different (its sets hold distinct values, clause flows
  // differ in their set's field, the conj_id flow in its id), so only matches of several conjunctions
  // need keys to merge by.  The map (by match) is made once a second match comes.
  const conjs = conjunctionsOf(normalized);
  const distinct: Pending[] | undefined = conjs.length === 1 ? [] : undefined;
  let first: Pending | undefined;
  let out: Map<string, Pending> | undefined;
  let nConjs = 0;
  const keyOf = (p: { terms: readonly MatchTerm[]; conjId: number | null }): string =>
    `${matchKey(p.terms)}|${p.conjId ?? ""}`;
  const add = (terms: MatchTerm[], clause: ConjunctionClause | null, conjId: number | null): void => {
    const sorted = sortedByField(extra.length === 0 ? terms : [...terms, ...extra]);
    if (distinct !== undefined) {
      distinct.push({
        terms: sorted,
        clauses: clause === null ? [] : [clause],
        conjId,
        plain: clause === null,
      });
      return;
    }
    if (first === undefined) {
      first = { terms: sorted, clauses: clause === null ? [] : [clause], conjId, plain: clause === null };
      return;
    }
    if (out === undefined) out = new Map([[keyOf(first), first]]);
    const key = keyOf({ terms: sorted, conjId });
    const prev = out.get(key);
    if (prev === undefined) {
      out.set(key, {
        terms: sorted,
        clauses: clause === null ? [] : [clause],
        conjId,
        plain: clause === null,
      });
      return;
    }
    if (prev.plain) return;
    if (clause === null) {
      // An ordinary flow with the same match runs the actions whatever the clauses would decide.
      prev.plain = true;
      prev.clauses = [];
      return;
    }
    if (!prev.clauses.some((c) => c.conj === clause.conj && c.clause === clause.clause))
      prev.clauses.push(clause);
  };
  for (let ci = 0; ci < conjs.length; ci++) {
    const conj = conjs[ci] as { field: string; values: readonly Masked[] }[];
    const fixed: MatchTerm[] = [];
    const sets: { field: string; values: readonly Masked[] }[] = [];
    const crossed: { field: string; values: readonly Masked[] }[] = [];
    for (let ti = 0; ti < conj.length; ti++) {
      const t = conj[ti] as { field: string; values: readonly Masked[] };
      const only = t.values.length === 1 ? t.values[0] : undefined;
      if (only !== undefined) fixed.push({ field: t.field, value: only.value, mask: only.mask });
      else if (MUST_CROSSPRODUCT.has(t.field)) crossed.push(t);
      else sets.push(t);
    }
    sets.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    if (crossed.length === 0) addConjunction(fixed, sets);
    else for (const combo of crossProduct(crossed)) addConjunction([...fixed, ...combo], sets);
  }
  function addConjunction(
    single: MatchTerm[],
    sets: readonly { field: string; values: readonly Masked[] }[],
  ): void {
    const only = sets[0];
    if (only === undefined) {
      add(single, null, null);
    } else if (sets.length === 1) {
      for (const v of only.values)
        add([...single, { field: only.field, value: v.value, mask: v.mask }], null, null);
    } else {
      const id = nConjs++;
      sets.forEach((s, i) => {
        for (const v of s.values) {
          add(
            [...single, { field: s.field, value: v.value, mask: v.mask }],
            { conj: id, clause: i + 1, nClauses: sets.length },
            null,
          );
        }
      });
      add(single, null, id);
    }
  }
  const all: readonly Pending[] =
    distinct ?? (out !== undefined ? [...out.values()] : first !== undefined ? [first] : []);
  const matches = all.map((m) => ({
    terms: m.terms,
    clauses: m.plain ? [] : m.clauses,
    conjId: m.conjId,
  }));
  return { matches, nConjs };
}
