// The option catalogues behind put_dhcp_opts, put_dhcpv6_opts and put_nd_ra_opts.
//
// DHCPv4 and DHCPv6 options are data: ovn-northd 23.03 writes them into the Southbound DHCP_Options and
// DHCPv6_Options tables and ovn-controller parses actions against those rows.  The defaults below are
// exactly what the real ovn-northd 23.03 writes (read back with `ovn-sbctl list DHCP_Options`); a
// controller may pass the rows it reads instead.  The ND RA options are built into OVN.

/** How an option's value is typed, as in the `type` column of the DHCP_Options tables. */
export type DhcpOptionType =
  | "bool"
  | "uint8"
  | "uint16"
  | "uint32"
  | "ipv4"
  | "static_routes"
  | "str"
  | "host_id"
  | "domains"
  | "ipv6"
  | "mac";

export interface DhcpOptionDef {
  readonly name: string;
  readonly code: number;
  readonly type: DhcpOptionType;
}

/** What a value of the type must be written as: numbers, strings, or either. */
export function optionValueKind(type: DhcpOptionType): "numeric" | "string" | "any" {
  switch (type) {
    case "str":
    case "domains":
      return "string";
    case "host_id":
      return "any";
    default:
      return "numeric";
  }
}

const v4: [string, number, DhcpOptionType][] = [
  ["offerip", 0, "ipv4"],
  ["netmask", 1, "ipv4"],
  ["router", 3, "ipv4"],
  ["dns_server", 6, "ipv4"],
  ["log_server", 7, "ipv4"],
  ["lpr_server", 9, "ipv4"],
  ["hostname", 12, "str"],
  ["domain_name", 15, "str"],
  ["swap_server", 16, "ipv4"],
  ["ip_forward_enable", 19, "bool"],
  ["policy_filter", 21, "ipv4"],
  ["default_ttl", 23, "uint8"],
  ["mtu", 26, "uint16"],
  ["broadcast_address", 28, "ipv4"],
  ["router_discovery", 31, "bool"],
  ["router_solicitation", 32, "ipv4"],
  ["arp_cache_timeout", 35, "uint32"],
  ["ethernet_encap", 36, "bool"],
  ["tcp_ttl", 37, "uint8"],
  ["tcp_keepalive_interval", 38, "uint32"],
  ["nis_server", 41, "ipv4"],
  ["ntp_server", 42, "ipv4"],
  ["netbios_name_server", 44, "ipv4"],
  ["netbios_node_type", 46, "uint8"],
  ["lease_time", 51, "uint32"],
  ["server_id", 54, "ipv4"],
  ["T1", 58, "uint32"],
  ["T2", 59, "uint32"],
  ["tftp_server", 66, "host_id"],
  ["bootfile_name", 67, "str"],
  ["domain_search_list", 119, "domains"],
  ["classless_static_route", 121, "static_routes"],
  ["tftp_server_address", 150, "ipv4"],
  ["path_prefix", 210, "str"],
  ["ms_classless_static_route", 249, "static_routes"],
  ["wpad", 252, "str"],
  ["next_server", 253, "ipv4"],
  ["bootfile_name_alt", 254, "str"],
];

const v6: [string, number, DhcpOptionType][] = [
  ["server_id", 2, "mac"],
  ["ia_addr", 5, "ipv6"],
  ["dns_server", 23, "ipv6"],
  ["domain_search", 24, "str"],
];

/** IPv6 Router Advertisement options (RFC 4861 and OVN's extensions); codes are OVN-internal. */
const ndRa: [string, number, DhcpOptionType][] = [
  ["addr_mode", 0, "str"],
  ["slla", 1, "mac"],
  ["prefix", 3, "ipv6"],
  ["mtu", 5, "uint32"],
  ["rdnss", 25, "ipv6"],
  ["dnssl", 31, "str"],
  ["route_info", 24, "str"],
  ["router_preference", 253, "str"],
];

const toMap = (rows: [string, number, DhcpOptionType][]): ReadonlyMap<string, DhcpOptionDef> =>
  new Map(rows.map(([name, code, type]) => [name, { name, code, type }]));

export const DEFAULT_DHCPV4_OPTIONS: ReadonlyMap<string, DhcpOptionDef> = toMap(v4);
export const DEFAULT_DHCPV6_OPTIONS: ReadonlyMap<string, DhcpOptionDef> = toMap(v6);
export const ND_RA_OPTIONS: ReadonlyMap<string, DhcpOptionDef> = toMap(ndRa);
