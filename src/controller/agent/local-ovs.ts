// The agent's edge to the local Open_vSwitch database: the integration bridge, tunnel ports to the
// other chassis, patch ports to the provider bridges, br-int's ports as the flow compiler needs them,
// and conntrack zones kept in br-int's external_ids.  Each `ensure…` makes at most one transaction and
// says whether it did (the caller then waits for the change to come back before going on).

import { logger } from "../../base/log.js";

export { type BrIntPorts, brIntPorts } from "./br-int-ports.js";

import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { VswitchTables } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";
import { localDatapaths } from "../lflow/index.js";
import type { SbView } from "../lflow/sb.js";
import { activeMember, bfdChassis, type HaGroup, sameMap, wantedBfd } from "./bfd.js";
import { tunnelChassis } from "./br-int-ports.js";
import type { LocalConfig } from "./config.js";
import { PATCH_TAGS, type PatchPair, parseBridgeMappings, patchPairs } from "./patch-ports.js";
import { sameTunnel, wantedTunnels } from "./tunnel-ports.js";
import {
  ZoneAllocator,
  zoneExternalIdsToRemove,
  zoneExternalIdsToWrite,
  zonesFromExternalIds,
} from "./zones.js";

const log = logger("controller");

/** br-int's ports that have an OpenFlow port, as the flow compiler and the port reports need them. */

/** Bridge rows (versions: the IDL makes a new object per change) whose settings were asked to change. */
const fixing = new WeakSet<object>();

/**
 * Creates the integration bridge if missing; true when a transaction was made (wait for it).  An
 * existing one gets ovn-controller's settings without waiting.
 */

export async function ensureBridge(ovs: Idl<VswitchTables>, cfg: LocalConfig): Promise<boolean> {
  const existing = ovs.rows("Bridge").find((b) => b.name === cfg.bridge);
  if (existing !== undefined) {
    // As ovn-controller does to a br-int it did not make: its datapath_type becomes
    // ovn-bridge-datapath-type when that is set, an empty one "system" otherwise (one set without the
    // option is kept: ours follows the existing bridges, config.ts), and fail_mode secure (a br-int
    // without it forwards by itself until the flows are in).
    const wantedType =
      cfg.datapathTypeOption ?? (existing.datapathType === "" ? "system" : existing.datapathType);
    const update = {
      ...(existing.datapathType !== wantedType && { datapathType: wantedType }),
      ...(existing.failMode !== "secure" && { failMode: "secure" as const }),
    };
    // Not waited for (the pass goes on with the bridge as it is); asked once per version of the row.
    if (Object.keys(update).length === 0 || fixing.has(existing)) return false;
    fixing.add(existing);
    if (update.failMode !== undefined)
      log.warn(`integration bridge fail-mode changed from '${existing.failMode ?? ""}' to 'secure'`);
    ovs
      .transact((txn) => txn.update("Bridge", existing._uuid, update))
      .catch((e: unknown) =>
        log.warn(`could not update ${cfg.bridge}: ${e instanceof Error ? e.message : String(e)}`),
      );
    return false;
  }
  log.info(`creating bridge ${cfg.bridge} (datapath_type "${cfg.datapathType}")`);
  await ovs.transact((txn) => {
    const root = ovs.first("Open_vSwitch");
    if (root === undefined || ovs.rows("Bridge").some((b) => b.name === cfg.bridge)) return;
    const iface = txn.insert("Interface", { name: cfg.bridge, type: "internal" });
    const port = txn.insert("Port", { name: cfg.bridge, interfaces: [iface] });
    const bridge = txn.insert("Bridge", {
      name: cfg.bridge,
      ports: [port],
      failMode: "secure",
      datapathType: cfg.datapathType,
      otherConfig: new Map([["disable-in-band", "true"]]),
    });
    txn.mutate("Open_vSwitch", root._uuid, "bridges", "insert", [bridge]);
  });
  return true;
}

/** The Southbound's HA chassis groups by chassis name (bfd.ts's input), with their row uuids. */
function haGroups(sb: Idl<OvnSbTables>): (HaGroup & { readonly uuid: string })[] {
  const chassisName = (u: string): string | undefined => sb.get("Chassis", u as never)?.name;
  return sb.rows("HA_Chassis_Group").map((g) => ({
    uuid: g._uuid,
    name: g.name,
    members: g.haChassis.flatMap((u) => {
      const h = sb.get("HA_Chassis", u);
      const name = h?.chassis === undefined ? undefined : chassisName(h.chassis);
      return h === undefined || name === undefined ? [] : [{ chassis: name, priority: h.priority }];
    }),
    refChassis: g.refChassis.flatMap((u) => {
      const name = chassisName(u);
      return name === undefined ? [] : [name];
    }),
  }));
}

/**
 * One tunnel port per remote chassis with an encapsulation we share, with BFD on the ones gateway high
 * availability needs (bfd.ts); true when something changed.
 */
