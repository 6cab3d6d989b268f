// The agent's writes to the Southbound database: the chassis registration, port claims, ports up,
// the nb_cfg acknowledgement, and the MAC_Binding / FDB rows pinctrl learns.

import { logger } from "../../base/log.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { VswitchTables } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import type { LocalConfig } from "./config.js";
import type { SbRowOp, SbWriteContext } from "./sb-writes.js";

const log = logger("controller");

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

/** Chassis other_config features this controller implements, as ovn-controller 23.03 advertises them. */
export const CHASSIS_FEATURES: readonly (readonly [string, string])[] = [
  ["ct-no-masked-label", "true"],
  ["mac-binding-timestamp", "true"],
  ["ovn-ct-lb-related", "true"],
  ["port-up-notif", "true"],
];

/** Chassis, its Encaps and Chassis_Private; true when a transaction was made. */
export async function registerChassis(
  sb: Idl<OvnSbTables>,
  cfg: LocalConfig,
  hostname: string,
): Promise<boolean> {
  const name = cfg.systemId as string;
  // external_ids:ovn-encap-csum (default true): whether senders to this chassis checksum the tunnel.
  const csum = cfg.encapCsum ? "true" : "false";
  const ch = sb.rows("Chassis").find((c) => c.name === name);
  const priv = sb.rows("Chassis_Private").find((c) => c.name === name);
  const encapsOk =
    ch !== undefined &&
    cfg.encapIp !== undefined &&
    ch.encaps.length === cfg.encapTypes.length &&
    ch.encaps.every((u) => {
      const e = sb.get("Encap", u);
      return (
        e !== undefined &&
        e.ip === cfg.encapIp &&
        cfg.encapTypes.includes(e.type) &&
        e.options.get("csum") === csum
      );
    });
  const otherConfig = new Map([
    ["datapath-type", cfg.datapathType],
    ["ovn-bridge-mappings", cfg.bridgeMappings],
    ["is-interconn", "false"],
    // The features northd keys its flows on (ovn-controller 23.03 advertises the same): without them
    // northd falls back to ct_label.blocked and ct_lb instead of ct_mark.blocked and ct_lb_mark.
    ...CHASSIS_FEATURES,
  ]);
  // external_ids:ovn-transport-zones: other chassis form tunnels to this one only when zones overlap.
  const zones = [...cfg.transportZones].sort();
  const configOk =
    ch !== undefined &&
    [...otherConfig].every(([k, v]) => ch.otherConfig.get(k) === v) &&
    JSON.stringify([...ch.transportZones].sort()) === JSON.stringify(zones);
  if (ch !== undefined && (encapsOk || cfg.encapIp === undefined) && configOk && priv?.chassis === ch._uuid)
    return false;
  log.info(`registering chassis ${name}`);
  await sb.transact((txn) => {
    let chUuid = sb.rows("Chassis").find((c) => c.name === name)?._uuid;
    const encaps =
      cfg.encapIp === undefined
        ? []
        : cfg.encapTypes.map((type) =>
            txn.insert("Encap", {
              type: type as "geneve",
              ip: cfg.encapIp as string,
              chassisName: name,
              options: new Map([["csum", csum]]),
            }),
          );
    if (chUuid === undefined) {
      chUuid = txn.insert("Chassis", { name, hostname, encaps, otherConfig, transportZones: zones });
    } else if (!encapsOk) {
      txn.update("Chassis", chUuid, {
        encaps,
        otherConfig: new Map([...(ch?.otherConfig ?? []), ...otherConfig]),
        transportZones: zones,
      });
    } else if (!configOk) {
      txn.update("Chassis", chUuid, {
        otherConfig: new Map([...(ch?.otherConfig ?? []), ...otherConfig]),
        transportZones: zones,
      });
    }
    const p = sb.rows("Chassis_Private").find((c) => c.name === name);
    if (p === undefined) txn.insert("Chassis_Private", { name, chassis: chUuid });
    else if (p.chassis !== chUuid) txn.update("Chassis_Private", p._uuid, { chassis: chUuid });
  });
  return true;
}

export interface BindingChanges {
  /** Ports to bind to this chassis. */
  readonly claim: readonly string[];
  /** Ports bound here to let go. */
  readonly release: readonly string[];
  /** Ports (claimed now or bound already) whose flows are installed: Port_Binding.up := true. */
  readonly up: readonly string[];
  /** Multichassis ports to add this chassis to (claim) or take it off (release) additional_chassis. */
  readonly additional?:
    | { readonly claim: readonly string[]; readonly release: readonly string[] }
    | undefined;
}

