// The differential harness for northd: one NB configuration, two northds — the real ovn-northd 23.03
// and `ovnts northd` — each writing its own SB; both SBs dumped into normalised text and compared.
//
//   NB_c (real ovsdb-server) ── ovn-northd ──► SB_c
//   NB_t (a byte copy of NB_c) ── ovnts northd ──► SB_t
//
// The scenario's ovn-nbctl commands run against NB_c before any northd starts; NB_t is then a backup
// of it, so both sides see the same NB rows with the same uuids (stage hints and external_ids compare
// directly). mac_prefix and svc_monitor_mac are fixed in NB_Global first, since C northd would pick
// random ones. `steps` run afterwards on both NBs, one at a time, each followed by `--wait=sb sync` on
// both sides — that exercises ovnts's incremental path (new rows then have different uuids on the two
// sides: uuids are normalised through the NB, so only names matter).
//
// Normalised forms:
//   Logical_Flow: "DP PIPELINE STAGE PRIORITY match=(MATCH) actions=(ACTIONS)[ hint=H][ io_port=P][ meter=M]"
//     DP is the datapath's NB name; a flow with a Logical_DP_Group gives one line per datapath;
//     H is the hinted NB row as "Table:name" (or "Table:#n"), or "Table:<grouped>" for a grouped row
//     (one row for flows with different hints carries one of them, and which one is not specified).
//   Other tables: one line per row, "Table col=value ..." with columns sorted, uuids and references
//     replaced by what they name (dp(NAME), pb(PORT), ch(NAME), or the referenced row inline), tunnel
//     keys of datapaths and ports left out unless `keys` is set. NB uuids inside strings (names,
//     actions) become <Table:name> too.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { ovntsBin } from "../../../test/support/paths.js";
import {
  type Daemon,
  nbctl,
  runOk,
  type Sandbox,
  startDbServer,
  startNorthd,
  waitUntil,
  withSandbox,
} from "../../../test/support/sandbox.js";

export interface Scenario {
  readonly name?: string;
  /** ovn-nbctl argument lists, run in order against the NB before the northds start. */
  readonly commands: readonly (readonly string[])[];
  /** ovn-nbctl argument lists run on both NBs after the first sync, one by one (incremental path). */
  readonly steps?: readonly (readonly string[])[];
}

export interface CompareOptions {
  /** Compare only flows of stages starting with one of these prefixes ("ls_in_acl", "lr_"). */
  readonly stages?: string | readonly string[];
  /**
   * Compare only these non-flow tables; default: all when no `stages` are given, none otherwise. With
   * `tables` and no `stages`, no flows are compared.
   */
  readonly tables?: readonly string[];
  /**
   * Compare datapath and port tunnel keys too (default false); "ports": only the ports' (ovn-northd
   * numbers a run's new datapaths in its hash table's order, but a datapath's ports in NB order).
   */
  readonly keys?: boolean | "ports";
  /** Compare stage hints (default true). */
  readonly hints?: boolean;
  /**
   * Compare the elements of `{...}` sets in matches in sorted order (default false): ovn-northd prints
   * some sets (the router MACs of ls_in_l2_lkup's flood flow) in its hash table's order.
   */
  readonly sortSets?: boolean;
}

export interface HarnessOptions extends CompareOptions {
  /** Run ovnts northd with --recompute-check. */
  readonly check?: boolean;
  /** How long to wait for each side's --wait=sb sync (default 20 s). */
  readonly syncTimeoutMs?: number;
}

/** One side's SB, normalised. */
export interface SbDump {
  readonly flows: readonly string[];
  /** Table name → row lines. */
  readonly tables: ReadonlyMap<string, readonly string[]>;
}

export interface Delta {
  readonly same: number;
  /** In the C northd's SB, not in ovnts's. */
  readonly missing: readonly string[];
  /** In ovnts's SB, not in the C northd's. */
  readonly extra: readonly string[];
}

export interface Comparison {
  /** Per stage name. */
  readonly stages: ReadonlyMap<string, Delta>;
  /** Per table name. */
  readonly tables: ReadonlyMap<string, Delta>;
  readonly equal: boolean;
}

// ---- SB dumps -----------------------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Row = Record<string, Json>;
export type Db = Map<string, Row[]>;

interface SchemaRefs {
  /** table → column → referenced table (key or value side). */
  refs: Map<string, Map<string, string>>;
  tables: string[];
}

const schemaCache = new Map<string, SchemaRefs>();

