// Load balancer VIPs and backends as ovn-nb(5) Load_Balancer.vips writes them:
//   "IP[:PORT]" or "[IPv6]:PORT" or "IPv6"  →  "IP[:PORT],IP[:PORT],..."
// Entries that do not parse are skipped (C northd logs and ignores them).
import type * as nb from "../ovsdb/idl/generated/ovn-nb.js";
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from "./addr.js";
import type { LbBackend, LbVip, LoadBalancer } from "./model.js";

/** Parses "IP", "IP:PORT", "IPv6", "[IPv6]" or "[IPv6]:PORT". */
export function parseIpPort(s: string): { ip: string; family: 4 | 6; port: number | undefined } | undefined {
  const t = s.trim();
  if (t.startsWith("[")) {
    const close = t.indexOf("]");
    if (close < 0) return undefined;
    const a = parseIpv6(t.slice(1, close));
    if (a === undefined) return undefined;
    const rest = t.slice(close + 1);
    if (rest === "") return { ip: formatIpv6(a), family: 6, port: undefined };
    const port = parsePort(rest.startsWith(":") ? rest.slice(1) : "x");
    return port === undefined ? undefined : { ip: formatIpv6(a), family: 6, port };
  }
  const v6 = parseIpv6(t);
  if (v6 !== undefined) return { ip: formatIpv6(v6), family: 6, port: undefined };
  const colon = t.indexOf(":");
  const v4 = parseIpv4(colon < 0 ? t : t.slice(0, colon));
  if (v4 === undefined) return undefined;
  if (colon < 0) return { ip: formatIpv4(v4), family: 4, port: undefined };
  const port = parsePort(t.slice(colon + 1));
  return port === undefined ? undefined : { ip: formatIpv4(v4), family: 4, port };
}

