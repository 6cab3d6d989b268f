// A naive evaluator: does an annotated or normalised expression match a packet?  It is the reference
// the optimised forms are checked against (property tests) and what the tracer will use.

import type { Expr, Relop } from "./ast.js";

/** A packet as the values of whole fields (annotated field names); absent fields read as 0 or "". */
export interface Packet {
  readonly fields: ReadonlyMap<string, bigint | string>;
  /** Whether a logical port is resident on this chassis (for is_chassis_resident()). */
  readonly isChassisResident?: (port: string) => boolean;
}

function compare(a: bigint, relop: Relop, b: bigint): boolean {
  switch (relop) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function intField(p: Packet, f: string): bigint {
  const v = p.fields.get(f);
  return typeof v === "bigint" ? v : 0n;
}

function strField(p: Packet, f: string): string {
  const v = p.fields.get(f);
  return typeof v === "string" ? v : "";
}

/** Evaluates an annotated or normalised expression; syntax-tree nodes must be annotated first. */
export function evaluate(e: Expr, p: Packet): boolean {
  switch (e.kind) {
    case "bool":
      return e.value;
    case "and":
      return e.args.every((a) => evaluate(a, p));
    case "or":
      return e.args.some((a) => evaluate(a, p));
    case "not":
      return !evaluate(e.arg, p);
    case "func":
      return (p.isChassisResident?.(e.arg) ?? false) !== e.negated;
    case "test":
      return compare(intField(p, e.field) & e.mask, e.relop, e.value);
    case "strtest":
      return (strField(p, e.field) === e.value) === (e.relop === "==");
    case "set": {
      const x = intField(p, e.field);
      return e.values.some((v) => (x & v.mask) === v.value);
    }
    case "strset":
      return e.values.includes(strField(p, e.field));
    case "cmp":
      throw new Error("evaluate: annotate the expression first");
  }
}
