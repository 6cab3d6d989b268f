// Strict RBAC for the OVN Southbound database (`ovnts ovsdb-server --rbac-strict`): tighter than the
// per-table rules of OVN 23.03, which let any chassis claim any port and write MAC bindings anywhere.
// A client of the "ovn-controller" role whose certificate CN is chassis X may, beyond what the role's
// RBAC_Permission rows already restrict:
// - Port_Binding: change only ports bound to X (chassis or additional_chassis) or meant for X —
//   requested_chassis / requested_additional_chassis, options:requested-chassis naming X,
//   options:l3gateway-chassis / l2gateway-chassis / vtep-physical-switch = X, an HA_Chassis_Group or
//   Gateway_Chassis with X in it, a container port whose parent_port is bound to X, a virtual port whose
//   new virtual_parent is one of its options:virtual-parents bound to X; and then put only X into
//   chassis/additional_chassis (releasing only X), only X's Encap rows into encap/additional_encap, and
//   only a port bound to X as virtual_parent;
// - MAC_Binding (datapath) and FDB (dp_key): only on datapaths local to X — those of ports bound to X or
//   of its l3gateway ports, and every datapath reached from them through patch/l3gateway peers (as
//   ovn-controller computes its local datapaths, so a router's MAC bindings are allowed);
// - Service_Monitor and BFD (the 23.03 schema has no chassis column: the owner is where logical_port
//   is resident — bound to X, its "cr-" port bound to X, or an l3gateway port of X): only its own rows;
// - IGMP_Group, Controller_Event: only rows whose chassis is X; Chassis_Private.chassis and
//   Chassis.encaps: only X's own Chassis and Encap rows (or rows inserted later in the transaction).
// A refusal is the same "permission error" ovsdb-server gives (clients cannot tell the difference);
// the reason is logged as a rate-limited WARN naming the chassis (so are the role's own refusals).
// Chassis are named by their Chassis row or name, never by hostname: a chassis chooses its own hostname
// when it registers, so a hostname in options:requested-chassis counts only once northd has resolved it
// into requested_chassis.
import { logger } from "../../base/log.js";
import type { Datum } from "../data/datum.js";
import type { WriteOp } from "../engine/authorize.js";
import type { Database, DbTable } from "../engine/database.js";
import type { Txn } from "../engine/txn.js";
import type { Atom } from "../schema/types.js";

const log = logger("ovsdb_rbac");

export interface StrictRbacOptions {
  /** Roles whose clients are chassis (default: the one northd configures, "ovn-controller"). */
  readonly roles?: readonly string[];
  /** Milliseconds, for the log rate limit only. */
  readonly now: () => number;
  /** Refusal lines logged per minute once the burst is spent (default 10), and the burst (default 10). */
  readonly perMinute?: number;
  readonly burst?: number;
}

/** The per-database policy: the log rate limit, shared by every transaction. */
export class StrictRbac {
  private tokens: number;
  private last: number;
  private dropped = 0;
  private readonly perMs: number;
  private readonly burst: number;

  constructor(private readonly opts: StrictRbacOptions) {
    this.burst = opts.burst ?? 10;
    this.perMs = (opts.perMinute ?? 10) / 60_000;
    this.tokens = this.burst;
    this.last = opts.now();
  }

  /** The strict view for one transaction of a client; undefined when the rules do not apply to it. */
  forTransaction(db: Database, role: string | undefined, id: string | undefined): StrictTxn | undefined {
    if (id === undefined || role === undefined || db.schema.name !== "OVN_Southbound") return undefined;
    if (!(this.opts.roles ?? ["ovn-controller"]).includes(role)) return undefined;
    return new StrictTxn(this, db, id);
  }

  /** Logs a refusal as WARN unless over the rate limit (then counted and reported with the next one). */
  warn(msg: string): void {
    const now = this.opts.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens < 1) {
      this.dropped += 1;
      return;
    }
    this.tokens -= 1;
    if (this.dropped > 0) log.warn(`Dropped ${this.dropped} log messages due to excessive rate`);
    this.dropped = 0;
    log.warn(msg);
  }
}

type Cols = readonly Datum[];

