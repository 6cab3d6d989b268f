// Monitors (RFC 7047 §4.1.5, ovsdb-server(7) §4.1.12–4.1.16): which tables, columns and rows a client
// replicates, the initial contents, and the update/update2 rows a commit produces for it.
// Pure: a Monitor turns database state and commits into JSON values; the server sends them.
import { type Datum, datumDiff, datumEquals, datumToJson, isDefault } from "../data/datum.js";
import type { RowDelta } from "../engine/commit.js";
import { type Condition, matchesAny, parseWhere } from "../engine/condition.js";
import type { Database, DbTable } from "../engine/database.js";
import type { Row } from "../engine/row.js";
import { OvsdbError, syntaxError } from "../error.js";
import type { TableSchema } from "../schema/types.js";

/** 1: "monitor" (update), 2: "monitor_cond" (update2), 3: "monitor_cond_since" (update3). */
export type MonitorVersion = 1 | 2 | 3;

export interface Select {
  initial: boolean;
  insert: boolean;
  delete: boolean;
  modify: boolean;
}

export interface MonitoredTable {
  readonly table: DbTable;
  /** User column indexes, in the order first requested. */
  readonly columns: readonly number[];
  readonly select: Select;
  /** The request named no columns: _version is sent too. */
  readonly version: boolean;
  /** Disjunction of conditions; undefined means every row. */
  where: Condition[] | undefined;
  whereJson: unknown;
}

export type TableUpdates = Record<string, Record<string, unknown>>;

