// ls_in_dhcp_options / ls_in_dhcp_response (ovn-northd(8) ingress tables 20-21) and the ls_out_acl
// priority-34000 flows that let the generated replies through the to-lport ACLs.
//
// A VIF asks for DHCP on its own inport. An external port (with an HA chassis group) asks through
// every localnet port of its switch, and only the chassis that hosts it answers (is_chassis_resident).

import type * as nb from "../../ovsdb/idl/generated/ovn-nb.js";
import {
  formatIpv4,
  formatIpv6,
  ipv4Mask,
  ipv6LlaFromMac,
  ipv6Mask,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv6Cidr,
  parseMac,
} from "../addr.js";
import type { LflowOptions, LflowSink, StageBuilder } from "../lflow/api.js";
import type { NorthdModel, SwitchDatapath, SwitchPort } from "../model.js";
import { hasStateful, isVif, q, REG, withMeter } from "./util.js";

/** "k = v, ..." over the options sorted by name (values as written in NB). */
export function optionList(
  opts: ReadonlyMap<string, string> | readonly (readonly [string, string])[],
  skip: readonly string[],
): string {
  return [...opts]
    .filter(([k]) => !skip.includes(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ");
}

/** The to-lport ACL exemption for generated replies: committed to conntrack when the switch is stateful. */
export function replyAllowAction(ls: SwitchDatapath): string {
  return hasStateful(ls) ? "ct_commit; next;" : "next;";
}

/** Where a port's DHCP requests enter the switch. */
interface Entry {
  /** The inport of the requests. */
  readonly inport: string;
  /** The port whose addresses and options apply. */
  readonly port: SwitchPort;
  /** " && is_chassis_resident(...)" for an external port, "" for a VIF. */
  readonly resident: string;
}

function entries(ls: SwitchDatapath, p: SwitchPort): Entry[] {
  if (isVif(p)) return [{ inport: p.name, port: p, resident: "" }];
  if (p.type !== "external" || p.nb.haChassisGroup === undefined) return [];
  return ls.localnetPorts.map((ln) => ({
    inport: ln.name,
    port: p,
    resident: ` && is_chassis_resident(${q(p.name)})`,
  }));
}

function dhcpv4(ls: SwitchDatapath, model: NorthdModel, e: Entry, d: nb.DhcpOptions, sink: LflowSink): void {
  const cidr = parseIpv4Cidr(d.cidr);
  const serverId = parseIpv4(d.options.get("server_id") ?? "");
  const serverMac = parseMac(d.options.get("server_mac") ?? "");
  if (cidr === undefined || serverId === undefined || serverMac === undefined || !d.options.has("lease_time"))
    return;
  const sid = formatIpv4(serverId);
  const smac = d.options.get("server_mac")?.toLowerCase() ?? "";
  const opts: LflowOptions = { hint: d._uuid, ioPort: e.inport };
  const metered = withMeter(ls, model, "dhcpv4-opts", opts);
  const mask = ipv4Mask(cidr.plen);
  for (const a of e.port.addresses) {
    const ip = a.ipv4.find((n) => (n.addr & mask) >>> 0 === (cidr.addr & mask) >>> 0);
    if (ip === undefined) continue;
    // The port's options:hostname wins over the DHCP_Options one (as written, unquoted); the subnet's
    // netmask is added even when the options have one (ovn-northd then lists both).
    const all: [string, string][] = [...d.options];
    const hostname = e.port.nb.options.get("hostname");
    if (hostname !== undefined) {
      const i = all.findIndex(([k]) => k === "hostname");
      if (i >= 0) all[i] = ["hostname", hostname];
      else all.push(["hostname", hostname]);
    }
    all.push(["netmask", formatIpv4(mask)]);
    const action = `${REG.dhcpOptsResult} = put_dhcp_opts(offerip = ${ip.addrS}, ${optionList(all, ["server_mac"])}); next;`;
    const base = `inport == ${q(e.inport)} && eth.src == ${a.macS}`;
    const udp = "udp.src == 68 && udp.dst == 67";
    const r = e.resident;
    sink.add(
      ls,
      "ls_in_dhcp_options",
      100,
      `${base} && ip4.src == 0.0.0.0 && ip4.dst == 255.255.255.255 && ${udp}${r}`,
      action,
      metered,
    );
    sink.add(
      ls,
      "ls_in_dhcp_options",
      100,
      `${base} && ip4.src == ${ip.addrS} && ip4.dst == {${sid}, 255.255.255.255} && ${udp}${r}`,
      action,
      metered,
    );
    sink.add(
      ls,
      "ls_in_dhcp_response",
      100,
      `${base} && ip4 && ${udp} && ${REG.dhcpOptsResult}${r}`,
      `eth.dst = eth.src; eth.src = ${smac}; ip4.src = ${sid}; udp.src = 67; udp.dst = 68; outport = inport; flags.loopback = 1; output;`,
      opts,
    );
    break;
  }
  if (e.resident === "")
    sink.add(
      ls,
      "ls_out_acl",
      34000,
      `outport == ${q(e.port.name)} && eth.src == ${smac} && ip4.src == ${sid} && udp && udp.src == 67 && udp.dst == 68`,
      replyAllowAction(ls),
      opts,
    );
}

function dhcpv6(ls: SwitchDatapath, model: NorthdModel, e: Entry, d: nb.DhcpOptions, sink: LflowSink): void {
  const cidr = parseIpv6Cidr(d.cidr);
  const sidText = d.options.get("server_id") ?? "";
  const sidMac = parseMac(sidText);
  if (cidr === undefined || sidMac === undefined) return;
  const smac = sidText.toLowerCase();
  const lla = formatIpv6(ipv6LlaFromMac(sidMac));
  const stateless = d.options.get("dhcpv6_stateless") === "true";
  const opts: LflowOptions = { hint: d._uuid, ioPort: e.inport };
  const metered = withMeter(ls, model, "dhcpv6-opts", opts);
  const mask = ipv6Mask(cidr.plen);
  for (const a of e.port.addresses) {
    const ip = a.ipv6.find((n) => (n.addr & mask) === (cidr.addr & mask));
    if (ip === undefined) continue;
    const list = optionList(d.options, ["dhcpv6_stateless"]);
    const args = stateless ? list : `ia_addr = ${ip.addrS}, ${list}`;
    const base = `inport == ${q(e.inport)} && eth.src == ${a.macS} && ip6.dst == ff02::1:2 && udp.src == 546 && udp.dst == 547${e.resident}`;
    sink.add(
      ls,
      "ls_in_dhcp_options",
      100,
      base,
      `${REG.dhcpOptsResult} = put_dhcpv6_opts(${args}); next;`,
      metered,
    );
    sink.add(
      ls,
      "ls_in_dhcp_response",
      100,
      `${base} && ${REG.dhcpOptsResult}`,
      `eth.dst = eth.src; eth.src = ${smac}; ip6.dst = ip6.src; ip6.src = ${lla}; udp.src = 547; udp.dst = 546; outport = inport; flags.loopback = 1; output;`,
      opts,
    );
    break;
  }
  if (e.resident === "")
    sink.add(
      ls,
      "ls_out_acl",
      34000,
      `outport == ${q(e.port.name)} && eth.src == ${smac} && ip6.src == ${lla} && udp && udp.src == 547 && udp.dst == 546`,
      replyAllowAction(ls),
      opts,
    );
}

export const dhcp: StageBuilder = {
  name: "ls_dhcp",
  switchDp(ls, model, sink) {
    sink.add(ls, "ls_in_dhcp_options", 0, "1", "next;");
    sink.add(ls, "ls_in_dhcp_response", 0, "1", "next;");
    for (const p of ls.ports)
      for (const e of entries(ls, p)) {
        if (p.dhcpv4Options !== undefined) dhcpv4(ls, model, e, p.dhcpv4Options, sink);
        if (p.dhcpv6Options !== undefined) dhcpv6(ls, model, e, p.dhcpv6Options, sink);
      }
  },
};
