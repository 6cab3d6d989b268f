// Periodic IPv6 router advertisements: which router ports send them, read from the options northd
// copies into their Port_Binding (ipv6_ra_send_periodic, ipv6_ra_address_mode, ipv6_ra_prefixes,
// ipv6_ra_src_eth, ipv6_ra_src_addr, ipv6_ra_mtu, ipv6_ra_rdnss, ipv6_ra_dnssl, ipv6_ra_route_info,
// ipv6_ra_prf, ipv6_ra_min/max_interval; observed with ovn-northd 23.03).  Only router ports of datapaths this
// chassis has flows for, so each chassis advertises to its own VMs.  Pure.

import type { SbView } from "../lflow/sb.js";
import type { RaAddressMode, RaConfig } from "../pinctrl/ra.js";

const MODES = new Set<string>(["slaac", "dhcpv6_stateful", "dhcpv6_stateless"]);

/** ipv6_ra_max_interval's default (RFC 4861 §6.2.1: 600 s) and min = max / 3 when absent. */
const DEFAULT_MAX_INTERVAL = 600;

function list(s: string | undefined): string[] {
  return (s ?? "").split(/[\s,]+/).filter((x) => x !== "");
}

function prefix(p: string): { prefix: string; length: number } | undefined {
  const [addr, len] = p.split("/");
  const n = Number(len);
  return addr !== undefined && addr !== "" && Number.isInteger(n) && n >= 0 && n <= 128
    ? { prefix: addr, length: n }
    : undefined;
}

export function raConfigs(view: SbView, localDatapaths: ReadonlySet<string>): RaConfig[] {
  const dpKey = new Map(view.datapaths.filter((d) => d.isRouter).map((d) => [d.uuid, d.tunnelKey]));
  const out: RaConfig[] = [];
  for (const p of view.ports) {
    const o = p.options;
    if (o.ipv6_ra_send_periodic !== "true" || !localDatapaths.has(p.datapath)) continue;
    const datapath = dpKey.get(p.datapath);
    const mode = o.ipv6_ra_address_mode ?? "slaac";
    const srcMac = o.ipv6_ra_src_eth;
    const srcIp = o.ipv6_ra_src_addr;
    if (datapath === undefined || !MODES.has(mode) || srcMac === undefined || srcIp === undefined) continue;
    const maxInterval = Number(o.ipv6_ra_max_interval ?? DEFAULT_MAX_INTERVAL) || DEFAULT_MAX_INTERVAL;
    const minInterval = Number(o.ipv6_ra_min_interval ?? maxInterval / 3) || maxInterval / 3;
    const mtu = o.ipv6_ra_mtu !== undefined ? Number(o.ipv6_ra_mtu) : undefined;
    out.push({
      datapath,
      port: p.tunnelKey,
      srcMac,
      srcIp,
      addressMode: mode as RaAddressMode,
      prefixes: list(o.ipv6_ra_prefixes).flatMap((x) => prefix(x) ?? []),
      ...(mtu !== undefined && Number.isInteger(mtu) && mtu > 0 ? { mtu } : {}),
      ...(o.ipv6_ra_rdnss !== undefined ? { rdnss: list(o.ipv6_ra_rdnss) } : {}),
      ...(o.ipv6_ra_dnssl !== undefined ? { dnssl: list(o.ipv6_ra_dnssl) } : {}),
      ...(o.ipv6_ra_route_info !== undefined ? { routeInfo: o.ipv6_ra_route_info } : {}),
      ...(o.ipv6_ra_prf !== undefined ? { preference: o.ipv6_ra_prf } : {}),
      minInterval,
      maxInterval,
    });
  }
  return out;
}
