// Printing expressions.  Syntax trees print in the form they were written (symbols, subfields, constant
// formats, sets, address sets), so that parsing the output gives back the same tree.  Annotated and
// normalised trees print like OVN's own formatter: whole fields, a contiguous mask shown as a subfield
// (`xxreg0[96..127] == 0x1`), single bits as `f[n]` / `!f[n]`, values in hex with zero as `0`.
// Whatever we print parses again; where OVN's own text would not (a subfield of a nominal field) we
// print the masked constant instead.

import type { Expr, ExprKind, FieldRef, Operand } from "./ast.js";
import { OVN_SYMBOLS, type SymbolTable, symbolLevel, symbolWidth } from "./symbols.js";
import { allOnes, bitLength, formatConstant, formatHex, quoteString } from "./values.js";

type Printer = { [K in ExprKind]: (e: Extract<Expr, { kind: K }>) => string };

/** Prints an expression of any stage. */
export function printExpr(e: Expr, symbols: SymbolTable = OVN_SYMBOLS): string {
  const p: Printer = {
    bool: (x) => (x.value ? "1" : "0"),
    cmp: (x) => {
      const field = printFieldRef(x.field);
      if (isBare(x, symbols)) return field;
      const rhs = x.set
        ? `{${x.operands.map(printOperand).join(", ")}}`
        : printOperand(x.operands[0] as Operand);
      return `${field} ${x.relop} ${rhs}`;
    },
    not: (x) => {
      const a = x.arg;
      const simple =
        (a.kind === "cmp" && isBare(a, symbols)) || a.kind === "bool" || (a.kind === "func" && !a.negated);
      return simple ? `!${printExpr(a, symbols)}` : `!(${printExpr(a, symbols)})`;
    },
    and: (x) =>
      x.args
        .map((a) =>
          a.kind === "or" || a.kind === "and" ? `(${printExpr(a, symbols)})` : printExpr(a, symbols),
        )
        .join(" && "),
    or: (x) =>
      x.args
        .map((a) =>
          a.kind === "and" || a.kind === "or" ? `(${printExpr(a, symbols)})` : printExpr(a, symbols),
        )
        .join(" || "),
    func: (x) => `${x.negated ? "!" : ""}${x.name}(${quoteString(x.arg)})`,
    test: (x) => printTest(x.field, x.relop, x.value, x.mask, symbols),
    strtest: (x) => `${x.field} ${x.relop} ${quoteString(x.value)}`,
    set: (x) => printSet(x.field, x.values, symbols),
    strset: (x) => `${x.field} == {${x.values.map(quoteString).join(", ")}}`,
  };
  return (p[e.kind] as (e: Expr) => string)(e);
}

export function printFieldRef(f: FieldRef): string {
  if (f.range === null) return f.symbol;
  return f.range.lo === f.range.hi
    ? `${f.symbol}[${f.range.lo}]`
    : `${f.symbol}[${f.range.lo}..${f.range.hi}]`;
}

export function printOperand(o: Operand): string {
  switch (o.kind) {
    case "int":
      return formatConstant(o.constant);
    case "str":
      return quoteString(o.value);
    case "addrset":
      return `$${o.name}`;
    case "portgroup":
      return `@${o.name}`;
  }
}

/** `ip4` for `ip4 == 1`: a 1-bit symbol compared with a plain decimal 1 is written bare. */
function isBare(x: Extract<Expr, { kind: "cmp" }>, symbols: SymbolTable): boolean {
  const o = x.operands[0];
  if (x.set || x.relop !== "==" || o === undefined || o.kind !== "int") return false;
  const c = o.constant;
  if (c.mask !== null || c.format !== "decimal" || c.value !== 1n) return false;
  if (x.field.range !== null) return x.field.range.lo === x.field.range.hi;
  const def = symbols.lookup(x.field.symbol);
  return def !== undefined && symbolWidth(def) === 1;
}

function fieldInfo(field: string, symbols: SymbolTable): { width: number; nominal: boolean } {
  const def = symbols.lookup(field);
  if (def === undefined) return { width: 128, nominal: false };
  return { width: symbolWidth(def) ?? 0, nominal: symbolLevel(def) === "nominal" };
}

/** The bits lo..hi if `mask` is one contiguous run of ones. */
function contiguous(mask: bigint): { lo: number; hi: number } | null {
  if (mask === 0n) return null;
  const lo = bitLength(mask & -mask) - 1;
  const run = mask >> BigInt(lo);
  if ((run & (run + 1n)) !== 0n) return null;
  return { lo, hi: lo + bitLength(run) - 1 };
}

function printTest(field: string, relop: string, value: bigint, mask: bigint, symbols: SymbolTable): string {
  const { width, nominal } = fieldInfo(field, symbols);
  if (mask === allOnes(width)) return `${field} ${relop} ${formatHex(value)}`;
  const run = nominal ? null : contiguous(mask);
  if (run === null) return `${field} ${relop} ${maskedHex(value, mask)}`;
  if (run.lo === run.hi && (relop === "==" || relop === "!=")) {
    const bit = (value >> BigInt(run.lo)) & 1n;
    return (bit === 1n) === (relop === "==") ? `${field}[${run.lo}]` : `!${field}[${run.lo}]`;
  }
  const sub = run.lo === run.hi ? `[${run.lo}]` : `[${run.lo}..${run.hi}]`;
  return `${field}${sub} ${relop} ${formatHex(value >> BigInt(run.lo))}`;
}

/** `value/mask` in hex; OVN writes zero as `0`, which parses only when both are zero. */
function maskedHex(value: bigint, mask: bigint): string {
  if (value === 0n && mask === 0n) return "0/0";
  return `0x${value.toString(16)}/0x${mask.toString(16)}`;
}

function printSet(
  field: string,
  values: readonly { value: bigint; mask: bigint }[],
  symbols: SymbolTable,
): string {
  const { width, nominal } = fieldInfo(field, symbols);
  const first = values[0];
  const sameMask = first !== undefined && values.every((v) => v.mask === first.mask);
  if (sameMask && first.mask === allOnes(width)) {
    return `${field} == {${values.map((v) => formatHex(v.value)).join(", ")}}`;
  }
  const run = sameMask && !nominal ? contiguous(first.mask) : null;
  if (run !== null) {
    const sub = run.lo === run.hi ? `[${run.lo}]` : `[${run.lo}..${run.hi}]`;
    return `${field}${sub} == {${values.map((v) => formatHex(v.value >> BigInt(run.lo))).join(", ")}}`;
  }
  return `${field} == {${values.map((v) => maskedHex(v.value, v.mask)).join(", ")}}`;
}
