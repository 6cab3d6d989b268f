// `ovnts chassis` configuration: the command-line flags resolved to one value each, and what they mean
// for the local Open_vSwitch database (the external_ids ovn-controller(8) reads).  Pure: defaults that
// depend on the host (hostname, environment) are passed in.

export type DatapathType = "netdev" | "system";

export interface ChassisConfig {
  readonly systemId: string;
  readonly ovnRemote: string;
  readonly encapType: string;
  readonly encapIp: string;
  readonly bridgeMappings: string | undefined;
  /** Sockets (db.sock, br-int.mgmt, *.ctl). */
  readonly runDir: string;
  /** The Open_vSwitch database file and the daemons' logs. */
  readonly dataDir: string;
  /** Run ovs-vswitchd and the controller inside this network namespace. */
  readonly netns: string | undefined;
  readonly datapath: DatapathType;
  /** Move this interface (and its IPv4 addresses) into an OVS bridge, for tunnels on the netdev datapath. */
  readonly underlay: string | undefined;
}

export interface ChassisFlags {
  readonly "system-id"?: string | undefined;
  readonly "ovn-remote"?: string | undefined;
  readonly "encap-type"?: string | undefined;
  readonly "encap-ip"?: string | undefined;
  readonly "bridge-mappings"?: string | undefined;
  readonly "run-dir"?: string | undefined;
  readonly "data-dir"?: string | undefined;
  readonly netns?: string | undefined;
  readonly datapath?: string | undefined;
  readonly underlay?: string | undefined;
}

export interface ChassisDefaults {
  readonly hostname: string;
  /** Southbound remote when --ovn-remote is absent ($OVN_SB_DB or unix:$OVN_RUNDIR/ovnsb_db.sock). */
  readonly ovnRemote: string;
}

/** The bridge an --underlay interface is moved into. */
export const UNDERLAY_BRIDGE = "br-underlay";

export function chassisConfig(f: ChassisFlags, d: ChassisDefaults): ChassisConfig {
  const systemId = f["system-id"] ?? d.hostname;
  if (!/^[A-Za-z0-9_.:-]+$/.test(systemId)) throw new Error(`--system-id: bad chassis name '${systemId}'`);
  const datapath = f.datapath ?? "netdev";
  if (datapath !== "netdev" && datapath !== "system")
    throw new Error(`--datapath: 'netdev' or 'system' expected, got '${datapath}'`);
  if (f.underlay !== undefined && datapath !== "netdev")
    throw new Error("--underlay is for the netdev (userspace) datapath only");
  const encapType = f["encap-type"] ?? "geneve";
  for (const t of encapType.split(","))
    if (!["geneve", "vxlan", "stt"].includes(t))
      throw new Error(`--encap-type: unknown encapsulation '${t}'`);
  return {
    systemId,
    ovnRemote: f["ovn-remote"] ?? d.ovnRemote,
    encapType,
    encapIp: f["encap-ip"] ?? "127.0.0.1",
    bridgeMappings: f["bridge-mappings"],
    runDir: f["run-dir"] ?? `/var/run/ovnts/chassis-${systemId}`,
    dataDir: f["data-dir"] ?? f["run-dir"] ?? `/var/lib/ovnts/chassis-${systemId}`,
    netns: f.netns,
    datapath,
    underlay: f.underlay,
  };
}

/** Open_vSwitch external_ids for ovn-controller, in a stable order. */
export function controllerExternalIds(c: ChassisConfig): [string, string][] {
  const ids: [string, string][] = [
    ["system-id", c.systemId],
    ["ovn-remote", c.ovnRemote],
    ["ovn-encap-type", c.encapType],
    ["ovn-encap-ip", c.encapIp],
  ];
  if (c.bridgeMappings !== undefined) ids.push(["ovn-bridge-mappings", c.bridgeMappings]);
  ids.push(["ovn-bridge-datapath-type", c.datapath]);
  return ids;
}

/** ovs-vswitchd's flags: the userspace datapath never touches the host's kernel datapaths. */
export function vswitchdFlags(c: ChassisConfig): string[] {
  return c.datapath === "netdev" ? ["--disable-system"] : [];
}
