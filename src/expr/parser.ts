// Parser and type checker for match expressions (ovn-sb(5), Logical_Flow "match").
//
// Produces a syntax tree (see ast.ts) after checking every comparison the way OVN 23.03 does, with the
// same error texts: symbol and subfield validity, string versus integer constants, constant widths,
// operators allowed on nominal fields, sets and masked constants, and the rule that nominal fields and
// predicates may only be tested positively once enclosing `!` operators are taken into account.
// Address sets (`$name`) and port groups (`@name`) are resolved through lookups passed in; an unknown
// name is the same syntax error as in OVN.

import {
  and,
  bool,
  type CmpExpr,
  cmp,
  type Expr,
  type FieldRef,
  fieldRef,
  func,
  not,
  type Operand,
  or,
  RELOPS,
  type Relop,
} from "./ast.js";
import { type IntConstant, type Token, tokenize } from "./lexer.js";
import { OVN_SYMBOLS, type SymbolDef, type SymbolTable, symbolLevel, symbolWidth } from "./symbols.js";
import { fail, type Result, runParse, TokenStream } from "./token-stream.js";
import { constantWidth } from "./values.js";

/** Where names in an expression are looked up. */
export interface ExprContext {
  readonly symbols: SymbolTable;
  /** Address_Set contents by name (`$name`); entries are address strings such as "10.0.0.0/24". */
  readonly addressSets?: (name: string) => readonly string[] | undefined;
  /** Port_Group member port names by name (`@name`). */
  readonly portGroups?: (name: string) => readonly string[] | undefined;
}

export const DEFAULT_CONTEXT: ExprContext = { symbols: OVN_SYMBOLS };

/** Parses and type-checks a whole match expression. */
export function parseExpr(input: string, ctx: ExprContext = DEFAULT_CONTEXT): Result<Expr> {
  const ts = new TokenStream(input);
  return runParse(ts, () => {
    const p = new ExprParser(ts, ctx);
    const e = p.parseExpr();
    if (!ts.is("end")) ts.fail("end of input");
    return e;
  });
}

const isRelop = (t: Token): t is Token & { type: Relop } => (RELOPS as readonly string[]).includes(t.type);

/** Operator with its operands swapped: `5 < x` is `x > 5`. */
const SWAPPED: Record<Relop, Relop> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
/** Operator of the negated comparison. */
export const NEGATED: Record<Relop, Relop> = {
  "==": "!=",
  "!=": "==",
  "<": ">=",
  "<=": ">",
  ">": "<=",
  ">=": "<",
};

/** A field named in an expression, resolved against the symbol table. */
export interface ResolvedField {
  readonly ref: FieldRef;
  readonly def: SymbolDef;
}

/** Recursive-descent parser; also used by the action parser for fields and constants. */
export class ExprParser {
  constructor(
    readonly ts: TokenStream,
    readonly ctx: ExprContext,
  ) {}

  /** `a && b && ...` or `a || b || ...`; mixing the two needs parentheses. */
  parseExpr(negated = false): Expr {
    const first = this.parseNot(negated);
    const op = this.ts.token.type;
    if (op !== "&&" && op !== "||") return first;
    const args = [first];
    while (this.ts.match(op)) args.push(this.parseNot(negated));
    const other = op === "&&" ? "||" : "&&";
    if (this.ts.is(other)) fail("&& and || must be parenthesized when used together.");
    return op === "&&" ? and(args) : or(args);
  }

  private parseNot(negated: boolean): Expr {
    if (!this.ts.match("!")) return this.parsePrimary(negated, false);
    return not(this.parsePrimary(!negated, true));
  }

  private parsePrimary(negated: boolean, afterNot: boolean): Expr {
    const ts: TokenStream = this.ts;
    const t = ts.token;
    if (ts.match("(")) {
      const e = this.parseExpr(negated);
      ts.expect(")");
      return e;
    }
    if (t.type === "id") {
      if (ts.peek().type === "(") return this.parseFunction();
      return this.parseFieldFirst(negated, afterNot);
    }
    if (t.type === "integer" && t.constant.mask === null && !isRelop(ts.peek())) {
      if (t.constant.value === 0n || t.constant.value === 1n) {
        ts.advance();
        return bool(t.constant.value === 1n);
      }
    }
    return this.parseConstantFirst(negated, afterNot);
  }

