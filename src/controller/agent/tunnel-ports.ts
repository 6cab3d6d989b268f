// Which tunnel ports br-int should have (ovn-controller(8): ovn-encap-type, ovn-encap-ip,
// ovn-transport-zones, ovn-encap-tos, ovn-encap-df_default, ovn-set-local-ip): one per remote chassis
// that shares a transport zone with this one, of the preferred encapsulation both speak, with the
// interface options the real ovn-controller 23.03 sets (observed with `ovs-vsctl list Interface`):
// remote_ip, key=flow, csum as the remote chassis's Encap asks (its ovn-encap-csum), tos and
// df_default from this chassis's settings, local_ip only with ovn-set-local-ip.  Pure.

import { preferredEncap } from "../physical/tunnel.js";
import type { LocalConfig } from "./config.js";

export interface RemoteChassis {
  readonly name: string;
  readonly transportZones: readonly string[];
  readonly encaps: readonly {
    readonly type: string;
    readonly ip: string;
    readonly options: ReadonlyMap<string, string>;
  }[];
}

export interface WantedTunnel {
  readonly type: string;
  /** The tunnel interface's options. */
  readonly options: ReadonlyMap<string, string>;
}

/**
 * Tunnels are formed between chassis that share a transport zone, or that both have none (the default
 * zone); a chassis in named zones only is not in the default one.
 */
export function zonesOverlap(local: readonly string[], remote: readonly string[]): boolean {
  if (local.length === 0 && remote.length === 0) return true;
  return remote.some((z) => local.includes(z));
}

type TunnelConfig = Pick<
  LocalConfig,
  "systemId" | "encapTypes" | "encapIp" | "setLocalIp" | "transportZones" | "encapTos" | "encapDfDefault"
>;

/** The tunnel wanted to each remote chassis, by chassis name. */
export function wantedTunnels(
  cfg: TunnelConfig,
  chassis: readonly RemoteChassis[],
): Map<string, WantedTunnel> {
  const out = new Map<string, WantedTunnel>();
  if (cfg.encapIp === undefined) return out;
  for (const ch of chassis) {
    if (ch.name === cfg.systemId || !zonesOverlap(cfg.transportZones, ch.transportZones)) continue;
    const e = preferredEncap(cfg.encapTypes, ch.encaps);
    if (e === undefined) continue;
    const options = new Map<string, string>([["remote_ip", e.ip]]);
    // local_ip only on request: with it, OVS's native tunnelling needs a local route for that address.
    if (cfg.setLocalIp) options.set("local_ip", cfg.encapIp);
    options.set("key", "flow");
    const csum = e.options.get("csum");
    if (csum === "true" || csum === "false") options.set("csum", csum);
    const dstPort = e.options.get("dst_port");
    if (dstPort !== undefined) options.set("dst_port", dstPort);
    if (cfg.encapTos !== undefined) options.set("tos", cfg.encapTos);
    if (cfg.encapDfDefault !== undefined) options.set("df_default", cfg.encapDfDefault);
    out.set(ch.name, { type: e.type, options });
  }
  return out;
}

/** Whether an existing tunnel interface is the wanted one (type and every option alike). */
export function sameTunnel(
  w: WantedTunnel,
  have: { readonly type: string; readonly options: ReadonlyMap<string, string> },
): boolean {
  if (w.type !== have.type || w.options.size !== have.options.size) return false;
  for (const [k, v] of w.options) if (have.options.get(k) !== v) return false;
  return true;
}