/** Claims, releases and ports up in one Southbound transaction (none when nothing changes). */
export async function changeBindings(
  sb: Idl<OvnSbTables>,
  chassis: string,
  c: BindingChanges,
): Promise<void> {
  const byName = new Map<string, OvnSbTables["Port_Binding"]>();
  const pb = (n: string) => {
    if (byName.size === 0) for (const p of sb.rows("Port_Binding")) byName.set(p.logicalPort, p);
    return byName.get(n);
  };
  const up = new Set(c.up);
  const claim = new Set(c.claim);
  const notUp = c.up.filter((n) => !claim.has(n) && pb(n)?.up !== true);
  const extra = c.additional ?? { claim: [], release: [] };
  if (
    c.claim.length === 0 &&
    c.release.length === 0 &&
    notUp.length === 0 &&
    extra.claim.length + extra.release.length === 0
  )
    return;
  for (const p of extra.claim) log.info(`claiming lport ${p} as an additional chassis`);
  for (const p of c.claim) log.info(`claiming lport ${p} for this chassis`);
  for (const p of c.release) log.info(`releasing lport ${p} from this chassis`);
  await sb.transact((txn) => {
    const ch = sb.rows("Chassis").find((r) => r.name === chassis);
    if (ch === undefined) return;
    for (const n of c.claim) {
      const p = pb(n);
      if (p !== undefined) txn.update("Port_Binding", p._uuid, { chassis: ch._uuid, up: up.has(n) });
    }
    for (const n of notUp) {
      const p = pb(n);
      if (p !== undefined) txn.update("Port_Binding", p._uuid, { up: true });
    }
    for (const n of c.release) {
      const p = pb(n);
      if (p === undefined || p.chassis !== ch._uuid) continue;
      // A released virtual port forgets its parent too (it binds again on the next bind_vport).
      if (p.type === "virtual")
        txn.update("Port_Binding", p._uuid, { chassis: undefined, up: false, virtualParent: undefined });
      else txn.update("Port_Binding", p._uuid, { chassis: undefined, up: false });
    }
    for (const [names, mutator] of [
      [extra.claim, "insert"],
      [extra.release, "delete"],
    ] as const)
      for (const n of names) {
        const p = pb(n);
        if (p !== undefined) txn.mutate("Port_Binding", p._uuid, "additionalChassis", mutator, [ch._uuid]);
      }
  });
}

/**
 * After installation: external_ids:ovn-installed on the interfaces of the ports now up (their flows are
 * in br-int), and -- with `clearOthers`, from a pass whose replica is complete -- off every other
 * interface of `bridge` that carries it: one whose port was released here, deleted, or whose iface-id
 * was cleared (ovn-controller 23.03 removes it then too; observed in agent/peer/if-status.test.ts).
 */
export async function markInstalled(
  ovs: Idl<VswitchTables>,
  up: readonly string[],
  ifaces: ReadonlyMap<string, { uuid: string; installed: boolean }>,
  clear?: { readonly bridge: string },
): Promise<void> {
  const notInstalled = up.flatMap((n) => {
    const i = ifaces.get(n);
    return i !== undefined && !i.installed ? [i.uuid] : [];
  });
  const stale = clear === undefined ? [] : staleInstalled(ovs, clear.bridge, new Set(up));
  if (notInstalled.length > 0 || stale.length > 0)
    await ovs.transact((txn) => {
      for (const u of notInstalled)
        txn.mutate(
          "Interface",
          u as never,
          "externalIds",
          "insert",
          new Map([["ovn-installed", "true"]]) as never,
        );
      for (const u of stale) txn.mutate("Interface", u as never, "externalIds", "delete", ["ovn-installed"]);
    });
}

/** Interfaces of `bridge` saying ovn-installed whose iface-id is not one of `up` (or is missing). */
function staleInstalled(ovs: Idl<VswitchTables>, bridge: string, up: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const br = ovs.rows("Bridge").find((b) => b.name === bridge);
  for (const pu of br?.ports ?? [])
    for (const iu of ovs.get("Port", pu)?.interfaces ?? []) {
      const i = ovs.get("Interface", iu);
      if (i?.externalIds.get("ovn-installed") !== "true") continue;
      const id = i.externalIds.get("iface-id");
      if (id === undefined || !up.has(id)) {
        log.info(`removing ovn-installed from interface ${i.name}${id !== undefined ? ` (${id})` : ""}`);
        out.push(i._uuid);
      }
    }
  return out;
}

/** Chassis_Private.nb_cfg := the SB_Global.nb_cfg whose flows are now installed. */
export async function ackNbCfg(
  sb: Idl<OvnSbTables>,
  chassis: string,
  nbCfg: number,
  nowMs: number,
): Promise<void> {
  const p = sb.rows("Chassis_Private").find((c) => c.name === chassis);
  if (p === undefined || p.nbCfg === nbCfg) return;
  await sb.transact((txn) => {
    txn.update("Chassis_Private", p._uuid, { nbCfg, nbCfgTimestamp: nowMs });
  });
}
