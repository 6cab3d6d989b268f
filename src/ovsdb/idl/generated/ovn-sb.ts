// generated — do not edit.
// Made by scripts/gen-rows.ts (`npm run gen`) from schemas/ovn-sb.ovsschema: OVN_Southbound 20.27.0, cksum 4078371916 30328.
// biome-ignore-all format: generated code

import { type DbModel, defineModel, type Uuid } from "../model.js";

/** Table SB_Global (root). */
export interface SbGlobal {
  readonly _uuid: Uuid<"SB_Global">;
  /** `nb_cfg`: integer. */
  readonly nbCfg: number;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `connections`: set of uuids; strong reference to Connection. */
  readonly connections: readonly Uuid<"Connection">[];
  /** `ssl`: set of up to 1 uuids; strong reference to SSL. */
  readonly ssl: Uuid<"SSL"> | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `ipsec`: boolean. */
  readonly ipsec: boolean;
}

/** Table Chassis (root). */
export interface Chassis {
  readonly _uuid: Uuid<"Chassis">;
  /** `name`: string. */
  readonly name: string;
  /** `hostname`: string. */
  readonly hostname: string;
  /** `encaps`: set of 1 or more uuids; strong reference to Encap. */
  readonly encaps: readonly Uuid<"Encap">[];
  /** `vtep_logical_switches`: set of strings. */
  readonly vtepLogicalSwitches: readonly string[];
  /** `nb_cfg`: integer. */
  readonly nbCfg: number;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `transport_zones`: set of strings. */
  readonly transportZones: readonly string[];
}