/** What is chassis `id`'s own, read through one transaction (cached until a write may move it). */
export class StrictTxn {
  private ports: Map<string, Cols> | undefined;
  private local: { uuids: Set<Atom>; keys: Set<Atom> } | undefined;
  private txn: Txn | undefined;

  constructor(
    readonly policy: StrictRbac,
    readonly db: Database,
    readonly id: string,
  ) {}

  /** Reads from now on go through `txn` (the engine hands the same one to every operation). */
  attach(txn: Txn): void {
    this.txn = txn;
  }

  /** A write to `table` is about to apply: drop what it may have moved (bindings, local datapaths). */
  written(table: string): void {
    if (table === "Port_Binding" || table === "Chassis" || table === "Datapath_Binding") {
      this.ports = undefined;
      this.local = undefined;
    }
  }

  table(name: string): DbTable | undefined {
    return this.db.table(name);
  }

  get(table: string, uuid: Atom | undefined): Cols | null {
    const t = this.db.table(table);
    if (t === undefined || typeof uuid !== "string" || this.txn === undefined) return null;
    return this.txn.get(t, uuid);
  }

  /** Whether the Chassis row `uuid` is this client's own. */
  isMe(uuid: Atom | undefined): boolean {
    const row = this.get("Chassis", uuid);
    return row !== null && str(this, "Chassis", row, "name") === this.id;
  }

  /** Whether `uuid` names this client's Chassis (or Encap) row, or a row not (yet) in the database. */
  mineOrAbsent(table: "Chassis" | "Encap", uuid: Atom): boolean {
    const row = this.get(table, uuid);
    return row === null || str(this, table, row, table === "Chassis" ? "name" : "chassis_name") === this.id;
  }

  boundHere(pb: Cols): boolean {
    return (
      this.isMe(one(this, "Port_Binding", pb, "chassis")) ||
      keys(this, "Port_Binding", pb, "additional_chassis").some((c) => this.isMe(c))
    );
  }

  port(name: string | undefined): Cols | undefined {
    if (name === undefined) return undefined;
    if (this.ports === undefined) {
      this.ports = new Map();
      const t = this.db.table("Port_Binding");
      if (t !== undefined && this.txn !== undefined)
        for (const r of this.txn.scan(t)) {
          const lp = str(this, "Port_Binding", r.cols, "logical_port");
          if (lp !== undefined) this.ports.set(lp, r.cols);
        }
    }
    return this.ports.get(name);
  }

  /** Where `lp` runs: bound here, its chassisredirect port bound here, or an l3gateway port of here. */
  resident(lp: string | undefined): boolean {
    const pb = this.port(lp);
    if (pb !== undefined && (this.boundHere(pb) || this.gatewayHere(pb))) return true;
    const cr = this.port(lp === undefined ? undefined : `cr-${lp}`);
    return cr !== undefined && this.boundHere(cr);
  }

  gatewayHere(pb: Cols): boolean {
    const type = str(this, "Port_Binding", pb, "type");
    return (
      (type === "l3gateway" && option(this, pb, "l3gateway-chassis") === this.id) ||
      (type === "l2gateway" && option(this, pb, "l2gateway-chassis") === this.id)
    );
  }

  /** Datapaths local to this chassis (uuids and tunnel keys), as ovn-controller computes them. */
  localDatapaths(): { uuids: Set<Atom>; keys: Set<Atom> } {
    if (this.local !== undefined) return this.local;
    this.port(""); // fills this.ports
    const byDp = new Map<Atom, Cols[]>();
    const uuids = new Set<Atom>();
    for (const pb of this.ports?.values() ?? []) {
      const dp = one(this, "Port_Binding", pb, "datapath");
      if (dp === undefined) continue;
      const onDp = byDp.get(dp);
      if (onDp === undefined) byDp.set(dp, [pb]);
      else onDp.push(pb);
      if (this.boundHere(pb) || this.gatewayHere(pb)) uuids.add(dp);
    }
    const queue = [...uuids];
    for (let dp = queue.pop(); dp !== undefined; dp = queue.pop())
      for (const pb of byDp.get(dp) ?? []) {
        const type = str(this, "Port_Binding", pb, "type");
        if (type !== "patch" && type !== "l3gateway") continue;
        const peer = this.port(option(this, pb, "peer"));
        const pdp = peer === undefined ? undefined : one(this, "Port_Binding", peer, "datapath");
        if (pdp !== undefined && !uuids.has(pdp)) {
          uuids.add(pdp);
          queue.push(pdp);
        }
      }
    const keySet = new Set<Atom>();
    for (const dp of uuids) {
      const row = this.get("Datapath_Binding", dp);
      const k = row === null ? undefined : one(this, "Datapath_Binding", row, "tunnel_key");
      if (k !== undefined) keySet.add(k);
    }
    this.local = { uuids, keys: keySet };
    return this.local;
  }
}

