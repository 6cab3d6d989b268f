// The typed view of a database schema that the IDL works with. The generated files (generated/*.ts) declare
// one interface per table and call defineModel() with each column's schema type; this module turns that
// into the runtime metadata the replica and the transaction builder use to go between datums, wire JSON
// and typed values. Conventions of the typed rows:
//   - property names are the column names in camelCase ("external_ids" → externalIds), plus `_uuid`;
//   - a scalar is its value, a 0..1 set is `T | undefined`, a set `readonly T[]`, a map `ReadonlyMap<K, V>`;
//   - integers and reals are numbers, uuids strings; a reference is `Uuid<"Table">`, so rows of different
//     tables cannot be mixed up without a cast.
import { parseColumnType } from "../schema/parse.js";
import type { BaseType, ColumnType } from "../schema/types.js";

declare const tableOf: unique symbol;

/** A row uuid branded with its table. A plain string becomes one only through a cast (see asUuid). */
export type Uuid<T extends string = string> = string & { readonly [tableOf]: T };

/** Brands a string as a uuid of table T (no check: the caller vouches for it). */
export function asUuid<T extends string>(s: string): Uuid<T> {
  return s as Uuid<T>;
}

/** What every typed row has. */
export interface RowBase {
  readonly _uuid: string;
}

/** A database's typed rows by table name: a type alias (not an interface), so that it has an index signature. */
export type Tables = { readonly [table: string]: RowBase };

export type TableName<T> = keyof T & string;

/** The columns (typed-row properties) of a row type, without `_uuid`. */
export type ColumnOf<R> = Exclude<keyof R, "_uuid"> & string;

/** A row's values for insert or update: any subset of its columns. */
export type RowInput<R> = { readonly [C in ColumnOf<R>]?: R[C] };

/** One element of a set column's value; never for other columns. */
export type ElementOf<V> =
  V extends ReadonlyMap<unknown, unknown> ? never : V extends readonly (infer E)[] ? E : never;

/** What an index over a column is keyed by: set elements, map keys, or the (present) scalar value. */
export type IndexKeyOf<V> =
  V extends ReadonlyMap<infer K, unknown> ? K : V extends readonly (infer E)[] ? E : NonNullable<V>;

export type ConditionFunction = "==" | "!=" | "<" | "<=" | ">" | ">=" | "includes" | "excludes";

/**
 * A clause `[column, function, value]` of RFC 7047 §5.1 over typed values. The value has the column's
 * type; for a set column a single element is accepted too. `_uuid` may be used as a column.
 */
export type Clause<R> = {
  [C in keyof R & string]: readonly [C, ConditionFunction, R[C] | ElementOf<R[C]>];
}[keyof R & string];

/** A transact "where": every clause must hold. */
export type Where<R> = readonly Clause<R>[];

/**
 * A monitor condition (ovsdb-server(7) §4.1.12): a row is replicated when ANY clause holds; `true` and
 * `false` are clauses too. An empty list selects no row.
 */
export type MonitorCondition<R> = readonly (Clause<R> | boolean)[];

export type Mutator = "+=" | "-=" | "*=" | "/=" | "%=" | "insert" | "delete";

/**
 * The argument of a mutation of a column of type V: the number for arithmetic; for "insert"/"delete" a set
 * (or one element), a map, or — to delete map entries by key — an array of keys.
 */
export type MutationValue<V> =
  V extends ReadonlyMap<infer K, unknown>
    ? V | readonly K[]
    : V extends readonly (infer E)[]
      ? V | E
      : NonNullable<V> | readonly NonNullable<V>[];

/** How a column's datum appears in a typed row. */
export type ColumnKind = "scalar" | "optional" | "set" | "map";

export interface ColumnModel {
  /** Column name in the schema ("external_ids"). */
  readonly name: string;
  /** Property name in typed rows ("externalIds"). */
  readonly prop: string;
  readonly type: ColumnType;
  /**
   * The type without enum, range and length constraints: what the replica parses the server's values with,
   * so that a newer server's values (a new enum member) do not break an older client.
   */
  readonly wireType: ColumnType;
  readonly kind: ColumnKind;
  /** Position in the model's column list. */
  readonly index: number;
}

export interface TableModel {
  readonly name: string;
  readonly isRoot: boolean;
  readonly columns: readonly ColumnModel[];
  readonly byName: ReadonlyMap<string, ColumnModel>;
  readonly byProp: ReadonlyMap<string, ColumnModel>;
}

export interface DbModel<T extends Tables> {
  readonly name: string;
  readonly version: string;
  readonly cksum: string | undefined;
  readonly tables: ReadonlyMap<string, TableModel>;
  /** Never set: carries the row types. */
  readonly rowTypes?: T;
}

/** What a generated file hands to defineModel: per table, [property, column, schema type JSON] triples. */
export interface ModelSpec {
  readonly name: string;
  readonly version: string;
  readonly cksum?: string;
  readonly tables: {
    readonly [table: string]: {
      readonly isRoot: boolean;
      readonly columns: readonly (readonly [prop: string, column: string, type: unknown])[];
    };
  };
}

export function kindOf(t: ColumnType): ColumnKind {
  if (t.value !== undefined) return "map";
  if (t.max === 1) return t.min === 1 ? "scalar" : "optional";
  return "set";
}

function plainBase(b: BaseType): BaseType {
  return b.refTable === undefined
    ? { type: b.type, refType: b.refType }
    : { type: b.type, refTable: b.refTable, refType: b.refType };
}

function wireTypeOf(t: ColumnType): ColumnType {
  const key = plainBase(t.key);
  return t.value === undefined
    ? { key, min: t.min, max: t.max }
    : { key, value: plainBase(t.value), min: t.min, max: t.max };
}

/** Builds the runtime model from a generated spec (column types are parsed like a schema's). */
export function defineModel<T extends Tables>(spec: ModelSpec): DbModel<T> {
  const tables = new Map<string, TableModel>();
  for (const [name, t] of Object.entries(spec.tables)) {
    const columns: ColumnModel[] = t.columns.map(([prop, column, typeJson], index) => {
      const type = parseColumnType(typeJson, `table ${name} column ${column}`);
      return { name: column, prop, type, wireType: wireTypeOf(type), kind: kindOf(type), index };
    });
    tables.set(name, {
      name,
      isRoot: t.isRoot,
      columns,
      byName: new Map(columns.map((c) => [c.name, c])),
      byProp: new Map(columns.map((c) => [c.prop, c])),
    });
  }
  return { name: spec.name, version: spec.version, cksum: spec.cksum, tables };
}

/** The table's model; throws for a name the model does not have (a programming error). */
export function tableModel(model: DbModel<Tables>, table: string): TableModel {
  const t = model.tables.get(table);
  if (t === undefined) throw new Error(`${model.name}: no table ${table} in the model`);
  return t;
}

/** The column's model by property name; throws for an unknown property (a programming error). */
export function columnModel(t: TableModel, prop: string): ColumnModel {
  const c = t.byProp.get(prop);
  if (c === undefined) throw new Error(`table ${t.name} has no column ${prop}`);
  return c;
}

/** "external_ids" → "externalIds": the property name of a column in typed rows. */
export function propName(column: string): string {
  return column.replace(/_+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
