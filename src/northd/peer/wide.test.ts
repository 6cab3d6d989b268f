// A wider northd differential: NB configurations ovn-northd.at exercises that the other peer tests do
// not — gateway_mtu on a distributed gateway port and on a gateway router, Static_MAC_Binding (with
// override_dynamic_mac), forwarding groups, NB_Global ipsec, discard routes, a tagged localnet port, a
// vtep port, IPv6 dnat_and_snat, gateway-router LBs with lb_force_snat_ip=router_ip (IPv4 and IPv6), a
// port group across three switches with ACLs logging through a fair meter (a meter per ACL), port
// ranges on NAT rules, NAT and LB addresses equal to the router port's own or outside every subnet,
// nat-addresses=router with exclude-lb-vips-from-garp, localnet ports next to LBs, port security with
// prefixes, requested tunnel keys on switches, routers and ports (port keys compared: a requested key
// taken from a port that merely held it, new keys after the highest), a health-checked LB on a switch
// and a router (its monitor going offline), IPAM under a changing mac_prefix and other NB_Global
// options, a VLAN network routed on the gateway chassis (reside-on-redirect-chassis), stateless/labelled/after-LB ACLs, LBs without ports or backends, UDP/SCTP LBs with selection
// fields, two switches with one name, stale SB rows written while northd runs — as built and after a
// series of changes (the ovnts side with --recompute-check). One NB, one pair of northds.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runOk } from "../../../test/support/sandbox.js";
import {
  type BothSides,
  type CompareOptions,
  compareDumps,
  formatComparison,
  withBothNorthds,
} from "./harness.js";
import { link, localnet } from "./nb-commands.js";

const lsp = (ls: string, p: string, mac: string, ip: string): string[][] => [
  ["lsp-add", ls, p],
  ["lsp-set-addresses", p, `${mac} ${ip}`],
];

/** gateway_mtu, static MAC bindings, forwarding groups, a fair meter, router_ip LB SNAT. */
const W = [
  ["ls-add", "w1"],
  ["ls-add", "w2"],
  ["ls-add", "w3"],
  ["ls-add", "wpub"],
  ...lsp("w1", "wa", "0a:00:00:01:00:11", "10.31.1.11 fd31:1::11"),
  ...lsp("w1", "wb", "0a:00:00:01:00:12", "10.31.1.12"),
  ...lsp("w2", "wc", "0a:00:00:01:00:21", "10.31.2.21"),
  ...lsp("w3", "wd", "0a:00:00:01:00:31", "10.31.3.31"),
  ["lsp-add", "w3", "wunk"],
  ["lsp-set-addresses", "wunk", "unknown"],
  ...localnet("wpub", "wln", "physnet1"),
  ["set", "Logical_Switch_Port", "wln", "tag=42"],
  ["lr-add", "wr"],
  ...link("wr", "wr-w1", "0a:00:00:01:ff:01", ["10.31.1.1/24", "fd31:1::1/64"], "w1"),
  ...link("wr", "wr-w2", "0a:00:00:01:ff:02", ["10.31.2.1/24"], "w2"),
  ...link("wr", "wr-pub", "0a:00:00:01:ff:09", ["172.31.0.1/24", "fd31:ff::1/64"], "wpub"),
  ["lrp-set-gateway-chassis", "wr-pub", "hv1", "20"],
  ["set", "Logical_Router_Port", "wr-pub", "options:gateway_mtu=1400"],
  ["lr-nat-add", "wr", "snat", "172.31.0.1", "10.31.0.0/16"],
  ["lr-nat-add", "wr", "dnat", "172.31.0.50", "10.31.1.12"],
  ["lr-nat-add", "wr", "dnat_and_snat", "fd31:ff::50", "fd31:1::11"],
  ["lr-route-add", "wr", "10.99.0.0/16", "discard"],
  ["lr-route-add", "wr", "0.0.0.0/0", "172.31.0.254"],
  ["static-mac-binding-add", "wr-pub", "172.31.0.254", "0a:00:00:01:fe:fe"],
  ["static-mac-binding-add", "wr-w1", "10.31.1.99", "0a:00:00:01:fe:99"],
  [
    "--",
    "--id=@s",
    "create",
    "Static_MAC_Binding",
    "logical_port=wr-w2",
    "ip=10.31.2.99",
    'mac="0a:00:00:01:fe:98"',
    "override_dynamic_mac=true",
  ],
  [
    "lr-add",
    "wg",
    "--",
    "set",
    "Logical_Router",
    "wg",
    "options:chassis=hv2",
    "options:lb_force_snat_ip=router_ip",
  ],
  ...link("wg", "wg-w3", "0a:00:00:01:fe:03", ["10.31.3.1/24", "fd31:3::1/64"], "w3"),
  ["set", "Logical_Router_Port", "wg-w3", "options:gateway_mtu=1300"],
  ["lb-add", "wlb", "10.31.3.100:80", "10.31.3.31:8080", "tcp"],
  ["lb-add", "wlb6", "[fd31:3::100]:80", "[fd31:3::31]:8080", "tcp"],
  ["lr-lb-add", "wg", "wlb"],
  ["lr-lb-add", "wg", "wlb6"],
  ["ls-lb-add", "w3", "wlb"],
  ["meter-add", "wm", "drop", "10", "pktps"],
  ["set", "Meter", "wm", "fair=true"],
  ["pg-add", "wpg", "wa", "wc", "wd"],
  ["acl-add", "wpg", "to-lport", "1001", "outport == @wpg && ip4 && tcp.dst == 22", "allow-related"],
  [
    "--log",
    "--meter=wm",
    "--severity=warning",
    "--name=wdrop",
    "acl-add",
    "wpg",
    "to-lport",
    "1000",
    "outport == @wpg && ip4",
    "drop",
  ],
  ["acl-add", "wpg", "from-lport", "900", "inport == @wpg && udp", "reject"],
  ["fwd-group-add", "wfg", "w1", "10.31.1.200", "0a:00:00:01:00:c8", "wa", "wb"],
  ["set", "NB_Global", ".", "ipsec=true"],
];

