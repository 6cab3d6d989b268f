// SB DHCP_Options and DHCPv6_Options: the option catalogues ovn-controller parses put_dhcp_opts
// against. A fixed list (the one C northd 23.03 writes; shared with src/actions).
import { DEFAULT_DHCPV4_OPTIONS, DEFAULT_DHCPV6_OPTIONS } from "../../actions/dhcp-options.js";
import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import type { NorthdModel } from "../model.js";
import { syncTable } from "./rows.js";

export function syncDhcpCatalogues(txn: Txn<OvnSbTables>, model: NorthdModel): void {
  const v4 = new Map<string, RowInput<OvnSbTables["DHCP_Options"]>>();
  for (const d of DEFAULT_DHCPV4_OPTIONS.values())
    v4.set(d.name, { name: d.name, code: d.code, type: d.type as never });
  syncTable(txn, model.sb, "DHCP_Options", (r) => r.name, v4);
  const v6 = new Map<string, RowInput<OvnSbTables["DHCPv6_Options"]>>();
  for (const d of DEFAULT_DHCPV6_OPTIONS.values())
    v6.set(d.name, { name: d.name, code: d.code, type: d.type as never });
  syncTable(txn, model.sb, "DHCPv6_Options", (r) => r.name, v6);
}
