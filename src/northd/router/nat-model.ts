// The NAT rules of a router as the stage builders read them: addresses parsed, the distributed gateway
// port each rule belongs to (given in NAT.gateway_port or inferred when the router has exactly one), and
// whether the rule is handled in a distributed way (a floating IP with external_mac and logical_port).
// Computed once per router and cached per model.
//
// TODO(lead): this belongs in the shared model (RouterDatapath.nats parsed), since the switch pipeline
// needs the same facts for its ARP responder.

import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import {
  formatIpv4,
  formatIpv6,
  formatMac,
  normalizeIp,
  parseIpv4Cidr,
  parseIpv6Cidr,
  parseMac,
} from "../addr.js";
import type { NorthdModel, RouterDatapath, RouterPort } from "../model.js";

export interface RouterNat {
  readonly nb: nb.Nat;
  readonly type: "snat" | "dnat" | "dnat_and_snat";
  readonly family: 4 | 6;
  /** The external IP, printed. */
  readonly externalIp: string;
  /** The logical IP or network as northd prints it ("10.0.0.2", "10.0.0.0/24"). */
  readonly logicalIp: string;
  /** The logical network's prefix length (32/128 for a host). */
  readonly logicalPlen: number;
  /** Lowercase external MAC, when valid. */
  readonly externalMac: string | undefined;
  readonly logicalPort: string | undefined;
  /** The distributed gateway port of the rule, when the router has them. */
  readonly gw: RouterPort | undefined;
  /** A floating IP handled on the chassis of its logical port. */
  readonly distributed: boolean;
  readonly stateless: boolean;
  /** options:add_route. */
  readonly addRoute: boolean;
  readonly isSnat: boolean;
  readonly isDnat: boolean;
  /** Name of the allowed_ext_ips / exempted_ext_ips address set, when set. */
  readonly allowedAs: string | undefined;
  readonly exemptedAs: string | undefined;
  /** external_port_range, "" when unset. */
  readonly portRange: string;
}

// Per model, then per router: a router object kept across incremental runs may see changed shared
// rows (address sets) in a new model.
const cache = new WeakMap<NorthdModel, WeakMap<RouterDatapath, readonly RouterNat[]>>();

function cacheOf(model: NorthdModel): WeakMap<RouterDatapath, readonly RouterNat[]> {
  const hit = cache.get(model);
  if (hit !== undefined) return hit;
  const m = new WeakMap();
  cache.set(model, m);
  return m;
}

function parseLogical(s: string): { family: 4 | 6; text: string; plen: number } | undefined {
  const v4 = parseIpv4Cidr(s);
  if (v4 !== undefined) {
    const text = v4.plen === 32 ? formatIpv4(v4.addr) : `${formatIpv4(v4.addr)}/${v4.plen}`;
    return { family: 4, text, plen: v4.plen };
  }
  const v6 = parseIpv6Cidr(s);
  if (v6 !== undefined) {
    const text = v6.plen === 128 ? formatIpv6(v6.addr) : `${formatIpv6(v6.addr)}/${v6.plen}`;
    return { family: 6, text, plen: v6.plen };
  }
  return undefined;
}

/** NAT.gateway_port; else the only distributed gateway port; else the one whose network has the external IP. */
function gatewayPortOf(lr: RouterDatapath, n: nb.Nat): RouterPort | undefined {
  if (n.gatewayPort !== undefined) return lr.l3dgwPorts.find((p) => p.nb._uuid === n.gatewayPort);
  if (lr.l3dgwPorts.length <= 1) return lr.l3dgwPorts[0];
  const v4 = parseIpv4Cidr(n.externalIp);
  const v6 = v4 === undefined ? parseIpv6Cidr(n.externalIp) : undefined;
  return lr.l3dgwPorts.find((p) =>
    v4 !== undefined
      ? p.networks.ipv4.some((x) => (v4.addr & x.mask) >>> 0 === x.network)
      : v6 !== undefined && p.networks.ipv6.some((x) => (v6.addr & x.mask) === x.network),
  );
}

export function routerNats(lr: RouterDatapath, model: NorthdModel): readonly RouterNat[] {
  const hit = cacheOf(model).get(lr);
  if (hit !== undefined) return hit;
  const out: RouterNat[] = [];
  for (const n of lr.nats) {
    const ext = normalizeIp(n.externalIp);
    const logical = parseLogical(n.logicalIp);
    if (ext === undefined || logical === undefined) continue;
    const family = ext.includes(":") ? 6 : 4;
    if (family !== logical.family) continue;
    // Only SNAT may name a network; DNAT needs a host.
    if (n.type !== "snat" && logical.plen !== (family === 4 ? 32 : 128)) continue;
    const mac = n.externalMac === undefined ? undefined : parseMac(n.externalMac);
    const gw = gatewayPortOf(lr, n);
    // With several distributed gateway ports, a rule must say which one it uses.
    if (lr.l3dgwPorts.length > 1 && gw === undefined) continue;
    const externalMac = mac === undefined ? undefined : formatMac(mac);
    const distributed =
      n.type === "dnat_and_snat" &&
      externalMac !== undefined &&
      n.logicalPort !== undefined &&
      gw !== undefined;
    out.push({
      nb: n,
      type: n.type,
      family,
      externalIp: ext,
      logicalIp: logical.text,
      logicalPlen: logical.plen,
      externalMac,
      logicalPort: n.logicalPort,
      gw,
      distributed,
      stateless: n.type === "dnat_and_snat" && n.options.get("stateless") === "true",
      addRoute: n.options.get("add_route") === "true",
      isSnat: n.type !== "dnat",
      isDnat: n.type !== "snat",
      allowedAs:
        n.allowedExtIps === undefined ? undefined : model.nb.get("Address_Set", n.allowedExtIps)?.name,
      exemptedAs:
        n.exemptedExtIps === undefined ? undefined : model.nb.get("Address_Set", n.exemptedExtIps)?.name,
      portRange: n.externalPortRange,
    });
  }
  cacheOf(model).set(lr, out);
  return out;
}