function datum(s: StrictTxn, table: string, cols: Cols, name: string): Datum | undefined {
  const c = s.table(table)?.schema.columns.get(name);
  return c === undefined || c.index < 0 ? undefined : cols[c.index];
}

function keys(s: StrictTxn, table: string, cols: Cols, name: string): readonly Atom[] {
  return datum(s, table, cols, name)?.keys ?? [];
}

function one(s: StrictTxn, table: string, cols: Cols, name: string): Atom | undefined {
  return datum(s, table, cols, name)?.keys[0];
}

function str(s: StrictTxn, table: string, cols: Cols, name: string): string | undefined {
  const v = one(s, table, cols, name);
  return typeof v === "string" ? v : undefined;
}

function option(s: StrictTxn, pb: Cols, key: string): string | undefined {
  const d = datum(s, "Port_Binding", pb, "options");
  const i = d?.keys.indexOf(key) ?? -1;
  const v = i < 0 ? undefined : d?.values?.[i];
  return typeof v === "string" ? v : undefined;
}

/** Whether the port is meant for this chassis (see the header); `next` is its value after the write. */
function requestedHere(s: StrictTxn, pb: Cols, next: Cols): boolean {
  const PB = "Port_Binding";
  if (s.isMe(one(s, PB, pb, "requested_chassis"))) return true;
  if (keys(s, PB, pb, "requested_additional_chassis").some((c) => s.isMe(c))) return true;
  const asked = option(s, pb, "requested-chassis");
  if (asked?.split(",").some((n) => n.trim() === s.id)) return true;
  if (s.gatewayHere(pb)) return true;
  // A VTEP gateway's ports, claimed by ovn-controller-vtep under the physical switch's chassis name.
  if (str(s, PB, pb, "type") === "vtep" && option(s, pb, "vtep-physical-switch") === s.id) return true;
  const group = s.get("HA_Chassis_Group", one(s, PB, pb, "ha_chassis_group"));
  if (group !== null)
    for (const ha of keys(s, "HA_Chassis_Group", group, "ha_chassis")) {
      const row = s.get("HA_Chassis", ha);
      if (row !== null && s.isMe(one(s, "HA_Chassis", row, "chassis"))) return true;
    }
  for (const gc of keys(s, PB, pb, "gateway_chassis")) {
    const row = s.get("Gateway_Chassis", gc);
    if (row !== null && s.isMe(one(s, "Gateway_Chassis", row, "chassis"))) return true;
  }
  const parent = s.port(str(s, PB, pb, "parent_port"));
  if (parent !== undefined && s.boundHere(parent)) return true;
  if (str(s, PB, pb, "type") === "virtual") {
    const vp = str(s, PB, next, "virtual_parent");
    const allowed =
      option(s, pb, "virtual-parents")
        ?.split(",")
        .map((n) => n.trim()) ?? [];
    const vpb = s.port(vp);
    if (vp !== undefined && allowed.includes(vp) && vpb !== undefined && s.boundHere(vpb)) return true;
  }
  return false;
}

function added(before: readonly Atom[], after: readonly Atom[]): Atom[] {
  return after.filter((a) => !before.includes(a));
}

/** Why a write to one row is refused (old: null for an insert; next: null for a delete), or undefined. */
type RowRule = (s: StrictTxn, old: Cols | null, next: Cols | null) => string | undefined;