/** NAT port ranges, addresses equal to the router's or outside its subnets, GARP options, keys. */
const X = [
  ["ls-add", "x1"],
  ["ls-add", "xpub"],
  ...lsp("x1", "xa", "0a:00:00:02:00:11", "10.32.1.11 fd32:1::11"),
  ...lsp("x1", "xb", "0a:00:00:02:00:12", "10.32.1.12"),
  ["lsp-set-port-security", "xa", "0a:00:00:02:00:11 10.32.1.11 fd32:1::11"],
  ["lsp-set-port-security", "xb", "0a:00:00:02:00:12 10.32.1.0/24"],
  ["set", "Logical_Switch_Port", "xb", "options:requested-tnl-key=77"],
  ...localnet("xpub", "xln", "physnet1"),
  ["lsp-add", "xpub", "xvtep"],
  ["lsp-set-type", "xvtep", "vtep"],
  ["lsp-set-addresses", "xvtep", "unknown"],
  ["lsp-set-options", "xvtep", "vtep-physical-switch=br-vtep", "vtep-logical-switch=lsw0"],
  ["lr-add", "xr"],
  ...link("xr", "xr-x1", "0a:00:00:02:ff:01", ["10.32.1.1/24", "fd32:1::1/64"], "x1"),
  ...link("xr", "xr-pub", "0a:00:00:02:ff:09", ["172.32.0.1/24", "172.32.5.1/24", "fd32:ff::1/64"], "xpub", [
    "nat-addresses=router",
    "exclude-lb-vips-from-garp=true",
  ]),
  ["lrp-set-gateway-chassis", "xr-pub", "hv1", "20"],
  ["--portrange", "lr-nat-add", "xr", "snat", "172.32.0.1", "10.32.1.0/24", "2000-3000"],
  ["--portrange", "lr-nat-add", "xr", "dnat_and_snat", "172.32.0.60", "10.32.1.12", "4000-4100"],
  ["lr-nat-add", "xr", "dnat_and_snat", "192.168.77.5", "10.32.1.11", "xa", "0a:00:00:02:aa:aa"],
  // Two rules on one address (listed twice in GARPs), one on the router port's second address.
  ["lr-nat-add", "xr", "snat", "172.32.0.9", "10.32.2.0/24"],
  ["lr-nat-add", "xr", "dnat_and_snat", "172.32.0.9", "10.32.1.5"],
  ["lr-nat-add", "xr", "snat", "172.32.5.1", "10.32.3.0/24"],
  ["lb-add", "xlb", "172.32.0.60:8080", "10.32.1.11:80", "tcp"],
  ["lb-add", "xlb2", "172.32.0.1:9090", "10.32.1.12:90", "tcp"],
  ["lb-add", "xlb3", "192.168.88.8:80", "10.32.1.11:80,10.32.1.12:80", "tcp"],
  ["lb-add", "xlb6", "[fd32:ff::77]:80", "[fd32:1::11]:90", "tcp"],
  ["lr-lb-add", "xr", "xlb"],
  ["lr-lb-add", "xr", "xlb2"],
  ["lr-lb-add", "xr", "xlb3"],
  ["lr-lb-add", "xr", "xlb6"],
  ["ls-lb-add", "xpub", "xlb3"],
  ["ls-add", "y1"],
  ...lsp("y1", "ya", "0a:00:00:03:00:11", "10.33.1.11"),
  ...localnet("y1", "yln", "physnet2"),
  ["lb-add", "ylb", "10.33.1.100:80", "10.33.1.11:80", "tcp"],
  ["ls-lb-add", "y1", "ylb"],
  ["lr-add", "yg", "--", "set", "Logical_Router", "yg", "options:chassis=hv2"],
  ...link("yg", "yg-y1", "0a:00:00:03:ff:01", ["10.33.1.1/24"], "y1", ["nat-addresses=router"]),
  ["lr-nat-add", "yg", "dnat_and_snat", "10.33.1.50", "10.34.0.5"],
  ["set", "Logical_Switch", "y1", "other_config:requested-tnl-key=500"],
  ["set", "Logical_Router", "yg", "options:requested-tnl-key=501"],
];

