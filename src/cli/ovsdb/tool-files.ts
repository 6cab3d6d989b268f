// Files for ovsdb-tool: schema files and standalone database files, opened and written with the C tool's
// error messages (observed from ovsdb-tool 3.1):
//   failed to read schema: "F" could not be read as JSON (error opening "F": No such file or directory)
//   syntax "JSON": syntax error: failed to parse "F" as ovsdb schema: DETAILS
//   I/O error: F: open failed (No such file or directory)
//   ovsdb error: F: cannot identify file type        (empty file)
//   ovsdb error: F: unexpected file format           (not an OVSDB log)
//   F: failed to lock lockfile (Resource temporarily unavailable)
// The tool's file-system edge (rpc.ts is the client's network edge; the formatting modules are pure).
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import { configureLog } from "../../base/log.js";
import { errorText } from "../../jsonrpc/transport/errno.js";
import { Database } from "../../ovsdb/engine/database.js";
import { applyRecord, rebuildDerived } from "../../ovsdb/engine/records.js";
import { OvsdbError } from "../../ovsdb/error.js";
import { LogFile } from "../../ovsdb/storage/file.js";
import { LockError } from "../../ovsdb/storage/lockfile.js";
import { encodeRecords, readLog } from "../../ovsdb/storage/log.js";
import { Fatal } from "./fatal.js";
import {
  isObject,
  type OJson,
  type OJsonObject,
  OvsJsonError,
  parseOvsJson,
  serializeOvsJson,
  toPlainJson,
} from "./ovs-json.js";
import { type ToolSchema, toolSchema } from "./schema-json.js";

const MAGIC = "OVSDB JSON ";
const CLUSTER_MAGIC = "OVSDB CLUSTER ";
const DB_MODE = 0o640;

/** Warnings (a busy lock file) go to stderr in the C console format. */
export function logWarningsToStderr(): void {
  configureLog({
    level: "WARN",
    sinks: [(line) => process.stderr.write(`${line.replace(/^(\S+?)\.\d+Z\|/, "$1Z|")}\n`)],
  });
}

/** Reads and parses a schema file. */
export async function readSchemaFile(path: string): Promise<ToolSchema> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new Fatal(
      `failed to read schema: "${path}" could not be read as JSON (error opening "${path}": ${errorText(e)})`,
    );
  }
  let json: OJson;
  try {
    json = parseOvsJson(text);
  } catch (e) {
    if (e instanceof OvsJsonError)
      throw new Fatal(`failed to read schema: "${path}" could not be read as JSON (${e.message})`);
    throw e;
  }
  return schemaOrDie(json, `"${path}"`);
}

/**
 * The C parser's complaint about the schema object's own members, checked in its order (name, version,
 * cksum, tables, then members it does not know, then the version's format), or undefined. Problems
 * deeper in the schema are worded by src/ovsdb/schema.
 */
function topLevelProblem(json: OJson): string | undefined {
  if (!isObject(json)) return "Parsing database schema failed: Object expected.";
  const fail = (m: string): string => `Parsing database schema failed: ${m}`;
  const members: [string, boolean, (v: OJson) => boolean][] = [
    ["name", true, (v) => typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)],
    ["version", false, (v) => typeof v === "string"],
    ["cksum", false, (v) => typeof v === "string"],
    ["tables", true, (v) => isObject(v)],
  ];
  for (const [name, required, ok] of members) {
    const v = json[name];
    if (v === undefined || v === null) {
      if (required) return fail(`Required '${name}' member is missing.`);
    } else if (!ok(v)) return fail(`Type mismatch for member '${name}'.`);
  }
  const extra = Object.keys(json).find((k) => !members.some(([m]) => m === k));
  if (extra !== undefined) return fail(`Member '${extra}' is present but not allowed here.`);
  if (typeof json.version === "string" && !/^\d+\.\d+\.\d+$/.test(json.version))
    return `schema version "${json.version}" not in format x.y.z`;
  return undefined;
}

