// SB Port_Binding: one row per logical switch port, router port and chassisredirect port, keyed by
// logical_port. Columns owned by ovn-controller (chassis, encap, up, virtual_parent, additional_*) are
// never written after the insert, except an empty `up` (set to false).

import type { OvnSbTables } from "../../ovsdb/idl/generated/ovn-sb.js";
import type { RowInput, Uuid } from "../../ovsdb/idl/model.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import { parseIp } from "../addr.js";
import type { ChassisRedirectPort, LogicalPort, NorthdModel, RouterPort, SwitchPort } from "../model.js";
import { redirectOf } from "../router/util.js";
import { ipv6PortOptions } from "./ra-options.js";
import { syncTable, type TableSyncResult } from "./rows.js";
import { type SbIndex, scanSbIndex } from "./sb-index.js";

type PbRow = RowInput<OvnSbTables["Port_Binding"]>;

/** The Port_Binding option ovn-controller writes when a migrated port is activated on a chassis. */
const ACTIVATED = "additional-chassis-activated";
type DpRef = (nbUuid: string) => string;

/**
 * Port_Binding.mac of a switch port: its NB addresses as written, "dynamic" entries included
 * (ovn-northd 23.03 does not put what IPAM allocated here; that is in NB dynamic_addresses).
 */
function lspMac(p: SwitchPort): string[] {
  return [...p.nb.addresses];
}

function lspRow(p: SwitchPort, model: NorthdModel, haRef: (port: string) => string | undefined): PbRow {
  const options = new Map<string, string>();
  let type = p.type;
  let natAddresses: string[] = [];
  if (p.type === "router") {
    type = "patch";
    const peerName = p.nb.options.get("router-port");
    if (peerName !== undefined) options.set("peer", peerName);
    const peer = p.peer;
    if (peer?.dp.isGatewayRouter === true && peer.dp.chassis !== undefined) {
      type = "l3gateway";
      options.set("l3gateway-chassis", peer.dp.chassis);
    }
    natAddresses = natAddressesOf(p);
  } else {
    for (const [k, v] of p.nb.options) options.set(k, v);
    if (p.queueId !== undefined) options.set("qdisc_queue_id", p.queueId);
    if (p.dp.nb.otherConfig.get("vlan-passthru") === "true") options.set("vlan-passthru", "true");
  }
  // options:requested-chassis is a comma-separated list (a port being migrated names two): the first
  // is requested_chassis, the others requested_additional_chassis; names that are no chassis (by name or
  // hostname, spaces included, as ovn-northd 23.03 compares them) are left out.
  const requested = (p.nb.options.get("requested-chassis") ?? "").split(",").filter((n) => n !== "");
  const chassisNamed = (n: string) =>
    [...model.chassis.values()].find((c) => c.name === n || c.hostname === n)?._uuid;
  const reqChassis = requested[0] === undefined ? undefined : chassisNamed(requested[0]);
  const reqAdditional = requested.slice(1).flatMap((n) => chassisNamed(n) ?? []);
  return {
    type,
    options,
    mac: lspMac(p),
    portSecurity: [...p.nb.portSecurity],
    parentPort: p.nb.parentName,
    tag: p.tag,
    natAddresses,
    externalIds: lspExternalIds(p),
    requestedChassis: reqChassis,
    requestedAdditionalChassis: reqAdditional,
    haChassisGroup: haRef(p.name) as Uuid<"HA_Chassis_Group"> | undefined,
  };
}

/** Whether a NAT rule is distributed: dnat_and_snat with logical_port and external_mac. */
function isDistributedNat(n: {
  type: string;
  logicalPort: string | undefined;
  externalMac: string | undefined;
}): boolean {
  return n.type === "dnat_and_snat" && n.logicalPort !== undefined && n.externalMac !== undefined;
}

/**
 * Port_Binding.nat_addresses of a router-type switch port (the addresses ovn-controller sends GARPs
 * for): explicit options:nat-addresses (next to a gateway only); "router" for the peer router's IPv4
 * NAT addresses and LB VIPs; and by default,
 * for the peer of a distributed gateway port, the port's own IPv4 addresses on its gateway chassis,
 * and for the peer of a gateway router's port on a switch with a localnet port, its MAC and own IPv4
 * addresses (the MAC alone when it has none; observed from ovn-northd 23.03).
 */
