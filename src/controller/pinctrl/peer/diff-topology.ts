// The topology of actions-diff.test.ts (described there): routers, switches, DHCP options, DNS records,
// load balancers without backends, virtual ports, the ACL, and the VIFs vm1, vm3 and vm4 on hv1.
import type { Stack, Vif } from "../../../../test/support/chassis.js";
import { waitUntil } from "../../../../test/support/wait.js";

export const VM1 = {
  mac: "f0:00:00:00:00:11",
  ip: "10.0.0.11",
  ip6: "fd00::11",
  lla: "fe80::f200:ff:fe00:11",
};
export const VM3 = { mac: "f0:00:00:00:00:13", ip: "20.0.0.13", ip6: "2001:db8:1::13" };
export const R0 = { mac: "00:00:00:00:ff:01", ip: "10.0.0.1", ip6: "fd00::1" };
export const R2 = { mac: "00:00:00:00:ff:03", ip: "10.0.0.2", ip6: "fd00::2" };

export type VmName = "vm1" | "vm2" | "vm3" | "vm4" | "vm5";
export const VM2 = { mac: "f0:00:00:00:00:12", ip: "10.0.0.12" };
export const VM5 = {
  mac: "f0:00:00:00:00:15",
  ip: "30.0.0.15",
  ip6: "2001:db8:3::15",
  lla: "fe80::f200:ff:fe00:15",
};

