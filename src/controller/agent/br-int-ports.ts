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

/**
 * The remote chassis of a tunnel port, from the Port's external_ids:ovn-chassis-id, which
 * ovn-controller writes as "<chassis>@<remote IP>" (older ovnts wrote the bare name, on the Interface
 * too); undefined for a port that is no tunnel.
 */
export function tunnelChassis(portExternalIds: ReadonlyMap<string, string>): string | undefined {
  const id = portExternalIds.get("ovn-chassis-id");
  if (id === undefined) return undefined;
  const at = id.indexOf("@");
  return at < 0 ? id : id.slice(0, at);
}

/**
 * br-int's VIFs (by iface-id), tunnels (by remote chassis) and localnet patch ports (by logical port)
 * that have an OpenFlow port.  Of several interfaces with one iface-id the newest has the port, as in
 * ovn-controller (a newly seen interface takes a binding over): the highest ofport, OVS numbering new
 * ports upwards.
 */
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
    const ch = port === undefined ? undefined : tunnelChassis(port.externalIds);
    for (const iu of port?.interfaces ?? []) {
      const i = ovs.get("Interface", iu);
      if (i === undefined || i.ofport === undefined || i.ofport <= 0) continue;
      const id = i.externalIds.get("iface-id");
      if (localnet !== undefined && i.type === "patch") localnetPorts.set(localnet, i.ofport);
      else if (id !== undefined) {
        const other = vifPorts.get(id);
        if (other !== undefined && other > i.ofport) continue;
        vifPorts.set(id, i.ofport);
        ifaceByLport.set(id, { uuid: i._uuid, installed: i.externalIds.get("ovn-installed") === "true" });
      } else if (ch !== undefined) tunnelPorts.set(ch, i.ofport);
    }
  }
  return { vifPorts, tunnelPorts, localnetPorts, ifaceByLport };
}