export async function ensureTunnels(
  ovs: Idl<VswitchTables>,
  sb: Idl<OvnSbTables>,
  cfg: LocalConfig,
): Promise<boolean> {
  const bridge = ovs.rows("Bridge").find((b) => b.name === cfg.bridge);
  if (bridge === undefined || cfg.encapIp === undefined) return false;
  const encaps = new Map(sb.rows("Encap").map((e) => [e._uuid as string, e]));
  const wanted = wantedTunnels(
    cfg,
    sb.rows("Chassis").map((ch) => ({
      name: ch.name,
      transportZones: ch.transportZones,
      encaps: ch.encaps.flatMap((u) => {
        const x = encaps.get(u);
        return x === undefined ? [] : [x];
      }),
    })),
  );
  const bfd = cfg.systemId === undefined ? new Set<string>() : bfdChassis(cfg.systemId, haGroups(sb));
  const have = new Map<
    string,
    {
      port: string;
      iface: string;
      type: string;
      options: ReadonlyMap<string, string>;
      bfd: ReadonlyMap<string, string>;
    }
  >();
  for (const pu of bridge.ports) {
    const p = ovs.get("Port", pu);
    const ch = p === undefined ? undefined : tunnelChassis(p.externalIds);
    for (const iu of p?.interfaces ?? []) {
      const i = ovs.get("Interface", iu);
      if (i !== undefined && ch !== undefined)
        have.set(ch, { port: pu, iface: i._uuid, type: i.type, options: i.options, bfd: i.bfd });
    }
  }
  const stale = [...have].filter(([ch, h]) => {
    const w = wanted.get(ch);
    return w === undefined || !sameTunnel(w, h);
  });
  const missing = [...wanted].filter(([ch, w]) => {
    const h = have.get(ch);
    return h === undefined || !sameTunnel(w, h);
  });
  // Tunnels kept whose BFD setting changes: updated in place (recreating the port would renumber it).
  const bfdChanges = [...have].flatMap(([ch, h]) => {
    const w = wanted.get(ch);
    const b = wantedBfd(bfd.has(ch));
    return w !== undefined && sameTunnel(w, h) && !sameMap(b, h.bfd) ? [{ iface: h.iface, bfd: b }] : [];
  });
  if (stale.length === 0 && missing.length === 0 && bfdChanges.length === 0) return false;
  await ovs.transact((txn) => {
    for (const c of bfdChanges) txn.update("Interface", c.iface as never, { bfd: c.bfd });
    if (stale.length > 0)
      txn.mutate(
        "Bridge",
        bridge._uuid,
        "ports",
        "delete",
        stale.map(([, h]) => h.port as never),
      );
    // Names as ovn-controller gives them: ovn-<chassis>-0, the number raised past every name in use,
    // the tunnel being replaced's too (a new remote IP: ovn-hv1-1 takes over from ovn-hv1-0).
    const kept = new Set(bridge.ports.map((pu) => ovs.get("Port", pu)?.name));
    const added = missing.map(([ch, w]) => {
      let n = 0;
      while (kept.has(`ovn-${ch.slice(0, 6)}-${n}`)) n++;
      const name = `ovn-${ch.slice(0, 6)}-${n}`;
      kept.add(name);
      const iface = txn.insert("Interface", {
        name,
        type: w.type,
        options: new Map(w.options),
        bfd: wantedBfd(bfd.has(ch)),
      });
      // As ovn-controller tags it: on the Port only, "<chassis>@<remote IP>".
      const remote = w.options.get("remote_ip");
      return txn.insert("Port", {
        name,
        interfaces: [iface],
        externalIds: new Map([["ovn-chassis-id", remote === undefined ? ch : `${ch}@${remote}`]]),
      });
    });
    if (added.length > 0) txn.mutate("Bridge", bridge._uuid, "ports", "insert", added);
  });
  return true;
}

/** A zone allocator seeded from the ct-zone-* keys of the bridge's external_ids (a restart keeps them). */
export function restoreZones(ovs: Idl<VswitchTables>, bridgeName: string): ZoneAllocator {
  const ids = ovs.rows("Bridge").find((b) => b.name === bridgeName)?.externalIds ?? new Map();
  const kept = zonesFromExternalIds(ids);
  if (kept.length > 0) log.info(`restored ${kept.length} conntrack zones from ${bridgeName}`);
  return new ZoneAllocator(kept);
}

/** Records zones given and released in the bridge's external_ids (mutations: other keys untouched). */
export async function saveZones(
  ovs: Idl<VswitchTables>,
  bridgeName: string,
  zones: ZoneAllocator,
): Promise<void> {
  const bridge = ovs.rows("Bridge").find((b) => b.name === bridgeName);
  if (bridge === undefined) return;
  const add = zoneExternalIdsToWrite(zones, bridge.externalIds);
  const remove = zoneExternalIdsToRemove(zones, bridge.externalIds);
  if (add.size === 0 && remove.length === 0) return;
  const stale = new Map(
    [...add.keys()].flatMap((k) => {
      const v = bridge.externalIds.get(k);
      return v !== undefined ? [[k, v] as const] : [];
    }),
  );
  for (const k of remove) {
    const v = bridge.externalIds.get(k);
    if (v !== undefined) stale.set(k, v);
  }
  await ovs.transact((txn) => {
    if (stale.size > 0) txn.mutate("Bridge", bridge._uuid, "externalIds", "delete", stale as never);
    if (add.size > 0) txn.mutate("Bridge", bridge._uuid, "externalIds", "insert", add as never);
  });
}