/** Builds the topology on a started one-chassis stack; the VIFs by logical port. */
export async function setup(s: Stack): Promise<Record<VmName, Vif>> {
  const nb = (...a: string[]) => s.nbctl(...a);
  await nb("lr-add", "lr0");
  await nb("lrp-add", "lr0", "lrp0", R0.mac, `${R0.ip}/24`, `${R0.ip6}/64`);
  await nb("lrp-add", "lr0", "lrp1", "00:00:00:00:ff:02", "20.0.0.1/24", "2001:db8:1::1/64");
  await nb(
    "set",
    "Logical_Router_Port",
    "lrp0",
    "ipv6_ra_configs:address_mode=dhcpv6_stateful",
    "ipv6_ra_configs:mtu=1400",
    "ipv6_ra_configs:rdnss=fd00::53",
    "ipv6_ra_configs:dnssl=ovn.test",
    "ipv6_ra_configs:router_preference=HIGH",
    'ipv6_ra_configs:route_info="HIGH-aef1::11/48,LOW-aef2::11/96"',
    "ipv6_ra_configs:send_periodic=true",
    "ipv6_ra_configs:min_interval=3",
    "ipv6_ra_configs:max_interval=4",
  );
  for (const [ls, lrp, vm, addr] of [
    ["sw0", "lrp0", "vm1", `${VM1.mac} ${VM1.ip} ${VM1.ip6}`],
    ["sw1", "lrp1", "vm3", `${VM3.mac} ${VM3.ip} ${VM3.ip6}`],
  ] as const) {
    await nb("ls-add", ls);
    await nb(
      "lsp-add",
      ls,
      `${ls}-r`,
      "--",
      "lsp-set-type",
      `${ls}-r`,
      "router",
      "--",
      "lsp-set-addresses",
      `${ls}-r`,
      "router",
      "--",
      "lsp-set-options",
      `${ls}-r`,
      `router-port=${lrp}`,
    );
    await nb("lsp-add", ls, vm, "--", "lsp-set-addresses", vm, addr);
  }
  // lr1: lrp2 on sw0, lrp3 (on sw2, no VIF) a distributed gateway port on hv1 with a gateway MTU:
  // larger packets routed out of it draw ICMP "fragmentation needed" / ICMPv6 "packet too big".
  await nb("lr-add", "lr1");
  await nb("lrp-add", "lr1", "lrp2", R2.mac, "10.0.0.2/24", "fd00::2/64");
  // Two more IPv6 networks on lrp3: its RAs carry several prefixes, one of them not a /64.
  await nb(
    "lrp-add",
    "lr1",
    "lrp3",
    "00:00:00:00:ff:04",
    "30.0.0.1/24",
    "2001:db8:3::1/64",
    "2001:db8:33::1/64",
    "2001:db8:44::1/48",
  );
  await nb("lrp-set-gateway-chassis", "lrp3", "hv1");
  await nb("set", "Logical_Router_Port", "lrp3", "options:gateway_mtu=1300");
  await nb("ls-add", "sw2");
  for (const [ls, lsp, lrp] of [
    ["sw0", "sw0-r1", "lrp2"],
    ["sw2", "sw2-r1", "lrp3"],
  ] as const)
    await nb(
      "lsp-add",
      ls,
      lsp,
      "--",
      "lsp-set-type",
      lsp,
      "router",
      "--",
      "lsp-set-addresses",
      lsp,
      "router",
      "--",
      "lsp-set-options",
      lsp,
      `router-port=${lrp}`,
    );
  await nb("acl-add", "sw1", "to-lport", "1000", "udp.dst == 5555 || tcp.dst == 5555", "reject");
  // Rejected echo requests and SCTP: the reject action's other answers (diff-probes-more.ts).
  await nb(
    "acl-add",
    "sw1",
    "to-lport",
    "1000",
    "icmp4.type == 8 || icmp6.type == 128 || sctp.dst == 5555",
    "reject",
  );
  for (const [vip, ip] of [
    ["vip4", "10.0.0.100"],
    ["vip6", "fd00::100"],
  ] as const) {
    await nb("lsp-add", "sw0", vip, "--", "lsp-set-type", vip, "virtual");
    await nb("lsp-set-options", vip, `virtual-ip=${ip}`, "virtual-parents=vm1");
  }
  await nb("set", "NB_Global", ".", "options:controller_event=true");
  await nb("lb-add", "lb4", "10.0.0.200:80", "", "tcp");
  await nb("lb-add", "lb6", "[fd00::200]:80", "", "tcp");
  await nb("ls-lb-add", "sw0", "lb4");
  await nb("ls-lb-add", "sw0", "lb6");
  const d4 = (await nb("create", "DHCP_Options", "cidr=10.0.0.0/24")).trim();
  await nb(
    "set",
    "DHCP_Options",
    d4,
    `options:server_id=${R0.ip}`,
    `options:server_mac=${R0.mac}`,
    "options:lease_time=3600",
    `options:router=${R0.ip}`,
    // One option of each encoding the catalogue has (string values carry their own quotes).
    'options:dns_server="{10.0.0.53, 10.0.0.54}"',
    'options:domain_name="\\"ovn.test\\""',
    "options:mtu=1442",
    'options:classless_static_route="{30.0.0.0/24,10.0.0.2, 0.0.0.0/0,10.0.0.1}"',
    'options:domain_search_list="\\"ovn.test,example.org\\""',
    'options:tftp_server="\\"tftp.ovn.test\\""',
    'options:bootfile_name="\\"boot.efi\\""',
    'options:bootfile_name_alt="\\"boot.ipxe\\""',
    'options:wpad="\\"http://wpad.ovn.test/wpad.dat\\""',
    "options:next_server=10.0.0.69",
    "options:T1=1000",
    "options:T2=2000",
    // The rest of the catalogue's encodings (ovn-nb(5) DHCP_Options): bool, uint8, more addresses, a
    // path, Microsoft's classless routes.
    "options:ip_forward_enable=1",
    "options:default_ttl=64",
    "options:tftp_server_address=10.0.0.70",
    'options:ms_classless_static_route="{30.0.0.0/24,10.0.0.2}"',
    'options:path_prefix="\\"/srv/tftp\\""',
    "options:broadcast_address=10.0.0.255",
    "options:netbios_node_type=2",
    "options:arp_cache_timeout=300",
    'options:ntp_server="{10.0.0.123}"',
  );
  await nb("lsp-set-dhcpv4-options", "vm1", d4);
  await nb("lsp-set-options", "vm1", 'hostname="vm1-host"');
  const d6 = (await nb("create", "DHCP_Options", 'cidr="fd00::/64"')).trim();
  await nb(
    "set",
    "DHCP_Options",
    d6,
    `options:server_id=${R0.mac}`,
    'options:dns_server="{fd00::53}"',
    // A string option's value carries its own quotes into the action (else the flow does not parse).
    'options:domain_search="\\"ovn.test\\""',
  );
  await nb("lsp-set-dhcpv6-options", "vm1", d6);
  // vm3 and lrp1: stateless DHCPv6 (diff-probes-more.ts).
  const d6s = (await nb("create", "DHCP_Options", 'cidr="2001:db8:1::/64"')).trim();
  await nb(
    "set",
    "DHCP_Options",
    d6s,
    "options:server_id=00:00:00:00:ff:02",
    "options:dhcpv6_stateless=true",
    'options:dns_server="{2001:db8:1::53, 2001:db8:1::54}"',
    'options:domain_search="\\"sw1.ovn.test\\""',
  );
  await nb("lsp-set-dhcpv6-options", "vm3", d6s);
  await nb("set", "Logical_Router_Port", "lrp1", "ipv6_ra_configs:address_mode=dhcpv6_stateless");
  // vm5 on sw2 behind lrp3: SLAAC router advertisements.
  await nb("set", "Logical_Router_Port", "lrp3", "ipv6_ra_configs:address_mode=slaac");
  await nb("lsp-add", "sw2", "vm5", "--", "lsp-set-addresses", "vm5", `${VM5.mac} ${VM5.ip} ${VM5.ip6}`);
  const dns = (
    await nb(
      "create",
      "DNS",
      'records={"vm2.ovn.test"="10.0.0.12 fd00::12", "12.0.0.10.in-addr.arpa"="vm2.ovn.test", "2.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa"="vm2.ovn.test"}',
    )
  ).trim();
  await nb("add", "Logical_Switch", "sw0", "dns_records", dns);
  // A second row, on sw0 and sw1: values that are not one plain address (diff-probes-dns.ts).
  const dns2 = (
    await nb(
      "create",
      "DNS",
      'records={"vm5.ovn.test"="fd00::15 10.0.0.15/24 10.0.0.16 x 10.0.0.17", "15.0.0.10.in-addr.arpa"="vm5.ovn.test.", "junk.ovn.test"="junk 10.0.0.18"}',
    )
  ).trim();
  await nb("add", "Logical_Switch", "sw0", "dns_records", dns2);
  await nb("add", "Logical_Switch", "sw1", "dns_records", dns2);
  const h = s.hv[0] as Stack["hv"][0];
  const vm1 = await h.addVif("vm1");
  const vm3 = await h.addVif("vm3");
  // vm4: addresses unknown, so the switch learns the MACs behind it (put_fdb).
  await nb("lsp-add", "sw1", "vm4", "--", "lsp-set-addresses", "vm4", "unknown");
  const vm4 = await h.addVif("vm4");
  const vm5 = await h.addVif("vm5");
  // vm2 on sw0: sees what vm1's unanswered broadcasts and queries go on to.
  await nb("lsp-add", "sw0", "vm2", "--", "lsp-set-addresses", "vm2", `${VM2.mac} ${VM2.ip}`);
  const vm2 = await h.addVif("vm2");
  await waitUntil(
    async () =>
      (
        await Promise.all(
          ["vm1", "vm2", "vm3", "vm4", "vm5"].map((v) => nb("get", "Logical_Switch_Port", v, "up")),
        )
      ).every((u) => u.trim() === "true"),
    60_000,
    { what: "vm1 … vm5 up" },
  );
  await s.syncHv();
  return { vm1, vm2, vm3, vm4, vm5 };
}
