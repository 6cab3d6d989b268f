// Which Port_Bindings this chassis must claim or release, from the VIFs plugged into br-int, the
// gateway routers pinned to this chassis and the gateway ports whose HA group puts them here.  Pure.

import type { SbPortBinding } from "../lflow/sb.js";

/** Port types a VIF with a matching iface-id binds (ovn-sb(5): "" is an ordinary VIF). */
const VIF_TYPES = new Set([""]);

/**
 * Ports that live on the master of their HA chassis group, with no interface behind them: a
 * distributed gateway port's redirect port, and an external port (ovn-nb(5): the master chassis binds
 * it to answer DHCP/DNS for it).  ovn-controller 23.03 reads only HA_Chassis.chassis, which northd
 * fills in once the chassis has registered -- until then no chassis claims the port.
 */
const HA_TYPES = new Set(["chassisredirect", "external"]);

export interface BindingPlan {
  /** Logical ports to set Port_Binding.chassis to this chassis. */
  readonly claim: readonly string[];
  /** Logical ports bound here that no local interface names any more. */
  readonly release: readonly string[];
  /** Logical ports bound here with a local interface (these get up=true once flows are installed). */
  readonly bound: readonly string[];
  /**
   * Multichassis ports (requested_additional_chassis names this chassis, which has the VIF) to add this
   * chassis to additional_chassis of, and those to take it off; absent when there are none.
   */
  readonly additional?: { readonly claim: readonly string[]; readonly release: readonly string[] };
}

/**
 * `ifaceIds` are the external_ids:iface-id of br-int's interfaces that have an OpenFlow port.  A VIF
 * port is ours when an interface names it; a port bound elsewhere is taken over, like ovn-controller
 * does when a VM migrates (the last claimer wins).
 */
export function planBindings(
  ports: readonly SbPortBinding[],
  ifaceIds: ReadonlySet<string>,
  chassis: string,
  /** Port_Binding.virtual_parent of virtual ports (set by bind_vport). */
  virtualParents: ReadonlyMap<string, string> = new Map(),
  /** The active member of each HA port's chassis group as BFD sees it (local-ovs.ts haActiveMembers). */
  active?: ReadonlyMap<string, string | undefined>,
): BindingPlan {
  const claim: string[] = [];
  const release: string[] = [];
  const bound: string[] = [];
  const claimAdditional: string[] = [];
  const releaseAdditional: string[] = [];
  for (const p of ports) {
    if (p.type === "l3gateway" || p.type === "l2gateway") {
      // A gateway router's ports live on the chassis its options:chassis names (northd copies it to
      // options:l3gateway-chassis); an l2gateway port on the one its options:l2gateway-chassis names.
      // That chassis claims them, with no interface behind them.
      const here = p.options[`${p.type}-chassis`] === chassis;
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (!here && p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    if (p.type === "virtual") {
      // A virtual port lives where its virtual_parent (written by bind_vport) is a local VIF: claimed
      // there even while its chassis is empty or another one (as ovn-controller 23.03 does), released
      // from here once the parent is no longer local.
      const parent = virtualParents.get(p.logicalPort);
      const here = parent !== undefined && ifaceIds.has(parent);
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (here) bound.push(p.logicalPort);
      else if (p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    if (HA_TYPES.has(p.type)) {
      // The active member of the HA chassis group: as BFD sees the members (`active`, from bfd.ts), or
      // else the highest-priority one (ovn-sb(5)).
      const activeChassis =
        active?.has(p.logicalPort) === true ? active.get(p.logicalPort) : p.haChassis[0]?.chassis;
      const here = activeChassis === chassis;
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (!here && p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    if (!VIF_TYPES.has(p.type)) continue;
    if (p.parentPort !== null && p.tag !== null) {
      // A container port (parent_port + tag) lives where its parent VIF is, with no interface of its own.
      const here = ifaceIds.has(p.parentPort);
      if (here && p.chassis !== chassis) claim.push(p.logicalPort);
      else if (here) bound.push(p.logicalPort);
      else if (p.chassis === chassis) release.push(p.logicalPort);
      continue;
    }
    // requested_chassis (northd's copy of options:requested-chassis) names the one chassis that may
    // bind the port: another one with the VIF leaves it alone, and lets it go if it has it.
    const requested = p.requestedChassis ?? null;
    const local = ifaceIds.has(p.logicalPort) && (requested === null || requested === chassis);
    // The chassis requested_additional_chassis names binds the port too, as additional_chassis.
    const extra =
      !local && ifaceIds.has(p.logicalPort) && (p.requestedAdditionalChassis ?? []).includes(chassis);
    const isExtra = (p.additionalChassis ?? []).includes(chassis);
    if (extra && !isExtra) claimAdditional.push(p.logicalPort);
    else if (!extra && isExtra) releaseAdditional.push(p.logicalPort);
    if (local && p.chassis !== chassis) claim.push(p.logicalPort);
    else if (local) bound.push(p.logicalPort);
    else if (p.chassis === chassis) release.push(p.logicalPort);
  }
  const plan = { claim: claim.sort(), release: release.sort(), bound: bound.sort() };
  return claimAdditional.length + releaseAdditional.length === 0
    ? plan
    : { ...plan, additional: { claim: claimAdditional.sort(), release: releaseAdditional.sort() } };
}
