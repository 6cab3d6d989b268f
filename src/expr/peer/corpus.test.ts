// Corpus peer test: the real ovn-northd 23.03 writes the logical flows of a varied topology (switches,
// routers, ACLs with port groups and address sets, SNAT/DNAT/dnat_and_snat, load balancers, DHCPv4/v6,
// DNS, IPv6 RA, a gateway router and a distributed gateway port, ...), and every match and action list
// must parse, print and parse again identically, with no flow rejected.  With OVNTS_UPDATE_GOLDEN=1 the
// flows are saved to test/golden/expr/lflow-corpus.json, which src/expr/corpus.test.ts checks without
// the peers.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Pipeline } from "../../actions/ast.js";
import { type CorpusFlow, checkCorpus, type LflowCorpus } from "../corpus.js";
import { haveOvn, OvnSandbox } from "./sandbox.js";

const FIXTURE = fileURLToPath(new URL("../../../../test/golden/expr/lflow-corpus.json", import.meta.url));

/** The topology: one ovn-nbctl invocation per line, arguments split at spaces except inside '...'
 *  (as in a shell; `--` joins several commands in one invocation). */
const TOPOLOGY = `
# Switches: VIFs with port security, a virtual port, unknown addresses, a localport, localnets (one
# with a VLAN tag), a container port with a tag, an external port, dynamic addresses.
ls-add sw0 -- ls-add sw1 -- ls-add public -- ls-add sw6
lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 '50:54:00:00:00:01 10.0.0.3 fd00::3' -- lsp-set-port-security sw0-p1 '50:54:00:00:00:01 10.0.0.3 fd00::3'
lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 '50:54:00:00:00:02 10.0.0.4'
lsp-add sw0 sw0-vip -- lsp-set-type sw0-vip virtual -- lsp-set-options sw0-vip virtual-ip=10.0.0.10 virtual-parents=sw0-p1,sw0-p2
lsp-add sw0 sw0-unknown -- lsp-set-addresses sw0-unknown unknown
lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 '50:54:00:00:01:01 20.0.0.3 2001::3'
set Logical_Switch_Port sw1-p1 'port_security="50:54:00:00:01:01 20.0.0.3/24 2001::3/64"'
lsp-add sw1 sw1-local -- lsp-set-type sw1-local localport -- lsp-set-addresses sw1-local '50:54:00:00:01:99 20.0.0.99'
lsp-add sw1 sw1-parent -- lsp-set-addresses sw1-parent '50:54:00:00:01:10 20.0.0.10'
lsp-add sw1 sw1-child sw1-parent 42 -- lsp-set-addresses sw1-child '50:54:00:00:01:11 20.0.0.11'
lsp-add sw1 sw1-ext -- lsp-set-type sw1-ext external -- lsp-set-addresses sw1-ext '50:54:00:00:01:20 20.0.0.20'
set Logical_Switch_Port sw0-p2 'options:arp_proxy="10.0.0.200"' options:qos_max_rate=100000
set Logical_Switch sw1 other_config:vlan-passthru=true other_config:mcast_snoop=true other_config:mcast_querier=true other_config:mcast_eth_src=00:00:00:00:aa:01 other_config:mcast_ip4_src=20.0.0.250
lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown -- lsp-set-options ln-public network_name=phys
lsp-add public ln-public2 -- lsp-set-type ln-public2 localnet -- lsp-set-addresses ln-public2 unknown -- lsp-set-options ln-public2 network_name=phys2 -- set Logical_Switch_Port ln-public2 tag_request=100
lsp-add sw6 sw6-p1 -- lsp-set-addresses sw6-p1 '50:54:00:00:06:01 dynamic'
set Logical_Switch sw6 other_config:ipv6_prefix=fd66:: other_config:subnet=60.0.0.0/24
# A distributed router with a distributed gateway port, and a gateway router.
lr-add lr0 -- lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64 -- lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 20.0.0.1/24 2001::1/64
lrp-add lr0 lr0-public 00:00:00:00:ff:03 172.16.0.1/24 2002::1/64 -- lrp-set-gateway-chassis lr0-public hv1 20
lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router -- lsp-set-options sw0-lr0 router-port=lr0-sw0
lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router -- lsp-set-options sw1-lr0 router-port=lr0-sw1
lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router -- lsp-set-options public-lr0 router-port=lr0-public
lr-add gw1 -- set Logical_Router gw1 options:chassis=hv2 options:lb_force_snat_ip=router_ip options:always_learn_from_arp_request=false options:dynamic_neigh_routers=true -- lrp-add gw1 gw1-public 00:00:00:00:ee:01 172.16.0.2/24 -- lrp-add gw1 gw1-join 00:00:00:00:ee:02 100.64.0.1/16
lsp-add public public-gw1 -- lsp-set-type public-gw1 router -- lsp-set-addresses public-gw1 router -- lsp-set-options public-gw1 router-port=gw1-public
set Logical_Router_Port lr0-public options:gateway_mtu=1300
set Logical_Router_Port gw1-join options:gateway_mtu=1400
set Logical_Router lr0 options:mcast_relay=true
# IPv6 router advertisements.
set Logical_Router_Port lr0-sw0 ipv6_ra_configs:address_mode=slaac ipv6_ra_configs:send_periodic=true ipv6_ra_configs:mtu=1400 ipv6_ra_configs:rdnss=fd00::53 ipv6_ra_configs:dnssl=example.com ipv6_ra_configs:router_preference=HIGH
set Logical_Router_Port lr0-sw1 ipv6_ra_configs:address_mode=dhcpv6_stateful
# Static routes (ECMP, symmetric reply, source-IP policy) and router policies.
lr-route-add lr0 0.0.0.0/0 172.16.0.254 -- lr-route-add lr0 ::/0 2002::254 -- lr-route-add gw1 10.0.0.0/16 100.64.0.2
--ecmp lr-route-add gw1 30.0.0.0/24 100.64.0.3 -- --ecmp lr-route-add gw1 30.0.0.0/24 100.64.0.4
--ecmp-symmetric-reply lr-route-add gw1 40.0.0.0/24 100.64.0.5
--policy=src-ip lr-route-add lr0 20.0.0.0/24 172.16.0.253
lr-policy-add lr0 1000 'ip4.src == 10.0.0.3 && ip4.dst == 20.0.0.3' drop -- lr-policy-add lr0 900 'ip4.src == 10.0.0.4' reroute 20.0.0.3 -- lr-policy-add lr0 800 'ip6.src == fd00::3' allow
lr-policy-add gw1 500 'ip4.dst == 40.0.0.0/24' reroute 100.64.0.5,100.64.0.6
# NAT: SNAT, DNAT, distributed and stateless dnat_and_snat, IPv6 SNAT.
lr-nat-add lr0 snat 172.16.0.1 10.0.0.0/24 -- lr-nat-add lr0 dnat 172.16.0.100 10.0.0.4 -- lr-nat-add lr0 dnat_and_snat 172.16.0.101 10.0.0.3 sw0-p1 50:54:00:00:00:03
lr-nat-add lr0 snat 2002::1 fd00::/64
lr-nat-add gw1 snat 172.16.0.2 10.0.0.0/16 -- lr-nat-add gw1 dnat_and_snat 172.16.0.110 10.0.0.5
--stateless lr-nat-add gw1 dnat_and_snat 172.16.0.120 10.0.0.6
# Load balancers: TCP, UDP, SCTP, IPv6, without ports, empty (controller event), reject, health
# check, hairpin, affinity, selection fields, skip_snat; on switches and routers.
lb-add lb0 10.0.0.100:80 10.0.0.3:80,10.0.0.4:80 tcp -- lb-add lb0 10.0.0.100:53 10.0.0.3:53 udp
lb-add lb6 [fd00::100]:80 [fd00::3]:80,[2001::3]:80
lb-add lbsctp 10.0.0.101:80 10.0.0.3:80 sctp
lb-add lbnoport 10.0.0.102 10.0.0.3,10.0.0.4
lb-add lbempty 10.0.0.103:80 ''
lb-add lbreject 10.0.0.104:80 '' -- set Load_Balancer lbreject options:reject=true
lb-add lbgw 172.16.0.200:8080 10.0.0.3:80,10.0.0.4:80 -- set Load_Balancer lbgw options:neighbor_responder=all
set Load_Balancer lb0 selection_fields=ip_src,ip_dst options:hairpin_snat_ip=10.0.0.250 options:affinity_timeout=60 ip_port_mappings:10.0.0.3=sw0-p1:10.0.0.2
set Load_Balancer lbnoport options:skip_snat=true
--id=@hc create Load_Balancer_Health_Check 'vip="10.0.0.100:80"' -- add Load_Balancer lb0 health_check @hc
ls-lb-add sw0 lb0 -- ls-lb-add sw0 lb6 -- ls-lb-add sw0 lbsctp -- ls-lb-add sw0 lbnoport -- ls-lb-add sw0 lbempty -- ls-lb-add sw1 lbreject
lr-lb-add lr0 lb0 -- lr-lb-add gw1 lb0 -- lr-lb-add gw1 lb6 -- lr-lb-add gw1 lbgw
set NB_Global . options:controller_event=true
# Address sets, port groups, ACLs (allow-related, allow, reject, drop with logging and a meter, a
# label, after load balancing), QoS.
create Address_Set name=as_web 'addresses="10.0.0.3","10.0.0.4"' -- create Address_Set name=as_v6 'addresses="fd00::3"'
pg-add pg_web sw0-p1 sw0-p2 -- pg-add pg_db sw1-p1
meter-add acl-meter drop 10 pktps
acl-add pg_web to-lport 1002 'outport == @pg_web && ip4.src == $as_web && tcp.dst == 80' allow-related
acl-add pg_web to-lport 1001 'outport == @pg_web && ip4 && ip4.src == $pg_db_ip4' allow
acl-add pg_web from-lport 1000 'inport == @pg_web && ip6.dst == $as_v6' reject
--log --severity=alert --name=drop_acl --meter=acl-meter acl-add pg_db to-lport 900 'outport == @pg_db && ip4' drop
--label=1234 acl-add sw1 from-lport 800 'udp.dst == 53' allow
acl-add sw1 from-lport 700 'ip4.dst == 8.8.8.8' allow-related
--apply-after-lb acl-add sw0 from-lport 600 'ip4 && icmp4' allow
qos-add sw0 from-lport 100 ip4 dscp=10 rate=1000
# DHCPv4, DHCPv6 and DNS.
--id=@d4 create DHCP_Options cidr=10.0.0.0/24 options:lease_time=3600 options:router=10.0.0.1 options:server_id=10.0.0.1 'options:server_mac="00:00:00:00:ff:01"' 'options:dns_server="{8.8.8.8,7.7.7.7}"' 'options:domain_name="\\"ovn.org\\""' 'options:classless_static_route="{30.0.0.0/24,10.0.0.10, 0.0.0.0/0,10.0.0.1}"' options:mtu=1400 -- set Logical_Switch_Port sw0-p1 dhcpv4_options=@d4
--id=@d6 create DHCP_Options 'cidr="fd00::/64"' 'options:server_id="00:00:00:00:ff:01"' 'options:dns_server="{fd00::53}"' 'options:domain_search="\\"ovn.org\\""' -- set Logical_Switch_Port sw0-p1 dhcpv6_options=@d6
--id=@dns create DNS 'records:"vm1.ovn.org"="10.0.0.3 fd00::3"' 'records:"3.0.0.10.in-addr.arpa"="vm1.ovn.org"' -- add Logical_Switch sw0 dns_records @dns
`;