async function schemaRefs(sb: Sandbox, remote: string, db: string): Promise<SchemaRefs> {
  const hit = schemaCache.get(db);
  if (hit !== undefined) return hit;
  const schema = JSON.parse(await runOk("ovsdb-client", ["get-schema", remote, db], { env: sb.env })) as {
    tables: Record<string, { columns: Record<string, { type: Json }> }>;
  };
  const refs = new Map<string, Map<string, string>>();
  for (const [t, def] of Object.entries(schema.tables)) {
    const m = new Map<string, string>();
    for (const [c, col] of Object.entries(def.columns)) {
      const ty = col.type;
      if (typeof ty !== "object" || ty === null || Array.isArray(ty)) continue;
      for (const side of ["key", "value"]) {
        const b = ty[side];
        if (typeof b === "object" && b !== null && !Array.isArray(b) && typeof b.refTable === "string")
          m.set(c, b.refTable);
      }
    }
    refs.set(t, m);
  }
  const out = { refs, tables: Object.keys(schema.tables) };
  schemaCache.set(db, out);
  return out;
}

/** All rows of all tables of a database, through one select per table. */
export async function readDb(sb: Sandbox, remote: string, db: string): Promise<Db> {
  const { tables } = await schemaRefs(sb, remote, db);
  const ops = tables.map((t) => ({ op: "select", table: t, where: [] }));
  const out = await runOk("ovsdb-client", ["transact", remote, JSON.stringify([db, ...ops])], {
    env: sb.env,
    timeoutMs: 30_000,
  });
  const results = JSON.parse(out) as { rows: Row[] }[];
  const m: Db = new Map();
  tables.forEach((t, i) => {
    m.set(t, results[i]?.rows ?? []);
  });
  return m;
}

function uuidOf(v: Json): string | undefined {
  return Array.isArray(v) && v[0] === "uuid" && typeof v[1] === "string" ? v[1] : undefined;
}

function atoms(v: Json): Json[] {
  if (Array.isArray(v) && v[0] === "set" && Array.isArray(v[1])) return v[1];
  return [v];
}

function mapOf(v: Json): [Json, Json][] {
  if (Array.isArray(v) && v[0] === "map" && Array.isArray(v[1])) return v[1] as [Json, Json][];
  return [];
}

