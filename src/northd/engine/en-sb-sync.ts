// SB sync of every table but Logical_Flow: datapaths, HA groups, port bindings and multicast groups
// (only those of the affected datapaths after an incremental change), SB_Global and the other
// tables (./../sync/tables.ts). Its data are the references the flow sync needs.
import type { Engine, EngineNode } from "../../incproc/engine.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import { nbUuidOfDatapath, syncDatapaths } from "../sync/datapath.js";
import { HA_INPUTS, haGroupOfPort, syncHaGroups } from "../sync/ha-chassis.js";
import { igmpGroups } from "../sync/igmp-groups.js";
import { syncMulticastGroups } from "../sync/multicast.js";
import { syncPortBindings } from "../sync/port-binding.js";
import { syncSbGlobal } from "../sync/sb-global.js";
import { scanSbIndex } from "../sync/sb-index.js";
import { syncSbTables, type TableScope } from "../sync/tables.js";
import { type ContextRef, ctxOf } from "./context.js";
import type { ModelData } from "./en-model.js";
import type { NbData } from "./en-nb-data.js";

export interface SbSyncData {
  /** Datapath_Binding uuid or placeholder by NB uuid. */
  dpUuids: Map<string, string>;
  /** NB uuid by SB Datapath_Binding uuid (from the replica). */
  nbOfSbDp: Map<string, string>;
  /** Rows written in the last run. */
  written: { inserted: number; updated: number; deleted: number };
  /** Names of NB port groups and address sets by uuid at the last sync (to find deleted ones). */
  pgNameByUuid: Map<string, string>;
  asNameByUuid: Map<string, string>;
  /** The load balancers of each switch at the last sync (to find those a switch dropped). */
  lbsBySwitch: Map<string, string[]>;
}

