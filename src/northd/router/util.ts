// Small string-building helpers shared by the router stage builders: how northd prints port matches,
// address lists and chassis-residence conditions in logical flows.
import type { Ipv4Net, Ipv6Net } from "../addr.js";
import type { LflowOptions, LflowSink, StageBuilder } from "../lflow/api.js";
import type { ChassisRedirectPort, NorthdModel, RouterDatapath, RouterPort } from "../model.js";
import type { Stage } from "../stages.js";
import { routerCoppMeter } from "./copp.js";

/** `"name"` — a port name as a quoted string of the flow language. */
export function q(name: string): string {
  return `"${name}"`;
}

/** The hint options of a flow about a router port. */
export function portHint(p: RouterPort): LflowOptions {
  return { hint: p.nb._uuid };
}

/** `{a, b}` for a list of printed values (braces even for one, as northd writes address sets). */
export function braces(items: readonly string[]): string {
  return `{${items.join(", ")}}`;
}

/** A single item as is, several as `{a, b}` (how northd prints an address match on one or many). */
export function oneOrSet(items: readonly string[]): string {
  return items.length === 1 ? (items[0] ?? "") : braces(items);
}

/** `is_chassis_resident("cr-P")` for a distributed gateway port, undefined otherwise. */
export function residentOf(p: RouterPort): string | undefined {
  return p.isL3dgw && p.crPort !== undefined ? `is_chassis_resident(${q(p.crPort.name)})` : undefined;
}

/**
 * The chassisredirect port a router port's traffic is centralized on: a distributed gateway port's
 * own; for a port with options:reside-on-redirect-chassis=true (a VLAN network routed on the gateway
 * chassis), that of its router's only distributed gateway port (with several, the option is ignored,
 * as ovn-northd does). Undefined otherwise.
 */
export function redirectOf(p: RouterPort): ChassisRedirectPort | undefined {
  if (p.isL3dgw) return p.crPort;
  if ((p.nb.options.get("reside-on-redirect-chassis") ?? "").toLowerCase() !== "true") return undefined;
  return p.dp.l3dgwPorts.length === 1 ? p.dp.l3dgwPorts[0]?.crPort : undefined;
}

/** The port's match with ` && is_chassis_resident("cr-P")` appended when P is a distributed gateway port. */
export function withResident(match: string, p: RouterPort): string {
  const r = residentOf(p);
  return r === undefined ? match : `${match} && ${r}`;
}

/** The switch on the other side of router port P has a vtep port (traffic from it must reach the router's services on any chassis). */
export function peerHasVtep(p: RouterPort): boolean {
  return p.peer?.kind === "lsp" && p.peer.dp.vtepPorts.length > 0;
}

/** The port's IPv6 networks without the link-local one northd adds last (see parseLrpNetworks). */
export function globalV6(p: RouterPort): readonly Ipv6Net[] {
  return p.networks.ipv6.slice(0, -1);
}

/** The port's link-local IPv6 address (always present, last). */
export function linkLocal(p: RouterPort): Ipv6Net | undefined {
  return p.networks.ipv6[p.networks.ipv6.length - 1];
}

/** "NET/PLEN" of an IPv4 network. */
export function v4Subnet(n: Ipv4Net): string {
  return `${n.networkS}/${n.plen}`;
}

/** "NET/PLEN" of an IPv6 network. */
export function v6Subnet(n: Ipv6Net): string {
  return `${n.networkS}/${n.plen}`;
}

/** The router's boolean option KEY (smap_get_bool semantics: only "true" is true). */
export function lrOptBool(lr: RouterDatapath, key: string, dflt: boolean): boolean {
  const v = lr.nb.options.get(key);
  if (v === undefined) return dflt;
  return dflt ? v !== "false" : v === "true";
}

/** A flow emitter bound to one router. */
export type Emit = (
  stage: Stage,
  priority: number,
  match: string,
  actions: string,
  opts?: LflowOptions,
) => void;

/**
 * An emitter for one router. A flow that repeats an earlier one of the same builder run (same stage,
 * priority, match and actions) is dropped, so the first hint wins — as in ovn-northd, where a
 * duplicate flow only adds its datapath to the existing one.
 */
export function emitterFor(lr: RouterDatapath, sink: LflowSink, model?: NorthdModel): Emit {
  const seen = new Set<string>();
  return (stage, priority, match, actions, opts) => {
    const key = `${stage}\u0000${priority}\u0000${match}\u0000${actions}`;
    if (seen.has(key)) return;
    seen.add(key);
    // Flows that punt to the controller carry the router's CoPP meter (./copp.ts).
    const meter = model === undefined ? undefined : routerCoppMeter(lr, model, match, actions);
    sink.add(lr, stage, priority, match, actions, meter === undefined ? opts : { ...opts, ctrlMeter: meter });
  };
}

/**
 * A builder for enabled routers only: a router with enabled=false has no datapath and no flows
 * (ovn-northd(8) "Logical Router Datapaths").
 */
export function routerStage(
  name: string,
  fn: (lr: RouterDatapath, model: NorthdModel, emit: Emit) => void,
): StageBuilder {
  return {
    name,
    routerDp(lr, model, sink) {
      if (!lr.enabled) return;
      fn(lr, model, emitterFor(lr, sink, model));
    },
  };
}