/** IPAM (dynamic addresses under a changing mac_prefix), an LB with a health check on a router too. */
const V = [
  ["ls-add", "v1"],
  [
    "set",
    "Logical_Switch",
    "v1",
    "other_config:subnet=10.40.0.0/24",
    "other_config:ipv6_prefix=fd40::",
    "other_config:exclude_ips=10.40.0.1..10.40.0.9",
  ],
  ["lsp-add", "v1", "va"],
  ["lsp-set-addresses", "va", "dynamic"],
  ["lsp-add", "v1", "vb"],
  ["lsp-set-addresses", "vb", "0a:00:00:05:00:12 dynamic"],
  ...lsp("v1", "vc", "0a:00:00:05:00:13", "10.40.0.50"),
  ["lr-add", "vr"],
  ...link("vr", "vr-v1", "0a:00:00:05:ff:01", ["10.40.0.1/24"], "v1"),
  ["lb-add", "vlb", "10.40.0.100:80", "10.40.0.50:80,10.40.0.60:80", "tcp"],
  ["ls-lb-add", "v1", "vlb"],
  ["lr-lb-add", "vr", "vlb"],
  // Only 10.40.0.50 has a service monitor: the other backend is left out while the VIP is checked.
  ["set", "Load_Balancer", "vlb", "ip_port_mappings:10.40.0.50=vc:10.40.0.2"],
  [
    "--id=@hc",
    "create",
    "Load_Balancer_Health_Check",
    'vip="10.40.0.100:80"',
    "options:interval=5",
    "--",
    "add",
    "Load_Balancer",
    "vlb",
    "health_check",
    "@hc",
  ],
];

/**
 * Two switches with one name (ovn-northd.at "handling duplicated datapaths"). (One LSP row in two
 * switches, or one LRP row in two routers, is left out: ovn-northd gives it to whichever datapath its
 * hash table yields first.)
 */
const D = [
  ["ls-add", "d1"],
  ...lsp("d1", "dp1", "0a:00:00:06:00:01", "10.50.0.1"),
  ["--", "create", "Logical_Switch", "name=d1"],
];

/**
 * Stateless ACLs over stateful ones (ovn-northd.at "ACL skip hints for stateless config", "allow-stateless
 * overrides"), labels and apply-after-lb ACLs, LBs without ports, UDP/SCTP LBs with selection fields,
 * skip_snat and reject, VIPs without backends (rejecting or dropping).
 */
