// The OVS patch ports that join br-int to the provider bridges of ovn-bridge-mappings, one pair per
// localnet port of a datapath this chassis has flows for, named as ovn-controller 23.03 names them
// (observed in a sandbox): `patch-br-int-to-<lport>` on br-int and `patch-<lport>-to-br-int` on the
// provider bridge, each the other's options:peer, the Port tagged external_ids:ovn-localnet-port.  An
// l2gateway port gets the same pair on the chassis its options:l2gateway-chassis names, tagged
// ovn-l2gateway-port instead (ovn-controller(8) "ovn-l2gateway-port").  Pure.

import type { SbPortBinding } from "../lflow/sb.js";

export interface PatchPair {
  readonly lport: string;
  /** Provider bridge (from ovn-bridge-mappings). */
  readonly bridge: string;
  /** The port on the integration bridge, and its peer on the provider bridge. */
  readonly intName: string;
  readonly physName: string;
  /** The external_ids key that marks the pair as ours, naming the logical port. */
  readonly tag: PatchTag;
}

export type PatchTag = "ovn-localnet-port" | "ovn-l2gateway-port";

/** The external_ids keys of the patch ports made here. */
export const PATCH_TAGS: readonly PatchTag[] = ["ovn-localnet-port", "ovn-l2gateway-port"];

/** "physnet1:br-eth1,physnet2:br-eth2" → network → bridge. */
export function parseBridgeMappings(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of s.split(",")) {
    const [net, bridge] = item.split(":").map((x) => x.trim());
    if (net !== undefined && bridge !== undefined && net !== "" && bridge !== "") out.set(net, bridge);
  }
  return out;
}

export function patchPairs(
  ports: readonly SbPortBinding[],
  localDatapaths: ReadonlySet<string>,
  mappings: ReadonlyMap<string, string>,
  integrationBridge: string,
  /** This chassis (l2gateway ports get their pair only where options:l2gateway-chassis names it). */
  chassis?: string,
): PatchPair[] {
  const out: PatchPair[] = [];
  for (const p of ports) {
    const tag: PatchTag | undefined =
      p.type === "localnet" && localDatapaths.has(p.datapath)
        ? "ovn-localnet-port"
        : p.type === "l2gateway" && chassis !== undefined && p.options["l2gateway-chassis"] === chassis
          ? "ovn-l2gateway-port"
          : undefined;
    if (tag === undefined) continue;
    const bridge = mappings.get(p.options.network_name ?? "");
    if (bridge === undefined) continue;
    out.push({
      lport: p.logicalPort,
      bridge,
      intName: `patch-${integrationBridge}-to-${p.logicalPort}`,
      physName: `patch-${p.logicalPort}-to-${integrationBridge}`,
      tag,
    });
  }
  return out.sort((a, b) => (a.intName < b.intName ? -1 : 1));
}
