// Fields as used by actions: how they print, and the checks OVN makes on field arguments.

import type { SymbolDef } from "../expr/symbols.js";
import { fail } from "../expr/token-stream.js";
import type { FieldSpec } from "./ast.js";

/** `reg0` for the whole symbol, `reg0[3]` for one bit, `reg0[0..7]` for a range. */
export function formatField(f: FieldSpec): string {
  if (f.width === 0 || (f.lo === 0 && f.hi === f.width - 1)) return f.symbol;
  return f.lo === f.hi ? `${f.symbol}[${f.lo}]` : `${f.symbol}[${f.lo}..${f.hi}]`;
}

/** `reg0[0..31]`: the explicit form OVN uses in its error messages. */
export function formatFieldExplicit(f: FieldSpec): string {
  return `${f.symbol}[${f.lo}..${f.hi}]`;
}

export function fieldWidth(f: FieldSpec): number {
  return f.hi - f.lo + 1;
}

export interface ActionField {
  readonly spec: FieldSpec;
  readonly def: SymbolDef;
}

export function isStringField(f: ActionField): boolean {
  return f.def.kind === "string";
}

export function requireStringField(f: ActionField): void {
  if (!isStringField(f)) fail(`Cannot use numeric field ${f.def.name} where string field is required.`);
}

/** A numeric field, of exactly `width` bits if given. */
export function requireNumericField(f: ActionField, width?: number): void {
  if (isStringField(f)) fail(`Cannot use string field ${f.def.name} where numeric field is required.`);
  const w = fieldWidth(f.spec);
  if (width !== undefined && w !== width) {
    fail(`Cannot use ${w}-bit field ${formatFieldExplicit(f.spec)} where ${width}-bit field is required.`);
  }
}