function parsePort(s: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function parseVip(key: string, value: string): LbVip | undefined {
  const vip = parseIpPort(key);
  if (vip === undefined) return undefined;
  const backends: LbBackend[] = [];
  for (const part of value.split(",")) {
    if (part.trim() === "") continue;
    const b = parseIpPort(part);
    // A backend of another family, or without a port when the VIP has one, makes the VIP invalid.
    if (b === undefined || b.family !== vip.family) return undefined;
    if ((vip.port === undefined) !== (b.port === undefined)) return undefined;
    backends.push(b);
  }
  return { key, ip: vip.ip, family: vip.family, port: vip.port, backendsText: value, backends };
}

/** Up to two non-empty ":"-separated words ("^vip:^port", "^ip:80", "^backends"); undefined if more. */
function templateAtoms(s: string): [string, string | undefined] | undefined {
  const w = s.split(":").filter((x) => x !== "");
  if (w.length === 0 || w.length > 2) return undefined;
  return [w[0] as string, w[1]];
}

/**
 * A VIP of a template load balancer (options:template=true): "^vip[:^port|:port]" → backends that
 * are "^ip[:^port|:port]" or "^backends" words, kept as text for the controller to expand with its
 * chassis's Chassis_Template_Var values, or else explicit addresses. The family is the load
 * balancer's options:address-family.
 */
export function parseTemplateVip(key: string, value: string, family: 4 | 6): LbVip | undefined {
  const vip = templateAtoms(key);
  if (vip === undefined) return undefined;
  const words = value.split(",").filter((x) => x.trim() !== "");
  const backends: LbBackend[] = [];
  for (const w of words) {
    const a = templateAtoms(w);
    if (a === undefined) {
      // Not a template: explicit backends (IPv6 ones have more colons), all or nothing.
      const explicit = parseVip(family === 6 ? "[::]:1" : "0.0.0.0", value);
      if (explicit === undefined) return undefined;
      return { key, ip: vip[0], family, port: vip[1], backendsText: value, backends: explicit.backends };
    }
    backends.push({ ip: a[0], family, port: a[1] });
  }
  return { key, ip: vip[0], family, port: vip[1], backendsText: value, backends };
}

/** "LSP:SRC_IP" (or "LSP:[SRC_IPv6]") of Load_Balancer.ip_port_mappings. */
export function parsePortMapping(v: string): { port: string; srcIp: string } | undefined {
  const i = v.indexOf(":");
  if (i <= 0) return undefined;
  const src = v.slice(i + 1).replace(/^\[(.*)\]$/, "$1");
  return src === "" ? undefined : { port: v.slice(0, i), srcIp: src };
}

/**
 * The model of a load balancer. `healthChecks` are its Load_Balancer_Health_Check rows (by the
 * caller, who has the NB); backends get their ip_port_mappings.
 */
export function buildLoadBalancer(
  row: nb.LoadBalancer,
  healthChecks: readonly nb.LoadBalancerHealthCheck[] = [],
): LoadBalancer {
  const vips: LbVip[] = [];
  const template = isTemplateLb(row);
  // Anything but "ipv4" (the default) is IPv6, as ovn-northd reads it.
  const family = (row.options.get("address-family") ?? "ipv4") === "ipv4" ? 4 : 6;
  for (const [k, v] of row.vips) {
    if (template) {
      // Template load balancers have no health checks (ovn-northd warns and ignores them).
      const tv = parseTemplateVip(k, v, family);
      if (tv !== undefined) vips.push(tv);
      continue;
    }
    const vip = parseVip(k, v);
    if (vip === undefined) continue;
    const hc = healthChecks.find((h) => h.vip === k);
    const backends = vip.backends.map((b) => {
      // IPv6 backends are keyed in brackets ("[fd00::1]"), as in the vips column.
      const m =
        row.ipPortMappings.get(b.ip) ?? (b.family === 6 ? row.ipPortMappings.get(`[${b.ip}]`) : undefined);
      const pm = m === undefined ? undefined : parsePortMapping(m);
      return pm === undefined ? b : { ...b, monitorPort: pm.port, monitorSrcIp: pm.srcIp };
    });
    vips.push({ ...vip, backends, ...(hc !== undefined ? { healthCheck: hc } : {}) });
  }
  return { nb: row, uuid: row._uuid, name: row.name, protocol: row.protocol ?? "tcp", vips };
}

/**
 * The VIP as ovn-northd 23.03's session-affinity flows see it. For a template load balancer that is
 * an IPv6 VIP whose backends have no port, whatever its address family: those flows take the family
 * from the parsed address, which a template VIP does not have (and read the backend's numeric port,
 * which a template backend does not have). Reproduced so that the flows are the same.
 */
export function affinityVip(lb: LoadBalancer, v: LbVip): LbVip {
  if (!isTemplateLb(lb.nb)) return v;
  return { ...v, family: 6, backends: v.backends.map((b) => ({ ...b, family: 6, port: undefined })) };
}

/**
 * The empty_lb_backends event of a VIP without backends (when the load balancer has options:event=true
 * or NB_Global options:controller_event=true, and does not reject): its match and trigger_event action.
 */
export function emptyLbEvent(
  lb: LoadBalancer,
  v: LbVip,
  model: { readonly options: ReadonlyMap<string, string> },
): { match: string; actions: string } | undefined {
  const enabled = lb.nb.options.get("event") === "true" || model.options.get("controller_event") === "true";
  if (!enabled || v.backends.length > 0 || lb.nb.options.get("reject") === "true") return undefined;
  const proto = lb.protocol;
  const port = v.port === undefined ? "" : ` && ${proto}.dst == ${v.port}`;
  const vip = v.port === undefined ? v.ip : v.family === 6 ? `[${v.ip}]:${v.port}` : `${v.ip}:${v.port}`;
  return {
    match: `ip${v.family}.dst == ${v.ip} && ${proto}${port}`,
    actions: `trigger_event(event = "empty_lb_backends", vip = "${vip}", protocol = "${proto}", load_balancer = "${lb.uuid}");`,
  };
}

/**
 * `; hash_fields="..."` for a load balancer with selection_fields ("" without): in the column's
 * (sorted) order, tp_src/tp_dst named after the load balancer's protocol when it has one.
 */
export function hashFieldsOf(lb: LoadBalancer): string {
  const proto = lb.nb.protocol;
  const fields = [...lb.nb.selectionFields]
    .sort()
    .map((f) => (proto !== undefined && (f === "tp_src" || f === "tp_dst") ? `${proto}_${f.slice(3)}` : f));
  return fields.length > 0 ? `; hash_fields=${JSON.stringify(fields.join(","))}` : "";
}

/** options:template=true: VIPs and backends name Chassis_Template_Var variables. */
export function isTemplateLb(row: nb.LoadBalancer): boolean {
  return row.options.get("template") === "true";
}

/** A health-checked backend: the load balancer and VIP it serves and where its probes come from. */
export interface MonitoredBackend {
  readonly lb: LoadBalancer;
  readonly vip: LbVip;
  readonly backend: LbBackend & { readonly monitorPort: string; readonly monitorSrcIp: string };
}

const monitoredCache = new WeakMap<ReadonlyMap<string, LoadBalancer>, Map<string, MonitoredBackend[]>>();

/**
 * The health-checked backends of every load balancer (VIPs with a Load_Balancer_Health_Check, backends
 * with an ip_port_mappings entry), by the logical port named in the mapping. The backend's switch
 * answers ARP/ND for the probes' source IP, whether or not the load balancer is applied there.
 */
export function monitoredBackendsByPort(
  loadBalancers: ReadonlyMap<string, LoadBalancer>,
): ReadonlyMap<string, readonly MonitoredBackend[]> {
  let out = monitoredCache.get(loadBalancers);
  if (out !== undefined) return out;
  out = new Map();
  for (const lb of loadBalancers.values())
    for (const vip of lb.vips) {
      if (vip.healthCheck === undefined) continue;
      for (const b of vip.backends) {
        if (b.monitorPort === undefined || b.monitorSrcIp === undefined) continue;
        const m: MonitoredBackend = {
          lb,
          vip,
          backend: { ...b, monitorPort: b.monitorPort, monitorSrcIp: b.monitorSrcIp },
        };
        const l = out.get(b.monitorPort);
        if (l === undefined) out.set(b.monitorPort, [m]);
        else l.push(m);
      }
    }
  monitoredCache.set(loadBalancers, out);
  return out;
}
