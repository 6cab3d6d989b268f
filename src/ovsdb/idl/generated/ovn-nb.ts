// generated — do not edit.
// Made by scripts/gen-rows.ts (`npm run gen`) from schemas/ovn-nb.ovsschema: OVN_Northbound 7.0.0, cksum 94023179 33468.
// biome-ignore-all format: generated code

import { type DbModel, defineModel, type Uuid } from "../model.js";

/** Table NB_Global (root). */
export interface NbGlobal {
  readonly _uuid: Uuid<"NB_Global">;
  /** `name`: string. */
  readonly name: string;
  /** `nb_cfg`: integer. */
  readonly nbCfg: number;
  /** `nb_cfg_timestamp`: integer. */
  readonly nbCfgTimestamp: number;
  /** `sb_cfg`: integer. */
  readonly sbCfg: number;
  /** `sb_cfg_timestamp`: integer. */
  readonly sbCfgTimestamp: number;
  /** `hv_cfg`: integer. */
  readonly hvCfg: number;
  /** `hv_cfg_timestamp`: integer. */
  readonly hvCfgTimestamp: number;
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

/** Table Copp (root). */
export interface Copp {
  readonly _uuid: Uuid<"Copp">;
  /** `name`: string. */
  readonly name: string;
  /** `meters`: map of (string, string) pairs. */
  readonly meters: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Logical_Switch (root). */
export interface LogicalSwitch {
  readonly _uuid: Uuid<"Logical_Switch">;
  /** `name`: string. */
  readonly name: string;
  /** `ports`: set of uuids; strong reference to Logical_Switch_Port. */
  readonly ports: readonly Uuid<"Logical_Switch_Port">[];
  /** `acls`: set of uuids; strong reference to ACL. */
  readonly acls: readonly Uuid<"ACL">[];
  /** `qos_rules`: set of uuids; strong reference to QoS. */
  readonly qosRules: readonly Uuid<"QoS">[];
  /** `load_balancer`: set of uuids; weak reference to Load_Balancer. */
  readonly loadBalancer: readonly Uuid<"Load_Balancer">[];
  /** `load_balancer_group`: set of uuids; strong reference to Load_Balancer_Group. */
  readonly loadBalancerGroup: readonly Uuid<"Load_Balancer_Group">[];
  /** `dns_records`: set of uuids; weak reference to DNS. */
  readonly dnsRecords: readonly Uuid<"DNS">[];
  /** `copp`: set of up to 1 uuids; weak reference to Copp. */
  readonly copp: Uuid<"Copp"> | undefined;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `forwarding_groups`: set of uuids; strong reference to Forwarding_Group. */
  readonly forwardingGroups: readonly Uuid<"Forwarding_Group">[];
}

/** Table Logical_Switch_Port. */
export interface LogicalSwitchPort {
  readonly _uuid: Uuid<"Logical_Switch_Port">;
  /** `name`: string. */
  readonly name: string;
  /** `type`: string. */
  readonly type: string;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `parent_name`: set of up to 1 strings. */
  readonly parentName: string | undefined;
  /** `tag_request`: set of up to 1 integers; integer in [0, 4095]. */
  readonly tagRequest: number | undefined;
  /** `tag`: set of up to 1 integers; integer in [1, 4095]. */
  readonly tag: number | undefined;
  /** `addresses`: set of strings. */
  readonly addresses: readonly string[];
  /** `dynamic_addresses`: set of up to 1 strings. */
  readonly dynamicAddresses: string | undefined;
  /** `port_security`: set of strings. */
  readonly portSecurity: readonly string[];
  /** `up`: set of up to 1 booleans. */
  readonly up: boolean | undefined;
  /** `enabled`: set of up to 1 booleans. */
  readonly enabled: boolean | undefined;
  /** `dhcpv4_options`: set of up to 1 uuids; weak reference to DHCP_Options. */
  readonly dhcpv4Options: Uuid<"DHCP_Options"> | undefined;
  /** `dhcpv6_options`: set of up to 1 uuids; weak reference to DHCP_Options. */
  readonly dhcpv6Options: Uuid<"DHCP_Options"> | undefined;
  /** `mirror_rules`: set of uuids; weak reference to Mirror. */
  readonly mirrorRules: readonly Uuid<"Mirror">[];
  /** `ha_chassis_group`: set of up to 1 uuids; strong reference to HA_Chassis_Group. */
  readonly haChassisGroup: Uuid<"HA_Chassis_Group"> | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Forwarding_Group. */
export interface ForwardingGroup {
  readonly _uuid: Uuid<"Forwarding_Group">;
  /** `name`: string. */
  readonly name: string;
  /** `vip`: string. */
  readonly vip: string;
  /** `vmac`: string. */
  readonly vmac: string;
  /** `liveness`: boolean. */
  readonly liveness: boolean;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `child_port`: set of 1 or more strings. */
  readonly childPort: readonly string[];
}

/** Table Address_Set (root). */
export interface AddressSet {
  readonly _uuid: Uuid<"Address_Set">;
  /** `name`: string. */
  readonly name: string;
  /** `addresses`: set of strings. */
  readonly addresses: readonly string[];
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Port_Group (root). */
export interface PortGroup {
  readonly _uuid: Uuid<"Port_Group">;
  /** `name`: string. */
  readonly name: string;
  /** `ports`: set of uuids; weak reference to Logical_Switch_Port. */
  readonly ports: readonly Uuid<"Logical_Switch_Port">[];
  /** `acls`: set of uuids; strong reference to ACL. */
  readonly acls: readonly Uuid<"ACL">[];
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
  /** `health_check`: set of uuids; strong reference to Load_Balancer_Health_Check. */
  readonly healthCheck: readonly Uuid<"Load_Balancer_Health_Check">[];
  /** `ip_port_mappings`: map of (string, string) pairs. */
  readonly ipPortMappings: ReadonlyMap<string, string>;
  /** `selection_fields`: set of strings. */
  readonly selectionFields: readonly ("eth_dst" | "eth_src" | "ip_dst" | "ip_src" | "tp_dst" | "tp_src")[];
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Load_Balancer_Group (root). */
export interface LoadBalancerGroup {
  readonly _uuid: Uuid<"Load_Balancer_Group">;
  /** `name`: string. */
  readonly name: string;
  /** `load_balancer`: set of uuids; weak reference to Load_Balancer. */
  readonly loadBalancer: readonly Uuid<"Load_Balancer">[];
}

/** Table Load_Balancer_Health_Check. */
export interface LoadBalancerHealthCheck {
  readonly _uuid: Uuid<"Load_Balancer_Health_Check">;
  /** `vip`: string. */
  readonly vip: string;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table ACL. */
export interface Acl {
  readonly _uuid: Uuid<"ACL">;
  /** `name`: set of up to 1 strings; length in [0, 63]. */
  readonly name: string | undefined;
  /** `priority`: integer; integer in [0, 32767]. */
  readonly priority: number;
  /** `direction`: string. */
  readonly direction: "from-lport" | "to-lport";
  /** `match`: string. */
  readonly match: string;
  /** `action`: string. */
  readonly action: "allow" | "allow-related" | "allow-stateless" | "drop" | "reject";
  /** `log`: boolean. */
  readonly log: boolean;
  /** `severity`: set of up to 1 strings. */
  readonly severity: "alert" | "debug" | "info" | "notice" | "warning" | undefined;
  /** `meter`: set of up to 1 strings. */
  readonly meter: string | undefined;
  /** `label`: integer; integer in [0, 4294967295]. */
  readonly label: number;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table QoS. */
export interface QoS {
  readonly _uuid: Uuid<"QoS">;
  /** `priority`: integer; integer in [0, 32767]. */
  readonly priority: number;
  /** `direction`: string. */
  readonly direction: "from-lport" | "to-lport";
  /** `match`: string. */
  readonly match: string;
  /** `action`: map of (string, integer) pairs; integer in [0, 63]. */
  readonly action: ReadonlyMap<"dscp", number>;
  /** `bandwidth`: map of (string, integer) pairs; integer in [1, 4294967295]. */
  readonly bandwidth: ReadonlyMap<"burst" | "rate", number>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
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
  /** `fair`: set of up to 1 booleans. */
  readonly fair: boolean | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
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
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Logical_Router (root). */
export interface LogicalRouter {
  readonly _uuid: Uuid<"Logical_Router">;
  /** `name`: string. */
  readonly name: string;
  /** `ports`: set of uuids; strong reference to Logical_Router_Port. */
  readonly ports: readonly Uuid<"Logical_Router_Port">[];
  /** `static_routes`: set of uuids; strong reference to Logical_Router_Static_Route. */
  readonly staticRoutes: readonly Uuid<"Logical_Router_Static_Route">[];
  /** `policies`: set of uuids; strong reference to Logical_Router_Policy. */
  readonly policies: readonly Uuid<"Logical_Router_Policy">[];
  /** `enabled`: set of up to 1 booleans. */
  readonly enabled: boolean | undefined;
  /** `nat`: set of uuids; strong reference to NAT. */
  readonly nat: readonly Uuid<"NAT">[];
  /** `load_balancer`: set of uuids; weak reference to Load_Balancer. */
  readonly loadBalancer: readonly Uuid<"Load_Balancer">[];
  /** `load_balancer_group`: set of uuids; strong reference to Load_Balancer_Group. */
  readonly loadBalancerGroup: readonly Uuid<"Load_Balancer_Group">[];
  /** `copp`: set of up to 1 uuids; weak reference to Copp. */
  readonly copp: Uuid<"Copp"> | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Logical_Router_Port. */
export interface LogicalRouterPort {
  readonly _uuid: Uuid<"Logical_Router_Port">;
  /** `name`: string. */
  readonly name: string;
  /** `gateway_chassis`: set of uuids; strong reference to Gateway_Chassis. */
  readonly gatewayChassis: readonly Uuid<"Gateway_Chassis">[];
  /** `ha_chassis_group`: set of up to 1 uuids; strong reference to HA_Chassis_Group. */
  readonly haChassisGroup: Uuid<"HA_Chassis_Group"> | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `networks`: set of 1 or more strings. */
  readonly networks: readonly string[];
  /** `mac`: string. */
  readonly mac: string;
  /** `peer`: set of up to 1 strings. */
  readonly peer: string | undefined;
  /** `enabled`: set of up to 1 booleans. */
  readonly enabled: boolean | undefined;
  /** `ipv6_ra_configs`: map of (string, string) pairs. */
  readonly ipv6RaConfigs: ReadonlyMap<string, string>;
  /** `ipv6_prefix`: set of strings. */
  readonly ipv6Prefix: readonly string[];
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Logical_Router_Static_Route. */
export interface LogicalRouterStaticRoute {
  readonly _uuid: Uuid<"Logical_Router_Static_Route">;
  /** `route_table`: string. */
  readonly routeTable: string;
  /** `ip_prefix`: string. */
  readonly ipPrefix: string;
  /** `policy`: set of up to 1 strings. */
  readonly policy: "dst-ip" | "src-ip" | undefined;
  /** `nexthop`: string. */
  readonly nexthop: string;
  /** `output_port`: set of up to 1 strings. */
  readonly outputPort: string | undefined;
  /** `bfd`: set of up to 1 uuids; weak reference to BFD. */
  readonly bfd: Uuid<"BFD"> | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Logical_Router_Policy. */
export interface LogicalRouterPolicy {
  readonly _uuid: Uuid<"Logical_Router_Policy">;
  /** `priority`: integer; integer in [0, 32767]. */
  readonly priority: number;
  /** `match`: string. */
  readonly match: string;
  /** `action`: string. */
  readonly action: "allow" | "drop" | "reroute";
  /** `nexthop`: set of up to 1 strings. */
  readonly nexthop: string | undefined;
  /** `nexthops`: set of strings. */
  readonly nexthops: readonly string[];
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table NAT. */
export interface Nat {
  readonly _uuid: Uuid<"NAT">;
  /** `external_ip`: string. */
  readonly externalIp: string;
  /** `external_mac`: set of up to 1 strings. */
  readonly externalMac: string | undefined;
  /** `external_port_range`: string. */
  readonly externalPortRange: string;
  /** `logical_ip`: string. */
  readonly logicalIp: string;
  /** `logical_port`: set of up to 1 strings. */
  readonly logicalPort: string | undefined;
  /** `type`: string. */
  readonly type: "dnat" | "dnat_and_snat" | "snat";
  /** `allowed_ext_ips`: set of up to 1 uuids; strong reference to Address_Set. */
  readonly allowedExtIps: Uuid<"Address_Set"> | undefined;
  /** `exempted_ext_ips`: set of up to 1 uuids; strong reference to Address_Set. */
  readonly exemptedExtIps: Uuid<"Address_Set"> | undefined;
  /** `gateway_port`: set of up to 1 uuids; weak reference to Logical_Router_Port. */
  readonly gatewayPort: Uuid<"Logical_Router_Port"> | undefined;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table DHCP_Options (root). */
export interface DhcpOptions {
  readonly _uuid: Uuid<"DHCP_Options">;
  /** `cidr`: string. */
  readonly cidr: string;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
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
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `is_connected`: boolean; ephemeral. */
  readonly isConnected: boolean;
  /** `status`: map of (string, string) pairs; ephemeral. */
  readonly status: ReadonlyMap<string, string>;
}

/** Table DNS (root). */
export interface Dns {
  readonly _uuid: Uuid<"DNS">;
  /** `records`: map of (string, string) pairs. */
  readonly records: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
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

/** Table Gateway_Chassis. */
export interface GatewayChassis {
  readonly _uuid: Uuid<"Gateway_Chassis">;
  /** `name`: string. */
  readonly name: string;
  /** `chassis_name`: string. */
  readonly chassisName: string;
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
  /** `chassis_name`: string. */
  readonly chassisName: string;
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
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table BFD (root). */
export interface Bfd {
  readonly _uuid: Uuid<"BFD">;
  /** `logical_port`: string. */
  readonly logicalPort: string;
  /** `dst_ip`: string. */
  readonly dstIp: string;
  /** `min_tx`: set of up to 1 integers; integer in [1, inf]. */
  readonly minTx: number | undefined;
  /** `min_rx`: set of up to 1 integers. */
  readonly minRx: number | undefined;
  /** `detect_mult`: set of up to 1 integers; integer in [1, inf]. */
  readonly detectMult: number | undefined;
  /** `status`: set of up to 1 strings. */
  readonly status: "admin_down" | "down" | "init" | "up" | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
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
}

/** Table Chassis_Template_Var (root). */
export interface ChassisTemplateVar {
  readonly _uuid: Uuid<"Chassis_Template_Var">;
  /** `chassis`: string. */
  readonly chassis: string;
  /** `variables`: map of (string, string) pairs. */
  readonly variables: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Every table of OVN_Northbound: its typed row by table name. */
export type OvnNbTables = {
  readonly NB_Global: NbGlobal;
  readonly Copp: Copp;
  readonly Logical_Switch: LogicalSwitch;
  readonly Logical_Switch_Port: LogicalSwitchPort;
  readonly Forwarding_Group: ForwardingGroup;
  readonly Address_Set: AddressSet;
  readonly Port_Group: PortGroup;
  readonly Load_Balancer: LoadBalancer;
  readonly Load_Balancer_Group: LoadBalancerGroup;
  readonly Load_Balancer_Health_Check: LoadBalancerHealthCheck;
  readonly ACL: Acl;
  readonly QoS: QoS;
  readonly Mirror: Mirror;
  readonly Meter: Meter;
  readonly Meter_Band: MeterBand;
  readonly Logical_Router: LogicalRouter;
  readonly Logical_Router_Port: LogicalRouterPort;
  readonly Logical_Router_Static_Route: LogicalRouterStaticRoute;
  readonly Logical_Router_Policy: LogicalRouterPolicy;
  readonly NAT: Nat;
  readonly DHCP_Options: DhcpOptions;
  readonly Connection: Connection;
  readonly DNS: Dns;
  readonly SSL: Ssl;
  readonly Gateway_Chassis: GatewayChassis;
  readonly HA_Chassis: HaChassis;
  readonly HA_Chassis_Group: HaChassisGroup;
  readonly BFD: Bfd;
  readonly Static_MAC_Binding: StaticMacBinding;
  readonly Chassis_Template_Var: ChassisTemplateVar;
};

/** The OVN_Northbound model: how the IDL converts each column. */
export const ovnNbModel: DbModel<OvnNbTables> = defineModel<OvnNbTables>({
  name: "OVN_Northbound",
  version: "7.0.0",
  cksum: "94023179 33468",
  tables: {
    NB_Global: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["nbCfg", "nb_cfg", {"key":"integer"}],
        ["nbCfgTimestamp", "nb_cfg_timestamp", {"key":"integer"}],
        ["sbCfg", "sb_cfg", {"key":"integer"}],
        ["sbCfgTimestamp", "sb_cfg_timestamp", {"key":"integer"}],
        ["hvCfg", "hv_cfg", {"key":"integer"}],
        ["hvCfgTimestamp", "hv_cfg_timestamp", {"key":"integer"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["connections", "connections", {"key":{"type":"uuid","refTable":"Connection"},"min":0,"max":"unlimited"}],
        ["ssl", "ssl", {"key":{"type":"uuid","refTable":"SSL"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["ipsec", "ipsec", "boolean"],
      ],
    },
    Copp: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["meters", "meters", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Logical_Switch: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["ports", "ports", {"key":{"type":"uuid","refTable":"Logical_Switch_Port","refType":"strong"},"min":0,"max":"unlimited"}],
        ["acls", "acls", {"key":{"type":"uuid","refTable":"ACL","refType":"strong"},"min":0,"max":"unlimited"}],
        ["qosRules", "qos_rules", {"key":{"type":"uuid","refTable":"QoS","refType":"strong"},"min":0,"max":"unlimited"}],
        ["loadBalancer", "load_balancer", {"key":{"type":"uuid","refTable":"Load_Balancer","refType":"weak"},"min":0,"max":"unlimited"}],
        ["loadBalancerGroup", "load_balancer_group", {"key":{"type":"uuid","refTable":"Load_Balancer_Group"},"min":0,"max":"unlimited"}],
        ["dnsRecords", "dns_records", {"key":{"type":"uuid","refTable":"DNS","refType":"weak"},"min":0,"max":"unlimited"}],
        ["copp", "copp", {"key":{"type":"uuid","refTable":"Copp","refType":"weak"},"min":0,"max":1}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["forwardingGroups", "forwarding_groups", {"key":{"type":"uuid","refTable":"Forwarding_Group","refType":"strong"},"min":0,"max":"unlimited"}],
      ],
    },
    Logical_Switch_Port: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["type", "type", "string"],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["parentName", "parent_name", {"key":"string","min":0,"max":1}],
        ["tagRequest", "tag_request", {"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":1}],
        ["tag", "tag", {"key":{"type":"integer","minInteger":1,"maxInteger":4095},"min":0,"max":1}],
        ["addresses", "addresses", {"key":"string","min":0,"max":"unlimited"}],
        ["dynamicAddresses", "dynamic_addresses", {"key":"string","min":0,"max":1}],
        ["portSecurity", "port_security", {"key":"string","min":0,"max":"unlimited"}],
        ["up", "up", {"key":"boolean","min":0,"max":1}],
        ["enabled", "enabled", {"key":"boolean","min":0,"max":1}],
        ["dhcpv4Options", "dhcpv4_options", {"key":{"type":"uuid","refTable":"DHCP_Options","refType":"weak"},"min":0,"max":1}],
        ["dhcpv6Options", "dhcpv6_options", {"key":{"type":"uuid","refTable":"DHCP_Options","refType":"weak"},"min":0,"max":1}],
        ["mirrorRules", "mirror_rules", {"key":{"type":"uuid","refTable":"Mirror","refType":"weak"},"min":0,"max":"unlimited"}],
        ["haChassisGroup", "ha_chassis_group", {"key":{"type":"uuid","refTable":"HA_Chassis_Group","refType":"strong"},"min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Forwarding_Group: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["vip", "vip", "string"],
        ["vmac", "vmac", "string"],
        ["liveness", "liveness", "boolean"],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["childPort", "child_port", {"key":"string","min":1,"max":"unlimited"}],
      ],
    },
    Address_Set: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["addresses", "addresses", {"key":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Port_Group: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["ports", "ports", {"key":{"type":"uuid","refTable":"Logical_Switch_Port","refType":"weak"},"min":0,"max":"unlimited"}],
        ["acls", "acls", {"key":{"type":"uuid","refTable":"ACL","refType":"strong"},"min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Load_Balancer: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["vips", "vips", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["protocol", "protocol", {"key":{"type":"string","enum":["set",["tcp","udp","sctp"]]},"min":0,"max":1}],
        ["healthCheck", "health_check", {"key":{"type":"uuid","refTable":"Load_Balancer_Health_Check","refType":"strong"},"min":0,"max":"unlimited"}],
        ["ipPortMappings", "ip_port_mappings", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["selectionFields", "selection_fields", {"key":{"type":"string","enum":["set",["eth_src","eth_dst","ip_src","ip_dst","tp_src","tp_dst"]]},"min":0,"max":"unlimited"}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Load_Balancer_Group: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["loadBalancer", "load_balancer", {"key":{"type":"uuid","refTable":"Load_Balancer","refType":"weak"},"min":0,"max":"unlimited"}],
      ],
    },
    Load_Balancer_Health_Check: {
      isRoot: false,
      columns: [
        ["vip", "vip", "string"],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    ACL: {
      isRoot: false,
      columns: [
        ["name", "name", {"key":{"type":"string","maxLength":63},"min":0,"max":1}],
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":32767}}],
        ["direction", "direction", {"key":{"type":"string","enum":["set",["from-lport","to-lport"]]}}],
        ["match", "match", "string"],
        ["action", "action", {"key":{"type":"string","enum":["set",["allow","allow-related","allow-stateless","drop","reject"]]}}],
        ["log", "log", "boolean"],
        ["severity", "severity", {"key":{"type":"string","enum":["set",["alert","warning","notice","info","debug"]]},"min":0,"max":1}],
        ["meter", "meter", {"key":"string","min":0,"max":1}],
        ["label", "label", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295}}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    QoS: {
      isRoot: false,
      columns: [
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":32767}}],
        ["direction", "direction", {"key":{"type":"string","enum":["set",["from-lport","to-lport"]]}}],
        ["match", "match", "string"],
        ["action", "action", {"key":{"type":"string","enum":["set",["dscp"]]},"value":{"type":"integer","minInteger":0,"maxInteger":63},"min":0,"max":"unlimited"}],
        ["bandwidth", "bandwidth", {"key":{"type":"string","enum":["set",["rate","burst"]]},"value":{"type":"integer","minInteger":1,"maxInteger":4294967295},"min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
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
        ["fair", "fair", {"key":"boolean","min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Meter_Band: {
      isRoot: false,
      columns: [
        ["action", "action", {"key":{"type":"string","enum":["set",["drop"]]}}],
        ["rate", "rate", {"key":{"type":"integer","minInteger":1,"maxInteger":4294967295}}],
        ["burstSize", "burst_size", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295}}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Logical_Router: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["ports", "ports", {"key":{"type":"uuid","refTable":"Logical_Router_Port","refType":"strong"},"min":0,"max":"unlimited"}],
        ["staticRoutes", "static_routes", {"key":{"type":"uuid","refTable":"Logical_Router_Static_Route","refType":"strong"},"min":0,"max":"unlimited"}],
        ["policies", "policies", {"key":{"type":"uuid","refTable":"Logical_Router_Policy","refType":"strong"},"min":0,"max":"unlimited"}],
        ["enabled", "enabled", {"key":"boolean","min":0,"max":1}],
        ["nat", "nat", {"key":{"type":"uuid","refTable":"NAT","refType":"strong"},"min":0,"max":"unlimited"}],
        ["loadBalancer", "load_balancer", {"key":{"type":"uuid","refTable":"Load_Balancer","refType":"weak"},"min":0,"max":"unlimited"}],
        ["loadBalancerGroup", "load_balancer_group", {"key":{"type":"uuid","refTable":"Load_Balancer_Group"},"min":0,"max":"unlimited"}],
        ["copp", "copp", {"key":{"type":"uuid","refTable":"Copp","refType":"weak"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Logical_Router_Port: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["gatewayChassis", "gateway_chassis", {"key":{"type":"uuid","refTable":"Gateway_Chassis","refType":"strong"},"min":0,"max":"unlimited"}],
        ["haChassisGroup", "ha_chassis_group", {"key":{"type":"uuid","refTable":"HA_Chassis_Group","refType":"strong"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["networks", "networks", {"key":"string","min":1,"max":"unlimited"}],
        ["mac", "mac", "string"],
        ["peer", "peer", {"key":"string","min":0,"max":1}],
        ["enabled", "enabled", {"key":"boolean","min":0,"max":1}],
        ["ipv6RaConfigs", "ipv6_ra_configs", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["ipv6Prefix", "ipv6_prefix", {"key":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Logical_Router_Static_Route: {
      isRoot: false,
      columns: [
        ["routeTable", "route_table", "string"],
        ["ipPrefix", "ip_prefix", "string"],
        ["policy", "policy", {"key":{"type":"string","enum":["set",["src-ip","dst-ip"]]},"min":0,"max":1}],
        ["nexthop", "nexthop", "string"],
        ["outputPort", "output_port", {"key":"string","min":0,"max":1}],
        ["bfd", "bfd", {"key":{"type":"uuid","refTable":"BFD","refType":"weak"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Logical_Router_Policy: {
      isRoot: false,
      columns: [
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":32767}}],
        ["match", "match", "string"],
        ["action", "action", {"key":{"type":"string","enum":["set",["allow","drop","reroute"]]}}],
        ["nexthop", "nexthop", {"key":"string","min":0,"max":1}],
        ["nexthops", "nexthops", {"key":"string","min":0,"max":"unlimited"}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    NAT: {
      isRoot: false,
      columns: [
        ["externalIp", "external_ip", "string"],
        ["externalMac", "external_mac", {"key":"string","min":0,"max":1}],
        ["externalPortRange", "external_port_range", "string"],
        ["logicalIp", "logical_ip", "string"],
        ["logicalPort", "logical_port", {"key":"string","min":0,"max":1}],
        ["type", "type", {"key":{"type":"string","enum":["set",["dnat","snat","dnat_and_snat"]]}}],
        ["allowedExtIps", "allowed_ext_ips", {"key":{"type":"uuid","refTable":"Address_Set","refType":"strong"},"min":0,"max":1}],
        ["exemptedExtIps", "exempted_ext_ips", {"key":{"type":"uuid","refTable":"Address_Set","refType":"strong"},"min":0,"max":1}],
        ["gatewayPort", "gateway_port", {"key":{"type":"uuid","refTable":"Logical_Router_Port","refType":"weak"},"min":0,"max":1}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    DHCP_Options: {
      isRoot: true,
      columns: [
        ["cidr", "cidr", "string"],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Connection: {
      isRoot: false,
      columns: [
        ["target", "target", "string"],
        ["maxBackoff", "max_backoff", {"key":{"type":"integer","minInteger":1000},"min":0,"max":1}],
        ["inactivityProbe", "inactivity_probe", {"key":"integer","min":0,"max":1}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["isConnected", "is_connected", "boolean"],
        ["status", "status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    DNS: {
      isRoot: true,
      columns: [
        ["records", "records", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
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
    Gateway_Chassis: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["chassisName", "chassis_name", "string"],
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":32767}}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    HA_Chassis: {
      isRoot: false,
      columns: [
        ["chassisName", "chassis_name", "string"],
        ["priority", "priority", {"key":{"type":"integer","minInteger":0,"maxInteger":32767}}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    HA_Chassis_Group: {
      isRoot: true,
      columns: [
        ["name", "name", "string"],
        ["haChassis", "ha_chassis", {"key":{"type":"uuid","refTable":"HA_Chassis","refType":"strong"},"min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    BFD: {
      isRoot: true,
      columns: [
        ["logicalPort", "logical_port", "string"],
        ["dstIp", "dst_ip", "string"],
        ["minTx", "min_tx", {"key":{"type":"integer","minInteger":1},"min":0,"max":1}],
        ["minRx", "min_rx", {"key":{"type":"integer"},"min":0,"max":1}],
        ["detectMult", "detect_mult", {"key":{"type":"integer","minInteger":1},"min":0,"max":1}],
        ["status", "status", {"key":{"type":"string","enum":["set",["down","init","up","admin_down"]]},"min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Static_MAC_Binding: {
      isRoot: true,
      columns: [
        ["logicalPort", "logical_port", "string"],
        ["ip", "ip", "string"],
        ["mac", "mac", "string"],
        ["overrideDynamicMac", "override_dynamic_mac", "boolean"],
      ],
    },
    Chassis_Template_Var: {
      isRoot: true,
      columns: [
        ["chassis", "chassis", "string"],
        ["variables", "variables", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
  },
});
