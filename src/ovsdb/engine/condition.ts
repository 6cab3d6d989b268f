// Conditions (RFC 7047 §5.1 <condition>, ovsdb-server(7) §5.1): parsed once against the table schema,
// then evaluated against rows. A transact "where" is a conjunction; a monitor "where" is a disjunction
// (and may contain the booleans true/false).
import { compareAtoms, type SymbolTable } from "../data/atom.js";
import {
  type Datum,
  datumEquals,
  datumExcludes,
  datumFromJson,
  datumFromJsonNoSize,
  datumIncludes,
} from "../data/datum.js";
import { OvsdbError, syntaxError } from "../error.js";
import {
  type Atom,
  type ColumnSchema,
  isOptionalScalar,
  isScalar,
  type TableSchema,
  typeToString,
} from "../schema/types.js";
import type { Row } from "./row.js";

export type CondFunction = "<" | "<=" | "==" | "!=" | ">=" | ">" | "includes" | "excludes";
const FUNCTIONS = new Set<string>(["<", "<=", "==", "!=", ">=", ">", "includes", "excludes"]);

export interface Clause {
  readonly kind: "clause";
  readonly column: ColumnSchema;
  readonly fn: CondFunction;
  readonly arg: Datum;
}
export interface Constant {
  readonly kind: "const";
  readonly value: boolean;
}
export type Condition = Clause | Constant;

/** Value of a column of a row, including the _uuid/_version pseudo-columns. */
export function columnValue(row: Row, c: ColumnSchema): Datum {
  if (c.index >= 0) return row.cols[c.index] as Datum;
  return { keys: [c.index === -1 ? row.uuid : row.version] };
}

export function parseClause(
  t: TableSchema,
  j: unknown,
  symtab: SymbolTable | null,
  allowBool: boolean,
): Condition {
  if (typeof j === "boolean") {
    if (!allowBool) throw syntaxError(j, "Parse error in condition.");
    return { kind: "const", value: j };
  }
  if (!Array.isArray(j) || j.length !== 3 || typeof j[0] !== "string" || typeof j[1] !== "string")
    throw syntaxError(j, "Parse error in condition.");
  const [cname, fname, argJson] = j as [string, string, unknown];
  const column = t.columns.get(cname);
  if (column === undefined) throw syntaxError(j, `No column ${cname} in table ${t.name}.`, "unknown column");
  if (!FUNCTIONS.has(fname)) throw new OvsdbError("unknown function", `No function named ${fname}.`);
  const fn = fname as CondFunction;
  const type = column.type;
  let arg: Datum;
  if (fn === "<" || fn === "<=" || fn === ">" || fn === ">=") {
    if (
      !(isScalar(type) || isOptionalScalar(type)) ||
      (type.key.type !== "integer" && type.key.type !== "real")
    )
      throw syntaxError(
        j,
        `Type mismatch: "${fn}" operator may not be applied to column ${cname} of type ${typeToString(type)}.`,
      );
    arg = datumFromJson(argJson, { key: type.key, min: 1, max: 1 }, symtab);
  } else if (fn === "==" || fn === "!=") {
    arg = datumFromJson(argJson, type, symtab);
  } else {
    arg = datumFromJsonNoSize(argJson, type, symtab);
  }
  return { kind: "clause", column, fn, arg };
}

export function parseWhere(
  t: TableSchema,
  j: unknown,
  symtab: SymbolTable | null,
  allowBool: boolean,
): Condition[] {
  if (!Array.isArray(j)) throw syntaxError(j, "Parse error in condition.");
  return j.map((c) => parseClause(t, c, symtab, allowBool));
}

export function evalClause(c: Condition, row: Row): boolean {
  if (c.kind === "const") return c.value;
  const v = columnValue(row, c.column);
  switch (c.fn) {
    case "==":
      return datumEquals(v, c.arg);
    case "!=":
      return !datumEquals(v, c.arg);
    case "includes":
      return datumIncludes(v, c.arg);
    case "excludes":
      return datumExcludes(v, c.arg);
    default: {
      if (v.keys.length === 0) return false;
      const cmp = compareAtoms(v.keys[0] as Atom, c.arg.keys[0] as Atom);
      switch (c.fn) {
        case "<":
          return cmp < 0;
        case "<=":
          return cmp <= 0;
        case ">":
          return cmp > 0;
        case ">=":
          return cmp >= 0;
      }
    }
  }
}

/** Transact semantics: every clause must hold (an empty list selects every row). */
export function matchesAll(conds: readonly Condition[], row: Row): boolean {
  for (const c of conds) if (!evalClause(c, row)) return false;
  return true;
}

/** Monitor semantics: any clause may hold; an empty list means true. */
export function matchesAny(conds: readonly Condition[], row: Row): boolean {
  if (conds.length === 0) return true;
  for (const c of conds) if (evalClause(c, row)) return true;
  return false;
}

/** A uuid the conjunction pins the row to (a `_uuid == X` clause), for direct lookup. */
export function pinnedUuid(conds: readonly Condition[]): string | undefined {
  for (const c of conds)
    if (c.kind === "clause" && c.fn === "==" && c.column.name === "_uuid" && c.arg.keys.length === 1)
      return c.arg.keys[0] as string;
  return undefined;
}