/** NB uuid → "Table:name" (or "Table:#n" for rows without a name), and the same for 8-digit prefixes. */
function nbNames(nb: Db): Map<string, string> {
  const out = new Map<string, string>();
  for (const [t, rows] of nb) {
    const named = rows.map((r) => {
      const n = r.name ?? r.logical_port;
      return typeof n === "string" && n !== "" ? n : undefined;
    });
    // Unnamed rows get numbers in the order of their content, so that both sides agree.
    const order = rows
      .map((r, i) => ({ i, key: JSON.stringify({ ...r, _uuid: null, _version: null }) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    order.forEach(({ i }, n) => {
      const r = rows[i] as Row;
      const u = uuidOf(r._uuid ?? null);
      if (u === undefined) return;
      const tag = `${t}:${named[i] ?? `#${n}`}`;
      out.set(u, tag);
      out.set(u.slice(0, 8), tag);
    });
  }
  return out;
}

class Normaliser {
  private readonly byUuid = new Map<string, { table: string; row: Row }>();

  constructor(
    private readonly db: Db,
    private readonly schema: SchemaRefs,
    private readonly nb: Map<string, string>,
    private readonly opts: CompareOptions,
  ) {
    for (const [t, rows] of db)
      for (const r of rows) {
        const u = uuidOf(r._uuid ?? null);
        if (u !== undefined) this.byUuid.set(u, { table: t, row: r });
      }
  }

  dpName(u: string): string {
    const d = this.byUuid.get(u);
    if (d === undefined) return `dp(?${u})`;
    const ids = new Map(mapOf(d.row.external_ids ?? null));
    const name = ids.get("name");
    if (typeof name === "string" && name !== "") return name;
    const nbu = ids.get("logical-switch") ?? ids.get("logical-router");
    return typeof nbu === "string" ? (this.nb.get(nbu) ?? nbu) : `dp(?${u})`;
  }

  private str(s: string): string {
    // NB uuids inside strings (external_ids values) are replaced by the row they name.
    const named = this.nb.get(s);
    return JSON.stringify(named ?? this.keyNames(s));
  }

  /**
   * Datapath tunnel keys inside names ("3_pg1" SB port groups, "_rtr_lb_7_ip4" address sets) become
   * the datapath's name unless keys are compared: the two northds number new datapaths differently.
   */
  keyNames(s: string): string {
    // NB uuids inside names (a fair meter's per-ACL copy "METER__ACLUUID") become the row they name:
    // rows created by steps have different uuids on the two sides.
    s = s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => {
      const n = this.nb.get(u);
      return n === undefined ? u : `<${n}>`;
    });
    if (this.opts.keys === true) return s;
    return s
      .replace(/^([0-9]+)_(?=.)/, (m, k: string) => {
        const n = this.dpByKey.get(Number(k));
        return n === undefined ? m : `<${n}>_`;
      })
      .replace(/_rtr_lb_([0-9]+)_/g, (m, k: string) => {
        const n = this.dpByKey.get(Number(k));
        return n === undefined ? m : `_rtr_lb_<${n}>_`;
      });
  }

  private get dpByKey(): Map<number, string> {
    if (this.dpKeys === undefined) {
      this.dpKeys = new Map();
      for (const d of this.db.get("Datapath_Binding") ?? []) {
        const u = uuidOf(d._uuid ?? null);
        if (u !== undefined && typeof d.tunnel_key === "number")
          this.dpKeys.set(d.tunnel_key, this.dpName(u));
      }
    }
    return this.dpKeys;
  }

  private dpKeys: Map<number, string> | undefined;

  private ref(table: string, u: string, depth: number): string {
    const d = this.byUuid.get(u);
    if (table === "Datapath_Binding") return `dp(${this.dpName(u)})`;
    if (d === undefined) return `${table}(?)`;
    if (table === "Port_Binding") return `pb(${String(d.row.logical_port)})`;
    if (table === "Chassis") return `ch(${String(d.row.name)})`;
    if (depth > 3) return `${table}(...)`;
    return `${table}{${this.cols(table, d.row, depth + 1).join(" ")}}`;
  }

  private value(table: string, col: string, v: Json, depth: number): string {
    const refTable = this.schema.refs.get(table)?.get(col);
    // The addresses of a GARP entry ("MAC IP... [is_chassis_resident(...)]") in sorted order:
    // ovn-northd lists load balancer VIPs in its hash set's order.
    const garp = table === "Port_Binding" && col === "nat_addresses";
    const atom = (a: Json): string => {
      const u = uuidOf(a);
      if (u !== undefined) return refTable !== undefined ? this.ref(refTable, u, depth) : "<uuid>";
      if (garp && typeof a === "string") return this.str(sortGarpIps(a));
      return typeof a === "string" ? this.str(a) : JSON.stringify(a);
    };
    if (Array.isArray(v) && v[0] === "map")
      return `{${mapOf(v)
        .map(([k, x]) => `${atom(k)}=${atom(x)}`)
        .sort()
        .join(", ")}}`;
    if (Array.isArray(v) && v[0] === "set") return `[${atoms(v).map(atom).sort().join(", ")}]`;
    return atom(v);
  }

  private skip(table: string, col: string): boolean {
    if (col === "_uuid" || col === "_version") return true;
    if (
      this.opts.keys !== true &&
      col === "tunnel_key" &&
      (table === "Datapath_Binding" || (table === "Port_Binding" && this.opts.keys !== "ports"))
    )
      return true;
    return false;
  }

  cols(table: string, row: Row, depth = 0): string[] {
    return Object.keys(row)
      .filter((c) => !this.skip(table, c))
      .sort()
      .map((c) => `${c}=${this.value(table, c, row[c] as Json, depth)}`);
  }

  flows(): string[] {
    const out: string[] = [];
    for (const f of this.db.get("Logical_Flow") ?? []) {
      const ids = new Map(mapOf(f.external_ids ?? null));
      const stage = String(ids.get("stage-name") ?? `table${String(f.table_id)}`);
      const tags = new Map(mapOf(f.tags ?? null));
      let extra = "";
      const hint = ids.get("stage-hint");
      const grouped = uuidOf(atoms(f.logical_dp_group ?? ["set", []])[0] ?? null) !== undefined;
      if (this.opts.hints !== false && typeof hint === "string") {
        const named = this.nb.get(hint) ?? hint;
        // A grouped row carries the hint of one of the flows it stands for; which one differs
        // (C keeps the first it built), so only the hinted table is compared.
        extra += ` hint=${grouped ? `${named.split(":")[0] ?? ""}:<grouped>` : named}`;
      }
      const io = tags.get("in_out_port");
      if (typeof io === "string") extra += ` io_port=${io}`;
      const meter = atoms(f.controller_meter ?? ["set", []])[0];
      if (typeof meter === "string") extra += ` meter=${meter}`;
      const dps: string[] = [];
      const ld = uuidOf(atoms(f.logical_datapath ?? ["set", []])[0] ?? null);
      if (ld !== undefined) dps.push(this.dpName(ld));
      const g = uuidOf(atoms(f.logical_dp_group ?? ["set", []])[0] ?? null);
      if (g !== undefined) {
        const grp = this.byUuid.get(g)?.row;
        for (const d of atoms(grp?.datapaths ?? ["set", []])) {
          const u = uuidOf(d);
          if (u !== undefined) dps.push(this.dpName(u));
        }
      }
      const match = this.opts.sortSets === true ? sortSets(String(f.match)) : String(f.match);
      for (const dp of dps)
        out.push(
          `${dp} ${String(f.pipeline)} ${stage} ${String(f.priority)} match=(${this.keyNames(match)}) actions=(${this.keyNames(String(f.actions))})${extra}`,
        );
    }
    return out.sort();
  }

  tables(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [t, rows] of this.db) {
      if (SKIP_TABLES.has(t)) continue;
      out.set(t, rows.map((r) => `${t} ${this.cols(t, r).join(" ")}`).sort());
    }
    return out;
  }
}

/** A nat_addresses entry with its IP addresses (between the MAC and a condition) sorted. */
export function sortGarpIps(entry: string): string {
  const [mac = "", ...rest] = entry.split(" ");
  const cond = rest.findIndex((t) => t.includes("("));
  const ips = cond < 0 ? rest : rest.slice(0, cond);
  const tail = cond < 0 ? [] : rest.slice(cond);
  return [mac, ...[...ips].sort(), ...tail].join(" ");
}

/** A match with the elements of each (innermost) `{a, b, c}` set sorted. */
export function sortSets(match: string): string {
  return match.replace(/\{([^{}]*)\}/g, (_, body: string) => `{${body.split(", ").sort().join(", ")}}`);
}

/** Tables not compared row by row: flows and groups (compared as flow lines), and client-owned ones. */
const SKIP_TABLES = new Set([
  "Logical_Flow",
  "Logical_DP_Group",
  "Connection",
  "SSL",
  "Chassis",
  "Chassis_Private",
  "Encap",
  "Controller_Event",
  "IGMP_Group",
  "FDB",
  "BFD",
]);

/** Reads and normalises one side's SB, with its NB for names. */
export async function dumpSb(
  sb: Sandbox,
  nbRemote: string,
  sbRemote: string,
  opts: CompareOptions = {},
): Promise<SbDump> {
  const [nb, sbDb, schema] = await Promise.all([
    readDb(sb, nbRemote, "OVN_Northbound"),
    readDb(sb, sbRemote, "OVN_Southbound"),
    schemaRefs(sb, sbRemote, "OVN_Southbound"),
  ]);
  await schemaRefs(sb, nbRemote, "OVN_Northbound");
  const n = new Normaliser(sbDb, schema, nbNames(nb), opts);
  return { flows: n.flows(), tables: n.tables() };
}

// ---- comparison ---------------------------------------------------------------------------------------

function multisetDiff(a: readonly string[], b: readonly string[]): Delta {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const extra: string[] = [];
  let same = 0;
  for (const x of b) {
    const n = count.get(x) ?? 0;
    if (n > 0) {
      count.set(x, n - 1);
      same++;
    } else extra.push(x);
  }
  const missing: string[] = [];
  for (const [x, n] of count) for (let i = 0; i < n; i++) missing.push(x);
  return { same, missing: missing.sort(), extra: extra.sort() };
}

function stageOf(line: string): string {
  return line.split(" ")[2] ?? "";
}

export function compareDumps(c: SbDump, ts: SbDump, opts: CompareOptions = {}): Comparison {
  const prefixes =
    opts.stages === undefined ? undefined : typeof opts.stages === "string" ? [opts.stages] : opts.stages;
  // Only tables asked for: no flows.
  const noFlows = opts.stages === undefined && opts.tables !== undefined;
  const keep = (line: string): boolean =>
    !noFlows && (prefixes === undefined || prefixes.some((p) => stageOf(line).startsWith(p)));
  const byStage = (lines: readonly string[]): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const l of lines) {
      if (!keep(l)) continue;
      const s = stageOf(l);
      let list = m.get(s);
      if (list === undefined) {
        list = [];
        m.set(s, list);
      }
      list.push(l);
    }
    return m;
  };
  const cs = byStage(c.flows);
  const tss = byStage(ts.flows);
  const stages = new Map<string, Delta>();
  for (const s of [...new Set([...cs.keys(), ...tss.keys()])].sort())
    stages.set(s, multisetDiff(cs.get(s) ?? [], tss.get(s) ?? []));
  const tableNames =
    opts.tables ?? (opts.stages === undefined ? [...new Set([...c.tables.keys(), ...ts.tables.keys()])] : []);
  const tables = new Map<string, Delta>();
  for (const t of [...tableNames].sort())
    tables.set(t, multisetDiff(c.tables.get(t) ?? [], ts.tables.get(t) ?? []));
  const equal = [...stages.values(), ...tables.values()].every(
    (d) => d.missing.length === 0 && d.extra.length === 0,
  );
  return { stages, tables, equal };
}

