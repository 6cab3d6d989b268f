// Which Service_Monitor rows this chassis runs, and with what: a row is local when its logical_port is
// bound here (the view's Port_Binding.chassis, claims of the current pass included); the backend's
// MAC is that of the port's first address entry that lists the row's IP or lists no IP at all (as
// ovn-controller 23.03 picks it: a port whose entries all list other IPs is not probed).  IPv4 and
// IPv6 backends alike; addresses are kept in canonical text, the form replies are decoded to.  Options
// the row does not set take ovn-controller's defaults.  Rows of ports bound elsewhere, with an address
// that is no IP, or with no usable MAC, are left alone.  Pure.

import type { ServiceMonitor } from "../../ovsdb/idl/generated/ovn-sb.js";
import { formatIpv4, normalizeIpv6, parseIpv4 } from "../../packet/bytes.js";
import type { SbView } from "../lflow/sb.js";
import type { SvcMonitorSpec } from "../pinctrl/svc-monitor.js";

/** Seconds and counts used when the row's options leave them out. */
export const SVC_DEFAULTS = { interval: 5, timeout: 3, success_count: 1, failure_count: 1 } as const;

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Canonical text of an IPv4 or IPv6 address, or undefined when it is neither. */
export function canonicalIp(text: string): string | undefined {
  const t = text.trim();
  const v4 = parseIpv4(t);
  return v4 !== undefined ? formatIpv4(v4) : normalizeIpv6(t);
}

/**
 * The MAC of a Port_Binding.mac list ("MAC IP[/PLEN]…" entries) that goes with canonical `ip`: the
 * first entry that lists it or lists no IP.  Entries that are not "MAC …" ("unknown", "dynamic") are
 * skipped.
 */
export function backendMac(addresses: readonly string[], ip: string): string | undefined {
  for (const entry of addresses) {
    const [mac, ...ips] = entry.trim().split(/\s+/);
    if (mac === undefined || !MAC.test(mac)) continue;
    if (ips.length === 0 || ips.some((a) => canonicalIp(a.split("/")[0] ?? "") === ip))
      return mac.toLowerCase();
  }
  return undefined;
}

function positive(options: ReadonlyMap<string, string>, key: keyof typeof SVC_DEFAULTS): number {
  const raw = options.get(key);
  const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : SVC_DEFAULTS[key];
}

/** The monitors of `rows` whose backend port is bound to chassis `chassis` (a Chassis name). */
export function localServiceMonitors(
  view: SbView,
  rows: readonly ServiceMonitor[],
  chassis: string,
): SvcMonitorSpec[] {
  if (rows.length === 0) return [];
  const dpKey = new Map(view.datapaths.map((d) => [d.uuid, d.tunnelKey]));
  const local = new Map(view.ports.filter((p) => p.chassis === chassis).map((p) => [p.logicalPort, p]));
  const out: SvcMonitorSpec[] = [];
  for (const r of rows) {
    const p = local.get(r.logicalPort);
    if (p === undefined) continue;
    const datapath = dpKey.get(p.datapath);
    const ip = canonicalIp(r.ip);
    const srcIp = canonicalIp(r.srcIp);
    if (datapath === undefined || ip === undefined || srcIp === undefined) continue;
    // A probe cannot mix families: the real controller would parse src_ip as the backend's family and fail.
    if (ip.includes(":") !== srcIp.includes(":")) continue;
    const dstMac = backendMac(p.mac, ip);
    if (dstMac === undefined) continue;
    out.push({
      uuid: r._uuid,
      datapath,
      port: p.tunnelKey,
      protocol: r.protocol === "udp" ? "udp" : "tcp",
      ip,
      servicePort: r.port,
      srcMac: r.srcMac.toLowerCase(),
      srcIp,
      dstMac,
      intervalMs: positive(r.options, "interval") * 1000,
      timeoutMs: positive(r.options, "timeout") * 1000,
      successCount: positive(r.options, "success_count"),
      failureCount: positive(r.options, "failure_count"),
      status: r.status,
    });
  }
  return out;
}
