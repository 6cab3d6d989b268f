// Generates the typed rows of a database from its .ovsschema: one interface per table, a type mapping
// table names to row types, and the model (column metadata) the IDL converts values with. Pure: schema
// JSON in, TypeScript text out. scripts/gen-rows.ts writes the files; a test checks they are current.
import { parseSchema } from "../schema/parse.js";
import type { BaseType, ColumnSchema, ColumnType, TableSchema } from "../schema/types.js";
import { typeToString } from "../schema/types.js";
import { kindOf, propName } from "./model.js";

export interface GenerateOptions {
  /** Prefix of the exported names: "OvnNb" gives OvnNbTables and ovnNbModel. */
  readonly prefix: string;
  /** Where the schema came from, for the header ("schemas/ovn-nb.ovsschema"). */
  readonly source: string;
}

/** Names a table's interface must not take: they are the file's other exports or TypeScript globals. */
const RESERVED = new Set([
  "Uuid",
  "DbModel",
  "Map",
  "Set",
  "Array",
  "Object",
  "String",
  "Number",
  "Boolean",
  "Date",
]);

/** "Logical_Switch_Port" → "LogicalSwitchPort", "NB_Global" → "NbGlobal", "Open_vSwitch" → "OpenVSwitch". */
export function interfaceName(table: string): string {
  return table
    .split("_")
    .filter((p) => p !== "")
    .map((p) => (p.length > 1 && p === p.toUpperCase() ? p[0] + p.slice(1).toLowerCase() : p))
    .map((p) => (p[0] as string).toUpperCase() + p.slice(1))
    .join("");
}

function literal(a: unknown): string {
  return JSON.stringify(a);
}

function baseTs(b: BaseType): string {
  if (b.enum !== undefined) return b.enum.map(literal).join(" | ");
  switch (b.type) {
    case "integer":
    case "real":
      return "number";
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "uuid":
      return b.refTable === undefined ? "string" : `Uuid<${literal(b.refTable)}>`;
  }
}

function isUnion(ts: string): boolean {
  return ts.includes(" | ");
}

/** The TypeScript type of a column's value in a typed row. */
export function columnTs(t: ColumnType): string {
  const key = baseTs(t.key);
  switch (kindOf(t)) {
    case "scalar":
      return key;
    case "optional":
      return `${key} | undefined`;
    case "set":
      return isUnion(key) ? `readonly (${key})[]` : `readonly ${key}[]`;
    case "map":
      return `ReadonlyMap<${key}, ${baseTs(t.value as BaseType)}>`;
  }
}

function describe(c: ColumnSchema): string {
  const parts = [typeToString(c.type)];
  for (const b of [c.type.key, c.type.value]) {
    if (b?.refTable !== undefined) parts.push(`${b.refType} reference to ${b.refTable}`);
    if (b?.minInteger !== undefined || b?.maxInteger !== undefined)
      parts.push(`integer in [${b.minInteger ?? "-inf"}, ${b.maxInteger ?? "inf"}]`);
    if (b?.minLength !== undefined || b?.maxLength !== undefined)
      parts.push(`length in [${b.minLength ?? 0}, ${b.maxLength ?? "inf"}]`);
  }
  if (c.ephemeral) parts.push("ephemeral");
  if (!c.mutable) parts.push("immutable");
  return `\`${c.name}\`: ${parts.join("; ")}.`;
}

function tableInterface(t: TableSchema, name: string): string[] {
  const lines = [`/** Table ${t.name}${t.isRoot ? " (root)" : ""}. */`, `export interface ${name} {`];
  lines.push(`  readonly _uuid: Uuid<${literal(t.name)}>;`);
  for (const c of t.userColumns) {
    lines.push(`  /** ${describe(c)} */`);
    lines.push(`  readonly ${propName(c.name)}: ${columnTs(c.type)};`);
  }
  lines.push("}");
  return lines;
}

function checkNames(tables: readonly TableSchema[], prefix: string): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const t of tables) {
    const n = interfaceName(t.name);
    const clash = taken.get(n);
    if (clash !== undefined || RESERVED.has(n) || n === `${prefix}Tables`)
      throw new Error(`tables ${clash ?? "(reserved)"} and ${t.name} both map to the name ${n}`);
    taken.set(n, t.name);
    names.set(t.name, n);
    const props = new Map<string, string>([["_uuid", "_uuid"]]);
    for (const c of t.userColumns) {
      const p = propName(c.name);
      const other = props.get(p);
      if (other !== undefined)
        throw new Error(`table ${t.name}: columns ${other} and ${c.name} both map to ${p}`);
      props.set(p, c.name);
    }
  }
  return names;
}

function modelLines(tables: readonly TableSchema[]): string[] {
  const lines: string[] = [];
  for (const t of tables) {
    lines.push(`    ${t.name}: {`);
    lines.push(`      isRoot: ${t.isRoot},`);
    lines.push("      columns: [");
    for (const c of t.userColumns) {
      const typeJson = (c.json as { type: unknown }).type;
      lines.push(`        [${literal(propName(c.name))}, ${literal(c.name)}, ${JSON.stringify(typeJson)}],`);
    }
    lines.push("      ],");
    lines.push("    },");
  }
  return lines;
}

/** The TypeScript module for a schema. Deterministic: same schema, same text. */
export function generateRows(schemaJson: unknown, opts: GenerateOptions): string {
  const schema = parseSchema(schemaJson);
  const tables = [...schema.tables.values()];
  const names = checkNames(tables, opts.prefix);
  const tablesType = `${opts.prefix}Tables`;
  const modelName = `${opts.prefix[0]?.toLowerCase()}${opts.prefix.slice(1)}Model`;
  const cksum = schema.cksum === undefined ? "" : `, cksum ${schema.cksum}`;
  const out: string[] = [
    "// generated — do not edit.",
    `// Made by scripts/gen-rows.ts (\`npm run gen\`) from ${opts.source}: ${schema.name} ${schema.version}${cksum}.`,
    "// biome-ignore-all format: generated code",
    "",
    'import { type DbModel, defineModel, type Uuid } from "../model.js";',
    "",
  ];
  for (const t of tables) out.push(...tableInterface(t, names.get(t.name) as string), "");
  out.push(`/** Every table of ${schema.name}: its typed row by table name. */`);
  out.push(`export type ${tablesType} = {`);
  for (const t of tables) out.push(`  readonly ${t.name}: ${names.get(t.name)};`);
  out.push("};", "");
  out.push(`/** The ${schema.name} model: how the IDL converts each column. */`);
  out.push(`export const ${modelName}: DbModel<${tablesType}> = defineModel<${tablesType}>({`);
  out.push(`  name: ${literal(schema.name)},`);
  out.push(`  version: ${literal(schema.version)},`);
  if (schema.cksum !== undefined) out.push(`  cksum: ${literal(schema.cksum)},`);
  out.push("  tables: {", ...modelLines(tables), "  },", "});", "");
  return out.join("\n");
}

/** The schemas the repository generates rows for: file stem → export prefix. */
export const GENERATED_SCHEMAS: readonly {
  readonly stem: "ovn-nb" | "ovn-sb" | "vswitch";
  readonly prefix: string;
}[] = [
  { stem: "ovn-nb", prefix: "OvnNb" },
  { stem: "ovn-sb", prefix: "OvnSb" },
  { stem: "vswitch", prefix: "Vswitch" },
];
