// The chassis's own rows in the Southbound database, as ovn-controller 23.03 keeps them: the Chassis
// (hostname, other_config, Encaps per type and address) and Chassis_Private it registers, and what it
// undoes when told to exit for good.

import { logger } from "../../base/log.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { VswitchTables } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { LocalConfig } from "./config.js";

const log = logger("controller");

/** Chassis other_config features this controller implements, as ovn-controller 23.03 advertises them. */
export const CHASSIS_FEATURES: readonly (readonly [string, string])[] = [
  ["ct-no-masked-label", "true"],
  ["mac-binding-timestamp", "true"],
  ["ovn-ct-lb-related", "true"],
  ["port-up-notif", "true"],
];

/** What the Chassis row is made from besides LocalConfig: the local Open_vSwitch row. */
export interface ChassisOvsInputs {
  readonly externalIds: ReadonlyMap<string, string>;
  /** Open_vSwitch.iface_types (the datapath's interface types), published as other_config:iface-types. */
  readonly ifaceTypes: readonly string[];
}

/**
 * The Chassis other_config ovn-controller 23.03 publishes (controller/chassis.c's list, observed on a
 * real chassis): the local options it reads with their defaults, iface-types, and the features.  With
 * no Open_vSwitch row given, only the keys LocalConfig has.
 */
export function chassisOtherConfig(cfg: LocalConfig, ovs?: ChassisOvsInputs): Map<string, string> {
  // ovn-controller sets an empty br-int datapath_type to "system" before it registers.
  const datapathType = cfg.datapathType === "" ? "system" : cfg.datapathType;
  const base: [string, string][] = [
    ["datapath-type", datapathType],
    ["ovn-bridge-mappings", cfg.bridgeMappings],
  ];
  if (ovs === undefined) return new Map([...base, ["is-interconn", "false"], ...CHASSIS_FEATURES]);
  const opt = (key: string, def: string): string =>
    (cfg.systemId !== undefined ? ovs.externalIds.get(`${key}-${cfg.systemId}`) : undefined) ??
    ovs.externalIds.get(key) ??
    def;
  return new Map([
    ...base,
    ["ovn-cms-options", opt("ovn-cms-options", "")],
    ["ovn-monitor-all", opt("ovn-monitor-all", "false")],
    ["ovn-enable-lflow-cache", opt("ovn-enable-lflow-cache", "true")],
    ["ovn-limit-lflow-cache", opt("ovn-limit-lflow-cache", "")],
    ["ovn-memlimit-lflow-cache-kb", opt("ovn-memlimit-lflow-cache-kb", "")],
    ["ovn-trim-limit-lflow-cache", opt("ovn-trim-limit-lflow-cache", "")],
    ["ovn-trim-wmark-perc-lflow-cache", opt("ovn-trim-wmark-perc-lflow-cache", "")],
    ["ovn-trim-timeout-ms", opt("ovn-trim-timeout-ms", "")],
    ["iface-types", [...ovs.ifaceTypes].sort().join(",")],
    ["ovn-chassis-mac-mappings", opt("ovn-chassis-mac-mappings", "")],
    // A boolean read leniently, written back as true/false.
    ["is-interconn", opt("ovn-is-interconn", "false").toLowerCase() === "true" ? "true" : "false"],
    ...CHASSIS_FEATURES,
  ]);
}

/** Chassis.hostname: external_ids:hostname (or hostname-SYSTEMID) of Open_vSwitch, else the host's. */
export function chassisHostname(cfg: LocalConfig, osHostname: string, ovs?: ChassisOvsInputs): string {
  return (
    (cfg.systemId !== undefined ? ovs?.externalIds.get(`hostname-${cfg.systemId}`) : undefined) ??
    ovs?.externalIds.get("hostname") ??
    osHostname
  );
}

/**
 * ovn-encap-ip may be a comma list (ovn-controller 23.03 accepts several addresses, e.g. one per NIC):
 * the chassis then has one Encap per type and address.
 */
export function encapIpList(encapIp: string | undefined): string[] {
  if (encapIp === undefined) return [];
  return [...new Set(encapIp.split(",").map((s) => s.trim()))].filter((s) => s !== "");
}