/** A schema from JSON, or the C tool's "failed to parse ... as ovsdb schema" error. */
export function schemaOrDie(json: OJson, what: string): ToolSchema {
  const prefix = `syntax error: failed to parse ${what} as ovsdb schema`;
  const syntax = isObject(json) ? `syntax "${serializeOvsJson(json, { sort: true })}": ` : "";
  const problem = topLevelProblem(json);
  if (problem !== undefined) throw new Fatal(`${syntax}${prefix}: ${problem}`);
  try {
    return toolSchema(json);
  } catch (e) {
    if (e instanceof OvsdbError) throw new Fatal(`${syntax}${prefix}: ${e.details ?? e.message}`);
    throw e;
  }
}

/** The records of a database file, parsed with the OVS JSON rules (for show-log and the db-* commands). */
export async function readDbRecords(path: string): Promise<OJsonObject[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Fatal(`I/O error: ${path}: open failed (${errorText(e)})`);
  }
  checkMagic(path, bytes);
  try {
    const r = readLog(bytes, { parse: parseOvsJson });
    if (r.records.length === 0) throw new Fatal(`ovsdb error: ${path}: cannot identify file type`);
    return r.records as OJsonObject[];
  } catch (e) {
    if (e instanceof Fatal) throw e;
    throw new Fatal(`ovsdb error: ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkMagic(path: string, bytes: Uint8Array): void {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 16));
  if (bytes.length === 0) throw new Fatal(`ovsdb error: ${path}: cannot identify file type`);
  if (head.startsWith(CLUSTER_MAGIC))
    throw new Fatal(`ovsdb error: ${path}: clustered databases are not supported (standalone only)`);
  if (!head.startsWith(MAGIC)) throw new Fatal(`ovsdb error: ${path}: unexpected file format`);
}

/** The schema of a database file (its first record). */
export async function readDbSchema(path: string): Promise<ToolSchema> {
  const [first] = await readDbRecords(path);
  return schemaOrDie(first as OJson, `"${path}"`);
}

export interface LoadedDb {
  readonly schema: ToolSchema;
  /** The transaction records, as read. */
  readonly records: readonly OJsonObject[];
  readonly db: Database;
  /** Open with the write lock (when asked for): append or replace through it, then close it. */
  readonly file: LogFile | undefined;
  readonly path: string;
}

/**
 * Opens a database and loads it into the engine. With `lock`, the file is locked for writing (the error
 * is prefixed "I/O error: " when `ioPrefix`, as ovsdb-tool transact words it).
 */
export async function loadDb(path: string, opts: { lock: boolean; ioPrefix: boolean }): Promise<LoadedDb> {
  const records = await readDbRecords(path);
  const schema = schemaOrDie(records[0] as OJson, `"${path}"`);
  let file: LogFile | undefined;
  if (opts.lock) {
    try {
      file = (await LogFile.open(path, { codec: { stringify: (v) => serializeOvsJson(v as OJson) } })).file;
    } catch (e) {
      if (e instanceof LockError) throw new Fatal(`${opts.ioPrefix ? "I/O error: " : ""}${e.message}`);
      throw e;
    }
  }
  try {
    const db = new Database(schema.model);
    for (const r of records.slice(1)) applyRecord(db, toPlainJson(r));
    rebuildDerived(db);
    return { schema, records: records.slice(1), db, file, path };
  } catch (e) {
    await file?.close();
    if (e instanceof OvsdbError) throw new Fatal(`ovsdb error: ${path}: ${e.details ?? e.message}`);
    throw e;
  }
}

/** Serialises records in the OVS JSON format (reals as reals, 64-bit integers exact). */
export function encodeToolRecords(records: readonly OJson[]): Uint8Array {
  return encodeRecords(records as unknown[], { stringify: (v) => serializeOvsJson(v as OJson) });
}

/** Writes a whole database file at `path` (new or replacing whatever is there). */
export async function writeDbFile(path: string, records: readonly OJson[]): Promise<void> {
  const bytes = encodeToolRecords(records);
  const tmp = `${path}.tmp`;
  await unlink(tmp).catch(() => undefined);
  const fh = await open(tmp, "wx", DB_MODE);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Creates a database file that must not exist yet ("create failed (File exists)"). */
export async function createDbFile(path: string, records: readonly OJson[]): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, "wx", DB_MODE);
  } catch (e) {
    throw new Fatal(`I/O error: ${path}: create failed (${errorText(e)})`);
  }
  try {
    await fh.writeFile(encodeToolRecords(records));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** File size (for the read-only commit error of `ovsdb-tool query`). */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
