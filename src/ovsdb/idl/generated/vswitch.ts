// generated — do not edit.
// Made by scripts/gen-rows.ts (`npm run gen`) from schemas/vswitch.ovsschema: Open_vSwitch 8.3.1, cksum 3012963480 26720.
// biome-ignore-all format: generated code

import { type DbModel, defineModel, type Uuid } from "../model.js";

/** Table Open_vSwitch (root). */
export interface OpenVSwitch {
  readonly _uuid: Uuid<"Open_vSwitch">;
  /** `datapaths`: map of (string, uuid) pairs; strong reference to Datapath. */
  readonly datapaths: ReadonlyMap<string, Uuid<"Datapath">>;
  /** `bridges`: set of uuids; strong reference to Bridge. */
  readonly bridges: readonly Uuid<"Bridge">[];
  /** `manager_options`: set of uuids; strong reference to Manager. */
  readonly managerOptions: readonly Uuid<"Manager">[];
  /** `ssl`: set of up to 1 uuids; strong reference to SSL. */
  readonly ssl: Uuid<"SSL"> | undefined;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `next_cfg`: integer. */
  readonly nextCfg: number;
  /** `cur_cfg`: integer. */
  readonly curCfg: number;
  /** `statistics`: map of (string, string) pairs; ephemeral. */
  readonly statistics: ReadonlyMap<string, string>;
  /** `ovs_version`: set of up to 1 strings. */
  readonly ovsVersion: string | undefined;
  /** `db_version`: set of up to 1 strings. */
  readonly dbVersion: string | undefined;
  /** `system_type`: set of up to 1 strings. */
  readonly systemType: string | undefined;
  /** `system_version`: set of up to 1 strings. */
  readonly systemVersion: string | undefined;
  /** `datapath_types`: set of strings. */
  readonly datapathTypes: readonly string[];
  /** `iface_types`: set of strings. */
  readonly ifaceTypes: readonly string[];
  /** `dpdk_initialized`: boolean. */
  readonly dpdkInitialized: boolean;
  /** `dpdk_version`: set of up to 1 strings. */
  readonly dpdkVersion: string | undefined;
}

/** Table Bridge. */
export interface Bridge {
  readonly _uuid: Uuid<"Bridge">;
  /** `name`: string; immutable. */
  readonly name: string;
  /** `datapath_type`: string. */
  readonly datapathType: string;
  /** `datapath_version`: string. */
  readonly datapathVersion: string;
  /** `datapath_id`: set of up to 1 strings; ephemeral. */
  readonly datapathId: string | undefined;
  /** `stp_enable`: boolean. */
  readonly stpEnable: boolean;
  /** `rstp_enable`: boolean. */
  readonly rstpEnable: boolean;
  /** `mcast_snooping_enable`: boolean. */
  readonly mcastSnoopingEnable: boolean;
  /** `ports`: set of uuids; strong reference to Port. */
  readonly ports: readonly Uuid<"Port">[];
  /** `mirrors`: set of uuids; strong reference to Mirror. */
  readonly mirrors: readonly Uuid<"Mirror">[];
  /** `netflow`: set of up to 1 uuids; strong reference to NetFlow. */
  readonly netflow: Uuid<"NetFlow"> | undefined;
  /** `sflow`: set of up to 1 uuids; strong reference to sFlow. */
  readonly sflow: Uuid<"sFlow"> | undefined;
  /** `ipfix`: set of up to 1 uuids; strong reference to IPFIX. */
  readonly ipfix: Uuid<"IPFIX"> | undefined;
  /** `controller`: set of uuids; strong reference to Controller. */
  readonly controller: readonly Uuid<"Controller">[];
  /** `protocols`: set of strings. */
  readonly protocols: readonly ("OpenFlow10" | "OpenFlow11" | "OpenFlow12" | "OpenFlow13" | "OpenFlow14" | "OpenFlow15")[];
  /** `fail_mode`: set of up to 1 strings. */
  readonly failMode: "secure" | "standalone" | undefined;
  /** `status`: map of (string, string) pairs; ephemeral. */
  readonly status: ReadonlyMap<string, string>;
  /** `rstp_status`: map of (string, string) pairs; ephemeral. */
  readonly rstpStatus: ReadonlyMap<string, string>;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `flood_vlans`: set of up to 4096 integers; integer in [0, 4095]. */
  readonly floodVlans: readonly number[];
  /** `flow_tables`: map of (integer, uuid) pairs; integer in [0, 254]; strong reference to Flow_Table. */
  readonly flowTables: ReadonlyMap<number, Uuid<"Flow_Table">>;
  /** `auto_attach`: set of up to 1 uuids; strong reference to AutoAttach. */
  readonly autoAttach: Uuid<"AutoAttach"> | undefined;
}

