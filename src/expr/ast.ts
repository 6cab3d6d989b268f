// Expression trees of the logical-flow match language.  Nodes are frozen plain objects with a `kind`.
//
// One union serves every stage, each stage using a subset of the kinds:
//   syntax tree (parse):      bool, cmp, not, and, or, func
//   annotated (annotate):     bool, test, strtest, and, or, func
//   normalised (normalize):   bool, test, strtest, set, strset, and, or, func
// Syntax trees name symbols as written (`reg0[0..3]`, `ip4`); annotated and normalised trees only name
// whole fields, with the bits under test given by a mask in the field's own coordinates, as in OVN.

import type { IntConstant } from "./values.js";

export type Relop = "==" | "!=" | "<" | "<=" | ">" | ">=";
export const RELOPS: readonly Relop[] = ["==", "!=", "<", "<=", ">", ">="];

/** A symbol as written in a comparison, optionally with a bit range `[lo..hi]`. */
export interface FieldRef {
  readonly symbol: string;
  readonly range: { readonly lo: number; readonly hi: number } | null;
}

/** The right-hand side of a comparison, or one element of a `{ ... }` set. */
export type Operand =
  | { readonly kind: "int"; readonly constant: IntConstant }
  | { readonly kind: "str"; readonly value: string }
  /** `$name`, with the addresses it held when parsed. */
  | { readonly kind: "addrset"; readonly name: string; readonly values: readonly IntConstant[] }
  /** `@name`, with the port names it held when parsed. */
  | { readonly kind: "portgroup"; readonly name: string; readonly values: readonly string[] };

export interface BoolExpr {
  readonly kind: "bool";
  readonly value: boolean;
}
/** Syntax: `field relop operand` or `field relop {operands}` (`set` records the braces). */
export interface CmpExpr {
  readonly kind: "cmp";
  readonly field: FieldRef;
  readonly relop: Relop;
  readonly operands: readonly Operand[];
  readonly set: boolean;
}
export interface NotExpr {
  readonly kind: "not";
  readonly arg: Expr;
}
export interface AndExpr {
  readonly kind: "and";
  readonly args: readonly Expr[];
}
export interface OrExpr {
  readonly kind: "or";
  readonly args: readonly Expr[];
}
/** `is_chassis_resident("port")`, the only function of the language. */
export interface FuncExpr {
  readonly kind: "func";
  readonly name: "is_chassis_resident";
  readonly arg: string;
  readonly negated: boolean;
}
/** Annotated: `(field & mask) relop value`, value and mask in the field's coordinates. */
export interface TestExpr {
  readonly kind: "test";
  readonly field: string;
  readonly relop: Relop;
  readonly value: bigint;
  readonly mask: bigint;
}
/** Annotated: a string field (inport, outport) compared with a port name. */
export interface StrTestExpr {
  readonly kind: "strtest";
  readonly field: string;
  readonly relop: "==" | "!=";
  readonly value: string;
}
/** Normalised: the field matches any one of the masked values (kept whole for conjunctive matches). */
export interface SetExpr {
  readonly kind: "set";
  readonly field: string;
  readonly values: readonly { readonly value: bigint; readonly mask: bigint }[];
}
/** Normalised: a string field equals any one of the names. */
export interface StrSetExpr {
  readonly kind: "strset";
  readonly field: string;
  readonly values: readonly string[];
}

export type Expr =
  | BoolExpr
  | CmpExpr
  | NotExpr
  | AndExpr
  | OrExpr
  | FuncExpr
  | TestExpr
  | StrTestExpr
  | SetExpr
  | StrSetExpr;

export type ExprKind = Expr["kind"];

// ---- Constructors (frozen) --------------------------------------------------------------------------

export const TRUE: BoolExpr = Object.freeze({ kind: "bool", value: true });
export const FALSE: BoolExpr = Object.freeze({ kind: "bool", value: false });

export function bool(value: boolean): BoolExpr {
  return value ? TRUE : FALSE;
}

export function cmp(field: FieldRef, relop: Relop, operands: readonly Operand[], set: boolean): CmpExpr {
  return Object.freeze({ kind: "cmp", field, relop, operands: Object.freeze([...operands]), set });
}

export function not(arg: Expr): NotExpr {
  return Object.freeze({ kind: "not", arg });
}

export function and(args: readonly Expr[]): AndExpr {
  return Object.freeze({ kind: "and", args: Object.freeze([...args]) });
}

export function or(args: readonly Expr[]): OrExpr {
  return Object.freeze({ kind: "or", args: Object.freeze([...args]) });
}

export function func(arg: string, negated = false): FuncExpr {
  return Object.freeze({ kind: "func", name: "is_chassis_resident", arg, negated });
}

export function test(field: string, relop: Relop, value: bigint, mask: bigint): TestExpr {
  return Object.freeze({ kind: "test", field, relop, value, mask });
}

export function strtest(field: string, relop: "==" | "!=", value: string): StrTestExpr {
  return Object.freeze({ kind: "strtest", field, relop, value });
}

export function set(field: string, values: readonly { value: bigint; mask: bigint }[]): SetExpr {
  return Object.freeze({
    kind: "set",
    field,
    values: Object.freeze(values.map((v) => Object.freeze({ value: v.value, mask: v.mask }))),
  });
}

export function strset(field: string, values: readonly string[]): StrSetExpr {
  return Object.freeze({ kind: "strset", field, values: Object.freeze([...values]) });
}

export function fieldRef(symbol: string, range: { lo: number; hi: number } | null = null): FieldRef {
  return Object.freeze({ symbol, range: range === null ? null : Object.freeze({ ...range }) });
}

/** `a && b && ...`, flattening nested conjunctions and dropping `1`s; `0` if any is `0`. */
export function andOf(args: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  for (const a of args) {
    if (a.kind === "bool") {
      if (!a.value) return FALSE;
      continue;
    }
    if (a.kind === "and") flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 0) return TRUE;
  if (flat.length === 1) return flat[0] as Expr;
  return and(flat);
}

/** `a || b || ...`, flattening nested disjunctions and dropping `0`s; `1` if any is `1`. */
export function orOf(args: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  for (const a of args) {
    if (a.kind === "bool") {
      if (a.value) return TRUE;
      continue;
    }
    if (a.kind === "or") flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 0) return FALSE;
  if (flat.length === 1) return flat[0] as Expr;
  return or(flat);
}

/** Structural equality of two trees (bigints and nested arrays included). */
export function exprEquals(a: Expr, b: Expr): boolean {
  return stableKey(a) === stableKey(b);
}

/** A string that is equal for structurally equal trees; usable as a map key. */
export function stableKey(e: unknown): string {
  return JSON.stringify(e, (_k, v: unknown) => (typeof v === "bigint" ? `${v.toString(16)}n` : v));
}