/** A readable report: counts per stage/table, then the differing lines ("-" missing in ovnts, "+" extra). */
export function formatComparison(cmp: Comparison, maxLines = 40): string {
  const out: string[] = [];
  const section = (kind: string, m: ReadonlyMap<string, Delta>): void => {
    for (const [name, d] of m) {
      if (d.missing.length === 0 && d.extra.length === 0) continue;
      out.push(
        `${kind} ${name}: ${d.same} same, ${d.missing.length} missing in ovnts, ${d.extra.length} extra in ovnts`,
      );
      for (const l of d.missing.slice(0, maxLines)) out.push(`  - ${l}`);
      if (d.missing.length > maxLines) out.push(`  ... ${d.missing.length - maxLines} more missing`);
      for (const l of d.extra.slice(0, maxLines)) out.push(`  + ${l}`);
      if (d.extra.length > maxLines) out.push(`  ... ${d.extra.length - maxLines} more extra`);
    }
  };
  section("stage", cmp.stages);
  section("table", cmp.tables);
  if (out.length === 0) return "identical";
  return out.join("\n");
}

/** One line per stage/table: "name same/missing/extra". */
export function summarise(cmp: Comparison): string {
  const lines: string[] = [];
  for (const [k, d] of [...cmp.stages, ...cmp.tables])
    lines.push(`${k.padEnd(24)} same ${d.same}  missing ${d.missing.length}  extra ${d.extra.length}`);
  return lines.join("\n");
}