  private parseFunction(): Expr {
    const ts: TokenStream = this.ts;
    if (!ts.matchId("is_chassis_resident")) fail("parsing function name");
    ts.expect("(");
    const t = ts.token;
    if (t.type !== "string") ts.fail("string");
    ts.advance();
    ts.expect(")");
    return func(t.value);
  }

  /** `field`, `field relop constant(s)`. */
  private parseFieldFirst(negated: boolean, afterNot: boolean): Expr {
    const f = this.parseField();
    const t = this.ts.token;
    if (!isRelop(t)) return this.bareField(f, negated);
    if (afterNot) fail("Missing parentheses around operand of !.");
    this.ts.advance();
    const { operands, set } = this.parseConstantSet();
    return this.makeCmp(f, t.type, operands, set, negated);
  }

  /** `constant relop field` or the range form `c1 < field < c2`. */
  private parseConstantFirst(negated: boolean, afterNot: boolean): Expr {
    const ts: TokenStream = this.ts;
    const { operands, set } = this.parseConstantSet();
    const r1 = ts.token;
    if (!isRelop(r1)) ts.fail("relational operator");
    if (afterNot) fail("Missing parentheses around operand of !.");
    ts.advance();
    const f = this.parseField();
    const first = this.makeCmp(f, SWAPPED[r1.type], operands, set, negated);
    const r2 = ts.token;
    if (!isRelop(r2)) return first;
    const lessThan = (r: Relop): boolean => r === "<" || r === "<=";
    const greaterThan = (r: Relop): boolean => r === ">" || r === ">=";
    if (!((lessThan(r1.type) && lessThan(r2.type)) || (greaterThan(r1.type) && greaterThan(r2.type)))) {
      fail(
        "Range expressions must have the form `x < field < y' or `x > field > y', with each `<' optionally replaced by `<=' or `>' by `>=').",
      );
    }
    ts.advance();
    const second = this.parseConstantSet();
    return and([first, this.makeCmp(f, r2.type, second.operands, second.set, negated)]);
  }

  /** A bare 1-bit field or predicate means `field == 1`. */
  private bareField(f: ResolvedField, negated: boolean): Expr {
    const width = f.ref.range !== null ? f.ref.range.hi - f.ref.range.lo + 1 : symbolWidth(f.def);
    if (width !== 1) fail("Explicit `!= 0' is required for inequality test of multibit field against 0.");
    const one: Operand = { kind: "int", constant: { value: 1n, mask: null, format: "decimal" } };
    return this.makeCmp(f, "==", [one], false, negated);
  }

  // ---- Fields ---------------------------------------------------------------------------------------

  /** A symbol with an optional `[bit]` or `[lo..hi]` subscript. */
  parseField(): ResolvedField {
    const ts: TokenStream = this.ts;
    const t = ts.token;
    const def = t.type === "id" ? this.ctx.symbols.lookup(t.name) : undefined;
    if (t.type !== "id" || def === undefined) ts.fail("field name");
    ts.advance();
    if (!ts.match("[")) return { ref: fieldRef(def.name), def };
    const lo = this.parseSmallInteger();
    const hi = ts.match("..") ? this.parseSmallInteger() : lo;
    ts.expect("]");
    if (def.kind === "string") fail(`Cannot select subfield of string field ${def.name}.`);
    if (symbolLevel(def) === "nominal" && def.kind !== "predicate") {
      fail(`Cannot select subfield of nominal field ${def.name}.`);
    }
    if (lo > hi) fail(`Invalid bit range ${lo} to ${hi}.`);
    const width = symbolWidth(def) ?? 0;
    if (hi >= width) fail(`Cannot select bits ${lo} to ${hi} of ${width}-bit field ${def.name}.`);
    return { ref: fieldRef(def.name, { lo, hi }), def };
  }

  parseSmallInteger(): number {
    const t = this.ts.token;
    if (t.type !== "integer" || t.constant.format !== "decimal" || t.constant.value > 0x7fffffffn) {
      this.ts.fail("small integer");
    }
    this.ts.advance();
    return Number(t.constant.value);
  }

  // ---- Constants ------------------------------------------------------------------------------------

  /** A constant, `$addrset`, `@portgroup`, or `{...}` of them (commas optional). */
  parseConstantSet(): { operands: Operand[]; set: boolean } {
    const ts: TokenStream = this.ts;
    if (!ts.match("{")) return { operands: [this.parseOperand(null)], set: false };
    const operands: Operand[] = [];
    let type: "int" | "str" | null = null;
    do {
      const o = this.parseOperand(type);
      type ??= operandType(o);
      operands.push(o);
      ts.match(",");
    } while (!ts.match("}"));
    return { operands, set: true };
  }

