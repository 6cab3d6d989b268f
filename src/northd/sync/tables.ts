// The SB tables northd derives from the model besides datapaths, ports, HA groups, multicast groups
// and flows, run in a fixed order within one transaction.
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { syncAddressSets } from "./address-set.js";
import { syncBfd } from "./bfd.js";
import { syncDhcpCatalogues } from "./dhcp.js";
import { syncDns } from "./dns.js";
import { syncIpMulticast } from "./ip-multicast.js";
import { syncLoadBalancers } from "./load-balancer.js";
import { cleanMacBindings, syncStaticMacBindings } from "./mac-binding.js";
import { syncMeters } from "./meter.js";
import { syncMirrors, syncTemplateVars } from "./mirror.js";
import { syncPortGroups } from "./port-group.js";
import { syncRbac } from "./rbac.js";
import type { SbIndex } from "./sb-index.js";
import { syncServiceMonitors } from "./service-monitor.js";

/** For a scoped run: which port groups and address sets to sync (their SB rows via the index). */
export interface TableScope {
  readonly pgNames: ReadonlySet<string>;
  readonly asNames: ReadonlySet<string>;
  readonly index: SbIndex;
  /** The datapaths (NB uuids) in scope. */
  readonly dps: ReadonlySet<string>;
  /** Load balancers (NB uuids) to sync: changed ones and those of switches in scope, before and after. */
  readonly lbIds: ReadonlySet<string>;
}

export interface SyncRefs {
  /** Datapath_Binding uuid (or placeholder) of a datapath's NB uuid ("" when unknown). */
  readonly dpRef: (nbUuid: string) => string;
  /** Port_Binding uuid (or placeholder) of a logical port. */
  readonly portRef: (name: string) => string | undefined;
  /** NB uuid of each SB Datapath_Binding uuid in the replica. */
  readonly nbOfSbDp: ReadonlyMap<string, string>;
  /** Set on scoped (incremental) runs. */
  readonly scope?: TableScope;
}

export type TableSync = (txn: Txn<OvnSbTables>, model: NorthdModel, refs: SyncRefs) => void;

interface TableSyncEntry {
  /** NB tables whose changes can change what this writes ("*": only on full runs). */
  readonly inputs: readonly string[];
  readonly sync: TableSync;
}

const SWITCH_PORTS = ["Logical_Switch", "Logical_Switch_Port"];
const ROUTER_PORTS = ["Logical_Router", "Logical_Router_Port"];

/** Every table sync, in order, with the NB tables it reads. */
export const TABLE_SYNCS: Readonly<Record<string, TableSyncEntry>> = {
  rbac: { inputs: [], sync: (txn, m) => syncRbac(txn, m) },
  addressSets: {
    inputs: [
      "Address_Set",
      "Port_Group",
      "Load_Balancer",
      "Load_Balancer_Group",
      ...SWITCH_PORTS,
      "Logical_Router",
    ],
    sync: (txn, m, r) =>
      syncAddressSets(
        txn,
        m,
        r.scope === undefined ? undefined : { names: r.scope.asNames, index: r.scope.index },
      ),
  },
  portGroups: {
    inputs: ["Port_Group", ...SWITCH_PORTS],
    sync: (txn, m, r) =>
      syncPortGroups(
        txn,
        m,
        r.scope === undefined ? undefined : { names: r.scope.pgNames, index: r.scope.index },
      ),
  },
  meters: { inputs: ["Meter", "Meter_Band", "ACL"], sync: (txn, m) => syncMeters(txn, m) },
  dhcp: { inputs: [], sync: (txn, m) => syncDhcpCatalogues(txn, m) },
  ipMulticast: {
    inputs: ["Logical_Switch"],
    sync: (txn, m, r) => syncIpMulticast(txn, m, r.dpRef, r.nbOfSbDp),
  },
  loadBalancers: {
    inputs: ["Load_Balancer", "Load_Balancer_Group", "Logical_Switch"],
    sync: (txn, m, r) =>
      syncLoadBalancers(
        txn,
        m,
        r.dpRef,
        r.nbOfSbDp,
        r.scope === undefined ? undefined : { lbIds: r.scope.lbIds, index: r.scope.index },
      ),
  },
  dns: { inputs: ["DNS", "Logical_Switch"], sync: (txn, m, r) => syncDns(txn, m, r.dpRef) },
  serviceMonitors: {
    // Ports too: a backend's port that goes or is disabled loses its monitor.
    inputs: ["Load_Balancer", "Load_Balancer_Health_Check", "Load_Balancer_Group", ...SWITCH_PORTS],
    sync: (txn, m) => syncServiceMonitors(txn, m),
  },
  macBindings: {
    inputs: [...SWITCH_PORTS, ...ROUTER_PORTS],
    sync: (txn, m, r) => cleanMacBindings(txn, m, r.nbOfSbDp),
  },
  mirrors: {
    inputs: ["Mirror", ...SWITCH_PORTS],
    sync: (txn, m, r) => syncMirrors(txn, m, r.portRef),
  },
  templateVars: { inputs: ["Chassis_Template_Var"], sync: (txn, m) => syncTemplateVars(txn, m) },
  bfd: {
    inputs: ["BFD", "Logical_Router_Static_Route", "Logical_Router"],
    sync: (txn, m) => syncBfd(txn, m),
  },
  staticMacBindings: {
    inputs: ["Static_MAC_Binding", ...SWITCH_PORTS, ...ROUTER_PORTS],
    sync: (txn, m, r) => syncStaticMacBindings(txn, m, r.dpRef),
  },
};

/**
 * Runs the table syncs: all of them when `changedTables` is undefined (a full run), else those that
 * read one of the changed NB tables.
 */
export function syncSbTables(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  refs: SyncRefs,
  changedTables?: ReadonlySet<string>,
): void {
  for (const e of Object.values(TABLE_SYNCS))
    if (changedTables === undefined || e.inputs.some((t) => changedTables.has(t))) e.sync(txn, model, refs);
}
