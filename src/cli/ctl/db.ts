// What the ctl commands read and write: the IDL's replica seen through the transaction being built, so
// that a later command on the same command line sees what an earlier one created, changed or deleted.
// Values are Datums (the schema-level form) so that the generic commands work on any table.
import { defaultAtom } from "../../ovsdb/data/atom.js";
import type { Datum } from "../../ovsdb/data/datum.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { ColumnModel, DbModel, RowBase, TableModel, Tables } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { Atom } from "../../ovsdb/schema/types.js";
import { CtlError, isUuid, type Symbols } from "./datum-text.js";

/** A row as the ctl commands see it. */
export interface CtlRow {
  readonly table: TableModel;
  readonly uuid: string;
  get(column: string): Datum;
}

/** The typed value the IDL's Txn takes for a datum of column `c`. */
export function datumToTyped(c: ColumnModel, d: Datum): unknown {
  switch (c.kind) {
    case "scalar":
    case "optional":
      return d.keys[0];
    case "set":
      return [...d.keys];
    case "map": {
      const m = new Map<Atom, Atom>();
      d.keys.forEach((k, i) => {
        m.set(k, (d.values ?? [])[i] as Atom);
      });
      return m;
    }
  }
}

/** The datum of a typed row's column. */
export function typedToDatum(c: ColumnModel, v: unknown): Datum {
  switch (c.kind) {
    case "scalar":
      return { keys: [v as Atom] };
    case "optional":
      return { keys: v === undefined ? [] : [v as Atom] };
    case "set":
      return { keys: v as Atom[] };
    case "map": {
      const m = v as Map<Atom, Atom>;
      return { keys: [...m.keys()], values: [...m.values()] };
    }
  }
}

/** Which column names a row (for `get Logical_Switch sw0 ...`); "." alone means the table's only row. */
export type NameColumns = Readonly<Record<string, readonly string[]>>;

export class CtlDb {
  private readonly written = new Map<string, Map<string, Datum>>();
  private readonly created = new Map<string, string>();
  private readonly deleted = new Set<string>();
  private readonly verified = new Set<string>();
  readonly symbols: Symbols = new Map();

  constructor(
    readonly idl: Idl<Tables>,
    readonly txn: Txn<Tables>,
    readonly nameColumns: NameColumns,
  ) {}

  get model(): DbModel<Tables> {
    return this.idl.model;
  }

  /** The table by exact name; like the C tools, a unique case-insensitive prefix also matches. */
  table(name: string): TableModel {
    const exact = this.model.tables.get(name);
    if (exact !== undefined) return exact;
    const lower = name.toLowerCase();
    const matches = [...this.model.tables.values()].filter((t) => t.name.toLowerCase().startsWith(lower));
    const exactCi = matches.filter((t) => t.name.toLowerCase() === lower);
    if (exactCi.length === 1) return exactCi[0] as TableModel;
    if (matches.length === 1) return matches[0] as TableModel;
    if (matches.length > 1) throw new CtlError(`multiple table names match "${name}"`);
    throw new CtlError(`unknown table "${name}"`);
  }

  /** The column by name; a unique prefix also matches ("ext" for external_ids). */
  column(t: TableModel, name: string): ColumnModel | "_uuid" {
    if (name === "_uuid") return "_uuid";
    const exact = t.byName.get(name);
    if (exact !== undefined) return exact;
    const matches = t.columns.filter((c) => c.name.startsWith(name));
    if (matches.length === 1) return matches[0] as ColumnModel;
    if (matches.length > 1)
      throw new CtlError(`${t.name} contains more than one column whose name matches "${name}"`);
    throw new CtlError(`${t.name} does not contain a column whose name matches "${name}"`);
  }

  rows(t: TableModel): CtlRow[] {
    const out: CtlRow[] = [];
    for (const r of this.idl.rows(t.name)) if (!this.deleted.has(r._uuid)) out.push(this.view(t, r._uuid));
    for (const [u, tn] of this.created) if (tn === t.name && !this.deleted.has(u)) out.push(this.view(t, u));
    return out;
  }

  row(t: TableModel, uuid: string): CtlRow | undefined {
    if (this.deleted.has(uuid)) return undefined;
    if (this.created.get(uuid) === t.name || this.idl.get(t.name, uuid) !== undefined)
      return this.view(t, uuid);
    return undefined;
  }