const S = [
  ["ls-add", "s1"],
  ...lsp("s1", "s1a", "0a:00:00:07:00:11", "10.60.1.11"),
  ...lsp("s1", "s1b", "0a:00:00:07:00:12", "10.60.1.12"),
  ["acl-add", "s1", "from-lport", "2000", "ip4", "allow-stateless"],
  ["acl-add", "s1", "to-lport", "2000", "ip4", "allow-stateless"],
  ["acl-add", "s1", "from-lport", "1000", "tcp", "allow-related"],
  ["ls-add", "s2"],
  ...lsp("s2", "s2a", "0a:00:00:07:00:21", "10.60.2.11"),
  ["lb-add", "s2lb", "10.60.2.100:80", "10.60.2.11:80", "tcp"],
  ["ls-lb-add", "s2", "s2lb"],
  ["acl-add", "s2", "from-lport", "1000", "ip4 && udp", "allow-stateless"],
  ["ls-add", "s3"],
  ...lsp("s3", "s3a", "0a:00:00:07:00:31", "10.60.3.11"),
  ["--label=1234", "acl-add", "s3", "from-lport", "1000", "tcp", "allow-related"],
  ["--label=99", "--apply-after-lb", "acl-add", "s3", "from-lport", "1001", "udp", "allow"],
  ["--apply-after-lb", "acl-add", "s3", "from-lport", "1002", "icmp4", "drop"],
  ["--apply-after-lb", "acl-add", "s3", "from-lport", "1003", "icmp6", "reject"],
  ["ls-add", "s4"],
  ...lsp("s4", "s4a", "0a:00:00:07:00:41", "10.60.4.11"),
  ["lb-add", "s4lb", "10.60.4.100", "10.60.4.11"],
  ["lb-add", "s4lbu", "10.60.4.101:53", "10.60.4.11:53", "udp"],
  ["lb-add", "s4lbs", "10.60.4.102:99", "10.60.4.11:99", "sctp"],
  [
    "set",
    "Load_Balancer",
    "s4lbu",
    "options:skip_snat=true",
    "options:reject=true",
    "selection_fields=ip_src,tp_src",
  ],
  [
    "--",
    "create",
    "Load_Balancer",
    "name=s4lbe",
    "protocol=tcp",
    'vips:"10.60.4.103:80"=""',
    "options:reject=true",
  ],
  ["--", "create", "Load_Balancer", "name=s4lbe2", "protocol=tcp", 'vips:"10.60.4.104:80"=""'],
  ...["s4lb", "s4lbu", "s4lbs", "s4lbe", "s4lbe2"].map((lb) => ["ls-lb-add", "s4", lb]),
];

const S_STEPS = [
  ["set", "NB_Global", ".", "options:default_acl_drop=true"],
  ["acl-del", "s1", "from-lport", "1000", "tcp"],
  ["set", "NB_Global", ".", "options:controller_event=true"],
  ["ls-lb-del", "s2", "s2lb"],
  ["set", "Load_Balancer", "s4lbe", "options:reject=false"],
];

/** A VLAN network routed centrally (reside-on-redirect-chassis) behind a router with one gateway port. */
const R = [
  ["ls-add", "rpub"],
  ...localnet("rpub", "rpub-ln", "physnet1"),
  ["ls-add", "rvl"],
  ...localnet("rvl", "rvl-ln", "physnet1"),
  ["set", "Logical_Switch_Port", "rvl-ln", "tag=300"],
  ...lsp("rvl", "rv1", "0a:00:00:09:00:11", "10.80.1.11 fd80:1::11"),
  ["lr-add", "rr"],
  ...link("rr", "rr-pub", "0a:00:00:09:ff:01", ["172.80.0.1/24"], "rpub"),
  ["lrp-set-gateway-chassis", "rr-pub", "hv1", "20"],
  ...link("rr", "rr-vl", "0a:00:00:09:ff:02", ["10.80.1.1/24", "fd80:1::1/64"], "rvl"),
  ["lrp-set-options", "rr-vl", "reside-on-redirect-chassis=true"],
  ["lr-nat-add", "rr", "snat", "172.80.0.1", "10.80.1.0/24"],
];

const R_STEPS = [
  // With a second gateway port the option no longer applies; then off altogether.
  ["lrp-add", "rr", "rr-pub2", "0a:00:00:09:ff:03", "172.81.0.1/24"],
  ["lrp-set-gateway-chassis", "rr-pub2", "hv2", "20"],
  ["lrp-del", "rr-pub2"],
  ["lrp-set-options", "rr-vl", "reside-on-redirect-chassis=false"],
];

