// Which Service_Monitor rows this chassis runs, and with what: a row is local when its logical_port is
// bound here (the view's Port_Binding.chassis, claims of the current pass included); the backend's
// MAC is the port's address that lists the row's IP (else its first one).  Options the row does not
// set take ovn-controller's defaults.  Rows of ports bound elsewhere, or with no usable MAC, are left
// alone.  Pure.

import type { ServiceMonitor } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { SbView } from "../lflow/sb.js";
import type { SvcMonitorSpec } from "../pinctrl/svc-monitor.js";

/** Seconds and counts used when the row's options leave them out. */
export const SVC_DEFAULTS = { interval: 5, timeout: 3, success_count: 1, failure_count: 1 } as const;

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** The MAC of a Port_Binding.mac list ("MAC IP…" entries) that goes with `ip`. */
export function backendMac(addresses: readonly string[], ip: string): string | undefined {
  let first: string | undefined;
  for (const entry of addresses) {
    const [mac, ...ips] = entry.trim().split(/\s+/);
    if (mac === undefined || !MAC.test(mac)) continue;
    first ??= mac;
    if (ips.some((a) => a === ip || a.startsWith(`${ip}/`))) return mac.toLowerCase();
  }
  return first?.toLowerCase();
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
    const dstMac = backendMac(p.mac, r.ip);
    if (datapath === undefined || dstMac === undefined || !r.ip.includes(".")) continue;
    out.push({
      uuid: r._uuid,
      datapath,
      port: p.tunnelKey,
      protocol: r.protocol ?? "tcp",
      ip: r.ip,
      servicePort: r.port,
      srcMac: r.srcMac.toLowerCase(),
      srcIp: r.srcIp,
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
