// Annotation: from a syntax tree to an expression over whole fields, as OVN 23.03 does before turning a
// match into flows.  Predicates are replaced by their (annotated) expansions, subfields by masked tests
// of their field, `!` is pushed down to the comparisons (De Morgan, inverted operators), sets become
// disjunctions (`==`) or conjunctions (`!=`), and every comparison is followed by the prerequisites of
// its symbol: `tcp.src == 80` becomes `tcp.src == 0x50 && ip.proto == 0x6 && (eth.type == 0x800 ||
// eth.type == 0x86dd)`.  The shape of the result (ordering, nesting, kept constants) is OVN's, so that
// printing it gives the same text as OVN prints.

import {
  and,
  bool,
  type CmpExpr,
  cmp,
  type Expr,
  func,
  type Operand,
  or,
  type Relop,
  strtest,
  test,
} from "./ast.js";
import { DEFAULT_CONTEXT, type ExprContext, NEGATED, parseExpr } from "./parser.js";
import { baseField, type SymbolDef, type SymbolTable } from "./symbols.js";
import { allOnes } from "./values.js";

/** Annotates a syntax tree produced by parseExpr with the same context.  Cannot fail. */
export function annotateExpr(e: Expr, ctx: ExprContext = DEFAULT_CONTEXT): Expr {
  return new Annotator(ctx).annotate(e, false);
}

/** Parses and annotates in one step. */
export function parseAnnotated(
  input: string,
  ctx: ExprContext = DEFAULT_CONTEXT,
): { ok: true; value: Expr } | { ok: false; error: string } {
  const r = parseExpr(input, ctx);
  return r.ok ? { ok: true, value: annotateExpr(r.value, ctx) } : r;
}

/** Conjunction that flattens nested conjunctions but, like OVN, keeps constant operands. */
function flatAnd(args: readonly Expr[]): Expr {
  const flat = args.flatMap((a) => (a.kind === "and" ? a.args : [a]));
  return flat.length === 1 ? (flat[0] as Expr) : and(flat);
}

function flatOr(args: readonly Expr[]): Expr {
  const flat = args.flatMap((a) => (a.kind === "or" ? a.args : [a]));
  return flat.length === 1 ? (flat[0] as Expr) : or(flat);
}

/** Logical negation of an annotated expression (De Morgan, inverted operators). */
export function negateAnnotated(e: Expr): Expr {
  switch (e.kind) {
    case "bool":
      return bool(!e.value);
    case "test":
      return test(e.field, NEGATED[e.relop], e.value, e.mask);
    case "strtest":
      return strtest(e.field, e.relop === "==" ? "!=" : "==", e.value);
    case "func":
      return func(e.arg, !e.negated);
    case "and":
      return flatOr(e.args.map(negateAnnotated));
    case "or":
      return flatAnd(e.args.map(negateAnnotated));
    default:
      throw new Error(`negateAnnotated: unexpected ${e.kind}`);
  }
}

/** Is `e` a comparison of one value, as left by `lower`? */
function isLeaf(e: Expr): e is CmpExpr {
  return e.kind === "cmp";
}

/** Annotated predicate expansions and symbol prerequisites, by name: they depend on the symbol table
 *  only (their texts name symbols, never address sets or port groups), and re-parsing them was a
 *  quarter of annotating a logical flow's match. */
interface SymbolCache {
  readonly expansions: Map<string, Expr>;
  readonly prereqs: Map<string, Expr | null>;
}

const symbolCaches = new WeakMap<SymbolTable, SymbolCache>();

function symbolCache(symbols: SymbolTable): SymbolCache {
  let c = symbolCaches.get(symbols);
  if (c === undefined) {
    c = { expansions: new Map(), prereqs: new Map() };
    symbolCaches.set(symbols, c);
  }
  return c;
}

class Annotator {
  private readonly expansions: Map<string, Expr>;
  private readonly prereqCache: Map<string, Expr | null>;

  constructor(private readonly ctx: ExprContext) {
    const c = symbolCache(ctx.symbols);
    this.expansions = c.expansions;
    this.prereqCache = c.prereqs;
  }

  private get symbols(): SymbolTable {
    return this.ctx.symbols;
  }

  annotate(e: Expr, negated: boolean): Expr {
    return this.annotateLowered(lower(e, negated));
  }

  /** Annotates a tree in OVN's parsed shape.  A conjunction or disjunction whose operands all compare
   *  the same symbol is annotated as one unit, with that symbol's prerequisites added once after it. */
  private annotateLowered(e: Expr): Expr {
    switch (e.kind) {
      case "cmp":
        return this.withPrereqs(e.field.symbol, this.compareLeaf(e));
      case "and":
      case "or": {
        const first = e.args[0];
        const combine = e.kind === "and" ? flatAnd : flatOr;
        if (
          first !== undefined &&
          isLeaf(first) &&
          e.args.every((a) => isLeaf(a) && a.field.symbol === first.field.symbol)
        ) {
          return this.withPrereqs(
            first.field.symbol,
            combine(e.args.map((a) => this.compareLeaf(a as CmpExpr))),
          );
        }
        return combine(e.args.map((a) => this.annotateLowered(a)));
      }
      default:
        return e;
    }
  }