/** NB_Global options changed one by one. */
const GLOBAL_STEPS = [
  ["set", "NB_Global", ".", "options:mac_prefix=0a:11:22"],
  ["lsp-add", "v1", "vd"],
  ["lsp-set-addresses", "vd", "dynamic"],
  ["set", "NB_Global", ".", "options:svc_monitor_mac=0a:00:00:00:00:ef"],
  ["set", "NB_Global", ".", "options:northd_probe_interval=7000"],
  ["set", "NB_Global", ".", "options:use_logical_dp_groups=false"],
  ["set", "NB_Global", ".", "options:ignore_lsp_down=false"],
  ["set", "NB_Global", ".", "options:use_ct_inv_match=false"],
];

const STEPS = [
  ["set", "Logical_Router_Port", "wr-pub", "options:gateway_mtu=1500"],
  ["remove", "Logical_Router_Port", "wg-w3", "options", "gateway_mtu"],
  ["static-mac-binding-del", "wr-w1", "10.31.1.99"],
  ["pg-set-ports", "wpg", "wa", "wb"],
  ["fwd-group-del", "wfg"],
  ["set", "NB_Global", ".", "ipsec=false"],
  // A new ACL on the fair meter (its own SB meter), the meter unfair and fair again.
  ["--log", "--meter=wm", "--name=wallow", "acl-add", "w2", "from-lport", "800", "udp.dst == 53", "allow"],
  ["set", "Meter", "wm", "fair=false"],
  ["set", "Meter", "wm", "fair=true"],
  // GARPs with the LB VIPs; fewer LBs, NATs; port security gone; a request for a held key.
  ["lsp-set-options", "xpub-xr", "router-port=xr-pub", "nat-addresses=router"],
  ["lb-del", "xlb2"],
  ["lsp-set-port-security", "xb"],
  ["lr-nat-del", "xr", "dnat_and_snat", "172.32.0.60"],
  ["set", "Logical_Switch_Port", "xb", "options:requested-tnl-key=78"],
  ["lsp-add", "x1", "xnew"],
];

const OPTS: CompareOptions = { sortSets: true, keys: "ports" };

async function assertSame(both: BothSides, what: string): Promise<void> {
  const { c, ts } = await both.dump(OPTS);
  const cmp = compareDumps(c, ts, OPTS);
  assert.ok(c.flows.length >= 500, `${what}: only ${c.flows.length} flows compared`);
  assert.ok(cmp.equal, `SB differs (${what}):\n${formatComparison(cmp)}`);
}

test("SB identical to ovn-northd's on a wider set of NB configurations", { timeout: 120_000 }, () =>
  withBothNorthds({ commands: [...W, ...X, ...V, ...D, ...S, ...R] }, { check: true }, async (both) => {
    await assertSame(both, "as built");
    for (const [i, s] of R_STEPS.entries()) {
      await both.step(s);
      if (i === 1 || i === 2) await assertSame(both, `reside-on-redirect-chassis: ${s.join(" ")}`);
    }
    for (const s of STEPS) await both.step(s);
    await assertSame(both, "after the changes");
    // The checked backend's monitor goes offline (as ovn-controller reports it): no backend left.
    for (const sb of [both.sbC, both.sbTs]) {
      const sbctl = (...a: string[]) => runOk("ovn-sbctl", [`--db=${sb}`, ...a], { env: both.sandbox.env });
      const mon = (
        await sbctl("--bare", "--columns=_uuid", "find", "Service_Monitor", "ip=10.40.0.50")
      ).trim();
      assert.match(mon, /^[0-9a-f-]{36}$/, "one Service_Monitor for the checked backend");
      await sbctl("set", "Service_Monitor", mon, "status=offline");
    }
    await both.step(["sync"]);
    await assertSame(both, "with the service monitor offline");
    for (const s of [...GLOBAL_STEPS, ...S_STEPS]) await both.step(s);
    await assertSame(both, "after NB_Global changes");
    // Stale rows written into the SB while northd runs (a datapath of no NB row, an unused HA group):
    // deleted.
    for (const sb of [both.sbC, both.sbTs]) {
      const sbctl = (...a: string[]) => runOk("ovn-sbctl", [`--db=${sb}`, ...a], { env: both.sandbox.env });
      await sbctl("create", "Datapath_Binding", "tunnel_key=999", "external_ids:name=ghost");
      await sbctl("create", "HA_Chassis_Group", "name=ghostgrp");
    }
    await both.step(["sync"]);
    await assertSame(both, "with stale rows added");
  }),
);