/** Chassis, its Encaps and Chassis_Private; true when a transaction was made. */
export async function registerChassis(
  sb: Idl<OvnSbTables>,
  cfg: LocalConfig,
  osHostname: string,
  /** The local Open_vSwitch row: with it, the Chassis row says all ovn-controller's row does. */
  ovs?: ChassisOvsInputs,
): Promise<boolean> {
  const name = cfg.systemId as string;
  const hostname = chassisHostname(cfg, osHostname, ovs);
  // external_ids:ovn-encap-csum (default true): whether senders to this chassis checksum the tunnel.
  const csum = cfg.encapCsum ? "true" : "false";
  const ips = encapIpList(cfg.encapIp);
  const ch = sb.rows("Chassis").find((c) => c.name === name);
  const priv = sb.rows("Chassis_Private").find((c) => c.name === name);
  const encapsOk =
    ch !== undefined &&
    ips.length > 0 &&
    ch.encaps.length === cfg.encapTypes.length * ips.length &&
    ch.encaps.every((u) => {
      const e = sb.get("Encap", u);
      return (
        e !== undefined &&
        ips.includes(e.ip) &&
        cfg.encapTypes.includes(e.type) &&
        e.options.get("csum") === csum
      );
    });
  const otherConfig = chassisOtherConfig(cfg, ovs);
  // external_ids:ovn-transport-zones: other chassis form tunnels to this one only when zones overlap.
  const zones = [...cfg.transportZones].sort();
  const configOk =
    ch !== undefined &&
    [...otherConfig].every(([k, v]) => ch.otherConfig.get(k) === v) &&
    JSON.stringify([...ch.transportZones].sort()) === JSON.stringify(zones);
  const hostnameOk = ovs === undefined || ch?.hostname === hostname;
  if (
    ch !== undefined &&
    (encapsOk || ips.length === 0) &&
    configOk &&
    hostnameOk &&
    priv?.chassis === ch._uuid
  )
    return false;
  log.info(`registering chassis ${name}`);
  await sb.transact((txn) => {
    let chUuid = sb.rows("Chassis").find((c) => c.name === name)?._uuid;
    const encaps = ips.flatMap((ip) =>
      cfg.encapTypes.map((type) =>
        txn.insert("Encap", {
          type: type as "geneve",
          ip,
          chassisName: name,
          options: new Map([["csum", csum]]),
        }),
      ),
    );
    const merged = new Map([...(ch?.otherConfig ?? []), ...otherConfig]);
    if (chUuid === undefined) {
      chUuid = txn.insert("Chassis", { name, hostname, encaps, otherConfig, transportZones: zones });
    } else if (!encapsOk && ips.length > 0) {
      txn.update("Chassis", chUuid, { encaps, otherConfig: merged, transportZones: zones, hostname });
    } else if (!configOk || !hostnameOk) {
      txn.update("Chassis", chUuid, { otherConfig: merged, transportZones: zones, hostname });
    }
    const p = sb.rows("Chassis_Private").find((c) => c.name === name);
    if (p === undefined) txn.insert("Chassis_Private", { name, chassis: chUuid });
    else if (p.chassis !== chUuid) txn.update("Chassis_Private", p._uuid, { chassis: chUuid });
  });
  return true;
}

/**
 * What ovn-controller 23.03 undoes when told to `exit` without --restart (observed: the Chassis and its
 * Chassis_Private and Encaps go, the ports bound here are released -- chassis and encap cleared, `up`
 * left as it is -- and this chassis leaves every additional_chassis; the IGMP groups it learnt go;
 * br-int loses its tunnel ports, while patch ports, ovn-installed marks, zones and flows stay).  Both
 * databases in one transaction each; nothing is done for a chassis that is not registered.
 */
export async function unregisterChassis(
  sb: Idl<OvnSbTables>,
  ovs: Idl<VswitchTables>,
  chassisName: string,
  bridge: string,
): Promise<void> {
  const ch = sb.rows("Chassis").find((c) => c.name === chassisName);
  const priv = sb.rows("Chassis_Private").find((c) => c.name === chassisName);
  const sbDone =
    ch === undefined && priv === undefined
      ? Promise.resolve()
      : sb.transact((txn) => {
          log.info(`unregistering chassis ${chassisName}`);
          if (ch !== undefined) {
            for (const p of sb.rows("Port_Binding")) {
              if (p.chassis === ch._uuid)
                txn.update("Port_Binding", p._uuid, { chassis: undefined, encap: undefined });
              if (!p.additionalChassis.includes(ch._uuid)) continue;
              txn.mutate("Port_Binding", p._uuid, "additionalChassis", "delete", [ch._uuid]);
              const own = p.additionalEncap.filter((u) => sb.get("Encap", u)?.chassisName === chassisName);
              if (own.length > 0) txn.mutate("Port_Binding", p._uuid, "additionalEncap", "delete", own);
            }
            for (const g of sb.rows("IGMP_Group"))
              if (g.chassis === ch._uuid) txn.delete("IGMP_Group", g._uuid);
            txn.delete("Chassis", ch._uuid);
          }
          if (priv !== undefined) txn.delete("Chassis_Private", priv._uuid);
        });
  const br = ovs.rows("Bridge").find((b) => b.name === bridge);
  const tunnels = (br?.ports ?? []).filter((u) => ovs.get("Port", u)?.externalIds.has("ovn-chassis-id"));
  const ovsDone =
    br === undefined || tunnels.length === 0
      ? Promise.resolve()
      : ovs.transact((txn) => {
          log.info(`removing ${tunnels.length} tunnel ports from ${bridge}`);
          txn.mutate("Bridge", br._uuid, "ports", "delete", tunnels);
        });
  await Promise.all([sbDone, ovsDone]);
}
