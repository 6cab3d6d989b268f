// What the storage layer needs to know about a schema: for each column, its shape and default value.
// Deliberately small and independent of the engine's schema model: the file format only cares whether
// a column is written as a whole value or as a difference, and what "default" means for it.
//
// Kinds (decided by observing ovsdb-tool 3.1 transact output):
//   scalar   min 1, max 1, no value type         written whole
//   optional min 0, max 1, no value type         written whole (not as a set difference)
//   set      any other min/max, no value type    written as symmetric difference in "_is_diff" records
//   map      has a value type                    written as a map difference in "_is_diff" records

export type AtomicType = "integer" | "real" | "boolean" | "string" | "uuid";
export type ColumnKind = "scalar" | "optional" | "set" | "map";

export interface StorageColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly keyType: AtomicType;
  /** Only for maps. */
  readonly valueType?: AtomicType;
  readonly min: number;
  /** Infinity for "unlimited". */
  readonly max: number;
  /** Ephemeral columns are never written to the file (ovsdb(5)). */
  readonly ephemeral: boolean;
}

export interface StorageTable {
  readonly name: string;
  readonly columns: ReadonlyMap<string, StorageColumn>;
}

export interface StorageSchema {
  readonly name: string;
  readonly tables: ReadonlyMap<string, StorageTable>;
}

export class SchemaShapeError extends Error {
  override readonly name = "SchemaShapeError";
}

const ATOMIC: ReadonlySet<string> = new Set(["integer", "real", "boolean", "string", "uuid"]);

/** Reads the parts of an RFC 7047 schema (the first log record) that the storage layer uses. */
export function compileStorageSchema(schemaJson: unknown): StorageSchema {
  const s = asObject(schemaJson, "schema");
  const name = typeof s.name === "string" ? s.name : "";
  const tables = new Map<string, StorageTable>();
  for (const [tname, tjson] of Object.entries(asObject(s.tables, "schema tables"))) {
    const columns = new Map<string, StorageColumn>();
    const t = asObject(tjson, `table ${tname}`);
    for (const [cname, cjson] of Object.entries(asObject(t.columns, `columns of ${tname}`))) {
      columns.set(
        cname,
        compileColumn(cname, asObject(cjson, `column ${tname}.${cname}`), `${tname}.${cname}`),
      );
    }
    tables.set(tname, { name: tname, columns });
  }
  return { name, tables };
}

function compileColumn(name: string, c: { [k: string]: unknown }, where: string): StorageColumn {
  const ephemeral = c.ephemeral === true;
  const type = c.type;
  if (typeof type === "string")
    return { name, kind: "scalar", keyType: atomic(type, where), min: 1, max: 1, ephemeral };
  const t = asObject(type, `type of ${where}`);
  const keyType = baseType(t.key, where);
  const min = t.min === undefined ? 1 : Number(t.min);
  const max = t.max === undefined ? 1 : t.max === "unlimited" ? Number.POSITIVE_INFINITY : Number(t.max);
  if (!Number.isInteger(min) || !(max >= 1) || min > max) throw new SchemaShapeError(`${where}: bad min/max`);
  if (t.value !== undefined) {
    return { name, kind: "map", keyType, valueType: baseType(t.value, where), min, max, ephemeral };
  }
  const kind: ColumnKind = max === 1 ? (min === 1 ? "scalar" : "optional") : "set";
  return { name, kind, keyType, min, max, ephemeral };
}

function baseType(json: unknown, where: string): AtomicType {
  if (typeof json === "string") return atomic(json, where);
  return atomic(asObject(json, `base type of ${where}`).type, where);
}

function atomic(json: unknown, where: string): AtomicType {
  if (typeof json === "string" && ATOMIC.has(json)) return json as AtomicType;
  throw new SchemaShapeError(`${where}: unknown atomic type ${JSON.stringify(json)}`);
}

function asObject(json: unknown, what: string): { [k: string]: unknown } {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SchemaShapeError(`${what} is not a JSON object`);
  }
  return json as { [k: string]: unknown };
}
