// Mutations (RFC 7047 §5.1 <mutation>): parsed against the table schema, applied to a datum.
import { compareAtoms, type SymbolTable } from "../data/atom.js";
import {
  checkDatumConstraints,
  type Datum,
  datumFromJsonNoSize,
  datumSubtract,
  datumUnion,
} from "../data/datum.js";
import { OvsdbError, syntaxError } from "../error.js";
import {
  type Atom,
  type ColumnSchema,
  type ColumnType,
  type TableSchema,
  typeToString,
} from "../schema/types.js";

export type Mutator = "+=" | "-=" | "*=" | "/=" | "%=" | "insert" | "delete";
const MUTATORS = new Set<string>(["+=", "-=", "*=", "/=", "%=", "insert", "delete"]);

export interface Mutation {
  readonly column: ColumnSchema;
  readonly mutator: Mutator;
  readonly arg: Datum;
  /** For "delete" on a map: the argument is a set of keys rather than a map. */
  readonly keysOnly: boolean;
}

function unconstrained(t: ColumnType): ColumnType {
  const strip = (b: ColumnType["key"]) => ({
    type: b.type,
    refType: b.refType,
    ...(b.refTable ? { refTable: b.refTable } : {}),
  });
  return { key: strip(t.key), min: 0, max: Infinity };
}

export function parseMutation(t: TableSchema, j: unknown, symtab: SymbolTable | null): Mutation {
  if (!Array.isArray(j) || j.length !== 3 || typeof j[0] !== "string" || typeof j[1] !== "string")
    throw syntaxError(j, "Parse error in mutation.");
  const [cname, mname, argJson] = j as [string, string, unknown];
  const column = t.columns.get(cname);
  if (column === undefined) throw syntaxError(j, `No column ${cname} in table ${t.name}.`, "unknown column");
  if (!MUTATORS.has(mname)) throw new OvsdbError("unknown mutator", `No mutator named ${mname}.`);
  if (column.index < 0 || !column.mutable)
    throw new OvsdbError(
      "constraint violation",
      `Cannot mutate immutable column ${cname} in table ${t.name}.`,
      j,
    );
  const mutator = mname as Mutator;
  const type = column.type;
  const mismatch = () =>
    syntaxError(
      j,
      `Type mismatch: "${mutator}" operator may not be applied to column ${cname} of type ${typeToString(type)}.`,
    );
  if (mutator === "insert" || mutator === "delete") {
    if (type.value === undefined && type.min === 1 && type.max === 1) throw mismatch();
    const relaxed: ColumnType = { ...type, min: 0, max: Infinity };
    if (mutator === "delete" && type.value !== undefined) {
      // A map's delete takes either a map (remove matching pairs) or a set of keys.
      if (Array.isArray(argJson) && argJson[0] === "map") {
        return {
          column,
          mutator,
          arg: datumFromJsonNoSize(argJson, { ...relaxed }, symtab),
          keysOnly: false,
        };
      }
      const keyType: ColumnType = { key: type.key, min: 0, max: Infinity };
      return { column, mutator, arg: datumFromJsonNoSize(argJson, keyType, symtab), keysOnly: true };
    }
    return { column, mutator, arg: datumFromJsonNoSize(argJson, relaxed, symtab), keysOnly: false };
  }
  const kt = type.key.type;
  if (type.value !== undefined || (kt !== "integer" && kt !== "real")) throw mismatch();
  if (mutator === "%=" && kt !== "integer") throw mismatch();
  const argType: ColumnType = { ...unconstrained(type), min: 1, max: 1 };
  return { column, mutator, arg: datumFromJsonNoSize(argJson, argType, symtab), keysOnly: false };
}

// As doubles: 2^63 - 1 is not representable and rounds to 2^63, which is what these comparisons use.
const INT64_MAX = 2 ** 63;
const INT64_MIN = -(2 ** 63);

function arith(m: Mutator, a: number, b: number, integer: boolean): number {
  let r: number;
  switch (m) {
    case "+=":
      r = a + b;
      break;
    case "-=":
      r = a - b;
      break;
    case "*=":
      r = a * b;
      break;
    case "/=":
      if (b === 0) throw new OvsdbError("domain error", "Division by zero.");
      r = integer ? Math.trunc(a / b) : a / b;
      break;
    default:
      if (b === 0) throw new OvsdbError("domain error", "Division by zero.");
      r = a % b;
      break;
  }
  if (integer ? r > INT64_MAX || r < INT64_MIN : !Number.isFinite(r))
    throw new OvsdbError("range error", `Result of "${m}" operation is out of range.`);
  return r;
}

/** Applies one mutation to a datum; throws the RFC's errors (domain/range/constraint). */
export function applyMutation(m: Mutation, d: Datum, tableName: string): Datum {
  const type = m.column.type;
  let out: Datum;
  switch (m.mutator) {
    case "insert":
      out = datumUnion(d, m.arg);
      break;
    case "delete":
      out = datumSubtract(d, m.arg, m.keysOnly);
      break;
    default: {
      const b = m.arg.keys[0] as number;
      const integer = type.key.type === "integer";
      const keys = d.keys.map((a) => arith(m.mutator, a as number, b, integer));
      for (let i = 1; i < keys.length; i++) {
        if (compareAtoms(keys[i - 1] as Atom, keys[i] as Atom) >= 0) {
          const sorted = [...keys].sort((x, y) => x - y);
          for (let k = 1; k < sorted.length; k++)
            if (sorted[k] === sorted[k - 1])
              throw new OvsdbError(
                "constraint violation",
                `Result of "${m.mutator}" operation contains duplicate values.`,
              );
          out = { keys: sorted };
          checkDatumConstraints(out, type);
          return out;
        }
      }
      out = { keys };
      checkDatumConstraints(out, type);
      return out;
    }
  }
  const n = out.keys.length;
  if (n < type.min || n > type.max) {
    const what = type.value !== undefined ? "map" : "set";
    throw new OvsdbError(
      "constraint violation",
      `Attempted to store ${n} elements in ${what} of ${typeToString(type)} in column ${m.column.name} of table ${tableName}; the column must have ${type.min} to ${type.max === Infinity ? "unlimited" : type.max} elements.`,
    );
  }
  if (m.mutator === "insert") checkDatumConstraints(out, type);
  return out;
}