function portBindingRule(s: StrictTxn, old: Cols | null, next: Cols | null): string | undefined {
  const PB = "Port_Binding";
  if (old === null || next === null) return "port bindings are northd's to create and delete";
  const lp = str(s, PB, old, "logical_port") ?? "?";
  if (!s.boundHere(old) && !requestedHere(s, old, next))
    return `port ${lp} is neither bound to nor requested for this chassis`;
  const was = one(s, PB, old, "chassis");
  const now = one(s, PB, next, "chassis");
  if (was !== now) {
    if (now !== undefined && !s.isMe(now)) return `binding port ${lp} to another chassis`;
    if (now === undefined && !s.isMe(was)) return `releasing port ${lp} from another chassis`;
  }
  const before = keys(s, PB, old, "additional_chassis");
  const after = keys(s, PB, next, "additional_chassis");
  if ([...added(before, after), ...added(after, before)].some((c) => !s.isMe(c)))
    return `changing another chassis in additional_chassis of port ${lp}`;
  const parent = str(s, PB, next, "virtual_parent");
  if (parent !== undefined && parent !== str(s, PB, old, "virtual_parent")) {
    const vpb = s.port(parent);
    if (vpb === undefined || !s.boundHere(vpb))
      return `virtual parent ${parent} of port ${lp} is not bound here`;
  }
  const encap = one(s, PB, next, "encap");
  if (encap !== undefined && encap !== one(s, PB, old, "encap") && !s.mineOrAbsent("Encap", encap))
    return `another chassis' encap on port ${lp}`;
  if (
    added(keys(s, PB, old, "additional_encap"), keys(s, PB, next, "additional_encap")).some(
      (e) => !s.mineOrAbsent("Encap", e),
    )
  )
    return `another chassis' encap on port ${lp}`;
  return undefined;
}

/** Rows that exist and whose datapath is not local refuse the write. */
function onLocalDatapath(column: "datapath" | "dp_key", table: string): RowRule {
  return (s, old, next) => {
    const local = s.localDatapaths();
    for (const row of [old, next]) {
      if (row === null) continue;
      const dp = one(s, table, row, column);
      const ok = column === "datapath" ? local.uuids.has(dp as Atom) : local.keys.has(dp as Atom);
      if (!ok) return `${table} on datapath ${String(dp)}, not local to this chassis`;
    }
    return undefined;
  };
}

function residentRule(table: string): RowRule {
  return (s, old, next) => {
    for (const row of [old, next]) {
      if (row === null) continue;
      const lp = str(s, table, row, "logical_port");
      if (!s.resident(lp)) return `${table} row of port ${lp ?? "?"}, not resident on this chassis`;
    }
    return undefined;
  };
}

function ownChassisRule(table: string): RowRule {
  return (s, old, next) => {
    for (const row of [old, next])
      if (row !== null && !s.isMe(one(s, table, row, "chassis"))) return `${table} row of another chassis`;
    return undefined;
  };
}

const RULES: Record<string, RowRule> = {
  Port_Binding: portBindingRule,
  MAC_Binding: onLocalDatapath("datapath", "MAC_Binding"),
  FDB: onLocalDatapath("dp_key", "FDB"),
  Service_Monitor: residentRule("Service_Monitor"),
  BFD: residentRule("BFD"),
  IGMP_Group: ownChassisRule("IGMP_Group"),
  Controller_Event: ownChassisRule("Controller_Event"),
  Chassis_Private: (s, _old, next) => {
    const c = next === null ? undefined : one(s, "Chassis_Private", next, "chassis");
    return c === undefined || s.mineOrAbsent("Chassis", c)
      ? undefined
      : "Chassis_Private pointing at another chassis";
  },
  Chassis: (s, _old, next) =>
    next !== null && keys(s, "Chassis", next, "encaps").some((e) => !s.mineOrAbsent("Encap", e))
      ? "Chassis with another chassis' encap"
      : undefined,
};

/** Applies the strict rules to one write; true (and a log line) when they refuse it. */
export function strictRefusal(s: StrictTxn, op: WriteOp, txn: Txn): boolean {
  const table = op.table.name;
  const rule = RULES[table];
  s.attach(txn);
  let why: string | undefined;
  if (rule !== undefined)
    if (op.kind === "insert") why = rule(s, null, op.row);
    else if (op.kind === "delete") for (const r of op.rows) why ??= rule(s, r.cols, null);
    else for (const r of op.rows) why ??= rule(s, r.cols, op.after(r));
  s.written(table);
  if (why !== undefined) s.policy.warn(`chassis "${s.id}": refused ${op.kind} on ${table}: ${why}`);
  return why !== undefined;
}