// ---- running both northds -----------------------------------------------------------------------------

/** The NB_Global settings both sides start with (C northd would pick random ones). */
export const FIXED_GLOBALS = [
  "set",
  "NB_Global",
  ".",
  "options:mac_prefix=0a:00:00",
  "options:svc_monitor_mac=0a:00:00:00:00:fe",
];

async function syncSide(sb: Sandbox, nbRemote: string, timeoutMs: number): Promise<void> {
  await runOk(
    "ovn-nbctl",
    [`--db=${nbRemote}`, `--timeout=${Math.ceil(timeoutMs / 1000)}`, "--wait=sb", "sync"],
    {
      env: sb.env,
      timeoutMs: timeoutMs + 5000,
    },
  );
}

export interface BothSides {
  readonly sandbox: Sandbox;
  readonly nbC: string;
  readonly sbC: string;
  readonly nbTs: string;
  readonly sbTs: string;
  /** Runs an ovn-nbctl command on both NBs and waits until both SBs caught up. */
  step(args: readonly string[]): Promise<void>;
  /**
   * Runs an ovn-sbctl command on both SBs (the input northd reads there: Chassis rows ...), then
   * waits until both northds caught up (a --wait=sb sync after it, which they handle after the change).
   */
  sbStep(args: readonly string[]): Promise<void>;
  dump(opts?: CompareOptions): Promise<{ c: SbDump; ts: SbDump }>;
}

/** Starts `bin/ovnts northd` in the sandbox and waits until it is active (or just answers). */
export async function startOvntsNorthd(
  sb: Sandbox,
  o: { nb: string; sb: string; name?: string; check?: boolean; waitFor?: "active" | "any status" },
): Promise<Daemon> {
  const name = o.name ?? "ovnts-northd";
  const ctl = sb.path(`${name}.ctl`);
  const logPath = sb.path(`${name}.log`);
  const d = sb.spawn({
    name,
    cmd: process.execPath,
    args: [
      ovntsBin(),
      "northd",
      `--ovnnb-db=${o.nb}`,
      `--ovnsb-db=${o.sb}`,
      `--log-file=${logPath}`,
      `--unixctl=${ctl}`,
      `--pidfile=${sb.path(`${name}.pid`)}`,
      ...(o.check === true ? ["--recompute-check"] : []),
    ],
    logPath,
    ctlPath: ctl,
  });
  const want = o.waitFor === "any status" ? "Status:" : "Status: active";
  // Generous: a loaded 2-core machine (the whole suite in parallel) can take seconds to start node.
  await waitUntil(async () => (await d.appctl("status")).includes(want), 30_000, {
    what: `${name} to answer "${want}"`,
    unless: () => d.assertRunning(),
  });
  return d;
}

