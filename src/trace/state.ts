// The packet being traced: every field of the logical-flow language as a whole-field value (integers as
// bigints, inport/outport as port names), with bit-range access in the symbol coordinates actions use.

import type { FieldSpec } from "../actions/ast.js";
import { baseField, OVN_SYMBOLS } from "../expr/symbols.js";
import { allOnes } from "../expr/values.js";

/** A symbol's bits located in its whole field. */
export interface FieldBits {
  readonly field: string;
  readonly lo: number;
  readonly hi: number;
}

export class PacketState {
  readonly fields: Map<string, bigint | string>;

  constructor(fields: Iterable<[string, bigint | string]> = []) {
    this.fields = new Map(fields);
  }

  clone(): PacketState {
    return new PacketState(this.fields);
  }

  str(field: string): string {
    const v = this.fields.get(field);
    return typeof v === "string" ? v : "";
  }

  int(field: string): bigint {
    const v = this.fields.get(field);
    return typeof v === "bigint" ? v : 0n;
  }

  getBits(b: FieldBits): bigint {
    return (this.int(b.field) >> BigInt(b.lo)) & allOnes(b.hi - b.lo + 1);
  }

  setBits(b: FieldBits, value: bigint): void {
    const w = b.hi - b.lo + 1;
    const mask = allOnes(w) << BigInt(b.lo);
    const cur = this.int(b.field);
    this.fields.set(b.field, (cur & ~mask) | ((value & allOnes(w)) << BigInt(b.lo)));
  }

  /** Reads a field spec: a port name for string fields, else the bits as an integer. */
  read(spec: FieldSpec): bigint | string {
    if (isStringSymbol(spec.symbol)) return this.str(spec.symbol);
    return this.getBits(locate(spec));
  }

  write(spec: FieldSpec, v: bigint | string): void {
    if (isStringSymbol(spec.symbol)) {
      this.fields.set(spec.symbol, typeof v === "string" ? v : "");
      return;
    }
    this.setBits(locate(spec), typeof v === "bigint" ? v : 0n);
  }
}

export function isStringSymbol(symbol: string): boolean {
  return OVN_SYMBOLS.lookup(symbol)?.kind === "string";
}

/** Where a symbol's bits `[spec.lo..spec.hi]` live in its whole field. */
export function locate(spec: FieldSpec): FieldBits {
  const def = OVN_SYMBOLS.lookup(spec.symbol);
  const base = def === undefined ? null : baseField(OVN_SYMBOLS, def);
  if (base === null) return { field: spec.symbol, lo: spec.lo, hi: spec.hi };
  return { field: base.field.name, lo: base.lo + spec.lo, hi: base.lo + spec.hi };
}

/** A whole symbol as a field spec (for fields named by the interpreter itself). */
export function spec(symbol: string): FieldSpec {
  const def = OVN_SYMBOLS.lookup(symbol);
  const width = def === undefined || def.kind === "string" ? 0 : def.width;
  return { symbol, lo: 0, hi: Math.max(0, width - 1), width };
}

/** Metadata that lives in registers, not in the packet: changing it is not a visible transformation. */
const METADATA = /^(x?x?reg\d+|inport|outport|flags|pkt\.mark|ct_state|ct_mark|ct_label)$/;

export function isPacketField(field: string): boolean {
  return !METADATA.test(field);
}

/** Logical metadata cleared when a packet crosses into another datapath (connection state stays). */
export function isDatapathMetadata(field: string): boolean {
  return METADATA.test(field) && !field.startsWith("ct_");
}