  /** Finds a row the way ctl does: by uuid, by a name column, by "." for a sole row, by uuid prefix. */
  findRow(t: TableModel, id: string): CtlRow | undefined {
    if (isUuid(id)) return this.row(t, id.toLowerCase());
    if (id.startsWith("@")) {
      const u = this.symbols.get(id);
      return u === undefined ? undefined : this.row(t, u);
    }
    const rows = this.rows(t);
    for (const col of this.nameColumns[t.name] ?? []) {
      const hits = rows.filter((r) => {
        const d = r.get(col);
        return d.keys.length === 1 && d.keys[0] === id;
      });
      if (hits.length > 1) throw new CtlError(`multiple rows in ${t.name} match "${id}"`);
      if (hits.length === 1) return hits[0];
    }
    if (id === "." && rows.length === 1) return rows[0];
    if (id.length >= 4 && /^[0-9a-fA-F-]+$/.test(id)) {
      const hits = rows.filter((r) => r.uuid.startsWith(id.toLowerCase()));
      if (hits.length > 1)
        throw new CtlError(`multiple rows in ${t.name} have a UUID that begins with "${id}"`);
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  mustFindRow(t: TableModel, id: string): CtlRow {
    const r = this.findRow(t, id);
    if (r === undefined) throw new CtlError(`no row "${id}" in table ${t.name}`);
    return r;
  }

  /** Writes a whole column; verifies nothing (callers verify what they read). */
  write(row: CtlRow, c: ColumnModel, d: Datum): void {
    let w = this.written.get(row.uuid);
    if (w === undefined) {
      w = new Map();
      this.written.set(row.uuid, w);
    }
    w.set(c.name, d);
    this.txn.update(row.table.name, row.uuid as never, { [c.prop]: datumToTyped(c, d) } as never);
  }

  /** Makes the transaction fail and run again if another client changed the column since we read it. */
  verify(row: CtlRow, c: ColumnModel): void {
    // Once this transaction wrote the column, a check against the replica's value would see our own write.
    const key = `${row.uuid} ${c.name}`;
    if (this.verified.has(key) || this.written.get(row.uuid)?.has(c.name)) return;
    this.verified.add(key);
    const typed = this.idl.get(row.table.name, row.uuid);
    if (typed !== undefined) this.txn.verify(row.table.name, typed, [c.prop] as never);
  }

  insert(t: TableModel, values: ReadonlyMap<ColumnModel, Datum> = new Map()): CtlRow {
    const input: Record<string, unknown> = {};
    const w = new Map<string, Datum>();
    for (const [c, d] of values) {
      input[c.prop] = datumToTyped(c, d);
      w.set(c.name, d);
    }
    const uuid: string = this.txn.insert(t.name, input as never);
    this.created.set(uuid, t.name);
    this.written.set(uuid, w);
    return this.view(t, uuid);
  }

  delete(row: CtlRow): void {
    this.deleted.add(row.uuid);
    if (this.created.has(row.uuid)) {
      // A row created and deleted in one transaction: never referenced, the server drops it.
      if (!row.table.isRoot) return;
    }
    this.txn.delete(row.table.name, row.uuid as never);
  }

  /** Whether the row was inserted by this command line (its uuid is a placeholder). */
  isNew(row: CtlRow): boolean {
    return this.created.has(row.uuid);
  }

  private view(t: TableModel, uuid: string): CtlRow {
    const get = (column: string): Datum => {
      const w = this.written.get(uuid)?.get(column);
      if (w !== undefined) return w;
      const c = t.byName.get(column);
      if (c === undefined) throw new Error(`no column ${column} in ${t.name}`);
      const typed = this.idl.get(t.name, uuid) as RowBase | undefined;
      if (typed === undefined) return c.type.min === 0 ? emptyOf(c) : typedToDatum(c, defaultTyped(c));
      return typedToDatum(c, (typed as unknown as Record<string, unknown>)[c.prop]);
    };
    return { table: t, uuid, get };
  }
}

function emptyOf(c: ColumnModel): Datum {
  return c.type.value !== undefined ? { keys: [], values: [] } : { keys: [] };
}

function defaultTyped(c: ColumnModel): unknown {
  return defaultAtom(c.type.key.type);
}