  /** One element; inside a set, `type` is the type its first element fixed. */
  parseOperand(type: "int" | "str" | null): Operand {
    const ts: TokenStream = this.ts;
    const t = ts.token;
    let o: Operand;
    switch (t.type) {
      case "string":
        o = { kind: "str", value: t.value };
        break;
      case "integer":
      case "masked-integer":
        o = { kind: "int", constant: t.constant };
        break;
      case "macro": {
        const entries = this.ctx.addressSets?.(t.name);
        if (entries === undefined) ts.fail("address set name");
        o = { kind: "addrset", name: t.name, values: parseAddresses(entries) };
        break;
      }
      case "port-group": {
        const ports = this.ctx.portGroups?.(t.name);
        if (ports === undefined) ts.fail("port group name");
        o = { kind: "portgroup", name: t.name, values: [...ports] };
        break;
      }
      default:
        ts.fail("constant");
    }
    if (type !== null && operandType(o) !== type) ts.fail(type === "int" ? "integer" : "string");
    ts.advance();
    return o;
  }

  // ---- Comparisons ----------------------------------------------------------------------------------

  /** Builds a comparison after OVN's checks, in OVN's order. */
  makeCmp(
    f: ResolvedField,
    relop: Relop,
    operands: readonly Operand[],
    set: boolean,
    negated: boolean,
  ): CmpExpr {
    const def = f.def;
    const fieldType = def.kind === "string" ? "string" : "integer";
    const width = symbolWidth(def);
    for (const o of operands) {
      const constType = operandType(o) === "str" ? "string" : "integer";
      if (constType !== fieldType) {
        const cap = fieldType === "string" ? "String" : "Integer";
        fail(`${cap} field ${def.name} is not compatible with ${constType} constant.`);
      }
      for (const c of intConstants(o)) {
        const w = constantWidth(c);
        if (width !== null && w > width)
          fail(`${w}-bit constant is not compatible with ${width}-bit field ${def.name}.`);
      }
    }
    const values = operands.flatMap(intConstants);
    const nValues = operands.reduce(
      (n, o) => n + (o.kind === "int" || o.kind === "str" ? 1 : o.values.length),
      0,
    );
    if (relop !== "==" && relop !== "!=") {
      if (nValues === 0)
        fail("Only == and != operators may be used to compare a field against an empty value set.");
      // Only sets written in braces count: `ip4.src < $set` is accepted, as in OVN.
      if (set) fail("Only == and != operators may be used with value sets.");
      if (values.some((c) => c.mask !== null)) {
        fail(
          "Only == and != operators may be used with masked constants.  Consider using subfields instead (e.g. eth.src[0..15] > 0x1111 in place of eth.src > 00:00:00:00:11:11/00:00:00:00:ff:ff).",
        );
      }
      if (symbolLevel(def) === "nominal")
        fail(`Only == and != operators may be used with nominal field ${def.name}.`);
    }
    const effective = negated ? NEGATED[relop] : relop;
    if (def.kind === "predicate" && def.level === "nominal") {
      const negative = values.some((c) => (c.value === 1n) !== (effective === "=="));
      if (negative) {
        const n = def.name;
        fail(
          `Nominal predicate ${n} may only be tested positively, e.g. \`${n}' or \`${n} == 1' but not \`!${n}' or \`${n} == 0'.`,
        );
      }
    } else if (symbolLevel(def) === "nominal" && effective !== "==") {
      fail(
        `Nominal field ${def.name} may only be tested for equality (taking enclosing \`!' operators into account).`,
      );
    }
    return cmp(f.ref, relop, operands, set);
  }
}

function operandType(o: Operand): "int" | "str" {
  return o.kind === "int" || o.kind === "addrset" ? "int" : "str";
}

function intConstants(o: Operand): readonly IntConstant[] {
  if (o.kind === "int") return [o.constant];
  if (o.kind === "addrset") return o.values;
  return [];
}

/** The constants of an address set's entries; entries that are not single constants are skipped. */
export function parseAddresses(entries: readonly string[]): IntConstant[] {
  const out: IntConstant[] = [];
  for (const e of entries) {
    const toks = tokenize(e);
    const t = toks[0];
    if (toks.length === 2 && t !== undefined && (t.type === "integer" || t.type === "masked-integer")) {
      out.push(t.constant);
    }
  }
  return out;
}
