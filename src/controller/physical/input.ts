// What the physical flows are a function of: the Southbound view, this chassis, the OpenFlow ports of
// br-int (VIFs by logical port, tunnels by remote chassis, localnet patch ports by network) and the
// conntrack zones allocated to ports and datapaths.

import type { SbPortBinding, SbView } from "../lflow/sb.js";

export { isPatch } from "../lflow/sb.js";

export interface PhysicalInput {
  readonly chassis: string;
  readonly view: SbView;
  /** Datapaths this chassis has flows for (see lflow/context.ts localDatapaths). */
  readonly localDatapaths: ReadonlySet<string>;
  /** OpenFlow port of the interface whose external_ids:iface-id names the logical port. */
  readonly vifPorts: ReadonlyMap<string, number>;
  /** OpenFlow port of the Geneve tunnel to each remote chassis, by chassis name. */
  readonly tunnelPorts: ReadonlyMap<string, number>;
  /** OpenFlow port of br-int's patch port for each localnet logical port, by logical port name. */
  readonly localnetPorts: ReadonlyMap<string, number>;
  /**
   * SB_Global options:lb_hairpin_use_ct_mark (absent in the SB: true): false while some chassis lacks
   * ct-no-masked-label; LB hairpin flows then match ct_label (./lb-hairpin.ts). Undefined: true.
   */
  readonly lbHairpinUseCtMark?: boolean;
  /** Conntrack zone of a logical port (VIFs, localnet, localport, l3gateway). */
  ctZone(port: string): number | undefined;
  /** DNAT and SNAT zones of a datapath (by UUID). */
  dnatZone(datapath: string): number;
  snatZone(datapath: string): number;
}

/** Ports whose traffic enters and leaves through this chassis. */
export function isLocalVif(p: SbPortBinding, input: PhysicalInput): boolean {
  if (p.type === "localport") return input.vifPorts.has(p.logicalPort);
  if (!(p.type === "" || p.type === "external" || p.type === "virtual")) return false;
  // A port being migrated (multichassis) is bound here as its chassis or as an additional one.
  if (p.chassis !== input.chassis && !(p.additionalChassis ?? []).includes(input.chassis)) return false;
  return input.vifPorts.has(p.logicalPort) || containerParentPort(p, input) !== undefined;
}

/** For a container port (parent_port and tag set), the OpenFlow port of its local parent VIF. */
export function containerParentPort(p: SbPortBinding, input: PhysicalInput): number | undefined {
  if (p.parentPort === null || p.tag === null) return undefined;
  return input.vifPorts.get(p.parentPort);
}

/** A simple zone allocator (1, 2, 3 ... in order of first use), for callers without persisted zones. */
export function sequentialZones(): {
  ctZone(port: string): number;
  dnatZone(dp: string): number;
  snatZone(dp: string): number;
} {
  const zones = new Map<string, number>();
  const get = (k: string) => {
    let z = zones.get(k);
    if (z === undefined) {
      z = zones.size + 1;
      zones.set(k, z);
    }
    return z;
  };
  return { ctZone: (p) => get(p), dnatZone: (d) => get(`${d}_dnat`), snatZone: (d) => get(`${d}_snat`) };
}

/**
 * The chassis other than this one that a multichassis port (Port_Binding.additional_chassis, a VIF being
 * live-migrated) is bound to: its chassis and additional chassis, in that order, without duplicates.
 * Empty for ordinary ports.
 */
export function otherChassisOf(p: SbPortBinding, input: PhysicalInput): string[] {
  const extra = p.additionalChassis ?? [];
  if (extra.length === 0) return [];
  const all = [...(p.chassis === null ? [] : [p.chassis]), ...extra];
  return all.filter((c, i) => c !== input.chassis && all.indexOf(c) === i);
}

/**
 * An l2gateway port bound to this chassis (options:l2gateway-chassis): like a localnet port here, through
 * its patch port to the physical bridge (listed with the localnet patch ports); elsewhere it is a port of
 * that chassis, reached through the tunnel.
 */
export function isLocalL2gateway(p: SbPortBinding, input: PhysicalInput): boolean {
  return p.type === "l2gateway" && p.chassis === input.chassis && input.localnetPorts.has(p.logicalPort);
}
