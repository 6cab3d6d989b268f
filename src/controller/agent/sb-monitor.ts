// Conditional monitoring of the Southbound database (ovn-controller(8), external_ids:ovn-monitor-all):
// unless ovn-monitor-all=true, the chassis asks the server only for the rows it needs, as
// ovn-controller 23.03 does.  Pure: sbConditions() turns what the chassis knows (its name and row, its
// VIFs' iface-ids, its local datapaths, the datapath groups in its replica) into one monitor condition
// per table; SbConditionTracker (given the IDL) sends the changes and says when the replica reflects
// exactly the conditions the current pass would ask for — only then is it safe to compute flows from it.
//
// The set is closed in one round after the first monitor reply: local datapaths depend only on rows that
// are always replicated (Datapath_Binding, Chassis, every patch/chassisredirect/external port, the VIFs'
// own ports, ports naming this chassis), and the datapath groups that the logical flows and load
// balancers of local datapaths name are replicated whole (a small table: one row per distinct set of
// datapaths that share flows), so the groups of the local datapaths are known as soon as the datapaths
// are (ovn-controller asks for them by condition, which costs it a second round at start).

import { logger } from "../../base/log.js";
import { type OvnSbTables, ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { MonitorCondition, Uuid } from "../../ovsdb/idl/model.js";
import type { MonitorSpec } from "../../ovsdb/idl/monitor-request.js";

const log = logger("controller");

/**
 * The Southbound columns the controller replicates (IdlOptions.monitor): every table, every column but
 * Logical_Flow's external_ids -- the stage names and northd source lines, for people reading the
 * database; nothing here reads them, and they were a third of each flow row's size (a Map per row:
 * ~0.6 MiB at the benchmark's M, and that much less for the server to send).
 */
export const SB_MONITOR: MonitorSpec<OvnSbTables> = Object.fromEntries(
  [...ovnSbModel.tables].map(([name, t]) => [
    name,
    name === "Logical_Flow" ? t.columns.map((c) => c.prop).filter((p) => p !== "externalIds") : true,
  ]),
) as MonitorSpec<OvnSbTables>;

/** The tables whose rows are selected by condition; every other table is replicated whole. */
export const CONDITIONED_TABLES = [
  "Port_Binding",
  "Logical_Flow",
  "Logical_DP_Group",
  "Multicast_Group",
  "MAC_Binding",
  "Static_MAC_Binding",
  "FDB",
  "IP_Multicast",
  "DNS",
  "Load_Balancer",
] as const;

export type ConditionedTable = (typeof CONDITIONED_TABLES)[number];

/** One condition per conditioned table; undefined replicates every row. */
export type SbConditions = {
  readonly [K in ConditionedTable]: MonitorCondition<OvnSbTables[K]> | undefined;
};

export interface SbMonitorInput {
  /** external_ids:ovn-monitor-all=true: every row of every table. */
  readonly monitorAll: boolean;
  /** external_ids:system-id (the Chassis name). */
  readonly chassisName: string;
  /** This chassis's Chassis row, once registered. */
  readonly chassisUuid: string | undefined;
  /** external_ids:iface-id of the VIFs on br-int. */
  readonly ifaceIds: Iterable<string>;
  /** The local datapaths (lflow/context.ts localDatapaths), with their tunnel keys (FDB's dp_key). */
  readonly localDatapaths: readonly { readonly uuid: string; readonly tunnelKey: number }[];
  /** Logical_DP_Group rows in the replica that contain a local datapath. */
  readonly dpGroups: Iterable<string>;
}

const ALL: SbConditions = {
  Port_Binding: undefined,
  Logical_Flow: undefined,
  Logical_DP_Group: undefined,
  Multicast_Group: undefined,
  MAC_Binding: undefined,
  Static_MAC_Binding: undefined,
  FDB: undefined,
  IP_Multicast: undefined,
  DNS: undefined,
  Load_Balancer: undefined,
};

/** Port types every chassis follows whatever its datapaths: they link datapaths or may be claimed here. */
const ALWAYS_TYPES = ["patch", "chassisredirect", "external"];

const sorted = <T>(xs: Iterable<T>): T[] => [...new Set(xs)].sort();

/** The conditions for a chassis (input sorted, so the same state always gives the same conditions). */
export function sbConditions(input: SbMonitorInput): SbConditions {
  if (input.monitorAll) return ALL;
  const dps = [...input.localDatapaths].sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  const dp = dps.map((d) => d.uuid as Uuid<"Datapath_Binding">);
  const groups = sorted(input.dpGroups).map((g) => g as Uuid<"Logical_DP_Group">);
  const ifaces = sorted(input.ifaceIds);
  const me = input.chassisUuid as Uuid<"Chassis"> | undefined;
  const pb: MonitorCondition<OvnSbTables["Port_Binding"]> = [
    ...ALWAYS_TYPES.map((t) => ["type", "==", t] as const),
    // A gateway router or L2 gateway pinned here makes its datapath local before anything is bound.
    ["options", "includes", new Map([["l3gateway-chassis", input.chassisName]])],
    ["options", "includes", new Map([["l2gateway-chassis", input.chassisName]])],
    ...(me !== undefined
      ? ([
          // Ports bound here (or asked to be) are seen even outside the local datapaths: that is how
          // a port that should not be ours any more gets released.
          ["chassis", "==", me],
          ["requestedChassis", "==", me],
          ["additionalChassis", "includes", me],
        ] as const)
      : []),
    ...ifaces.flatMap((i) => [["logicalPort", "==", i] as const, ["parentPort", "==", i] as const]),
    ...dp.map((d) => ["datapath", "==", d] as const),
  ];
  return {
    Port_Binding: pb,
    Logical_Flow: [
      ...dp.map((d) => ["logicalDatapath", "==", d] as const),
      ...groups.map((g) => ["logicalDpGroup", "==", g] as const),
    ],
    Logical_DP_Group: undefined,
    Multicast_Group: dp.map((d) => ["datapath", "==", d] as const),
    MAC_Binding: dp.map((d) => ["datapath", "==", d] as const),
    Static_MAC_Binding: dp.map((d) => ["datapath", "==", d] as const),
    FDB: dps.map((d) => ["dpKey", "==", d.tunnelKey] as const),
    IP_Multicast: dp.map((d) => ["datapath", "==", d] as const),
    DNS: dp.map((d) => ["datapaths", "includes", d] as const),
    Load_Balancer: [
      ...dp.map((d) => ["datapaths", "includes", d] as const),
      ...groups.map((g) => ["datapathGroup", "==", g] as const),
    ],
  };
}

/** A stable text of a condition (maps as entry lists), to tell whether it changed. */
export function conditionKey(c: readonly unknown[] | undefined): string {
  return c === undefined ? "all" : JSON.stringify(c, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
}

/**
 * The clauses that name a VIF's logical port (or its containers'), what plugging an interface adds, and
 * those that name this chassis, which registering it adds.
 */
const IFACE_COLUMNS = new Set([
  "logicalPort",
  "parentPort",
  "chassis",
  "requestedChassis",
  "additionalChassis",
]);

/**
 * Whether going from `before` to `after` only adds Port_Binding clauses that name VIFs or this chassis.
 * Rows such a change brings are ports that will be claimed here (or containers of one), or ports bound
 * (or asked to be bound) here whose interface is not on br-int -- a VIF's own clause selects those that
 * have one -- which this chassis will only release.  A replica still without them is complete for every
 * local datapath, so flows computed from it are right and the rows, when they come, are handled by the
 * pass their arrival schedules (as ovn-controller claims a port of a local datapath in the iteration
 * that sees its interface, without waiting for its condition change).
 */
export function onlyAddsIfaces(
  table: ConditionedTable,
  before: readonly unknown[] | undefined,
  after: readonly unknown[] | undefined,
): boolean {
  if (table !== "Port_Binding" || before === undefined || after === undefined) return false;
  const old = new Set(before.map((c) => conditionKey([c])));
  let kept = 0;
  for (const c of after) {
    if (old.has(conditionKey([c]))) {
      kept++;
      continue;
    }
    const col = Array.isArray(c) ? c[0] : undefined;
    if (typeof col !== "string" || !IFACE_COLUMNS.has(col)) return false;
  }
  return kept === old.size;
}

/**
 * Sends condition changes to one Southbound IDL and knows whether the replica reflects the last ones.
 * A new IDL (another remote) needs a new tracker.
 */
export class SbConditionTracker {
  private readonly asked = new Map<ConditionedTable, { key: string; cond: readonly unknown[] | undefined }>();
  /** Changes on their way that a pass must wait for (not the ones onlyAddsIfaces lets through). */
  private inFlight = 0;
  private sending = 0;

  /** `onAcked` runs when the server has applied a change (its rows have arrived by then). */
  constructor(
    private readonly idl: Idl<OvnSbTables>,
    private readonly onAcked: () => void,
  ) {}

  /**
   * Asks for `conds` where they differ from what was asked before. True when the replica holds every
   * row of the local datapaths these conditions select: nothing had to change (or only VIF clauses
   * were added, see onlyAddsIfaces) and no other change is still on its way.
   */
  apply(conds: SbConditions): boolean {
    let mustWait = false;
    for (const t of CONDITIONED_TABLES) {
      const cond = conds[t] as readonly unknown[] | undefined;
      const key = conditionKey(cond);
      const prev = this.asked.get(t);
      if (prev?.key === key) continue;
      const wait = prev === undefined || !onlyAddsIfaces(t, prev.cond, cond);
      this.asked.set(t, { key, cond });
      if (wait) {
        mustWait = true;
        this.deferred.delete(t);
        this.send(t, conds[t], true);
      } else this.deferred.set(t, conds[t]);
    }
    return !mustWait && this.inFlight === 0;
  }

  /**
   * Changes nothing waits for (onlyAddsIfaces), held back by apply() until the caller has sent what the
   * pass writes: the server answers one connection's requests in order, and a condition change can
   * take it a while, which a claim queued behind it would wait out.
   */
  private readonly deferred = new Map<ConditionedTable, SbConditions[ConditionedTable]>();

  /** Sends the changes apply() held back. */
  flush(): void {
    for (const [t, c] of this.deferred) this.send(t, c as never, false);
    this.deferred.clear();
  }

  /** Nothing asked yet (a new IDL): the first conditions then go out with the first monitor request. */
  get untouched(): boolean {
    return this.asked.size === 0;
  }

  /** What apply() of the conditions asked last would answer: no change it must wait for is on its way. */
  get settled(): boolean {
    return this.inFlight === 0;
  }

  /** Whether a condition change is on its way to the server. */
  get pending(): boolean {
    return this.sending > 0;
  }

  private send<K extends ConditionedTable>(table: K, cond: SbConditions[K], wait: boolean): void {
    if (log.enabled("DBG"))
      log.dbg(
        `condition of ${table}: ${cond === undefined ? "all rows" : `${cond.length} clauses`}${wait ? "" : " (not waited for)"}`,
      );
    if (wait) this.inFlight += 1;
    this.sending += 1;
    this.idl
      .setCondition(table, cond as MonitorCondition<OvnSbTables[K]> | undefined)
      .catch(() => undefined) // the IDL stopped: nothing more to wait for
      .finally(() => {
        if (wait) this.inFlight -= 1;
        this.sending -= 1;
        this.onAcked();
      });
  }
}
