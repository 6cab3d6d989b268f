// The central part of an OVN deployment for the controller and end-to-end benchmarks: NB and SB
// databases and northd, each of either implementation, in a peer-test Sandbox, populated with one of
// the northd benchmark's topologies (bench/northd/topology.ts) plus extra, not yet plugged ports.
import { connectIdl } from "../../src/ovsdb/idl/connect.js";
import { type OvnNbTables, ovnNbModel } from "../../src/ovsdb/idl/generated/ovn-nb.js";
import { type OvnSbTables, ovnSbModel } from "../../src/ovsdb/idl/generated/ovn-sb.js";
import type { Idl } from "../../src/ovsdb/idl/idl.js";
import { type DbServer, startDbServer } from "../../test/support/dbserver.js";
import type { Impl } from "../../test/support/impl.js";
import { type OvnDaemon, startNorthd } from "../../test/support/ovn.js";
import type { Sandbox } from "../../test/support/sandbox.js";
import { populate, type Topology } from "../northd/topology.js";

export type NbTxn = ReturnType<Idl<OvnNbTables>["txn"]>;

export interface Central {
  readonly nb: DbServer;
  readonly sb: DbServer;
  readonly northd: OvnDaemon;
  /** The benchmark's own NB and SB replicas (SB: only what it watches). */
  readonly nbIdl: Idl<OvnNbTables>;
  readonly sbIdl: Idl<OvnSbTables>;
  stop(): Promise<void>;
}

export interface CentralOptions {
  /** Prefix of the daemons' names in the sandbox. */
  readonly name: string;
  /** Implementation of the two database servers and of northd. */
  readonly dbImpl: Impl;
  readonly northdImpl: Impl;
  readonly topology: Topology;
  /** More NB rows written after the topology, before northd starts. */
  readonly extra?: (txn: NbTxn, idl: Idl<OvnNbTables>) => void;
}

/** Commits `build` and an nb_cfg bump in one NB transaction; resolves when sb_cfg has caught up. */
export async function changeAndWaitSb(
  idl: Idl<OvnNbTables>,
  build: (txn: NbTxn) => void,
  timeoutMs = 600_000,
): Promise<void> {
  const { value: ref, result } = await idl.transact((txn) => {
    build(txn);
    const g = idl.first("NB_Global");
    const u = g === undefined ? txn.insert("NB_Global") : g._uuid;
    txn.mutate("NB_Global", u, "nbCfg", "+=", 1);
    return txn.select("NB_Global", [["_uuid", "==", u]], ["nbCfg"]);
  });
  const want = (result.rows(ref)[0] as { nb_cfg?: number } | undefined)?.nb_cfg ?? 0;
  await idl.waitUntil(() => (idl.first("NB_Global")?.sbCfg ?? -1) >= want, timeoutMs);
}

export async function startCentral(box: Sandbox, o: CentralOptions): Promise<Central> {
  const nb = await startDbServer(box, { impl: o.dbImpl, name: `${o.name}-nb`, schemas: ["ovn-nb"] });
  const sb = await startDbServer(box, { impl: o.dbImpl, name: `${o.name}-sb`, schemas: ["ovn-sb"] });
  const nbIdl = connectIdl(ovnNbModel, nb.remote);
  const sbIdl = connectIdl(ovnSbModel, sb.remote, {
    monitor: {
      Port_Binding: ["logicalPort", "chassis", "up"],
      Chassis: ["name"],
      Chassis_Private: ["name"],
    },
  });
  await nbIdl.synced();
  await populate(nbIdl, o.topology);
  const extra = o.extra;
  if (extra !== undefined) await nbIdl.transact((txn) => extra(txn, nbIdl));
  // NB_Global must exist before northd starts: ovn-northd inserts one when it finds none, and a second
  // insert racing with it (changeAndWaitSb's) fails on the table's one-row limit.
  if (nbIdl.first("NB_Global") === undefined) await nbIdl.transact((txn) => txn.insert("NB_Global"));
  const northd = await startNorthd(box, {
    impl: o.northdImpl,
    name: `${o.name}-northd`,
    nb: nb.remote,
    sb: sb.remote,
    readyTimeoutMs: 60_000,
  });
  await changeAndWaitSb(nbIdl, () => undefined);
  await sbIdl.synced();
  return {
    nb,
    sb,
    northd,
    nbIdl,
    sbIdl,
    stop: async () => {
      nbIdl.stop();
      sbIdl.stop();
      await northd.stop();
      await sb.stop();
      await nb.stop();
    },
  };
}

/** The UUID of the chassis named `name` in the SB replica, if registered. */
export function chassisUuid(sbIdl: Idl<OvnSbTables>, name: string): string | undefined {
  return sbIdl.rows("Chassis").find((c) => c.name === name)?._uuid;
}

/**
 * Removes a chassis a stopped controller left behind (ovn-controller leaves its records on SIGTERM) and
 * marks every port down again, so the next controller starts from the same Southbound state.
 */
export async function forgetChassis(sbIdl: Idl<OvnSbTables>, name: string): Promise<void> {
  await sbIdl.transact((txn) => {
    for (const c of sbIdl.rows("Chassis")) if (c.name === name) txn.delete("Chassis", c._uuid);
    for (const c of sbIdl.rows("Chassis_Private"))
      if (c.name === name) txn.delete("Chassis_Private", c._uuid);
    for (const p of sbIdl.rows("Port_Binding"))
      if (p.up === true || p.chassis !== undefined)
        txn.update("Port_Binding", p._uuid, { up: false, chassis: undefined });
  });
}
