// What br-int's ports are to the agent: VIFs by iface-id, tunnels by remote chassis, patch ports to
// provider bridges.  Its own module (type imports only) so the CLI can read the VIFs before the agent's
// modules are loaded.
import type { VswitchTables } from "../../ovsdb/idl/generated/vswitch.js";
import type { Idl } from "../../ovsdb/idl/idl.js";

export interface BrIntPorts {
  /** By iface-id. */
  readonly vifPorts: Map<string, number>;
  /** By remote chassis name. */
  readonly tunnelPorts: Map<string, number>;
  /** Patch ports to provider bridges, by localnet logical port. */
  readonly localnetPorts: Map<string, number>;
  /** The Interface row of each VIF and whether it already says ovn-installed. */
  readonly ifaceByLport: Map<string, { uuid: string; installed: boolean }>;
}

/** br-int's VIFs (by iface-id), tunnels (by remote chassis) and localnet patch ports (by logical
 *  port) that have an OpenFlow port. */
export function brIntPorts(ovs: Idl<VswitchTables>, bridgeName: string): BrIntPorts {
  const vifPorts = new Map<string, number>();
  const tunnelPorts = new Map<string, number>();
  const localnetPorts = new Map<string, number>();
  const ifaceByLport = new Map<string, { uuid: string; installed: boolean }>();
  const bridge = ovs.rows("Bridge").find((b) => b.name === bridgeName);
  for (const pu of bridge?.ports ?? []) {
    const port = ovs.get("Port", pu);
    // The patch port of a localnet port, or of an l2gateway port bound here (patch-ports.ts).
    const localnet =
      port?.externalIds.get("ovn-localnet-port") ?? port?.externalIds.get("ovn-l2gateway-port");
    for (const iu of port?.interfaces ?? []) {
      const i = ovs.get("Interface", iu);
      if (i === undefined || i.ofport === undefined || i.ofport <= 0) continue;
      const id = i.externalIds.get("iface-id");
      const ch = i.externalIds.get("ovn-chassis-id");
      if (localnet !== undefined && i.type === "patch") localnetPorts.set(localnet, i.ofport);
      else if (id !== undefined) {
        vifPorts.set(id, i.ofport);
        ifaceByLport.set(id, { uuid: i._uuid, installed: i.externalIds.get("ovn-installed") === "true" });
      } else if (ch !== undefined) tunnelPorts.set(ch, i.ofport);
    }
  }
  return { vifPorts, tunnelPorts, localnetPorts, ifaceByLport };
}