function natAddressesOf(p: SwitchPort): string[] {
  const opt = p.nb.options.get("nat-addresses");
  const peer = p.peer;
  if (peer === undefined) return opt !== undefined && opt !== "router" ? [opt] : [];
  const resident = peer.crPort !== undefined ? ` is_chassis_resident("${peer.crPort.name}")` : "";
  const l3gateway = peer.dp.isGatewayRouter && peer.dp.chassis !== undefined;
  const ipv4 = peer.networks.ipv4.map((n) => n.addrS);
  // The port's own addresses: on the gateway chassis of a distributed gateway port (when it has an
  // IPv4), or for a gateway router on a switch with a localnet port (its MAC alone without an IPv4).
  const own =
    peer.crPort !== undefined
      ? ipv4.length > 0
        ? `${peer.networks.macS} ${ipv4.join(" ")}${resident}`
        : undefined
      : l3gateway && p.dp.localnetPorts.length > 0
        ? [peer.networks.macS, ...ipv4].join(" ")
        : undefined;
  if (opt !== undefined && opt !== "router") {
    // Explicit addresses count only next to a gateway (distributed gateway port or gateway router):
    // after the port's own entry, and resident on the gateway chassis (appended even when the text
    // says so already), as ovn-northd 23.03 writes them.
    if (peer.crPort === undefined && !l3gateway) return [];
    return [...(own === undefined ? [] : [own]), `${opt}${resident}`];
  }
  if (peer.crPort === undefined && !(opt === "router" && peer.dp.isGatewayRouter)) {
    if (opt === undefined && own !== undefined) return [own];
    // A port whose routing resides on the gateway chassis: its own addresses from there.
    const cr = redirectOf(peer);
    if (opt === undefined && cr !== undefined && ipv4.length > 0)
      return [`${peer.networks.macS} ${ipv4.join(" ")} is_chassis_resident("${cr.name}")`];
    return [];
  }
  if (opt !== "router") return own === undefined ? [] : [own];
  const out: string[] = [];
  // Centralized NAT addresses, one per rule (as ovn-northd 23.03 lists them, repeated when two rules
  // share one), except the router port's own addresses (in the entry above); IPv4 ones only.
  const ownIps = new Set(ipv4);
  const ips: string[] = [];
  for (const n of peer.dp.nats) {
    if (parseIp(n.externalIp)?.family !== 4) continue;
    if (isDistributedNat(n)) {
      out.push(`${n.externalMac ?? ""} ${n.externalIp} is_chassis_resident("${n.logicalPort ?? ""}")`);
    } else if (!ownIps.has(n.externalIp)) ips.push(n.externalIp);
  }
  // The router's load balancer VIPs too (each once, IPv4 ones first; the router's own included),
  // unless the port says not to.
  if (p.nb.options.get("exclude-lb-vips-from-garp") !== "true") {
    const vips = new Set<string>();
    for (const family of [4, 6])
      for (const lb of peer.dp.loadBalancers)
        for (const v of lb.vips) if (v.family === family) vips.add(v.ip);
    ips.push(...vips);
  }
  if (own !== undefined) out.push(own);
  if (ips.length > 0) out.push(`${peer.networks.macS} ${ips.join(" ")}${resident}`);
  return out;
}

function lspExternalIds(p: SwitchPort): Map<string, string> {
  const ids = new Map<string, string>();
  const name = p.nb.externalIds.get("neutron:port_name");
  if (name !== undefined && name !== "") ids.set("name", name);
  for (const [k, v] of p.nb.externalIds) if (k.startsWith("neutron:")) ids.set(k, v);
  return ids;
}

function lrpRow(p: RouterPort): PbRow {
  const options = new Map<string, string>();
  let type = "patch";
  if (p.peer !== undefined) options.set("peer", p.peer.name);
  if (p.dp.isGatewayRouter && p.dp.chassis !== undefined) {
    type = "l3gateway";
    options.set("l3gateway-chassis", p.dp.chassis);
  }
  // Named by a port with gateway chassis or an HA chassis group that has a peer (as ovn-northd 23.03
  // writes it: not for an unconnected one, nor for the older options:redirect-chassis).
  if (p.peer !== undefined && (p.nb.haChassisGroup !== undefined || p.nb.gatewayChassis.length > 0))
    options.set("chassis-redirect-port", `cr-${p.name}`);
  for (const [k, v] of ipv6PortOptions(p)) options.set(k, v);
  // A router port's binding (and its chassisredirect twin's) carries the NB port's external_ids.
  const ids = new Map(p.nb.externalIds);
  return {
    type,
    options,
    mac: [[p.nb.mac, ...p.nb.networks].join(" ")],
    portSecurity: [],
    parentPort: undefined,
    tag: undefined,
    natAddresses: [],
    externalIds: ids,
  };
}

