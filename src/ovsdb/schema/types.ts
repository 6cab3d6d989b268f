// The OVSDB schema model (RFC 7047 §3.2 plus Open vSwitch's extensions: indexes, ephemeral, mutable).

export type AtomicType = "integer" | "real" | "boolean" | "string" | "uuid";
export const ATOMIC_TYPES: readonly AtomicType[] = ["integer", "real", "boolean", "string", "uuid"];

/** integer/real → number, boolean → boolean, string/uuid → string (uuids lowercase canonical). */
export type Atom = number | boolean | string;

export interface BaseType {
  readonly type: AtomicType;
  /** Sorted, unique; undefined when the type is not an enumeration. */
  readonly enum?: readonly Atom[];
  readonly minInteger?: number;
  readonly maxInteger?: number;
  readonly minReal?: number;
  readonly maxReal?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly refTable?: string;
  readonly refType: "strong" | "weak";
}

export interface ColumnType {
  readonly key: BaseType;
  readonly value?: BaseType;
  readonly min: number;
  /** Infinity for "unlimited". */
  readonly max: number;
}

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  readonly ephemeral: boolean;
  readonly mutable: boolean;
  /** Position of the column's datum in a row's column array. */
  readonly index: number;
  /** The JSON the column was declared with, kept to re-serialise the schema unchanged. */
  readonly json: unknown;
}

export interface TableSchema {
  readonly name: string;
  /** User columns followed by _uuid and _version, by name. */
  readonly columns: ReadonlyMap<string, ColumnSchema>;
  /** User columns in row order (index 0..n-1); _uuid/_version are not stored in the array. */
  readonly userColumns: readonly ColumnSchema[];
  readonly isRoot: boolean;
  readonly maxRows: number;
  /** Each index is a list of column schemas whose values must be unique together. */
  readonly indexes: readonly (readonly ColumnSchema[])[];
  readonly json: unknown;
}

export interface DatabaseSchema {
  readonly name: string;
  readonly version: string;
  readonly cksum?: string;
  readonly tables: ReadonlyMap<string, TableSchema>;
  readonly json: Record<string, unknown>;
}

export function isMap(t: ColumnType): boolean {
  return t.value !== undefined;
}

export function isScalar(t: ColumnType): boolean {
  return t.value === undefined && t.min === 1 && t.max === 1;
}

export function isOptionalScalar(t: ColumnType): boolean {
  return t.value === undefined && t.min === 0 && t.max === 1;
}

export function typeToString(t: ColumnType): string {
  const range = (): string => {
    if (t.max === Infinity) return t.min === 0 ? "" : `${t.min} or more `;
    return t.min === 0 ? `up to ${t.max} ` : t.min === t.max ? `${t.min} ` : `${t.min} to ${t.max} `;
  };
  if (t.value !== undefined) return `map of ${range()}(${t.key.type}, ${t.value.type}) pairs`;
  if (t.min === 1 && t.max === 1) return t.key.type;
  return `set of ${range()}${t.key.type}s`;
}