  private withPrereqs(symbol: string, e: Expr): Expr {
    const def = this.symbols.lookup(symbol);
    const prereqs = def === undefined ? null : this.prerequisites(def);
    return prereqs === null ? e : flatAnd([e, prereqs]);
  }

  /** A single comparison, without prerequisites. */
  private compareLeaf(e: CmpExpr): Expr {
    const def = this.symbols.lookup(e.field.symbol);
    if (def === undefined) throw new Error(`unknown symbol ${e.field.symbol}`);
    const o = e.operands[0];
    if (o === undefined) throw new Error("comparison without operand");
    if (def.kind === "string") {
      if (o.kind !== "str") throw new Error("string field compared with non-string");
      return strtest(def.name, e.relop === "!=" ? "!=" : "==", o.value);
    }
    if (o.kind !== "int") throw new Error("integer field compared with non-integer");
    const c = o.constant;
    if (def.kind === "predicate") return this.comparePredicate(def.name, e.relop, c.value, c.mask ?? 1n);
    const base = baseField(this.symbols, def);
    if (base === null) throw new Error(`symbol ${def.name} has no base field`);
    const lo = base.lo + (e.field.range?.lo ?? 0);
    const width = e.field.range === null ? base.hi - base.lo + 1 : e.field.range.hi - e.field.range.lo + 1;
    const all = allOnes(width);
    const mask = (c.mask ?? all) & all;
    const shift = BigInt(lo);
    return test(base.field.name, e.relop, (c.value & mask) << shift, mask << shift);
  }

  /** A predicate compared with a 1-bit constant is its expansion, or the negation of it. */
  private comparePredicate(name: string, relop: Relop, value: bigint, mask: bigint): Expr {
    const m = mask & 1n;
    const v = value & m;
    const holds = (x: bigint): boolean => {
      const xm = x & m;
      switch (relop) {
        case "==":
          return xm === v;
        case "!=":
          return xm !== v;
        case "<":
          return xm < v;
        case "<=":
          return xm <= v;
        case ">":
          return xm > v;
        case ">=":
          return xm >= v;
      }
    };
    const ifTrue = holds(1n);
    const ifFalse = holds(0n);
    if (ifTrue === ifFalse) return bool(ifTrue);
    const positive = this.expansion(name);
    return ifTrue ? positive : negateAnnotated(positive);
  }

  private expansion(name: string): Expr {
    const cached = this.expansions.get(name);
    if (cached !== undefined) return cached;
    const def = this.symbols.lookup(name);
    if (def === undefined || def.kind !== "predicate") throw new Error(`${name} is not a predicate`);
    const r = parseExpr(def.expansion, this.ctx);
    if (!r.ok) throw new Error(`bad expansion of ${name}: ${r.error}`);
    const e = this.annotate(r.value, false);
    this.expansions.set(name, e);
    return e;
  }

  /** The annotated prerequisites of a symbol and of the fields it is part of. */
  private prerequisites(def: SymbolDef): Expr | null {
    const hit = this.prereqCache.get(def.name);
    if (hit !== undefined) return hit;
    const parts: Expr[] = [];
    let cur: SymbolDef | undefined = def;
    while (cur !== undefined) {
      if (cur.kind !== "predicate" && cur.prereqs !== null) {
        const r = parseExpr(cur.prereqs, this.ctx);
        if (!r.ok) throw new Error(`bad prerequisite of ${cur.name}: ${r.error}`);
        parts.push(this.annotate(r.value, false));
      }
      cur = cur.kind === "subfield" ? this.symbols.lookup(cur.parent) : undefined;
    }
    const prereqs = parts.length === 0 ? null : flatAnd(parts);
    this.prereqCache.set(def.name, prereqs);
    return prereqs;
  }
}

/** The syntax tree in the shape OVN's parser builds: `!` pushed down to the comparisons, every
 *  comparison against a single value (sets become `||` of `==` or `&&` of `!=`), nested `&&` (`||`)
 *  flattened. */
function lower(e: Expr, negated: boolean): Expr {
  switch (e.kind) {
    case "bool":
      return bool(e.value !== negated);
    case "not":
      return lower(e.arg, !negated);
    case "and":
    case "or": {
      const args = e.args.map((a) => lower(a, negated));
      return (e.kind === "and") !== negated ? flatAnd(args) : flatOr(args);
    }
    case "func":
      return func(e.arg, e.negated !== negated);
    case "cmp": {
      const relop = negated ? NEGATED[e.relop] : e.relop;
      const values: Operand[] = e.operands.flatMap((o): Operand[] => {
        if (o.kind === "addrset") return o.values.map((c) => ({ kind: "int", constant: c }));
        if (o.kind === "portgroup") return o.values.map((v) => ({ kind: "str", value: v }));
        return [o];
      });
      if (values.length === 0) return bool(relop !== "==");
      const leaves = values.map((v) => cmp(e.field, relop, [v], false));
      if (leaves.length === 1) return leaves[0] as Expr;
      return relop === "!=" ? flatAnd(leaves) : flatOr(leaves);
    }
    default:
      return e;
  }
}