/** Sets up both sides for a scenario and hands them to `fn` (everything is torn down afterwards). */
export async function withBothNorthds<T>(
  scenario: Scenario,
  opts: HarnessOptions,
  fn: (both: BothSides) => Promise<T>,
): Promise<T> {
  return withSandbox(async (sb) => {
    const timeout = opts.syncTimeoutMs ?? 20_000;
    const nbC = await startDbServer(sb, { impl: "c", name: "nb", schemas: ["ovn-nb"] });
    await nbctl(sb, "init");
    await nbctl(sb, ...FIXED_GLOBALS);
    for (const cmd of scenario.commands) await nbctl(sb, ...cmd);
    const copy = await runOk("ovsdb-client", ["backup", nbC.remote, "OVN_Northbound"], { env: sb.env });
    writeFileSync(sb.path("nbts-ovn-nb.db"), copy);
    const nbTs = await startDbServer(sb, { impl: "c", name: "nbts", schemas: ["ovn-nb"] });
    const sbTs = await startDbServer(sb, { impl: "c", name: "sbts", schemas: ["ovn-sb"] });
    const sbC = await startDbServer(sb, { impl: "c", name: "sb", schemas: ["ovn-sb"] });
    sb.dbs.nb = nbC.remote;
    sb.dbs.sb = sbC.remote;
    await startNorthd(sb, { nb: nbC.remote, sb: sbC.remote, name: "northd" });
    await startOvntsNorthd(sb, { nb: nbTs.remote, sb: sbTs.remote, check: opts.check === true });
    await Promise.all([syncSide(sb, nbC.remote, timeout), syncSide(sb, nbTs.remote, timeout)]);
    const both: BothSides = {
      sandbox: sb,
      nbC: nbC.remote,
      sbC: sbC.remote,
      nbTs: nbTs.remote,
      sbTs: sbTs.remote,
      step: async (args) => {
        await runOk("ovn-nbctl", [`--db=${nbC.remote}`, "--timeout=20", ...args], { env: sb.env });
        await runOk("ovn-nbctl", [`--db=${nbTs.remote}`, "--timeout=20", ...args], { env: sb.env });
        await Promise.all([syncSide(sb, nbC.remote, timeout), syncSide(sb, nbTs.remote, timeout)]);
      },
      sbStep: async (args) => {
        await runOk("ovn-sbctl", [`--db=${sbC.remote}`, "--timeout=20", ...args], { env: sb.env });
        await runOk("ovn-sbctl", [`--db=${sbTs.remote}`, "--timeout=20", ...args], { env: sb.env });
        await Promise.all([syncSide(sb, nbC.remote, timeout), syncSide(sb, nbTs.remote, timeout)]);
      },
      dump: async (o = opts) => {
        const [c, t] = await Promise.all([
          dumpSb(sb, nbC.remote, sbC.remote, o),
          dumpSb(sb, nbTs.remote, sbTs.remote, o),
        ]);
        return { c, ts: t };
      },
    };
    for (const s of scenario.steps ?? []) await both.step(s);
    return fn(both);
  });
}

/** Runs a scenario on both northds and compares their SBs. */
export async function compareScenario(scenario: Scenario, opts: HarnessOptions = {}): Promise<Comparison> {
  return withBothNorthds(scenario, opts, async (both) => {
    const { c, ts } = await both.dump(opts);
    return compareDumps(c, ts, opts);
  });
}

/** node:test assertion: the two SBs agree on the selected stages/tables (a readable diff otherwise). */
export async function assertSameSb(scenario: Scenario, opts: HarnessOptions = {}): Promise<Comparison> {
  const cmp = await compareScenario(scenario, opts);
  assert.ok(
    cmp.equal,
    `SB differs from ovn-northd's${scenario.name !== undefined ? ` (${scenario.name})` : ""}:\n${formatComparison(cmp)}`,
  );
  return cmp;
}
