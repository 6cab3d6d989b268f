// The local configuration ovn-controller(8) reads from the Open_vSwitch table's external_ids.  Pure.

export interface LocalConfig {
  readonly systemId: string | undefined;
  /** external_ids:ovn-remote, the Southbound database. */
  readonly remote: string | undefined;
  readonly encapTypes: readonly string[];
  readonly encapIp: string | undefined;
  /** external_ids:ovn-set-local-ip=true: tunnels get options:local_ip too. */
  readonly setLocalIp: boolean;
  /** external_ids:ovn-transport-zones (comma list): tunnels only to chassis sharing one; none = the
   *  default zone, shared only with chassis that have none either. */
  readonly transportZones: readonly string[];
  /** external_ids:ovn-encap-csum (default true): the checksum hint this chassis publishes in its Encaps. */
  readonly encapCsum: boolean;
  /** external_ids:ovn-encap-tos, copied to every tunnel's options:tos. */
  readonly encapTos: string | undefined;
  /** external_ids:ovn-encap-df_default, copied to every tunnel's options:df_default. */
  readonly encapDfDefault: string | undefined;
  /** external_ids:ovn-monitor-all[-SYSTEMID]=true: replicate the whole Southbound (default: only what
   *  this chassis needs, sb-monitor.ts). */
  readonly monitorAll: boolean;
  readonly bridgeMappings: string;
  /** external_ids:ovn-bridge (default br-int). */
  readonly bridge: string;
  /** datapath_type for a new br-int: ovn-bridge-datapath-type, else that of the existing bridges. */
  readonly datapathType: string;
  /** external_ids:ovn-bridge-datapath-type itself (an existing br-int is given it, as by ovn-controller). */
  readonly datapathTypeOption?: string;
}

export function localConfig(
  ids: ReadonlyMap<string, string>,
  bridges: readonly { readonly name: string; readonly datapathType: string }[],
): LocalConfig {
  const systemId = ids.get("system-id");
  // ovn-controller(8): external_ids:OPTION-SYSTEMID overrides OPTION for the chassis of that name
  // (several controllers may share one Open_vSwitch database).
  const opt = (key: string): string | undefined =>
    (systemId !== undefined ? ids.get(`${key}-${systemId}`) : undefined) ?? ids.get(key);
  const bridge = opt("ovn-bridge") ?? "br-int";
  const existing = bridges.find((b) => b.name === bridge)?.datapathType;
  const other = bridges.find((b) => b.name !== bridge && b.datapathType !== "")?.datapathType;
  return {
    systemId,
    remote: opt("ovn-remote"),
    encapTypes: commaList(opt("ovn-encap-type") ?? "geneve"),
    encapIp: opt("ovn-encap-ip"),
    setLocalIp: opt("ovn-set-local-ip") === "true",
    transportZones: commaList(opt("ovn-transport-zones") ?? ""),
    encapCsum: opt("ovn-encap-csum") !== "false",
    encapTos: opt("ovn-encap-tos"),
    encapDfDefault: opt("ovn-encap-df_default"),
    monitorAll: opt("ovn-monitor-all") === "true",
    bridgeMappings: opt("ovn-bridge-mappings") ?? "",
    bridge,
    datapathType: opt("ovn-bridge-datapath-type") ?? existing ?? other ?? "",
    ...(opt("ovn-bridge-datapath-type") !== undefined && {
      datapathTypeOption: opt("ovn-bridge-datapath-type") as string,
    }),
  };
}

function commaList(v: string): string[] {
  return v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
