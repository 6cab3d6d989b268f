// `ovnts ovsdb-tool`: a drop-in for Open vSwitch's ovsdb-tool on standalone database files (see
// ovsdb-tool(1)). Output, error messages and exit statuses are those of the 3.1 tool; the files it
// writes are byte for byte what the C tool writes, apart from dates and row UUIDs.
//   ovnts ovsdb-tool [OPTIONS] COMMAND [ARG...]
// The default DB is $OVS_DBDIR/conf.db (/etc/openvswitch/conf.db), the default SCHEMA
// $OVS_PKGDATADIR/vswitch.ovsschema (/usr/share/openvswitch/vswitch.ovsschema).
import { join } from "node:path";
import { dbDir } from "../daemon/paths.js";
import { recordJson, schemaRecordJson } from "./ovsdb/c-order.js";
import { parseJsonArg } from "./ovsdb/client-data.js";
import { Fatal } from "./ovsdb/fatal.js";
import { count, GetoptError, type GetoptResult, getopt, type OptSpec } from "./ovsdb/getopt.js";
import { type OJson, serializeOvsJson, toPlainJson } from "./ovsdb/ovs-json.js";
import { schemaToOJson, type ToolSchema } from "./ovsdb/schema-json.js";
import { showLog } from "./ovsdb/show-log.js";
import { exitOnStdoutFailure } from "./ovsdb/stdio.js";
import {
  createDbFile,
  fileSize,
  loadDb,
  logWarningsToStderr,
  readDbRecords,
  readDbSchema,
  readSchemaFile,
  schemaOrDie,
  writeDbFile,
} from "./ovsdb/tool-files.js";
import {
  COMPACT_COMMENT,
  CONVERT_COMMENT,
  checkRecordsFit,
  convertDb,
  snapshotFile,
} from "./ovsdb/tool-rewrite.js";
import { IoError, runToolTxn } from "./ovsdb/tool-txn.js";
import { VERSION } from "./version.js";

const PROGRAM = "ovsdb-tool";

const OPTIONS: readonly OptSpec[] = [
  { name: "more", short: "m" },
  { name: "rbac-role", arg: "required" },
  { name: "election-timer", arg: "required" },
  { name: "cid", arg: "required" },
  { name: "verbose", short: "v", arg: "optional" },
  { name: "log-file", arg: "optional" },
  { name: "syslog-method", arg: "required" },
  { name: "syslog-target", arg: "required" },
  { name: "help", short: "h" },
  { name: "version", short: "V" },
];

function defaultDb(): string {
  return join(dbDir(), "conf.db");
}

function defaultSchema(): string {
  return join(process.env.OVS_PKGDATADIR || "/usr/share/openvswitch", "vswitch.ovsschema");
}

interface ToolCommand {
  readonly min: number;
  readonly max: number;
  run(args: readonly string[], opts: GetoptResult): Promise<number | undefined>;
}

const out = (text: string): void => {
  process.stdout.write(text);
};

function strOf(v: OJson | undefined): string {
  return typeof v === "string" ? v : "";
}

async function printSchemaField(
  args: readonly string[],
  ofDb: boolean,
  field: "name" | "version" | "cksum",
): Promise<undefined> {
  const s: ToolSchema = ofDb
    ? await readDbSchema(args[0] ?? defaultDb())
    : await readSchemaFile(args[0] ?? defaultSchema());
  out(`${field === "name" ? s.model.name : strOf(s.json[field])}\n`);
  return undefined;
}

function sameSchema(a: ToolSchema, b: ToolSchema): boolean {
  return (
    serializeOvsJson(schemaToOJson(a), { sort: true }) === serializeOvsJson(schemaToOJson(b), { sort: true })
  );
}

async function transactCommand(args: readonly string[], readOnly: boolean): Promise<undefined> {
  const path = args.length > 1 ? (args[0] as string) : defaultDb();
  const text = args[args.length - 1] as string;
  const loaded = await loadDb(path, { lock: !readOnly, ioPrefix: true });
  try {
    const params = parseJsonArg(text);
    const size = readOnly ? await fileSize(path) : 0;
    const r = runToolTxn(loaded.schema, loaded.db, params, toPlainJson(params), {
      readOnly,
      // The C tool opens the file read-only for query, so its commit fails writing and then cannot cut
      // the file back: this is the error it reports.
      readOnlyError: () => new IoError(`${path}: cannot truncate to length ${size}`, "Invalid argument"),
      now: Date.now(),
    });
    if (r.record !== null && loaded.file !== undefined)
      await loaded.file.append(recordJson(loaded.schema, r.record), { durable: true });
    out(`${serializeOvsJson(r.output, { sort: true })}\n`);
  } finally {
    await loaded.file?.close();
  }
  return undefined;
}

