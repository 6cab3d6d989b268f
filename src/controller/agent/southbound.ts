// The agent's writes to the Southbound database: the nb_cfg acknowledgement and the MAC_Binding / FDB /
// Port_Binding / Controller_Event rows pinctrl asks for.  The chassis's registration is in
// southbound-chassis.ts, port claims and ovn-installed in southbound-ports.ts (re-exported here).

import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { VswitchTables } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { SbRowOp, SbWriteContext } from "./sb-writes.js";

export {
  CHASSIS_FEATURES,
  type ChassisOvsInputs,
  chassisHostname,
  chassisOtherConfig,
  encapIpList,
  registerChassis,
  unregisterChassis,
} from "./southbound-chassis.js";
export { type BindingChanges, changeBindings, ifaceEncapIps, markInstalled } from "./southbound-ports.js";

/** The rows pinctrl's MAC_Binding / FDB / virtual port writes are compared against. */
export function sbWriteContext(
  sb: Idl<OvnSbTables>,
  chassisName: string | undefined,
  nextEventSeq: number,
): SbWriteContext | undefined {
  if (!sb.isSynced) return undefined;
  return {
    virtualPorts: sb
      .rows("Port_Binding")
      .filter((p) => p.type === "virtual")
      .map((p) => ({
        uuid: p._uuid,
        logicalPort: p.logicalPort,
        virtualParent: p.virtualParent,
        chassis: p.chassis,
      })),
    chassis: sb.rows("Chassis").find((c) => c.name === chassisName)?._uuid,
    chassisName,
    // Only the multichassis ports can be activated (activation-strategy is theirs).
    activations: new Map(
      sb
        .rows("Port_Binding")
        .filter((p) => p.requestedAdditionalChassis.length > 0 || p.additionalChassis.length > 0)
        .map((p) => [
          p.logicalPort,
          { uuid: p._uuid, activated: p.options.get("additional-chassis-activated") },
        ]),
    ),
    events: sb.rows("Controller_Event").map((e) => ({ eventType: e.eventType, info: e.eventInfo })),
    nextEventSeq,
    macBindings: sb.rows("MAC_Binding").map((m) => ({
      uuid: m._uuid,
      logicalPort: m.logicalPort,
      ip: m.ip,
      mac: m.mac,
    })),
    fdbs: sb.rows("FDB").map((f) => ({ uuid: f._uuid, mac: f.mac, dpKey: f.dpKey, portKey: f.portKey })),
    datapathByKey: new Map(sb.rows("Datapath_Binding").map((d) => [d.tunnelKey, d._uuid])),
  };
}

export async function writeSb(sb: Idl<OvnSbTables>, ops: readonly SbRowOp[]): Promise<void> {
  await sb.transact((txn) => {
    for (const o of ops)
      switch (o.op) {
        case "insert-mac-binding":
          txn.insert("MAC_Binding", {
            logicalPort: o.logicalPort,
            ip: o.ip,
            mac: o.mac,
            datapath: o.datapath as never,
            timestamp: o.timestamp,
          });
          break;
        case "update-mac-binding":
          txn.update("MAC_Binding", o.uuid as never, { mac: o.mac, timestamp: o.timestamp });
          break;
        case "insert-fdb":
          txn.insert("FDB", { mac: o.mac, dpKey: o.dpKey, portKey: o.portKey });
          break;
        case "update-fdb":
          txn.update("FDB", o.uuid as never, { portKey: o.portKey });
          break;
        case "insert-event":
          txn.insert("Controller_Event", {
            eventType: o.eventType,
            eventInfo: o.info,
            chassis: o.chassis as never,
            seqNum: o.seqNum,
          });
          break;
        case "activate-port":
          // A map insert keeps a key that is there: the old list goes first (C's setkey).
          txn.mutate("Port_Binding", o.uuid as never, "options", "delete", ["additional-chassis-activated"]);
          txn.mutate(
            "Port_Binding",
            o.uuid as never,
            "options",
            "insert",
            new Map([["additional-chassis-activated", o.value]]) as never,
          );
          break;
        case "bind-vport":
          // Claimed here with its new parent; up follows once this chassis's flows are installed.
          txn.update("Port_Binding", o.uuid as never, {
            virtualParent: o.virtualParent,
            chassis: o.chassis as never,
          });
          break;
      }
  });
}

/** Where ackNbCfg mirrors the acknowledgement in the local database (ovn-controller 23.03 does). */
export interface NbCfgLocal {
  readonly ovs: Idl<VswitchTables>;
  /** The integration bridge, whose external_ids get ovn-nb-cfg, ovn-nb-cfg-ts and ovn-startup-ts. */
  readonly bridge: string;
  /** Wall-clock ms of the daemon's start (e.g. performance.timeOrigin). */
  readonly startupMs: number;
}

/**
 * Chassis_Private.nb_cfg := the SB_Global.nb_cfg whose flows are now installed, with its timestamp; and,
 * with `local`, as ovn-controller 23.03 stores it: br-int external_ids:ovn-nb-cfg and ovn-nb-cfg-ts (the
 * same timestamp as Chassis_Private.nb_cfg_timestamp when both change), and ovn-startup-ts (the
 * daemon's start, written whenever it differs).  nb_cfg 0 (nothing acknowledged yet) writes only the
 * start time.
 */
export async function ackNbCfg(
  sb: Idl<OvnSbTables>,
  chassis: string,
  nbCfg: number,
  nowMs: number,
  local?: NbCfgLocal,
): Promise<void> {
  const p = sb.rows("Chassis_Private").find((c) => c.name === chassis);
  const sbDone =
    p === undefined || p.nbCfg === nbCfg || nbCfg === 0
      ? Promise.resolve()
      : sb.transact((txn) => {
          txn.update("Chassis_Private", p._uuid, { nbCfg, nbCfgTimestamp: nowMs });
        });
  const br = local?.ovs.rows("Bridge").find((b) => b.name === local.bridge);
  const ids = new Map<string, string>();
  if (local !== undefined && br !== undefined) {
    const startup = String(Math.round(local.startupMs));
    if (br.externalIds.get("ovn-startup-ts") !== startup) ids.set("ovn-startup-ts", startup);
    if (nbCfg !== 0 && br.externalIds.get("ovn-nb-cfg") !== String(nbCfg)) {
      ids.set("ovn-nb-cfg", String(nbCfg));
      ids.set("ovn-nb-cfg-ts", String(nowMs));
    }
  }
  const ovsDone =
    local === undefined || br === undefined || ids.size === 0
      ? Promise.resolve()
      : local.ovs.transact((txn) => {
          // A map insert keeps a key that is there: the old values go first (C's setkey).
          txn.mutate("Bridge", br._uuid, "externalIds", "delete", [...ids.keys()]);
          txn.mutate("Bridge", br._uuid, "externalIds", "insert", ids as never);
        });
  await Promise.all([sbDone, ovsDone]);
}
