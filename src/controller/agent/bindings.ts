// Which Port_Bindings this chassis must claim or release, from the VIFs plugged into br-int.  Pure.

import type { SbPortBinding } from "../lflow/sb.js";

/** Port types a VIF with a matching iface-id binds (ovn-sb(5): "" is an ordinary VIF). */
const VIF_TYPES = new Set(["", "external", "virtual"]);

export interface BindingPlan {
  /** Logical ports to set Port_Binding.chassis to this chassis. */
  readonly claim: readonly string[];
  /** Logical ports bound here that no local interface names any more. */
  readonly release: readonly string[];
  /** Logical ports bound here with a local interface (these get up=true once flows are installed). */
  readonly bound: readonly string[];
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
): BindingPlan {
  const claim: string[] = [];
  const release: string[] = [];
  const bound: string[] = [];
  for (const p of ports) {
    if (!VIF_TYPES.has(p.type)) continue;
    const local = ifaceIds.has(p.logicalPort);
    if (local && p.chassis !== chassis) claim.push(p.logicalPort);
    else if (local) bound.push(p.logicalPort);
    else if (p.chassis === chassis) release.push(p.logicalPort);
  }
  return { claim: claim.sort(), release: release.sort(), bound: bound.sort() };
}