export function addSbSyncNode(
  engine: Engine,
  ref: ContextRef,
  nbData: EngineNode<NbData>,
  modelNode: EngineNode<ModelData>,
): EngineNode<SbSyncData> {
  const sync = (
    n: EngineNode<SbSyncData>,
    scope: ReadonlySet<string> | undefined,
    changedTables: ReadonlySet<string> | undefined,
  ): "updated" => {
    const ctx = ctxOf(ref);
    const md = n.input(modelNode);
    const model = md.model;
    if (model === undefined) throw new Error("sb_sync without a model");
    const txn = ctx.txn;
    const nbOfSbDp = new Map<string, string>();
    const sbOfNbDp = new Map<string, OvnSbTables["Datapath_Binding"]>();
    for (const d of ctx.sb.rows("Datapath_Binding")) {
      const u = nbUuidOfDatapath(d);
      if (u !== undefined) {
        nbOfSbDp.set(d._uuid, u);
        sbOfNbDp.set(u, d);
      }
    }
    const dps = syncDatapaths(txn, model, scope, (u) => sbOfNbDp.get(u));
    const dpRef = (u: string): string => dps.uuids.get(u) ?? sbOfNbDp.get(u)?._uuid ?? "";
    // HA groups: on full runs, and when a table they come from changed (switch ports only when a
    // changed port has a group).
    const haChanged =
      changedTables === undefined ||
      [...changedTables].some((t) => HA_INPUTS.has(t)) ||
      (ctx.changes?.get("Logical_Switch_Port") ?? []).some(
        (u) => ctx.nb.get("Logical_Switch_Port", u)?.haChassisGroup !== undefined,
      );
    let haGroups: Map<string, string>;
    if (scope === undefined || haChanged) haGroups = syncHaGroups(txn, model);
    else {
      haGroups = new Map();
      for (const g of ctx.sb.rows("HA_Chassis_Group")) haGroups.set(g.name, g._uuid);
    }
    const haRef = (port: string): string | undefined => {
      const g = haGroupOfPort(model, port);
      return g === undefined ? undefined : haGroups.get(g.name);
    };
    // The SB datapath of an NB one, also for datapaths being deleted (their rows must go too).
    const sbDpOf = (u: string): string | undefined => sbOfNbDp.get(u)?._uuid;
    const pbs = syncPortBindings(txn, model, dpRef, haRef, scope, ctx.sbIndex, sbDpOf);
    const index = ctx.sbIndex ?? scanSbIndex(ctx.sb);
    const portRef = (name: string): string | undefined =>
      pbs.uuids.get(name) ?? index.portBindingNamed(name)?._uuid;
    syncMulticastGroups(txn, model, dpRef, portRef, nbOfSbDp, scope, ctx.sbIndex, sbDpOf);
    // IGMP_Group rows whose chassis or datapath went away are stale (ovn-northd deletes them too).
    for (const u of igmpGroups(model).stale)
      if (ctx.sb.get("IGMP_Group", u) !== undefined) txn.delete("IGMP_Group", u as never);
    syncSbGlobal(txn, model, ctx.nb);
    let tableScope: TableScope | undefined;
    if (scope !== undefined) {
      const pgNames = new Set<string>();
      const asNames = new Set<string>();
      for (const pg of model.portGroups.values())
        for (const d of pg.byDatapath.keys()) if (scope.has(d.uuid)) pgNames.add(pg.name);
      for (const u of ctx.changes?.get("Port_Group") ?? []) {
        const now = ctx.nb.get("Port_Group", u)?.name;
        const was = n.data.pgNameByUuid.get(u);
        if (now !== undefined) pgNames.add(now);
        if (was !== undefined) pgNames.add(was);
      }
      for (const u of ctx.changes?.get("Address_Set") ?? []) {
        const now = ctx.nb.get("Address_Set", u)?.name;
        const was = n.data.asNameByUuid.get(u);
        if (now !== undefined) asNames.add(now);
        if (was !== undefined) asNames.add(was);
      }
      for (const pg of pgNames) {
        asNames.add(`${pg}_ip4`);
        asNames.add(`${pg}_ip6`);
      }
      for (const u of scope) {
        const key = model.datapaths.get(u)?.key ?? sbOfNbDp.get(u)?.tunnelKey;
        if (key !== undefined) {
          asNames.add(`_rtr_lb_${key}_ip4`);
          asNames.add(`_rtr_lb_${key}_ip6`);
        }
      }
      const lbIds = new Set<string>(ctx.changes?.get("Load_Balancer") ?? []);
      for (const u of scope) {
        const dp = model.datapaths.get(u);
        if (dp?.kind === "switch") for (const lb of dp.loadBalancers) lbIds.add(lb.uuid);
        for (const lb of n.data.lbsBySwitch.get(u) ?? []) lbIds.add(lb);
      }
      tableScope = { pgNames, asNames, index, dps: scope, lbIds };
    }
    syncSbTables(
      txn,
      model,
      { dpRef, portRef, nbOfSbDp, ...(tableScope !== undefined ? { scope: tableScope } : {}) },
      scope === undefined ? undefined : changedTables,
    );
    n.data.lbsBySwitch = new Map(
      model.switches.map((ls) => [ls.uuid, ls.loadBalancers.map((lb) => lb.uuid)]),
    );
    n.data.pgNameByUuid = new Map([...model.portGroups.values()].map((pg) => [pg.nb._uuid, pg.name]));
    n.data.asNameByUuid = new Map([...model.addressSets.values()].map((as) => [as._uuid, as.name]));
    const all = new Map<string, string>();
    for (const [u, d] of sbOfNbDp) if (model.datapaths.has(u)) all.set(u, d._uuid);
    for (const [u, d] of dps.uuids) all.set(u, d);
    n.data.dpUuids = all;
    n.data.nbOfSbDp = nbOfSbDp;
    n.data.written = {
      inserted: dps.inserted + pbs.inserted,
      updated: dps.updated + pbs.updated,
      deleted: dps.deleted + pbs.deleted,
    };
    return "updated";
  };
  return engine.add<SbSyncData>(
    {
      name: "sb_sync",
      data: {
        dpUuids: new Map(),
        nbOfSbDp: new Map(),
        written: { inserted: 0, updated: 0, deleted: 0 },
        pgNameByUuid: new Map(),
        asNameByUuid: new Map(),
        lbsBySwitch: new Map(),
      },
      run: (n) => sync(n, undefined, undefined),
    },
    [
      // Any NB change (a bare nb_cfg bump too): SB_Global.nb_cfg follows NB_Global.nb_cfg.
      [
        nbData,
        (n) => {
          const model = n.input(modelNode).model;
          if (model === undefined) return false;
          syncSbGlobal(ctxOf(ref).txn, model, ctxOf(ref).nb);
          return "unchanged";
        },
      ],
      [
        modelNode,
        (n) => {
          const md = n.input(modelNode);
          return md.affected === "all" ? false : sync(n, md.affected, md.changedTables);
        },
      ],
    ],
  );
}
