// Port_Binding options of a router port attached to a switch that ovn-controller's IPv6 code reads
// (ovn-sb(5) Port_Binding options ipv6_prefix_delegation, ipv6_prefix and ipv6_ra_*): prefix delegation
// requests and, with ipv6_ra_configs:send_periodic=true, everything pinctrl needs to send periodic
// router advertisements — intervals clamped the way ovn-northd 23.03 clamps them.
import type { RouterPort } from "../model.js";

const MAX_INTERVAL_DEFAULT = 600;
const MAX_INTERVAL_MAX = 1800;
const MAX_INTERVAL_MIN = 4;
const MIN_INTERVAL_MIN = 3;
const ADDRESS_MODES = new Set(["slaac", "dhcpv6_stateful", "dhcpv6_stateless"]);

/** An integer option the way smap_get_int reads it (leading integer, else the default). */
function intOpt(m: ReadonlyMap<string, string>, key: string, dflt: number): number {
  const v = m.get(key);
  if (v === undefined) return dflt;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? dflt : n;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

function isLinkLocal(addr: bigint): boolean {
  return addr >> 118n === 0x3fan;
}

/** The options to add to the router port's binding (none when it has no IPv6 or no switch peer). */
export function ipv6PortOptions(p: RouterPort): Map<string, string> {
  const out = new Map<string, string>();
  if (p.nb.peer !== undefined || p.peer === undefined || p.networks.ipv6.length === 0) return out;
  const enabled = p.nb.enabled !== false;
  if (enabled && p.nb.options.get("prefix_delegation") === "true") out.set("ipv6_prefix_delegation", "true");
  if (enabled && p.nb.options.get("prefix") === "true") out.set("ipv6_prefix", "true");
  const ra = p.nb.ipv6RaConfigs;
  const mode = ra.get("address_mode");
  if (mode === undefined || !ADDRESS_MODES.has(mode) || ra.get("send_periodic") !== "true") return out;
  out.set("ipv6_ra_send_periodic", "true");
  out.set("ipv6_ra_address_mode", mode);
  const max = clamp(intOpt(ra, "max_interval", MAX_INTERVAL_DEFAULT), MAX_INTERVAL_MIN, MAX_INTERVAL_MAX);
  out.set("ipv6_ra_max_interval", String(max));
  const minDefault = max >= 9 ? Math.trunc(max / 3) : Math.trunc((max * 3) / 4);
  const min = Math.max(
    Math.min(intOpt(ra, "min_interval", minDefault), Math.trunc((max * 3) / 4)),
    MIN_INTERVAL_MIN,
  );
  out.set("ipv6_ra_min_interval", String(min));
  const mtu = intOpt(ra, "mtu", 0);
  if (mtu >= 1280) out.set("ipv6_ra_mtu", String(mtu));
  const prefixes: string[] = [];
  for (const n of p.networks.ipv6) {
    if (isLinkLocal(n.network)) {
      if (!out.has("ipv6_ra_src_addr")) out.set("ipv6_ra_src_addr", n.addrS);
    } else prefixes.push(`${n.networkS}/${n.plen}`);
  }
  out.set("ipv6_ra_prefixes", prefixes.join(" "));
  const rdnss = ra.get("rdnss");
  if (rdnss !== undefined) out.set("ipv6_ra_rdnss", rdnss);
  const dnssl = ra.get("dnssl");
  if (dnssl !== undefined) out.set("ipv6_ra_dnssl", dnssl);
  out.set("ipv6_ra_src_eth", p.networks.macS);
  const prf = ra.get("router_preference");
  out.set("ipv6_ra_prf", prf === "HIGH" || prf === "LOW" ? prf : "MEDIUM");
  const routeInfo = ra.get("route_info");
  if (routeInfo !== undefined) out.set("ipv6_ra_route_info", routeInfo);
  return out;
}