/**
 * Patch ports between br-int and the provider bridges for the localnet ports of local datapaths;
 * removes the ones no longer wanted.  True when a transaction was made.
 */
export async function ensurePatchPorts(
  ovs: Idl<VswitchTables>,
  cfg: LocalConfig,
  view: SbView,
): Promise<boolean> {
  const wanted = patchPairs(
    view.ports,
    localDatapaths(view, cfg.systemId as string),
    parseBridgeMappings(cfg.bridgeMappings),
    cfg.bridge,
    cfg.systemId,
  );
  const bridges = new Map(ovs.rows("Bridge").map((b) => [b.name, b]));
  // Ours: ports tagged ovn-localnet-port or ovn-l2gateway-port, on any bridge.
  const have = new Map<string, { bridge: string; port: string }>();
  for (const b of bridges.values())
    for (const pu of b.ports) {
      const p = ovs.get("Port", pu);
      if (p !== undefined && PATCH_TAGS.some((t) => p.externalIds.get(t) !== undefined))
        have.set(`${b.name} ${p.name}`, { bridge: b._uuid, port: pu });
    }
  const missing: { pair: PatchPair; side: "int" | "phys" }[] = [];
  const keep = new Set<string>();
  for (const pair of wanted) {
    if (!bridges.has(pair.bridge)) {
      log.dbg(`bridge ${pair.bridge} of ovn-bridge-mappings does not exist`);
      continue;
    }
    for (const side of ["int", "phys"] as const) {
      const key = side === "int" ? `${cfg.bridge} ${pair.intName}` : `${pair.bridge} ${pair.physName}`;
      keep.add(key);
      if (!have.has(key)) missing.push({ pair, side });
    }
  }
  const stale = [...have].filter(([k]) => !keep.has(k)).map(([, v]) => v);
  if (missing.length === 0 && stale.length === 0) return false;
  await ovs.transact((txn) => {
    for (const s of stale) txn.mutate("Bridge", s.bridge as never, "ports", "delete", [s.port] as never);
    for (const { pair, side } of missing) {
      const bridge = bridges.get(side === "int" ? cfg.bridge : pair.bridge);
      if (bridge === undefined) continue;
      const [name, peer] = side === "int" ? [pair.intName, pair.physName] : [pair.physName, pair.intName];
      log.info(
        `creating patch port ${name} on ${bridge.name} for ${pair.tag.slice(4, -5)} port ${pair.lport}`,
      );
      const iface = txn.insert("Interface", { name, type: "patch", options: new Map([["peer", peer]]) });
      const port = txn.insert("Port", {
        name,
        interfaces: [iface],
        externalIds: new Map([[pair.tag, pair.lport]]),
      });
      txn.mutate("Bridge", bridge._uuid, "ports", "insert", [port]);
    }
  });
  return true;
}

/**
 * bfd_status:state of br-int's tunnel to each remote chassis ("" when the tunnel has no BFD state yet):
 * the liveness bfd.ts activeMember decides the active gateway by.  A chassis with no tunnel is absent.
 */
export function tunnelBfdStates(ovs: Idl<VswitchTables>, bridgeName: string): Map<string, string> {
  const out = new Map<string, string>();
  const bridge = ovs.rows("Bridge").find((b) => b.name === bridgeName);
  for (const pu of bridge?.ports ?? []) {
    const p = ovs.get("Port", pu);
    const ch = p === undefined ? undefined : tunnelChassis(p.externalIds);
    for (const iu of p?.interfaces ?? []) {
      const i = ovs.get("Interface", iu);
      if (i !== undefined && ch !== undefined) out.set(ch, i.bfdStatus.get("state") ?? "");
    }
  }
  return out;
}

/**
 * The active member (bfd.ts activeMember, by the BFD state of br-int's tunnels) of the HA chassis group
 * of every chassisredirect and external Port_Binding, by logical port; undefined when no member is alive.
 * What this chassis claims those ports by.
 */
export function haActiveMembers(
  ovs: Idl<VswitchTables>,
  sb: Idl<OvnSbTables>,
  cfg: LocalConfig,
): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (cfg.systemId === undefined) return out;
  const groups = new Map(haGroups(sb).map((g) => [g.uuid, g]));
  const states = tunnelBfdStates(ovs, cfg.bridge);
  for (const p of sb.rows("Port_Binding")) {
    if (p.type !== "chassisredirect" && p.type !== "external") continue;
    const g = p.haChassisGroup === undefined ? undefined : groups.get(p.haChassisGroup);
    if (g === undefined || g.members.length === 0) continue;
    out.set(
      p.logicalPort,
      activeMember(cfg.systemId, g, (ch) => states.get(ch)),
    );
  }
  return out;
}
