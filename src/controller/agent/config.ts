// The local configuration ovn-controller(8) reads from the Open_vSwitch table's external_ids.  Pure.

export interface LocalConfig {
  readonly systemId: string | undefined;
  /** external_ids:ovn-remote, the Southbound database. */
  readonly remote: string | undefined;
  readonly encapTypes: readonly string[];
  readonly encapIp: string | undefined;
  /** external_ids:ovn-set-local-ip=true: tunnels get options:local_ip too. */
  readonly setLocalIp: boolean;
  /** external_ids:ovn-monitor-all[-SYSTEMID]=true: replicate the whole Southbound (default: only what
   *  this chassis needs, sb-monitor.ts). */
  readonly monitorAll: boolean;
  readonly bridgeMappings: string;
  /** external_ids:ovn-bridge (default br-int). */
  readonly bridge: string;
  /** datapath_type for a new br-int: ovn-bridge-datapath-type, else that of the existing bridges. */
  readonly datapathType: string;
}

export function localConfig(
  ids: ReadonlyMap<string, string>,
  bridges: readonly { readonly name: string; readonly datapathType: string }[],
): LocalConfig {
  const bridge = ids.get("ovn-bridge") ?? "br-int";
  const existing = bridges.find((b) => b.name === bridge)?.datapathType;
  const other = bridges.find((b) => b.name !== bridge && b.datapathType !== "")?.datapathType;
  return {
    systemId: ids.get("system-id"),
    remote: ids.get("ovn-remote"),
    encapTypes: (ids.get("ovn-encap-type") ?? "geneve")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    encapIp: ids.get("ovn-encap-ip"),
    setLocalIp: ids.get("ovn-set-local-ip") === "true",
    // ovn-controller(8): external_ids:OPTION-SYSTEMID overrides OPTION for that chassis.
    monitorAll: (ids.get(`ovn-monitor-all-${ids.get("system-id")}`) ?? ids.get("ovn-monitor-all")) === "true",
    bridgeMappings: ids.get("ovn-bridge-mappings") ?? "",
    bridge,
    datapathType: ids.get("ovn-bridge-datapath-type") ?? existing ?? other ?? "",
  };
}