/** Table Port. */
export interface Port {
  readonly _uuid: Uuid<"Port">;
  /** `name`: string; immutable. */
  readonly name: string;
  /** `interfaces`: set of 1 or more uuids; strong reference to Interface. */
  readonly interfaces: readonly Uuid<"Interface">[];
  /** `trunks`: set of up to 4096 integers; integer in [0, 4095]. */
  readonly trunks: readonly number[];
  /** `cvlans`: set of up to 4096 integers; integer in [0, 4095]. */
  readonly cvlans: readonly number[];
  /** `tag`: set of up to 1 integers; integer in [0, 4095]. */
  readonly tag: number | undefined;
  /** `vlan_mode`: set of up to 1 strings. */
  readonly vlanMode: "access" | "dot1q-tunnel" | "native-tagged" | "native-untagged" | "trunk" | undefined;
  /** `qos`: set of up to 1 uuids; strong reference to QoS. */
  readonly qos: Uuid<"QoS"> | undefined;
  /** `mac`: set of up to 1 strings. */
  readonly mac: string | undefined;
  /** `bond_mode`: set of up to 1 strings. */
  readonly bondMode: "active-backup" | "balance-slb" | "balance-tcp" | undefined;
  /** `lacp`: set of up to 1 strings. */
  readonly lacp: "active" | "off" | "passive" | undefined;
  /** `bond_updelay`: integer. */
  readonly bondUpdelay: number;
  /** `bond_downdelay`: integer. */
  readonly bondDowndelay: number;
  /** `bond_active_slave`: set of up to 1 strings. */
  readonly bondActiveSlave: string | undefined;
  /** `bond_fake_iface`: boolean. */
  readonly bondFakeIface: boolean;
  /** `fake_bridge`: boolean. */
  readonly fakeBridge: boolean;
  /** `status`: map of (string, string) pairs; ephemeral. */
  readonly status: ReadonlyMap<string, string>;
  /** `rstp_status`: map of (string, string) pairs; ephemeral. */
  readonly rstpStatus: ReadonlyMap<string, string>;
  /** `rstp_statistics`: map of (string, integer) pairs; ephemeral. */
  readonly rstpStatistics: ReadonlyMap<string, number>;
  /** `statistics`: map of (string, integer) pairs; ephemeral. */
  readonly statistics: ReadonlyMap<string, number>;
  /** `protected`: boolean. */
  readonly protected: boolean;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Interface. */
export interface Interface {
  readonly _uuid: Uuid<"Interface">;
  /** `name`: string; immutable. */
  readonly name: string;
  /** `type`: string. */
  readonly type: string;
  /** `options`: map of (string, string) pairs. */
  readonly options: ReadonlyMap<string, string>;
  /** `ingress_policing_rate`: integer; integer in [0, inf]. */
  readonly ingressPolicingRate: number;
  /** `ingress_policing_burst`: integer; integer in [0, inf]. */
  readonly ingressPolicingBurst: number;
  /** `ingress_policing_kpkts_rate`: integer; integer in [0, inf]. */
  readonly ingressPolicingKpktsRate: number;
  /** `ingress_policing_kpkts_burst`: integer; integer in [0, inf]. */
  readonly ingressPolicingKpktsBurst: number;
  /** `mac_in_use`: set of up to 1 strings; ephemeral. */
  readonly macInUse: string | undefined;
  /** `mac`: set of up to 1 strings. */
  readonly mac: string | undefined;
  /** `ifindex`: set of up to 1 integers; integer in [0, 4294967295]; ephemeral. */
  readonly ifindex: number | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `ofport`: set of up to 1 integers. */
  readonly ofport: number | undefined;
  /** `ofport_request`: set of up to 1 integers; integer in [1, 65279]. */
  readonly ofportRequest: number | undefined;
  /** `bfd`: map of (string, string) pairs. */
  readonly bfd: ReadonlyMap<string, string>;
  /** `bfd_status`: map of (string, string) pairs; ephemeral. */
  readonly bfdStatus: ReadonlyMap<string, string>;
  /** `cfm_mpid`: set of up to 1 integers. */
  readonly cfmMpid: number | undefined;
  /** `cfm_remote_mpids`: set of integers; ephemeral. */
  readonly cfmRemoteMpids: readonly number[];
  /** `cfm_flap_count`: set of up to 1 integers. */
  readonly cfmFlapCount: number | undefined;
  /** `cfm_fault`: set of up to 1 booleans; ephemeral. */
  readonly cfmFault: boolean | undefined;
  /** `cfm_fault_status`: set of strings; ephemeral. */
  readonly cfmFaultStatus: readonly string[];
  /** `cfm_remote_opstate`: set of up to 1 strings; ephemeral. */
  readonly cfmRemoteOpstate: "down" | "up" | undefined;
  /** `cfm_health`: set of up to 1 integers; integer in [0, 100]; ephemeral. */
  readonly cfmHealth: number | undefined;
  /** `lacp_current`: set of up to 1 booleans; ephemeral. */
  readonly lacpCurrent: boolean | undefined;
  /** `lldp`: map of (string, string) pairs. */
  readonly lldp: ReadonlyMap<string, string>;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `statistics`: map of (string, integer) pairs; ephemeral. */
  readonly statistics: ReadonlyMap<string, number>;
  /** `status`: map of (string, string) pairs; ephemeral. */
  readonly status: ReadonlyMap<string, string>;
  /** `admin_state`: set of up to 1 strings; ephemeral. */
  readonly adminState: "down" | "up" | undefined;
  /** `link_state`: set of up to 1 strings; ephemeral. */
  readonly linkState: "down" | "up" | undefined;
  /** `link_resets`: set of up to 1 integers; ephemeral. */
  readonly linkResets: number | undefined;
  /** `link_speed`: set of up to 1 integers; ephemeral. */
  readonly linkSpeed: number | undefined;
  /** `duplex`: set of up to 1 strings; ephemeral. */
  readonly duplex: "full" | "half" | undefined;
  /** `mtu`: set of up to 1 integers; ephemeral. */
  readonly mtu: number | undefined;
  /** `mtu_request`: set of up to 1 integers; integer in [1, inf]. */
  readonly mtuRequest: number | undefined;
  /** `error`: set of up to 1 strings. */
  readonly error: string | undefined;
}

/** Table Flow_Table. */
export interface FlowTable {
  readonly _uuid: Uuid<"Flow_Table">;
  /** `name`: set of up to 1 strings. */
  readonly name: string | undefined;
  /** `flow_limit`: set of up to 1 integers; integer in [0, inf]. */
  readonly flowLimit: number | undefined;
  /** `overflow_policy`: set of up to 1 strings. */
  readonly overflowPolicy: "evict" | "refuse" | undefined;
  /** `groups`: set of strings. */
  readonly groups: readonly string[];
  /** `prefixes`: set of up to 3 strings. */
  readonly prefixes: readonly string[];
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table QoS (root). */
export interface QoS {
  readonly _uuid: Uuid<"QoS">;
  /** `type`: string. */
  readonly type: string;
  /** `queues`: map of (integer, uuid) pairs; integer in [0, 4294967295]; strong reference to Queue. */
  readonly queues: ReadonlyMap<number, Uuid<"Queue">>;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Queue (root). */
export interface Queue {
  readonly _uuid: Uuid<"Queue">;
  /** `dscp`: set of up to 1 integers; integer in [0, 63]. */
  readonly dscp: number | undefined;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Mirror. */
export interface Mirror {
  readonly _uuid: Uuid<"Mirror">;
  /** `name`: string. */
  readonly name: string;
  /** `select_all`: boolean. */
  readonly selectAll: boolean;
  /** `select_src_port`: set of uuids; weak reference to Port. */
  readonly selectSrcPort: readonly Uuid<"Port">[];
  /** `select_dst_port`: set of uuids; weak reference to Port. */
  readonly selectDstPort: readonly Uuid<"Port">[];
  /** `select_vlan`: set of up to 4096 integers; integer in [0, 4095]. */
  readonly selectVlan: readonly number[];
  /** `output_port`: set of up to 1 uuids; weak reference to Port. */
  readonly outputPort: Uuid<"Port"> | undefined;
  /** `output_vlan`: set of up to 1 integers; integer in [1, 4095]. */
  readonly outputVlan: number | undefined;
  /** `snaplen`: set of up to 1 integers; integer in [14, 65535]. */
  readonly snaplen: number | undefined;
  /** `statistics`: map of (string, integer) pairs; ephemeral. */
  readonly statistics: ReadonlyMap<string, number>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table NetFlow. */
export interface NetFlow {
  readonly _uuid: Uuid<"NetFlow">;
  /** `targets`: set of 1 or more strings. */
  readonly targets: readonly string[];
  /** `engine_type`: set of up to 1 integers; integer in [0, 255]. */
  readonly engineType: number | undefined;
  /** `engine_id`: set of up to 1 integers; integer in [0, 255]. */
  readonly engineId: number | undefined;
  /** `add_id_to_interface`: boolean. */
  readonly addIdToInterface: boolean;
  /** `active_timeout`: integer; integer in [-1, inf]. */
  readonly activeTimeout: number;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table sFlow. */
export interface SFlow {
  readonly _uuid: Uuid<"sFlow">;
  /** `targets`: set of 1 or more strings. */
  readonly targets: readonly string[];
  /** `sampling`: set of up to 1 integers. */
  readonly sampling: number | undefined;
  /** `polling`: set of up to 1 integers. */
  readonly polling: number | undefined;
  /** `header`: set of up to 1 integers. */
  readonly header: number | undefined;
  /** `agent`: set of up to 1 strings. */
  readonly agent: string | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table IPFIX. */
export interface Ipfix {
  readonly _uuid: Uuid<"IPFIX">;
  /** `targets`: set of strings. */
  readonly targets: readonly string[];
  /** `sampling`: set of up to 1 integers; integer in [1, 4294967295]. */
  readonly sampling: number | undefined;
  /** `obs_domain_id`: set of up to 1 integers; integer in [0, 4294967295]. */
  readonly obsDomainId: number | undefined;
  /** `obs_point_id`: set of up to 1 integers; integer in [0, 4294967295]. */
  readonly obsPointId: number | undefined;
  /** `cache_active_timeout`: set of up to 1 integers; integer in [0, 4200]. */
  readonly cacheActiveTimeout: number | undefined;
  /** `cache_max_flows`: set of up to 1 integers; integer in [0, 4294967295]. */
  readonly cacheMaxFlows: number | undefined;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Flow_Sample_Collector_Set (root). */
export interface FlowSampleCollectorSet {
  readonly _uuid: Uuid<"Flow_Sample_Collector_Set">;
  /** `id`: integer; integer in [0, 4294967295]. */
  readonly id: number;
  /** `bridge`: uuid; strong reference to Bridge. */
  readonly bridge: Uuid<"Bridge">;
  /** `ipfix`: set of up to 1 uuids; strong reference to IPFIX. */
  readonly ipfix: Uuid<"IPFIX"> | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table Controller. */
export interface Controller {
  readonly _uuid: Uuid<"Controller">;
  /** `type`: set of up to 1 strings. */
  readonly type: "primary" | "service" | undefined;
  /** `target`: string. */
  readonly target: string;
  /** `max_backoff`: set of up to 1 integers; integer in [1000, inf]. */
  readonly maxBackoff: number | undefined;
  /** `inactivity_probe`: set of up to 1 integers. */
  readonly inactivityProbe: number | undefined;
  /** `connection_mode`: set of up to 1 strings. */
  readonly connectionMode: "in-band" | "out-of-band" | undefined;
  /** `local_ip`: set of up to 1 strings. */
  readonly localIp: string | undefined;
  /** `local_netmask`: set of up to 1 strings. */
  readonly localNetmask: string | undefined;
  /** `local_gateway`: set of up to 1 strings. */
  readonly localGateway: string | undefined;
  /** `enable_async_messages`: set of up to 1 booleans. */
  readonly enableAsyncMessages: boolean | undefined;
  /** `controller_queue_size`: set of up to 1 integers; integer in [1, 512]. */
  readonly controllerQueueSize: number | undefined;
  /** `controller_rate_limit`: set of up to 1 integers; integer in [100, inf]. */
  readonly controllerRateLimit: number | undefined;
  /** `controller_burst_limit`: set of up to 1 integers; integer in [25, inf]. */
  readonly controllerBurstLimit: number | undefined;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `is_connected`: boolean; ephemeral. */
  readonly isConnected: boolean;
  /** `role`: set of up to 1 strings; ephemeral. */
  readonly role: "master" | "other" | "slave" | undefined;
  /** `status`: map of (string, string) pairs; ephemeral. */
  readonly status: ReadonlyMap<string, string>;
}

/** Table Manager. */
export interface Manager {
  readonly _uuid: Uuid<"Manager">;
  /** `target`: string. */
  readonly target: string;
  /** `max_backoff`: set of up to 1 integers; integer in [1000, inf]. */
  readonly maxBackoff: number | undefined;
  /** `inactivity_probe`: set of up to 1 integers. */
  readonly inactivityProbe: number | undefined;
  /** `connection_mode`: set of up to 1 strings. */
  readonly connectionMode: "in-band" | "out-of-band" | undefined;
  /** `other_config`: map of (string, string) pairs. */
  readonly otherConfig: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
  /** `is_connected`: boolean; ephemeral. */
  readonly isConnected: boolean;
  /** `status`: map of (string, string) pairs; ephemeral. */
  readonly status: ReadonlyMap<string, string>;
}

/** Table Datapath. */
export interface Datapath {
  readonly _uuid: Uuid<"Datapath">;
  /** `datapath_version`: string. */
  readonly datapathVersion: string;
  /** `ct_zones`: map of (integer, uuid) pairs; integer in [0, 65535]; strong reference to CT_Zone. */
  readonly ctZones: ReadonlyMap<number, Uuid<"CT_Zone">>;
  /** `capabilities`: map of (string, string) pairs. */
  readonly capabilities: ReadonlyMap<string, string>;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table CT_Zone. */
export interface CtZone {
  readonly _uuid: Uuid<"CT_Zone">;
  /** `timeout_policy`: set of up to 1 uuids; strong reference to CT_Timeout_Policy. */
  readonly timeoutPolicy: Uuid<"CT_Timeout_Policy"> | undefined;
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table CT_Timeout_Policy. */
export interface CtTimeoutPolicy {
  readonly _uuid: Uuid<"CT_Timeout_Policy">;
  /** `timeouts`: map of (string, integer) pairs; integer in [0, 4294967295]. */
  readonly timeouts: ReadonlyMap<"icmp_first" | "icmp_reply" | "tcp_close" | "tcp_close_wait" | "tcp_established" | "tcp_fin_wait" | "tcp_last_ack" | "tcp_retransmit" | "tcp_syn_recv" | "tcp_syn_sent" | "tcp_syn_sent2" | "tcp_time_wait" | "tcp_unack" | "udp_first" | "udp_multiple" | "udp_single", number>;
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
  /** `external_ids`: map of (string, string) pairs. */
  readonly externalIds: ReadonlyMap<string, string>;
}

/** Table AutoAttach. */
export interface AutoAttach {
  readonly _uuid: Uuid<"AutoAttach">;
  /** `system_name`: string. */
  readonly systemName: string;
  /** `system_description`: string. */
  readonly systemDescription: string;
  /** `mappings`: map of (integer, integer) pairs; integer in [0, 16777215]; integer in [0, 4095]. */
  readonly mappings: ReadonlyMap<number, number>;
}

/** Every table of Open_vSwitch: its typed row by table name. */
export type VswitchTables = {
  readonly Open_vSwitch: OpenVSwitch;
  readonly Bridge: Bridge;
  readonly Port: Port;
  readonly Interface: Interface;
  readonly Flow_Table: FlowTable;
  readonly QoS: QoS;
  readonly Queue: Queue;
  readonly Mirror: Mirror;
  readonly NetFlow: NetFlow;
  readonly sFlow: SFlow;
  readonly IPFIX: Ipfix;
  readonly Flow_Sample_Collector_Set: FlowSampleCollectorSet;
  readonly Controller: Controller;
  readonly Manager: Manager;
  readonly Datapath: Datapath;
  readonly CT_Zone: CtZone;
  readonly CT_Timeout_Policy: CtTimeoutPolicy;
  readonly SSL: Ssl;
  readonly AutoAttach: AutoAttach;
};

/** The Open_vSwitch model: how the IDL converts each column. */
export const vswitchModel: DbModel<VswitchTables> = defineModel<VswitchTables>({
  name: "Open_vSwitch",
  version: "8.3.1",
  cksum: "3012963480 26720",
  tables: {
    Open_vSwitch: {
      isRoot: true,
      columns: [
        ["datapaths", "datapaths", {"key":{"type":"string"},"value":{"type":"uuid","refTable":"Datapath"},"min":0,"max":"unlimited"}],
        ["bridges", "bridges", {"key":{"type":"uuid","refTable":"Bridge"},"min":0,"max":"unlimited"}],
        ["managerOptions", "manager_options", {"key":{"type":"uuid","refTable":"Manager"},"min":0,"max":"unlimited"}],
        ["ssl", "ssl", {"key":{"type":"uuid","refTable":"SSL"},"min":0,"max":1}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["nextCfg", "next_cfg", "integer"],
        ["curCfg", "cur_cfg", "integer"],
        ["statistics", "statistics", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["ovsVersion", "ovs_version", {"key":{"type":"string"},"min":0,"max":1}],
        ["dbVersion", "db_version", {"key":{"type":"string"},"min":0,"max":1}],
        ["systemType", "system_type", {"key":{"type":"string"},"min":0,"max":1}],
        ["systemVersion", "system_version", {"key":{"type":"string"},"min":0,"max":1}],
        ["datapathTypes", "datapath_types", {"key":{"type":"string"},"min":0,"max":"unlimited"}],
        ["ifaceTypes", "iface_types", {"key":{"type":"string"},"min":0,"max":"unlimited"}],
        ["dpdkInitialized", "dpdk_initialized", "boolean"],
        ["dpdkVersion", "dpdk_version", {"key":{"type":"string"},"min":0,"max":1}],
      ],
    },
    Bridge: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["datapathType", "datapath_type", "string"],
        ["datapathVersion", "datapath_version", "string"],
        ["datapathId", "datapath_id", {"key":"string","min":0,"max":1}],
        ["stpEnable", "stp_enable", "boolean"],
        ["rstpEnable", "rstp_enable", "boolean"],
        ["mcastSnoopingEnable", "mcast_snooping_enable", "boolean"],
        ["ports", "ports", {"key":{"type":"uuid","refTable":"Port"},"min":0,"max":"unlimited"}],
        ["mirrors", "mirrors", {"key":{"type":"uuid","refTable":"Mirror"},"min":0,"max":"unlimited"}],
        ["netflow", "netflow", {"key":{"type":"uuid","refTable":"NetFlow"},"min":0,"max":1}],
        ["sflow", "sflow", {"key":{"type":"uuid","refTable":"sFlow"},"min":0,"max":1}],
        ["ipfix", "ipfix", {"key":{"type":"uuid","refTable":"IPFIX"},"min":0,"max":1}],
        ["controller", "controller", {"key":{"type":"uuid","refTable":"Controller"},"min":0,"max":"unlimited"}],
        ["protocols", "protocols", {"key":{"type":"string","enum":["set",["OpenFlow10","OpenFlow11","OpenFlow12","OpenFlow13","OpenFlow14","OpenFlow15"]]},"min":0,"max":"unlimited"}],
        ["failMode", "fail_mode", {"key":{"type":"string","enum":["set",["standalone","secure"]]},"min":0,"max":1}],
        ["status", "status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["rstpStatus", "rstp_status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["floodVlans", "flood_vlans", {"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":4096}],
        ["flowTables", "flow_tables", {"key":{"type":"integer","minInteger":0,"maxInteger":254},"value":{"type":"uuid","refTable":"Flow_Table"},"min":0,"max":"unlimited"}],
        ["autoAttach", "auto_attach", {"key":{"type":"uuid","refTable":"AutoAttach"},"min":0,"max":1}],
      ],
    },
    Port: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["interfaces", "interfaces", {"key":{"type":"uuid","refTable":"Interface"},"min":1,"max":"unlimited"}],
        ["trunks", "trunks", {"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":4096}],
        ["cvlans", "cvlans", {"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":4096}],
        ["tag", "tag", {"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":1}],
        ["vlanMode", "vlan_mode", {"key":{"type":"string","enum":["set",["trunk","access","native-tagged","native-untagged","dot1q-tunnel"]]},"min":0,"max":1}],
        ["qos", "qos", {"key":{"type":"uuid","refTable":"QoS"},"min":0,"max":1}],
        ["mac", "mac", {"key":{"type":"string"},"min":0,"max":1}],
        ["bondMode", "bond_mode", {"key":{"type":"string","enum":["set",["balance-tcp","balance-slb","active-backup"]]},"min":0,"max":1}],
        ["lacp", "lacp", {"key":{"type":"string","enum":["set",["active","passive","off"]]},"min":0,"max":1}],
        ["bondUpdelay", "bond_updelay", "integer"],
        ["bondDowndelay", "bond_downdelay", "integer"],
        ["bondActiveSlave", "bond_active_slave", {"key":{"type":"string"},"min":0,"max":1}],
        ["bondFakeIface", "bond_fake_iface", "boolean"],
        ["fakeBridge", "fake_bridge", "boolean"],
        ["status", "status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["rstpStatus", "rstp_status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["rstpStatistics", "rstp_statistics", {"key":"string","value":"integer","min":0,"max":"unlimited"}],
        ["statistics", "statistics", {"key":"string","value":"integer","min":0,"max":"unlimited"}],
        ["protected", "protected", "boolean"],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Interface: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["type", "type", "string"],
        ["options", "options", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["ingressPolicingRate", "ingress_policing_rate", {"key":{"type":"integer","minInteger":0}}],
        ["ingressPolicingBurst", "ingress_policing_burst", {"key":{"type":"integer","minInteger":0}}],
        ["ingressPolicingKpktsRate", "ingress_policing_kpkts_rate", {"key":{"type":"integer","minInteger":0}}],
        ["ingressPolicingKpktsBurst", "ingress_policing_kpkts_burst", {"key":{"type":"integer","minInteger":0}}],
        ["macInUse", "mac_in_use", {"key":{"type":"string"},"min":0,"max":1}],
        ["mac", "mac", {"key":{"type":"string"},"min":0,"max":1}],
        ["ifindex", "ifindex", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295},"min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["ofport", "ofport", {"key":"integer","min":0,"max":1}],
        ["ofportRequest", "ofport_request", {"key":{"type":"integer","minInteger":1,"maxInteger":65279},"min":0,"max":1}],
        ["bfd", "bfd", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["bfdStatus", "bfd_status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["cfmMpid", "cfm_mpid", {"key":{"type":"integer"},"min":0,"max":1}],
        ["cfmRemoteMpids", "cfm_remote_mpids", {"key":{"type":"integer"},"min":0,"max":"unlimited"}],
        ["cfmFlapCount", "cfm_flap_count", {"key":{"type":"integer"},"min":0,"max":1}],
        ["cfmFault", "cfm_fault", {"key":{"type":"boolean"},"min":0,"max":1}],
        ["cfmFaultStatus", "cfm_fault_status", {"key":"string","min":0,"max":"unlimited"}],
        ["cfmRemoteOpstate", "cfm_remote_opstate", {"key":{"type":"string","enum":["set",["up","down"]]},"min":0,"max":1}],
        ["cfmHealth", "cfm_health", {"key":{"type":"integer","minInteger":0,"maxInteger":100},"min":0,"max":1}],
        ["lacpCurrent", "lacp_current", {"key":{"type":"boolean"},"min":0,"max":1}],
        ["lldp", "lldp", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["statistics", "statistics", {"key":"string","value":"integer","min":0,"max":"unlimited"}],
        ["status", "status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["adminState", "admin_state", {"key":{"type":"string","enum":["set",["up","down"]]},"min":0,"max":1}],
        ["linkState", "link_state", {"key":{"type":"string","enum":["set",["up","down"]]},"min":0,"max":1}],
        ["linkResets", "link_resets", {"key":{"type":"integer"},"min":0,"max":1}],
        ["linkSpeed", "link_speed", {"key":"integer","min":0,"max":1}],
        ["duplex", "duplex", {"key":{"type":"string","enum":["set",["half","full"]]},"min":0,"max":1}],
        ["mtu", "mtu", {"key":"integer","min":0,"max":1}],
        ["mtuRequest", "mtu_request", {"key":{"type":"integer","minInteger":1},"min":0,"max":1}],
        ["error", "error", {"key":"string","min":0,"max":1}],
      ],
    },
    Flow_Table: {
      isRoot: false,
      columns: [
        ["name", "name", {"key":"string","min":0,"max":1}],
        ["flowLimit", "flow_limit", {"key":{"type":"integer","minInteger":0},"min":0,"max":1}],
        ["overflowPolicy", "overflow_policy", {"key":{"type":"string","enum":["set",["refuse","evict"]]},"min":0,"max":1}],
        ["groups", "groups", {"key":"string","min":0,"max":"unlimited"}],
        ["prefixes", "prefixes", {"key":"string","min":0,"max":3}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    QoS: {
      isRoot: true,
      columns: [
        ["type", "type", "string"],
        ["queues", "queues", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295},"value":{"type":"uuid","refTable":"Queue"},"min":0,"max":"unlimited"}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Queue: {
      isRoot: true,
      columns: [
        ["dscp", "dscp", {"key":{"type":"integer","minInteger":0,"maxInteger":63},"min":0,"max":1}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Mirror: {
      isRoot: false,
      columns: [
        ["name", "name", "string"],
        ["selectAll", "select_all", "boolean"],
        ["selectSrcPort", "select_src_port", {"key":{"type":"uuid","refTable":"Port","refType":"weak"},"min":0,"max":"unlimited"}],
        ["selectDstPort", "select_dst_port", {"key":{"type":"uuid","refTable":"Port","refType":"weak"},"min":0,"max":"unlimited"}],
        ["selectVlan", "select_vlan", {"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":4096}],
        ["outputPort", "output_port", {"key":{"type":"uuid","refTable":"Port","refType":"weak"},"min":0,"max":1}],
        ["outputVlan", "output_vlan", {"key":{"type":"integer","minInteger":1,"maxInteger":4095},"min":0,"max":1}],
        ["snaplen", "snaplen", {"key":{"type":"integer","minInteger":14,"maxInteger":65535},"min":0,"max":1}],
        ["statistics", "statistics", {"key":"string","value":"integer","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    NetFlow: {
      isRoot: false,
      columns: [
        ["targets", "targets", {"key":{"type":"string"},"min":1,"max":"unlimited"}],
        ["engineType", "engine_type", {"key":{"type":"integer","minInteger":0,"maxInteger":255},"min":0,"max":1}],
        ["engineId", "engine_id", {"key":{"type":"integer","minInteger":0,"maxInteger":255},"min":0,"max":1}],
        ["addIdToInterface", "add_id_to_interface", "boolean"],
        ["activeTimeout", "active_timeout", {"key":{"type":"integer","minInteger":-1}}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    sFlow: {
      isRoot: false,
      columns: [
        ["targets", "targets", {"key":"string","min":1,"max":"unlimited"}],
        ["sampling", "sampling", {"key":"integer","min":0,"max":1}],
        ["polling", "polling", {"key":"integer","min":0,"max":1}],
        ["header", "header", {"key":"integer","min":0,"max":1}],
        ["agent", "agent", {"key":"string","min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    IPFIX: {
      isRoot: false,
      columns: [
        ["targets", "targets", {"key":"string","min":0,"max":"unlimited"}],
        ["sampling", "sampling", {"key":{"type":"integer","minInteger":1,"maxInteger":4294967295},"min":0,"max":1}],
        ["obsDomainId", "obs_domain_id", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295},"min":0,"max":1}],
        ["obsPointId", "obs_point_id", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295},"min":0,"max":1}],
        ["cacheActiveTimeout", "cache_active_timeout", {"key":{"type":"integer","minInteger":0,"maxInteger":4200},"min":0,"max":1}],
        ["cacheMaxFlows", "cache_max_flows", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295},"min":0,"max":1}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Flow_Sample_Collector_Set: {
      isRoot: true,
      columns: [
        ["id", "id", {"key":{"type":"integer","minInteger":0,"maxInteger":4294967295},"min":1,"max":1}],
        ["bridge", "bridge", {"key":{"type":"uuid","refTable":"Bridge"},"min":1,"max":1}],
        ["ipfix", "ipfix", {"key":{"type":"uuid","refTable":"IPFIX"},"min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Controller: {
      isRoot: false,
      columns: [
        ["type", "type", {"key":{"type":"string","enum":["set",["primary","service"]]},"min":0,"max":1}],
        ["target", "target", "string"],
        ["maxBackoff", "max_backoff", {"key":{"type":"integer","minInteger":1000},"min":0,"max":1}],
        ["inactivityProbe", "inactivity_probe", {"key":"integer","min":0,"max":1}],
        ["connectionMode", "connection_mode", {"key":{"type":"string","enum":["set",["in-band","out-of-band"]]},"min":0,"max":1}],
        ["localIp", "local_ip", {"key":{"type":"string"},"min":0,"max":1}],
        ["localNetmask", "local_netmask", {"key":{"type":"string"},"min":0,"max":1}],
        ["localGateway", "local_gateway", {"key":{"type":"string"},"min":0,"max":1}],
        ["enableAsyncMessages", "enable_async_messages", {"key":{"type":"boolean"},"min":0,"max":1}],
        ["controllerQueueSize", "controller_queue_size", {"key":{"type":"integer","minInteger":1,"maxInteger":512},"min":0,"max":1}],
        ["controllerRateLimit", "controller_rate_limit", {"key":{"type":"integer","minInteger":100},"min":0,"max":1}],
        ["controllerBurstLimit", "controller_burst_limit", {"key":{"type":"integer","minInteger":25},"min":0,"max":1}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["isConnected", "is_connected", "boolean"],
        ["role", "role", {"key":{"type":"string","enum":["set",["other","master","slave"]]},"min":0,"max":1}],
        ["status", "status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Manager: {
      isRoot: false,
      columns: [
        ["target", "target", "string"],
        ["maxBackoff", "max_backoff", {"key":{"type":"integer","minInteger":1000},"min":0,"max":1}],
        ["inactivityProbe", "inactivity_probe", {"key":"integer","min":0,"max":1}],
        ["connectionMode", "connection_mode", {"key":{"type":"string","enum":["set",["in-band","out-of-band"]]},"min":0,"max":1}],
        ["otherConfig", "other_config", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["isConnected", "is_connected", "boolean"],
        ["status", "status", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    Datapath: {
      isRoot: false,
      columns: [
        ["datapathVersion", "datapath_version", "string"],
        ["ctZones", "ct_zones", {"key":{"type":"integer","minInteger":0,"maxInteger":65535},"value":{"type":"uuid","refTable":"CT_Zone"},"min":0,"max":"unlimited"}],
        ["capabilities", "capabilities", {"key":"string","value":"string","min":0,"max":"unlimited"}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    CT_Zone: {
      isRoot: false,
      columns: [
        ["timeoutPolicy", "timeout_policy", {"key":{"type":"uuid","refTable":"CT_Timeout_Policy"},"min":0,"max":1}],
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    CT_Timeout_Policy: {
      isRoot: false,
      columns: [
        ["timeouts", "timeouts", {"key":{"type":"string","enum":["set",["tcp_syn_sent","tcp_syn_recv","tcp_established","tcp_fin_wait","tcp_close_wait","tcp_last_ack","tcp_time_wait","tcp_close","tcp_syn_sent2","tcp_retransmit","tcp_unack","udp_first","udp_single","udp_multiple","icmp_first","icmp_reply"]]},"value":{"type":"integer","minInteger":0,"maxInteger":4294967295},"min":0,"max":"unlimited"}],
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
        ["externalIds", "external_ids", {"key":"string","value":"string","min":0,"max":"unlimited"}],
      ],
    },
    AutoAttach: {
      isRoot: false,
      columns: [
        ["systemName", "system_name", "string"],
        ["systemDescription", "system_description", "string"],
        ["mappings", "mappings", {"key":{"type":"integer","minInteger":0,"maxInteger":16777215},"value":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":"unlimited"}],
      ],
    },
  },
});