/** Table Chassis_Private (root). */
export interface ChassisPrivate {
  readonly _uuid: Uuid<"Chassis_Private">;
  /** `name`: string. */
  readonly name: string;
  /** `chassis`: set of up to 1 uuids; weak reference to Chassis. */
  readonly chassis: Uuid<"Chassis"> | undefined;
  /** `nb_cfg`: integer. */
  readonly nbCfg: number;
  /** `nb_cfg_timestamp`: integer. */
  readonly nbCfgTimestamp: number;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Encap. */
export interface Encap {
  readonly _uuid: Uuid<"Encap">;
  /** `type`: string. */
  readonly type: "geneve" | "stt" | "vxlan";
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `ip`: string. */
  readonly ip: string;
  /** `chassis_name`: string. */
  readonly chassisName: string;
}

/** Table Address_Set (root). */
export interface AddressSet {
  readonly _uuid: Uuid<"Address_Set">;
  /** `name`: string. */
  readonly name: string;
  /** `addresses`: set of strings. */
  readonly addresses: readonly string[];
}

/** Table Port_Group (root). */
export interface PortGroup {
  readonly _uuid: Uuid<"Port_Group">;
  /** `name`: string. */
  readonly name: string;
  /** `ports`: set of strings. */
  readonly ports: readonly string[];
}

/** Table Logical_Flow (root). */
export interface LogicalFlow {
  readonly _uuid: Uuid<"Logical_Flow">;
  /** `logical_datapath`: set of up to 1 uuids; strong reference to Datapath_Binding. */
  readonly logicalDatapath: Uuid<"Datapath_Binding"> | undefined;
  /** `logical_dp_group`: set of up to 1 uuids; strong reference to Logical_DP_Group. */
  readonly logicalDpGroup: Uuid<"Logical_DP_Group"> | undefined;
  /** `pipeline`: string. */
  readonly pipeline: "egress" | "ingress";
  /** `table_id`: integer; integer in [0, 32]. */
  readonly tableId: number;
  /** `priority`: integer; integer in [0, 65535]. */
  readonly priority: number;
  /** `match`: string. */
  readonly match: string;
  /** `actions`: string. */
  readonly actions: string;
  /** `tags`: map of (string, string) pairs. */
  readonly tags: ReadonlyMap<string, string>;
  /** `controller_meter`: set of up to 1 strings. */
  readonly controllerMeter: string | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Logical_DP_Group. */
export interface LogicalDpGroup {
  readonly _uuid: Uuid<"Logical_DP_Group">;
  /** `datapaths`: set of uuids; weak reference to Datapath_Binding. */
  readonly datapaths: readonly Uuid<"Datapath_Binding">[];
}

/** Table Multicast_Group (root). */
export interface MulticastGroup {
  readonly _uuid: Uuid<"Multicast_Group">;
  /** `datapath`: uuid; strong reference to Datapath_Binding. */
  readonly datapath: Uuid<"Datapath_Binding">;
  /** `name`: string. */
  readonly name: string;
  /** `tunnel_key`: integer; integer in [32768, 65535]. */
  readonly tunnelKey: number;
  /** `ports`: set of uuids; weak reference to Port_Binding. */
  readonly ports: readonly Uuid<"Port_Binding">[];
}

/** Table Mirror (root). */
export interface Mirror {
  readonly _uuid: Uuid<"Mirror">;
  /** `name`: string. */
  readonly name: string;
  /** `filter`: string. */
  readonly filter: "from-lport" | "to-lport";
  /** `sink`: string. */
  readonly sink: string;
  /** `type`: string. */
  readonly type: "erspan" | "gre";
  /** `index`: integer. */
  readonly index: number;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Meter (root). */
export interface Meter {
  readonly _uuid: Uuid<"Meter">;
  /** `name`: string. */
  readonly name: string;
  /** `unit`: string. */
  readonly unit: "kbps" | "pktps";
  /** `bands`: set of 1 or more uuids; strong reference to Meter_Band. */
  readonly bands: readonly Uuid<"Meter_Band">[];
}

/** Table Meter_Band. */
export interface MeterBand {
  readonly _uuid: Uuid<"Meter_Band">;
  /** `action`: string. */
  readonly action: "drop";
  /** `rate`: integer; integer in [1, 4294967295]. */
  readonly rate: number;
  /** `burst_size`: integer; integer in [0, 4294967295]. */
  readonly burstSize: number;
}

/** Table Datapath_Binding (root). */
export interface DatapathBinding {
  readonly _uuid: Uuid<"Datapath_Binding">;
  /** `tunnel_key`: integer; integer in [1, 16777215]. */
  readonly tunnelKey: number;
  /** `load_balancers`: set of uuids. */
  readonly loadBalancers: readonly string[];
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Port_Binding (root). */
export interface PortBinding {
  readonly _uuid: Uuid<"Port_Binding">;
  /** `logical_port`: string. */
  readonly logicalPort: string;
  /** `type`: string. */
  readonly type: string;
  /** `gateway_chassis`: set of uuids; strong reference to Gateway_Chassis. */
  readonly gatewayChassis: readonly Uuid<"Gateway_Chassis">[];
  /** `ha_chassis_group`: set of up to 1 uuids; strong reference to HA_Chassis_Group. */
  readonly haChassisGroup: Uuid<"HA_Chassis_Group"> | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `datapath`: uuid; strong reference to Datapath_Binding. */
  readonly datapath: Uuid<"Datapath_Binding">;
  /** `tunnel_key`: integer; integer in [1, 32767]. */
  readonly tunnelKey: number;
  /** `parent_port`: set of up to 1 strings. */
  readonly parentPort: string | undefined;
  /** `tag`: set of up to 1 integers; integer in [1, 4095]. */
  readonly tag: number | undefined;
  /** `virtual_parent`: set of up to 1 strings. */
  readonly virtualParent: string | undefined;
  /** `chassis`: set of up to 1 uuids; weak reference to Chassis. */
  readonly chassis: Uuid<"Chassis"> | undefined;
  /** `additional_chassis`: set of uuids; weak reference to Chassis. */
  readonly additionalChassis: readonly Uuid<"Chassis">[];
  /** `encap`: set of up to 1 uuids; weak reference to Encap. */
  readonly encap: Uuid<"Encap"> | undefined;
  /** `additional_encap`: set of uuids; weak reference to Encap. */
  readonly additionalEncap: readonly Uuid<"Encap">[];
  /** `mirror_rules`: set of uuids; weak reference to Mirror. */
  readonly mirrorRules: readonly Uuid<"Mirror">[];
  /** `mac`: set of strings. */
  readonly mac: readonly string[];
  /** `port_security`: set of strings. */
  readonly portSecurity: readonly string[];
  /** `nat_addresses`: set of strings. */
  readonly natAddresses: readonly string[];
  /** `up`: set of up to 1 booleans. */
  readonly up: boolean | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `requested_chassis`: set of up to 1 uuids; weak reference to Chassis. */
  readonly requestedChassis: Uuid<"Chassis"> | undefined;
  /** `requested_additional_chassis`: set of uuids; weak reference to Chassis. */
  readonly requestedAdditionalChassis: readonly Uuid<"Chassis">[];
}

/** Table MAC_Binding (root). */
export interface MacBinding {
  readonly _uuid: Uuid<"MAC_Binding">;
  /** `logical_port`: string. */
  readonly logicalPort: string;
  /** `ip`: string. */
  readonly ip: string;
  /** `mac`: string. */
  readonly mac: string;
  /** `timestamp`: integer. */
  readonly timestamp: number;
  /** `datapath`: uuid; strong reference to Datapath_Binding. */
  readonly datapath: Uuid<"Datapath_Binding">;
}

/** Table DHCP_Options (root). */
export interface DhcpOptions {
  readonly _uuid: Uuid<"DHCP_Options">;
  /** `name`: string. */
  readonly name: string;
  /** `code`: integer; integer in [0, 254]. */
  readonly code: number;
  /** `type`: string. */
  readonly type: "bool" | "domains" | "host_id" | "ipv4" | "static_routes" | "str" | "uint16" | "uint32" | "uint8";
}

/** Table DHCPv6_Options (root). */
export interface DHCPv6Options {
  readonly _uuid: Uuid<"DHCPv6_Options">;
  /** `name`: string. */
  readonly name: string;
  /** `code`: integer; integer in [0, 254]. */
  readonly code: number;
  /** `type`: string. */
  readonly type: "ipv6" | "mac" | "str";
}

/** Table Connection. */
export interface Connection {
  readonly _uuid: Uuid<"Connection">;
  /** `target`: string. */
  readonly target: string;
  /** `max_backoff`: set of up to 1 integers; integer in [1000, inf]. */
  readonly maxBackoff: number | undefined;
  /** `inactivity_probe`: set of up to 1 integers. */
  readonly inactivityProbe: number | undefined;
  /** `read_only`: boolean. */
  readonly readOnly: boolean;
  /** `role`: string. */
  readonly role: string;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `is_connected`: boolean; ephemeral. */
  readonly isConnected: boolean;
  /** `status`: map of (string, string) pairs; ephemeral. */
  readonly status: ReadonlyMap<string, string>;
}

/** Table SSL. */
export interface Ssl {
  readonly _uuid: Uuid<"SSL">;
  /** `private_key`: string. */
  readonly privateKey: string;
  /** `certificate`: string. */
  readonly certificate: string;
  /** `ca_cert`: string. */
  readonly caCert: string;
  /** `bootstrap_ca_cert`: boolean. */
  readonly bootstrapCaCert: boolean;
  /** `ssl_protocols`: string. */
  readonly sslProtocols: string;
  /** `ssl_ciphers`: string. */
  readonly sslCiphers: string;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table DNS (root). */
export interface Dns {
  readonly _uuid: Uuid<"DNS">;
  /** `records`: map of (string, string) pairs. */
  readonly records: ReadonlyMap<string, string>;
  /** `datapaths`: set of 1 or more uuids; strong reference to Datapath_Binding. */
  readonly datapaths: readonly Uuid<"Datapath_Binding">[];
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table RBAC_Role (root). */
export interface RbacRole {
  readonly _uuid: Uuid<"RBAC_Role">;
  /** `name`: string. */
  readonly name: string;
  /** `permissions`: map of (string, uuid) pairs; weak reference to RBAC_Permission. */
  readonly permissions: ReadonlyMap<string, Uuid<"RBAC_Permission">>;
}

/** Table RBAC_Permission (root). */
export interface RbacPermission {
  readonly _uuid: Uuid<"RBAC_Permission">;
  /** `table`: string. */
  readonly table: string;
  /** `authorization`: set of strings. */
  readonly authorization: readonly string[];
  /** `insert_delete`: boolean. */
  readonly insertDelete: boolean;
  /** `update`: set of strings. */
  readonly update: readonly string[];
}

/** Table Gateway_Chassis. */
export interface GatewayChassis {
  readonly _uuid: Uuid<"Gateway_Chassis">;
  /** `name`: string. */
  readonly name: string;
  /** `chassis`: set of up to 1 uuids; weak reference to Chassis. */
  readonly chassis: Uuid<"Chassis"> | undefined;
  /** `priority`: integer; integer in [0, 32767]. */
  readonly priority: number;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
}

/** Table HA_Chassis. */
export interface HaChassis {
  readonly _uuid: Uuid<"HA_Chassis">;
  /** `chassis`: set of up to 1 uuids; weak reference to Chassis. */
  readonly chassis: Uuid<"Chassis"> | undefined;
  /** `priority`: integer; integer in [0, 32767]. */
  readonly priority: number;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table HA_Chassis_Group (root). */
export interface HaChassisGroup {
  readonly _uuid: Uuid<"HA_Chassis_Group">;
  /** `name`: string. */
  readonly name: string;
  /** `ha_chassis`: set of uuids; strong reference to HA_Chassis. */
  readonly haChassis: readonly Uuid<"HA_Chassis">[];
  /** `ref_chassis`: set of uuids; weak reference to Chassis. */
  readonly refChassis: readonly Uuid<"Chassis">[];
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Controller_Event (root). */
export interface ControllerEvent {
  readonly _uuid: Uuid<"Controller_Event">;
  /** `event_type`: string. */
  readonly eventType: "empty_lb_backends";
  /** `event_info`: map of (string, string) pairs. */
  readonly eventInfo: ReadonlyMap<string, string>;
  /** `chassis`: set of up to 1 uuids; weak reference to Chassis. */
  readonly chassis: Uuid<"Chassis"> | undefined;
  /** `seq_num`: integer. */
  readonly seqNum: number;
}

/** Table IP_Multicast (root). */
export interface IpMulticast {
  readonly _uuid: Uuid<"IP_Multicast">;
  /** `datapath`: uuid; weak reference to Datapath_Binding. */
  readonly datapath: Uuid<"Datapath_Binding">;
  /** `enabled`: set of up to 1 booleans. */
  readonly enabled: boolean | undefined;
  /** `querier`: set of up to 1 booleans. */
  readonly querier: boolean | undefined;
  /** `eth_src`: string. */
  readonly ethSrc: string;
  /** `ip4_src`: string. */
  readonly ip4Src: string;
  /** `ip6_src`: string. */
  readonly ip6Src: string;
  /** `table_size`: set of up to 1 integers. */
  readonly tableSize: number | undefined;
  /** `idle_timeout`: set of up to 1 integers. */
  readonly idleTimeout: number | undefined;
  /** `query_interval`: set of up to 1 integers. */
  readonly queryInterval: number | undefined;
  /** `query_max_resp`: set of up to 1 integers. */
  readonly queryMaxResp: number | undefined;
  /** `seq_no`: integer. */
  readonly seqNo: number;
}

/** Table IGMP_Group (root). */
export interface IgmpGroup {
  readonly _uuid: Uuid<"IGMP_Group">;
  /** `address`: string. */
  readonly address: string;
  /** `datapath`: set of up to 1 uuids; weak reference to Datapath_Binding. */
  readonly datapath: Uuid<"Datapath_Binding"> | undefined;
  /** `chassis`: set of up to 1 uuids; weak reference to Chassis. */
  readonly chassis: Uuid<"Chassis"> | undefined;
  /** `ports`: set of uuids; weak reference to Port_Binding. */
  readonly ports: readonly Uuid<"Port_Binding">[];
}

/** Table Service_Monitor (root). */
export interface ServiceMonitor {
  readonly _uuid: Uuid<"Service_Monitor">;
  /** `ip`: string. */
  readonly ip: string;
  /** `protocol`: set of up to 1 strings. */
  readonly protocol: "tcp" | "udp" | undefined;
  /** `port`: integer; integer in [0, 65535]. */
  readonly port: number;
  /** `logical_port`: string. */
  readonly logicalPort: string;
  /** `src_mac`: string. */
  readonly srcMac: string;
  /** `src_ip`: string. */
  readonly srcIp: string;
  /** `status`: set of up to 1 strings. */
  readonly status: "error" | "offline" | "online" | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Load_Balancer (root). */
export interface LoadBalancer {
  readonly _uuid: Uuid<"Load_Balancer">;
  /** `name`: string. */
  readonly name: string;
  /** `vips`: map of (string, string) pairs. */
  readonly vips: ReadonlyMap<string, string>;
  /** `protocol`: set of up to 1 strings. */
  readonly protocol: "sctp" | "tcp" | "udp" | undefined;
  /** `datapaths`: set of uuids; strong reference to Datapath_Binding. */
  readonly datapaths: readonly Uuid<"Datapath_Binding">[];
  /** `datapath_group`: set of up to 1 uuids; strong reference to Logical_DP_Group. */
  readonly datapathGroup: Uuid<"Logical_DP_Group"> | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table BFD (root). */
export interface Bfd {
  readonly _uuid: Uuid<"BFD">;
  /** `src_port`: integer; integer in [49152, 65535]. */
  readonly srcPort: number;
  /** `disc`: integer. */
  readonly disc: number;
  /** `logical_port`: string. */
  readonly logicalPort: string;
  /** `dst_ip`: string. */
  readonly dstIp: string;
  /** `min_tx`: integer. */
  readonly minTx: number;
  /** `min_rx`: integer. */
  readonly minRx: number;
  /** `detect_mult`: integer. */
  readonly detectMult: number;
  /** `status`: string. */
  readonly status: "admin_down" | "down" | "init" | "up";
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
}

/** Table FDB (root). */
export interface Fdb {
  readonly _uuid: Uuid<"FDB">;
  /** `mac`: string. */
  readonly mac: string;
  /** `dp_key`: integer; integer in [1, 16777215]. */
  readonly dpKey: number;
  /** `port_key`: integer; integer in [1, 16777215]. */
  readonly portKey: number;
}

/** Table Static_MAC_Binding (root). */
export interface StaticMacBinding {
  readonly _uuid: Uuid<"Static_MAC_Binding">;
  /** `logical_port`: string. */
  readonly logicalPort: string;
  /** `ip`: string. */
  readonly ip: string;
  /** `mac`: string. */
  readonly mac: string;
  /** `override_dynamic_mac`: boolean. */
  readonly overrideDynamicMac: boolean;
  /** `datapath`: uuid; strong reference to Datapath_Binding. */
  readonly datapath: Uuid<"Datapath_Binding">;
}

/** Table Chassis_Template_Var (root). */
export interface ChassisTemplateVar {
  readonly _uuid: Uuid<"Chassis_Template_Var">;
  /** `chassis`: string. */
  readonly chassis: string;
  /** `variables`: map of (string, string) pairs. */
  readonly variables: ReadonlyMap<string, string>;
}

/** Every table of OVN_Southbound: its typed row by table name. */
export type OvnSbTables = {
  readonly SB_Global: SbGlobal;
  readonly Chassis: Chassis;
  readonly Chassis_Private: ChassisPrivate;
  readonly Encap: Encap;
  readonly Address_Set: AddressSet;
  readonly Port_Group: PortGroup;
  readonly Logical_Flow: LogicalFlow;
  readonly Logical_DP_Group: LogicalDpGroup;
  readonly Multicast_Group: MulticastGroup;
  readonly Mirror: Mirror;
  readonly Meter: Meter;
  readonly Meter_Band: MeterBand;
  readonly Datapath_Binding: DatapathBinding;
  readonly Port_Binding: PortBinding;
  readonly MAC_Binding: MacBinding;
  readonly DHCP_Options: DhcpOptions;
  readonly DHCPv6_Options: DHCPv6Options;
  readonly Connection: Connection;
  readonly SSL: Ssl;
  readonly DNS: Dns;
  readonly RBAC_Role: RbacRole;
  readonly RBAC_Permission: RbacPermission;
  readonly Gateway_Chassis: GatewayChassis;
  readonly HA_Chassis: HaChassis;
  readonly HA_Chassis_Group: HaChassisGroup;
  readonly Controller_Event: ControllerEvent;
  readonly IP_Multicast: IpMulticast;
  readonly IGMP_Group: IgmpGroup;
  readonly Service_Monitor: ServiceMonitor;
  readonly Load_Balancer: LoadBalancer;
  readonly BFD: Bfd;
  readonly FDB: Fdb;
  readonly Static_MAC_Binding: StaticMacBinding;
  readonly Chassis_Template_Var: ChassisTemplateVar;
};

/** The OVN_Southbound model: how the IDL converts each column. */
export const ovnSbModel: DbModel<OvnSbTables> = defineModel<OvnSbTables>({
  name: "OVN_Southbound",
  version: "20.27.0",
  cksum: "4078371916 30328",
  tables: {
    SB_Global: {
      isRoot: true,
      columns: [
        ["nbCfg", "nb_cfg", {"key":"integer"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["connections", "connections", {"key":{"type":"uuid","refTable":"Connection"},"min":0,"max":"unlimited"}],
        ["ssl", "ssl", {"key":{"type":"uuid","refTable":"SSL"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["ipsec", "ipsec", "boolean"],
      ],
    },
    Chassis: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["hostname", "hostname", "string"],
        ["encaps", "encaps", {"key":{"type":"uuid","refTable":"Encap"},"min":1,"max":"unlimited"}],
        ["vtepLogicalSwitches", "vtep_logical_switches", {"key":"string","min":0,"max":"unlimited"}],
        ["nbCfg", "nb_cfg", {"key":"integer"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["transportZones", "transport_zones", {"key":"string","min":0,"max":"unlimited"}],
      ],
    },
    Chassis_Private: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["chassis", "chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}],
        ["nbCfg", "nb_cfg", {"key":"integer"}],
        ["nbCfgTimestamp", "nb_cfg_timestamp", {"key":"integer"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Encap: {
      isRoot: false,
      columns: [
        ["type", "type", {"key":{"type":"string","enum":["set",["geneve","stt","vxlan"]]}}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["ip", "ip", "string"],
        ["chassisName", "chassis_name", "string"],
      ],
    },
    Address_Set: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["addresses", "addresses", {"key":"string","min":0,"max":"unlimited"}],
      ],
    },
    Port_Group: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["ports", "ports", {"key":"string","min":0,"max":"unlimited"}],
      ],
    },
    Logical_Flow: {
      isRoot: true,
      columns: [
        ["logicalDatapath", "logical_datapath", {"key":{"type":"uuid","refTable":"Datapath_Binding"},"min":0,"max":1}],
        ["logicalDpGroup", "logical_dp_group", {"key":{"type":"uuid","refTable":"Logical_DP_Group"},"min":0,"max":1}],
        ["pipeline", "pipeline", {"key":{"type":"string","enum":["set",["ingress","egress"]]}}],
        ["tableId", "table_id", {"key":{"type":"integer","minInteger":0,"maxInteger":32}}],
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":65535}}],
        ["match", "match", "string"],
        ["actions", "actions", "string"],
        ["tags", "tags", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["controllerMeter", "controller_meter", {"key":{"type":"string"},"min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Logical_DP_Group: {
      isRoot: false,
      columns: [
        ["datapaths", "datapaths", {"key":{"type":"uuid","refTable":"Datapath_Binding","refType":"weak"},"min":0,"max":"unlimited"}],
      ],
    },
    Multicast_Group: {
      isRoot: true,
      columns: [
        ["datapath", "datapath", {"key":{"type":"uuid","refTable":"Datapath_Binding"}}],
        ["name", "name", "string"],
        ["tunnelKey", "tunnel_key", {"key":{"type":"integer","minInteger":32768,"maxInteger":65535}}],
        ["ports", "ports", {"key":{"type":"uuid","refTable":"Port_Binding","refType":"weak"},"min":0,"max":"unlimited"}],
      ],
    },
    Mirror: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["filter", "filter", {"key":{"type":"string","enum":["set",["from-lport","to-lport"]]}}],
        ["sink", "sink", "string"],
        ["type", "type", {"key":{"type":"string","enum":["set",["gre","erspan"]]}}],
        ["index", "index", "integer"],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Meter: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["unit", "unit", {"key":{"type":"string","enum":["set",["kbps","pktps"]]}}],
        ["bands", "bands", {"key":{"type":"uuid","refTable":"Meter_Band","refType":"strong"},"min":1,"max":"unlimited"}],
      ],
    },
    Meter_Band: {
      isRoot: false,
      columns: [
        ["action", "action", {"key":{"type":"string","enum":["set",["drop"]]}}],
        ["rate", "rate", {"key":{"type":"integer","minInteger":1,"maxInteger":4294967295}}],
        ["burstSize", "burst_size", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295}}],
      ],
    },
    Datapath_Binding: {
      isRoot: true,
      columns: [
        ["tunnelKey", "tunnel_key", {"key":{"type":"integer","minInteger":1,"maxInteger":16777215}}],
        ["loadBalancers", "load_balancers", {"key":{"type":"uuid"},"min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Port_Binding: {
      isRoot: true,
      columns: [
        ["logicalPort", "logical_port", "string"],
        ["type", "type", "string"],
        ["gatewayChassis", "gateway_chassis", {"key":{"type":"uuid","refTable":"Gateway_Chassis","refType":"strong"},"min":0,"max":"unlimited"}],
        ["haChassisGroup", "ha_chassis_group", {"key":{"type":"uuid","refTable":"HA_Chassis_Group","refType":"strong"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["datapath", "datapath", {"key":{"type":"uuid","refTable":"Datapath_Binding"}}],
        ["tunnelKey", "tunnel_key", {"key":{"type":"integer","minInteger":1,"maxInteger":32767}}],
        ["parentPort", "parent_port", {"key":"string","min":0,"max":1}],
        ["tag", "tag", {"key":{"type":"integer","minInteger":1,"maxInteger":4095},"min":0,"max":1}],
        ["virtualParent", "virtual_parent", {"key":"string","min":0,"max":1}],
        ["chassis", "chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}],
        ["additionalChassis", "additional_chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":"unlimited"}],
        ["encap", "encap", {"key":{"type":"uuid","refTable":"Encap","refType":"weak"},"min":0,"max":1}],
        ["additionalEncap", "additional_encap", {"key":{"type":"uuid","refTable":"Encap","refType":"weak"},"min":0,"max":"unlimited"}],
        ["mirrorRules", "mirror_rules", {"key":{"type":"uuid","refTable":"Mirror","refType":"weak"},"min":0,"max":"unlimited"}],
        ["mac", "mac", {"key":"string","min":0,"max":"unlimited"}],
        ["portSecurity", "port_security", {"key":"string","min":0,"max":"unlimited"}],
        ["natAddresses", "nat_addresses", {"key":"string","min":0,"max":"unlimited"}],
        ["up", "up", {"key":"boolean","min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["requestedChassis", "requested_chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}],
        ["requestedAdditionalChassis", "requested_additional_chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":"unlimited"}],
      ],
    },
    MAC_Binding: {
      isRoot: true,
      columns: [
        ["logicalPort", "logical_port", "string"],
        ["ip", "ip", "string"],
        ["mac", "mac", "string"],
        ["timestamp", "timestamp", {"key":"integer"}],
        ["datapath", "datapath", {"key":{"type":"uuid","refTable":"Datapath_Binding"}}],
      ],
    },
    DHCP_Options: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["code", "code", {"key":{"type":"integer","minInteger":0,"maxInteger":254}}],
        ["type", "type", {"key":{"type":"string","enum":["set",["bool","uint8","uint16","uint32","ipv4","static_routes","str","host_id","domains"]]}}],
      ],
    },
    DHCPv6_Options: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["code", "code", {"key":{"type":"integer","minInteger":0,"maxInteger":254}}],
        ["type", "type", {"key":{"type":"string","enum":["set",["ipv6","str","mac"]]}}],
      ],
    },
    Connection: {
      isRoot: false,
      columns: [
        ["target", "target", "string"],
        ["maxBackoff", "max_backoff", {"key":{"type":"integer","minInteger":1000},"min":0,"max":1}],
        ["inactivityProbe", "inactivity_probe", {"key":"integer","min":0,"max":1}],
        ["readOnly", "read_only", "boolean"],
        ["role", "role", "string"],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["isConnected", "is_connected", "boolean"],
        ["status", "status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    SSL: {
      isRoot: false,
      columns: [
        ["privateKey", "private_key", "string"],
        ["certificate", "certificate", "string"],
        ["caCert", "ca_cert", "string"],
        ["bootstrapCaCert", "bootstrap_ca_cert", "boolean"],
        ["sslProtocols", "ssl_protocols", "string"],
        ["sslCiphers", "ssl_ciphers", "string"],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    DNS: {
      isRoot: true,
      columns: [
        ["records", "records", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["datapaths", "datapaths", {"key":{"type":"uuid","refTable":"Datapath_Binding"},"min":1,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    RBAC_Role: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["permissions", "permissions", {"key":{"type":"string"},"value":{"type":"uuid","refTable":"RBAC_Permission","refType":"weak"},"min":0,"max":"unlimited"}],
      ],
    },
    RBAC_Permission: {
      isRoot: true,
      columns: [
        ["table", "table", "string"],
        ["authorization", "authorization", {"key":"string","min":0,"max":"unlimited"}],
        ["insertDelete", "insert_delete", "boolean"],
        ["update", "update", {"key":"string","min":0,"max":"unlimited"}],
      ],
    },
    Gateway_Chassis: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["chassis", "chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}],
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":32767}}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    HA_Chassis: {
      isRoot: false,
      columns: [
        ["chassis", "chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}],
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":32767}}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    HA_Chassis_Group: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["haChassis", "ha_chassis", {"key":{"type":"uuid","refTable":"HA_Chassis","refType":"strong"},"min":0,"max":"unlimited"}],
        ["refChassis", "ref_chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Controller_Event: {
      isRoot: true,
      columns: [
        ["eventType", "event_type", {"key":{"type":"string","enum":["set",["empty_lb_backends"]]}}],
        ["eventInfo", "event_info", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["chassis", "chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}],
        ["seqNum", "seq_num", {"key":"integer"}],
      ],
    },
    IP_Multicast: {
      isRoot: true,
      columns: [
        ["datapath", "datapath", {"key":{"type":"uuid","refTable":"Datapath_Binding","refType":"weak"}}],
        ["enabled", "enabled", {"key":"boolean","min":0,"max":1}],
        ["querier", "querier", {"key":"boolean","min":0,"max":1}],
        ["ethSrc", "eth_src", "string"],
        ["ip4Src", "ip4_src", "string"],
        ["ip6Src", "ip6_src", "string"],
        ["tableSize", "table_size", {"key":"integer","min":0,"max":1}],
        ["idleTimeout", "idle_timeout", {"key":"integer","min":0,"max":1}],
        ["queryInterval", "query_interval", {"key":"integer","min":0,"max":1}],
        ["queryMaxResp", "query_max_resp", {"key":"integer","min":0,"max":1}],
        ["seqNo", "seq_no", "integer"],
      ],
    },
    IGMP_Group: {
      isRoot: true,
      columns: [
        ["address", "address", "string"],
        ["datapath", "datapath", {"key":{"type":"uuid","refTable":"Datapath_Binding","refType":"weak"},"min":0,"max":1}],
        ["chassis", "chassis", {"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}],
        ["ports", "ports", {"key":{"type":"uuid","refTable":"Port_Binding","refType":"weak"},"min":0,"max":"unlimited"}],
      ],
    },
    Service_Monitor: {
      isRoot: true,
      columns: [
        ["ip", "ip", "string"],
        ["protocol", "protocol", {"key":{"type":"string","enum":["set",["tcp","udp"]]},"min":0,"max":1}],
        ["port", "port", {"key":{"type":"integer","minInteger":0,"maxInteger":65535}}],
        ["logicalPort", "logical_port", "string"],
        ["srcMac", "src_mac", "string"],
        ["srcIp", "src_ip", "string"],
        ["status", "status", {"key":{"type":"string","enum":["set",["online","offline","error"]]},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Load_Balancer: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["vips", "vips", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["protocol", "protocol", {"key":{"type":"string","enum":["set",["tcp","udp","sctp"]]},"min":0,"max":1}],
        ["datapaths", "datapaths", {"key":{"type":"uuid","refTable":"Datapath_Binding"},"min":0,"max":"unlimited"}],
        ["datapathGroup", "datapath_group", {"key":{"type":"uuid","refTable":"Logical_DP_Group"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    BFD: {
      isRoot: true,
      columns: [
        ["srcPort", "src_port", {"key":{"type":"integer","minInteger":49152,"maxInteger":65535}}],
        ["disc", "disc", {"key":{"type":"integer"}}],
        ["logicalPort", "logical_port", "string"],
        ["dstIp", "dst_ip", "string"],
        ["minTx", "min_tx", {"key":{"type":"integer"}}],
        ["minRx", "min_rx", {"key":{"type":"integer"}}],
        ["detectMult", "detect_mult", {"key":{"type":"integer"}}],
        ["status", "status", {"key":{"type":"string","enum":["set",["down","init","up","admin_down"]]}}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    FDB: {
      isRoot: true,
      columns: [
        ["mac", "mac", "string"],
        ["dpKey", "dp_key", {"key":{"type":"integer","minInteger":1,"maxInteger":16777215}}],
        ["portKey", "port_key", {"key":{"type":"integer","minInteger":1,"maxInteger":16777215}}],
      ],
    },
    Static_MAC_Binding: {
      isRoot: true,
      columns: [
        ["logicalPort", "logical_port", "string"],
        ["ip", "ip", "string"],
        ["mac", "mac", "string"],
        ["overrideDynamicMac", "override_dynamic_mac", "boolean"],
        ["datapath", "datapath", {"key":{"type":"uuid","refTable":"Datapath_Binding"}}],
      ],
    },
    Chassis_Template_Var: {
      isRoot: true,
      columns: [
        ["chassis", "chassis", "string"],
        ["variables", "variables", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
  },
});