/** Splits a line of TOPOLOGY into arguments: spaces separate, '...' quotes. */
function splitArgs(line: string): string[] {
  const args: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) args.push(m[1] ?? m[2] ?? "");
  return args;
}

function topologyCommands(): string[][] {
  return TOPOLOGY.split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map(splitArgs);
}

function collect(sb: OvnSandbox): LflowCorpus {
  const keyOf = new Map<string, number>();
  for (const [uuid, key] of sb.sbList("Datapath_Binding", ["_uuid", "tunnel_key"])) {
    keyOf.set((uuid as [string, string])[1], key as number);
  }
  const setOf = (v: unknown): unknown[] =>
    Array.isArray(v) && v[0] === "set"
      ? (v[1] as unknown[])
      : Array.isArray(v) && v[0] === "uuid"
        ? [v]
        : [v];
  const groups = new Map<string, number[]>();
  for (const [uuid, dps] of sb.sbList("Logical_DP_Group", ["_uuid", "datapaths"])) {
    const keys = setOf(dps).map((d) => keyOf.get((d as [string, string])[1]) ?? -1);
    groups.set(
      (uuid as [string, string])[1],
      keys.sort((a, b) => a - b),
    );
  }
  // Sorted, so that the fixture only changes when OVN's output does.
  const byName = (rows: unknown[][]): [string, string[]][] =>
    rows
      .map(([name, values]): [string, string[]] => [name as string, (setOf(values) as string[]).sort()])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const addressSets = Object.fromEntries(byName(sb.sbList("Address_Set", ["name", "addresses"])));
  const portGroups = Object.fromEntries(byName(sb.sbList("Port_Group", ["name", "ports"])));
  const flows: CorpusFlow[] = [];
  const rows = sb.sbList("Logical_Flow", [
    "match",
    "actions",
    "pipeline",
    "table_id",
    "logical_datapath",
    "logical_dp_group",
  ]);
  for (const [match, actions, pipeline, table, dp, dpg] of rows) {
    const dpSet = setOf(dp);
    const datapaths =
      dpSet.length === 1 && Array.isArray(dpSet[0])
        ? [keyOf.get((dpSet[0] as [string, string])[1]) ?? -1]
        : (groups.get((setOf(dpg)[0] as [string, string])[1]) ?? []);
    flows.push({
      pipeline: pipeline as Pipeline,
      table: table as number,
      datapaths,
      match: match as string,
      actions: actions as string,
    });
  }
  flows.sort((a, b) => {
    const ka = `${a.pipeline} ${String(a.table).padStart(2, "0")} ${a.match} ${a.actions} ${a.datapaths.join(",")}`;
    const kb = `${b.pipeline} ${String(b.table).padStart(2, "0")} ${b.match} ${b.actions} ${b.datapaths.join(",")}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const version = execFileSync("ovn-northd", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  return {
    provenance: `Logical_Flow rows written by the real ${version} for the topology in src/expr/peer/corpus.test.ts, read back with ovn-sbctl; datapaths are tunnel keys.`,
    addressSets,
    portGroups,
    flows,
  };
}

test("every logical flow of the real ovn-northd parses, prints and re-parses", {
  skip: !haveOvn(),
  timeout: 60000,
}, async () => {
  const sb = await OvnSandbox.start({ northd: true });
  try {
    for (const cmd of topologyCommands()) sb.nbctl(...cmd);
    sb.nbctl("--timeout=20", "--wait=sb", "sync");
    const corpus = collect(sb);
    assert.ok(corpus.flows.length > 400, `only ${corpus.flows.length} flows`);
    const r = checkCorpus(corpus);
    assert.deepEqual(r.failures, []);
    if (process.env.OVNTS_UPDATE_GOLDEN === "1")
      writeFileSync(FIXTURE, `${JSON.stringify(corpus, null, 1)}\n`);
  } finally {
    await sb.close();
  }
});
