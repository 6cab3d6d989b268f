// The recent transactions a database keeps for monitor_cond_since (ovsdb-server(7) §4.1.15): a client
// that reconnects with the id of the last transaction it saw is sent only what changed since.
//
// Kept as a ring of slots that are reused: each holds a commit's id and its row changes flattened into
// one array of (table, uuid, old, new) quadruples, overwritten in place by a later commit. Recording a
// commit then allocates nothing once the ring has gone round (a single-row transaction used to leave a
// history entry, an array and the commit's maps for the collector to copy and promote: a third of what
// survives a transaction). What a resuming client is given is copied out (rare).
import type { Commit, RowDelta } from "../engine/commit.js";
import type { Row } from "../engine/row.js";

type Flat = (string | Row | null)[];

/** A commit as handed to a resuming client: its id and its row changes. */
export class HistoryEntry {
  constructor(
    readonly id: string,
    private readonly flat: Flat,
    readonly rows: number,
  ) {}

  get tables(): ReadonlyMap<string, ReadonlyMap<string, RowDelta>> {
    const out = new Map<string, Map<string, RowDelta>>();
    const f = this.flat;
    for (let i = 0; i < f.length; i += 4) {
      const table = f[i] as string;
      let m = out.get(table);
      if (m === undefined) {
        m = new Map();
        out.set(table, m);
      }
      m.set(f[i + 1] as string, { old: f[i + 2] as Row | null, new: f[i + 3] as Row | null });
    }
    return out;
  }
}

class Slot {
  id = "";
  rows = 0;
  /** Entries of `flat` in use (4 per row). */
  used = 0;
  flat: Flat = [];
}

/** Arrays this much larger than what a slot needs (and past a small size) are replaced, not kept. */
const SHRINK_ABOVE = 256;

export class TxnHistory {
  private readonly slots: (Slot | undefined)[];
  /** Index of the oldest commit's slot. */
  private head = 0;
  private count = 0;
  private totalRows = 0;

  /**
   * Keeps the last `maxTxns` commits holding at most `maxRows` row changes in all (the latest commit
   * is kept even when it alone holds more).
   */
  constructor(
    private readonly maxTxns: number,
    private readonly maxRows: number,
  ) {
    this.slots = new Array<Slot | undefined>(maxTxns).fill(undefined);
  }

  /** Commits held. */
  get length(): number {
    return this.count;
  }

  record(c: Commit): void {
    let rows = 0;
    for (const m of c.tables.values()) rows += m.size;
    while (this.count >= this.maxTxns || (this.count > 0 && this.totalRows + rows > this.maxRows))
      this.dropOldest();
    const at = (this.head + this.count) % this.maxTxns;
    let slot = this.slots[at];
    if (slot === undefined) {
      slot = new Slot();
      this.slots[at] = slot;
    }
    const need = rows * 4;
    if (slot.flat.length > SHRINK_ABOVE && slot.flat.length > 4 * need) slot.flat = [];
    const f = slot.flat;
    let i = 0;
    for (const [table, m] of c.tables)
      for (const [uuid, d] of m) {
        f[i++] = table;
        f[i++] = uuid;
        f[i++] = d.old;
        f[i++] = d.new;
      }
    slot.id = c.id;
    slot.rows = rows;
    slot.used = need;
    this.count += 1;
    this.totalRows += rows;
  }

  /** The commits after `txnId`, oldest first, or undefined when `txnId` is not held. */
  since(txnId: string): HistoryEntry[] | undefined {
    for (let k = this.count - 1; k >= 0; k--) {
      if (this.slotAt(k).id !== txnId) continue;
      const out: HistoryEntry[] = [];
      for (let j = k + 1; j < this.count; j++) {
        const s = this.slotAt(j);
        out.push(new HistoryEntry(s.id, s.flat.slice(0, s.used), s.rows));
      }
      return out;
    }
    return undefined;
  }

  /** Forgets every commit. */
  clear(): void {
    while (this.count > 0) this.dropOldest();
    this.head = 0;
  }

  private slotAt(k: number): Slot {
    return this.slots[(this.head + k) % this.maxTxns] as Slot;
  }

  private dropOldest(): void {
    const s = this.slots[this.head] as Slot;
    // Let the rows it held (old versions especially) be collected. A loop: Array.prototype.fill is a
    // call into the runtime, costlier than the few stores of a small commit.
    const f = s.flat;
    for (let i = 0; i < s.used; i++) f[i] = null;
    s.used = 0;
    s.id = "";
    this.totalRows -= s.rows;
    s.rows = 0;
    this.head = (this.head + 1) % this.maxTxns;
    this.count -= 1;
  }
}
