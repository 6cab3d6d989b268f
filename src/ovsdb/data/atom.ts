// Atoms (RFC 7047 §5.1): parsing from and printing to JSON, ordering, and checking a base type's
// constraints. uuids are lowercase strings; a named-uuid is resolved through the transaction's symbols.
import { isUuid } from "../../base/uuid.js";
import { OvsdbError, syntaxError } from "../error.js";
import type { Atom, AtomicType, BaseType } from "../schema/types.js";
import { randomUuid } from "./uuid-gen.js";

export interface UuidSymbol {
  uuid: string;
  /** Set once an insert with this uuid-name has run. */
  created: boolean;
  strongRef: boolean;
  weakRef: boolean;
}

/** Named uuids of one transaction (ovsdb "symbol table"); null where named-uuid is not allowed. */
export type SymbolTable = Map<string, UuidSymbol>;

export function symbolFor(symtab: SymbolTable, name: string): UuidSymbol {
  let s = symtab.get(name);
  if (s === undefined) {
    s = { uuid: randomUuid(), created: false, strongRef: false, weakRef: false };
    symtab.set(name, s);
  }
  return s;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SURROGATE_RE = /[\ud800-\udfff]/;

/**
 * Whether `s` holds any UTF-16 surrogate. Most strings a server parses are short names and keys: a loop
 * over their code units costs less than entering the regular expression (kept for long strings).
 */
function hasSurrogate(s: string): boolean {
  if (s.length > 32) return SURROGATE_RE.test(s);
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xf800) === 0xd800) return true;
  return false;
}
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function atomFromJson(j: unknown, base: BaseType, symtab: SymbolTable | null): Atom {
  const a = atomFromJsonUnchecked(j, base.type, symtab, base);
  checkAtomConstraints(a, base);
  return a;
}

function atomFromJsonUnchecked(
  j: unknown,
  type: AtomicType,
  symtab: SymbolTable | null,
  base: BaseType,
): Atom {
  switch (type) {
    case "integer":
      if (typeof j === "number" && Number.isInteger(j) && j < 2 ** 63 && j >= -(2 ** 63)) return j;
      throw syntaxError(j, "expected integer");
    case "real":
      if (typeof j === "number") return j;
      throw syntaxError(j, "expected real");
    case "boolean":
      if (typeof j === "boolean") return j;
      throw syntaxError(j, "expected boolean");
    case "string":
      if (typeof j === "string") {
        // A lone UTF-16 surrogate has no UTF-8 form: the database file could not be read back.
        if (hasSurrogate(j) && LONE_SURROGATE_RE.test(j)) throw syntaxError(j, "string is not valid UTF-8");
        return j;
      }
      throw syntaxError(j, "expected string");
    case "uuid": {
      if (Array.isArray(j) && j.length === 2 && typeof j[1] === "string") {
        if (j[0] === "uuid") {
          if (!isUuid(j[1])) throw syntaxError(j, `"${j[1]}" is not a valid UUID`);
          return j[1].toLowerCase();
        }
        if (j[0] === "named-uuid") {
          if (symtab === null) throw syntaxError(j, `named-uuid not allowed here`);
          if (!NAME_RE.test(j[1])) throw syntaxError(j, "named-uuid string is not a valid <id>");
          const sym = symbolFor(symtab, j[1]);
          if (base.refTable !== undefined) {
            if (base.refType === "strong") sym.strongRef = true;
            else sym.weakRef = true;
          }
          return sym.uuid;
        }
      }
      throw syntaxError(j, "expected uuid");
    }
  }
}

export function atomToJson(a: Atom, type: AtomicType): unknown {
  return type === "uuid" ? ["uuid", a] : a;
}

export function compareAtoms(a: Atom, b: Atom): number {
  if (a === b) return 0;
  if (typeof a === "number") return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === "boolean") return a ? 1 : -1;
  return (a as string) < (b as string) ? -1 : 1;
}

export function defaultAtom(type: AtomicType): Atom {
  switch (type) {
    case "integer":
    case "real":
      return 0;
    case "boolean":
      return false;
    case "string":
      return "";
    case "uuid":
      return "00000000-0000-0000-0000-000000000000";
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** An atom as ovsdb-server writes it in messages: strings bare when they are plain words. */
export function atomText(a: Atom, type: AtomicType): string {
  if (type !== "string") return String(a);
  const s = a as string;
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && s !== "true" && s !== "false" ? s : JSON.stringify(s);
}

function rangeError(n: number, lo: number | undefined, hi: number | undefined): OvsdbError {
  let msg: string;
  if (lo !== undefined && hi !== undefined)
    msg =
      lo === hi
        ? `${n} is not the only valid value ${lo}`
        : `${n} is not in the valid range ${lo} to ${hi} (inclusive)`;
  else if (lo !== undefined) msg = `${n} is less than minimum allowed value ${lo}`;
  else msg = `${n} is greater than maximum allowed value ${hi}`;
  return new OvsdbError("constraint violation", msg);
}

/** Checks enum and range constraints; throws "constraint violation" like ovsdb-server. */
export function checkAtomConstraints(a: Atom, base: BaseType): void {
  if (base.enum !== undefined) {
    if (!base.enum.some((e) => e === a)) {
      const list = `[${base.enum.map((e) => atomText(e, base.type)).join(", ")}]`;
      throw new OvsdbError(
        "constraint violation",
        `${atomText(a, base.type)} is not one of the allowed values (${list})`,
      );
    }
    return;
  }
  switch (base.type) {
    case "integer": {
      const n = a as number;
      const lo = base.minInteger;
      const hi = base.maxInteger;
      if ((lo !== undefined && n < lo) || (hi !== undefined && n > hi)) throw rangeError(n, lo, hi);
      return;
    }
    case "real": {
      const n = a as number;
      const lo = base.minReal;
      const hi = base.maxReal;
      if ((lo !== undefined && n < lo) || (hi !== undefined && n > hi)) throw rangeError(n, lo, hi);
      return;
    }
    case "string": {
      const s = a as string;
      if (base.minLength === undefined && base.maxLength === undefined) return;
      const len = utf8Length(s);
      if (base.minLength !== undefined && len < base.minLength)
        throw new OvsdbError(
          "constraint violation",
          `"${s}" length ${len} is less than minimum allowed length ${base.minLength}`,
        );
      if (base.maxLength !== undefined && len > base.maxLength)
        throw new OvsdbError(
          "constraint violation",
          `"${s}" length ${len} is greater than maximum allowed length ${base.maxLength}`,
        );
      return;
    }
    default:
      return;
  }
}
