// Canonical form of an OVSDB schema (RFC 7047 §3.2) for comparing schemas by meaning: a server may print
// "integer" where the file says {"key": {"type": "integer"}}, omit defaults or order enum members
// differently, and still serve the same schema. Pure; test-side oracle only.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function isObj(v: Json | undefined): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Members of an <atom> or ["set", [...]] enum, sorted so that order does not matter. */
function enumMembers(e: Json): Json[] {
  const members = Array.isArray(e) && e[0] === "set" && Array.isArray(e[1]) ? e[1] : [e];
  return [...members].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

function baseType(b: Json | undefined): Obj {
  const o: Obj = typeof b === "string" ? { type: b } : isObj(b) ? { ...b } : {};
  if (o.enum !== undefined) o.enum = enumMembers(o.enum);
  if (o.refTable !== undefined && o.refType === undefined) o.refType = "strong";
  return o;
}

function columnType(t: Json | undefined): Obj {
  if (typeof t === "string") return { key: { type: t }, min: 1, max: 1 };
  if (!isObj(t)) return {};
  const out: Obj = { key: baseType(t.key), min: t.min ?? 1, max: t.max ?? 1 };
  if (t.value !== undefined) out.value = baseType(t.value);
  return out;
}

function table(t: Json | undefined): Obj {
  if (!isObj(t)) return {};
  const columns: Obj = {};
  const cols = isObj(t.columns) ? t.columns : {};
  for (const [name, c] of Object.entries(cols)) {
    const col = isObj(c) ? c : {};
    columns[name] = {
      type: columnType(col.type),
      ephemeral: col.ephemeral ?? false,
      mutable: col.mutable ?? true,
    };
  }
  const out: Obj = { columns, isRoot: t.isRoot ?? false, indexes: t.indexes ?? [] };
  if (t.maxRows !== undefined) out.maxRows = t.maxRows;
  return out;
}

/** The schema with every default made explicit and every unordered part sorted. */
export function canonicalSchema(schema: Json): Obj {
  if (!isObj(schema)) throw new Error("schema is not a JSON object");
  const tables: Obj = {};
  const ts = isObj(schema.tables) ? schema.tables : {};
  for (const name of Object.keys(ts).sort()) tables[name] = table(ts[name]);
  const out: Obj = { name: schema.name ?? null, version: schema.version ?? null, tables };
  if (schema.cksum !== undefined) out.cksum = schema.cksum;
  return out;
}