function parseSelect(j: unknown): Select {
  const s: Select = { initial: true, insert: true, delete: true, modify: true };
  if (j === undefined) return s;
  if (typeof j !== "object" || j === null || Array.isArray(j))
    throw syntaxError(j, "select must be an object");
  for (const k of ["initial", "insert", "delete", "modify"] as const) {
    const v = (j as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (typeof v !== "boolean") throw syntaxError(j, `"${k}" must be a boolean`);
    s[k] = v;
  }
  return s;
}

function requestsOf(j: unknown): unknown[] {
  return Array.isArray(j) ? j : [j];
}

/** Parses <monitor-requests> (or <monitor-cond-requests>) into monitored tables. */
export function parseMonitorRequests(
  db: Database,
  j: unknown,
  version: MonitorVersion,
): Map<string, MonitoredTable> {
  if (typeof j !== "object" || j === null || Array.isArray(j))
    throw syntaxError(j, "monitor requests must be an object");
  const out = new Map<string, MonitoredTable>();
  for (const [tname, reqs] of Object.entries(j)) {
    const table = db.table(tname);
    if (table === undefined) throw new OvsdbError("syntax error", `no table named ${tname}`);
    const columns: number[] = [];
    const seen = new Set<number>();
    const select: Select = { initial: false, insert: false, delete: false, modify: false };
    let where: Condition[] | undefined;
    let whereJson: unknown;
    let withVersion = false;
    for (const r of requestsOf(reqs)) {
      if (typeof r !== "object" || r === null || Array.isArray(r))
        throw syntaxError(r, "monitor request must be an object");
      const req = r as Record<string, unknown>;
      const cols = req.columns;
      if (cols === undefined) {
        withVersion = true;
        for (const c of table.schema.userColumns)
          if (!seen.has(c.index)) {
            seen.add(c.index);
            columns.push(c.index);
          }
      } else {
        if (!Array.isArray(cols)) throw syntaxError(cols, "array of column names expected");
        for (const name of cols) {
          const c = typeof name === "string" ? table.schema.columns.get(name) : undefined;
          if (typeof name !== "string") throw syntaxError(cols, "array of distinct column names expected");
          if (c === undefined) throw syntaxError(cols, `${name} is not a valid column name`);
          if (c.index < 0) continue;
          if (seen.has(c.index)) throw syntaxError(cols, `column ${c.name} mentioned more than once`);
          seen.add(c.index);
          columns.push(c.index);
        }
      }
      const s = parseSelect(req.select);
      select.initial ||= s.initial;
      select.insert ||= s.insert;
      select.delete ||= s.delete;
      select.modify ||= s.modify;
      if (version > 1 && req.where !== undefined) {
        const conds = parseWhere(table.schema, req.where, null, true);
        where = conds.length === 0 ? undefined : [...(where ?? []), ...conds];
        whereJson = req.where;
      }
    }
    out.set(tname, { table, columns, select, version: withVersion, where, whereJson });
  }
  return out;
}

function colsJson(
  t: TableSchema,
  row: Row,
  indexes: readonly number[],
  skipDefaults: boolean,
  withVersion: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // A monitor that names no columns gets every column, _version included (as ovsdb-server sends it).
  if (withVersion) out._version = ["uuid", row.version];
  const cols = row.cols;
  for (const i of indexes) {
    const c = t.userColumns[i];
    if (c === undefined) continue;
    const d = cols[i] as Datum;
    if (skipDefaults && isDefault(d, c.type)) continue;
    out[c.name] = datumToJson(d, c.type);
  }
  return out;
}

function matches(mt: MonitoredTable, row: Row): boolean {
  return mt.where === undefined || matchesAny(mt.where, row);
}

/** The <row-update> (v1) or <row-update2> (v2/v3) for one changed row, or undefined for none. */
export function rowUpdate(mt: MonitoredTable, d: RowDelta, version: MonitorVersion): unknown {
  const t = mt.table.schema;
  if (version === 1) {
    if (d.old === null) {
      if (d.new === null || !mt.select.insert) return undefined;
      return { new: colsJson(t, d.new, mt.columns, false, mt.version) };
    }
    if (d.new === null)
      return mt.select.delete ? { old: colsJson(t, d.old, mt.columns, false, mt.version) } : undefined;
    if (!mt.select.modify) return undefined;
    const changed = mt.columns.filter((i) => !datumEquals(d.old!.cols[i] as Datum, d.new!.cols[i] as Datum));
    if (changed.length === 0 && !mt.version) return undefined;
    return {
      old: colsJson(t, d.old, changed, false, mt.version),
      new: colsJson(t, d.new, mt.columns, false, mt.version),
    };
  }
  const oldIn = d.old !== null && matches(mt, d.old);
  const newIn = d.new !== null && matches(mt, d.new);
  if (!oldIn && newIn)
    return mt.select.insert ? { insert: colsJson(t, d.new!, mt.columns, true, mt.version) } : undefined;
  if (oldIn && !newIn) return mt.select.delete ? { delete: null } : undefined;
  if (!oldIn || !mt.select.modify) return undefined;
  const diff: Record<string, unknown> = {};
  let any = false;
  if (mt.version) {
    diff._version = ["uuid", d.new!.version];
    any = true;
  }
  for (const i of mt.columns) {
    const o = d.old!.cols[i] as Datum;
    const n = d.new!.cols[i] as Datum;
    if (o === n || datumEquals(o, n)) continue;
    const c = t.userColumns[i]!;
    // Like ovsdb-server: sets that hold more than one element and maps carry the difference; a scalar or
    // optional (at most one element) column carries its whole new value.
    const asDiff = c.type.value !== undefined || c.type.max > 1;
    diff[c.name] = datumToJson(asDiff ? datumDiff(o, n) : n, c.type);
    any = true;
  }
  return any ? { modify: diff } : undefined;
}

export class Monitor {
  /** Identifies monitors that receive identical updates, so one composition serves them all. */
  shapeKey: string;
  /** JSON text of the monitor id (every notification names it). */
  idJson: string;
  private idValue: unknown;

  get id(): unknown {
    return this.idValue;
  }

  set id(v: unknown) {
    this.idValue = v;
    this.idJson = JSON.stringify(v);
  }

  constructor(
    id: unknown,
    readonly version: MonitorVersion,
    readonly dbName: string,
    readonly tables: Map<string, MonitoredTable>,
  ) {
    this.idValue = id;
    this.idJson = JSON.stringify(id);
    this.shapeKey = this.computeShape();
  }

  computeShape(): string {
    const parts: unknown[] = [this.dbName, this.version];
    for (const [n, mt] of this.tables) parts.push(n, mt.columns, mt.select, mt.whereJson ?? null);
    return JSON.stringify(parts);
  }

  /** The initial contents: every (matching) row of tables whose select includes "initial". */
  initial(): TableUpdates {
    const out: TableUpdates = {};
    for (const [name, mt] of this.tables) {
      if (!mt.select.initial) continue;
      const rows: Record<string, unknown> = {};
      let any = false;
      const t = mt.table.schema;
      for (const r of mt.table.rows.values()) {
        if (this.version === 1) rows[r.uuid] = { new: colsJson(t, r, mt.columns, false, mt.version) };
        else if (matches(mt, r)) rows[r.uuid] = { initial: colsJson(t, r, mt.columns, true, mt.version) };
        else continue;
        any = true;
      }
      if (any) out[name] = rows;
    }
    return out;
  }

  /** Updates for a set of row changes (one commit, or several merged), or undefined if none. */
  compose(tables: ReadonlyMap<string, ReadonlyMap<string, RowDelta>>): TableUpdates | undefined {
    let out: TableUpdates | undefined;
    for (const [name, deltas] of tables) {
      const mt = this.tables.get(name);
      if (mt === undefined) continue;
      let rows: Record<string, unknown> | undefined;
      for (const [uuid, d] of deltas) {
        const u = rowUpdate(mt, d, this.version);
        if (u === undefined) continue;
        rows ??= {};
        rows[uuid] = u;
      }
      if (rows !== undefined) {
        out ??= {};
        out[name] = rows;
      }
    }
    return out;
  }

  /**
   * Replaces the conditions of some tables (monitor_cond_change) and returns the updates that move the
   * client from the old selection to the new one: inserts for rows entering, deletes for rows leaving.
   */
  changeConditions(db: Database, j: unknown): TableUpdates | undefined {
    if (typeof j !== "object" || j === null || Array.isArray(j))
      throw syntaxError(j, "condition requests must be an object");
    const changes: Array<[MonitoredTable, Condition[] | undefined, unknown]> = [];
    for (const [tname, reqs] of Object.entries(j)) {
      const mt = this.tables.get(tname);
      if (mt === undefined) throw syntaxError(j, `${tname} is not a monitored table`);
      const table = db.table(tname) as DbTable;
      let where: Condition[] | undefined;
      let whereJson: unknown;
      for (const r of requestsOf(reqs)) {
        if (typeof r !== "object" || r === null) throw syntaxError(r, "condition request must be an object");
        const req = r as Record<string, unknown>;
        if (req.columns !== undefined) {
          // Changing columns is not supported by ovsdb-server either; accept an unchanged list.
        }
        if (req.where !== undefined) {
          const conds = parseWhere(table.schema, req.where, null, true);
          where = conds.length === 0 ? undefined : [...(where ?? []), ...conds];
          whereJson = req.where;
        }
      }
      changes.push([mt, where, whereJson]);
    }
    let out: TableUpdates | undefined;
    for (const [mt, where, whereJson] of changes) {
      const before = mt.where;
      mt.where = where;
      mt.whereJson = whereJson;
      const rows: Record<string, unknown> = {};
      let any = false;
      const t = mt.table.schema;
      for (const r of mt.table.rows.values()) {
        const was = before === undefined || matchesAny(before, r);
        const is = where === undefined || matchesAny(where, r);
        if (was === is) continue;
        if (is && mt.select.insert) rows[r.uuid] = { insert: colsJson(t, r, mt.columns, true, mt.version) };
        else if (!is && mt.select.delete) rows[r.uuid] = { delete: null };
        else continue;
        any = true;
      }
      if (any) {
        out ??= {};
        out[t.name] = rows;
      }
    }
    this.shapeKey = this.computeShape();
    return out;
  }
}

/** Merges consecutive commits' row changes: each row's first old version and last new version. */
export function mergeDeltas(
  commits: readonly ReadonlyMap<string, ReadonlyMap<string, RowDelta>>[],
): Map<string, Map<string, RowDelta>> {
  const out = new Map<string, Map<string, RowDelta>>();
  for (const c of commits)
    for (const [t, deltas] of c) {
      let m = out.get(t);
      if (m === undefined) {
        m = new Map();
        out.set(t, m);
      }
      for (const [uuid, d] of deltas) {
        const prev = m.get(uuid);
        if (prev === undefined) m.set(uuid, d);
        else if (prev.old === null && d.new === null) m.delete(uuid);
        else m.set(uuid, { old: prev.old, new: d.new });
      }
    }
  return out;
}
