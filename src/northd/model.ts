// The derived model that the logical-flow stage builders read: NB rows joined into datapaths and ports,
// with tunnel keys, parsed addresses and the cross references (peer ports, port groups, load balancers)
// resolved once. Built by ./model-build.ts from the NB and SB replicas; immutable once built.
//
// Contract: builders only read this; fields are only ever added, never renamed or removed.

import type * as nb from "../ovsdb/idl/generated/ovn-nb.js";
import type * as sb from "../ovsdb/idl/generated/ovn-sb.js";
import type { Uuid } from "../ovsdb/idl/model.js";
import type { LportAddresses } from "./addr.js";
import type { ChassisFeatures } from "./features.js";

/** Read access to a replica's rows (an Idl satisfies it). */
export interface RowSource<T extends { readonly [table: string]: { readonly _uuid: string } }> {
  get<K extends keyof T & string>(table: K, uuid: string): T[K] | undefined;
  rows<K extends keyof T & string>(table: K): readonly T[K][];
}

export type NbRows = RowSource<nb.OvnNbTables>;
export type SbRows = RowSource<sb.OvnSbTables>;

// ---- datapaths ----------------------------------------------------------------------------------------

/** An ACL that applies to a switch, directly or through a port group with ports on it. */
export interface SwitchAcl {
  readonly acl: nb.Acl;
  /** The port group it came from; undefined for an ACL in Logical_Switch.acls. */
  readonly portGroup: PortGroup | undefined;
}

export interface SwitchDatapath {
  readonly kind: "switch";
  readonly nb: nb.LogicalSwitch;
  /** NB row uuid (SB Datapath_Binding external_ids:logical-switch). */
  readonly uuid: string;
  /** NB name (SB external_ids:name). */
  readonly name: string;
  /** Datapath_Binding tunnel_key. */
  readonly key: number;
  /** All ports, in NB order. */
  readonly ports: readonly SwitchPort[];
  /** Ports of type "router" (with or without a resolved peer). */
  readonly routerPorts: readonly SwitchPort[];
  /** Ports of type "localnet". */
  readonly localnetPorts: readonly SwitchPort[];
  /** Ports of type "external". */
  readonly externalPorts: readonly SwitchPort[];
  /** Ports of type "vtep". */
  readonly vtepPorts: readonly SwitchPort[];
  /** Load balancers of Logical_Switch.load_balancer and of its load_balancer_group, without duplicates. */
  readonly loadBalancers: readonly LoadBalancer[];
  /** ACLs of the switch, then those of the port groups that have ports on it. */
  readonly acls: readonly SwitchAcl[];
  readonly qosRules: readonly nb.QoS[];
  readonly dnsRecords: readonly nb.Dns[];
  /** Port groups with at least one port on this switch. */
  readonly portGroups: readonly PortGroup[];
  /** Some ACL (direct or via a port group). */
  readonly hasAcls: boolean;
  /** Some ACL has action allow-related (or allow with conntrack semantics: see ovn-northd(8)). */
  readonly hasStatefulAcl: boolean;
  /** Some load balancer has a VIP. */
  readonly hasLbVip: boolean;
  /** Some port has "unknown" in its addresses. */
  readonly hasUnknown: boolean;
}

export interface RouterDatapath {
  readonly kind: "router";
  readonly nb: nb.LogicalRouter;
  readonly uuid: string;
  readonly name: string;
  readonly key: number;
  /** All ports, in NB order. */
  readonly ports: readonly RouterPort[];
  /** Distributed gateway ports (gateway_chassis or ha_chassis_group set, or options:redirect-chassis). */
  readonly l3dgwPorts: readonly RouterPort[];
  /** Gateway router: options:chassis is set. */
  readonly isGatewayRouter: boolean;
  /** options:chassis, when set. */
  readonly chassis: string | undefined;
  readonly nats: readonly nb.Nat[];
  /** Load balancers of Logical_Router.load_balancer and its load_balancer_group, without duplicates. */
  readonly loadBalancers: readonly LoadBalancer[];
  readonly staticRoutes: readonly nb.LogicalRouterStaticRoute[];
  readonly policies: readonly nb.LogicalRouterPolicy[];
  /** Logical_Router.enabled is not false. */
  readonly enabled: boolean;
}

export type Datapath = SwitchDatapath | RouterDatapath;

// ---- ports --------------------------------------------------------------------------------------------

export interface SwitchPort {
  readonly kind: "lsp";
  readonly nb: nb.LogicalSwitchPort;
  readonly name: string;
  /** Port_Binding tunnel_key. */
  readonly key: number;
  readonly dp: SwitchDatapath;
  /** Logical_Switch_Port.type ("" for a VIF). */
  readonly type: string;
  /** Logical_Switch_Port.enabled is not false. */
  readonly enabled: boolean;
  /** The static address entries and the parsed dynamic_addresses, in NB order. */
  readonly addresses: readonly LportAddresses[];
  /** "unknown" is one of the addresses. */
  readonly hasUnknown: boolean;
  /** "router" is one of the addresses (the peer router port's addresses apply). */
  readonly hasRouterAddr: boolean;
  /** Some address entry asks for dynamic allocation ("dynamic", "MAC dynamic", ...). */
  readonly hasDynamic: boolean;
  /** The dynamic_addresses northd assigns (./ipam.ts); written back to the NB when it differs. */
  readonly dynamicAddresses: string | undefined;
  /** The VLAN tag northd gives the port (./tags.ts): NB `tag` (written back) and SB Port_Binding.tag. */
  readonly tag: number | undefined;
  /** options:qdisc_queue_id of the SB binding (../qos-queue.ts), named by set_queue() actions. */
  readonly queueId: string | undefined;
  /** Parsed port_security entries ("MAC [IP[/LEN]]..."). */
  readonly portSecurity: readonly LportAddresses[];
  /** For type "router": the router port named by options:router-port, when it exists. */
  readonly peer: RouterPort | undefined;
  readonly dhcpv4Options: nb.DhcpOptions | undefined;
  readonly dhcpv6Options: nb.DhcpOptions | undefined;
}

