// What one northd engine run works on: the replicas, the SB transaction being built, and the NB
// changes since the last run. Set by NorthdCore before each engine run; the nodes read it.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NbRows, SbRows } from "../model.js";
import type { SbIndex } from "../sync/sb-index.js";

/** Pseudo-table of an NbChangeSet: NB_Global changed in nb_cfg only. */
export const NB_CFG_ONLY = "NB_Global/nb_cfg";

/** The NB row uuids that changed, by table (and the pseudo-table NB_CFG_ONLY). */
export type NbChangeSet = ReadonlyMap<string, readonly string[]>;

export interface RunContext {
  nb: NbRows;
  sb: SbRows;
  txn: Txn<OvnSbTables>;
  /** Undefined: everything may have changed (full recompute). */
  changes: NbChangeSet | undefined;
  /** Indexes into the SB replica (the daemon's IDL indexes); undefined: scan. */
  sbIndex: SbIndex | undefined;
  /** The SB Logical_Flow rows when the replica does not monitor that table (read by a select). */
  sbFlows: readonly OvnSbTables["Logical_Flow"][] | undefined;
  /** SB input tables (Chassis, Service_Monitor) changed. */
  sbInputChanged: boolean;
  /** SB Datapath_Binding uuids whose IGMP_Group rows changed (before or after the change). */
  igmpDatapaths: ReadonlySet<string> | undefined;
}

/** A holder the nodes close over; NorthdCore replaces `current` before each run. */
export interface ContextRef {
  current: RunContext | undefined;
}

export function ctxOf(ref: ContextRef): RunContext {
  if (ref.current === undefined) throw new Error("northd engine run without a context");
  return ref.current;
}