const COMMANDS: Readonly<Record<string, ToolCommand>> = {
  create: {
    min: 0,
    max: 2,
    async run(args) {
      const schema = await readSchemaFile(args[1] ?? defaultSchema());
      await createDbFile(args[0] ?? defaultDb(), [schemaRecordJson(schema)]);
      return undefined;
    },
  },
  compact: {
    min: 0,
    max: 2,
    async run(args) {
      const path = args[0] ?? defaultDb();
      const target = args[1];
      const loaded = await loadDb(path, { lock: target === undefined, ioPrefix: false });
      try {
        const records = snapshotFile(loaded.schema, loaded.db, Date.now(), COMPACT_COMMENT);
        await writeDbFile(target ?? path, records);
      } finally {
        await loaded.file?.close();
      }
      return undefined;
    },
  },
  convert: {
    min: 0,
    max: 3,
    async run(args) {
      const path = args[0] ?? defaultDb();
      const target = args[2];
      const loaded = await loadDb(path, { lock: target === undefined, ioPrefix: false });
      try {
        const to = await readSchemaFile(args[1] ?? defaultSchema());
        checkRecordsFit(loaded.records, to);
        const db = convertDb(loaded.db, to);
        await writeDbFile(target ?? path, snapshotFile(to, db, Date.now(), CONVERT_COMMENT));
      } finally {
        await loaded.file?.close();
      }
      return undefined;
    },
  },
  "needs-conversion": {
    min: 0,
    max: 2,
    async run(args) {
      const dbSchema = await readDbSchema(args[0] ?? defaultDb());
      const fileSchema = await readSchemaFile(args[1] ?? defaultSchema());
      out(sameSchema(dbSchema, fileSchema) ? "no\n" : "yes\n");
      return undefined;
    },
  },
  "db-name": { min: 0, max: 1, run: (a) => printSchemaField(a, true, "name") },
  "db-version": { min: 0, max: 1, run: (a) => printSchemaField(a, true, "version") },
  "db-cksum": { min: 0, max: 1, run: (a) => printSchemaField(a, true, "cksum") },
  "schema-name": { min: 0, max: 1, run: (a) => printSchemaField(a, false, "name") },
  "schema-version": { min: 0, max: 1, run: (a) => printSchemaField(a, false, "version") },
  "schema-cksum": { min: 0, max: 1, run: (a) => printSchemaField(a, false, "cksum") },
  query: { min: 1, max: 2, run: (a) => transactCommand(a, true) },
  transact: { min: 1, max: 2, run: (a) => transactCommand(a, false) },
  "show-log": {
    min: 0,
    max: 1,
    async run(args, opts) {
      const path = args[0] ?? defaultDb();
      const records = await readDbRecords(path);
      const schema = schemaOrDie(records[0] as OJson, `"${path}"`);
      out(showLog(schema, records, count(opts, "more")));
      return undefined;
    },
  },
  "db-is-standalone": {
    min: 1,
    max: 1,
    async run(args) {
      await readDbRecords(args[0] as string);
      return 0;
    },
  },
  "db-is-clustered": {
    min: 1,
    max: 1,
    async run(args) {
      await readDbRecords(args[0] as string);
      return 2;
    },
  },
  "compare-versions": {
    min: 3,
    max: 3,
    async run(args) {
      const [a, op, b] = args as [string, string, string];
      const cmp = compareVersions(versionOrDie(a), versionOrDie(b));
      const ops: Record<string, (c: number) => boolean> = {
        "<": (c) => c < 0,
        "<=": (c) => c <= 0,
        "==": (c) => c === 0,
        ">=": (c) => c >= 0,
        ">": (c) => c > 0,
        "!=": (c) => c !== 0,
      };
      const test = ops[op];
      if (test === undefined) throw new Fatal(`${op}: not a relational operator`);
      return test(cmp) ? 0 : 2;
    },
  },
};

function versionOrDie(v: string): number[] {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (m === null) throw new Fatal(`${v}: not an OVSDB version number in format x.y.z`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  return 0;
}

function usage(): string {
  return `${PROGRAM}: Open vSwitch database management utility (ovnts)
usage: ${PROGRAM} [OPTIONS] COMMAND [ARG...]
  create [DB [SCHEMA]]    create DB with the given SCHEMA
  compact [DB [DST]]      compact DB in-place (or to DST)
  convert [DB [SCHEMA [DST]]]   convert DB to SCHEMA (to DST)
  db-name [DB]            report name of schema used by DB
  db-version [DB]         report version of schema used by DB
  db-cksum [DB]           report checksum of schema used by DB
  db-is-clustered DB      test whether DB is clustered
  db-is-standalone DB     test whether DB is standalone
  schema-name [SCHEMA]    report SCHEMA's name
  schema-version [SCHEMA] report SCHEMA's schema version
  schema-cksum [SCHEMA]   report SCHEMA's checksum
  compare-versions A OP B  compare OVSDB schema version numbers
  query [DB] TRNS         execute read-only transaction on DB
  transact [DB] TRNS      execute read/write transaction on DB
  [-m]... show-log [DB]   print DB's log entries
The default DB is ${defaultDb()}.
The default SCHEMA is ${defaultSchema()}.

Other options:
  -m, --more                  increase show-log verbosity
  -h, --help                  display this help message
  -V, --version               display version information
`;
}

export async function run(argv: string[]): Promise<number | undefined> {
  exitOnStdoutFailure(PROGRAM);
  try {
    let parsed: GetoptResult;
    try {
      parsed = getopt(argv, OPTIONS);
    } catch (e) {
      if (e instanceof GetoptError) throw new Fatal(e.message);
      throw e;
    }
    if (count(parsed, "help") > 0) {
      out(usage());
      return 0;
    }
    if (count(parsed, "version") > 0) {
      out(`${PROGRAM} (ovnts) ${VERSION}\n`);
      return 0;
    }
    const [name, ...args] = parsed.args;
    if (name === undefined) throw new Fatal("missing command name; use --help for help");
    const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (cmd === undefined) throw new Fatal(`unknown command '${name}'; use --help for help`);
    if (args.length < cmd.min) throw new Fatal(`'${name}' command requires at least ${cmd.min} arguments`);
    if (args.length > cmd.max) throw new Fatal(`'${name}' command takes at most ${cmd.max} arguments`);
    logWarningsToStderr();
    return (await cmd.run(args, parsed)) ?? 0;
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    process.stderr.write(`${PROGRAM}: ${e.message}\n`);
    return e.status;
  }
}