export interface RouterPort {
  readonly kind: "lrp";
  readonly nb: nb.LogicalRouterPort;
  readonly name: string;
  readonly key: number;
  readonly dp: RouterDatapath;
  /** MAC and networks, the IPv6 link-local address from the MAC last. */
  readonly networks: LportAddresses;
  readonly enabled: boolean;
  /** The switch port of type router that names this port, or the router port named by `peer`. */
  readonly peer: SwitchPort | RouterPort | undefined;
  /** Distributed gateway port. */
  readonly isL3dgw: boolean;
  /** Its chassisredirect port, for a distributed gateway port. */
  readonly crPort: ChassisRedirectPort | undefined;
}

/** The "cr-PORT" chassisredirect port of a distributed gateway port. */
export interface ChassisRedirectPort {
  readonly kind: "cr";
  readonly name: string;
  readonly key: number;
  readonly dp: RouterDatapath;
  readonly primary: RouterPort;
}

export type LogicalPort = SwitchPort | RouterPort | ChassisRedirectPort;

// ---- shared objects -----------------------------------------------------------------------------------

export interface LbBackend {
  /** Printed address ("10.0.0.2", "fd00::2"). */
  readonly ip: string;
  readonly family: 4 | 6;
  /** A number, or the text of a template load balancer's port ("^port", "8080"). */
  readonly port: number | string | undefined;
  /** From Load_Balancer.ip_port_mappings: the logical port that has the backend, for health checks. */
  readonly monitorPort?: string;
  /** The source IP of the health-check probes (ip_port_mappings). */
  readonly monitorSrcIp?: string;
}

export interface LbVip {
  /** The key of Load_Balancer.vips as written in NB. */
  readonly key: string;
  /** The VIP address in printed form. */
  readonly ip: string;
  readonly family: 4 | 6;
  /** A number, or the text of a template load balancer's port ("^port", "8080"). */
  readonly port: number | string | undefined;
  /** The value of Load_Balancer.vips as written in NB. */
  readonly backendsText: string;
  readonly backends: readonly LbBackend[];
  /** The Load_Balancer_Health_Check row for this VIP, when there is one. */
  readonly healthCheck?: nb.LoadBalancerHealthCheck;
}

export interface LoadBalancer {
  readonly nb: nb.LoadBalancer;
  readonly uuid: string;
  readonly name: string;
  /** Load_Balancer.protocol, "tcp" when unset. */
  readonly protocol: "tcp" | "udp" | "sctp";
  /** The valid VIPs (invalid ones are skipped, as northd does). */
  readonly vips: readonly LbVip[];
}

export interface PortGroup {
  readonly nb: nb.PortGroup;
  readonly name: string;
  /** Member ports that exist on some switch. */
  readonly ports: readonly SwitchPort[];
  /** Member ports by switch. */
  readonly byDatapath: ReadonlyMap<SwitchDatapath, readonly SwitchPort[]>;
  readonly acls: readonly nb.Acl[];
}

// ---- the model ----------------------------------------------------------------------------------------

export interface NorthdModel {
  readonly nbGlobal: nb.NbGlobal | undefined;
  /** NB_Global options as northd uses them (mac_prefix and svc_monitor_mac filled in). */
  readonly options: ReadonlyMap<string, string>;
  /** "xx:xx:xx" prefix for dynamic MACs. */
  readonly macPrefix: string;
  /** Source MAC of service monitor probes. */
  readonly svcMonitorMac: string;
  readonly switches: readonly SwitchDatapath[];
  readonly routers: readonly RouterDatapath[];
  /** Datapaths by NB uuid. */
  readonly datapaths: ReadonlyMap<string, Datapath>;
  /** Every logical port by name (switch, router and chassisredirect ports). */
  readonly ports: ReadonlyMap<string, LogicalPort>;
  readonly portGroups: ReadonlyMap<string, PortGroup>;
  readonly addressSets: ReadonlyMap<string, nb.AddressSet>;
  readonly meters: ReadonlyMap<string, nb.Meter>;
  /** Load balancers by NB uuid. */
  readonly loadBalancers: ReadonlyMap<string, LoadBalancer>;
  /** SB Chassis by name (gateway scheduling). */
  readonly chassis: ReadonlyMap<string, sb.Chassis>;
  /** Some chassis has a VXLAN Encap: 12-bit datapath keys, options:max_tunid 4095. */
  readonly vxlanMode: boolean;
  /** What all local chassis support (./features.ts): flows fall back for older controllers. */
  readonly features: ChassisFeatures;
  /** The NB replica, for rows the model does not join (DHCP_Options, Copp, HA_Chassis_Group ...). */
  readonly nb: NbRows;
  /** The SB replica (read only). */
  readonly sb: SbRows;
}

/** Brands a plain uuid string for a lookup through model.nb / model.sb. */
export function rowId<T extends string>(s: string): Uuid<T> {
  return s as Uuid<T>;
}