function crRow(p: ChassisRedirectPort, haRef: (port: string) => string | undefined): PbRow {
  const lrp = p.primary;
  const options = new Map([["distributed-port", lrp.name]]);
  const redirectType = lrp.nb.options.get("redirect-type");
  if (redirectType !== undefined) options.set("redirect-type", redirectType);
  // Without distributed NAT every packet for the gateway port goes through the gateway chassis —
  // unless the port's switch has VTEP ports or the redirect is bridged (as ovn-northd 23.03 does).
  const peer = lrp.peer;
  const vtepPeer = peer?.kind === "lsp" && peer.dp.vtepPorts.length > 0;
  if (!p.dp.nats.some(isDistributedNat) && !vtepPeer && redirectType !== "bridged")
    options.set("always-redirect", "true");
  return {
    type: "chassisredirect",
    options,
    haChassisGroup: haRef(p.name) as Uuid<"HA_Chassis_Group"> | undefined,
    mac: [[lrp.nb.mac, ...lrp.nb.networks].join(" ")],
    portSecurity: [],
    parentPort: undefined,
    tag: undefined,
    natAddresses: [],
    externalIds: new Map(lrp.nb.externalIds),
  };
}

/**
 * Syncs the Port_Binding rows of the datapaths in `scope` (all when undefined). `dpRef` gives the
 * Datapath_Binding uuid (or placeholder) of a datapath's NB uuid.
 */
export function syncPortBindings(
  txn: Txn<OvnSbTables>,
  model: NorthdModel,
  dpRef: DpRef,
  haRef: (port: string) => string | undefined,
  scope?: ReadonlySet<string>,
  index?: SbIndex,
  sbDpOf: (nbUuid: string) => string | undefined = () => undefined,
): TableSyncResult {
  const desired = new Map<string, PbRow>();
  const ports: Iterable<LogicalPort> =
    scope === undefined
      ? model.ports.values()
      : [...scope].flatMap((u): readonly LogicalPort[] => {
          const dp = model.datapaths.get(u);
          if (dp === undefined) return [];
          if (dp.kind === "switch") return dp.ports;
          return [...dp.ports, ...dp.l3dgwPorts.flatMap((p) => (p.crPort === undefined ? [] : [p.crPort]))];
        });
  for (const p of ports) {
    const base = p.kind === "lsp" ? lspRow(p, model, haRef) : p.kind === "lrp" ? lrpRow(p) : crRow(p, haRef);
    desired.set(p.name, {
      ...base,
      logicalPort: p.name,
      datapath: dpRef(p.dp.uuid) as Uuid<"Datapath_Binding">,
      tunnelKey: p.key,
    });
  }
  // ovn-controller's options:additional-chassis-activated (activation-strategy=rarp: the additional
  // chassis that saw the migrated VM's RARP) stays while the port still has requested additional
  // chassis, as ovn-northd 23.03 keeps it.
  let named: SbIndex | undefined;
  for (const [name, row] of desired) {
    if ((row.requestedAdditionalChassis?.length ?? 0) === 0) continue;
    named ??= index ?? scanSbIndex(model.sb);
    const activated = named.portBindingNamed(name)?.options.get(ACTIVATED);
    if (activated !== undefined && row.options instanceof Map) row.options.set(ACTIVATED, activated);
  }
  // A scoped sync looks only at the rows of the scoped datapaths and the rows named like the ports it
  // wants (a port may have moved between datapaths).
  let candidates: OvnSbTables["Port_Binding"][] | undefined;
  if (scope !== undefined) {
    const ix = index ?? scanSbIndex(model.sb);
    const seen = new Map<string, OvnSbTables["Port_Binding"]>();
    for (const nb of scope) {
      const sbDp = sbDpOf(nb);
      if (sbDp !== undefined) for (const r of ix.portBindingsOf(sbDp)) seen.set(r._uuid, r);
    }
    for (const name of desired.keys()) {
      const r = ix.portBindingNamed(name);
      if (r !== undefined) seen.set(r._uuid, r);
    }
    candidates = [...seen.values()];
  }
  return syncTable(txn, model.sb, "Port_Binding", (r) => r.logicalPort, desired, {
    ...(candidates !== undefined ? { candidates } : {}),
    // `up` is the controllers' (they set it true once a port is installed), but never left empty:
    // ovn-controller only updates an explicit false, and `ovn-sbctl lsp-unbind` clears it; ovn-northd
    // 23.03 writes false back into an empty `up` of any binding.
    fillEmpty: { up: false },
  });
}
